//! The road network on real OSM files from ../shared: the contraction
//! hierarchy equals plain Dijkstra on every pair; readers, snapping, the
//! cache and bad files behave.

mod common;

use road::CarProfile;
use road::ErrorKind;
use road::{Hierarchy, Order};
use road::{Network, Timings, dijkstra_matrix, dijkstra_path, snap_points};
use road::{RoadGraph, UNREACHABLE};
use std::path::Path;
use tournee::input::territory::{LatLon, read_points};

fn load(path: &Path) -> Network {
    Network::load(path, &CarProfile::default(), &(), &mut Timings::default()).unwrap()
}

/// Deterministic pseudo-random points inside a box (xorshift, no crate
/// needed for a test fixture).
fn points_in(lat: (f64, f64), lon: (f64, f64), n: usize) -> Vec<LatLon> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| LatLon {
            lat: lat.0 + next() * (lat.1 - lat.0),
            lon: lon.0 + next() * (lon.1 - lon.0),
        })
        .collect()
}

/// The network's hierarchy and one contracted by nested dissection both
/// answer what Dijkstra answers.
fn assert_ch_equals_dijkstra(network: &Network, points: &[LatLon]) {
    let snapped = snap_points(&network.graph, points, &CarProfile::default());
    let exact = dijkstra_matrix(&network.graph, &snapped.snaps, &snapped.snaps);
    let dissected = Hierarchy::build_ordered(&network.graph, Order::Dissection, &());
    let n = points.len();
    for (name, hierarchy) in [("as built", &network.hierarchy), ("dissected", &dissected)] {
        let ch = hierarchy.matrix(&network.graph, &snapped.snaps, &snapped.snaps);
        let mismatches: Vec<(usize, usize)> = (0..n * n)
            .filter(|&k| ch[k] != exact[k])
            .map(|k| (k / n, k % n))
            .take(5)
            .collect();
        assert!(
            mismatches.is_empty(),
            "CH ({name}) differs from Dijkstra at {mismatches:?}"
        );
    }
    assert!(
        exact.iter().filter(|w| **w != UNREACHABLE).count() > n * n / 2,
        "most pairs must be routable"
    );
}

#[test]
fn hierarchy_equals_dijkstra_on_malta() {
    let Some(pbf) = common::shared("data/malta.osm.pbf") else {
        return;
    };
    let Some(pts) = common::shared("data/malta.pts100.txt") else {
        return;
    };
    let network = load(&pbf);
    assert!(
        network.graph.node_count() > 60_000,
        "Malta's largest component has ~71k nodes"
    );
    assert_ch_equals_dijkstra(&network, &read_points(&pts).unwrap());
}

#[test]
fn hierarchy_equals_dijkstra_on_monaco_and_andorra() {
    for (file, lat, lon) in [
        ("data/monaco.osm.pbf", (43.72, 43.76), (7.36, 7.48)),
        ("data/andorra.osm.pbf", (42.43, 42.65), (1.42, 1.78)),
    ] {
        let Some(pbf) = common::shared(file) else { return };
        assert_ch_equals_dijkstra(&load(&pbf), &points_in(lat, lon, 150));
    }
}

#[test]
fn gzipped_osm_xml_is_read() {
    let Some(gz) = common::shared("data/north-bayreuth.osm.gz") else {
        return;
    };
    let network = load(&gz);
    // SOURCES.md: 883 drivable ways; the largest component spans thousands
    // of nodes around the villages north of Bayreuth.
    assert!(
        network.graph.node_count() > 2_000,
        "{} nodes",
        network.graph.node_count()
    );
    assert_ch_equals_dijkstra(&network, &points_in((49.98, 50.04), (11.49, 11.60), 120));
}

#[test]
fn plain_osm_xml_reads_like_its_gzip() {
    let Some(gz) = common::shared("data/north-bayreuth.osm.gz") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("nb.osm");
    let mut text = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap()),
        &mut text,
    )
    .unwrap();
    std::fs::write(&plain, text).unwrap();
    let (a, b) = (load(&gz), load(&plain));
    assert_eq!(a.graph.coords, b.graph.coords);
    assert_eq!(a.graph.segments, b.graph.segments);
    assert!(a.graph.turns == b.graph.turns, "the same turn graph");
}

#[test]
fn road_times_are_plausible_against_distance() {
    // Valletta → Mdina is about 11 km by road; at town and rural speeds
    // that takes between 10 and 30 minutes.
    let Some(pbf) = common::shared("data/malta.osm.pbf") else {
        return;
    };
    let network = load(&pbf);
    let points = [
        LatLon {
            lat: 35.8989,
            lon: 14.5146,
        },
        LatLon {
            lat: 35.8858,
            lon: 14.4031,
        },
    ];
    let snapped = snap_points(&network.graph, &points, &CarProfile::default());
    assert!(snapped.snaps.iter().all(|s| s.unwrap().distance_m < 200.0));
    let m = network.hierarchy.matrix(&network.graph, &snapped.snaps, &snapped.snaps);
    let (s, metres) = (road::seconds(m[1]), road::metres(m[1]));
    assert!((9_000.0..16_000.0).contains(&metres), "{metres} m");
    assert!((600.0..1800.0).contains(&s), "{s} s");
    assert_eq!(m[0], 0);
}

