//! OSM extracts (.osm): the reader goes through a file, as users give it one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write as _;

fuzz_target!(|bytes: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".osm").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    let profile = road::CarProfile::default();
    if let Err(e) = road::read_osm(file.path(), &profile, &()) {
        assert_eq!(e.kind, road::ErrorKind::Input, "{e}");
    }
});
