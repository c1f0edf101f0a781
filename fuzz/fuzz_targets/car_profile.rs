//! Car profile overrides (TOML).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = road::CarProfile::parse(text, std::path::Path::new("fuzz.toml")) {
        assert_eq!(e.kind, road::ErrorKind::Input, "{e}");
    }
});
