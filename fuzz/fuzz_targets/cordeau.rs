//! Cordeau PVRP instances.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = pvrp::formats::cordeau::parse(text, "fuzz", std::path::Path::new("fuzz.txt")) {
        assert!(e.to_string().contains("fuzz.txt"), "{e}");
    }
});
