//! The cycle as tours are published: "le 2e jeudi du mois, matin", "le
//! mardi des semaines impaires", "toutes les 5 semaines".
//!
//! A [`Slot`] is (week of the cycle, weekday, half-day). A [`Cycle`] turns
//! slots into dates. Anchored on the month (the default, four weeks), week
//! *n* is the *n*-th occurrence of the weekday in a [`Month`], so a 5th
//! occurrence is never planned ("free"). Anchored on weeks, the cycle is
//! *N* consecutive weeks repeating from a first Monday, whatever the month.

pub mod dated;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Weeks in a month-anchored cycle: four nth-weekday occurrences.
pub(crate) const WEEKS: u8 = 4;

/// Weeks in an average month: opening hours are published per week, and
/// a rolling cycle's hours are counted per month with it.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// The longest cycle, in weeks.
pub const MAX_CYCLE_WEEKS: u8 = 12;

/// Weeks of a cycle as a bit set: bit `w - 1` is week `w`.
pub type WeekSet = u16;

/// What week 1 of a cycle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Week *n* is the *n*-th occurrence of each weekday in the month;
    /// with a month, slots have dates.
    Month(Option<Month>),
    /// The week starting on this Monday; the cycle repeats every *N* weeks.
    Weeks(NaiveDate),
    /// A year of real dates, its weeks the kinds of date that rules of
    /// different kinds tell apart ([`dated`]).
    Dated(dated::Dated),
}

/// The half-days a bus may work on `weekday`: Saturday is a morning.
pub fn halves(weekday: Weekday) -> &'static [HalfDay] {
    match weekday {
        Weekday::Sat => &[HalfDay::Am],
        _ => &HalfDay::BOTH,
    }
}

/// The planning cycle: how many weeks, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    /// Weeks in the cycle, 1 to [`MAX_CYCLE_WEEKS`] (4 under the month anchor).
    pub weeks: u8,
    pub anchor: Anchor,
}

impl Cycle {
    /// The monthly cycle, applied to `month` when one is given.
    pub fn monthly(month: Option<Month>) -> Cycle {
        Cycle {
            weeks: WEEKS,
            anchor: Anchor::Month(month),
        }
    }

    /// The month the cycle is applied to, under the month anchor.
    pub fn month(&self) -> Option<Month> {
        match self.anchor {
            Anchor::Month(month) => month,
            Anchor::Weeks(_) | Anchor::Dated(_) => None,
        }
    }

    /// The first Monday of a rolling cycle.
    pub fn first_monday(&self) -> Option<NaiveDate> {
        match self.anchor {
            Anchor::Weeks(monday) => Some(monday),
            Anchor::Month(_) | Anchor::Dated(_) => None,
        }
    }

    /// The weeks of the cycle, in order.
    pub fn week_numbers(&self) -> std::ops::RangeInclusive<u8> {
        1..=self.weeks
    }

    /// The date of `weekday` in `week` of the first occurrence of the
    /// cycle; `None` without a month, or for a week outside the cycle.
    pub fn date_of(&self, week: u8, weekday: Weekday) -> Option<NaiveDate> {
        if !self.week_numbers().contains(&week) {
            return None;
        }
        match self.anchor {
            Anchor::Month(month) => month.map(|m| m.date_of(week, weekday)),
            Anchor::Weeks(monday) => {
                let days = 7 * i64::from(week - 1) + i64::from(weekday.num_days_from_monday());
                monday.checked_add_signed(chrono::Duration::days(days))
            }
            Anchor::Dated(dated) => dated.dates_of(week, weekday).first().copied(),
        }
    }

    /// What a day of week `week` weighs in totals per cycle: 1, or under
    /// real dates, how often it comes in an average month (totals are then
    /// per month).
    pub fn weight(&self, week: u8, weekday: Weekday) -> f64 {
        match self.anchor {
            Anchor::Dated(dated) => dated.per_month(week, weekday),
            _ => 1.0,
        }
    }

    /// The week of a rolling cycle that the week of `monday` is. A 2-week
    /// cycle follows ISO week parity, as "semaines impaires" tours do: after
    /// a 53-week year, weeks 53 and 1 are both odd, so both are week 1 of
    /// the cycle when it started on an odd week (a stop on odd weeks comes
    /// two weeks running). Longer cycles count weeks from `first_monday`.
    /// `None` under the month anchor.
    pub fn week_of(&self, monday: NaiveDate) -> Option<u8> {
        let Anchor::Weeks(first) = self.anchor else { return None };
        if self.weeks == 2 {
            let parity = |d: NaiveDate| d.iso_week().week() % 2;
            return Some(if parity(monday) == parity(first) { 1 } else { 2 });
        }
        let k = (monday - first).num_weeks().rem_euclid(i64::from(self.weeks));
        Some(k as u8 + 1)
    }

