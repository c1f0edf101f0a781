//! A published rule as input: the `horaires` column pins a commune to its
//! weekday, weeks of the month and hours; a rule the scenario cannot keep
//! is refused with its line; the checker finds a visit off the rule.

mod common;

use common::{text, tournee};

const SCENARIO: &str = "name = \"h\"\nterritory = \"communes.csv\"\nmonth = \"2027-03\"\n";
const HEADER: &str = "insee,name,lat,lon,population,horaires,visits_per_month\n";
const OTHERS: &str =
    "34060,Causse-de-la-Selle,43.79256,3.63241,454,,2\n34277,Saint-Maurice-Navacelles,43.84268,3.50394,185,,1\n";

/// A folder holding the scenario and a commune table of `rows`.
fn setup(rows: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("communes.csv"), format!("{HEADER}{rows}")).unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    dir
}

fn plan(dir: &tempfile::TempDir) -> std::process::Output {
    tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path())
}

#[test]
fn a_published_rule_pins_weekday_weeks_and_hours() {
    let rows = format!("34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,Th[3-4] 09:45-12:00,\n{OTHERS}");
    let dir = setup(&rows);
    let out = plan(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    let mine: Vec<Vec<&str>> = plan
        .lines()
        .filter(|l| l.contains(",34264,"))
        .map(|l| l.split(',').collect())
        .collect();
    // bus, week, weekday, half_day, start, end, …: the 3rd and 4th Thursdays, 9:45 to 12:00.
    let weeks: Vec<&str> = mine.iter().map(|r| r[1]).collect();
    assert_eq!(weeks, ["3", "4"], "{plan}");
    assert!(
        mine.iter()
            .all(|r| r[2] == "Thu" && r[3] == "AM" && r[4] == "09:45" && r[5] == "12:00"),
        "{plan}"
    );
    // 18 and 25 March 2027 are the 3rd and 4th Thursdays.
    assert!(plan.contains("2027-03-18") && plan.contains("2027-03-25"), "{plan}");
}

#[test]
fn a_rule_the_scenario_cannot_keep_is_refused_with_its_line() {
    for (rule, says) in [
        ("Th[2] 09:00-12:00", "outside the AM session 09:30-12:00"),
        ("Th[2] 12:00-09:30", "expected hours"),
        ("Xy[2] 09:30-12:00", "expected a weekday"),
    ] {
        let rows = format!("{OTHERS}34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,{rule},\n");
        let out = plan(&setup(&rows));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rule}: {err}");
        assert!(
            err.contains("line 4") && err.contains("`horaires`") && err.contains(says),
            "{rule}: {err}"
        );
    }
    let rows = format!("{OTHERS}34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,Th[2] 09:30-12:00,1\n");
    let err = text(&plan(&setup(&rows)).stderr);
    assert!(err.contains("line 4") && err.contains("`visits_per_month`"), "{err}");
}

/// A 5th Thursday is no week of the 4-week month cycle: the tour is then
/// planned on the real dates of a year, which needs the scenario's month.
#[test]
fn a_fifth_weekday_is_planned_on_real_dates() {
    let rows = format!("{OTHERS}34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,Th[5] 09:45-12:00,\n");
    let dir = setup(&rows);
    let out = plan(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ics = std::fs::read_to_string(dir.path().join("out/calendars/commune-34264.ics")).unwrap();
    // The 5th Thursdays from March 2027: 29 April, 29 July, 30 September, 30 December.
    for date in [
        "20270429T094500",
        "20270729T094500",
        "20270930T094500",
        "20271230T094500",
    ] {
        assert!(ics.contains(date), "{date}: {ics}");
    }
    assert!(!ics.contains("20270422T0945"), "a 4th Thursday: {ics}");
    std::fs::write(
        dir.path().join("s.toml"),
        "name = \"h\"\nterritory = \"communes.csv\"\n",
    )
    .unwrap();
    let err = text(&plan(&dir).stderr);
    assert!(
        err.contains("line 4") && err.contains("give the scenario a `month`"),
        "{err}"
    );
}

#[test]
fn the_checker_finds_a_visit_off_the_published_rule() {
    let rows = format!("34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,Th[3-4] 09:45-12:00,\n{OTHERS}");
    let dir = setup(&rows);
    let check = |rows: &str| {
        std::fs::write(
            dir.path().join("plan.csv"),
            format!("bus,week,weekday,half_day,start,end,insee\n{rows}"),
        )
        .unwrap();
        tournee(&["check", "--scenario", "s.toml", "--plan", "plan.csv"], dir.path())
    };
    let others =
        "Bus 1,1,Mon,PM,14:00,16:30,34060\nBus 1,3,Mon,PM,14:00,16:30,34060\nBus 1,2,Mon,PM,14:00,16:30,34277\n";
    let kept = check(&format!(
        "Bus 1,3,Thu,AM,09:45,12:00,34264\nBus 1,4,Thu,AM,09:45,12:00,34264\n{others}"
    ));
    assert!(kept.status.success(), "{}", text(&kept.stdout) + &text(&kept.stderr));
    let moved = check(&format!(
        "Bus 1,1,Thu,AM,09:45,12:00,34264\nBus 1,3,Thu,AM,09:45,12:00,34264\n{others}"
    ));
    let said = text(&moved.stdout) + &text(&moved.stderr);
    assert_eq!(moved.status.code(), Some(2), "{said}");
    assert!(
        said.contains("not those of its published rule `Th[3-4] 09:45-12:00`"),
        "{said}"
    );
}

/// A whole day published as one range of its own (9:30 to 15:30, not the
/// sessions' 9:30–12:00 and 14:00–16:30) takes the whole day and shows its
/// own hours on the calendar and the poster.
#[test]
fn a_whole_day_keeps_its_own_hours() {
    let rows = format!("34264,Saint-Jean-de-Buèges,43.83369,3.60192,208,Tu 09:30-15:30,\n{OTHERS}");
    let dir = setup(&rows);
    let out = plan(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    let rows: Vec<&str> = plan.lines().filter(|l| l.contains(",34264,")).collect();
    // Every Tuesday of the month, morning and afternoon.
    assert_eq!(rows.len(), 8, "{plan}");
    assert!(rows.iter().all(|r| r.contains(",Tue,")), "{plan}");
    let ics = std::fs::read_to_string(dir.path().join("out/calendars/commune-34264.ics")).unwrap();
    assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270302T093000"), "{ics}");
    assert!(ics.contains("DTEND;TZID=Europe/Paris:20270302T153000"), "{ics}");
    let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        report.contains("Saint-Jean-de-Buèges tous les mardis, toute la journée, de 9h30 à 15h30"),
        "{report}"
    );
}
