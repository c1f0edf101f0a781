//! A published rule as input: the `horaires` column of the commune table,
//! in the OpenStreetMap `opening_hours` syntax tournee writes
//! (`Th[2] 09:30-12:00`, `Th[3,4] 09:30-12:00`, `Fr[-1] 14:00-16:30`,
//! `week 01-53/2 Mo 09:00-16:30`, `Tu 09:00-12:00,13:30-16:30`, with
//! `PH off` and dated closures ignored), or the dates tournee writes for a
//! rotation (`2027 Jan 04 09:30-12:00; 2027 Jan 25 09:30-12:00`: every 3
//! weeks from 4 January). It pins the commune's line to that weekday,
//! those weeks and those hours.

use crate::calendar::{Anchor, Cycle, WeekSet};
use chrono::{Datelike, NaiveDate, Weekday};

/// Which weeks a published rule serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// Every week.
    Weekly,
    /// The n-th weekdays of the month (1 to 5), and the last one when
    /// `last` is set (`Fr[-1]`).
    MonthWeeks { nth: Vec<u8>, last: bool },
    /// ISO weeks `first`, `first + step`, … of every year
    /// (`week 01-53/2`: odd weeks).
    IsoWeeks { first: u8, step: u8 },
    /// Every `weeks` weeks from the date `from`, across years.
    Every { weeks: u8, from: NaiveDate },
}

/// A commune's published rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub weekday: Weekday,
    pub recurrence: Recurrence,
    /// Opening and closing times, minutes since midnight: one range for a
    /// half-day, two (morning and afternoon) or one across lunch for a
    /// whole day.
    pub hours: Vec<(u32, u32)>,
    /// The text as given, for messages.
    pub text: String,
}

/// The two-letter weekdays of `opening_hours`.
const DAYS: [(&str, Weekday); 7] = [
    ("Mo", Weekday::Mon),
    ("Tu", Weekday::Tue),
    ("We", Weekday::Wed),
    ("Th", Weekday::Thu),
    ("Fr", Weekday::Fri),
    ("Sa", Weekday::Sat),
    ("Su", Weekday::Sun),
];

/// Parses one row's `horaires`; the error says what was expected.
pub fn parse(text: &str) -> Result<Published, String> {
    let rules: Vec<&str> = text
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty() && !r.ends_with(" off") && *r != "off")
        .collect();
    if rules.len() > 1 && rules.iter().all(|r| dated(r).is_some()) {
        return every(text, &rules);
    }
    let [rule] = rules[..] else {
        return Err(format!(
            "`{text}`: expected one opening rule such as `Th[2] 09:30-12:00` (a commune served at several slots takes one row per slot, each with a `slot` label)"
        ));
    };
    let (recurrence_weeks, rest) = match rule.strip_prefix("week ") {
        Some(rest) => {
            let (range, rest) = rest.split_once(' ').ok_or_else(|| expected(rule))?;
            (Some(iso_weeks(range).ok_or_else(|| expected(rule))?), rest.trim())
        }
        None => (None, rule),
    };
    let (day, times) = rest.split_once(' ').ok_or_else(|| expected(rule))?;
    let (name, nth) = match day.split_once('[') {
        Some((name, nth)) => (name, Some(nth.strip_suffix(']').ok_or_else(|| expected(rule))?)),
        None => (day, None),
    };
    let weekday = DAYS
        .iter()
        .find(|(code, _)| *code == name)
        .map(|(_, d)| *d)
        .ok_or_else(|| format!("`{name}` in `{rule}`: expected a weekday Mo, Tu, We, Th, Fr, Sa or Su"))?;
    let recurrence = match (recurrence_weeks, nth) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "`{rule}`: weeks of the year and weeks of the month together are not a rule tournee plans"
            ));
        }
        (Some(weeks), None) => weeks,
        (None, Some(nth)) => month_weeks(nth).ok_or_else(|| {
            format!(
                "`[{nth}]` in `{rule}`: expected weeks of the month 1 to 5 or -1 (the last), as `[2]`, `[1,3]`, `[3-4]`"
            )
        })?,
        (None, None) => Recurrence::Weekly,
    };
    let hours = times
        .split(',')
        .map(|range| {
            let (open, close) = range.trim().split_once('-')?;
            let (open, close) = (
                crate::calendar::parse_clock(open)?,
                crate::calendar::parse_clock(close)?,
            );
            (open < close).then_some((open, close))
        })
        .collect::<Option<Vec<_>>>()
        .filter(|h| (1..=2).contains(&h.len()))
        .ok_or_else(|| {
            format!(
                "`{times}` in `{rule}`: expected hours as `09:30-12:00`, or `09:00-12:00,13:30-16:30` for a whole day"
            )
        })?;
    Ok(Published {
        weekday,
        recurrence,
        hours,
        text: text.trim().to_string(),
    })
}

/// `2027 Jan 04 09:30-12:00` → the date and the hours.
fn dated(rule: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = rule.splitn(4, ' ');
    let (year, month, day, times) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let date = NaiveDate::parse_from_str(&format!("{year} {month} {day}"), "%Y %b %d").ok()?;
    Some((date, times.trim()))
}

