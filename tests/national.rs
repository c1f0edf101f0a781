//! `tournee national`: the decomposition against an exact MILP of the
//! whole, the share within reach against an independent nearest-stop
//! search, every bus plan through the checker, a monotone curve, and a
//! département that gets the same figures alone as inside a region.

mod common;

use common::shared;
use common::tournee_at_root as tournee;
use good_lp::{Expression, Solution, SolverModel, Variable, constraint, microlp, variable, variables};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use tournee::input::communes;
use tournee::input::scenario::Scenario;
use tournee::national::cover::{Area, Candidate, Demand};
use tournee::national::{self, Goal, Settings};

const COMMUNES: &str = "data/fr_communes_2026.csv";
const SITES: &str = "data/fr_france_services_20240801.csv";

fn settings(areas: &[&str], goal: Goal) -> Settings {
    Settings {
        minutes: 20.0,
        visits: 2,
        goal,
        areas: areas.iter().map(|s| s.to_string()).collect(),
        nodes: 100,
    }
}

/// Runs the national model on `areas` with straight-line times.
fn run(areas: &[&str], goal: Goal) -> Option<national::National> {
    let (table, sites) = (shared(COMMUNES)?, shared(SITES)?);
    let table = communes::read(&table).unwrap();
    let sites = tournee::input::sites::read_sites(&sites, false).unwrap();
    Some(
        national::run(
            table,
            &sites.points,
            &Scenario::default(),
            settings(areas, goal),
            None,
            &(),
        )
        .unwrap(),
    )
}

/// The most inhabitants any `buses` buses cover in these areas together:
/// one MILP over all of them (a bus's stops all served from its base, each
/// stop by one bus, capacity units per bus), written here independently of
/// the decomposition, with integral assignments.
fn exact_whole(areas: &[&Area], buses: usize) -> u64 {
    let mut vars = variables!();
    let mut fleet = Expression::from(0.0);
    let mut objective = Expression::from(0.0);
    let mut constraints = Vec::new();
    for area in areas {
        let z: Vec<Variable> = area.bases.iter().map(|_| vars.add(variable().binary())).collect();
        let w: Vec<Vec<(usize, u8, Variable)>> = area
            .stops
            .iter()
            .map(|s| {
                s.bases
                    .iter()
                    .map(|&(b, u)| (b, u, vars.add(variable().binary())))
                    .collect()
            })
            .collect();
        let x: Vec<Variable> = area
            .demands
            .iter()
            .map(|_| vars.add(variable().min(0).max(1)))
            .collect();
        for zb in &z {
            fleet += *zb;
        }
        for row in &w {
            constraints.push(constraint!(row.iter().map(|t| t.2).sum::<Expression>() <= 1));
        }
        for (b, zb) in z.iter().enumerate() {
            let load: Expression = w
                .iter()
                .flatten()
                .filter(|t| t.0 == b)
                .map(|t| f64::from(t.1) * t.2)
                .sum();
            constraints.push(constraint!(load <= area.capacity as f64 * *zb));
        }
        for (d, xd) in x.iter().enumerate() {
            let serving: Expression = area
                .stops
                .iter()
                .zip(&w)
                .filter(|(s, _)| s.covers.contains(&d))
                .flat_map(|(_, row)| row.iter().map(|t| t.2))
                .sum();
            constraints.push(constraint!(*xd <= serving));
            objective += area.demands[d].population as f64 * *xd;
        }
    }
    let mut model = vars.maximise(objective.clone()).using(microlp);
    model = model.with(constraint!(fleet <= buses as f64));
    for c in constraints {
        model = model.with(c);
    }
    let solution = model.solve().unwrap();
    solution.eval(&objective).round() as u64
}

