//! The `tournee` binary end to end, as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn tournee(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn plan_without_arguments_plans_apt_luberon() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(&["plan", "--iterations", "50000"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Pays d'Apt-Luberon"), "{stdout}");
    assert!(stdout.contains("Communes served: 25 of 25 | visits: 30"), "{stdout}");
    assert!(stdout.contains("straight-line estimates"), "{stdout}");
    // Piped: no progress-bar escapes on stderr.
    assert!(!text(&out.stderr).contains('\u{1b}'));

    let csv = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "bus,week,weekday,half_day,start,end,insee,commune,lat,lon,visits_per_month,date"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 30);
    assert!(
        rows.iter().all(|r| r.contains(",2027-01-")),
        "every visit has a January date"
    );

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["communes"], 25);
    assert_eq!(summary["visits"], 30);
    assert!(summary["drive_seconds"].as_f64().unwrap() > 0.0);
    assert!(summary["drive_km"].as_f64().unwrap() > 0.0);
    assert_eq!(summary["travel"]["estimate"], true);
}

#[test]
fn scenario_files_in_data_run_from_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/coeur_coteaux_comminges.toml");
    let out_dir = dir.path().join("comminges");
    let out = tournee(
        &[
            "plan",
            "--scenario",
            scenario.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--iterations",
            "50000",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Bus 3"));
    assert_eq!(
        std::fs::read_to_string(out_dir.join("plan.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 108
    );
}

#[test]
fn bad_input_exits_2_with_file_line_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.csv"),
        "insee,name,lat,lon,population\n84003,Apt,43.8,5.38,-1\n",
    )
    .unwrap();
    let out = tournee(&["plan", "--territory", "t.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("t.csv: line 2: field `population`: negative population"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn infeasible_request_exits_3_with_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/coeur_coteaux_comminges.csv");
    let out = tournee(&["plan", "--territory", table.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("108 half-day visits needed, 40 available with 1 bus over 4 weeks"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_territory_alone_gets_one_bus_at_its_largest_commune() {
    let dir = tempfile::tempdir().unwrap();
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/thierache_sambre_oise.csv");
    let out = tournee(
        &["plan", "--territory", table.to_str().unwrap(), "--iterations", "50000"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("(depot Guise)"));
    assert!(text(&out.stdout).contains("no month set"));
}

#[test]
fn seeds_reproduce_and_differ() {
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: &str, out: &str| {
        let o = tournee(
            &["plan", "--seed", seed, "--iterations", "20000", "--out", out],
            dir.path(),
        );
        assert!(o.status.success());
        std::fs::read(dir.path().join(out).join("plan.csv")).unwrap()
    };
    assert_eq!(run("3", "a"), run("3", "b"));
}