    /// The visit counts a cycle spreads evenly (the divisors of its
    /// weeks), as `1, 2, 4` for messages.
    pub fn visit_counts(&self) -> String {
        let weeks = self.weeks;
        let counts: Vec<String> = (1..=weeks)
            .filter(|d| weeks.is_multiple_of(*d))
            .map(|d| d.to_string())
            .collect();
        counts.join(", ")
    }

    /// How many cycles make a month, to state a cycle's hours per month:
    /// 1 under the month anchor, 52 / 12 / N for a rolling cycle of N weeks.
    pub fn cycles_per_month(&self) -> f64 {
        match self.anchor {
            Anchor::Month(_) | Anchor::Dated(_) => 1.0,
            Anchor::Weeks(_) => WEEKS_PER_MONTH / f64::from(self.weeks),
        }
    }

    /// Whether slots have dates (a month is set, or the cycle rolls).
    pub fn has_dates(&self) -> bool {
        !matches!(self.anchor, Anchor::Month(None))
    }

    /// The week sets a commune visited `visits` times a cycle may take:
    /// evenly spaced, `weeks / visits` apart, from each possible first
    /// week. Empty when `visits` does not divide the cycle.
    pub fn week_sets(&self, visits: u8) -> Vec<WeekSet> {
        if let Anchor::Dated(dated) = self.anchor {
            return dated.base_week_sets(visits);
        }
        if visits == 0 || !self.weeks.is_multiple_of(visits) {
            return Vec::new();
        }
        let gap = self.weeks / visits;
        (1..=gap)
            .map(|first| (0..visits).fold(0, |set, k| set | (1 << (first - 1 + k * gap))))
            .collect()
    }

    /// "month 2027-01", "generic 4-week cycle", "5-week rotation from
    /// 2027-01-04".
    pub fn describe(&self) -> String {
        match self.anchor {
            Anchor::Month(Some(m)) => format!("month {m}"),
            Anchor::Month(None) => format!("generic {}-week cycle", self.weeks),
            Anchor::Weeks(monday) => format!("{}-week rotation from {monday}", self.weeks),
            Anchor::Dated(dated) => format!(
                "year of dates from {} ({} kinds of week; totals per month)",
                dated.start, self.weeks
            ),
        }
    }
}

/// All weekdays in calendar order, Monday first (French usage).
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Morning or afternoon session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HalfDay {
    #[serde(rename = "AM")]
    Am,
    #[serde(rename = "PM")]
    Pm,
}

impl HalfDay {
    pub const BOTH: [HalfDay; 2] = [HalfDay::Am, HalfDay::Pm];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            HalfDay::Am => "AM",
            HalfDay::Pm => "PM",
        }
    }

    pub fn french(self) -> &'static str {
        match self {
            HalfDay::Am => "matin",
            HalfDay::Pm => "après-midi",
        }
    }
}

impl FromStr for HalfDay {
    type Err = ();

    /// Accepts `AM`/`PM` and the French `matin`/`après-midi` (any case).
    fn from_str(s: &str) -> Result<Self, ()> {
        match fold(s).as_str() {
            "am" | "matin" | "morning" => Ok(HalfDay::Am),
            "pm" | "apres-midi" | "apresmidi" | "aprem" | "afternoon" => Ok(HalfDay::Pm),
            _ => Err(()),
        }
    }
}

