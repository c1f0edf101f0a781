//! Hostile extracts: a gzip bomb (a few hundred kilobytes that inflate to
//! hundreds of megabytes of junk) is refused as not OSM, in bounded memory.

use std::io::Write;

/// Peak resident memory of this process so far, MB (Linux `VmHWM`).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0
}

#[test]
fn a_gzip_bomb_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.osm.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&bomb).unwrap(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap();
    assert!(
        std::fs::metadata(&bomb).unwrap().len() < 1 << 20,
        "a bomb: small on disk"
    );
    let before = peak_mb();
    let err = road::read_osm(&bomb, &road::CarProfile::default(), &()).unwrap_err();
    assert_eq!(err.kind, road::ErrorKind::Input);
    assert!(err.to_string().contains("not OSM XML"), "{err}");
    assert!(peak_mb() - before < 100.0, "{} MB read into memory", peak_mb() - before);
}

#[test]
fn markup_spread_over_many_small_reads_is_still_osm() {
    // A real OSM XML document whose text runs are short reads fine through
    // the guard, whatever the buffer boundaries.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.osm");
    let xml = r#"<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="43.70" lon="7.40"/>
  <node id="2" lat="43.71" lon="7.41"/>
  <node id="3" lat="43.72" lon="7.40"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="highway" v="residential"/></way>
</osm>
"#;
    std::fs::write(&file, xml).unwrap();
    let raw = road::read_osm(&file, &road::CarProfile::default(), &()).unwrap();
    assert_eq!((raw.nodes.len(), raw.ways.len()), (3, 1));
}
