//! Coverage, compare and select, checked against brute-force computations
//! written here from the formulas, not from the library's code.

mod common;

use common::shared;
use std::path::Path;
use tournee::coverage::{Coverage, Measure};
use tournee::input::scenario::Scenario;
use tournee::input::territory::Territory;
use tournee::pipeline::{self, BusService};

/// Great-circle metres by the haversine formula, R = 6,371,008.8 m.
fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// Straight-line minutes with the default model (× 1.48 ÷ 39 km/h).
fn minutes(a: (f64, f64), b: (f64, f64)) -> f64 {
    haversine_m(a, b) * 1.48 / (39.0 / 3.6) / 60.0
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Six villages around Apt, two fixed sites and a saved plan with stops.
fn small_case(dir: &Path) -> (Territory, Scenario) {
    let communes = "insee,name,lat,lon,population\n\
        84003,Apt,43.87638,5.39635,11000\n\
        84048,Gignac,43.92827,5.52601,80\n\
        84103,Rustrel,43.93154,5.47586,700\n\
        04045,Céreste,43.85296,5.58831,1300\n\
        84127,Viens,43.89683,5.56722,600\n\
        84112,Saignon,43.86277,5.42779,1000\n";
    let territory = write(dir, "t.csv", communes);
    let sites = write(
        dir,
        "sites.csv",
        "name,lat,lon,hours\nApt desk,43.87638,5.39635,35\nCéreste desk,43.85296,5.58831,10\n",
    );
    let plan = write(
        dir,
        "plan.csv",
        "bus,week,weekday,half_day,start,end,insee,commune,lat,lon,visits_per_month,date\n\
         B,1,Tue,AM,09:30,12:00,84048,Gignac,43.92827,5.52601,2,\n\
         B,3,Tue,AM,09:30,12:00,84048,Gignac,43.92827,5.52601,2,\n\
         B,1,Tue,PM,14:00,16:30,84103,Rustrel,43.93154,5.47586,1,\n",
    );
    write(dir, "summary.json", "{\"drive_km\": 120.0}");
    let mut scenario = Scenario::default();
    scenario.coverage.sites = Some(sites);
    scenario.coverage.plan = Some(plan);
    (Territory::from_path(&territory).unwrap(), scenario)
}

fn measure_small(dir: &Path) -> Coverage {
    let (territory, scenario) = small_case(dir);
    let plan = scenario.coverage.plan.clone().unwrap();
    pipeline::coverage(territory, &scenario, BusService::Saved(plan), &()).unwrap()
}

#[test]
fn access_times_shares_and_hours_match_brute_force() {
    let dir = tempfile::tempdir().unwrap();
    let cov = measure_small(dir.path());
    let sites = [
        ((43.87638, 5.39635), 35.0 * 52.0 / 12.0),
        ((43.85296, 5.58831), 10.0 * 52.0 / 12.0),
    ];
    // Gignac: 2 sessions of 2.5 h; Rustrel: 1 session.
    let stops = [((43.92827, 5.52601), 5.0), ((43.93154, 5.47586), 2.5)];
    let nearest = |at: (f64, f64), points: &[((f64, f64), f64)]| {
        points.iter().map(|p| minutes(at, p.0)).fold(f64::INFINITY, f64::min)
    };
    let hours = |at: (f64, f64), points: &[((f64, f64), f64)]| {
        points
            .iter()
            .filter(|p| minutes(at, p.0) <= 20.0)
            .map(|p| p.1)
            .sum::<f64>()
    };
    for c in &cov.communes {
        let at = (c.at.lat, c.at.lon);
        let fixed = nearest(at, &sites);
        let bus = nearest(at, &stops);
        assert!(
            (c.minutes(Measure::FixedSite).unwrap() - fixed).abs() < 1e-6,
            "{}",
            c.name
        );
        assert!((c.minutes(Measure::BusStop).unwrap() - bus).abs() < 1e-6, "{}", c.name);
        assert!((c.minutes(Measure::Nearest).unwrap() - fixed.min(bus)).abs() < 1e-6);
        assert!((c.fixed_hours - hours(at, &sites)).abs() < 1e-6, "{}", c.name);
        assert!((c.bus_hours - hours(at, &stops)).abs() < 1e-6, "{}", c.name);
    }
    // Shares within thresholds, by population.
    let total: f64 = cov.communes.iter().map(|c| f64::from(c.population)).sum();
    for (k, t) in [10.0, 20.0, 30.0].iter().enumerate() {
        let inside: f64 = cov
            .communes
            .iter()
            .filter(|c| nearest((c.at.lat, c.at.lon), &sites) <= *t)
            .map(|c| f64::from(c.population))
            .sum();
        assert!((cov.stats[Measure::FixedSite as usize].within[k] - inside / total).abs() < 1e-12);
    }
    // Km avoided: Gignac's 80 people, 0.13 visits a year, round trip of the
    // road-distance difference (fixed site vs its own stop at 0 km).
    let gignac = cov.communes.iter().find(|c| c.insee == "84048").unwrap();
    let fixed_km = haversine_m((43.92827, 5.52601), (43.85296, 5.58831))
        .min(haversine_m((43.92827, 5.52601), (43.87638, 5.39635)))
        * 1.48
        / 1000.0;
    assert!((gignac.km_avoided - 80.0 * 0.13 / 12.0 * 2.0 * fixed_km).abs() < 1e-6);
    assert_eq!(cov.emissions.bus_km_month, Some(120.0));
    let net = cov.emissions.km_avoided_month * 0.218 - 120.0 * 0.38;
    assert!((cov.emissions.net_kg_month.unwrap() - net).abs() < 1e-9);
}

#[test]
fn coverage_csv_names_its_columns_and_has_one_row_per_commune() {
    let dir = tempfile::tempdir().unwrap();
    let cov = measure_small(dir.path());
    let csv = String::from_utf8(tournee::output::coverage::csv(&cov).unwrap()).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for column in ["insee", "population", "fixed_site_min", "bus_stop_min", "nearest_min"] {
        assert!(header.contains(&column), "{column} missing from {header:?}");
    }
    assert_eq!(lines.count(), 6);
    let geojson: serde_json::Value = serde_json::from_str(&tournee::output::coverage::geojson(&cov)).unwrap();
    let kinds: Vec<&str> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "commune").count(), 6);
    assert_eq!(kinds.iter().filter(|k| **k == "bus_stop").count(), 2);
}

