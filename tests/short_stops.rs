//! Short stops: a commune whose `minutes` are shorter than the sessions
//! opens at a fixed quarter hour, and two or three short stops share a
//! session when their times and the drive between them fit.

mod common;

use chrono::Weekday::Mon;
use std::path::Path;
use tournee::calendar::{HalfDay, Slot};
use tournee::input::scenario::Scenario;
use tournee::input::territory::Territory;
use tournee::schedule::as_pvrp::{SolveOptions, solve};
use tournee::schedule::check::check;
use tournee::schedule::model::Instance;
use tournee::schedule::plan::{Plan, Visit};

/// The four communes nearest Apt, 60-minute stops, one bus on Mondays of
/// a 1-week rotation: two sessions of 2 h 30 for four hours of stops.
fn instance() -> Instance {
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_cycle,minutes\n");
    for c in common::nearest_apt(4) {
        csv += &format!(
            "{},{},{},{},{},1,60\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let scenario = "[cycle]\nweeks = 1\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n\
                    [[bus]]\ndepot = { lat = 43.88148, lon = 5.38138 }\nweekdays = [\"Mon\"]\n";
    let territory = Territory::parse(&csv, Path::new("short.csv")).unwrap();
    Instance::straight_line(territory, &Scenario::parse(scenario, Path::new("s.toml")).unwrap()).unwrap()
}

fn drive(instance: &Instance, plan: &Plan) -> f64 {
    plan.days()
        .iter()
        .map(|d| instance.day_drive(d.bus, &d.communes()).seconds)
        .sum()
}

/// Solves `instance`, checks the plan and that it drives `best`, the
/// enumerated optimum; returns the plan.
fn assert_solver_reaches(instance: &Instance, best: f64) -> Plan {
    let plan = solve(
        instance,
        SolveOptions {
            seed: 1,
            iterations: 20_000,
        },
        &(),
    )
    .unwrap();
    assert_eq!(check(instance, &plan), Vec::<String>::new());
    let found = drive(instance, &plan);
    assert!((found - best).abs() < 1e-6, "solver {found:.1} s, optimum {best:.1} s");
    plan
}

/// Every (half-day, quarter-hour start) a 60-minute stop may take.
fn options(instance: &Instance) -> Vec<(HalfDay, u32)> {
    HalfDay::BOTH
        .iter()
        .flat_map(|&half| {
            let s = instance.sessions.get(half);
            (s.start..=s.end - 60).step_by(15).map(move |start| (half, start))
        })
        .collect()
}

#[test]
fn short_stops_share_sessions_and_reach_the_enumerated_optimum() {
    let instance = instance();
    let options = options(&instance);
    // Brute force: every commune at every (half-day, start); the plans the
    // checker accepts; the least driving among them.
    let mut best = f64::INFINITY;
    let n = options.len();
    for code in 0..n.pow(4) {
        let visits: Vec<Visit> = (0..4)
            .map(|c| {
                let (half, start) = options[code / n.pow(c as u32) % n];
                Visit {
                    bus: 0,
                    slot: Slot {
                        week: 1,
                        weekday: Mon,
                        half,
                    },
                    commune: c,
                    time: Some((start, start + 60)),
                }
            })
            .collect();
        let plan = Plan::new(visits);
        if check(&instance, &plan).is_empty() {
            best = best.min(drive(&instance, &plan));
        }
    }
    assert!(best.is_finite(), "four hours of stops fit two sessions");
    let plan = assert_solver_reaches(&instance, best);
    // Four stops on one Monday: two sessions shared by two stops each.
    assert_eq!(plan.days().len(), 1);
    assert_eq!(plan.days()[0].stops.len(), 4);
}

#[test]
fn overlapping_short_stops_and_wrong_lengths_are_caught() {
    let instance = instance();
    let visit = |c: usize, start: u32, end: u32| Visit {
        bus: 0,
        slot: Slot {
            week: 1,
            weekday: Mon,
            half: HalfDay::Am,
        },
        commune: c,
        time: Some((start, end)),
    };
    let pm = |c: usize| Visit {
        bus: 0,
        slot: Slot {
            week: 1,
            weekday: Mon,
            half: HalfDay::Pm,
        },
        commune: c,
        time: Some((14 * 60, 15 * 60)),
    };
    let afternoon = [
        pm(2),
        Visit {
            time: Some((15 * 60 + 30, 16 * 60 + 30)),
            ..pm(3)
        },
    ];
    // The second morning stop opens when the first closes: no time to drive.
    let mut visits = vec![
        visit(0, 9 * 60 + 30, 10 * 60 + 30),
        visit(1, 10 * 60 + 30, 11 * 60 + 30),
    ];
    visits.extend(afternoon);
    let found = check(&instance, &Plan::new(visits));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("closes at 10:30") && found[0].contains("opens at 10:30"),
        "{found:?}"
    );
    // A stop open longer than its minutes.
    let mut visits = vec![visit(0, 9 * 60 + 30, 11 * 60), visit(1, 11 * 60, 12 * 60)];
    visits.extend(afternoon);
    let found = check(&instance, &Plan::new(visits));
    assert!(found.iter().any(|f| f.contains("its stop lasts 60 min")), "{found:?}");
}

#[test]
fn short_stops_are_published_with_their_own_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = tournee::pipeline::BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,minutes\n");
    for c in full.communes.iter().skip(1).take(6) {
        csv += &format!(
            "{},{},{},{},{},75\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    std::fs::write(dir.path().join("short.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("short.toml"),
        "territory = \"short.csv\"\nmonth = \"2027-03\"\n[[bus]]\ndepot = \"84047\"\nweekdays = [\"Mon\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["plan", "--scenario", "short.toml", "--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    for row in plan.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let minutes = |t: &str| {
            let (h, m) = t.split_once(':').unwrap();
            h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
        };
        assert_eq!(minutes(cells[5]) - minutes(cells[4]), 75, "{row}");
        assert_eq!(minutes(cells[4]) % 15, 0, "{row}: opens on a quarter hour");
    }
    // Its calendar event opens and closes at the stop's own hours.
    let first = plan.lines().nth(1).unwrap().split(',').collect::<Vec<_>>();
    let ics = std::fs::read_to_string(dir.path().join(format!("out/calendars/commune-{}.ics", first[6]))).unwrap();
    let hhmm = |t: &str| t.replace(':', "");
    assert!(ics.contains(&format!("T{}00\r\n", hhmm(first[4]))), "{ics}");
    assert!(
        ics.contains(&format!(
            "DTEND;TZID=Europe/Paris:{}T{}00",
            first[11].replace('-', ""),
            hhmm(first[5])
        )),
        "{ics}"
    );
}

#[test]
fn a_long_afternoon_taken_whole_leaves_no_room_for_a_short_stop() {
    // The afternoon (3 h) is longer than the morning (2 h): a commune that
    // takes a whole session must still fill it, in the solver as in the
    // checker. One such commune and three short ones, one Monday.
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_cycle,minutes\n");
    for (i, c) in common::nearest_apt(4).into_iter().enumerate() {
        let minutes = if i == 0 { String::new() } else { "45".to_string() };
        csv += &format!(
            "{},{},{},{},{},1,{minutes}\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let scenario = "[cycle]\nweeks = 1\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n\
                    [[bus]]\ndepot = { lat = 43.88148, lon = 5.38138 }\nweekdays = [\"Mon\"]\n\
                    [sessions]\nam = { start = \"09:00\", end = \"11:00\" }\npm = { start = \"14:00\", end = \"17:00\" }\n";
    let territory = Territory::parse(&csv, Path::new("mixed.csv")).unwrap();
    let instance =
        Instance::straight_line(territory, &Scenario::parse(scenario, Path::new("s.toml")).unwrap()).unwrap();
    let shorts = options(&instance)
        .into_iter()
        .map(|(h, s)| (h, s, Some((s, s + 45))))
        .collect::<Vec<_>>();
    let wholes = [(HalfDay::Am, 0, None), (HalfDay::Pm, 0, None)];
    let mut best = f64::INFINITY;
    for whole in wholes {
        for a in &shorts {
            for b in &shorts {
                for c in &shorts {
                    let visits: Vec<Visit> = [whole, *a, *b, *c]
                        .iter()
                        .enumerate()
                        .map(|(k, &(half, _, time))| Visit {
                            bus: 0,
                            slot: Slot {
                                week: 1,
                                weekday: Mon,
                                half,
                            },
                            commune: k,
                            time,
                        })
                        .collect();
                    let plan = Plan::new(visits);
                    if check(&instance, &plan).is_empty() {
                        best = best.min(drive(&instance, &plan));
                    }
                }
            }
        }
    }
    assert_solver_reaches(&instance, best);
}
