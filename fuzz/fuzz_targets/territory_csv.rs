//! Commune tables: any text is either a territory or an input error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = tournee::input::territory::Territory::parse(text, std::path::Path::new("fuzz.csv")) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