#[test]
fn national_access_to_france_services_is_consistent() {
    let (Some(communes), Some(sites)) = (
        shared("data/fr_communes_2026.csv"),
        shared("data/fr_france_services_20240801.csv"),
    ) else {
        return;
    };
    let territory = Territory::read(&communes, tournee::input::territory::Unlocated::SetAside).unwrap();
    let mut scenario = Scenario::default();
    scenario.coverage.sites = Some(sites.clone());
    scenario.coverage.thresholds_minutes = vec![5.0, 10.0, 20.0, 30.0, 60.0];
    let cov = pipeline::coverage(territory, &scenario, BusService::None, &()).unwrap();
    // Population total: the table's located rows, summed here from the file.
    let mut reader = csv::Reader::from_path(&communes).unwrap();
    let located: u64 = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[8].is_empty())
        .map(|r| r[6].parse::<u64>().unwrap())
        .sum();
    assert_eq!(cov.population, located);
    assert_eq!(cov.communes.len(), 34_875 - 8);
    let stats = &cov.stats[Measure::FixedSite as usize];
    assert!(stats.within.windows(2).all(|w| w[0] <= w[1]), "{:?}", stats.within);
    assert!(stats.median_min.unwrap() <= stats.p90_min.unwrap());
    assert_eq!(stats.unreachable, 0);
    // Brute force over every fixed site for a sample of communes.
    let fixed_sites: Vec<(f64, f64)> = tournee::input::sites::read_sites(&sites, false)
        .unwrap()
        .points
        .iter()
        .map(|p| (p.at.lat, p.at.lon))
        .collect();
    assert_eq!(fixed_sites.len(), 2845 - 163);
    for c in cov.communes.iter().step_by(997) {
        let best = fixed_sites
            .iter()
            .map(|s| minutes((c.at.lat, c.at.lon), *s))
            .fold(f64::INFINITY, f64::min);
        assert!(
            (c.minutes(Measure::FixedSite).unwrap() - best).abs() < 1e-6,
            "{}",
            c.insee
        );
    }
}

