//! The same inputs and seed give byte-identical outputs, from run to run
//! and with 1 or 2 threads (`RAYON_NUM_THREADS`).

mod common;

use common::shared;
use std::collections::BTreeMap;
use std::process::Command;

/// Runs tournee with `threads` rayon threads in a fresh folder (no shared
/// matrix cache) and returns stdout and every file it wrote.
fn outputs(args: &[&str], threads: &str) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .args(["--out", "out"])
        .env("RAYON_NUM_THREADS", threads)
        .env("TOURNEE_CACHE", dir.path().join("cache"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (out.stdout, common::files(&dir.path().join("out")))
}

fn assert_identical(args: &[&str]) {
    let one = outputs(args, "1");
    assert!(!one.1.is_empty());
    for (threads, other) in [("1", outputs(args, "1")), ("2", outputs(args, "2"))] {
        assert_eq!(one.0, other.0, "stdout differs with {threads} thread(s)");
        assert_eq!(
            one.1.keys().collect::<Vec<_>>(),
            other.1.keys().collect::<Vec<_>>(),
            "{threads} thread(s)"
        );
        for (name, bytes) in &one.1 {
            assert!(other.1[name] == *bytes, "{name} differs with {threads} thread(s)");
        }
    }
}

#[test]
fn plan_with_road_times_is_byte_identical_across_runs_and_threads() {
    let (Some(pbf), Some(table)) = (
        shared("data/monaco.osm.pbf"),
        shared("data/fr_territory_riviera_monaco_pbf.csv"),
    ) else {
        return;
    };
    assert_identical(&[
        "plan",
        "--territory",
        table.to_str().unwrap(),
        "--osm",
        pbf.to_str().unwrap(),
        "--seed",
        "7",
        "--iterations",
        "3000",
    ]);
}

#[test]
fn builtin_plan_and_coverage_are_byte_identical_across_runs_and_threads() {
    let Some(sites) = shared("data/fr_france_services_20240801.csv") else {
        return;
    };
    let scenario = common::root().join("data/grand_cahors.toml");
    assert_identical(&["plan", "--scenario", scenario.to_str().unwrap(), "--iterations", "5000"]);
    assert_identical(&[
        "select",
        "--scenario",
        scenario.to_str().unwrap(),
        "--sites",
        sites.to_str().unwrap(),
        "--budget",
        "5",
    ]);
    let communes = shared("data/fr_communes_2026.csv").unwrap();
    assert_identical(&[
        "coverage",
        "--territory",
        communes.to_str().unwrap(),
        "--sites",
        sites.to_str().unwrap(),
    ]);
}

#[test]
fn exact_plans_are_identical_from_run_to_run() {
    // Nine communes, no month: many optima tie, and the MILP must break
    // the ties the same way every time (it was built in hash-map order,
    // which gave a different plan.csv on each run).
    let dir = tempfile::tempdir().unwrap();
    let table: String = std::fs::read_to_string(common::root().join("data/pays_apt_luberon.csv"))
        .unwrap()
        .lines()
        .take(10)
        .map(|l| format!("{l}\n"))
        .collect();
    let nine = dir.path().join("nine.csv");
    std::fs::write(&nine, table).unwrap();
    let nine = nine.to_str().unwrap();
    let first = outputs(&["plan", "--territory", nine, "--exact"], "2");
    for _ in 0..4 {
        let again = outputs(&["plan", "--territory", nine, "--exact"], "2");
        assert!(
            again.1["plan.csv"] == first.1["plan.csv"],
            "plan.csv differs between runs"
        );
    }
}
