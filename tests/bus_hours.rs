//! A bus's own session hours on some weekdays (`[[bus]] hours`): its
//! Wednesday afternoon runs 13:30–17:00 while the scenario's afternoons run
//! 14:00–16:30. The plan, the calendars and the checker use each day's own
//! hours; a malformed `hours` table is refused with its field.

mod common;

use common::{text, tournee};

const TABLE: &str = "insee,name,lat,lon,population,visits_per_month,half_day,weekdays\n\
34060,Causse-de-la-Selle,43.79256,3.63241,454,4,PM,Wed\n\
34277,Saint-Maurice-Navacelles,43.84268,3.50394,185,4,PM,Thu\n";

fn scenario(hours: &str) -> String {
    format!(
        "name = \"h\"\nterritory = \"communes.csv\"\nmonth = \"2027-03\"\n[[bus]]\nname = \"Bus\"\ndepot = \"34060\"\n{hours}\n"
    )
}

fn setup(hours: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("communes.csv"), TABLE).unwrap();
    std::fs::write(dir.path().join("s.toml"), scenario(hours)).unwrap();
    dir
}

#[test]
fn each_day_keeps_its_own_hours() {
    let dir = setup("hours = { Wed = { pm = { start = \"13:30\", end = \"17:00\" } } }");
    let run = tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let plan = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    for line in plan.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        // bus, week, weekday, half_day, start, end
        let hours = (cells[4], cells[5]);
        match cells[2] {
            "Wed" => assert_eq!(hours, ("13:30", "17:00"), "{line}"),
            _ => assert_eq!(hours, ("14:00", "16:30"), "{line}"),
        }
    }
    let ics = std::fs::read_to_string(dir.path().join("out/calendars/commune-34060.ics")).unwrap();
    assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270303T133000"), "{ics}");
    assert!(ics.contains("DTEND;TZID=Europe/Paris:20270303T170000"), "{ics}");
    // The plan as written passes check; the scenario's hours on Wednesday do not.
    let check = tournee(&["check", "--scenario", "s.toml", "--plan", "out"], dir.path());
    assert!(check.status.success(), "{}", text(&check.stdout) + &text(&check.stderr));
    let shifted = plan.replace(",Wed,PM,13:30,17:00,", ",Wed,PM,14:00,16:30,");
    std::fs::write(dir.path().join("shifted.csv"), shifted).unwrap();
    let check = tournee(&["check", "--scenario", "s.toml", "--plan", "shifted.csv"], dir.path());
    assert_eq!(
        check.status.code(),
        Some(2),
        "{}",
        text(&check.stdout) + &text(&check.stderr)
    );
}

#[test]
fn malformed_hours_are_refused_with_their_field() {
    for (hours, field) in [
        (
            "hours = { Wod = { pm = { start = \"13:30\", end = \"17:00\" } } }",
            "bus.hours.Wod",
        ),
        (
            "hours = { Wed = { pm = { start = \"17:30\", end = \"17:00\" } } }",
            "bus.hours.Wed.pm.end",
        ),
        (
            "hours = { Wed = { pm = { start = \"11:00\", end = \"17:00\" } } }",
            "bus.hours.Wed.pm.start",
        ),
    ] {
        let dir = setup(hours);
        let run = tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path());
        let err = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{hours}: {err}");
        assert!(err.contains(&format!("`{field}`")), "{hours}: {err}");
    }
}
