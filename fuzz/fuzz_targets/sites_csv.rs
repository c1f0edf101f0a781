//! Service-point tables (France Services layout or name,lat,lon,hours).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = tournee::input::sites::parse_sites(text, std::path::Path::new("fuzz.csv"), false) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