#[test]
fn the_decomposition_agrees_with_an_exact_milp_of_the_whole_region() {
    // Territoire de Belfort and Guadeloupe: small enough for an exact
    // MILP of both at once, for every fleet size up to saturation.
    let Some(result) = run(&["dep:90", "dep:971"], Goal::Buses(4)) else {
        return;
    };
    let areas: Vec<&Area> = result.areas.iter().map(|a| &a.area).collect();
    assert_eq!(areas.len(), 2);
    assert!(
        areas.iter().all(|a| !a.demands.is_empty()),
        "both areas have communes beyond reach"
    );
    for (n, split) in result.splits.iter().enumerate().take(5) {
        let exact = exact_whole(&areas, n);
        assert!(
            split.covered <= exact,
            "{n} buses: {} found > {exact} optimal",
            split.covered
        );
        assert!(
            exact <= split.bound,
            "{n} buses: bound {} below the optimum {exact}",
            split.bound
        );
        let proven = result.areas.iter().zip(&split.buses).all(|(a, &k)| a.at(k).optimal);
        if proven {
            assert_eq!(
                split.covered, exact,
                "{n} buses: proven optimal yet below the exact MILP"
            );
        }
    }
}

/// Tiny random areas: every fleet enumerated, against the greedy, the
/// local search, the Lagrangian bound and the branch and bound.
#[test]
fn on_tiny_areas_the_bounds_hold_and_branch_and_bound_finds_the_optimum() {
    let mut seed = 7u64;
    let mut informative = 0;
    let mut next = move |k: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % k
    };
    for case in 0..40 {
        let (demands, stops, bases) = (3 + next(5) as usize, 3 + next(4) as usize, 2 + next(2) as usize);
        let area = Area {
            code: format!("case {case}"),
            demands: (0..demands)
                .map(|d| Demand {
                    communes: vec![d],
                    population: 1 + next(500),
                })
                .collect(),
            stops: (0..stops)
                .map(|s| Candidate {
                    commune: s,
                    covers: (0..demands).filter(|_| next(3) == 0).collect(),
                    bases: (0..bases)
                        .map(|b| (b, next(3) > 0))
                        .collect::<Vec<_>>()
                        .into_iter()
                        .filter(|&(_, kept)| kept)
                        .map(|(b, _)| (b, 1 + next(2) as u8))
                        .collect(),
                })
                .collect(),
            bases: (0..bases).collect(),
            capacity: 1 + next(3) as usize,
        };
        let greedy = area.greedy(bases);
        for n in 1..=2usize.min(bases) {
            let best = brute_force(&area, n);
            let start = area.improve(&greedy[n.min(greedy.len() - 1)]);
            assert!(start.covered <= best, "case {case}, {n} buses");
            let lagrangian = tournee::national::bound::lagrangian(&area, n, start.covered);
            assert!(
                lagrangian >= best,
                "case {case}, {n} buses: Lagrangian {lagrangian} < optimum {best}"
            );
            informative += usize::from(best > 0);
            let solved = area.solve(n, &start, 10_000).unwrap();
            assert_eq!(solved.fleet.covered, best, "case {case}, {n} buses");
            assert!(solved.bound >= best);
            assert_eq!(
                solved.fleet.covered,
                area.covered(solved.fleet.buses.iter().flat_map(|b| b.stops.clone()))
            );
            for bus in &solved.fleet.buses {
                let units: usize = bus
                    .stops
                    .iter()
                    .map(|&s| {
                        usize::from(
                            area.stops[s]
                                .bases
                                .iter()
                                .find(|t| t.0 == bus.base)
                                .expect("within reach")
                                .1,
                        )
                    })
                    .sum();
                assert!(units <= area.capacity, "case {case}: a bus over its capacity");
            }
        }
    }
    assert!(informative >= 40, "most cases cover someone: {informative}");
}

