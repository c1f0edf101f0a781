//! The GeoJSON map, read back with the geojson crate: one feature per
//! depot, stop and bus day; routes start and end at the depot; with an OSM
//! network their lines follow the roads, so their length equals the road
//! distance of the day.

mod common;

use geo::{Distance, Haversine, Point};
use std::path::Path;
use tournee::input::scenario::Scenario;
use tournee::input::territory::Territory;
use tournee::output::map::{Legs, geojson};
use tournee::pipeline::{self};
use tournee::schedule::as_pvrp::SolveOptions;

const QUICK: SolveOptions = SolveOptions {
    seed: 1,
    iterations: 3_000,
};

fn features(text: &str) -> Vec<geojson::Feature> {
    let collection: geojson::FeatureCollection = text.parse().expect("valid GeoJSON");
    collection.features
}

fn kind(f: &geojson::Feature) -> &str {
    f.properties.as_ref().unwrap()["kind"].as_str().unwrap()
}

fn line(f: &geojson::Feature) -> Vec<(f64, f64)> {
    let value = serde_json::to_value(f.geometry.as_ref().unwrap()).unwrap();
    value["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

#[test]
fn straight_line_map_has_every_depot_stop_and_day() {
    let (instance, plan) = common::builtin_plan(3, 1, 20_000);
    let all = features(&geojson(&instance, &plan, &Legs::Straight));
    let count = |k: &str| all.iter().filter(|f| kind(f) == k).count();
    assert_eq!(count("depot"), 3);
    assert_eq!(count("stop"), plan.stops().len());
    assert_eq!(count("route"), plan.days().len());
    let depot = instance.buses[0].depot;
    for route in all.iter().filter(|f| kind(f) == "route") {
        let l = line(route);
        assert!(l.len() >= 2);
        for end in [l[0], l[l.len() - 1]] {
            assert!(
                (end.0 - depot.lon).abs() < 1e-5 && (end.1 - depot.lat).abs() < 1e-5,
                "{end:?}"
            );
        }
    }
    let stop = all
        .iter()
        .find(|f| kind(f) == "stop")
        .unwrap()
        .properties
        .as_ref()
        .unwrap();
    assert!(stop["text"].as_str().unwrap().contains(" s'arrête à "));
}

#[test]
fn road_map_lines_follow_the_roads() {
    let (Some(pbf), Some(table)) = (
        common::shared("data/monaco.osm.pbf"),
        common::shared("data/fr_territory_riviera_monaco_pbf.csv"),
    ) else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of this test binary reads it.
    unsafe { std::env::set_var("TOURNEE_CACHE", cache.path()) };
    let territory = Territory::from_path(&table).unwrap();
    let scenario = Scenario::parse(&format!("osm = {:?}", pbf.to_str().unwrap()), Path::new("s.toml")).unwrap();
    let prepared = pipeline::instance(territory, &scenario, &()).unwrap();
    let instance = prepared.instance;
    // The cache is empty, so the matrix loaded the network; geometry reuses it.
    assert!(prepared.network.is_some());
    let plan = tournee::schedule::solve_checked(&instance, QUICK, &()).unwrap();
    let geometry = pipeline::road_geometry(&scenario, &instance, prepared.network, &())
        .unwrap()
        .expect("the scenario names an OSM file");
    let all = features(&geojson(&instance, &plan, &Legs::Road(&geometry)));
    let mut checked = 0;
    for route in all.iter().filter(|f| kind(f) == "route") {
        let km = route.properties.as_ref().unwrap()["drive_km"].as_f64().unwrap();
        if km == 0.0 {
            continue;
        }
        let l = line(route);
        let length: f64 = l
            .windows(2)
            .map(|w| Haversine.distance(Point::new(w[0].0, w[0].1), Point::new(w[1].0, w[1].1)))
            .sum();
        // The line also walks from the road to each stop and back, in
        // straight lines the road distance leaves out (it starts where the
        // stop snaps onto its road): a few dozen metres per stop here.
        assert!(
            (0.99..1.05).contains(&(length / 1000.0 / km)),
            "line {length:.0} m vs road {km} km"
        );
        assert!(l.len() > 10, "a road line has many vertices");
        checked += 1;
    }
    assert!(checked > 0);
}
