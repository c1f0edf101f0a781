//! The `tournee` binary end to end, as a user runs it.

mod common;

use common::{shared, text, tournee};
use std::path::Path;
use std::process::Command;

#[test]
fn plan_without_arguments_plans_apt_luberon() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(&["plan", "--iterations", "5000"], dir.path());
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
        "bus,week,weekday,half_day,start,end,insee,commune,lat,lon,visits_per_month,date,horaires,day_km"
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
    for (file, last_bus) in [
        ("coeur_coteaux_comminges.toml", "Bus 3"),
        ("coeur_coteaux_comminges_4_buses.toml", "Bus 4"),
    ] {
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(file);
        let out_dir = dir.path().join(file);
        let out = tournee(
            &[
                "plan",
                "--scenario",
                scenario.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains(last_bus));
        assert_eq!(
            std::fs::read_to_string(out_dir.join("plan.csv"))
                .unwrap()
                .lines()
                .count(),
            1 + 108
        );
    }
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
        &["plan", "--territory", table.to_str().unwrap(), "--iterations", "5000"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("(depot Guise)"));
    assert!(text(&out.stdout).contains("no month set"));
}

#[test]
fn the_same_seed_writes_the_same_plan() {
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: &str, out: &str| {
        let o = tournee(
            &["plan", "--seed", seed, "--iterations", "3000", "--out", out],
            dir.path(),
        );
        assert!(o.status.success());
        std::fs::read(dir.path().join(out).join("plan.csv")).unwrap()
    };
    assert_eq!(run("3", "a"), run("3", "b"));
}

#[test]
fn matrix_command_writes_seconds_and_metres_and_reuses_its_cache() {
    let Some(pbf) = shared("data/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pts.txt"),
        "7.4246,43.7384\n7.4165,43.7311\n7.4406,43.7515\n",
    )
    .unwrap();
    let args = [
        "matrix",
        "--osm",
        pbf.to_str().unwrap(),
        "--points",
        "pts.txt",
        "--out",
        "m.csv",
        "--distances",
        "d.csv",
        "--timings",
    ];
    let run = || tournee(&args, dir.path());
    let first = run();
    assert!(first.status.success(), "{}", text(&first.stderr));
    let timings: serde_json::Value = serde_json::from_str(text(&first.stdout).trim()).unwrap();
    assert_eq!(timings["cached"], false);
    assert!(timings["preprocess_s"].as_f64().unwrap() > 0.0);
    // The three points lie on Monaco's streets.
    assert_eq!(timings["snap_m"]["unsnapped"], 0);
    assert!(timings["snap_m"]["max"].as_f64().unwrap() < 100.0, "{timings}");
    // Memory: a high-water mark only rises from stage to stage, and the
    // bytes per node are the peak shared among the graph's nodes, each of
    // which holds at least its two coordinates (16 bytes).
    let after = |stage: &str| timings["peak_mb_after"][stage].as_f64().unwrap();
    let peak = timings["peak_rss_mb"].as_f64().unwrap();
    assert!(after("load") <= after("preprocess") && after("preprocess") <= after("matrix") && after("matrix") <= peak);
    let nodes = timings["graph_nodes"].as_f64().unwrap();
    let per_node = timings["bytes_per_node"].as_f64().unwrap();
    assert!(
        (per_node - peak * 1_048_576.0 / nodes).abs() <= 0.01 * per_node + 1.0,
        "{timings}"
    );
    assert!(per_node > 16.0, "{timings}");
    let seconds = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    let metres = std::fs::read_to_string(dir.path().join("d.csv")).unwrap();
    let cells = |t: &str| -> Vec<Vec<f64>> {
        t.lines()
            .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
            .collect()
    };
    let (s, m) = (cells(&seconds), cells(&metres));
    assert_eq!((s.len(), s[0].len()), (3, 3));
    for i in 0..3 {
        assert_eq!(s[i][i], 0.0);
        for j in (0..3).filter(|&j| j != i) {
            // Within Monaco: a few hundred metres to a few km, at 10–90 km/h.
            assert!((200.0..6000.0).contains(&m[i][j]), "{} m", m[i][j]);
            let kmh = m[i][j] / s[i][j] * 3.6;
            assert!((5.0..90.0).contains(&kmh), "{kmh} km/h");
        }
    }
    let second = run();
    let timings: serde_json::Value = serde_json::from_str(text(&second.stdout).trim()).unwrap();
    assert_eq!(timings["cached"], true);
    assert_eq!(std::fs::read_to_string(dir.path().join("m.csv")).unwrap(), seconds);
}

