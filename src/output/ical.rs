//! iCalendar (RFC 5545) exports: one calendar per bus and one per commune,
//! one recurring event per stop, over [`HORIZON_MONTHS`] months from the
//! planned month or the rotation's first Monday. Recurrences follow the
//! published form: for the month anchor `FREQ=MONTHLY;BYDAY=2TH`,
//! `BYDAY=1TU,3TU`, weekly for every week; for a rolling cycle
//! `FREQ=WEEKLY;INTERVAL=N` from the stop's first date, and for a 2-week
//! cycle the ISO week parity itself (`FREQ=YEARLY;BYWEEKNO=1,3,…,53`), so
//! that "semaines impaires" stay odd weeks after a 53-week year. French
//! public holidays and the commune's unavailable dates are listed as
//! `EXDATE`s; a weekly stop keeps its 5th weekdays. Output is
//! deterministic: `DTSTAMP` is the cycle's first day, not the wall clock.

use crate::calendar::{Anchor, Cycle, HalfDay, Month, is_french_holiday};
use crate::output::wording;
use crate::schedule::model::Instance;
use crate::schedule::plan::Stop;
use chrono::{Datelike, NaiveDate, Weekday};

/// Months of recurrence published from the planned month on.
pub const HORIZON_MONTHS: u32 = 12;

/// Months of recurrence published for a rolling cycle, from its first
/// Monday: two years, so that a calendar crosses a turn of year and, every
/// five or six years, a 53-week year.
pub const HORIZON_MONTHS_ROLLING: u32 = 24;

const TIMEZONE: &str = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\n\
TZOFFSETTO:+0200\nTZNAME:CEST\nDTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n\
END:DAYLIGHT\nBEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\n\
DTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE";

fn byday(day: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.num_days_from_monday() as usize]
}

/// The month `offset` months after `month`.
fn month_after(month: Month, offset: u32) -> Month {
    let index = month.year * 12 + month.month as i32 - 1 + offset as i32;
    Month {
        year: index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
    }
}

/// What the calendars of a plan start from.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// The planned month of a month-anchored cycle.
    Month(Month),
    /// The first Monday of a rolling cycle.
    Weeks(Cycle, NaiveDate),
    /// A year of real dates: each stop's dates are listed.
    Dated(crate::calendar::dated::Dated),
}

impl Start {
    fn of(cycle: &Cycle) -> Option<Start> {
        match cycle.anchor {
            Anchor::Month(month) => month.map(Start::Month),
            Anchor::Weeks(monday) => Some(Start::Weeks(*cycle, monday)),
            Anchor::Dated(dated) => Some(Start::Dated(dated)),
        }
    }

    /// The first day of the cycle, as `DTSTAMP`.
    fn first_day(self) -> NaiveDate {
        match self {
            Start::Month(m) => NaiveDate::from_ymd_opt(m.year, m.month, 1).expect("a valid month"),
            Start::Weeks(_, monday) => monday,
            Start::Dated(dated) => dated.start,
        }
    }

    /// The last day of the horizon.
    fn until(self) -> NaiveDate {
        let months = match self {
            Start::Month(_) => HORIZON_MONTHS,
            Start::Weeks(..) => HORIZON_MONTHS_ROLLING,
            Start::Dated(dated) => {
                return dated.start + chrono::Duration::days(crate::calendar::dated::HORIZON_DAYS - 1);
            }
        };
        self.first_day()
            .checked_add_months(chrono::Months::new(months))
            .and_then(|d| d.pred_opt())
            .expect("a date within chrono's range")
    }
}

/// The dates the stop is open over the calendars' horizon (holidays and
/// unavailable dates left out); `None` when the cycle has no dates.
pub(crate) fn open_dates(stop: &Stop, instance: &Instance) -> Option<Vec<NaiveDate>> {
    let start = Start::of(&instance.cycle)?;
    Some(
        occurrences(stop, instance, start)
            .into_iter()
            .filter(|(_, excluded)| !excluded)
            .map(|(date, _)| date)
            .collect(),
    )
}

