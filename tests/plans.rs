//! Plans on the four shipped territories are valid under the independent
//! checker; infeasible requests are explained; the solver is optimal on
//! cases small enough to enumerate; a seed gives one plan.

mod common;

use std::path::Path;
use tournee::ErrorKind;
use tournee::calendar::{HalfDay, Slot};
use tournee::input::scenario::Scenario;
use tournee::input::territory::Territory;
use tournee::pipeline::{self, BUILTINS};
use tournee::schedule::as_pvrp::{SolveOptions, solve};
use tournee::schedule::check::check;
use tournee::schedule::model::Instance;
use tournee::schedule::plan::{Plan, Visit};

const QUICK: SolveOptions = SolveOptions {
    seed: 7,
    iterations: 5_000,
};

fn builtin_instance(index: usize) -> Instance {
    let (territory, scenario) = BUILTINS[index].load().unwrap();
    Instance::straight_line(territory, &scenario).unwrap()
}

fn plan_of(instance: &Instance, options: SolveOptions) -> Plan {
    tournee::schedule::solve_checked(instance, options, &()).unwrap()
}

#[test]
fn all_four_territories_get_valid_plans() {
    // Visits expected from the default rule (<2000: 1, <5000: 2, else 4),
    // counted from the source populations; Cahors opts out (0).
    let expected_visits = [
        4 + 2 + 2 + 22, // Apt (10,143), Gargas, Saint-Saturnin, 22 others
        2 + 35,         // Guise (4,490), 35 others
        2 + 34,         // Pradines (3,617), 34 others, Cahors excluded
        4 + 2 + 102,    // Saint-Gaudens, Montréjeau (2,648), 102 others
    ];
    for (index, expected) in expected_visits.into_iter().enumerate() {
        let instance = builtin_instance(index);
        let plan = plan_of(&instance, QUICK);
        assert_eq!(check(&instance, &plan), Vec::<String>::new(), "{}", instance.name);
        assert_eq!(plan.visits.len(), expected, "{}", instance.name);
    }
}

#[test]
fn default_plan_serves_all_25_communes_of_apt_luberon() {
    let instance = builtin_instance(0);
    assert_eq!(instance.territory.communes.len(), 25);
    let plan = plan_of(&instance, QUICK);
    assert_eq!(plan.communes_served(&instance.territory), 25);
    // Apt (the depot, 4 visits a month) is served on one weekday and
    // half-day every week.
    let apt: Vec<&Visit> = plan
        .visits
        .iter()
        .filter(|v| instance.territory.communes[v.commune].insee == "84003")
        .collect();
    assert_eq!(apt.len(), 4);
    assert!(
        apt.iter()
            .all(|v| v.slot.weekday == apt[0].slot.weekday && v.slot.half == apt[0].slot.half)
    );
}

#[test]
fn too_few_buses_is_explained_with_numbers() {
    let (territory, mut scenario) = BUILTINS[3].load().unwrap();
    scenario.buses.truncate(1);
    let err = Instance::straight_line(territory, &scenario).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Infeasible);
    assert!(
        err.message
            .contains("Comminges: 108 half-day visits needed, 40 available with 1 bus over 4 weeks"),
        "{}",
        err.message
    );
}

#[test]
fn a_commune_too_far_for_the_day_is_explained() {
    let csv = "insee,name,lat,lon,population\n84003,Apt,43.88148,5.38138,10143\n04112,Manosque,43.8342,5.7839,500\n";
    let territory = Territory::parse(csv, Path::new("t.csv")).unwrap();
    let scenario = Scenario::parse("max_drive_minutes = 60", Path::new("s.toml")).unwrap();
    let err = Instance::straight_line(territory, &scenario).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Infeasible);
    assert!(
        err.message.contains("Manosque") && err.message.contains("max_drive_minutes = 60"),
        "{}",
        err.message
    );
}

