//! Property tests (proptest): random small territories are planned and the
//! plan passes the independent checker, or the refusal explains itself;
//! random edits of a valid plan are caught exactly as a brute-force oracle
//! predicts; Cordeau files survive read → write → read unchanged; and no
//! reader panics on text that is almost, or not at all, what it expects.

mod common;

use chrono::Weekday;
use proptest::prelude::*;
use std::path::Path;
use tournee::ErrorKind;
use tournee::calendar::{HalfDay, Slot, WEEKDAYS, is_french_holiday};
use tournee::input::scenario::Scenario;
use tournee::input::territory::{HalfDayRule, Territory};
use tournee::schedule::check::check;
use tournee::schedule::model::Instance;
use tournee::schedule::plan::{Plan, Visit};

const DAYS: [&str; 6] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// One commune row: offsets from Apt in km, population, and the optional
/// columns (visits a month, allowed weekdays, half-day rule).
type Row = (f64, f64, u32, Option<u8>, Option<Vec<usize>>, Option<&'static str>);

fn row() -> impl Strategy<Value = Row> {
    (
        -25.0..25.0f64,
        -25.0..25.0f64,
        50u32..12_000,
        proptest::option::weighted(0.4, prop_oneof![Just(0u8), Just(1), Just(2), Just(4)]),
        proptest::option::weighted(0.3, proptest::collection::vec(0usize..5, 1..4)),
        proptest::option::weighted(0.3, prop_oneof![Just("AM"), Just("PM"), Just("AM?"), Just("PM?")]),
    )
}

/// The commune table and scenario texts of a random small territory.
fn territory_and_scenario(
    rows: &[Row],
    buses: usize,
    weekdays: &[usize],
    max_drive: u32,
    month: Option<u32>,
) -> (String, String) {
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_month,weekdays,half_day\n");
    for (i, (dy, dx, population, visits, days, half)) in rows.iter().enumerate() {
        let days = days
            .as_ref()
            .map(|d| d.iter().map(|k| DAYS[*k]).collect::<Vec<_>>().join(";"))
            .unwrap_or_default();
        csv += &format!(
            "{},C{i},{:.5},{:.5},{population},{},{days},{}\n",
            84_100 + i,
            43.88 + dy / 111.0,
            5.40 + dx / 80.0,
            visits.map_or(String::new(), |v| v.to_string()),
            half.unwrap_or("")
        );
    }
    let days: Vec<String> = weekdays.iter().map(|k| format!("\"{}\"", DAYS[*k])).collect();
    let mut toml = format!("max_drive_minutes = {max_drive}\n");
    if let Some(m) = month {
        toml += &format!("month = \"2027-{m:02}\"\n");
    }
    for b in 0..buses {
        toml += &format!("[[bus]]\nname = \"Bus {b}\"\nweekdays = [{}]\n", days.join(", "));
    }
    (csv, toml)
}

fn instance_of(csv: &str, toml: &str) -> tournee::Result<Instance> {
    let territory = Territory::parse(csv, Path::new("random.csv"))?;
    let scenario = Scenario::parse(toml, Path::new("random.toml"))?;
    Instance::straight_line(territory, &scenario)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_territories_get_a_checked_plan_or_a_reasoned_refusal(
        rows in proptest::collection::vec(row(), 1..9),
        buses in 1usize..3,
        weekdays in proptest::sample::subsequence(vec![0usize, 1, 2, 3, 4, 5], 1..6),
        max_drive in 30u32..300,
        month in proptest::option::of(1u32..13),
        seed in 0u64..1000,
    ) {
        let (csv, toml) = territory_and_scenario(&rows, buses, &weekdays, max_drive, month);
        let instance = match instance_of(&csv, &toml) {
            Ok(instance) => instance,
            Err(e) => {
                // Refused before solving: infeasible, with its numbers.
                prop_assert_eq!(e.kind, ErrorKind::Infeasible, "{}", e);
                prop_assert!(e.message.chars().any(|c| c.is_ascii_digit()), "{}", e);
                return Ok(());
            }
        };
        let options = tournee::schedule::as_pvrp::SolveOptions { seed, iterations: 600 };
        match tournee::schedule::solve_checked(&instance, options, &()) {
            Ok(plan) => prop_assert_eq!(check(&instance, &plan), Vec::<String>::new()),
            Err(e) => {
                prop_assert_eq!(e.kind, ErrorKind::Infeasible, "{}", e);
                prop_assert!(e.message.contains("rule"), "{}", e);
            }
        }
    }
}

/// The kinds of rule the checker reports, told apart by its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    BusDay,
    SaturdayAfternoon,
    TwoStops,
    Pattern,
    CommuneDay,
    HalfDay,
    Holiday,
    Driving,
    Lunch,
}