/// The most any `n` buses cover: every choice of bases, every assignment.
fn brute_force(area: &Area, n: usize) -> u64 {
    fn assign(area: &Area, bases: &[usize], s: usize, load: &mut Vec<usize>, chosen: &mut Vec<usize>) -> u64 {
        if s == area.stops.len() {
            return area.covered(chosen.iter().copied());
        }
        let mut best = assign(area, bases, s + 1, load, chosen);
        for (k, &b) in bases.iter().enumerate() {
            let fits = area.stops[s].bases.iter().find(|t| t.0 == b);
            if let Some(&(_, u)) = fits.filter(|t| load[k] + usize::from(t.1) <= area.capacity) {
                load[k] += usize::from(u);
                chosen.push(s);
                best = best.max(assign(area, bases, s + 1, load, chosen));
                chosen.pop();
                load[k] -= usize::from(u);
            }
        }
        best
    }
    let all: Vec<usize> = (0..area.bases.len()).collect();
    let mut best = 0;
    for mask in 0u32..(1 << all.len()) {
        if mask.count_ones() as usize == n {
            let bases: Vec<usize> = all.iter().copied().filter(|b| mask & (1 << b) != 0).collect();
            best = best.max(assign(area, &bases, 0, &mut vec![0; n], &mut Vec::new()));
        }
    }
    best
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Minutes between two points as the documented straight-line model
/// prices them: great-circle distance × 1.48 at 39 km/h.
fn straight_minutes(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    let km = 2.0 * 6_371.008_8 * h.sqrt().asin();
    km * 1.48 / 39.0 * 60.0
}

/// `tournee national` on these files, with `extra` options.
fn national_with(table: &Path, sites: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "national",
        "--communes",
        table.to_str().unwrap(),
        "--sites",
        sites.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tournee(&args)
}

/// A successful run on the shared national table and sites.
fn national_cli(out: &Path, extra: &[&str]) -> Option<Output> {
    let (table, sites) = (shared(COMMUNES)?, shared(SITES)?);
    let output = national_with(&table, &sites, out, &[&["--iterations", "1500"], extra].concat());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(output)
}

#[test]
fn the_share_within_reach_is_what_a_nearest_stop_search_finds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n");
    if national_cli(&out, &["--region", "46,12", "--buses", "3"]).is_none() {
        return;
    }
    let communes = read_csv(&shared(COMMUNES).unwrap());
    let sites: Vec<(f64, f64)> = read_csv(&shared(SITES).unwrap())
        .iter()
        .filter(|s| !matches!(s["format_fs"].as_str(), "Itinérante" | "Bus_équivalent"))
        .map(|s| (s["latitude"].parse().unwrap(), s["longitude"].parse().unwrap()))
        .collect();
    let stops = read_csv(&out.join("stops.csv"));
    assert!(!stops.is_empty());
    let stop_at: Vec<(String, (f64, f64))> = stops
        .iter()
        .map(|s| {
            let dep = communes.iter().find(|c| c["insee"] == s["insee"]).unwrap()["departement"].clone();
            (dep, (s["lat"].parse().unwrap(), s["lon"].parse().unwrap()))
        })
        .collect();
    let (mut total, mut within, mut within_any) = (0u64, 0u64, 0u64);
    for c in communes
        .iter()
        .filter(|c| (c["departement"] == "46" || c["departement"] == "12") && !c["lat"].is_empty())
    {
        let at = (c["lat"].parse().unwrap(), c["lon"].parse().unwrap());
        let population: u64 = c["population"].parse().unwrap();
        let fixed = sites
            .iter()
            .map(|s| straight_minutes(at, *s))
            .fold(f64::INFINITY, f64::min);
        let near = |same_dep: bool| {
            stop_at
                .iter()
                .filter(|(dep, _)| !same_dep || *dep == c["departement"])
                .map(|(_, s)| straight_minutes(at, *s))
                .fold(f64::INFINITY, f64::min)
        };
        total += population;
        // The model lets a département's buses serve its own communes.
        within += population * u64::from(fixed.min(near(true)) <= 20.0);
        within_any += population * u64::from(fixed.min(near(false)) <= 20.0);
    }
    let summary = json(&out.join("national.json"));
    assert_eq!(summary["population"].as_u64().unwrap(), total);
    let reported = summary["share_within_after"].as_f64().unwrap();
    assert!(
        (reported - within as f64 / total as f64).abs() < 1e-5,
        "{reported} vs {within}/{total}"
    );
    assert!(within_any >= within);
}

