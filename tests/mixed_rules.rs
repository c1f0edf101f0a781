//! Rules of different kinds in one bus (a weekly stop, the 2nd Thursday,
//! the 3rd and 4th Thursdays, odd ISO weeks, the last Friday, and communes
//! free to take any slot): the plan is made on a year of real dates. The
//! test reads the commune calendars the plan writes and checks, on every
//! date of the year and from the calendar alone, that each published rule
//! is kept date for date (holidays aside) and that the bus is never in two
//! places in one half-day.

mod common;

use chrono::{Datelike, NaiveDate, Weekday};
use common::{text, tournee};
use std::collections::{BTreeMap, BTreeSet};

const TABLE: &str = "insee,name,lat,lon,population,horaires,visits_per_month\n\
56121,Lorient,47.74794,-3.36951,57274,Th 09:30-12:00,\n\
56078,Guidel,47.79056,-3.48806,12000,Th[2] 14:00-16:30,\n\
56162,Ploemeur,47.73586,-3.42617,18000,Th[3-4] 14:00-16:30,\n\
56098,Lanester,47.76157,-3.34236,23000,week 01-53/2 Fr 09:30-12:00,\n\
56083,Hennebont,47.80477,-3.27621,16000,Fr[-1] 14:00-16:30,\n\
56107,Larmor-Plage,47.70705,-3.38513,8000,,2\n\
56034,Caudan,47.80936,-3.34126,6900,,1\n";

const SCENARIO: &str = "name = \"mixed\"\nterritory = \"communes.csv\"\nmonth = \"2027-01\"\n\
[[bus]]\nname = \"Bus\"\ndepot = \"56121\"\nweekdays = [\"Mon\", \"Tue\", \"Thu\", \"Fri\"]\n";

/// Every (date, opening minute) of a calendar file: DTSTART and RDATEs,
/// without its EXDATEs.
fn dates(ics: &str) -> BTreeSet<(NaiveDate, u32)> {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    let stamps = |line: &str| -> Vec<(NaiveDate, u32)> {
        let values = line.split_once(':').map_or("", |(_, v)| v);
        values
            .split(',')
            .map(|v| {
                let date = NaiveDate::parse_from_str(&v[..8], "%Y%m%d").unwrap();
                let minutes = v[9..11].parse::<u32>().unwrap() * 60 + v[11..13].parse::<u32>().unwrap();
                (date, minutes)
            })
            .collect()
    };
    let mut open = BTreeSet::new();
    let mut closed = BTreeSet::new();
    for line in unfolded.lines().map(str::trim_end) {
        if line.starts_with("DTSTART;TZID") || line.starts_with("RDATE") {
            open.extend(stamps(line));
        } else if line.starts_with("EXDATE") {
            closed.extend(stamps(line));
        }
    }
    open.difference(&closed).copied().collect()
}

/// A published rule as the test reads it: the commune, its weekday, its
/// opening minute and which dates of that weekday it takes.
type Rule = (&'static str, Weekday, u32, fn(NaiveDate) -> bool);

/// Whether `date` is the `n`-th of its weekday in its month, or the last.
fn nth(date: NaiveDate) -> u32 {
    date.day0() / 7 + 1
}
fn last(date: NaiveDate) -> bool {
    (date + chrono::Duration::days(7)).month() != date.month()
}

#[test]
fn every_rule_is_kept_on_every_date_and_no_half_day_is_taken_twice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("communes.csv"), TABLE).unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    let run = tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let calendar = |insee: &str| {
        let path = dir.path().join(format!("out/calendars/commune-{insee}.ics"));
        dates(&std::fs::read_to_string(path).unwrap())
    };
    // The published rules, each as a test of a date, independently of tournee.
    let rules: [Rule; 5] = [
        ("56121", Weekday::Thu, 570, |_| true),
        ("56078", Weekday::Thu, 840, |d| nth(d) == 2),
        ("56162", Weekday::Thu, 840, |d| nth(d) == 3 || nth(d) == 4),
        ("56098", Weekday::Fri, 570, |d| d.iso_week().week() % 2 == 1),
        ("56083", Weekday::Fri, 840, last),
    ];
    let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let year: Vec<NaiveDate> = (0..364).map(|k| first + chrono::Duration::days(k)).collect();
    for (insee, weekday, opens, keeps) in rules {
        let served = calendar(insee);
        for &date in &year {
            let due = date.weekday() == weekday && keeps(date);
            let listed = served.contains(&(date, opens));
            // A holiday is left out of a rule's dates, never added.
            assert!(!listed || due, "{insee}: {date} is not one of its rule's dates");
            if due && !listed {
                assert!(
                    is_holiday(date),
                    "{insee}: {date} is one of its rule's dates but not in its calendar"
                );
            }
        }
    }
    // Every commune's calendar together: one stop per date and opening.
    let mut taken: BTreeMap<(NaiveDate, u32), &str> = BTreeMap::new();
    for insee in ["56121", "56078", "56162", "56098", "56083", "56107", "56034"] {
        for when in calendar(insee) {
            if let Some(other) = taken.insert(when, insee) {
                panic!("{insee} and {other} both on {} at {}", when.0, when.1);
            }
        }
    }
    // The free communes: Larmor-Plage twice a month, Caudan once, on one weekday.
    for (insee, per_month) in [("56107", 2), ("56034", 1)] {
        let served = calendar(insee);
        let weekdays: BTreeSet<u32> = served.iter().map(|(d, _)| d.weekday().num_days_from_monday()).collect();
        assert_eq!(weekdays.len(), 1, "{insee}: {served:?}");
        let march: Vec<_> = served.iter().filter(|(d, _)| d.month() == 3).collect();
        assert_eq!(march.len(), per_month, "{insee} in March: {march:?}");
    }
}