/// Every date the stop falls on over the horizon, and whether it must be
/// excluded (a holiday, or a date the commune is unavailable). A weekly
/// stop in a month falls on the 5th weekday too: "tous les lundis" means
/// every Monday.
fn occurrences(stop: &Stop, instance: &Instance, start: Start) -> Vec<(NaiveDate, bool)> {
    let unavailable = &instance.territory.communes[stop.commune].unavailable;
    let excluded = |date: &NaiveDate| is_french_holiday(*date) || unavailable.contains(date);
    match start {
        Start::Month(month) => month_occurrences(stop, instance, month),
        Start::Dated(dated) => {
            let mut dates: Vec<NaiveDate> = stop
                .weeks
                .iter()
                .flat_map(|w| dated.dates_of(*w, stop.weekday))
                .collect();
            dates.sort_unstable();
            dates.into_iter().map(|d| (d, excluded(&d))).collect()
        }
        Start::Weeks(cycle, first) => {
            let unavailable = &instance.territory.communes[stop.commune].unavailable;
            let until = start.until();
            let offset = chrono::Duration::days(i64::from(stop.weekday.num_days_from_monday()));
            (0..)
                .map(|k| first + chrono::Duration::weeks(k))
                .take_while(|monday| *monday <= until)
                .filter(|monday| cycle.week_of(*monday).is_some_and(|w| stop.weeks.contains(&w)))
                .map(|monday| monday + offset)
                .filter(|date| *date <= until)
                .map(|date| (date, is_french_holiday(date) || unavailable.contains(&date)))
                .collect()
        }
    }
}