fn rules_of(findings: &[String]) -> Vec<Rule> {
    let mut rules: Vec<Rule> = findings
        .iter()
        .map(|f| {
            let kinds = [
                ("does not work on", Rule::BusDay),
                ("Saturday afternoon", Rule::SaturdayAfternoon),
                ("two stops in", Rule::TwoStops),
                ("valid pattern", Rule::Pattern),
                ("allowed weekdays", Rule::CommuneDay),
                ("but requires", Rule::HalfDay),
                ("public holiday", Rule::Holiday),
                ("min of driving", Rule::Driving),
                ("lunch gap", Rule::Lunch),
            ];
            kinds
                .iter()
                .find(|(words, _)| f.contains(words))
                .map(|(_, rule)| *rule)
                .unwrap_or_else(|| panic!("a finding of no known rule: {f}"))
        })
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// The oracle: the rules `plan` breaks, from first principles. Patterns
/// by enumeration: some (bus, weekday, half-day) and published week set
/// must produce exactly the commune's visits.
fn oracle(instance: &Instance, plan: &Plan) -> Vec<Rule> {
    let mut rules = Vec::new();
    let communes = &instance.territory.communes;
    for v in &plan.visits {
        let c = &communes[v.commune];
        let bus = &instance.buses[v.bus];
        if !bus.weekdays.contains(&v.slot.weekday) {
            rules.push(Rule::BusDay);
        }
        if v.slot.weekday == Weekday::Sat && v.slot.half == HalfDay::Pm {
            rules.push(Rule::SaturdayAfternoon);
        }
        let same_slot = plan
            .visits
            .iter()
            .filter(|w| w.bus == v.bus && w.slot == v.slot)
            .count();
        if same_slot > 1 {
            rules.push(Rule::TwoStops);
        }
        if c.weekdays.as_ref().is_some_and(|d| !d.contains(&v.slot.weekday)) {
            rules.push(Rule::CommuneDay);
        }
        if matches!(c.half_day, Some(HalfDayRule::Require(h)) if h != v.slot.half) {
            rules.push(Rule::HalfDay);
        }
        if let Some(month) = instance.cycle.month()
            && is_french_holiday(month.date_of(v.slot.week, v.slot.weekday))
        {
            rules.push(Rule::Holiday);
        }
    }
    for (i, _) in communes.iter().enumerate() {
        let mut visits: Vec<Visit> = plan.visits.iter().filter(|v| v.commune == i).copied().collect();
        visits.sort_by_key(|v| (v.slot.week, v.bus));
        if visits.is_empty() {
            continue;
        }
        let sets: [&[u8]; 3] = [&[1, 3], &[2, 4], &[1, 2, 3, 4]];
        let fits = |bus: usize, weekday: Weekday, half: HalfDay| {
            let matches = |weeks: &[u8]| {
                weeks.len() == visits.len()
                    && visits.iter().zip(weeks).all(|(v, w)| {
                        v.bus == bus
                            && v.slot
                                == Slot {
                                    week: *w,
                                    weekday,
                                    half,
                                }
                    })
            };
            (visits.len() == 1 && matches(&[visits[0].slot.week])) || sets.iter().any(|s| matches(s))
        };
        let any =
            (0..instance.buses.len()).any(|b| WEEKDAYS.iter().any(|d| HalfDay::BOTH.iter().any(|h| fits(b, *d, *h))));
        if !any {
            rules.push(Rule::Pattern);
        }
    }
    let gap = f64::from(instance.sessions.pm.start - instance.sessions.am.end) * 60.0;
    for day in plan.days() {
        // Two stops in one slot are their own rule; the day is priced with
        // the later one, as the checker does.
        let last = |half: HalfDay| day.of(half).last().copied();
        let (am, pm) = (last(HalfDay::Am), last(HalfDay::Pm));
        let stops: Vec<usize> = [am, pm].into_iter().flatten().collect();
        if instance.day_drive(day.bus, &stops).seconds > instance.max_drive_seconds + 1e-6 {
            rules.push(Rule::Driving);
        }
        let node = |c: usize| instance.buses.len() + c;
        if let (Some(a), Some(p)) = (am, pm)
            && instance.matrix.seconds(node(a), node(p)) > gap + 1e-6
        {
            rules.push(Rule::Lunch);
        }
    }
    rules.sort();
    rules.dedup();
    rules
}

/// A valid plan of seven communes in May 2027 (Ascension on Thursday 6,
/// Whit Monday on the 17th), one restricted to Monday and Tuesday and one
/// to mornings, the bus at the middle one, a 35-minute day and a 15-minute
/// lunch: edits break every
/// kind of rule.
fn planned() -> (Instance, Plan) {
    let rows: Vec<Row> = (0..7)
        .map(|i| {
            let f = f64::from(i);
            let days = (i == 1).then(|| vec![0, 1]);
            let half = (i == 2).then_some("AM");
            let population = if i == 3 { 20_000 } else { 800 + 900 * i as u32 };
            (f - 3.0, 4.0 - f * 1.3, population, None, days, half)
        })
        .collect();
    let (csv, toml) = territory_and_scenario(&rows, 1, &[0, 1, 2, 3], 35, Some(5));
    let toml =
        toml + "[sessions]\nam = { start = \"09:00\", end = \"12:00\" }\npm = { start = \"12:15\", end = \"16:00\" }\n";
    let instance = instance_of(&csv, &toml).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions {
        seed: 1,
        iterations: 3_000,
    };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    (instance, plan)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_are_caught_as_the_oracle_predicts(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 1u8..5, 0usize..7, any::<bool>()), 1..4),
    ) {
        let (instance, plan) = planned();
        prop_assert_eq!(oracle(&instance, &plan), Vec::<Rule>::new());
        let mut visits = plan.visits.clone();
        for (which, week, weekday, pm) in edits {
            let v = &mut visits[which.index(plan.visits.len())];
            v.slot = Slot { week, weekday: WEEKDAYS[weekday], half: if pm { HalfDay::Pm } else { HalfDay::Am } };
        }
        let edited = Plan::new(visits);
        prop_assert_eq!(rules_of(&check(&instance, &edited)), oracle(&instance, &edited));
    }
}

