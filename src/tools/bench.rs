//! `tournee bench`: machine-readable speed figures, measured side by side
//! with a peer in the same run, since these machines are shared and noisy
//! and only ratios are comparable across runs.

use crate::error::{Error, Location, Result};
use crate::input::territory::LatLon;
use crate::output::folder::Existing;
use road::{self, CarProfile, Network, RoadMatrix, Timings};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Peak resident memory of this process so far, MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    road::peak_rss_bytes().map(|b| b as f64 / 1_048_576.0)
}

/// Peak resident memory of the largest child process waited for, MB.
fn children_peak_rss_mb() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0.0, |usage| usage.max_rss() as f64 / 1024.0)
}

/// The budget of a benchmark run: `--time-limit` seconds (positive, finite,
/// at most a day), and at most `--iterations` (positive) when given.
pub fn pvrp_budget(seconds: f64, iterations: Option<u64>) -> Result<pvrp::Budget> {
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(Error::input(
            crate::error::Location::default().field("--time-limit"),
            format!("{seconds}: expected seconds between 0 and 86,400"),
        ));
    }
    crate::input::scenario::refuse_zero_iterations(iterations)?;
    let time = std::time::Duration::from_secs_f64(seconds);
    match iterations {
        Some(iterations) => Ok(pvrp::Budget::First { iterations, time }),
        None => Ok(pvrp::Budget::Time(time)),
    }
}

/// Runs the OSRM peer script if given, then our matrix pipeline (PBF →
/// matrix on disk, no cache), then the matrix alone (best of 5); returns
/// one JSON value per line to print. The peer runs first: a child process
/// inherits its parent's memory high-water mark on Linux, so spawning it
/// after our network is loaded would report our peak as the peer's.
pub fn matrix(osm: &Path, points: &[LatLon], peer_script: Option<&Path>) -> Result<Vec<Value>> {
    let n = points.len();
    let profile = CarProfile::default();
    let dir = tempfile::tempdir().map_err(|e| Error::internal(format!("temporary folder: {e}")))?;
    let peer = match peer_script {
        Some(script) => Some(run_peer(script, osm, points, dir.path())?),
        None => None,
    };
    let start = Instant::now();
    let mut timings = Timings::default();
    let (m, network) = road::matrix(osm, &profile, points, &(), &road::Settings::default(), &mut timings)?;
    let ours_csv = dir.path().join("ours.csv");
    crate::output::folder::write_atomic(&ours_csv, &crate::output::csv::matrix_csv(n, 1, |i, j| m.seconds(i, j)))?;
    let end_to_end = start.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    let network =
        network.ok_or_else(|| Error::internal("the benchmark bypasses the cache, so it loads the network"))?;
    let table = best_table_time(&network, &profile, points);
    let mut lines = vec![
        json!({"name": "matrix/tournee/end_to_end", "n": n, "seconds": end_to_end, "peak_rss_mb": peak,
               "load_s": timings.load_s, "preprocess_s": timings.preprocess_s, "snap_s": timings.snap_s,
               "road_nodes": network.graph.node_count(),
               "bytes_per_node": peak.map(|mb| (mb * 1_048_576.0 / network.graph.node_count().max(1) as f64).round())}),
        json!({"name": "matrix/tournee/table", "n": n, "seconds": table, "best_of": 5}),
    ];
    if let Some(peer) = peer {
        lines.extend(peer_lines(&peer, &m, end_to_end, table));
    }
    Ok(lines)
}

