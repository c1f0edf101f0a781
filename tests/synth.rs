//! The synthetic département: deterministic, read by the normal loader,
//! with the road hierarchy, one-way streets, ferry and dropped private
//! estates it promises.

use road::{self, CarProfile, Network, Timings};
use std::path::Path;
use tournee::input::territory::{LatLon, Territory};
use tournee::tools::synth::{self, SynthOptions};

fn small() -> SynthOptions {
    SynthOptions {
        seed: 3,
        communes: 40,
        road_nodes: 60_000,
        buses: 4,
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_territory() {
    let a = synth::pbf(&synth::generate(small())).unwrap();
    let b = synth::pbf(&synth::generate(small())).unwrap();
    assert!(a == b, "two runs with seed 3 differ");
    let other = synth::generate(SynthOptions { seed: 4, ..small() });
    assert!(synth::pbf(&other).unwrap() != a);
}

#[test]
fn territory_has_bourgs_villages_and_the_requested_size() {
    let s = synth::generate(small());
    assert!(s.nodes.len() >= 60_000, "{} nodes", s.nodes.len());
    let csv = String::from_utf8(synth::communes_csv(&s).unwrap()).unwrap();
    let territory = Territory::parse(&csv, Path::new("communes.csv")).unwrap();
    assert_eq!(territory.communes.len(), 40);
    let mut populations: Vec<u32> = territory.communes.iter().map(|c| c.population).collect();
    populations.sort_unstable();
    assert!(populations[20] < 1_000, "median {}", populations[20]);
    let highway = |class: &str| {
        s.ways
            .iter()
            .filter(|w| w.2.contains(&("highway", class.to_string())))
            .count()
    };
    for class in ["primary", "secondary", "tertiary", "unclassified", "residential"] {
        assert!(highway(class) > 0, "no {class} road");
    }
    assert!(s.ways.iter().any(|w| w.2.iter().any(|(k, _)| *k == "oneway")));
    assert!(s.ways.iter().any(|w| w.2.contains(&("route", "ferry".to_string()))));
}

#[test]
fn loader_reads_it_keeps_the_island_and_drops_the_private_estates() {
    let dir = tempfile::tempdir().unwrap();
    let s = synth::generate(small());
    let pbf = dir.path().join("roads.osm.pbf");
    std::fs::write(&pbf, synth::pbf(&s).unwrap()).unwrap();
    let profile = CarProfile::default();
    let network = Network::load(&pbf, &profile, &(), &mut Timings::default()).unwrap();
    // The three estates (a grid and a private lane each) are not strongly
    // connected to the rest.
    assert!(network.graph.node_count() < s.nodes.len());
    assert!(network.graph.node_count() > s.nodes.len() * 9 / 10);
    let points: Vec<LatLon> = s
        .communes
        .iter()
        .map(|c| {
            let (lat, lon) = synth::Synthetic::lat_lon(c.x, c.y);
            LatLon { lat, lon }
        })
        .collect();
    let (m, _) = road::matrix(
        &pbf,
        &profile,
        &points,
        &(),
        &Default::default(),
        &mut Timings::default(),
    )
    .unwrap();
    let island = points.len() - 1;
    // Every commune reaches every other, the island by its 25-minute ferry.
    for i in 0..points.len() {
        for j in 0..points.len() {
            assert!(m.seconds(i, j).is_some(), "{i} → {j} unreachable");
        }
    }
    assert!(m.seconds(0, island).unwrap() > 25.0 * 60.0);
}