/// Dates a fixed number of weeks apart, at the same hours: a rotation
/// from the first (a holiday between two may leave a gap of a multiple).
fn every(text: &str, rules: &[&str]) -> Result<Published, String> {
    let dates: Vec<(NaiveDate, &str)> = rules.iter().filter_map(|r| dated(r)).collect();
    let (first, times) = dates[0];
    let gaps: Vec<i64> = dates.windows(2).map(|w| (w[1].0 - w[0].0).num_days()).collect();
    let step = gaps.iter().copied().min().unwrap_or(0);
    let regular = step > 0
        && step % 7 == 0
        && step / 7 <= i64::from(crate::calendar::MAX_CYCLE_WEEKS)
        && gaps.iter().all(|g| g % step == 0)
        && dates.iter().all(|(_, t)| *t == times);
    if !regular {
        return Err(format!(
            "`{text}`: expected dates a fixed number of weeks apart (1 to 12), at the same hours, as tournee writes a rotation"
        ));
    }
    let hours = parse(&format!("{} {times}", weekday_two_letters(first.weekday())))?.hours;
    Ok(Published {
        weekday: first.weekday(),
        recurrence: Recurrence::Every {
            weeks: (step / 7) as u8,
            from: first,
        },
        hours,
        text: text.trim().to_string(),
    })
}

/// `Mo`, `Tu`… as opening_hours writes a weekday.
fn weekday_two_letters(day: Weekday) -> &'static str {
    DAYS.iter().find(|(_, d)| *d == day).map_or("Mo", |(code, _)| code)
}

fn expected(rule: &str) -> String {
    format!(
        "`{rule}`: expected a rule such as `Th[2] 09:30-12:00`, `Mo 09:00-12:00,14:00-16:30` or `week 01-53/2 Tu 09:00-16:30`"
    )
}

/// `01-53/2` → ISO weeks 1, 3, 5…; `02-53/2` → even weeks.
fn iso_weeks(range: &str) -> Option<Recurrence> {
    let (span, step) = range.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    let (first, last, step): (u8, u8, u8) = (first.parse().ok()?, last.parse().ok()?, step.parse().ok()?);
    (last == 53 && (1..=step).contains(&first) && (2..=12).contains(&step))
        .then_some(Recurrence::IsoWeeks { first, step })
}

/// `2`, `1,3`, `3-4`, `-1` → the weeks of the month.
fn month_weeks(text: &str) -> Option<Recurrence> {
    let (mut nth, mut last) = (Vec::new(), false);
    for part in text.split(',').map(str::trim) {
        if part == "-1" {
            last = true;
            continue;
        }
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
        if !(1..=5).contains(&a) || !(a..=5).contains(&b) {
            return None;
        }
        nth.extend(a..=b);
    }
    nth.sort_unstable();
    nth.dedup();
    Some(Recurrence::MonthWeeks { nth, last })
}