#[test]
fn plan_with_osm_uses_road_times() {
    let (Some(pbf), Some(table)) = (
        shared("data/monaco.osm.pbf"),
        shared("data/fr_territory_riviera_monaco_pbf.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "plan",
        "--territory",
        table.to_str().unwrap(),
        "--osm",
        pbf.to_str().unwrap(),
        "--iterations",
        "3000",
    ];
    let out = tournee(&args, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("straight-line"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["travel"]["estimate"], false);
    assert_eq!(summary["communes"], 5);
}

#[test]
fn plan_refuses_an_extract_that_does_not_cover_the_territory() {
    let Some(pbf) = shared("data/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pays_apt_luberon.csv");
    let args = [
        "plan",
        "--territory",
        table.to_str().unwrap(),
        "--osm",
        pbf.to_str().unwrap(),
    ];
    let out = tournee(&args, dir.path());
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("does the extract cover the territory?") && stderr.contains("Gargas"),
        "{stderr}"
    );
}

#[test]
fn replanning_with_one_more_commune_moves_few_slots() {
    let dir = tempfile::tempdir().unwrap();
    let first = tournee(&["plan", "--iterations", "5000", "--out", "before"], dir.path());
    assert!(first.status.success(), "{}", text(&first.stderr));
    // The same territory and scenario plus Cabrières-d'Avignon (84025,
    // 1,686 inhabitants: one visit a month).
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut table = std::fs::read_to_string(data.join("pays_apt_luberon.csv")).unwrap();
    table += "84025,Cabrières-d'Avignon,43.90337,5.1494,1686,84220\n";
    std::fs::write(dir.path().join("plus_one.csv"), table).unwrap();
    let scenario = std::fs::read_to_string(data.join("pays_apt_luberon.toml"))
        .unwrap()
        .replace("territory = \"pays_apt_luberon.csv\"", "territory = \"plus_one.csv\"");
    std::fs::write(dir.path().join("plus_one.toml"), scenario).unwrap();
    let replan = |extra: &[&str], out: &str| {
        let mut args = vec![
            "plan",
            "--scenario",
            "plus_one.toml",
            "--iterations",
            "5000",
            "--out",
            out,
        ];
        args.extend(extra);
        let o = tournee(&args, dir.path());
        assert!(o.status.success(), "{}", text(&o.stderr));
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(out).join("summary.json")).unwrap()).unwrap();
        (text(&o.stdout), summary)
    };
    let (stdout, summary) = replan(&["--previous", "before/plan.csv"], "after");
    assert!(
        stdout.contains("of the 25 communes carried over from the previous plan moved"),
        "{stdout}"
    );
    assert_eq!(summary["visits"], 31);
    // 31 visits fit in 40 half-days next to the 30 already placed: few
    // existing communes need to move.
    assert!(summary["moved_communes"].as_u64().unwrap() <= 2, "{summary}");
    let (_, locked) = replan(&["--previous", "before/plan.csv", "--lock"], "locked");
    assert_eq!(locked["moved_communes"], 0);
    // A row without its last column, `day_km`: the new commune joins
    // some kept days and lengthens them.
    let slot = |row: &str| row.rsplit_once(',').map_or(row, |(slot, _)| slot).to_string();
    let before: Vec<String> = std::fs::read_to_string(dir.path().join("before/plan.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(slot)
        .collect();
    let kept_rows = |out: &str| {
        let after = std::fs::read_to_string(dir.path().join(out).join("plan.csv")).unwrap();
        let after: Vec<String> = after.lines().map(slot).collect();
        before.iter().filter(|row| after.contains(row)).count()
    };
    assert_eq!(kept_rows("locked"), before.len(), "locked slots keep their rows");
    // Without the previous plan nothing ties a commune to its old slot
    // (weeks and weekdays are interchangeable), so most rows change.
    replan(&[], "fresh");
    assert!(
        kept_rows("fresh") < before.len() / 2,
        "a fresh plan kept {} of {} rows",
        kept_rows("fresh"),
        before.len()
    );
}

#[test]
fn french_csv_opens_in_french_spreadsheets_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(
        &["plan", "--iterations", "3000", "--csv-french", "--out", "fr"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.path().join("fr/plan.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM first");
    let csv = String::from_utf8(bytes).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("bus;week;weekday;half_day;start;end;insee;commune;lat;lon")
    );
    let row: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert!(
        row[8].contains(',') && !row[8].contains('.'),
        "decimal comma in lat: {}",
        row[8]
    );
    // The same file serves as --previous: locking keeps every slot.
    let again = tournee(
        &[
            "plan",
            "--iterations",
            "3000",
            "--previous",
            "fr/plan.csv",
            "--lock",
            "--out",
            "again",
        ],
        dir.path(),
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("Stability: 0 of the 25 communes"));
}

#[test]
fn export_rewrites_a_saved_plan_and_refuses_a_broken_edit() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        tournee(&["plan", "--iterations", "3000", "--out", "a"], dir.path())
            .status
            .success()
    );
    let again = tournee(&["export", "--plan", "a/plan.csv", "--out", "b"], dir.path());
    assert!(again.status.success(), "{}", text(&again.stderr));
    for file in ["plan.csv", "report.html", "map.geojson", "calendars/commune-84047.ics"] {
        assert_eq!(
            std::fs::read(dir.path().join("a").join(file)).unwrap(),
            std::fs::read(dir.path().join("b").join(file)).unwrap(),
            "{file} differs after a round trip"
        );
    }
    // Move one of Gargas's two visits to another week: no longer 1+3 or 2+4.
    let plan = std::fs::read_to_string(dir.path().join("a/plan.csv")).unwrap();
    let edited: Vec<String> = plan
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut f: Vec<String> = l.split(',').map(String::from).collect();
            let first_gargas = plan.lines().position(|x| x.contains(",84047,")).unwrap();
            if i == first_gargas {
                f[1] = (f[1].parse::<u8>().unwrap() % 4 + 1).to_string();
            }
            f.join(",")
        })
        .collect();
    std::fs::write(dir.path().join("edited.csv"), edited.join("\n")).unwrap();
    let refused = tournee(&["export", "--plan", "edited.csv", "--out", "c"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("Gargas"), "{}", text(&refused.stderr));
    assert!(!dir.path().join("c").exists(), "nothing written for a refused plan");
}

