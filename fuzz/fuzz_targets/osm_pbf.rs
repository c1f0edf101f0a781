//! OSM extracts (.pbf): the reader goes through a file, as users give it one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write as _;

fuzz_target!(|bytes: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".pbf").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    let profile = tournee::road::profile::CarProfile::default();
    let hidden = tournee::progress::Progress::hidden().bar("fuzz");
    if let Err(e) = tournee::road::osm::read(file.path(), &profile, &hidden) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
