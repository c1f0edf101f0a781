//! Cordeau PVRP instances.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = tournee::pvrp::cordeau::parse(text, "fuzz", std::path::Path::new("fuzz.txt")) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