#[test]
fn road_access_is_the_minimum_of_the_road_matrix() {
    let (Some(pbf), Some(table)) = (
        shared("data/monaco.osm.pbf"),
        shared("data/fr_territory_riviera_monaco_pbf.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sites = write(
        dir.path(),
        "sites.csv",
        "name,lat,lon,hours\nMonaco-Ville,43.7311,7.4198,30\nÈze,43.7299,7.3566,20\n",
    );
    let territory = Territory::from_path(&table).unwrap();
    let mut scenario = Scenario {
        osm: Some(pbf.clone()),
        ..Scenario::default()
    };
    scenario.coverage.sites = Some(sites);
    scenario.coverage.presence_minutes = 8.0;
    let cov = pipeline::coverage(territory.clone(), &scenario, BusService::None, &()).unwrap();
    assert!(cov.travel.contains("by road"));
    let mut points: Vec<_> = territory.communes.iter().map(|c| c.centre).collect();
    let site_at = [(43.7311, 7.4198), (43.7299, 7.3566)];
    points.extend(
        site_at
            .iter()
            .map(|&(lat, lon)| tournee::input::territory::LatLon { lat, lon }),
    );
    let (m, _) = road::matrix(
        &pbf,
        &scenario.profile,
        &points,
        &(),
        &Default::default(),
        &mut Default::default(),
    )
    .unwrap();
    let n = territory.communes.len();
    for (i, c) in cov.communes.iter().enumerate() {
        let to_sites: Vec<f64> = (0..2).map(|s| m.seconds(i, n + s).unwrap()).collect();
        let best = to_sites.iter().copied().fold(f64::INFINITY, f64::min);
        let got = c.fixed.unwrap().seconds;
        assert!((got - best).abs() < 0.01, "{}: {got} vs matrix {best}", c.name);
        let hours: f64 = to_sites
            .iter()
            .zip([30.0, 20.0])
            .filter(|(s, _)| **s <= 8.0 * 60.0)
            .map(|(_, h)| h * 52.0 / 12.0)
            .sum();
        assert!((c.fixed_hours - hours).abs() < 1e-9, "{}", c.name);
    }
}

/// A demand commune within reach of a candidate stop.
#[derive(Clone, Copy)]
struct Reached {
    demand: usize,
    population: u64,
    need: u8,
}

/// The best covered population by enumerating every assignment of
/// frequencies 0, 1, 2, 4 to the candidates within the budget.
fn brute_force_best(reach: &[Vec<Reached>], budget: u32, demands: usize) -> u64 {
    fn walk(
        c: usize,
        left: u32,
        reach: &[Vec<Reached>],
        chosen: &mut Vec<(usize, u8)>,
        covered: &mut [u64],
        best: &mut u64,
    ) {
        if c == reach.len() {
            covered.iter_mut().for_each(|v| *v = 0);
            for &(cand, f) in chosen.iter() {
                for r in reach[cand].iter().filter(|r| f >= r.need) {
                    covered[r.demand] = r.population;
                }
            }
            *best = (*best).max(covered.iter().sum());
            return;
        }
        walk(c + 1, left, reach, chosen, covered, best);
        for f in [1u8, 2, 4].into_iter().filter(|f| u32::from(*f) <= left) {
            chosen.push((c, f));
            walk(c + 1, left - u32::from(f), reach, chosen, covered, best);
            chosen.pop();
        }
    }
    let mut best = 0;
    walk(0, budget, reach, &mut Vec::new(), &mut vec![0; demands], &mut best);
    best
}

#[test]
fn stop_selection_on_grand_cahors_is_the_optimum() {
    let Some(sites) = shared("data/fr_france_services_20240801.csv") else {
        return;
    };
    let (territory, mut scenario) = pipeline::BUILTINS[2].load().unwrap();
    scenario.coverage.sites = Some(sites.clone());
    let fixed: Vec<(f64, f64)> = tournee::input::sites::read_sites(&sites, false)
        .unwrap()
        .points
        .iter()
        .map(|p| (p.at.lat, p.at.lon))
        .chain(
            territory
                .communes
                .iter()
                .filter(|c| c.visits_per_month == Some(0))
                .map(|c| (c.stop.lat, c.stop.lon)),
        )
        .collect();
    for (budget, limit) in [(3, 10.0), (4, 10.0), (4, 15.0)] {
        let selected = pipeline::select(territory.clone(), &scenario, budget, limit, &()).unwrap();
        // Independent model: demands farther than `limit` from every fixed
        // point; need 1 below 2,000 inhabitants, 2 below 5,000, else 4.
        let demands: Vec<&tournee::input::territory::Commune> = territory
            .communes
            .iter()
            .filter(|c| fixed.iter().all(|f| minutes((c.centre.lat, c.centre.lon), *f) > limit))
            .collect();
        let need = |p: u32| {
            if p >= 5000 {
                4
            } else if p >= 2000 {
                2
            } else {
                1
            }
        };
        let reach: Vec<Vec<Reached>> = territory
            .communes
            .iter()
            .filter(|c| c.visits_per_month != Some(0))
            .map(|stop| {
                demands
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| minutes((d.centre.lat, d.centre.lon), (stop.stop.lat, stop.stop.lon)) <= limit)
                    .map(|(i, d)| Reached {
                        demand: i,
                        population: u64::from(d.population),
                        need: need(d.population),
                    })
                    .collect()
            })
            .collect();
        let best = brute_force_best(&reach, budget, demands.len());
        assert_eq!(
            selected.selection.covered_population, best,
            "budget {budget}, {limit} min"
        );
        assert!(selected.selection.half_days <= budget);
        assert!(selected.selection.lp_bound + 1e-6 >= best as f64);
        // The tour serves exactly the chosen stops at their frequencies.
        let instance = &selected.prepared.instance;
        for choice in &selected.selection.choices {
            let commune = selected.problem.candidates[choice.candidate];
            let visits = selected.plan.visits.iter().filter(|v| v.commune == commune).count();
            assert_eq!(
                visits,
                usize::from(choice.visits),
                "{}",
                instance.territory.communes[commune].name
            );
        }
        assert_eq!(selected.plan.visits.len() as u32, selected.selection.half_days);
    }
}