#[test]
fn every_bus_plan_passes_the_checker_and_the_curve_never_falls() {
    let Some(result) = run(&["region:76"], Goal::Share(0.99)) else {
        return;
    };
    let scenario = Scenario {
        solver: tournee::input::scenario::SolverSettings {
            seed: 1,
            iterations: 1_500,
        },
        ..Scenario::default()
    };
    let tours = national::tours::plan_all(&result, &scenario, None, &()).unwrap();
    assert!(tours.len() >= 2, "Occitanie needs buses for 99 %");
    assert!(result.share(result.split()) >= 0.99);
    let dir = tempfile::tempdir().unwrap();
    let run = tournee::output::RunInfo {
        seed: Some(1),
        iterations: Some(1_500),
        moved: None,
    };
    let files = tournee::output::national::files(&result, &tours, &scenario, run).unwrap();
    tournee::output::folder::write_folder(dir.path(), files, tournee::output::folder::Existing::Refuse).unwrap();
    for tour in &tours {
        let path = dir.path().join("buses").join(&tour.id).join("plan.csv");
        let read_back = tournee::pipeline::saved_plan(&tour.instance, &path).unwrap();
        assert_eq!(
            read_back.communes_served(&tour.instance.territory),
            tour.stops.len(),
            "bus {}",
            tour.id
        );
    }
    let curve = json(&dir.path().join("national.json"))["curve"]
        .as_array()
        .unwrap()
        .clone();
    for pair in curve.windows(2) {
        assert!(pair[0]["share_within"].as_f64() <= pair[1]["share_within"].as_f64());
        assert!(pair[0]["bound_share_within"].as_f64() <= pair[1]["bound_share_within"].as_f64());
    }
    for point in &curve {
        assert!(point["share_within"].as_f64() <= point["bound_share_within"].as_f64());
    }
    // One fewer bus falls short of the target: the answer is the fewest.
    let fewer = &result.splits[result.chosen - 1];
    assert!(result.share(fewer) < 0.99);
}

