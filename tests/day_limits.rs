//! A bus day's limits. The daily range of an electric bus (`range_km` in a
//! scenario's `[[bus]]`): the solver keeps it, the exact model keeps it,
//! the checker catches a day over it, and a commune no bus can reach and
//! come back from is refused with the numbers. The daily driving limit
//! (`max_drive_minutes`): a refusal names every commune beyond it and the
//! limit that would admit them all.

mod common;

use common::{root, text, tournee};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The default straight-line model's detour (docs/travel-model.md): road
/// km are taken as great-circle km × 1.48 without an OSM extract.
const DETOUR: f64 = 1.48;

/// Great-circle km between two (lat, lon) points (haversine, R = 6371 km):
/// the test's own measure, not the code's.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la, lb) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlon) = (lb - la, (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Saint-Gaudens (31483), where Comminges' three buses start.
const DEPOT: (f64, f64) = (43.12095, 0.72538);

/// The shipped Comminges scenario with `ranges` (km) on its three buses,
/// written in `dir`.
fn comminges(dir: &Path, ranges: [Option<u32>; 3]) -> PathBuf {
    let territory = root().join("data/coeur_coteaux_comminges.csv");
    let mut toml = format!(
        "name = \"Comminges\"\nterritory = {:?}\nmonth = \"2027-01\"\n",
        territory
    );
    for (b, range) in ranges.iter().enumerate() {
        toml += &format!("[[bus]]\nname = \"Bus {}\"\ndepot = \"31483\"\n", b + 1);
        if let Some(r) = range {
            toml += &format!("range_km = {r}\n");
        }
    }
    let path = dir.join("scenario.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

/// `tournee plan --scenario SCENARIO --out OUT`, run in `dir`.
fn plan(dir: &Path, scenario: &Path, out: &Path) -> Output {
    let args = ["plan", "--scenario", path(scenario), "--out", path(out)];
    tournee(&args, dir)
}

/// `tournee check --plan PLAN --scenario SCENARIO`, run in `dir`.
fn check(dir: &Path, plan: &Path, scenario: &Path) -> Output {
    let args = ["check", "--plan", path(plan), "--scenario", path(scenario)];
    tournee(&args, dir)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Per bus day (bus, week, weekday) of a plan.csv: its stops' coordinates
/// in file order (the visiting order).
fn days(plan_csv: &Path) -> BTreeMap<(String, String, String), Vec<(f64, f64)>> {
    let mut reader = csv::Reader::from_path(plan_csv).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (bus, week, weekday, lat, lon) = (col("bus"), col("week"), col("weekday"), col("lat"), col("lon"));
    let mut days: BTreeMap<_, Vec<(f64, f64)>> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        let key = (row[bus].to_string(), row[week].to_string(), row[weekday].to_string());
        days.entry(key)
            .or_default()
            .push((row[lat].parse().unwrap(), row[lon].parse().unwrap()));
    }
    days
}

/// Road km of a day by the straight-line model: depot, stops, depot.
fn day_km(stops: &[(f64, f64)]) -> f64 {
    let path: Vec<(f64, f64)> = std::iter::once(DEPOT)
        .chain(stops.iter().copied())
        .chain(std::iter::once(DEPOT))
        .collect();
    path.windows(2).map(|w| km(w[0], w[1])).sum::<f64>() * DETOUR
}

#[test]
fn an_electric_bus_at_60_km_keeps_its_range_and_leaves_the_far_communes_to_the_others() {
    let dir = tempfile::tempdir().unwrap();
    // The scenario the README's example runs.
    let scenario = root().join("data/coeur_coteaux_comminges_electric.toml");
    let out = dir.path().join("out");
    let o = plan(dir.path(), &scenario, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let days = days(&out.join("plan.csv"));
    let bus_one: Vec<f64> = days
        .iter()
        .filter(|(k, _)| k.0 == "Bus 1")
        .map(|(_, stops)| day_km(stops))
        .collect();
    assert!(!bus_one.is_empty(), "Bus 1 still works");
    // 0.1 km of slack for the coordinates' six decimals in plan.csv.
    let longest = bus_one.iter().copied().fold(0.0, f64::max);
    assert!(
        longest <= 60.1,
        "a Bus 1 day drives {longest:.1} km, over its 60 km range"
    );
    // Communes whose round trip alone is over 60 km are served, by the
    // buses without a range.
    let far: Vec<&(String, String, String)> = days
        .iter()
        .filter(|(_, stops)| stops.iter().any(|s| 2.0 * km(DEPOT, *s) * DETOUR > 60.0))
        .map(|(k, _)| k)
        .collect();
    assert!(!far.is_empty(), "the territory has communes beyond 30 km");
    assert!(far.iter().all(|k| k.0 != "Bus 1"), "{far:?}");
    // The checker agrees, and catches the same plan against a shorter range.
    let o = check(dir.path(), &out, &scenario);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let shorter = comminges(dir.path(), [Some(40), None, None]);
    let o = check(dir.path(), &out, &shorter);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let over = bus_one.iter().filter(|d| **d > 40.1).count();
    assert!(over > 0, "some Bus 1 day is longer than 40 km");
    assert_eq!(
        err.matches("more than the bus's 40 km range").count(),
        over,
        "one sentence per Bus 1 day over 40 km: {err}"
    );
}

#[test]
fn a_commune_beyond_every_range_is_refused_with_its_km() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = comminges(dir.path(), [Some(30), Some(30), Some(30)]);
    let out = dir.path().join("out");
    let o = plan(dir.path(), &scenario, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(!out.exists(), "nothing written");
    // Montréjeau (the table's second row) is 13.6 km from Saint-Gaudens as
    // the crow flies: 2 × 13.6 × 1.48 = 40 km there and back.
    let expected = (2.0 * km(DEPOT, (43.0876, 0.55885)) * DETOUR).round();
    assert!(
        err.contains("Montréjeau (31390, line 3)")
            && err.contains(&format!(
                "Bus 1 (30 km range): Montréjeau is {expected:.0} km away and back"
            )),
        "{err}"
    );
}

#[test]
fn buses_whose_range_leaves_one_bus_too_many_communes_are_refused_with_numbers() {
    let dir = tempfile::tempdir().unwrap();
    // Bus 1 has no range; Buses 2 and 3 reach only the nearest communes.
    let scenario = comminges(dir.path(), [None, Some(25), Some(25)]);
    let o = tournee(&["plan", "--scenario", scenario.to_str().unwrap()], dir.path());
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("can be served only by Bus 1") && err.contains("it offers 40 over 4 weeks"),
        "{err}"
    );
}

#[test]
fn the_exact_model_keeps_a_range() {
    use tournee::schedule::{check, exact};
    // Eight communes of Apt-Luberon, once a month, one bus on Tuesdays and
    // Thursdays: the first such subset whose optimum has a day longer
    // than any commune's round trip, so that a range just below that day
    // forbids it without refusing any commune.
    let case = (0..10).find_map(|skip| {
        let free = common::apt_subset(skip, 8, &[1], "\"Tue\", \"Thu\"");
        let optimum = exact::solve(&free).unwrap();
        let longest = optimum
            .plan
            .days()
            .iter()
            .map(|d| free.day_drive(d.bus, &d.communes()).metres)
            .fold(0.0, f64::max);
        let round_trips = (0..free.territory.communes.len())
            .map(|c| free.day_drive(0, &[c]).metres)
            .fold(0.0, f64::max);
        (longest > round_trips + 2.0).then_some((skip, optimum.objective, longest))
    });
    let (skip, free_objective, longest) = case.expect("a subset whose optimum pairs far communes");
    let range_km = (longest - 1.0) / 1000.0;
    let ranged = common::apt_subset_with(skip, 8, &[1], "\"Tue\", \"Thu\"", &format!("range_km = {range_km}\n"));
    let result = exact::solve(&ranged).unwrap();
    assert!(check::check(&ranged, &result.plan).is_empty());
    for d in result.plan.days() {
        let metres = ranged.day_drive(d.bus, &d.communes()).metres;
        assert!(metres <= range_km * 1000.0 + 1e-6, "{metres} m over {range_km} km");
    }
    assert!(
        result.objective >= free_objective - 1e-6,
        "a range cannot make the optimum cheaper"
    );
}

/// The default straight-line speed (docs/travel-model.md), km/h.
const SPEED_KMH: f64 = 39.0;

#[test]
fn a_drive_limit_refusal_lists_every_commune_beyond_it_and_the_limit_that_admits_them() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = comminges(dir.path(), [None, None, None]);
    let text_of = |p: &Path| std::fs::read_to_string(p).unwrap();
    let tight = dir.path().join("tight.toml");
    std::fs::write(
        &tight,
        text_of(&scenario).replacen("month", "max_drive_minutes = 40\nmonth", 1),
    )
    .unwrap();
    let o = plan(dir.path(), &tight, &dir.path().join("out"));
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    // The test's own round trips: Saint-Gaudens and back, great circle
    // × 1.48 at 39 km/h.
    let table = root().join("data/coeur_coteaux_comminges.csv");
    let mut reader = csv::Reader::from_path(&table).unwrap();
    let minutes: Vec<(String, f64)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let at = (r[2].parse().unwrap(), r[3].parse().unwrap());
            (r[1].to_string(), 2.0 * km(DEPOT, at) * DETOUR / SPEED_KMH * 60.0)
        })
        .collect();
    let beyond: Vec<&(String, f64)> = minutes.iter().filter(|(_, m)| *m > 40.0).collect();
    assert!(beyond.len() > 1, "several communes beyond 40 min");
    assert!(
        err.contains(&format!("{} communes lie beyond max_drive_minutes = 40", beyond.len())),
        "{err}"
    );
    for (name, m) in &beyond {
        assert!(
            err.contains(&format!("{name} (")),
            "{name} ({m:.0} min) is not named: {err}"
        );
    }
    let admits = beyond.iter().map(|(_, m)| *m).fold(0.0, f64::max).ceil();
    assert!(
        err.contains(&format!("max_drive_minutes = {admits} admits them all")),
        "expected {admits} min: {err}"
    );
}

