//! The corpus of real tours (`data/published/`, one folder per bus built
//! from the official list's `commentaire`): a running tour is feasible by
//! definition, so each published tour must pass `check` under its own
//! scenario; and tournee's plan of the same communes under the same rules
//! must drive no more than the published tour. Both km are read from the
//! `day_km` of each bus day in the plan.csv files the two commands write.

mod common;

use common::{root, text, tournee};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn tours() -> Vec<PathBuf> {
    let mut tours: Vec<PathBuf> = std::fs::read_dir(root().join("data/published"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("published.csv").is_file())
        .collect();
    tours.sort();
    tours
}

/// Km per cycle of a plan.csv: each bus day's `day_km` once.
fn km_per_cycle(plan: &Path) -> f64 {
    let text = std::fs::read_to_string(plan).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut days = BTreeMap::new();
    for line in lines {
        // horaires may hold commas inside quotes; the first columns do not.
        let cells: Vec<&str> = line.split(',').collect();
        let day = (
            cells[col("bus")].to_string(),
            cells[col("week")].to_string(),
            cells[col("weekday")].to_string(),
        );
        let km: f64 = cells[cells.len() - 1 - usize::from(header.last() == Some(&"slot"))]
            .parse()
            .unwrap();
        days.insert(day, km);
    }
    days.values().sum()
}

#[test]
fn the_corpus_holds_at_least_fifteen_buses() {
    assert!(tours().len() >= 15, "{} tours", tours().len());
}

#[test]
fn every_published_tour_passes_check_and_tournee_drives_no_more() {
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for tour in tours() {
        let name = tour.file_name().unwrap().to_string_lossy().into_owned();
        let scenario = tour.join("scenario.toml");
        let (scenario, published) = (scenario.to_str().unwrap(), tour.join("published.csv"));
        let check = tournee(
            &["check", "--scenario", scenario, "--plan", published.to_str().unwrap()],
            out.path(),
        );
        if !check.status.success() {
            failures.push(format!(
                "{name}: the published tour fails check: {}",
                text(&check.stderr)
            ));
            continue;
        }
        let exported = out.path().join(format!("{name}-published"));
        let export = tournee(
            &[
                "export",
                "--scenario",
                scenario,
                "--plan",
                published.to_str().unwrap(),
                "--out",
                exported.to_str().unwrap(),
            ],
            out.path(),
        );
        assert!(export.status.success(), "{name}: {}", text(&export.stderr));
        let planned = out.path().join(format!("{name}-tournee"));
        let plan = tournee(
            &["plan", "--scenario", scenario, "--out", planned.to_str().unwrap()],
            out.path(),
        );
        if !plan.status.success() {
            failures.push(format!("{name}: tournee refuses: {}", text(&plan.stderr)));
            continue;
        }
        let (before, after) = (
            km_per_cycle(&exported.join("plan.csv")),
            km_per_cycle(&planned.join("plan.csv")),
        );
        if after > before + 0.05 {
            failures.push(format!(
                "{name}: tournee drives {after:.1} km a cycle, the published tour {before:.1}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bench_published_reports_every_tour() {
    let run = tournee(&["bench", "published"], &root());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let lines: Vec<serde_json::Value> = text(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), tours().len());
    for line in &lines {
        assert_eq!(line["published_check"], "holds every rule", "{line}");
        assert_eq!(line["planned"], true, "{line}");
        assert!(
            line["tournee_km"].as_f64().unwrap() <= line["published_km"].as_f64().unwrap() + 0.05,
            "{line}"
        );
    }
}
