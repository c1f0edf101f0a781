//! Points files (`lon,lat` lines or a commune table).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match tournee::input::territory::parse_points(text, std::path::Path::new("fuzz.txt")) {
        Ok(points) => assert!(points.iter().all(|p| p.lat.is_finite() && p.lon.is_finite())),
        Err(e) => assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}"),
    }
});
