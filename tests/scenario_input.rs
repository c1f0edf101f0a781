//! The scenario file: defaults, overrides, and rejections with line and field.

use std::path::Path;
use tournee::ErrorKind;
use tournee::input::scenario::{Depot, Scenario};

fn parse(text: &str) -> Result<Scenario, tournee::Error> {
    Scenario::parse(text, Path::new("dir/scenario.toml"))
}

fn rejects(text: &str, line: u64, needle: &str) {
    let err = parse(text).expect_err("the scenario should be rejected");
    assert_eq!(err.kind, ErrorKind::Input);
    let loc = err.location.clone().unwrap();
    assert_eq!(loc.file.as_deref(), Some(Path::new("dir/scenario.toml")));
    assert_eq!(loc.line, Some(line), "{err}");
    assert!(err.to_string().contains(needle), "`{err}` should mention `{needle}`");
}

#[test]
fn reads_every_section() {
    let s = parse(
        r#"
name = "Test"
territory = "communes.csv"
month = "2027-03"
max_drive_minutes = 150
[[bus]]
name = "Nord"
depot = "84003"
weekdays = ["lundi", "Thu"]
[[bus]]
depot = { lat = 43.9, lon = 5.4 }
[sessions]
am = { start = "9h00", end = "12:00" }
pm = { start = "13:30", end = "16:00" }
[frequency]
monthly_from = 50
twice_from = 1500
weekly_from = 4000
[travel]
detour = 1.3
speed_kmh = 45
[solver]
seed = 9
iterations = 1000
"#,
    )
    .unwrap();
    assert_eq!(s.territory.as_deref(), Some(Path::new("dir/communes.csv")));
    assert_eq!(s.cycle.month().unwrap().to_string(), "2027-03");
    assert_eq!(s.buses.len(), 2);
    assert_eq!(s.buses[0].weekdays, vec![chrono::Weekday::Mon, chrono::Weekday::Thu]);
    assert_eq!(s.buses[1].name, "Bus 2");
    assert!(matches!(s.buses[1].depot, Some(Depot::Point(_))));
    assert_eq!(s.sessions.am.start, 9 * 60);
    assert_eq!(s.sessions.lunch_gap_seconds(), 90.0 * 60.0);
    assert_eq!(s.frequency.visits_for(49), 0);
    assert_eq!(s.frequency.visits_for(1500), 2);
    assert_eq!(s.travel.speed_kmh, 45.0);
    assert_eq!((s.solver.seed, s.solver.iterations), (9, 1000));
}

#[test]
fn rejects_unknown_keys_with_their_line() {
    rejects(
        "name = \"x\"\n[[bus]]\nname = \"a\"\ndepto = \"84003\"\n",
        4,
        "unknown field `depto`",
    );
}

#[test]
fn rejects_wrong_types() {
    rejects("max_drive_minutes = \"three hours\"\n", 1, "max_drive_minutes");
}

#[test]
fn rejects_an_afternoon_before_the_morning() {
    rejects(
        "[sessions]\nam = { start = \"09:30\", end = \"12:00\" }\npm = { start = \"11:00\", end = \"13:00\" }\n",
        3,
        "before the morning one ends at 12:00",
    );
}

#[test]
fn rejects_bad_values() {
    rejects("month = \"January\"\n", 1, "YYYY-MM");
    rejects(
        "[[bus]]\nweekdays = [\"Mon\", \"Funday\"]\n",
        2,
        "unknown weekday `Funday`",
    );
    rejects("[sessions]\nam = { start = \"25:00\", end = \"12:00\" }\n", 2, "HH:MM");
    rejects(
        "[frequency]\ntwice_from = 6000\nweekly_from = 5000\n",
        3,
        "increasing order",
    );
    rejects("[travel]\ndetour = 0.5\n", 2, "between 1 and 5");
}

#[test]
fn reads_a_rolling_cycle_and_refuses_a_cycle_that_cannot_be() {
    use tournee::calendar::Anchor;
    let s = parse("[cycle]\nweeks = 5\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n").unwrap();
    assert_eq!(s.cycle.weeks, 5);
    assert_eq!(
        s.cycle.anchor,
        Anchor::Weeks(chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap())
    );
    assert_eq!(
        parse("month = \"2027-03\"\n[cycle]\nweeks = 4\n").unwrap().cycle.weeks,
        4
    );
    rejects("[cycle]\nweeks = 13\n", 2, "expected 1 to 12 weeks");
    rejects("[cycle]\nweeks = 5\n", 2, "anchored on the month has 4 weeks");
    rejects(
        "[cycle]\nanchor = \"fortnight\"\n",
        2,
        "expected \"month\" or \"weeks\"",
    );
    rejects(
        "[cycle]\nanchor = \"weeks\"\nfirst_monday = \"2027-01-05\"\n",
        3,
        "expected a Monday",
    );
    rejects(
        "month = \"2027-01\"\n[cycle]\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n",
        1,
        "remove `month`",
    );
    // 28 December 2026 starts ISO week 53, followed by week 1: same parity.
    rejects(
        "[cycle]\nweeks = 2\nanchor = \"weeks\"\nfirst_monday = \"2026-12-28\"\n",
        4,
        "ISO week 53",
    );
    let missing = parse("[cycle]\nanchor = \"weeks\"\n").unwrap_err();
    assert!(missing.to_string().contains("first_monday"), "{missing}");
}

#[test]
fn rejects_dates_outside_2000_to_2100_with_their_line() {
    rejects("month = \"0000-01\"\n", 1, "between 2000 and 2100");
    rejects(
        "[cycle]\nanchor = \"weeks\"\nweeks = 2\nfirst_monday = \"0000-01-03\"\n",
        4,
        "between 2000 and 2100",
    );
    rejects(
        "[publish]\npivot = \"200072643\"\nnom = \"Bus\"\ndate_maj = \"2207-01-01\"\n",
        4,
        "between 2000 and 2100",
    );
    assert!(parse("month = \"2100-12\"\n").is_ok());
}

#[test]
fn reads_a_bus_that_works_only_some_half_days() {
    use chrono::Weekday;
    use tournee::calendar::HalfDay;
    let s = parse("[[bus]]\nname = \"Bus\"\nhalf_days = [\"Wed PM\", \"vendredi AM\"]\n").unwrap();
    assert_eq!(
        s.buses[0].half_days,
        Some(vec![(Weekday::Wed, HalfDay::Pm), (Weekday::Fri, HalfDay::Am)])
    );
    assert_eq!(s.buses[0].weekdays, vec![Weekday::Wed, Weekday::Fri]);
    rejects("[[bus]]\nhalf_days = [\"Sat PM\"]\n", 2, "Saturday: AM only");
    rejects("[[bus]]\nhalf_days = [\"Wed\"]\n", 2, "such as \"Wed PM\"");
    rejects(
        "[[bus]]\nweekdays = [\"Mon\"]\nhalf_days = [\"Wed PM\"]\n",
        3,
        "not both",
    );
}
