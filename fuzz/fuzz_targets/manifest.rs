//! Output-folder manifests: an accepted line never leaves the folder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(names) = tournee::output::folder::parse_manifest(text) {
        for name in names {
            let path = std::path::Path::new(&name);
            assert!(path.is_relative(), "{name}");
            assert!(
                path.components().all(|c| matches!(c, std::path::Component::Normal(_))),
                "{name}"
            );
        }
    }
});