/// A random Cordeau instance as text: `m` vehicles, customers with random
/// frequencies and patterns over `t` days.
fn cordeau_text() -> impl Strategy<Value = String> {
    (
        1usize..4,
        1usize..6,
        proptest::collection::vec((0u32..200, 0u32..200, 0u32..30, 1u32..40, any::<u32>()), 1..12),
    )
        .prop_map(|(m, t, customers)| {
            let mut text = format!("1 {m} {} {t}\n", customers.len());
            for day in 0..t {
                text += &format!("{} {}\n", if day % 2 == 0 { 0 } else { 500 }, 100 + day);
            }
            text += "0 100 100 0 0 0 0\n";
            for (i, (x, y, service, demand, bits)) in customers.iter().enumerate() {
                let code = 1 + bits % ((1u32 << t) - 1);
                let frequency = code.count_ones();
                text += &format!("{} {x}.5 {y} {service} {demand} {frequency} 1 {code}\n", i + 1);
            }
            text
        })
}

proptest! {
    #[test]
    fn cordeau_read_write_read_is_the_identity(text in cordeau_text()) {
        use pvrp::formats::cordeau::{parse_instance, write};
        let first = parse_instance(&text, "random", Path::new("random.txt")).unwrap();
        let again = parse_instance(&write(&first), "random", Path::new("random.txt")).unwrap();
        prop_assert_eq!(first, again);
    }
}

#[test]
fn cordeau_benchmark_files_survive_read_write_read() {
    use pvrp::formats::cordeau::{parse_instance, write};
    for folder in ["pvrp/instances", "pvrp/pr/instances"] {
        let Some(dir) = common::shared(folder) else { return };
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let first = parse_instance(&text, "b", &entry.path()).unwrap();
            let again = parse_instance(&write(&first), "b", &entry.path()).unwrap();
            assert!(first == again, "{}", entry.path().display());
        }
    }
}

