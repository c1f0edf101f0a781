//! Scenario files: any text is either a scenario or an input error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = tournee::input::scenario::Scenario::parse(text, std::path::Path::new("fuzz.toml")) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