#[test]
fn unavailable_dates_and_holidays_are_avoided() {
    // Every commune refuses the first Monday and Tuesday of January 2027;
    // 1 January (Friday, week 1) is a public holiday.
    let mut csv = String::from("insee,name,lat,lon,population,unavailable\n");
    let (territory, _) = BUILTINS[0].load().unwrap();
    for c in &territory.communes {
        csv += &format!(
            "{},{},{},{},{},2027-01-04;2027-01-05\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let territory = Territory::parse(&csv, Path::new("t.csv")).unwrap();
    let scenario = Scenario::parse("month = \"2027-01\"", Path::new("s.toml")).unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let plan = plan_of(&instance, QUICK);
    let month = instance.cycle.month().unwrap();
    for v in &plan.visits {
        let date = month.date_of(v.slot.week, v.slot.weekday).to_string();
        assert!(
            !["2027-01-01", "2027-01-04", "2027-01-05"].contains(&date.as_str()),
            "visit on {date}"
        );
    }
}

#[test]
fn the_checker_catches_broken_plans() {
    let instance = builtin_instance(0);
    let good = plan_of(&instance, QUICK);
    let gargas = instance
        .territory
        .communes
        .iter()
        .position(|c| c.insee == "84047")
        .unwrap();
    // Move one of Gargas's two visits one week later: weeks {1,3} become
    // {1,4} or {2,3}, which no published pattern allows.
    let mut visits = good.visits.clone();
    let v = visits.iter_mut().find(|v| v.commune == gargas).unwrap();
    v.slot.week = v.slot.week % 4 + 1;
    let broken = Plan::new(visits);
    assert!(
        check(&instance, &broken).iter().any(|p| p.contains("Gargas")),
        "{:?}",
        check(&instance, &broken)
    );
    // Dropping a visit is caught too.
    let missing = Plan::new(good.visits[1..].to_vec());
    assert!(!check(&instance, &missing).is_empty());
}

#[test]
fn the_same_seed_gives_the_same_plan() {
    let instance = builtin_instance(2);
    let a = plan_of(&instance, QUICK);
    let b = plan_of(&instance, QUICK);
    assert_eq!(a, b);
}

/// Total drive of a plan, recomputed from the matrix.
fn drive(instance: &Instance, plan: &Plan) -> f64 {
    plan.days()
        .iter()
        .map(|d| instance.day_drive(d.bus, &d.communes()).seconds)
        .sum()
}

#[test]
fn the_solver_finds_the_enumerated_optimum_on_a_small_case() {
    // Six monthly communes, one bus working Mondays only: 8 half-day slots.
    // Enumerate all 8!/2! = 20,160 placements for the true optimum.
    let instance = common::apt_subset(3, 6, &[1], "\"Mon\"");
    let slots = common::monday_slots();
    let best = common::best_by_enumeration(&instance, &slots, &|plan| drive(&instance, plan));
    let plan = solve(&instance, QUICK, &()).unwrap();
    assert!(check(&instance, &plan).is_empty());
    let found = drive(&instance, &plan);
    assert!((found - best).abs() < 1e-6, "solver {found:.1} s, optimum {best:.1} s");
}

#[test]
fn shipped_tables_match_the_shared_sources() {
    let sources = [
        "data/fr_territory_cc_pays_apt_luberon.csv",
        "data/fr_territory_cc_thierache_sambre_oise.csv",
        "data/fr_territory_ca_grand_cahors.csv",
        "data/fr_territory_cc_coeur_coteaux_comminges.csv",
    ];
    for (builtin, source) in BUILTINS.iter().zip(sources) {
        let Some(path) = common::shared(source) else { return };
        let shared = Territory::from_path(&path).unwrap();
        let (ours, _) = builtin.load().unwrap();
        assert_eq!(ours.communes.len(), shared.communes.len(), "{source}");
        for (a, b) in ours.communes.iter().zip(&shared.communes) {
            assert_eq!(
                (&a.insee, &a.name, a.population, a.centre),
                (&b.insee, &b.name, b.population, b.centre)
            );
        }
    }
}

#[test]
fn a_lunch_gap_no_pair_can_make_is_explained_with_the_numbers() {
    // Apt and Roussillon (about 10 km apart) both need a weekly slot, and
    // the bus works Mondays only: one is the morning stop, the other the
    // afternoon one. Five minutes of lunch gap cannot cover the drive.
    let csv = "insee,name,lat,lon,population,visits_per_month\n84003,Apt,43.88148,5.38138,10143,4\n84102,Roussillon,43.9025,5.2926,1300,4\n";
    let territory = Territory::parse(csv, Path::new("t.csv")).unwrap();
    let toml = "[[bus]]\nweekdays = [\"Mon\"]\n[sessions]\nam = { start = \"09:30\", end = \"12:00\" }\npm = { start = \"12:05\", end = \"15:00\" }";
    let scenario = Scenario::parse(toml, Path::new("s.toml")).unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let err = solve(&instance, QUICK, &()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Infeasible);
    assert!(err.message.contains("more than the 5 min lunch gap"), "{}", err.message);
}

#[test]
fn market_days_are_kept_when_they_cost_no_driving() {
    // Three small communes, one bus Monday to Friday: every weekday gives
    // the same drive, so only the markets (Roussillon on Thursday, Gargas
    // on Tuesday) can decide their days; Apt has none.
    let csv = "insee,name,lat,lon,population,market_day\n84003,Apt,43.88148,5.38138,1500,\n84102,Roussillon,43.9025,5.2926,1300,jeudi\n84047,Gargas,43.9022,5.3580,1200,Tue\n";
    let territory = Territory::parse(csv, Path::new("t.csv")).unwrap();
    let instance = Instance::straight_line(territory, &Scenario::default()).unwrap();
    let plan = plan_of(&instance, QUICK);
    let day_of = |insee: &str| -> Vec<chrono::Weekday> {
        let visits = plan.visits.iter();
        visits
            .filter(|v| instance.territory.communes[v.commune].insee == insee)
            .map(|v| v.slot.weekday)
            .collect()
    };
    assert_eq!(day_of("84102"), vec![chrono::Weekday::Thu]);
    assert_eq!(day_of("84047"), vec![chrono::Weekday::Tue]);
    let bad = "insee,name,lat,lon,population,market_day\n84003,Apt,43.88148,5.38138,1500,jeudy\n";
    let err = Territory::parse(bad, Path::new("t.csv")).unwrap_err();
    assert!(err.to_string().contains("market_day"), "{err}");
}

#[test]
fn a_frequency_that_does_not_divide_the_cycle_is_refused_with_the_reason() {
    let csv = "insee,name,lat,lon,population,visits_per_month\n84003,Apt,43.88148,5.38138,10143,3\n";
    let territory = Territory::parse(csv, Path::new("three.csv")).unwrap();
    let err = Instance::straight_line(territory, &Scenario::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Infeasible);
    for needle in ["Apt (84003, line 2)", "3 visits", "4-week cycle", "1, 2, 4"] {
        assert!(err.message.contains(needle), "`{needle}` not in {}", err.message);
    }
}

/// `count` communes of Apt-Luberon with `visits` each, one bus at Apt
/// working `weekdays`, on a rolling cycle of `weeks` from 4 January 2027.
fn rolling_subset(count: usize, visits: u8, weeks: u8, weekdays: &str) -> Instance {
    let (full, _) = BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_cycle\n");
    for c in full.communes.iter().skip(2).take(count) {
        csv += &format!(
            "{},{},{},{},{},{visits}\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let scenario = format!(
        "[cycle]\nweeks = {weeks}\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n\
         [[bus]]\ndepot = {{ lat = 43.88148, lon = 5.38138 }}\nweekdays = [{weekdays}]\n"
    );
    let territory = Territory::parse(&csv, Path::new("t.csv")).unwrap();
    Instance::straight_line(territory, &Scenario::parse(&scenario, Path::new("s.toml")).unwrap()).unwrap()
}

/// A weekday the bus works and its half-days.
type WorkingDay = (chrono::Weekday, &'static [HalfDay]);

/// The least drive over every plan that gives each commune one evenly
/// spread pattern (`visits` weeks, `weeks / visits` apart, same weekday and
/// half-day) on `days` × `halves`, no two stops in one slot: brute force.
fn best_over_patterns(instance: &Instance, visits: u8, days: &[WorkingDay]) -> f64 {
    let weeks = instance.cycle.weeks;
    let gap = weeks / visits;
    let patterns: Vec<Vec<Slot>> = days
        .iter()
        .flat_map(|(weekday, halves)| halves.iter().map(move |half| (*weekday, *half)))
        .flat_map(|(weekday, half)| {
            (1..=gap).map(move |first| {
                (0..visits)
                    .map(|k| Slot {
                        week: first + k * gap,
                        weekday,
                        half,
                    })
                    .collect()
            })
        })
        .collect();
    fn walk(instance: &Instance, patterns: &[Vec<Slot>], chosen: &mut Vec<usize>, best: &mut f64) {
        let n = instance.territory.communes.len();
        if chosen.len() == n {
            let visits = chosen
                .iter()
                .enumerate()
                .flat_map(|(c, &p)| {
                    patterns[p].iter().map(move |&slot| Visit {
                        bus: 0,
                        slot,
                        commune: c,
                        time: None,
                    })
                })
                .collect();
            *best = best.min(drive(instance, &Plan::new(visits)));
            return;
        }
        for p in 0..patterns.len() {
            let clash = chosen
                .iter()
                .any(|&q| patterns[q].iter().any(|s| patterns[p].contains(s)));
            if !clash {
                chosen.push(p);
                walk(instance, patterns, chosen, best);
                chosen.pop();
            }
        }
    }
    let mut best = f64::INFINITY;
    walk(instance, &patterns, &mut Vec::new(), &mut best);
    best
}

#[test]
fn rolling_cycles_and_saturday_mornings_reach_the_enumerated_optimum() {
    use chrono::Weekday::{Mon, Sat, Thu};
    // (communes, visits, cycle weeks, weekdays): single visits in a 3-week
    // rotation on Monday and Saturday morning; two visits 2 weeks apart in
    // a 4-week rotation; two visits 3 weeks apart in a 6-week rotation.
    let cases: [(usize, u8, u8, &str, Vec<WorkingDay>); 3] = [
        (
            5,
            1,
            3,
            "\"Mon\", \"Sat\"",
            vec![(Mon, &HalfDay::BOTH), (Sat, &[HalfDay::Am])],
        ),
        (4, 2, 4, "\"Mon\"", vec![(Mon, &HalfDay::BOTH)]),
        (
            4,
            2,
            6,
            "\"Mon\", \"Thu\"",
            vec![(Mon, &HalfDay::BOTH), (Thu, &HalfDay::BOTH)],
        ),
    ];
    for (count, visits, weeks, weekdays, days) in cases {
        let instance = rolling_subset(count, visits, weeks, weekdays);
        let best = best_over_patterns(&instance, visits, &days);
        let plan = solve(&instance, QUICK, &()).unwrap();
        assert_eq!(check(&instance, &plan), Vec::<String>::new());
        assert!(
            plan.visits
                .iter()
                .all(|v| !(v.slot.weekday == Sat && v.slot.half == HalfDay::Pm))
        );
        let found = drive(&instance, &plan);
        assert!(
            (found - best).abs() < 1e-6,
            "{weeks}-week cycle: solver {found:.1} s, optimum {best:.1} s"
        );
    }
}

#[test]
fn a_tour_too_long_for_the_month_is_refused_with_the_remedies_and_their_numbers() {
    // Pasquale Paoli on the monthly cycle: 42 visits, 40 half-days.
    let territory = Territory::read(
        &common::root().join("data/pasquale_paoli.csv"),
        tournee::input::territory::Unlocated::Refuse,
    )
    .unwrap();
    let scenario = Scenario::parse(
        "name = \"Pasquale Paoli\"\nmax_drive_minutes = 240\n[[bus]]\ndepot = \"2B169\"\n",
        Path::new("s.toml"),
    )
    .unwrap();
    let err = Instance::straight_line(territory, &scenario).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Infeasible);
    for needle in [
        "42 half-day visits needed, 40 available with 1 bus over 4 weeks",
        "a 5-week cycle",
        "gives 50",
        "Saturday mornings give 44",
        "1 more bus like the first gives 80",
    ] {
        assert!(err.message.contains(needle), "`{needle}` not in {}", err.message);
    }
}

#[test]
fn whole_days_reach_the_enumerated_optimum_and_keep_their_afternoon() {
    use chrono::Weekday::{Mon, Tue};
    // Two whole-day communes and three half-day ones, one visit each in a
    // 2-week rotation, the bus on Mondays and Tuesdays: 8 half-days for 7.
    let (full, _) = BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_cycle,half_day\n");
    for (i, c) in full.communes.iter().skip(2).take(5).enumerate() {
        let half = if i < 2 { "FULL" } else { "" };
        csv += &format!(
            "{},{},{},{},{},1,{half}\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let scenario = "[cycle]\nweeks = 2\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n\
                    [[bus]]\ndepot = { lat = 43.88148, lon = 5.38138 }\nweekdays = [\"Mon\", \"Tue\"]\n";
    let territory = Territory::parse(&csv, Path::new("t.csv")).unwrap();
    let instance =
        Instance::straight_line(territory, &Scenario::parse(scenario, Path::new("s.toml")).unwrap()).unwrap();
    // Brute force: each whole-day commune takes a (week, weekday), each
    // other commune a half-day, no slot twice.
    let days: Vec<(u8, chrono::Weekday)> = [1, 2].iter().flat_map(|w| [(*w, Mon), (*w, Tue)]).collect();
    let halves: Vec<Slot> = days
        .iter()
        .flat_map(|(week, weekday)| {
            HalfDay::BOTH.map(|half| Slot {
                week: *week,
                weekday: *weekday,
                half,
            })
        })
        .collect();
    let options = |c: usize| -> Vec<Vec<Slot>> {
        if c < 2 {
            days.iter()
                .map(|(week, weekday)| {
                    HalfDay::BOTH
                        .iter()
                        .map(|&half| Slot {
                            week: *week,
                            weekday: *weekday,
                            half,
                        })
                        .collect()
                })
                .collect()
        } else {
            halves.iter().map(|s| vec![*s]).collect()
        }
    };
    let mut best = f64::INFINITY;
    let mut stack: Vec<(usize, Vec<Visit>)> = vec![(0, Vec::new())];
    while let Some((c, visits)) = stack.pop() {
        if c == 5 {
            best = best.min(drive(&instance, &Plan::new(visits)));
            continue;
        }
        for slots in options(c) {
            if slots.iter().all(|s| !visits.iter().any(|v| v.slot == *s)) {
                let mut next = visits.clone();
                next.extend(slots.iter().map(|&slot| Visit {
                    bus: 0,
                    slot,
                    commune: c,
                    time: None,
                }));
                stack.push((c + 1, next));
            }
        }
    }
    let plan = solve(&instance, QUICK, &()).unwrap();
    assert_eq!(check(&instance, &plan), Vec::<String>::new());
    for c in 0..2 {
        let mine: Vec<&Visit> = plan.visits.iter().filter(|v| v.commune == c).collect();
        assert_eq!(mine.len(), 2, "a whole day is a morning and an afternoon");
        assert_eq!(
            (mine[0].slot.week, mine[0].slot.weekday),
            (mine[1].slot.week, mine[1].slot.weekday)
        );
    }
    let found = drive(&instance, &plan);
    assert!((found - best).abs() < 1e-6, "solver {found:.1} s, optimum {best:.1} s");
    // Half a whole day is caught.
    let morning_only: Vec<Visit> = plan
        .visits
        .iter()
        .filter(|v| !(v.commune == 0 && v.slot.half == HalfDay::Pm))
        .copied()
        .collect();
    let broken = check(&instance, &Plan::new(morning_only));
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("served whole days, but only the AM"), "{broken:?}");
}

#[test]
fn the_ruffecois_plan_drives_no_more_than_the_published_tour() {
    // The published tour and tournee's plan, priced by the same travel
    // model, with the four whole days kept on their published weekday.
    let scenario = Scenario::from_path(&common::root().join("data/published/ruffecois/scenario.toml")).unwrap();
    let territory = Territory::read(
        &common::root().join("data/published/ruffecois/communes.csv"),
        tournee::input::territory::Unlocated::Refuse,
    )
    .unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let published = pipeline::saved_plan(
        &instance,
        &common::root().join("data/published/ruffecois/published.csv"),
    )
    .unwrap();
    let plan = plan_of(
        &instance,
        SolveOptions {
            seed: 1,
            iterations: 20_000,
        },
    );
    let (ours, theirs) = (drive(&instance, &plan), drive(&instance, &published));
    assert!(ours <= theirs + 1e-6, "tournee {ours:.0} s, published {theirs:.0} s");
    for c in 0..instance.territory.communes.len() {
        let whole = instance.territory.communes[c].half_day == Some(tournee::input::territory::HalfDayRule::Full);
        let count = plan.visits.iter().filter(|v| v.commune == c).count();
        let expected = match instance.territory.communes[c].visits_per_month {
            Some(0) => 0,
            _ if whole => 2,
            _ => 1,
        };
        assert_eq!(count, expected, "{}", instance.territory.communes[c].name);
    }
}

#[test]
fn the_caylar_tour_pairs_its_communes_as_the_published_one_does() {
    use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
    let scenario = Scenario::from_path(&common::root().join("data/published/caylar/scenario.toml")).unwrap();
    let territory = Territory::read(
        &common::root().join("data/published/caylar/communes.csv"),
        tournee::input::territory::Unlocated::Refuse,
    )
    .unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let index = |insee: &str| {
        instance
            .territory
            .communes
            .iter()
            .position(|c| c.insee == insee)
            .unwrap()
    };
    // The published tour, from the official list's `commentaire`: weeks 2
    // and 4, (morning, afternoon) a day.
    let published_days = [
        (Mon, "34264", "34060"),
        (Tue, "34317", "34277"),
        (Wed, "34230", "34064"),
        (Thu, "34251", "34196"),
        (Fri, "34268", "34036"),
    ];
    let published = Plan::new(
        published_days
            .iter()
            .flat_map(|(weekday, am, pm)| {
                [2u8, 4].into_iter().flat_map(move |week| {
                    [(HalfDay::Am, *am), (HalfDay::Pm, *pm)].map(|(half, insee)| Visit {
                        bus: 0,
                        slot: Slot {
                            week,
                            weekday: *weekday,
                            half,
                        },
                        commune: index(insee),
                        time: None,
                    })
                })
            })
            .collect(),
    );
    assert_eq!(
        check(&instance, &published),
        Vec::<String>::new(),
        "the published tour keeps the rules"
    );
    let plan = plan_of(
        &instance,
        SolveOptions {
            seed: 1,
            iterations: 20_000,
        },
    );
    let pairs = |plan: &Plan| {
        let mut pairs: Vec<(usize, usize)> = plan
            .days()
            .iter()
            .filter_map(|d| Some((*d.of(HalfDay::Am).first()?, *d.of(HalfDay::Pm).first()?)))
            // Straight lines read the same both ways: which commune of a
            // pair takes the morning is a tie, so the pair is unordered.
            .map(|(am, pm)| (am.min(pm), am.max(pm)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    };
    assert_eq!(pairs(&plan), pairs(&published));
    assert!((drive(&instance, &plan) - drive(&instance, &published)).abs() < 1e-6);
}

/// A whole day is one visit, though plan.csv gives it a morning and an
/// afternoon row: the totals count (bus, day, commune) once, as the test
/// counts them from plan.csv.
#[test]
fn the_totals_count_a_whole_day_once() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("data/published/ruffecois/scenario.toml");
    let out = dir.path().join("out");
    let o = common::tournee(
        &[
            "plan",
            "--scenario",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", common::text(&o.stderr));
    let mut reader = csv::Reader::from_path(out.join("plan.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut visits: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string(), r[6].to_string()))
        .collect();
    visits.sort();
    visits.dedup();
    assert!(visits.len() < rows.len(), "the Ruffecois tour has whole days");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["visits"], visits.len(), "{summary}");
    assert!(common::text(&o.stdout).contains(&format!("visits: {}", visits.len())));
}

/// The five columns a planner types (`bus, week, weekday, half_day,
/// insee`, `FULL` for a whole day) read as the full plan.csv does: the
/// published Ruffecois tour, rewritten so by the test, exports to the same
/// plan.csv as its ten-column form.
#[test]
fn a_plan_typed_in_five_columns_with_full_days_reads_as_the_full_form() {
    let dir = tempfile::tempdir().unwrap();
    let published = common::root().join("data/published/ruffecois/published.csv");
    let mut reader = csv::Reader::from_path(&published).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // (bus, week, weekday, insee) → its half-days.
    type Day = (String, String, String, String);
    let mut days: Vec<(Day, Vec<String>)> = Vec::new();
    for r in &rows {
        let key = (r[0].to_string(), r[1].to_string(), r[2].to_string(), r[6].to_string());
        match days.iter_mut().find(|(k, _)| *k == key) {
            Some((_, halves)) => halves.push(r[3].to_string()),
            None => days.push((key, vec![r[3].to_string()])),
        }
    }
    let mut typed = String::from("bus,week,weekday,half_day,insee\n");
    for ((bus, week, weekday, insee), halves) in &days {
        let half = if halves.len() == 2 { "FULL" } else { halves[0].as_str() };
        typed += &format!("{bus},{week},{weekday},{half},{insee}\n");
    }
    assert!(typed.contains(",FULL,"), "the tour has whole days");
    let five = dir.path().join("five.csv");
    std::fs::write(&five, typed).unwrap();
    let scenario = common::root().join("data/published/ruffecois/scenario.toml");
    let export = |plan: &Path, out: &str| {
        let args = [
            "export",
            "--scenario",
            scenario.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
            "--out",
            out,
        ];
        let o = common::tournee(&args, dir.path());
        assert!(o.status.success(), "{}", common::text(&o.stderr));
        std::fs::read(dir.path().join(out).join("plan.csv")).unwrap()
    };
    assert_eq!(export(&five, "typed"), export(&published, "published"));
    // A commune the table does not hold needs its own name and stop.
    std::fs::write(&five, "bus,week,weekday,half_day,insee\nEmmabüs,1,Mon,AM,99999\n").unwrap();
    let args = [
        "check",
        "--scenario",
        scenario.to_str().unwrap(),
        "--plan",
        five.to_str().unwrap(),
    ];
    let o = common::tournee(&args, dir.path());
    let err = common::text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("line 2") && err.contains("99999"), "{err}");
}

/// A bus that works only Wednesday afternoon and Friday morning (it staffs
/// a fixed desk the rest of the week) stops only then, and the checker
/// catches a stop moved to another half-day.
#[test]
fn a_bus_with_its_own_half_days_stops_only_then() {
    let (full, _) = BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_month\n");
    // Six communes: January 2027 has 8 such half-days, but Friday 1 is
    // New Year's Day.
    for c in full.communes.iter().take(6) {
        csv += &format!(
            "{},{},{},{},{},1\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let territory = Territory::parse(&csv, Path::new("t.csv")).unwrap();
    let scenario = Scenario::parse(
        "month = \"2027-01\"\n[[bus]]\ndepot = { lat = 43.88148, lon = 5.38138 }\nhalf_days = [\"Wed PM\", \"Fri AM\"]\n",
        Path::new("s.toml"),
    )
    .unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let mut plan = plan_of(&instance, QUICK);
    assert_eq!(plan.visits.len(), 6);
    for v in &plan.visits {
        let slot = (v.slot.weekday, v.slot.half);
        assert!(
            slot == (chrono::Weekday::Wed, HalfDay::Pm) || slot == (chrono::Weekday::Fri, HalfDay::Am),
            "{slot:?}"
        );
    }
    assert!(check(&instance, &plan).is_empty());
    let moved = plan
        .visits
        .iter()
        .position(|v| v.slot.weekday == chrono::Weekday::Wed)
        .unwrap();
    plan.visits[moved].slot.half = HalfDay::Am;
    let broken = check(&instance, &plan);
    assert!(
        broken.iter().any(|b| b.contains("a half-day the bus does not work")),
        "{broken:?}"
    );
}
