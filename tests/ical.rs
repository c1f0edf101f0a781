//! iCalendar exports read back with real parsers: `ical` for the file
//! structure, `rrule` to expand each event's recurrence, which must give
//! the plan's dates in the planned month and the right nth weekdays,
//! without public holidays, over the whole horizon.

mod common;

use chrono::{Datelike, NaiveDate};
use std::io::BufReader;
use tournee::calendar::is_french_holiday;
use tournee::output::ical::{self as export_ical, HORIZON_MONTHS};

fn property<'a>(event: &'a ::ical::parser::ical::component::IcalEvent, name: &str) -> Option<&'a str> {
    event
        .properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// Expands DTSTART + RRULE + EXDATE of a parsed event into local dates.
fn expand(event: &::ical::parser::ical::component::IcalEvent) -> Vec<NaiveDate> {
    let mut text = format!(
        "DTSTART;TZID=Europe/Paris:{}\nRRULE:{}",
        property(event, "DTSTART").unwrap(),
        property(event, "RRULE").unwrap()
    );
    if let Some(ex) = property(event, "EXDATE") {
        text += &format!("\nEXDATE;TZID=Europe/Paris:{ex}");
    }
    let set: rrule::RRuleSet = text.parse().unwrap();
    set.all(10_000).dates.iter().map(|d| d.date_naive()).collect()
}

/// The commune whose calendar is `calendars/commune-<insee>.ics`.
fn commune_of(instance: &tournee::schedule::model::Instance, file: &str) -> usize {
    let insee = file.trim_start_matches("calendars/commune-").trim_end_matches(".ics");
    instance
        .territory
        .communes
        .iter()
        .position(|x| x.insee == insee)
        .unwrap()
}

#[test]
fn calendars_expand_to_the_planned_dates_without_holidays() {
    // Thiérache, January 2027: 1 January is a Friday holiday.
    let (instance, plan) = common::builtin_plan(1, 2, 60_000);
    let month = instance.cycle.month().unwrap();
    let files = export_ical::calendars(&instance, &plan.stops());
    // One calendar for the bus and one per commune served.
    assert_eq!(files.len(), 1 + plan.communes_served(&instance.territory));
    let mut events_seen = 0;
    for (name, text) in files.iter().filter(|(n, _)| n.contains("commune-")) {
        let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser.next().unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parser.next().is_none());
        assert_eq!(cal.timezones.len(), 1);
        let c = commune_of(&instance, name);
        let planned: Vec<NaiveDate> = plan
            .visits
            .iter()
            .filter(|v| v.commune == c)
            .map(|v| month.date_of(v.slot.week, v.slot.weekday))
            .collect();
        for event in &cal.events {
            events_seen += 1;
            let dates = expand(event);
            let first_month: Vec<NaiveDate> = dates
                .iter()
                .copied()
                .filter(|d| d.year() == month.year && d.month() == month.month)
                .collect();
            assert!(
                first_month.iter().all(|d| planned.contains(d)),
                "{name}: {first_month:?} vs {planned:?}"
            );
            assert!(
                dates.iter().all(|d| !is_french_holiday(*d)),
                "{name}: a holiday is in {dates:?}"
            );
            // Independently: every produced date is a planned weekday, in a
            // planned week of its month (the n-th occurrence, n = (day+6)/7).
            let weekday = planned[0].weekday();
            let weeks: Vec<u32> = planned.iter().map(|d| d.day0() / 7 + 1).collect();
            for d in &dates {
                assert_eq!(d.weekday(), weekday, "{name}: {d}");
                assert!(
                    weeks.contains(&(d.day0() / 7 + 1)),
                    "{name}: {d} is not in weeks {weeks:?}"
                );
            }
            // And the count: weeks × months minus holidays on those dates.
            let expected = (0..HORIZON_MONTHS)
                .flat_map(|k| {
                    let m0 = month.year * 12 + month.month as i32 - 1 + k as i32;
                    let (y, m) = (m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1);
                    weeks
                        .iter()
                        .map(move |w| NaiveDate::from_weekday_of_month_opt(y, m, weekday, *w as u8).unwrap())
                })
                .filter(|d| !is_french_holiday(*d))
                .count();
            assert_eq!(dates.len(), expected, "{name}");
        }
    }
    assert_eq!(events_seen, plan.stops().len());
}