/// Seeds of every reader, as in `fuzz/corpus/`.
fn seed(reader: &str) -> String {
    let dir = common::root().join("fuzz/corpus").join(reader);
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .min()
        .unwrap();
    String::from_utf8_lossy(&std::fs::read(first).unwrap()).into_owned()
}

/// `text` with a few characters replaced, inserted or deleted.
fn mutated(reader: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3, any::<char>()), 0..8).prop_map(move |edits| {
        let mut chars: Vec<char> = seed(reader).chars().collect();
        for (at, how, c) in edits {
            if chars.is_empty() {
                chars.push(c);
                continue;
            }
            let i = at.index(chars.len());
            match how {
                0 => chars[i] = c,
                1 => chars.insert(i, c),
                _ => {
                    chars.remove(i);
                }
            }
        }
        chars.into_iter().collect()
    })
}

fn input_or_ok<T>(result: tournee::Result<T>) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        prop_assert_eq!(e.kind, ErrorKind::Input, "{}", e);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic_on_mutated_files(
        territory in mutated("territory_csv"),
        scenario in mutated("scenario_toml"),
        sites in mutated("sites_csv"),
        plan in mutated("plan_csv"),
        points in mutated("points"),
        profile in mutated("car_profile"),
        manifest in mutated("manifest"),
        cordeau in mutated("cordeau"),
    ) {
        let at = Path::new("mutated");
        input_or_ok(Territory::parse(&territory, at))?;
        input_or_ok(Scenario::parse(&scenario, at))?;
        input_or_ok(tournee::input::sites::parse_sites(&sites, at, false))?;
        input_or_ok(tournee::input::plan_csv::SavedPlan::parse(&plan, at, &Default::default()))?;
        input_or_ok(tournee::input::territory::parse_points(&points, at))?;
        if let Err(e) = road::CarProfile::parse(&profile, at) {
            prop_assert_eq!(e.kind, road::ErrorKind::Input);
        }
        if let Ok(names) = tournee::output::folder::parse_manifest(&manifest) {
            prop_assert!(names.iter().all(|n| !n.split('/').any(|p| p == ".." || p.is_empty())));
        }
        let _ = pvrp::formats::cordeau::parse(&cordeau, "m", at);
    }

    #[test]
    fn readers_never_panic_on_any_text(text in "(?s).{0,400}") {
        let at = Path::new("any");
        input_or_ok(Territory::parse(&text, at))?;
        input_or_ok(Scenario::parse(&text, at))?;
        input_or_ok(tournee::input::sites::parse_sites(&text, at, false))?;
        input_or_ok(tournee::input::plan_csv::SavedPlan::parse(&text, at, &Default::default()))?;
        input_or_ok(tournee::input::territory::parse_points(&text, at))?;
        let _ = road::CarProfile::parse(&text, at);
        let _ = tournee::output::folder::parse_manifest(&text);
        let _ = pvrp::formats::cordeau::parse(&text, "any", at);
    }
}

#[test]
fn random_edits_reach_every_kind_of_rule() {
    // The property above is only as strong as the edits it draws: over as
    // many random edits, every rule of the checker must turn up.
    use rand::{RngExt, SeedableRng};
    let (instance, plan) = planned();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let mut visits = plan.visits.clone();
        for _ in 0..rng.random_range(1..4) {
            let i = rng.random_range(0..visits.len());
            visits[i].slot = Slot {
                week: rng.random_range(1..5),
                weekday: WEEKDAYS[rng.random_range(0..7)],
                half: if rng.random::<bool>() { HalfDay::Pm } else { HalfDay::Am },
            };
        }
        seen.extend(rules_of(&check(&instance, &Plan::new(visits))));
    }
    let all = [
        Rule::BusDay,
        Rule::SaturdayAfternoon,
        Rule::TwoStops,
        Rule::Pattern,
        Rule::CommuneDay,
        Rule::HalfDay,
        Rule::Holiday,
        Rule::Driving,
        Rule::Lunch,
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), all);
}
