//! The report's map as Chromium renders it, read back from the page and
//! compared with plan.csv: every stop drawn with its name, every bus day's
//! route through its stops in plan order, a legend naming every bus (one
//! bus: its weekdays), a scale bar; with an OSM extract, the main roads
//! under the stops and routes that follow them. Screenshots land in
//! `target/tmp/pages/` for a person to look at.

mod common;

#[path = "common/browser.rs"]
mod pages;

use common::{root, shared, text, tournee};
use std::path::Path;

/// Plans with `args` into `dir/out`, opens its report, reads the map.
fn report_map(dir: &Path, args: &[&str], shot: &str) -> Option<(pages::MapOnPage, pages::PlanDays, String)> {
    let browser = pages::launch(&dir.join("profile"))?;
    let out = dir.join("out");
    let mut all = vec!["plan", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = tournee(&all, &root());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("file://{}", out.join("report.html").display()))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("svg.plan-map").unwrap();
    let scale = pages::js(
        &tab,
        "(() => { const g = document.querySelector('svg.plan-map g.scale'); return g.dataset.km + ' ' + g.dataset.px + ' ' + g.querySelector('text').textContent; })()",
    );
    pages::screenshot(&tab, "svg.plan-map", shot);
    Some((pages::read_map(&tab), pages::plan_days(&out.join("plan.csv")), scale))
}

#[test]
fn one_bus_routes_in_order_with_names_weekdays_and_a_scale() {
    let dir = tempfile::tempdir().unwrap();
    let Some((map, plan, scale)) = report_map(dir.path(), &[], "report-apt") else {
        return;
    };
    pages::assert_map_shows(&map, &plan);
    // One bus: a colour per weekday it works, each named.
    for day in ["lundi", "mardi", "mercredi", "jeudi", "vendredi"] {
        assert!(
            map.legend.iter().any(|e| e.ends_with(day)),
            "{day} not in {:?}",
            map.legend
        );
    }
    assert_eq!(map.roads, 0, "no roads without an OSM extract");
    // The bar's length is a round number of km, and its pixels agree with
    // the distance between two stops drawn: Apt and Gargas, at their
    // coordinates in data/pays_apt_luberon.csv.
    let parts: Vec<&str> = scale.split_whitespace().collect();
    let (km, px): (f64, f64) = (parts[0].parse().unwrap(), parts[1].parse().unwrap());
    assert!([1.0, 2.0, 5.0, 10.0, 20.0].contains(&km), "{scale}");
    let (apt, gargas) = (map.stops["84003"], map.stops["84047"]);
    let drawn_km = (apt.0 - gargas.0).hypot(apt.1 - gargas.1) / (px / km);
    let table_km = haversine_km((43.88148, 5.38138), (43.89386, 5.34352));
    assert!(
        (drawn_km - table_km).abs() < 0.03 * table_km,
        "{drawn_km:.2} km on the map, {table_km:.2} km apart"
    );
}

/// Great-circle distance of two (lat, lon) points, km.
fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[test]
fn several_buses_each_named_in_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--scenario",
        "data/coeur_coteaux_comminges_4_buses.toml",
        "--iterations",
        "3000",
    ];
    let Some((map, plan, _)) = report_map(dir.path(), &args, "report-comminges-4-buses") else {
        return;
    };
    pages::assert_map_shows(&map, &plan);
    for bus in ["Bus 1", "Bus 2", "Bus 3", "Bus 4"] {
        assert!(map.legend.iter().any(|e| e.starts_with(bus)), "{bus}: {:?}", map.legend);
    }
}

#[test]
fn with_an_osm_extract_roads_are_drawn_and_routes_follow_them() {
    let Some(pbf) = shared("data/corsica_matsim_roads.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--scenario",
        "data/pasquale_paoli.toml",
        "--osm",
        pbf.to_str().unwrap(),
        "--iterations",
        "3000",
    ];
    let Some((map, plan, _)) = report_map(dir.path(), &args, "report-pasquale-paoli-roads") else {
        return;
    };
    pages::assert_map_shows(&map, &plan);
    assert!(
        map.roads > 100 && map.roads <= tournee::output::svgmap::MAX_ROAD_PIECES,
        "{} road pieces",
        map.roads
    );
    assert!(map.legend.iter().any(|e| e == "Routes principales"), "{:?}", map.legend);
    // Along the roads, a day's line bends: many more points than its
    // stops and the depot twice.
    let points: usize = map.routes.iter().map(|r| r.points.len()).sum();
    let straight: usize = map.routes.iter().map(|r| r.stops.len() + 2).sum();
    assert!(points > 5 * straight, "{points} points for {straight} straight");
}