#[test]
fn lines_are_folded_at_75_octets_with_crlf() {
    let (instance, plan) = common::builtin_plan(0, 1, 20_000);
    for (_, text) in export_ical::calendars(&instance, &plan.stops()) {
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
            assert!(!line.contains('\n'));
        }
    }
}

/// Ten communes of CC Pasquale Paoli (one visit each) on a rolling cycle of
/// `weeks` from `first_monday`, planned.
fn rolling_plan(weeks: u8, first_monday: &str) -> (tournee::schedule::model::Instance, tournee::schedule::plan::Plan) {
    use std::path::Path;
    let table: String = std::fs::read_to_string(common::root().join("data/pasquale_paoli.csv"))
        .unwrap()
        .lines()
        .take(11)
        .map(|l| format!("{l}\n"))
        .collect();
    let scenario = format!(
        "max_drive_minutes = 300\n[cycle]\nweeks = {weeks}\nanchor = \"weeks\"\nfirst_monday = \"{first_monday}\"\n"
    );
    let territory = tournee::input::territory::Territory::parse(&table, Path::new("ten.csv")).unwrap();
    let scenario = tournee::input::scenario::Scenario::parse(&scenario, Path::new("rolling.toml")).unwrap();
    let instance = tournee::schedule::model::Instance::straight_line(territory, &scenario).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions {
        seed: 1,
        iterations: 4_000,
    };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    (instance, plan)
}

