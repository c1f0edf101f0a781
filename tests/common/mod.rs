//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `tournee` binary in `cwd` with its matrix cache inside `cwd`,
/// so that tests never share or pollute the user's cache.
pub fn tournee(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .current_dir(cwd)
        .env("TOURNEE_CACHE", cwd.join(".cache"))
        .output()
        .unwrap()
}

/// [`tournee`] from the repository root, where `data/` is.
pub fn tournee_at_root(args: &[&str]) -> Output {
    tournee(args, &root())
}

/// Bytes as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of `../shared`, or `None` (with a note) when it is absent on a
/// developer machine. Under `CI=true` a missing file fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the shared data file {} is missing", path.display());
    }
    eprintln!("skipping: {} is missing", path.display());
    None
}

/// The lowest `cost` over every placement of the instance's communes (one
/// visit each, bus 0) into distinct `slots`: brute force, for optimality
/// checks on tiny cases.
pub fn best_by_enumeration(
    instance: &tournee::schedule::model::Instance,
    slots: &[tournee::calendar::Slot],
    cost: &dyn Fn(&tournee::schedule::plan::Plan) -> f64,
) -> f64 {
    fn walk(
        n: usize,
        slots: &[tournee::calendar::Slot],
        chosen: &mut Vec<usize>,
        cost: &dyn Fn(&tournee::schedule::plan::Plan) -> f64,
        best: &mut f64,
    ) {
        if chosen.len() == n {
            let visits = chosen
                .iter()
                .enumerate()
                .map(|(c, &s)| tournee::schedule::plan::Visit {
                    bus: 0,
                    slot: slots[s],
                    commune: c,
                    time: None,
                })
                .collect();
            *best = best.min(cost(&tournee::schedule::plan::Plan::new(visits)));
            return;
        }
        for s in 0..slots.len() {
            if !chosen.contains(&s) {
                chosen.push(s);
                walk(n, slots, chosen, cost, best);
                chosen.pop();
            }
        }
    }
    let mut best = f64::INFINITY;
    walk(
        instance.territory.communes.len(),
        slots,
        &mut Vec::new(),
        cost,
        &mut best,
    );
    best
}

/// A built-in territory (`tournee::pipeline::BUILTINS[index]`) with
/// straight-line times, planned with `seed` and `iterations`.
pub fn builtin_plan(
    index: usize,
    seed: u64,
    iterations: u64,
) -> (tournee::schedule::model::Instance, tournee::schedule::plan::Plan) {
    let (territory, scenario) = tournee::pipeline::BUILTINS[index].load().unwrap();
    let instance = tournee::schedule::model::Instance::straight_line(territory, &scenario).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions { seed, iterations };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    (instance, plan)
}

/// `count` communes of Apt-Luberon from `skip`, with their own frequency
/// column (cycling through `visits`), one bus at Apt working `weekdays`
/// (a TOML list body such as `"Mon", "Thu"`).
pub fn apt_subset(skip: usize, count: usize, visits: &[u8], weekdays: &str) -> tournee::schedule::model::Instance {
    apt_subset_with(skip, count, visits, weekdays, "")
}

/// [`apt_subset`] with `bus` (TOML lines such as `range_km = 30\n`) added
/// to its bus.
pub fn apt_subset_with(
    skip: usize,
    count: usize,
    visits: &[u8],
    weekdays: &str,
    bus: &str,
) -> tournee::schedule::model::Instance {
    let (full, _) = tournee::pipeline::BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_month\n");
    for (i, c) in full.communes.iter().skip(skip).take(count).enumerate() {
        let f = visits[i % visits.len()];
        csv += &format!(
            "{},{},{},{},{},{f}\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let territory = tournee::input::territory::Territory::parse(&csv, std::path::Path::new("t.csv")).unwrap();
    let scenario = tournee::input::scenario::Scenario::parse(
        &format!("[[bus]]\ndepot = {{ lat = 43.88148, lon = 5.38138 }}\nweekdays = [{weekdays}]\n{bus}"),
        std::path::Path::new("s.toml"),
    )
    .unwrap();
    tournee::schedule::model::Instance::straight_line(territory, &scenario).unwrap()
}

/// The eight Monday half-day slots of the cycle.
pub fn monday_slots() -> Vec<tournee::calendar::Slot> {
    use tournee::calendar::{HalfDay, Slot};
    (1..=4)
        .flat_map(|week| {
            HalfDay::BOTH.map(|half| Slot {
                week,
                weekday: chrono::Weekday::Mon,
                half,
            })
        })
        .collect()
}

/// Every file under `dir` (hidden and temporary ones included), by
/// relative path.
pub fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The `count` communes of Apt-Luberon nearest Apt (Apt itself aside).
pub fn nearest_apt(count: usize) -> Vec<tournee::input::territory::Commune> {
    let (full, _) = tournee::pipeline::BUILTINS[0].load().unwrap();
    let apt = full.communes[0].centre;
    let mut near: Vec<_> = full.communes.into_iter().skip(1).collect();
    near.sort_by(|a, b| a.centre.metres_to(apt).total_cmp(&b.centre.metres_to(apt)));
    near.truncate(count);
    near
}

/// Whether a tool a test needs is installed (`found`): a note and `false`
/// when not, except under `CI=true`, where its absence fails the test
/// (`.ci/run` installs it).
pub fn installed(found: bool, what: &str) -> bool {
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {what} is not installed (.ci/run installs it)"
        );
        eprintln!("skipping: {what} is not installed");
    }
    found
}

/// Whether Python can import `module` ([`installed`]'s rule).
pub fn python_module(module: &str) -> bool {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    installed(probe.is_ok_and(|o| o.status.success()), module)
}

/// Runs a Python `script` on `args` and returns what it printed, split
/// on whitespace; a failing script fails the test with its error.
pub fn python_fields(script: &str, args: &[&Path]) -> Vec<String> {
    let run = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    text(&run.stdout).split_whitespace().map(str::to_string).collect()
}