#[test]
fn a_departement_gets_the_same_figures_alone_as_inside_a_region() {
    let dir = tempfile::tempdir().unwrap();
    let region = dir.path().join("region");
    if national_cli(&region, &["--region", "46,12,82", "--buses", "4"]).is_none() {
        return;
    }
    let rows = read_csv(&region.join("by_departement.csv"));
    assert_eq!(rows.len(), 3);
    // The same inputs give the same answer, byte for byte.
    let again = dir.path().join("again");
    national_cli(&again, &["--region", "46,12,82", "--buses", "4"]).unwrap();
    for file in [
        "national.json",
        "buses.csv",
        "stops.csv",
        "communes.csv",
        "national.geojson",
    ] {
        let (a, b) = (
            std::fs::read(region.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
        );
        assert!(a == b, "{file} differs between two runs");
    }
    assert!(rows.iter().any(|r| r["buses"] != "0"));
    for row in &rows {
        let alone: PathBuf = dir.path().join(&row["departement"]);
        let code = format!("dep:{}", row["departement"]);
        national_cli(&alone, &["--region", &code, "--buses", &row["buses"]]).unwrap();
        let own = read_csv(&alone.join("by_departement.csv"));
        assert_eq!(&own[0], row, "département {}", row["departement"]);
    }
}

#[test]
fn bad_requests_are_refused_with_their_reason() {
    let (Some(table), Some(sites)) = (shared(COMMUNES), shared(SITES)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n");
    let run = |extra: &[&str]| {
        let o = national_with(&table, &sites, &out, extra);
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, err) = run(&["--region", "24", "--buses", "1"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("both a région and a département") && err.contains("dep:24"),
        "{err}"
    );
    let (code, err) = run(&["--region", "999", "--buses", "1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`999`"), "{err}");
    let (code, err) = run(&["--region", "46", "--visits", "3", "--buses", "1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--visits") && err.contains("1, 2, 4"), "{err}");
    let (code, err) = run(&["--region", "46", "--target-share", "1.5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--target-share"), "{err}");
    // Buses that may drive 20 minutes a day reach stops 10 minutes from
    // their base: most of the Lot stays out of reach.
    let short = dir.path().join("short.toml");
    std::fs::write(&short, "max_drive_minutes = 20\n").unwrap();
    let short = short.to_str().unwrap();
    let (code, err) = run(&["--region", "46", "--scenario", short, "--target-share", "0.99"]);
    assert_eq!(code, Some(3));
    assert!(
        err.contains("out of reach") && err.contains("inhabitants") && err.contains("within 10 min"),
        "{err}"
    );
    assert!(!out.exists(), "no output folder for a refused request");
    let broken = dir.path().join("communes.csv");
    std::fs::write(
        &broken,
        "insee,name,departement,region,epci_siren,population,lat,lon\n46001,A,46,76,200,12,44.5,1.5\n46002,B,46,76,200,douze,44.6,1.6\n",
    )
    .unwrap();
    let o = national_with(&broken, &sites, &out, &["--buses", "1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("communes.csv") && err.contains("line 3") && err.contains("population"),
        "{err}"
    );
}

#[test]
fn road_times_are_used_where_the_extract_covers_the_communes() {
    let Some(osm) = shared("data/corsica_matsim_roads.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corse");
    let args = ["--region", "region:94", "--buses", "2", "--osm", osm.to_str().unwrap()];
    if national_cli(&out, &args).is_none() {
        return;
    }
    let summary = json(&out.join("national.json"));
    assert_eq!(summary["travel_models"]["road"], 360);
    assert!(summary["travel"].as_str().unwrap().contains("road times"));
    let buses = read_csv(&out.join("buses.csv"));
    assert!(!buses.is_empty());
    assert!(buses.iter().all(|b| b["travel_model"] == "road"));
    let summary_of_bus = json(&out.join("buses").join(&buses[0]["bus"]).join("summary.json"));
    assert_eq!(
        summary_of_bus["travel"]["estimate"], false,
        "the bus tour is planned on road times"
    );
    // With a département the extract does not cover, each commune takes
    // the model its place allows, and the outputs say which.
    let mixed = dir.path().join("mixed");
    let args = [
        "--region",
        "region:94,dep:06",
        "--buses",
        "4",
        "--osm",
        osm.to_str().unwrap(),
    ];
    national_cli(&mixed, &args).unwrap();
    let summary = json(&mixed.join("national.json"));
    let communes = read_csv(&mixed.join("communes.csv"));
    let alpes = communes.iter().filter(|c| c["departement"] == "06").count();
    assert!(alpes > 100);
    assert_eq!(summary["travel_models"]["road"], 360);
    assert_eq!(
        summary["travel_models"]["straight_line"].as_u64().unwrap() as usize,
        alpes
    );
    assert!(
        communes
            .iter()
            .all(|c| (c["departement"] == "06") == (c["travel_model"] == "straight_line"))
    );
    let buses = read_csv(&mixed.join("buses.csv"));
    assert!(
        buses
            .iter()
            .all(|b| (b["departement"] == "06") == (b["travel_model"] == "straight_line"))
    );
}

#[test]
fn the_benchmark_compares_branch_and_bound_with_the_heuristic_alone() {
    let (Some(table), Some(sites)) = (shared(COMMUNES), shared(SITES)) else {
        return;
    };
    let o = tournee(&[
        "bench",
        "national",
        "--communes",
        table.to_str().unwrap(),
        "--sites",
        sites.to_str().unwrap(),
        "--region",
        "dep:46,dep:12",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_name = |name: &str| lines.iter().find(|l| l["name"] == name).unwrap().clone();
    let (heuristic, exact) = (by_name("national/heuristic"), by_name("national/branch_and_bound"));
    // Branch and bound starts from the heuristic's fleets: it never needs
    // more buses for the target, and its bound is never looser.
    assert!(exact["buses"].as_u64() <= heuristic["buses"].as_u64());
    assert!(exact["bound_share_within"].as_f64() <= heuristic["bound_share_within"].as_f64());
    assert!(exact["share_within"].as_f64().unwrap() >= 0.99);
    let ratio = by_name("national/ratio/seconds")["value"].as_f64().unwrap();
    assert!(ratio.is_finite() && ratio > 0.0);
}