/// The French public holidays of 2027 (published dates).
fn is_holiday(date: NaiveDate) -> bool {
    [
        (1, 1),
        (3, 29),
        (5, 1),
        (5, 6),
        (5, 8),
        (5, 17),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ]
    .iter()
    .any(|&(m, d)| date == NaiveDate::from_ymd_opt(2027, m, d).unwrap())
}

#[test]
fn two_published_rules_that_always_meet_are_refused_with_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let table = TABLE
        .replace("Th[2] 14:00-16:30", "week 01-53/2 Th 14:00-16:30")
        .replace("Th[3-4] 14:00-16:30", "Th[2] 14:00-16:30");
    std::fs::write(dir.path().join("communes.csv"), table).unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    let run = tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path());
    let err = text(&run.stderr);
    assert!(!run.status.success());
    assert!(
        err.contains("Guidel (line 3") && err.contains("Ploemeur (line 4") && err.contains("Thu PM on "),
        "{err}"
    );
    // The date named is a 2nd Thursday in an odd ISO week.
    let date = err.split("Thu PM on ").nth(1).unwrap()[..10].to_string();
    let date = NaiveDate::parse_from_str(&date, "%d/%m/%Y").unwrap();
    assert_eq!((nth(date), date.iso_week().week() % 2), (2, 1), "{date}");
}

/// The Lorient tour as published (data/lorient.csv: eleven lines, three
/// kinds of rule, written as `horaires`) plans as it is published: each
/// poster sentence says the rule of its line.
#[test]
fn the_published_lorient_tour_plans_as_published() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("data/lorient.toml");
    let run = tournee(
        &["plan", "--scenario", scenario.to_str().unwrap(), "--out", "out"],
        dir.path(),
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    for sentence in [
        "Guidel le 2e jeudi du mois, de 14h00 à 16h30",
        "Ploemeur le 3e et le 4e jeudi du mois, de 14h00 à 16h30",
        "Lanester un vendredi sur deux, les semaines impaires, de 8h45 à 11h30",
        "Lanester tous les vendredis, de 14h00 à 16h30",
        "Lorient tous les lundis, de 14h00 à 16h30, Kerguilette",
    ] {
        assert!(report.contains(sentence), "{sentence}");
    }
    let plan = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    let lorient_mondays = plan
        .lines()
        .filter(|l| l.contains(",Mon,") && l.contains(",56121,"))
        .count();
    assert!(lorient_mondays >= 2, "two Monday stops in Lorient: {plan}");
}

/// "Toutes les 3 semaines à partir du lundi 4 janvier", written as the
/// dates tournee writes for a rotation, beside odd ISO weeks in a
/// 2-week scenario: planned on real dates, the rotation's calendar holds
/// every third Monday from 4 January and no other day.
#[test]
fn a_rotation_from_a_date_beside_odd_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let table = "insee,name,lat,lon,population,horaires,visits_per_cycle\n\
56083,Hennebont,47.80539,-3.2694,15910,2027 Jan 04 09:30-12:00; 2027 Jan 25 09:30-12:00; 2027 Feb 15 09:30-12:00,\n\
56098,Lanester,47.76857,-3.326,23263,week 01-53/2 Tu 09:30-12:00,\n\
56034,Caudan,47.80936,-3.34126,6900,,1\n";
    std::fs::write(dir.path().join("communes.csv"), table).unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "name = \"r\"\nterritory = \"communes.csv\"\n[cycle]\nweeks = 2\nanchor = \"weeks\"\nfirst_monday = \"2027-01-04\"\n[[bus]]\nname = \"Bus\"\ndepot = \"56083\"\n",
    )
    .unwrap();
    let run = tournee(&["plan", "--scenario", "s.toml", "--out", "out"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let ics = std::fs::read_to_string(dir.path().join("out/calendars/commune-56083.ics")).unwrap();
    let served: BTreeSet<NaiveDate> = dates(&ics).into_iter().map(|(d, _)| d).collect();
    let first = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    for k in 0..52 {
        let monday = first + chrono::Duration::weeks(k);
        let due = k % 3 == 0;
        assert!(
            served.contains(&monday) == due || (due && is_holiday(monday)),
            "{monday}: due {due}, served {}",
            served.contains(&monday)
        );
    }
    assert!(served.iter().all(|d| d.weekday() == Weekday::Mon), "{served:?}");
    let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        report.contains("Hennebont un lundi toutes les 3 semaines, à partir du 04/01/2027"),
        "{report}"
    );
}
