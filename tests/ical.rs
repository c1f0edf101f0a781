//! iCalendar exports read back with real parsers: `ical` for the file
//! structure, `rrule` to expand each event's recurrence, which must give
//! the plan's dates in the planned month and the right nth weekdays,
//! without public holidays, over the whole horizon.

mod common;

use chrono::{Datelike, NaiveDate};
use std::io::BufReader;
use tournee::output::ical::{self as export_ical, HORIZON_MONTHS};
use tournee::schedule::calendar::is_french_holiday;

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

#[test]
fn calendars_expand_to_the_planned_dates_without_holidays() {
    // Thiérache, January 2027: 1 January is a Friday holiday.
    let (instance, plan) = common::builtin_plan(1, 2, 60_000);
    let month = instance.month.unwrap();
    let files = export_ical::calendars(&instance, &plan.stops(), month);
    // One calendar for the bus and one per commune served.
    assert_eq!(files.len(), 1 + plan.communes_served());
    let mut events_seen = 0;
    for (name, text) in files.iter().filter(|(n, _)| n.contains("commune-")) {
        let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser.next().unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parser.next().is_none());
        assert_eq!(cal.timezones.len(), 1);
        let insee = name.trim_start_matches("calendars/commune-").trim_end_matches(".ics");
        let c = instance
            .territory
            .communes
            .iter()
            .position(|x| x.insee == insee)
            .unwrap();
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
    for (_, text) in export_ical::calendars(&instance, &plan.stops(), instance.month.unwrap()) {
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
            assert!(!line.contains('\n'));
        }
    }
}