impl Recurrence {
    /// The weeks of `cycle` this rule serves, or why the cycle cannot
    /// keep it: a month cycle plans the 1st to 4th weekdays of the month
    /// (weekly: every one, 5th included); a 2-week rotation follows ISO
    /// week parity; a 1-week rotation is every week.
    pub fn weeks_in(&self, cycle: &Cycle) -> Result<WeekSet, String> {
        let all: WeekSet = (1 << cycle.weeks) - 1;
        match (self, cycle.anchor) {
            (Recurrence::Weekly, _) => Ok(all),
            (Recurrence::MonthWeeks { nth, last }, Anchor::Dated(dated)) if dated.month => {
                Ok(dated.week_set(|s| nth.contains(&s.nth) || (*last && s.last)))
            }
            (Recurrence::IsoWeeks { first, step }, Anchor::Dated(dated))
                if dated.iso_step != 0 && dated.iso_step.is_multiple_of(*step) =>
            {
                Ok(dated.week_set(|s| s.iso % step == first % step))
            }
            (Recurrence::Every { weeks, from }, Anchor::Dated(dated))
                if dated.rotation != 0 && dated.rotation.is_multiple_of(*weeks) =>
            {
                let at = dated.signature(*from).rotation % weeks;
                Ok(dated.week_set(|s| s.rotation % weeks == at))
            }
            (Recurrence::Every { weeks, from }, Anchor::Weeks(monday)) if cycle.weeks.is_multiple_of(*weeks) => {
                let first = ((*from - monday).num_weeks().rem_euclid(i64::from(*weeks))) as u8;
                Ok((0..cycle.weeks)
                    .filter(|w| w % weeks == first)
                    .fold(0, |set, w| set | (1 << w)))
            }
            (Recurrence::Every { weeks, .. }, _) => Err(format!(
                "every {weeks} weeks needs a rotation of a multiple of {weeks} weeks; this scenario has a {}",
                cycle.describe()
            )),
            (_, Anchor::Dated(_)) => Err(format!(
                "this rule is not one the calendar of {} tells apart",
                cycle.describe()
            )),
            (Recurrence::MonthWeeks { nth, last: false }, Anchor::Month(_)) if nth.iter().all(|&n| n <= 4) => {
                Ok(nth.iter().fold(0, |set, n| set | (1 << (n - 1))))
            }
            (Recurrence::MonthWeeks { .. }, Anchor::Month(_)) => Err(
                "5th and last weekdays of the month fall outside the 4-week month cycle, which plans the 1st to 4th"
                    .into(),
            ),
            (Recurrence::IsoWeeks { first, step: 2 }, Anchor::Weeks(monday)) if cycle.weeks == 2 => {
                let parity = monday.iso_week().week() % 2;
                Ok(if u32::from(*first) % 2 == parity { 0b01 } else { 0b10 })
            }
            (Recurrence::IsoWeeks { step, .. }, _) => Err(format!(
                "every {step} ISO weeks needs a rotation of 2 weeks from first_monday ([cycle] weeks = 2, anchor = \"weeks\"); this scenario has a {}",
                cycle.describe()
            )),
            (Recurrence::MonthWeeks { .. }, Anchor::Weeks(_)) => Err(format!(
                "weeks of the month need the month cycle; this scenario has a {}",
                cycle.describe()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Month;
    use chrono::NaiveDate;

    #[test]
    fn reads_the_rules_tournee_writes() {
        let p = parse("Th[2] 09:30-12:00; PH off").unwrap();
        assert_eq!(p.weekday, Weekday::Thu);
        assert_eq!(
            p.recurrence,
            Recurrence::MonthWeeks {
                nth: vec![2],
                last: false
            }
        );
        assert_eq!(p.hours, [(570, 720)]);
        let p = parse("week 01-53/2 Mo 09:00-12:00,13:30-16:30").unwrap();
        assert_eq!(p.recurrence, Recurrence::IsoWeeks { first: 1, step: 2 });
        assert_eq!(p.hours.len(), 2);
        assert_eq!(
            parse("Fr[-1] 14:00-16:30").unwrap().recurrence,
            Recurrence::MonthWeeks {
                nth: vec![],
                last: true
            }
        );
        assert_eq!(
            parse("Th[3-4] 09:45-12:00").unwrap().recurrence,
            Recurrence::MonthWeeks {
                nth: vec![3, 4],
                last: false
            }
        );
        assert_eq!(parse("Tu 09:00-16:30").unwrap().recurrence, Recurrence::Weekly);
    }

    #[test]
    fn reads_a_rotation_from_its_dates() {
        // Every 3 weeks from Monday 4 January 2027; Easter Monday (29
        // March) leaves a 6-week gap.
        let p = parse("2027 Jan 04 09:30-12:00; 2027 Jan 25 09:30-12:00; 2027 Feb 15 09:30-12:00; 2027 Mar 08 09:30-12:00; 2027 Apr 19 09:30-12:00; PH off")
            .unwrap();
        let from = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert_eq!(p.recurrence, Recurrence::Every { weeks: 3, from });
        assert_eq!((p.weekday, p.hours.clone()), (Weekday::Mon, vec![(570, 720)]));
        for bad in [
            "2027 Jan 04 09:30-12:00; 2027 Jan 26 09:30-12:00",
            "2027 Jan 04 09:30-12:00; 2027 Jan 25 14:00-16:30",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        // In a 6-week rotation from 4 January: weeks 1 and 4.
        let six = Cycle {
            weeks: 6,
            anchor: Anchor::Weeks(from),
        };
        assert_eq!(p.recurrence.weeks_in(&six), Ok(0b001001));
        let month = Cycle::monthly(Some(Month { year: 2027, month: 1 }));
        assert!(p.recurrence.weeks_in(&month).is_err());
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "Xy 09:00-12:00",
            "Th[6] 09:00-12:00",
            "Th 12:00-09:00",
            "Mo 09:00-12:00; Th 09:00-12:00",
            "Th[2]",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn maps_onto_the_cycles_that_keep_it() {
        let month = Cycle::monthly(Some(Month { year: 2027, month: 3 }));
        let nth = |n: Vec<u8>| Recurrence::MonthWeeks { nth: n, last: false };
        assert_eq!(nth(vec![3, 4]).weeks_in(&month), Ok(0b1100));
        assert!(nth(vec![5]).weeks_in(&month).is_err());
        assert_eq!(Recurrence::Weekly.weeks_in(&month), Ok(0b1111));
        // 2027-01-04 is in ISO week 1: week 1 of the rotation is odd.
        let two = Cycle {
            weeks: 2,
            anchor: Anchor::Weeks(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()),
        };
        assert_eq!(Recurrence::IsoWeeks { first: 1, step: 2 }.weeks_in(&two), Ok(0b01));
        assert_eq!(Recurrence::IsoWeeks { first: 2, step: 2 }.weeks_in(&two), Ok(0b10));
        assert!(nth(vec![2]).weeks_in(&two).is_err());
    }
}