#[test]
fn check_lists_each_day_over_the_drive_limit_with_its_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = comminges(dir.path(), [None, None, None]);
    let out = dir.path().join("out");
    let o = plan(dir.path(), &scenario, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // The same plan against a 60-minute limit: many communes' round trips
    // alone exceed it, yet the checker judges the plan's days, not what a
    // new plan could keep.
    let tight = dir.path().join("tight.toml");
    let toml = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&tight, toml.replacen("month", "max_drive_minutes = 60\nmonth", 1)).unwrap();
    let o = check(dir.path(), &out, &tight);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let over: Vec<f64> = days(&out.join("plan.csv"))
        .values()
        .map(|stops| day_km(stops) / SPEED_KMH * 60.0)
        .filter(|minutes| *minutes > 60.0 + 0.1)
        .collect();
    assert!(!over.is_empty());
    assert_eq!(
        err.matches("more than the 60 min allowed").count(),
        over.len(),
        "one line per day over 60 min: {err}"
    );
    let export = tournee(
        &[
            "export",
            "--plan",
            path(&out),
            "--scenario",
            path(&tight),
            "--out",
            "exported",
        ],
        dir.path(),
    );
    assert_eq!(export.status.code(), Some(2), "{}", text(&export.stderr));
    assert!(text(&export.stderr).contains("more than the 60 min allowed"));
    assert!(!dir.path().join("exported").exists(), "nothing written");
}
