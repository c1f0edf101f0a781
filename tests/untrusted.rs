//! Issue #19's first list, one test each: what a hostile or broken file,
//! folder or option did before, and what it must do now. Outputs go under
//! fresh temporary folders; the binary is run as a user would.

mod common;

use common::tournee;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit `code`, every needle in stderr, no panic.
fn assert_fails(out: &Output, code: i32, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` not in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// A plan folder written by tournee itself, under `dir/plan`.
fn planned(dir: &Path) -> std::path::PathBuf {
    let out = tournee(&["plan", "--iterations", "2000", "--out", "plan"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    dir.join("plan")
}

#[test]
fn a_manifest_that_climbs_out_of_its_folder_is_refused_and_nothing_outside_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let plan = planned(dir.path());
    std::fs::write(dir.path().join("notes.txt"), "my notes").unwrap();
    for line in [
        "../notes.txt",
        "/etc/hostname",
        "calendars/../../notes.txt",
        "./plan.csv",
    ] {
        std::fs::write(plan.join(".tournee-files"), format!("plan.csv\n{line}\n")).unwrap();
        let out = tournee(&["plan", "--iterations", "2000", "--out", "plan"], dir.path());
        assert_fails(&out, 2, &[".tournee-files", "line 2", "was not written by tournee"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "my notes"
        );
    }
}

#[test]
fn a_symbolic_link_planted_in_the_output_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = planned(dir.path());
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.ics"), "mine").unwrap();
    // The calendars folder replaced by a link to a folder of the user's.
    std::fs::remove_dir_all(plan.join("calendars")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, plan.join("calendars")).unwrap();
    for force in [false, true] {
        let mut args = vec!["plan", "--iterations", "2000", "--out", "plan"];
        if force {
            args.push("--force");
        }
        let out = tournee(&args, dir.path());
        assert_fails(&out, 2, &["calendars"]);
        let left: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().collect();
        assert_eq!(left.len(), 1, "nothing written or removed through the link");
    }
}

#[test]
fn a_full_disk_behind_stdout_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["plan", "--iterations", "2000", "--out", "plan"])
        .current_dir(dir.path())
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_fails(&out, 1, &["standard output"]);
    // A reader that went away is not a failure.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["plan", "--iterations", "2000", "--out", "plan2"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "a closed pipe must not fail the run");
}

#[test]
fn a_time_limit_that_is_not_a_number_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for limit in ["nan", "inf", "1e300"] {
        let out = tournee(
            &["bench", "pvrp", "--instances", ".", "--time-limit", limit],
            dir.path(),
        );
        assert_fails(&out, 2, &["--time-limit"]);
    }
}

#[test]
fn a_cordeau_customer_without_patterns_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("instances")).unwrap();
    // Type 1, 1 vehicle, 2 customers, 2 days; customer 2 announces 0 patterns.
    let text = "1 1 2 2\n0 100\n0 100\n0 0 0 0 0 0 0\n1 10 0 0 5 1 1 2\n2 0 10 0 5 1 0\n";
    std::fs::write(dir.path().join("instances/tiny.txt"), text).unwrap();
    let out = tournee(
        &["bench", "pvrp", "--instances", "instances", "--iterations", "100"],
        dir.path(),
    );
    assert_fails(&out, 2, &["tiny.txt", "line 6", "at least one pattern"]);
    // Built by hand, the same problem is refused by the solver itself.
    let mut problem =
        pvrp::formats::cordeau::parse(&text.replace(" 1 0\n", " 1 1 2\n"), "tiny", Path::new("tiny.txt")).unwrap();
    problem.customers[1].patterns.clear();
    let refused = pvrp::solve(&problem, pvrp::Options::new(pvrp::Budget::Iterations(10)), &|_| {});
    assert!(refused.unwrap_err().to_string().contains("customer 1: no pattern"));
}

#[test]
fn a_synthetic_territory_of_zero_communes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["0", "1"] {
        let out = tournee(
            &["synth", "--communes", n, "--road-nodes", "1000", "--out", "s"],
            dir.path(),
        );
        assert_fails(&out, 2, &["--communes"]);
        let out = tournee(&["bench", "plan", "--synth", n, "--repeat", "1"], dir.path());
        assert_fails(&out, 2, &["--communes"]);
    }
}

#[test]
fn a_malformed_summary_beside_a_plan_is_an_error_not_lost_km() {
    let dir = tempfile::tempdir().unwrap();
    let plan = planned(dir.path());
    std::fs::write(
        dir.path().join("sites.csv"),
        "name,lat,lon,hours\nApt,43.876,5.396,35\n",
    )
    .unwrap();
    let coverage = |dir: &Path| {
        tournee(
            &[
                "coverage",
                "--plan",
                "plan",
                "--sites",
                "sites.csv",
                "--out",
                "cov",
                "--force",
            ],
            dir,
        )
    };
    let good = coverage(dir.path());
    assert!(good.status.success(), "{}", stderr(&good));
    for broken in ["{ not json", "{\"drive_km\": \"many\"}", "{}"] {
        std::fs::write(plan.join("summary.json"), broken).unwrap();
        assert_fails(&coverage(dir.path()), 2, &["summary.json"]);
    }
    std::fs::remove_file(plan.join("summary.json")).unwrap();
    let without = coverage(dir.path());
    assert!(without.status.success(), "{}", stderr(&without));
    assert!(stderr(&without).contains("not counted"), "{}", stderr(&without));
}

#[test]
fn bench_pvrp_follows_the_output_folder_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("instances")).unwrap();
    let text = "1 1 2 2\n0 100\n0 100\n0 0 0 0 0 0 0\n1 10 0 0 5 1 1 2\n2 0 10 0 5 1 1 1\n";
    std::fs::write(dir.path().join("instances/tiny.txt"), text).unwrap();
    std::fs::create_dir(dir.path().join("res")).unwrap();
    std::fs::write(dir.path().join("res/mine.txt"), "mine").unwrap();
    let args = [
        "bench",
        "pvrp",
        "--instances",
        "instances",
        "--iterations",
        "100",
        "--out",
        "res",
    ];
    assert_fails(&tournee(&args, dir.path()), 2, &["did not write", "mine.txt"]);
    assert!(!dir.path().join("res/tiny.res").exists());
    std::fs::remove_file(dir.path().join("res/mine.txt")).unwrap();
    let out = tournee(&args, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("res/tiny.res").exists());
    assert!(dir.path().join("res/.tournee-files").exists());
}

#[test]
fn zero_iterations_are_refused_on_the_command_line_as_in_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    assert_fails(
        &tournee(&["plan", "--iterations", "0"], dir.path()),
        2,
        &["--iterations"],
    );
    assert_fails(
        &tournee(&["bench", "plan", "--iterations", "0", "--repeat", "1"], dir.path()),
        2,
        &["--iterations"],
    );
    assert_fails(
        &tournee(&["bench", "pvrp", "--instances", ".", "--iterations", "0"], dir.path()),
        2,
        &["--iterations"],
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn deeply_nested_scenarios_and_summaries_are_refused_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("name = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(dir.path().join("deep.toml"), deep).unwrap();
    let out = tournee(&["plan", "--scenario", "deep.toml", "--out", "x"], dir.path());
    assert_fails(&out, 2, &["deep.toml", "line 1"]);
    let plan = planned(dir.path());
    std::fs::write(
        plan.join("summary.json"),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sites.csv"),
        "name,lat,lon,hours\nApt,43.876,5.396,35\n",
    )
    .unwrap();
    let out = tournee(
        &["coverage", "--plan", "plan", "--sites", "sites.csv", "--out", "cov"],
        dir.path(),
    );
    assert_fails(&out, 2, &["summary.json"]);
}

#[test]
fn coverage_and_selection_numbers_are_checked_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sites.csv"),
        "name,lat,lon,hours\nApt,43.876,5.396,35\n",
    )
    .unwrap();
    for (flag, value) in [
        ("--thresholds", "0"),
        ("--thresholds", "nan"),
        ("--presence-minutes", "inf"),
    ] {
        let out = tournee(
            &["coverage", "--sites", "sites.csv", flag, value, "--out", "cov"],
            dir.path(),
        );
        assert_fails(&out, 2, &[flag]);
    }
    for minutes in ["0", "nan", "1e9"] {
        let out = tournee(
            &[
                "select",
                "--sites",
                "sites.csv",
                "--budget",
                "4",
                "--minutes",
                minutes,
                "--out",
                "sel",
            ],
            dir.path(),
        );
        assert_fails(&out, 2, &["--minutes"]);
    }
    assert!(!dir.path().join("cov").exists() && !dir.path().join("sel").exists());
}