#[test]
fn far_points_are_warned_about_and_limited_on_request() {
    let Some(pbf) = common::shared("data/monaco.osm.pbf") else {
        return;
    };
    let network = load(&pbf);
    let sea = LatLon { lat: 43.60, lon: 7.45 }; // ~13 km offshore
    let snapped = snap_points(&network.graph, &[sea], &CarProfile::default());
    assert!(snapped.snaps[0].is_some());
    assert!(
        snapped.warnings[0].contains("from the nearest road"),
        "{:?}",
        snapped.warnings
    );
    let strict = CarProfile {
        max_snap_m: Some(2000.0),
        ..CarProfile::default()
    };
    let snapped = snap_points(&network.graph, &[sea], &strict);
    assert!(snapped.snaps[0].is_none());
    assert!(snapped.warnings[0].contains("left unreachable"));
}

#[test]
fn bad_files_are_rejected_with_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.osm.pbf");
    std::fs::write(&text, "these are not roads\n").unwrap();
    let gz = dir.path().join("data.osm.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, b"<html><body>not osm</body></html>").unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    for (path, needle) in [(&text, "not an OpenStreetMap file"), (&gz, "without an <osm> root")] {
        let err = road::read_osm(path, &CarProfile::default(), &()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input);
        assert!(
            err.to_string().contains(path.to_str().unwrap()) && err.to_string().contains(needle),
            "{err}"
        );
    }
}

#[test]
fn truncated_pbf_is_rejected() {
    let Some(pbf) = common::shared("data/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    let bytes = std::fs::read(&pbf).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = road::read_osm(&cut, &CarProfile::default(), &()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    assert!(err.to_string().contains("truncated or corrupt PBF"), "{err}");
}

#[test]
fn graph_keeps_only_the_largest_strong_component() {
    let Some(pbf) = common::shared("data/malta.osm.pbf") else {
        return;
    };
    let network = load(&pbf);
    let g: &RoadGraph = &network.graph;
    // Every directed segment reaches every other through allowed turns: a
    // forward search from node 0 of the turn graph settles all its nodes.
    let turns = &g.turns;
    let mut ws = road::Workspace::new(turns.node_count());
    ws.start(&[(0, 0)]);
    let mut settled = 0;
    while let Some((u, d)) = ws.pop() {
        settled += 1;
        for a in turns.out_arcs(u) {
            ws.relax(a.head, d + a.weight);
        }
    }
    assert_eq!(settled, turns.node_count());
    assert!(
        turns.node_count() > g.node_count(),
        "more directed segments than road nodes"
    );
}

#[test]
fn lying_and_corrupted_pbf_files_are_rejected_not_panicked_on() {
    let Some(pbf) = common::shared("data/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&pbf).unwrap();
    let mut lying = bytes.clone();
    lying[0..4].copy_from_slice(&0x7fff_ffffu32.to_be_bytes()); // header length lies
    let mut scrambled = bytes.clone();
    let mid = scrambled.len() / 2;
    for b in &mut scrambled[mid..mid + 2000] {
        *b = b.wrapping_mul(7).wrapping_add(13); // compressed data damaged
    }
    for (name, data) in [("lying.osm.pbf", lying), ("scrambled.osm.pbf", scrambled)] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let err = road::read_osm(&path, &CarProfile::default(), &()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input, "{name}");
        assert!(err.to_string().contains("truncated or corrupt PBF"), "{name}: {err}");
    }
}

/// Route legs are searched once and then served again: the second call
/// equals a fresh search, and the reverse leg is a search of its own (its
/// line runs the other way, and one-way streets may take it elsewhere).
#[test]
fn route_legs_are_served_again_in_their_own_direction() {
    let Some(pbf) = common::shared("data/monaco.osm.pbf") else {
        return;
    };
    let points = points_in((43.725, 43.75), (7.40, 7.44), 12);
    let network = load(&pbf);
    let snaps = snap_points(&network.graph, &points, &CarProfile::default()).snaps;
    let fresh = |i: usize, j: usize| dijkstra_path(&network.graph, snaps[i].as_ref()?, snaps[j].as_ref()?);
    let expected: Vec<_> = (0..points.len())
        .flat_map(|i| (0..points.len()).map(move |j| (i, j)))
        .map(|(i, j)| fresh(i, j))
        .collect();
    assert!(
        (0..points.len()).any(|i| (0..i).any(|j| expected[i * points.len() + j] != expected[j * points.len() + i])),
        "legs differ from their reverses"
    );
    let geometry = road::RoadGeometry::new(network, &CarProfile::default(), &points);
    for _ in 0..2 {
        for i in 0..points.len() {
            for j in 0..points.len() {
                assert_eq!(geometry.leg(i, j), expected[i * points.len() + j], "leg {i} → {j}");
            }
        }
    }
}