#[test]
fn rolling_calendars_expand_to_the_plan_dates_over_two_years_across_a_53_week_year() {
    use tournee::output::ical::HORIZON_MONTHS_ROLLING;
    // 2026 has 53 ISO weeks (28 December 2026 is in week 53): a 2-week
    // cycle on ISO parity from January 2026 crosses it.
    for (weeks, first_monday) in [(2u8, "2026-01-05"), (5, "2026-01-05"), (3, "2026-11-02")] {
        let (instance, plan) = rolling_plan(weeks, first_monday);
        let first = NaiveDate::parse_from_str(first_monday, "%Y-%m-%d").unwrap();
        let until = first
            .checked_add_months(chrono::Months::new(HORIZON_MONTHS_ROLLING))
            .unwrap();
        let files = export_ical::calendars(&instance, &plan.stops());
        assert_eq!(files.len(), 1 + plan.communes_served(&instance.territory));
        for (name, text) in files.iter().filter(|(n, _)| n.contains("commune-")) {
            let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
            let cal = parser.next().unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
            for event in &cal.events {
                let dates = expand(event);
                // The plan's first date of this stop, from plan.csv's week:
                // first_monday + 7 × (week − 1) + the weekday.
                let c = commune_of(&instance, name);
                let v = plan.visits.iter().find(|v| v.commune == c).unwrap();
                let planned = first
                    + chrono::Duration::days(
                        7 * i64::from(v.slot.week - 1) + i64::from(v.slot.weekday.num_days_from_monday()),
                    );
                // Independently of the exporter: every date of the stop's
                // weekday in the horizon that is in its rotation — ISO week
                // parity for 2 weeks, every `weeks` weeks otherwise.
                let expected: Vec<NaiveDate> = (0..)
                    .map(|k| planned + chrono::Duration::weeks(k))
                    .take_while(|d| *d < until)
                    .filter(|d| match weeks {
                        2 => d.iso_week().week() % 2 == planned.iso_week().week() % 2,
                        _ => (*d - planned).num_weeks() % i64::from(weeks) == 0,
                    })
                    .filter(|d| !is_french_holiday(*d))
                    .collect();
                assert_eq!(dates, expected, "{name}, {weeks}-week cycle");
                if weeks == 2 {
                    // The parity carries over the 53-week year: two visits in
                    // a row across it for the odd weeks.
                    let odd = planned.iso_week().week() % 2 == 1;
                    let across = dates
                        .iter()
                        .filter(|d| d.year() == 2026 && d.iso_week().week() == 53)
                        .count();
                    assert_eq!(
                        across,
                        usize::from(odd && v.slot.weekday != chrono::Weekday::Fri),
                        "{name}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_whole_day_is_one_event_from_the_morning_to_the_end_of_the_afternoon() {
    use tournee::input::territory::{HalfDayRule, Territory, Unlocated};
    let root = common::root();
    let scenario =
        tournee::input::scenario::Scenario::from_path(&root.join("data/published/ruffecois/scenario.toml")).unwrap();
    let territory = Territory::read(&root.join("data/published/ruffecois/communes.csv"), Unlocated::Refuse).unwrap();
    let instance = tournee::schedule::model::Instance::straight_line(territory, &scenario).unwrap();
    let options = tournee::schedule::as_pvrp::SolveOptions {
        seed: 1,
        iterations: 4_000,
    };
    let plan = tournee::schedule::solve_checked(&instance, options, &()).unwrap();
    let (am, pm) = (scenario.sessions.am, scenario.sessions.pm);
    for (name, text) in export_ical::calendars(&instance, &plan.stops())
        .iter()
        .filter(|(n, _)| n.contains("commune-"))
    {
        let c = commune_of(&instance, name);
        let whole = instance.territory.communes[c].half_day == Some(HalfDayRule::Full);
        let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser.next().unwrap().unwrap();
        assert_eq!(cal.events.len(), 1, "{name}: one event per stop, a whole day included");
        let event = &cal.events[0];
        let (start, end) = (property(event, "DTSTART").unwrap(), property(event, "DTEND").unwrap());
        let clock = |t: &str| t[9..13].to_string();
        let session = plan
            .visits
            .iter()
            .find(|v| v.commune == c)
            .map(|v| scenario.sessions.get(v.slot.half))
            .unwrap();
        let (opens, closes) = if whole {
            (am.start, pm.end)
        } else {
            (session.start, session.end)
        };
        assert_eq!(clock(start), format!("{:02}{:02}", opens / 60, opens % 60), "{name}");
        assert_eq!(clock(end), format!("{:02}{:02}", closes / 60, closes % 60), "{name}");
        let description = property(event, "DESCRIPTION").unwrap();
        assert_eq!(description.contains("toute la journée"), whole, "{name}: {description}");
        // Its dates are the plan's: every other week on the stop's day.
        let planned: Vec<NaiveDate> = plan
            .visits
            .iter()
            .filter(|v| v.commune == c && (!whole || v.slot.half == tournee::calendar::HalfDay::Am))
            .filter_map(|v| instance.cycle.date_of(v.slot.week, v.slot.weekday))
            .collect();
        assert_eq!(expand(event)[0], planned[0], "{name}");
    }
}

/// A weekly commune under the month anchor is served every week: its
/// calendar gives every date of its weekday over the horizon, 5th weekdays
/// included, but for the dates it lists as excluded; its `horaires` name
/// the weekday without weeks of the month.
#[test]
fn a_weekly_commune_is_served_every_week_5th_weekdays_included() {
    // Comminges: Saint-Gaudens (12,139 inhabitants) is served weekly.
    let (instance, plan) = common::builtin_plan(3, 1, 5_000);
    let stops = plan.stops();
    let weekly = stops.iter().find(|s| s.weeks.len() == 4).expect("a weekly commune");
    let insee = &instance.territory.communes[weekly.commune].insee;
    let name = format!("calendars/commune-{insee}.ics");
    let files = export_ical::calendars(&instance, &stops);
    let (_, text) = files.iter().find(|(n, _)| *n == name).unwrap();
    let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser.next().unwrap().unwrap();
    assert_eq!(cal.events.len(), 1, "one stop, one event");
    let event = &cal.events[0];
    let served: Vec<NaiveDate> = expand(event);
    let excluded: Vec<NaiveDate> = property(event, "EXDATE")
        .map(|ex| {
            ex.split(',')
                .map(|d| NaiveDate::parse_from_str(&d[..8], "%Y%m%d").unwrap())
                .collect()
        })
        .unwrap_or_default();
    let (first, last) = (served[0], *served.last().unwrap());
    let every: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday() == weekly.weekday)
        .collect();
    for date in &every {
        assert!(
            served.contains(date) || excluded.contains(date),
            "{date} is neither served nor excluded"
        );
    }
    let fifths = served.iter().filter(|d| d.day() > 28).count();
    assert!(fifths >= 3, "5th weekdays served over a year: {fifths}");
    let horaires = tournee::output::opendata::horaires(&instance, weekly);
    assert!(!horaires.contains('['), "{horaires}");
}
