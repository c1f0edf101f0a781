//! `lieux-mediation-numerique.csv`: valid against the national schema
//! (frictionless), and its `horaires` — read by an independent
//! opening_hours implementation with France's public holidays — open
//! exactly the dates the iCalendar files open over 12 months.

mod common;

use chrono::{Datelike, NaiveDate};
use opening_hours::localization::Country;
use opening_hours::{Context, OpeningHours, RuleKind};
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;
use std::path::Path;
use tournee::output::{CsvStyle, RunInfo, map::Legs, opendata};
use tournee::schedule::model::Instance;
use tournee::schedule::plan::Plan;

/// Plans a shipped scenario with straight-line times.
fn planned(scenario: &str) -> (Instance, Plan) {
    let path = common::root().join("data").join(scenario);
    let (territory, scenario) = tournee::pipeline::load_inputs(None, Some(&path)).unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions {
        seed: 1,
        iterations: 3_000,
    };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    (instance, plan)
}

fn files(instance: &Instance, plan: &Plan) -> BTreeMap<String, Vec<u8>> {
    let run = RunInfo {
        seed: Some(1),
        iterations: None,
        moved: None,
    };
    tournee::output::output_files(instance, plan, run, CsvStyle::Plain, &Legs::Straight)
        .unwrap()
        .into_iter()
        .collect()
}

/// Dates of every event of an .ics file (DTSTART + RRULE − EXDATE).
fn ics_dates(text: &[u8]) -> BTreeSet<NaiveDate> {
    let mut parser = ::ical::IcalParser::new(BufReader::new(text));
    let calendar = parser.next().unwrap().unwrap();
    let mut dates = BTreeSet::new();
    for event in &calendar.events {
        let get = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
        };
        let mut rule = format!(
            "DTSTART;TZID=Europe/Paris:{}\nRRULE:{}",
            get("DTSTART").unwrap(),
            get("RRULE").unwrap()
        );
        if let Some(ex) = get("EXDATE") {
            rule += &format!("\nEXDATE;TZID=Europe/Paris:{ex}");
        }
        let set: rrule::RRuleSet = rule.parse().unwrap();
        dates.extend(set.all(10_000).dates.iter().map(|d| d.date_naive()));
    }
    dates
}

/// The dates an opening_hours string opens on, from `start` for a year.
fn open_dates(horaires: &str, start: NaiveDate) -> BTreeSet<NaiveDate> {
    let oh = OpeningHours::parse(horaires)
        .unwrap_or_else(|e| panic!("`{horaires}` does not parse: {e}"))
        .with_context(Context::default().with_holidays(Country::FR.holidays()));
    start
        .iter_days()
        .take_while(|d| *d < start.with_year(start.year() + 1).unwrap())
        .filter(|d| oh.schedule_at(*d).into_iter().any(|r| r.kind == RuleKind::Open))
        .collect()
}

/// For every commune calendar, the dates of the file's `horaires` equal
/// the calendar's over the first year.
fn horaires_match_calendars(scenario: &str) -> usize {
    let (instance, plan) = planned(scenario);
    let files = files(&instance, &plan);
    let start = instance
        .cycle
        .first_monday()
        .or_else(|| {
            instance
                .cycle
                .month()
                .and_then(|m| NaiveDate::from_ymd_opt(m.year, m.month, 1))
        })
        .unwrap();
    let table = &files[opendata::FILE];
    let mut reader = csv::Reader::from_reader(table.as_slice());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (insee, horaires) = (column("code_insee"), column("horaires"));
    let mut by_commune: BTreeMap<String, BTreeSet<NaiveDate>> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        by_commune
            .entry(row[insee].to_string())
            .or_default()
            .extend(open_dates(&row[horaires], start));
    }
    let year_end = start.with_year(start.year() + 1).unwrap();
    let mut checked = 0;
    for (code, dates) in &by_commune {
        let calendar = &files[&format!("calendars/commune-{code}.ics")];
        let expected: BTreeSet<NaiveDate> = ics_dates(calendar).into_iter().filter(|d| *d < year_end).collect();
        assert!(!expected.is_empty());
        assert_eq!(dates, &expected, "{scenario}: commune {code}");
        checked += 1;
    }
    assert_eq!(checked, plan.communes_served(&instance.territory));
    checked
}

#[test]
fn horaires_open_the_calendars_dates_under_the_month_anchor() {
    // January 2027: 1 January is a public holiday (a Friday).
    assert_eq!(horaires_match_calendars("pays_apt_luberon.toml"), 25);
    assert!(horaires_match_calendars("thierache_sambre_oise.toml") > 30);
}

#[test]
fn horaires_open_the_calendars_dates_on_rolling_cycles() {
    // Odd and even ISO weeks, whole days (Ruffecois), and a 5-week
    // rotation no weekly rule follows across a turn of year (Corsica).
    assert!(horaires_match_calendars("published/ruffecois/scenario.toml") > 5);
    assert!(horaires_match_calendars("pasquale_paoli.toml") > 30);
}

#[test]
fn the_open_data_file_passes_the_national_schema() {
    let Some(schema) = common::shared("standards/lieux-mediation-numerique/schema.json") else {
        return;
    };
    let found = std::process::Command::new("frictionless").arg("--version").output();
    if found.is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but frictionless is not installed (.ci/run installs it)"
        );
        eprintln!("skipping: frictionless is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for scenario in [
        "pays_apt_luberon.toml",
        "published/ruffecois/scenario.toml",
        "pasquale_paoli.toml",
    ] {
        let (instance, plan) = planned(scenario);
        let path = dir.path().join(format!("{}.csv", scenario.replace('/', "_")));
        std::fs::write(&path, &files(&instance, &plan)[opendata::FILE]).unwrap();
        let out = std::process::Command::new("frictionless")
            .args(["validate", "--trusted", "--schema"])
            .arg(&schema)
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("VALID"), "{scenario}: {text}");
    }
}

#[test]
fn what_the_schema_requires_and_tournee_cannot_know_is_asked_for_by_name() {
    let parse = |text: &str| tournee::input::scenario::Scenario::parse(text, Path::new("s.toml"));
    let err = parse("[publish]\nnom = \"Bus\"\n").unwrap_err().to_string();
    assert!(err.contains("publish.pivot") && err.contains("SIRET"), "{err}");
    let err = parse("[publish]\npivot = \"12\"\nnom = \"Bus\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("publish.pivot") && err.contains("9 to 14"), "{err}");
    let err = parse("[publish]\npivot = \"200040624\"\nnom = \"\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("publish.nom"), "{err}");
    let err = parse("[publish]\npivot = \"200040624\"\nnom = \"Bus\"\ntelephone = \"call us\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("publish.telephone"), "{err}");
    // A commune table without postal codes: the export names the commune.
    let table = "insee,name,lat,lon,population\n84003,Apt,43.88148,5.38138,10143\n84047,Gargas,43.89386,5.34352,3035\n";
    let territory = tournee::input::territory::Territory::parse(table, Path::new("two.csv")).unwrap();
    let scenario = parse("[publish]\npivot = \"200040624\"\nnom = \"Bus\"\nadresse = \"Place de la Mairie\"\ndate_maj = \"2027-01-01\"\n").unwrap();
    let instance = Instance::straight_line(territory, &scenario).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions {
        seed: 1,
        iterations: 500,
    };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    let err = opendata::csv(&instance, &plan).unwrap_err().to_string();
    assert!(
        err.contains("two.csv") && err.contains("code_postal") && err.contains("(84"),
        "{err}"
    );
}