/// [`occurrences`] under the month anchor.
fn month_occurrences(stop: &Stop, instance: &Instance, month: Month) -> Vec<(NaiveDate, bool)> {
    let weekly = stop.weeks.len() == 4;
    let unavailable = &instance.territory.communes[stop.commune].unavailable;
    let mut out = Vec::new();
    for offset in 0..HORIZON_MONTHS {
        let m = month_after(month, offset);
        let fifth = NaiveDate::from_weekday_of_month_opt(m.year, m.month, stop.weekday, 5);
        for date in stop
            .weeks
            .iter()
            .map(|w| m.date_of(*w, stop.weekday))
            .chain(fifth.filter(|_| weekly))
        {
            let excluded = is_french_holiday(date) || unavailable.contains(&date);
            out.push((date, excluded));
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1) and ends it in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn stamp(date: NaiveDate, minutes: u32) -> String {
    format!("{}T{:02}{:02}00", date.format("%Y%m%d"), minutes / 60, minutes % 60)
}

/// The RRULE of a stop, without its UNTIL, and its first date.
fn rule(stop: &Stop, start: Start, first: NaiveDate) -> String {
    let day = byday(stop.weekday);
    match start {
        Start::Month(_) if stop.weeks.len() == 4 => format!("FREQ=WEEKLY;BYDAY={day}"),
        Start::Month(_) => {
            let days: Vec<String> = stop.weeks.iter().map(|w| format!("{w}{day}")).collect();
            format!("FREQ=MONTHLY;BYDAY={}", days.join(","))
        }
        Start::Dated(_) => String::new(),
        Start::Weeks(cycle, _) => {
            let gap = cycle.weeks / stop.weeks.len() as u8;
            if gap == 1 {
                format!("FREQ=WEEKLY;BYDAY={day}")
            } else if cycle.weeks == 2 {
                let parity = first.iso_week().week() % 2;
                let weeks: Vec<String> = (1..=53u32).filter(|w| w % 2 == parity).map(|w| w.to_string()).collect();
                format!("FREQ=YEARLY;BYWEEKNO={};BYDAY={day};WKST=MO", weeks.join(","))
            } else {
                format!("FREQ=WEEKLY;INTERVAL={gap};BYDAY={day}")
            }
        }
    }
}

fn event(instance: &Instance, stop: &Stop, start: Start, out: &mut String) {
    let commune = &instance.territory.communes[stop.commune];
    let bus = &instance.buses[stop.bus];
    let (opens, closes) = stop.span(instance);
    let dates = occurrences(stop, instance, start);
    let first = dates[0].0;
    let until = start.until();
    let rule = rule(stop, start, first);
    let stamp_day = start.first_day();
    let half = match (stop.full, stop.half) {
        (true, _) => "DAY",
        (false, HalfDay::Am) => "AM",
        (false, HalfDay::Pm) => "PM",
    };
    let lines = [
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:{}-{}-{}{half}@tournee",
            slug(&bus.name),
            commune.insee,
            byday(stop.weekday)
        ),
        format!("DTSTAMP:{}T000000Z", stamp_day.format("%Y%m%d")),
        format!("DTSTART;TZID=Europe/Paris:{}", stamp(first, opens)),
        format!("DTEND;TZID=Europe/Paris:{}", stamp(first, closes)),
        match start {
            // No RRULE follows several kinds of rule at once: the dates.
            Start::Dated(_) => {
                let rest: Vec<String> = dates.iter().skip(1).map(|(d, _)| stamp(*d, opens)).collect();
                format!("RDATE;TZID=Europe/Paris:{}", rest.join(","))
            }
            _ => format!("RRULE:{rule};UNTIL={}T215959Z", until.format("%Y%m%d")),
        },
        format!("SUMMARY:{}", escape(&format!("{} à {}", bus.name, commune.name))),
        format!(
            "LOCATION:{}",
            escape(&match &commune.stop_name {
                Some(place) => format!("{place}, {} ({})", commune.name, commune.insee),
                None => format!("{} ({})", commune.name, commune.insee),
            })
        ),
        format!("GEO:{:.6};{:.6}", commune.stop.lat, commune.stop.lon),
        format!(
            "DESCRIPTION:{}",
            escape(&format!("{} Jours fériés exclus.", wording::sentence(instance, stop)))
        ),
    ];
    lines.iter().for_each(|l| fold(l, out));
    let excluded: Vec<String> = dates
        .iter()
        .filter(|(_, x)| *x)
        .map(|(d, _)| stamp(*d, opens))
        .collect();
    if !excluded.is_empty() {
        fold(&format!("EXDATE;TZID=Europe/Paris:{}", excluded.join(",")), out);
    }
    fold("END:VEVENT", out);
}

/// A whole calendar holding `stops`.
fn calendar(instance: &Instance, stops: &[&Stop], title: &str, start: Start) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tournee//tournee plan//FR",
        "CALSCALE:GREGORIAN",
    ] {
        fold(line, &mut out);
    }
    fold("METHOD:PUBLISH", &mut out);
    fold(&format!("X-WR-CALNAME:{}", escape(title)), &mut out);
    fold("X-WR-TIMEZONE:Europe/Paris", &mut out);
    TIMEZONE.lines().for_each(|l| fold(l, &mut out));
    for stop in stops {
        event(instance, stop, start, &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// File-name-safe lower-case ASCII.
pub fn slug(text: &str) -> String {
    let folded = crate::calendar::fold(text);
    let mut s: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').to_string()
}

/// `calendars/bus-<name>.ics` and `calendars/commune-<insee>.ics`, as
/// (relative path, content) pairs; none when the cycle has no dates (no
/// month set).
pub fn calendars(instance: &Instance, stops: &[Stop]) -> Vec<(String, String)> {
    let Some(start) = Start::of(&instance.cycle) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for (b, bus) in instance.buses.iter().enumerate() {
        let mine: Vec<&Stop> = stops.iter().filter(|s| s.bus == b).collect();
        let title = format!("{} — {}", bus.name, instance.name);
        files.push((
            format!("calendars/bus-{}.ics", slug(&bus.name)),
            calendar(instance, &mine, &title, start),
        ));
    }
    // One calendar per commune, with every line of service it has.
    let territory = &instance.territory;
    let mut communes = crate::schedule::plan::stops_by_commune(stops, territory);
    communes.sort_unstable_by_key(|(c, _)| *c);
    for (c, mine) in communes {
        let commune = &territory.communes[c];
        let title = format!("Bus France Services à {}", commune.name);
        files.push((
            format!("calendars/commune-{}.ics", commune.insee),
            calendar(instance, &mine, &title, start),
        ));
    }
    files
}
