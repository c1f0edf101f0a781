//! A commune served at several slots: one row per line of service, each
//! with a `slot` label. The table reader accepts only distinct labels on
//! rows that describe the same commune; the solver keeps a commune's lines
//! on different days; the checker refuses two lines on one day; the
//! outputs give one calendar, one poster and one open-data row per commune.

mod common;

use common::{root, text, tournee};
use std::collections::BTreeSet;
use std::path::Path;
use tournee::input::territory::Territory;

const HEADER: &str = "insee,name,lat,lon,population,visits_per_cycle,half_day,slot\n";
const NEMOURS: &str = "77333,Nemours,48.26335,2.7187,12889";

fn parse(rows: &str) -> Result<Territory, tournee::Error> {
    Territory::parse(&format!("{HEADER}{rows}"), Path::new("communes.csv"))
}

fn refusal(rows: &str) -> (u64, String, String) {
    let err = parse(rows).expect_err("the table should be refused");
    let at = err.location.clone().expect("a location");
    (at.line.unwrap(), at.field.unwrap(), err.to_string())
}

#[test]
fn the_table_takes_one_row_per_slot_and_counts_the_commune_once() {
    let t = parse(&format!("{NEMOURS},1,AM,mardi\n{NEMOURS},1,AM,vendredi\n")).unwrap();
    assert_eq!(t.communes.len(), 2);
    assert_eq!(t.population(), 12889, "one commune's inhabitants, not two rows'");
    assert_eq!(t.slots_of(1).collect::<Vec<_>>(), [0, 1]);
    assert!(t.is_extra_slot(1) && !t.is_extra_slot(0));
}

#[test]
fn a_repeated_commune_needs_distinct_labels_and_the_same_facts() {
    let (line, field, message) = refusal(&format!("{NEMOURS},1,AM,\n{NEMOURS},1,AM,\n"));
    assert_eq!((line, field.as_str()), (3, "insee"), "{message}");
    assert!(message.contains("slot"), "{message}");
    let (line, field, message) = refusal(&format!("{NEMOURS},1,AM,a\n{NEMOURS},1,PM,a\n"));
    assert_eq!((line, field.as_str()), (3, "slot"), "{message}");
    assert!(message.contains("line 2"), "{message}");
    let (line, field, message) = refusal(&format!(
        "{NEMOURS},1,AM,a\n77333,Nemours,48.26335,2.7187,12000,1,AM,b\n"
    ));
    assert_eq!((line, field.as_str()), (3, "population"), "{message}");
    assert!(message.contains("12889"), "{message}");
    let (line, field, message) = refusal(&format!("{NEMOURS},1,AM,\n{NEMOURS},1,AM,b\n"));
    assert_eq!((line, field.as_str()), (2, "slot"), "{message}");
}

/// (weekday, half-day, slot) of each visit of `insee` in a plan.csv.
fn visits_of(plan: &str, insee: &str) -> Vec<(String, String, String)> {
    let mut lines = plan.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[col("insee")] == insee)
        .map(|r| {
            (
                r[col("weekday")].into(),
                r[col("half_day")].into(),
                r[col("slot")].into(),
            )
        })
        .collect()
}

#[test]
fn the_plan_keeps_a_communes_lines_on_different_days_with_one_calendar() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("plan");
    let scenario = root().join("data/published/nemours/scenario.toml");
    let run = tournee(
        &[
            "plan",
            "--scenario",
            scenario.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ],
        out.path(),
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let plan = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    let nemours = visits_of(&plan, "77333");
    assert_eq!(nemours.len(), 3, "three weekly mornings: {nemours:?}");
    let days: BTreeSet<&str> = nemours.iter().map(|v| v.0.as_str()).collect();
    assert_eq!(days.len(), 3, "on three different days: {nemours:?}");
    assert!(nemours.iter().all(|v| v.1 == "AM"), "each line keeps its morning");
    let slots: BTreeSet<&str> = nemours.iter().map(|v| v.2.as_str()).collect();
    assert_eq!(slots, BTreeSet::from(["1", "2", "3"]));
    let calendars: Vec<String> = std::fs::read_dir(dir.join("calendars"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("commune-77333"))
        .collect();
    assert_eq!(calendars, ["commune-77333.ics"]);
    let ics = std::fs::read_to_string(dir.join("calendars/commune-77333.ics")).unwrap();
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        3,
        "one calendar with its three slots"
    );
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        report.matches("<div class=\"commune\">Nemours</div>").count(),
        1,
        "one poster for Nemours"
    );
}

/// A plan that serves two lines of one commune on one Monday (morning and
/// afternoon) is refused, naming both slots; the same two lines on Monday
/// and Tuesday pass.
#[test]
fn the_checker_refuses_two_lines_of_a_commune_on_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let table =
        format!("{HEADER}{NEMOURS},1,,a\n{NEMOURS},1,,b\n77302,Moncourt-Fromonville,48.29832,2.71526,1891,1,,\n");
    std::fs::write(dir.path().join("communes.csv"), table).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        "name = \"t\"\nterritory = \"communes.csv\"\n[cycle]\nweeks = 1\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n",
    )
    .unwrap();
    let check = |rows: &str| {
        let plan = dir.path().join("plan.csv");
        std::fs::write(&plan, format!("bus,week,weekday,half_day,insee\n{rows}")).unwrap();
        tournee(
            &["check", "--scenario", "scenario.toml", "--plan", "plan.csv"],
            dir.path(),
        )
    };
    let same_day = check("Bus 1,1,Mon,AM,77333\nBus 1,1,Mon,PM,77333\nBus 1,1,Tue,AM,77302\n");
    assert_eq!(same_day.status.code(), Some(2), "{}", text(&same_day.stderr));
    let said = text(&same_day.stdout) + &text(&same_day.stderr);
    assert!(said.contains("slots a and b on one day"), "{said}");
    let apart = check("Bus 1,1,Mon,AM,77333\nBus 1,1,Tue,PM,77333\nBus 1,1,Wed,AM,77302\n");
    assert!(apart.status.success(), "{}", text(&apart.stdout) + &text(&apart.stderr));
}

/// Two lines at different stops of one town (two quarters, each its own
/// `stop_name`) may share a day; the same two lines at one stop may not.
#[test]
fn lines_at_different_stops_may_share_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let table = "insee,name,lat,lon,population,visits_per_cycle,slot,stop_name\n\
77333,Nemours,48.26335,2.7187,12889,1,a,Mairie\n\
77333,Nemours,48.26335,2.7187,12889,1,b,Quartier du Mont Saint-Martin\n";
    std::fs::write(dir.path().join("communes.csv"), table).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        "name = \"t\"\nterritory = \"communes.csv\"\n[cycle]\nweeks = 1\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plan.csv"),
        "bus,week,weekday,half_day,insee,slot\nBus 1,1,Mon,AM,77333,a\nBus 1,1,Mon,PM,77333,b\n",
    )
    .unwrap();
    let check = tournee(
        &["check", "--scenario", "scenario.toml", "--plan", "plan.csv"],
        dir.path(),
    );
    assert!(check.status.success(), "{}", text(&check.stdout) + &text(&check.stderr));
    let one_stop = table.replace("Quartier du Mont Saint-Martin", "Mairie");
    std::fs::write(dir.path().join("communes.csv"), one_stop).unwrap();
    let check = tournee(
        &["check", "--scenario", "scenario.toml", "--plan", "plan.csv"],
        dir.path(),
    );
    let said = text(&check.stdout) + &text(&check.stderr);
    assert!(said.contains("slots a and b on one day"), "{said}");
}