impl fmt::Display for HalfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Lower-case and strip French accents so that "Mardi", "MARDI" and "mardi"
/// compare equal, as do "après-midi" and "apres-midi".
pub fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'à' | 'â' | 'À' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Parses an English or French weekday name or abbreviation
/// (`Mon`, `monday`, `lun`, `lundi`).
pub(crate) fn parse_weekday(s: &str) -> Option<Weekday> {
    let w = fold(s);
    let day = match w.as_str() {
        "mon" | "monday" | "lun" | "lundi" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "mar" | "mardi" => Weekday::Tue,
        "wed" | "wednesday" | "mer" | "mercredi" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "jeu" | "jeudi" => Weekday::Thu,
        "fri" | "friday" | "ven" | "vendredi" => Weekday::Fri,
        "sat" | "saturday" | "sam" | "samedi" => Weekday::Sat,
        "sun" | "sunday" | "dim" | "dimanche" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// Three-letter English code used in machine-readable outputs.
pub(crate) fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// French weekday name, for what people read.
pub(crate) fn weekday_french(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// One half-day of the cycle for one bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    /// Week of the cycle, from 1 (under the month anchor, the n-th
    /// occurrence of `weekday` in the month).
    pub week: u8,
    pub weekday: Weekday,
    pub half: HalfDay,
}

/// A calendar month to which the cycle is applied (`2027-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The date of the `week`-th occurrence of `weekday` in this month.
    /// Always exists for `week` ≤ 4, since every month has ≥ 28 days.
    pub fn date_of(self, week: u8, weekday: Weekday) -> NaiveDate {
        NaiveDate::from_weekday_of_month_opt(self.year, self.month, weekday, week)
            .expect("every month has at least four of each weekday")
    }

    /// Whether `date` falls within this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }
}

impl FromStr for Month {
    type Err = String;

    /// Parses `YYYY-MM`.
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = || format!("expected a month as YYYY-MM (e.g. 2027-01), found `{s}`");
        let (y, m) = s.trim().split_once('-').ok_or_else(expected)?;
        let year: i32 = y.parse().map_err(|_| expected())?;
        let month: u32 = m.parse().map_err(|_| expected())?;
        if y.len() != 4 || !(1..=12).contains(&month) {
            return Err(expected());
        }
        if !YEARS.contains(&year) {
            return Err(format!("`{s}`: expected a month {}", years_text()));
        }
        Ok(Month { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian computus
/// (Meeus/Jones/Butcher). Twelve lines of arithmetic are simpler to check
/// than a holiday crate's coverage of French rules.
fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("computus yields a valid date")
}

/// The eleven French public holidays (jours fériés) of `year`, nationwide
/// ones only (Alsace-Moselle's extra two are not included).
fn french_holidays(year: i32) -> Vec<NaiveDate> {
    let fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)];
    let easter = easter(year);
    let mut days: Vec<NaiveDate> = fixed
        .iter()
        .map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d).expect("valid fixed holiday"))
        .chain([1, 39, 50].map(|offset| easter + chrono::Days::new(offset)))
        .collect();
    days.sort();
    days
}

/// Whether `date` is a French public holiday.
pub fn is_french_holiday(date: NaiveDate) -> bool {
    french_holidays(date.year()).contains(&date)
}

/// Parses a date as ISO `YYYY-MM-DD` or French `DD/MM/YYYY`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
}

/// The years a tour may be planned in: a date outside them is a typo
/// (`0000-01-03`, `27/01/2207`), not a plan, and would give calendars in
/// year 0.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// "between 2000 and 2100": [`YEARS`] as the refusals of a date say it.
pub fn years_text() -> String {
    format!("between {} and {}", YEARS.start(), YEARS.end())
}

/// A time of day in minutes since midnight, parsed from `HH:MM` or `9h30`;
/// `24:00` is the end of the day (opening hours close at midnight).
pub(crate) fn parse_clock(s: &str) -> Option<u32> {
    let s = s.trim();
    let (h, m) = s.split_once(':').or_else(|| s.split_once('h'))?;
    let h: u32 = h.trim().parse().ok()?;
    let m: u32 = if m.is_empty() { 0 } else { m.trim().parse().ok()? };
    ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
}

/// Formats minutes since midnight as `HH:MM`.
pub(crate) fn format_clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_weekday_dates_match_the_calendar() {
        // January 2027 starts on a Friday: the 1st Friday is the 1st, the
        // 1st Monday the 4th, the 4th Thursday the 28th.
        let jan = Month::from_str("2027-01").unwrap();
        assert_eq!(
            jan.date_of(1, Weekday::Fri),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(
            jan.date_of(1, Weekday::Mon),
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        );
        assert_eq!(
            jan.date_of(4, Weekday::Thu),
            NaiveDate::from_ymd_opt(2027, 1, 28).unwrap()
        );
    }

    #[test]
    fn easter_and_holidays_match_published_dates() {
        // Published dates: Easter 2024-03-31, 2025-04-20, 2027-03-28;
        // Ascension 2027 on Thursday 6 May, Pentecost Monday 17 May.
        assert_eq!(easter(2024), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        assert_eq!(easter(2025), NaiveDate::from_ymd_opt(2025, 4, 20).unwrap());
        assert_eq!(easter(2027), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
        let h = french_holidays(2027);
        assert_eq!(h.len(), 11);
        assert!(h.contains(&NaiveDate::from_ymd_opt(2027, 5, 6).unwrap()));
        assert!(h.contains(&NaiveDate::from_ymd_opt(2027, 5, 17).unwrap()));
        assert!(is_french_holiday(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        assert!(!is_french_holiday(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()));
    }

    #[test]
    fn parses_french_and_english_names() {
        assert_eq!(parse_weekday("Jeudi"), Some(Weekday::Thu));
        assert_eq!(parse_weekday("tue"), Some(Weekday::Tue));
        assert_eq!(parse_weekday("Thursdy"), None);
        assert_eq!("après-midi".parse(), Ok(HalfDay::Pm));
        assert_eq!(parse_clock("9h30"), Some(570));
        assert_eq!(parse_clock("14:00"), Some(840));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(parse_date("14/01/2027"), NaiveDate::from_ymd_opt(2027, 1, 14));
        assert!("2027-13".parse::<Month>().is_err());
    }
}