#[test]
fn an_output_folder_that_cannot_be_created_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blocker"), "a file, not a folder").unwrap();
    let out = tournee(&["plan", "--iterations", "3000", "--out", "blocker/plans"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("blocker/plans: cannot create the output folder"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bench_plan_prints_one_json_line_per_territory() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(&["bench", "plan", "--iterations", "3000", "--repeat", "1"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["name"], "plan/pays_apt_luberon");
    assert_eq!(lines[3]["n"], 104);
    assert!(
        lines
            .iter()
            .all(|l| l["seconds"].as_f64().unwrap() > 0.0 && l["cost"].as_f64().unwrap() > 0.0)
    );
}

/// A scenario over the Apt-Luberon table with one fixed site in Apt.
fn apt_scenario(dir: &Path, name: &str, plan: Option<&str>) -> std::path::PathBuf {
    let root = common::root();
    std::fs::write(
        dir.join("sites.csv"),
        "name,lat,lon,hours\nApt desk,43.87638,5.39635,35\n",
    )
    .unwrap();
    let plan = plan.map_or(String::new(), |p| format!("plan = \"{p}\"\n"));
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "name = \"{name}\"\nterritory = \"{}\"\n[solver]\niterations = 5000\n[coverage]\nsites = \"sites.csv\"\n{plan}",
            root.join("data/pays_apt_luberon.csv").display()
        ),
    )
    .unwrap();
    path
}

#[test]
fn compare_lists_the_communes_a_planned_bus_brings_closer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("two-stops.csv"),
        "bus,week,weekday,half_day,start,end,insee,commune,lat,lon,visits_per_month,date\n\
         B,1,Tue,AM,09:30,12:00,84048,Gignac,43.92827,5.52601,1,\n\
         B,1,Tue,PM,14:00,16:30,84103,Rustrel,43.93154,5.47586,1,\n",
    )
    .unwrap();
    let a = apt_scenario(dir.path(), "two stops", Some("two-stops.csv"));
    let b = apt_scenario(dir.path(), "full tour", None);
    let out = tournee(
        &["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--out", "cmp"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The full tour stops in all 25 communes: every commune but Gignac and
    // Rustrel (stops in both) gets closer, Apt too (its desk is 1.3 km from
    // the commune centre, 3 min by the straight-line model).
    assert!(stdout.contains("full tour against two stops: 23 communes"), "{stdout}");
    let csv = std::fs::read_to_string(dir.path().join("cmp/compare.csv")).unwrap();
    assert!(
        csv.starts_with("insee,name,population,nearest_min two stops,nearest_min full tour"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 26);
    assert!(dir.path().join("cmp/2-full-tour/coverage.geojson").exists());
}

#[test]
fn coverage_without_sites_says_how_to_give_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(&["coverage"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--sites"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn select_refuses_a_budget_beyond_the_buses() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = apt_scenario(dir.path(), "apt", None);
    let out = tournee(
        &["select", "--scenario", scenario.to_str().unwrap(), "--budget", "99"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3));
    // One bus, 5 days a week, 4 weeks, 2 half-days: 40.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("budget of 99") && stderr.contains("1 to 40"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn bench_plan_on_synthetic_territories_has_the_common_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = tournee(
        &[
            "bench",
            "plan",
            "--synth",
            "25,100",
            "--buses",
            "1,2",
            "--iterations",
            "3000",
            "--repeat",
            "1",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["name"], "plan/synthetic-100-communes-2-buses");
    for line in &lines {
        for field in ["name", "n", "seconds", "peak_rss_mb", "cost", "gap_pct"] {
            assert!(line.get(field).is_some(), "{field} missing from {line}");
        }
    }
    // The synthetic scenario fills about 75 % of the buses' half-days.
    assert!(lines[3]["visits"].as_u64().unwrap() <= 60);
}

/// `--bound` is a lower bound (no run drives less), the gap is measured
/// from it, and the mean of two runs is no better than their best.
#[test]
fn bench_plan_bound_lies_under_every_run_and_prices_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "bench",
        "plan",
        "--synth",
        "100",
        "--buses",
        "2",
        "--iterations",
        "3000",
        "--repeat",
        "2",
    ];
    let with_bound = [&args[..], &["--bound"]].concat();
    let out = tournee(&with_bound, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    let (bound, cost, mean) = (
        line["bound"].as_f64().unwrap(),
        line["cost"].as_f64().unwrap(),
        line["mean_cost"].as_f64().unwrap(),
    );
    assert!(bound > 0.0 && cost >= bound - 0.5 && mean >= cost, "{line}");
    // Two seeds a and b: the sample deviation is |a − b| / √2, so the
    // mean's standard error is |a − b| / 2, which is the mean less the best.
    let se = line["cost_se"].as_f64().unwrap();
    assert!((se - (mean - cost)).abs() <= 1.0, "{line}");
    let gap = line["gap_pct"].as_f64().unwrap();
    assert!((gap - (cost / bound - 1.0) * 100.0).abs() < 0.01, "{line}");
    // Without the flag, no bound and no gap.
    let out = tournee(&args, dir.path());
    let line: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert!(line["bound"].is_null() && line["gap_pct"].is_null(), "{line}");
    // One seed (the arguments with `--repeat 1` for their last two): no
    // standard error.
    let one = [&args[..8], &["--repeat", "1"]].concat();
    let out = tournee(&one, dir.path());
    let line: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert!(line["cost_se"].is_null() && line["runs"] == 1, "{line}");
}

#[test]
fn exact_mode_reports_the_optimum_on_small_territories_and_a_bound_above() {
    let dir = tempfile::tempdir().unwrap();
    // Eight communes of Apt-Luberon: small enough for the MILP.
    let table = dir.path().join("small.csv");
    let full = std::fs::read_to_string(common::root().join("data/pays_apt_luberon.csv")).unwrap();
    let small: Vec<&str> = full.lines().take(9).collect();
    std::fs::write(&table, small.join("\n") + "\n").unwrap();
    let out = tournee(
        &[
            "plan",
            "--territory",
            table.to_str().unwrap(),
            "--exact",
            "--out",
            "small",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("(proven by the MILP)"),
        "{}",
        text(&out.stderr)
    );

    // All 25: both LP bounds, and the heuristic plan's gap to the better.
    let out = tournee(&["plan", "--exact", "--out", "full"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let number = |after: &str| -> f64 {
        let rest = &stderr[stderr.find(after).unwrap_or_else(|| panic!("{stderr}")) + after.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    let heuristic = number("heuristic plan ");
    for bound in [number("LP bounds "), number("day by day and ")] {
        assert!(bound > 0.0 && bound <= heuristic, "{stderr}");
    }
}

#[test]
fn pasquale_paoli_runs_a_five_week_rotation_on_corsican_roads() {
    // 42 communes, one bus: 40 half-days in four weeks do not hold them,
    // a 5-week rotation does (50), here on the real road network.
    let Some(osm) = common::shared("data/corsica_matsim_roads.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pasquale_paoli.toml");
    let args = [
        "plan",
        "--scenario",
        scenario.to_str().unwrap(),
        "--osm",
        osm.to_str().unwrap(),
        "--out",
        "pp",
    ];
    let out = tournee(&args, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("5-week rotation from 2027-01-04"));
    let csv = std::fs::read_to_string(dir.path().join("pp/plan.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 42, "one visit per commune and rotation");
    let weeks: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(weeks.into_iter().collect::<Vec<_>>(), ["1", "2", "3", "4", "5"]);
    // Dates run over the five weeks from Monday 4 January 2027.
    assert!(
        rows.iter().all(|r| ("2027-01-04".."2027-02-06").contains(&r[11])),
        "{csv}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("pp/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["cycle"]["weeks"], 5);
    assert_eq!(summary["travel"]["estimate"], false);
    let ics = std::fs::read_to_string(dir.path().join("pp/calendars/commune-2B169.ics")).unwrap();
    assert!(ics.contains("FREQ=WEEKLY;INTERVAL=5;BYDAY="), "{ics}");
}

#[test]
fn a_rolling_cycle_counts_its_hours_and_km_per_month_in_coverage() {
    // Pasquale Paoli's 5-week rotation: a 3-hour morning stop once in five
    // weeks is 3 × (52 / 12) / 5 = 2.6 hours a month.
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pasquale_paoli.toml");
    let scenario = scenario.to_str().unwrap();
    let out = tournee(
        &["plan", "--scenario", scenario, "--iterations", "3000", "--out", "pp"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(
        dir.path().join("sites.csv"),
        "name,lat,lon,hours\nCorte,42.306,9.150,35\n",
    )
    .unwrap();
    let args = [
        "coverage",
        "--scenario",
        scenario,
        "--plan",
        "pp",
        "--sites",
        "sites.csv",
        "--out",
        "cov",
    ];
    let out = tournee(&args, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("cov/coverage.geojson")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("pp/plan.csv")).unwrap();
    for feature in geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "bus_stop")
    {
        let name = feature["properties"]["name"].as_str().unwrap();
        let row = csv.lines().find(|l| l.split(',').nth(7) == Some(name)).unwrap();
        let session_hours = if row.split(',').nth(3) == Some("AM") { 3.0 } else { 2.5 };
        let expected = session_hours * 52.0 / 12.0 / 5.0;
        let hours = feature["properties"]["hours_month"].as_f64().unwrap();
        assert!(
            (hours - expected).abs() < 0.051,
            "{name}: {hours} h a month, expected {expected:.2}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("pp/summary.json")).unwrap()).unwrap();
    let per_cycle = summary["drive_km"].as_f64().unwrap();
    let per_month = format!("Bus km driven: {:.0} km a month", per_cycle * 52.0 / 12.0 / 5.0);
    assert!(
        text(&out.stdout).contains(&per_month),
        "`{per_month}` not in {}",
        text(&out.stdout)
    );
}

#[test]
fn the_published_tours_shipped_in_data_plan_from_the_repository() {
    // (scenario, plan.csv rows, what stdout says of the cycle)
    let dir = tempfile::tempdir().unwrap();
    for (file, rows, cycle) in [
        ("brioude.toml", 27, "4-week rotation from 2027-01-04"),
        ("published/caylar/scenario.toml", 20, "month 2027-03"),
        (
            "published/ruffecois/scenario.toml",
            16,
            "2-week rotation from 2027-01-04",
        ),
        ("pasquale_paoli.toml", 42, "5-week rotation from 2027-01-04"),
    ] {
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(file);
        let out = tournee(
            &[
                "plan",
                "--scenario",
                scenario.to_str().unwrap(),
                "--iterations",
                "5000",
                "--out",
                file,
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(cycle), "{file}");
        let csv = std::fs::read_to_string(dir.path().join(file).join("plan.csv")).unwrap();
        assert_eq!(csv.lines().count(), 1 + rows, "{file}");
    }
}

#[test]
fn replanning_a_rolling_cycle_with_whole_days_keeps_every_slot() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/published/ruffecois/scenario.toml");
    let scenario = scenario.to_str().unwrap();
    let first = tournee(&["plan", "--scenario", scenario, "--out", "v1"], dir.path());
    assert!(first.status.success(), "{}", text(&first.stderr));
    let again = tournee(
        &[
            "plan",
            "--scenario",
            scenario,
            "--seed",
            "9",
            "--previous",
            "v1/plan.csv",
            "--out",
            "v2",
        ],
        dir.path(),
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("Stability: 0 of the 12 communes carried over from the previous plan moved"),
        "{}",
        text(&again.stdout)
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_eq!(read("v1/plan.csv"), read("v2/plan.csv"));
}

#[test]
fn the_terminal_speaks_french_with_lang_fr_or_a_french_locale() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .output()
            .unwrap()
    };
    let out = dir.path().join("fr");
    let o = run(
        &["plan", "--iterations", "500", "--out", out.to_str().unwrap()],
        "fr_FR.UTF-8",
    );
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout.contains("Communes desservies : 25 sur 25") && stdout.contains("Semaine 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains(" h, ") && stdout.contains(','),
        "decimal comma: {stdout}"
    );
    assert!(
        stderr.contains("écrit ") && stderr.contains(" fichiers dans "),
        "{stderr}"
    );
    // --lang wins over the locale, both ways.
    let o = run(
        &[
            "plan",
            "--lang",
            "en",
            "--iterations",
            "500",
            "--out",
            out.to_str().unwrap(),
        ],
        "fr_FR.UTF-8",
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Communes served: 25 of 25"));
    let o = run(&["--lang", "fr", "plan", "--territory", "/nonexistent.csv"], "C.UTF-8");
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("erreur : "));
    let o = run(&["plan", "--lang", "de"], "C.UTF-8");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_benchmark_compared_with_its_baseline_fails_on_a_regression() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("baseline.jsonl");
    let bench = |extra: &[&str]| {
        let mut args = vec!["bench", "plan", "--iterations", "1000", "--repeat", "1"];
        args.extend_from_slice(extra);
        tournee(&args, dir.path())
    };
    let o = bench(&["--save-baseline", saved.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&saved)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 4 && lines.iter().all(|l| l["cost"].as_f64().is_some()));
    // The same seed and budget: the same costs, no regression.
    let o = bench(&["--baseline", saved.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no regression"));
    // A baseline 5 % cheaper on one territory: this run is a regression.
    let mut cheaper = lines.clone();
    cheaper[1]["cost"] = serde_json::json!(lines[1]["cost"].as_f64().unwrap() * 0.95);
    let better = dir.path().join("better.jsonl");
    std::fs::write(&better, cheaper.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let o = bench(&["--baseline", better.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("1 regression") && err.contains(lines[1]["name"].as_str().unwrap()),
        "{err}"
    );
    // A broken baseline is an input error with its line.
    std::fs::write(&better, "{\"name\": \"x\"}\nnot json\n").unwrap();
    let o = bench(&["--baseline", better.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("line 2"));
}
