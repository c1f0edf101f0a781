//! Barriers as OSRM's car profile treats them, on a village written by
//! hand: four squares of residential streets, each with a node in the
//! middle of its south side. From the south-west to the south-east corner
//! a car goes straight through (one side, ≈ 788 m) when it may pass the
//! node, or round the three other sides (≈ 1,900 m) when it may not.

use road::profile::CarProfile;
use road::{LatLon, Timings};

/// (barrier tags on the middle node, whether a car passes).
const VILLAGES: [(&str, bool); 4] = [
    (r#"<tag k="barrier" v="bollard"/>"#, false),
    (r#"<tag k="barrier" v="gate"/>"#, true),
    (r#"<tag k="barrier" v="gate"/><tag k="access" v="private"/>"#, false),
    (
        r#"<tag k="barrier" v="bollard"/><tag k="motor_vehicle" v="yes"/>"#,
        true,
    ),
];

const LAT: f64 = 45.0;
const NORTH: f64 = 45.005;

/// West and east longitudes of village `k`.
fn sides(k: usize) -> (f64, f64) {
    let west = 5.0 + 0.05 * k as f64;
    (west, west + 0.01)
}

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    LatLon { lat: a.0, lon: a.1 }.metres_to(LatLon { lat: b.0, lon: b.1 })
}

/// The OSM XML: per village, nodes 10k+1 (SW), +2 (middle, tagged), +3
/// (SE), +4 (NW), +5 (NE); the south side as one way through the middle
/// node, the detour as another; a road from each SE corner to the next SW.
fn village_xml() -> String {
    let mut nodes = String::new();
    let mut ways = String::new();
    let road = |id: usize, refs: &[usize]| {
        let nds: String = refs.iter().map(|r| format!(r#"<nd ref="{r}"/>"#)).collect();
        format!(r#"<way id="{id}">{nds}<tag k="highway" v="residential"/></way>"#)
    };
    for (k, (tags, _)) in VILLAGES.iter().enumerate() {
        let (west, east) = sides(k);
        let base = 10 * (k + 1);
        let points = [
            (LAT, west),
            (LAT, (west + east) / 2.0),
            (LAT, east),
            (NORTH, west),
            (NORTH, east),
        ];
        for (i, (lat, lon)) in points.iter().enumerate() {
            let extra = if i == 1 { *tags } else { "" };
            nodes += &format!(r#"<node id="{}" lat="{lat}" lon="{lon}">{extra}</node>"#, base + i + 1);
        }
        ways += &road(100 + base, &[base + 1, base + 2, base + 3]);
        ways += &road(200 + base, &[base + 1, base + 4, base + 5, base + 3]);
        if k + 1 < VILLAGES.len() {
            ways += &road(300 + base, &[base + 3, base + 11]);
        }
    }
    format!("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">{nodes}{ways}</osm>\n")
}

#[test]
fn bollards_block_gates_pass_and_access_tags_decide() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("village.osm");
    std::fs::write(&path, village_xml()).unwrap();
    let points: Vec<LatLon> = (0..VILLAGES.len())
        .flat_map(|k| {
            let (west, east) = sides(k);
            [LatLon { lat: LAT, lon: west }, LatLon { lat: LAT, lon: east }]
        })
        .collect();
    let (m, _) = road::matrix(
        &path,
        &CarProfile::default(),
        &points,
        &(),
        false,
        &mut Timings::default(),
    )
    .unwrap();
    for (k, (tags, passes)) in VILLAGES.iter().enumerate() {
        let (west, east) = sides(k);
        let straight = metres((LAT, west), (LAT, east));
        let detour = 2.0 * metres((LAT, west), (NORTH, west)) + metres((NORTH, west), (NORTH, east));
        let expected = if *passes { straight } else { detour };
        for (from, to) in [(2 * k, 2 * k + 1), (2 * k + 1, 2 * k)] {
            let got = m.metres(from, to).unwrap_or_else(|| panic!("{tags}: no route"));
            assert!(
                (got - expected).abs() < 1.0,
                "{tags}: {got:.1} m, expected {expected:.1} m (straight {straight:.1}, detour {detour:.1})"
            );
        }
    }
}