/// The many-to-many query alone, graph loaded and points snapped.
fn best_table_time(network: &Network, profile: &CarProfile, points: &[LatLon]) -> f64 {
    let snaps = road::snap_points(&network.graph, points, profile).snaps;
    (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(network.hierarchy.matrix(&network.graph, &snaps, &snaps));
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// What the peer script reported: its timings, its peak memory and its
/// matrix as CSV text.
struct PeerRun {
    timings: Value,
    peak_rss_mb: f64,
    csv: String,
}

fn run_peer(script: &Path, osm: &Path, points: &[LatLon], dir: &Path) -> Result<PeerRun> {
    let pts = dir.join("points.txt");
    let text: String = points.iter().map(|p| format!("{},{}\n", p.lon, p.lat)).collect();
    std::fs::write(&pts, text).map_err(|e| Error::io(&pts, e, crate::ErrorKind::Internal))?;
    let out_csv = dir.join("osrm.csv");
    let output = Command::new(script)
        .arg("table")
        .arg(osm)
        .arg(&pts)
        .arg(&out_csv)
        .output()
        .map_err(|e| Error::input(Location::file(script), format!("cannot run the peer: {e}")))?;
    if !output.status.success() {
        return Err(Error::internal(format!(
            "peer {} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let timings: Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| Error::internal(format!("peer printed no JSON timings: {stdout}")))?;
    Ok(PeerRun {
        timings,
        peak_rss_mb: children_peak_rss_mb(),
        csv: std::fs::read_to_string(&out_csv).unwrap_or_default(),
    })
}

/// The peer's lines, the ratios against ours and the agreement.
fn peer_lines(peer: &PeerRun, ours: &RoadMatrix, end_to_end: f64, table: f64) -> Vec<Value> {
    let f = |k: &str| peer.timings[k].as_f64().unwrap_or(f64::NAN);
    let osrm_total = f("extract_s") + f("contract_s") + f("table_s");
    vec![
        json!({"name": "matrix/osrm/end_to_end", "n": ours.n, "seconds": osrm_total, "peak_rss_mb": peer.peak_rss_mb,
               "extract_s": f("extract_s"), "contract_s": f("contract_s")}),
        json!({"name": "matrix/osrm/table", "n": ours.n, "seconds": f("table_s"), "best_of": 5}),
        json!({"name": "matrix/ratio/end_to_end", "n": ours.n, "value": end_to_end / osrm_total}),
        json!({"name": "matrix/ratio/table", "n": ours.n, "value": table / f("table_s")}),
        json!({"name": "matrix/ratio/peak_rss", "n": ours.n, "value": peak_rss_mb().unwrap_or(f64::NAN) / peer.peak_rss_mb}),
        agreement(ours, &peer.csv),
    ]
}

/// Median |ours/peer − 1|, share within ±10 % and ±25 %, and the share of
/// pairs reachable in one matrix only.
fn agreement(ours: &RoadMatrix, peer_csv: &str) -> Value {
    let peer: Vec<Vec<Option<f64>>> = peer_csv
        .lines()
        .map(|l| l.split(',').map(|c| c.trim().parse().ok()).collect())
        .collect();
    let mut deviations = Vec::new();
    let mut mismatched = 0usize;
    for i in 0..ours.n {
        for j in (0..ours.n).filter(|&j| j != i) {
            let theirs = peer.get(i).and_then(|r| r.get(j)).copied().flatten();
            match (ours.seconds(i, j), theirs) {
                (Some(a), Some(b)) if b > 0.0 => deviations.push((a / b - 1.0).abs()),
                (Some(_), None) | (None, Some(_)) => mismatched += 1,
                _ => {}
            }
        }
    }
    deviations.sort_by(f64::total_cmp);
    let share = |limit: f64| deviations.iter().filter(|d| **d <= limit).count() as f64 / deviations.len().max(1) as f64;
    let pairs = (ours.n * ours.n.saturating_sub(1)).max(1);
    json!({
        "name": "matrix/agreement/osrm",
        "n": ours.n,
        "median_abs_dev": deviations.get(deviations.len() / 2),
        "p90_abs_dev": deviations.get(deviations.len() * 9 / 10),
        "within_10pct": share(0.10),
        "within_25pct": share(0.25),
        "unreachable_mismatch_share": mismatched as f64 / pairs as f64,
    })
}

/// Runs the peer on one instance and compares its cost with ours.
fn pvrp_peer(script: &Path, instance: &Path, seconds: f64, res: &Path, ours: f64, bks: Option<f64>) -> Result<Value> {
    let output = Command::new(script)
        .arg(instance)
        .arg(seconds.to_string())
        .arg(res)
        .output()
        .map_err(|e| Error::input(Location::file(script), format!("cannot run the peer: {e}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line: Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| {
            Error::internal(format!(
                "peer {} printed no JSON: {}",
                script.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        })?;
    let cost = line["cost"].as_f64();
    Ok(json!({
        "name": "pvrp/peer",
        "peer": script.file_stem().map(|s| s.to_string_lossy().into_owned()),
        "instance": line["instance"],
        "cost": cost,
        "gap_pct": cost.zip(bks).map(|(c, b)| ((c / b - 1.0) * 1e4).round() / 100.0),
        "ours": (ours * 100.0).round() / 100.0,
        "ours_better": cost.is_none_or(|c| ours < c - 1e-6),
        "seconds": line["seconds"],
    }))
}

/// Best-known values from a `instance,bks,…` CSV (`../shared/pvrp/bks.csv`).
pub fn read_bks(path: &Path) -> Result<std::collections::HashMap<String, f64>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::input(Location::file(path), e.to_string()))?;
    let mut out = std::collections::HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::input(Location::file(path), e.to_string()))?;
        let bks = record.get(1).and_then(|v| v.parse().ok()).ok_or_else(|| {
            Error::input(
                Location::file(path).line(i as u64 + 2).field("bks"),
                "expected a number",
            )
        })?;
        out.insert(record.get(0).unwrap_or_default().to_string(), bks);
    }
    Ok(out)
}

/// Solves every Cordeau instance (`*.txt`) in `dir`, writes `OUT/<name>.res`
/// and reports one JSON line per instance; with a `peer` script (called as
/// `peer INSTANCE SECONDS OUT.res`, printing `{"cost": …}`), runs it with
/// the same time limit right after, and reports its cost and ours side by
/// side.
pub fn pvrp(
    dir: &Path,
    out: (&Path, Existing),
    bks: &std::collections::HashMap<String, f64>,
    options: pvrp::Options,
    peer: Option<&Path>,
    mut report: impl FnMut(Value) -> Result<()>,
) -> Result<()> {
    let (out, existing) = out;
    // Refused before hours of solving, not after; written at the end,
    // under the same policy as every other output folder.
    crate::output::folder::check_folder(out, existing)?;
    let scratch = tempfile::tempdir().map_err(|e| Error::internal(format!("a scratch folder: {e}")))?;
    let mut outputs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e, crate::ErrorKind::Input))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for file in files {
        let problem = pvrp::formats::read(&file)?;
        let start = Instant::now();
        let outcome = pvrp::solve(&problem, options, &|_| {})
            .map_err(|e| Error::input(crate::error::Location::file(&file), e.to_string()))?;
        let seconds = start.elapsed().as_secs_f64();
        let res = format!("{}.res", problem.name);
        outputs.push((res, pvrp::formats::write_res(&problem, &outcome.solution).into_bytes()));
        let best = bks.get(&problem.name).copied();
        if let Some(script) = peer {
            let seconds = options.stop.time().map_or(60.0, |t| t.as_secs_f64());
            let peer_res = format!("{}.peer.res", problem.name);
            let scratch_res = scratch.path().join(&peer_res);
            report(pvrp_peer(script, &file, seconds, &scratch_res, outcome.cost, best)?)?;
            if let Ok(bytes) = std::fs::read(&scratch_res) {
                outputs.push((peer_res, bytes));
            }
        }
        report(json!({
            "name": format!("pvrp/{}", problem.name),
            "n": problem.customers.len(),
            "instance": problem.name,
            "cost": (outcome.cost * 100.0).round() / 100.0,
            "bks": best,
            "gap_pct": best.map(|b| ((outcome.cost / b - 1.0) * 1e4).round() / 100.0),
            "seconds": seconds,
            "feasible": outcome.feasible && pvrp::check(&problem, &outcome.solution).is_empty(),
            "iterations": outcome.iterations,
            "seconds_to_1pct": best.and_then(|b| seconds_to(&outcome.improvements, b * 1.01)),
            "peak_rss_mb": peak_rss_mb(),
        }))?;
    }
    crate::output::folder::write_folder(out, outputs, existing)?;
    Ok(())
}

/// When the search first held a feasible solution costing at most
/// `target` (seconds from its start), if it did.
fn seconds_to(improvements: &[(f64, f64)], target: f64) -> Option<f64> {
    improvements
        .iter()
        .find(|(_, cost)| *cost <= target + 1e-9)
        .map(|(t, _)| (t * 1000.0).round() / 1000.0)
}

/// A territory and scenario to plan in a benchmark.
pub struct PlanCase {
    pub name: String,
    pub territory: crate::input::territory::Territory,
    pub scenario: crate::input::scenario::Scenario,
}

/// The built-in territories.
pub fn builtin_cases() -> Result<Vec<PlanCase>> {
    crate::pipeline::BUILTINS
        .iter()
        .map(|builtin| {
            let (territory, scenario) = builtin.load()?;
            let name = builtin
                .scenario_file
                .trim_start_matches("data/")
                .trim_end_matches(".toml");
            Ok(PlanCase {
                name: format!("plan/{name}"),
                territory,
                scenario,
            })
        })
        .collect()
}

/// Synthetic territories of each size (seed 1) with each number of buses,
/// read back through the same parsers as a user's files.
pub fn synthetic_cases(sizes: &[usize], buses: &[usize]) -> Result<Vec<PlanCase>> {
    let mut cases = Vec::new();
    for &communes in sizes {
        let options = crate::tools::synth::SynthOptions {
            seed: 1,
            communes,
            road_nodes: 1_000,
            buses: 1,
        };
        for &b in buses {
            crate::tools::synth::validate(&crate::tools::synth::SynthOptions { buses: b, ..options })?;
        }
        let synthetic = crate::tools::synth::generate(options);
        let csv = String::from_utf8(crate::tools::synth::communes_csv(&synthetic)?)
            .map_err(|e| Error::internal(format!("synthetic table: {e}")))?;
        let territory = crate::input::territory::Territory::parse(&csv, Path::new("synthetic.csv"))?;
        for &b in buses {
            let toml = crate::tools::synth::scenario_toml(&synthetic, b);
            let mut scenario = crate::input::scenario::Scenario::parse(&toml, Path::new("synthetic.toml"))?;
            scenario.osm = None;
            cases.push(PlanCase {
                name: format!("plan/synthetic-{communes}-communes-{b}-buses"),
                territory: territory.clone(),
                scenario,
            });
        }
    }
    Ok(cases)
}

/// Plans each case `repeat` times (seeds 1…`repeat`) with straight-line
/// times and reports one JSON line per case: best time, best and mean cost
/// (drive seconds plus soft penalties, as `exact::objective` prices it)
/// and the mean's standard error, so that two builds' means are compared
/// against their noise: a plan's cost varies with its seed by 0.2–0.4 %
/// (one standard deviation on Comminges and the synthetic 600 communes,
/// 6 buses), so two means of forty seeds differ by up to 0.1 % on noise
/// alone.
/// With `with_bound`, also the LP bound `plan --exact` uses and the best cost's
/// `gap_pct` above it (null where short stops share a session, which the
/// LPs do not model); else both are null.
pub fn plan(
    cases: Vec<PlanCase>,
    iterations: Option<u64>,
    repeat: u64,
    with_bound: bool,
    mut report: impl FnMut(Value) -> Result<()>,
) -> Result<()> {
    for case in cases {
        let scenario = case.scenario;
        let instance = crate::schedule::model::Instance::straight_line(case.territory, &scenario)?;
        let mut fastest = f64::INFINITY;
        let mut costs = Vec::new();
        for seed in 1..=repeat.max(1) {
            let options = scenario.solver.overridden(Some(seed), iterations)?;
            let start = Instant::now();
            let plan = crate::schedule::solve_checked(&instance, options, &())?;
            let seconds = start.elapsed().as_secs_f64();
            let cost = crate::schedule::exact::objective(&instance, &plan);
            fastest = fastest.min(seconds);
            costs.push(cost);
        }
        let best = costs.iter().copied().fold(f64::INFINITY, f64::min);
        let bound = if with_bound {
            crate::pipeline::bounds(&instance)?.map(|b| b.best())
        } else {
            None
        };
        report(json!({
            "name": case.name,
            "n": instance.territory.communes.len(),
            "buses": instance.buses.len(),
            "visits": instance.needs.iter().map(|d| u32::from(d.visits)).sum::<u32>(),
            "seconds": fastest,
            "peak_rss_mb": peak_rss_mb(),
            "cost": best.round(),
            "mean_cost": mean(&costs).round(),
            "cost_se": standard_error(&costs).map(|se| (se * 10.0).round() / 10.0),
            "bound": bound.map(f64::round),
            "gap_pct": bound.map(|b| crate::pipeline::percent_above(best, b)),
            "runs": repeat.max(1),
        }))?;
    }
    Ok(())
}

/// Every tour of a corpus folder (`data/published/`: one folder per bus
/// with `scenario.toml`, its commune table and `published.csv`), in name
/// order: whether the published tour keeps the scenario's rules, then
/// tournee's plan of the same communes under the same rules (seed 1,
/// straight-line times), with the km and bus days of each per cycle and
/// the solve time; or the refusal, word for word.
pub fn published(corpus: &Path, mut report: impl FnMut(Value) -> Result<()>) -> Result<()> {
    let mut tours: Vec<std::path::PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| Error::io(corpus, e, crate::ErrorKind::Input))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("scenario.toml").is_file() && path.join("published.csv").is_file())
        .collect();
    tours.sort();
    if tours.is_empty() {
        return Err(Error::input(
            crate::error::Location::file(corpus),
            "no tour: expected folders holding scenario.toml and published.csv",
        ));
    }
    for tour in tours {
        report(published_tour(&tour)?)?;
    }
    Ok(())
}

/// One line of [`published`].
fn published_tour(tour: &Path) -> Result<Value> {
    use crate::schedule::build::Purpose;
    let name = tour
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let (territory, scenario) = crate::pipeline::load_inputs(None, Some(&tour.join("scenario.toml")))?;
    let communes = territory
        .communes
        .iter()
        .enumerate()
        .filter(|(c, _)| !territory.is_extra_slot(*c))
        .count();
    let checking = crate::schedule::model::Instance::straight_line_for(territory.clone(), &scenario, Purpose::Check)?;
    let (published, _) = crate::pipeline::read_plan(&checking, &tour.join("published.csv"))?;
    let broken = crate::schedule::check::check(&checking, &published);
    let (_, before) = published.totals(&checking);
    let start = Instant::now();
    let planned = crate::schedule::model::Instance::straight_line(territory, &scenario).and_then(|instance| {
        let options = scenario.solver.overridden(Some(1), None)?;
        crate::schedule::solve_checked(&instance, options, &()).map(|plan| plan.totals(&instance).1)
    });
    let seconds = start.elapsed().as_secs_f64();
    let km = |t: &crate::schedule::plan::Totals| (t.drive_metres / 100.0).round() / 10.0;
    let (after, refusal) = match planned {
        Ok(totals) => (Some(totals), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(json!({
        "name": format!("published/{name}"),
        "n": communes,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "cost": after.as_ref().map(|t| t.drive_seconds.round()),
        "published_check": if broken.is_empty() { "holds every rule".to_string() } else { broken.join("; ") },
        "planned": refusal.is_none(),
        "refusal": refusal,
        "published_km": km(&before),
        "tournee_km": after.as_ref().map(km),
        "km_ratio": after.as_ref().map(|t| (t.drive_metres / before.drive_metres.max(1.0) * 1000.0).round() / 1000.0),
        "published_bus_days": before.days,
        "tournee_bus_days": after.as_ref().map(|t| t.days),
    }))
}

/// The mean of `xs`, 0 for none.
fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

/// The standard error of `xs`'s mean (sample deviation over √n); none
/// under two values.
fn standard_error(xs: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let m = mean(xs);
    (xs.len() > 1).then(|| (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt())
}

/// The fields every benchmark line carries, null where they do not apply,
/// so that a CI job can read all lines alike.
pub const LINE_FIELDS: [&str; 6] = ["name", "n", "seconds", "peak_rss_mb", "cost", "gap_pct"];

/// `line` with every field of [`LINE_FIELDS`] present.
pub fn with_schema(mut line: Value) -> Value {
    if let Value::Object(map) = &mut line {
        for field in LINE_FIELDS {
            map.entry(field).or_insert(Value::Null);
        }
    }
    line
}

/// The national covering model on `settings` (no tours), against its own
/// peer measured in the same run: the same model without branch and bound
/// (`nodes = 0`: greedy, local search, Lagrangian bound). Lines: each run's
/// seconds, buses, share, bound and gap, then the ratios.
pub fn national(
    table: &crate::input::communes::CommuneTable,
    sites: &[crate::input::sites::ServicePoint],
    settings: crate::national::Settings,
) -> Result<Vec<Value>> {
    let scenario = crate::input::scenario::Scenario::default();
    let run = |nodes: u64| -> Result<(f64, Value, f64)> {
        let start = Instant::now();
        let settings = crate::national::Settings {
            nodes,
            ..settings.clone()
        };
        let result = crate::national::run(table.clone(), sites, &scenario, settings, None, &())?;
        let seconds = start.elapsed().as_secs_f64();
        let split = result.split();
        let share = result.share(split);
        let bound_share = (result.within_before() + split.bound) as f64 / result.population().max(1) as f64;
        let name = if nodes == 0 {
            "national/heuristic"
        } else {
            "national/branch_and_bound"
        };
        let line = json!({
            "name": name, "n": result.selected.len(), "seconds": seconds, "peak_rss_mb": peak_rss_mb(),
            "buses": split.total(), "share_within": share, "bound_share_within": bound_share,
            "gap_pct": (bound_share - share) * 100.0,
            "proven_departements": result.chosen_fleets().filter(|(_, s)| s.optimal).count(),
            "nodes": nodes,
        });
        Ok((seconds, line, share))
    };
    let (peer_s, peer_line, peer_share) = run(0)?;
    let (ours_s, ours_line, ours_share) = run(settings.nodes)?;
    let n = ours_line["n"].clone();
    Ok(vec![
        peer_line,
        ours_line,
        json!({"name": "national/ratio/seconds", "n": n, "value": ours_s / peer_s}),
        json!({"name": "national/ratio/share_within", "n": n, "value": ours_share / peer_share, "higher_is_better": true}),
    ])
}
