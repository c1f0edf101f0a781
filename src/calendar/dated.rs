//! A calendar of real dates, for a tour whose communes follow different
//! kinds of rule: the 2nd Thursday of the month beside odd ISO weeks, the
//! last Friday beside every Friday. Each date has a [`Signature`]: its
//! weekday's rank in the month and whether it is the last one, its ISO
//! week modulo the rules' step, its week since the start modulo a
//! rotation. Every rule is a function of the signature, so two rules meet
//! on some date of the year exactly when their week sets share one. The
//! cycle's "weeks" are the signatures that occur over a year from the
//! start; a week's dates are the days of the year with its signature.

use super::{Cycle, WeekSet};
use chrono::{Datelike, NaiveDate, Weekday};

/// Days from the start the calendar covers: a year of weeks.
pub const HORIZON_DAYS: i64 = 364;

/// Which weeks a commune with no rule of its own may take: those of the
/// scenario's own cycle, carried over to the signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The 1st to 4th weekdays of the month (weekly: every one).
    Month,
    /// ISO week parity (a 2-week rotation).
    Parity,
    /// A rotation of this many weeks from the start.
    Rotation(u8),
}

/// What a date's signature records, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    /// The first day of the year of dates (a month's first day, or a
    /// rotation's first Monday).
    pub start: NaiveDate,
    /// Whether the rank in the month matters (a rule by weeks of the month).
    pub month: bool,
    /// The ISO week modulo this (0: unused).
    pub iso_step: u8,
    /// The week since `start` modulo this (0: unused).
    pub rotation: u8,
    pub base: Base,
}

/// What every rule asks of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signature {
    /// The weekday's rank in its month, 1 to 5 (0 when unused).
    pub nth: u8,
    /// Whether it is the month's last such weekday.
    pub last: bool,
    /// Its ISO week modulo the step.
    pub iso: u8,
    /// Its week since the start modulo the rotation.
    pub rotation: u8,
}

impl Dated {
    /// The signature of `date`.
    pub fn signature(&self, date: NaiveDate) -> Signature {
        let (nth, last) = if self.month {
            let nth = (date.day0() / 7 + 1) as u8;
            let next = date + chrono::Duration::days(7);
            (nth, next.month() != date.month())
        } else {
            (0, false)
        };
        let iso = match self.iso_step {
            0 => 0,
            step => (date.iso_week().week() % u32::from(step)) as u8,
        };
        let rotation = match self.rotation {
            0 => 0,
            n => (date - self.start).num_weeks().rem_euclid(i64::from(n)) as u8,
        };
        Signature {
            nth,
            last,
            iso,
            rotation,
        }
    }

    /// Every date of the year.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..HORIZON_DAYS).map(|d| self.start + chrono::Duration::days(d))
    }

    /// The signatures that occur, in order: week `k` of the cycle is the
    /// `k`-th.
    pub fn classes(&self) -> Vec<Signature> {
        let mut all: Vec<Signature> = self.dates().map(|d| self.signature(d)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The week of the cycle `date` belongs to (1-based).
    pub fn class_of(&self, date: NaiveDate) -> Option<u8> {
        let signature = self.signature(date);
        self.classes().iter().position(|s| *s == signature).map(|i| i as u8 + 1)
    }

    /// The dates of the year that are `weekday`s of week `week`.
    pub fn dates_of(&self, week: u8, weekday: Weekday) -> Vec<NaiveDate> {
        let Some(signature) = self.classes().get(usize::from(week).wrapping_sub(1)).copied() else {
            return Vec::new();
        };
        self.dates()
            .filter(|d| d.weekday() == weekday && self.signature(*d) == signature)
            .collect()
    }

    /// The weeks whose signature `keeps`.
    pub fn week_set(&self, keeps: impl Fn(&Signature) -> bool) -> WeekSet {
        self.classes()
            .iter()
            .enumerate()
            .filter(|(_, s)| keeps(s))
            .fold(0, |set, (k, _)| set | (1 << k))
    }

    /// The week sets a commune with no rule of its own takes for `visits`
    /// a cycle of the scenario's own kind: weeks 1+3 of the month are
    /// every signature ranked 1st or 3rd; weekly is every signature.
    pub fn base_week_sets(&self, visits: u8) -> Vec<WeekSet> {
        let weeks = match self.base {
            Base::Month => super::WEEKS,
            Base::Parity => 2,
            Base::Rotation(n) => n,
        };
        let first_parity = self.start.iso_week().week() % 2;
        // The week of the scenario's own cycle a signature stands for.
        let of = |s: &Signature| match self.base {
            Base::Month => s.nth,
            Base::Parity if u32::from(s.iso % 2) == first_parity => 1,
            Base::Parity => 2,
            Base::Rotation(_) => s.rotation + 1,
        };
        let own = Cycle {
            weeks,
            anchor: super::Anchor::Month(None),
        };
        let every = (1 << weeks) - 1;
        own.week_sets(visits)
            .into_iter()
            .map(|set: WeekSet| {
                // Every week of the scenario's cycle is every week: a 5th
                // weekday of the month too.
                self.week_set(|s| set == every || (1..=weeks).any(|w| of(s) == w && set & (1 << (w - 1)) != 0))
            })
            .collect()
    }

    /// How many times week `week` falls on a `weekday` in an average
    /// month of the year: what its day of the plan weighs in totals.
    pub fn per_month(&self, week: u8, weekday: Weekday) -> f64 {
        self.dates_of(week, weekday).len() as f64 / 12.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year_2027(month: bool, iso_step: u8) -> Dated {
        Dated {
            start: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            month,
            iso_step,
            rotation: 0,
            base: Base::Month,
        }
    }

    #[test]
    fn signatures_follow_the_calendar() {
        let d = year_2027(true, 2);
        // Friday 29 January 2027: 5th and last Friday, ISO week 4 (even).
        let s = d.signature(NaiveDate::from_ymd_opt(2027, 1, 29).unwrap());
        assert_eq!((s.nth, s.last, s.iso), (5, true, 0));
        // Thursday 28 January 2027: 4th and last Thursday.
        let s = d.signature(NaiveDate::from_ymd_opt(2027, 1, 28).unwrap());
        assert_eq!((s.nth, s.last), (4, true));
        // Rank 1–5, last or not, odd or even: 12 kinds of week at most.
        assert_eq!(d.classes().len(), 12);
    }

    #[test]
    fn a_week_holds_exactly_the_dates_of_its_signature() {
        let d = year_2027(true, 2);
        let second_thursday_odd = d.week_set(|s| s.nth == 2 && s.iso == 1);
        let week = second_thursday_odd.trailing_zeros() as u8 + 1;
        let dates = d.dates_of(week, Weekday::Thu);
        assert!(!dates.is_empty());
        for date in &dates {
            assert_eq!(date.weekday(), Weekday::Thu);
            assert!((8..=14).contains(&date.day()), "{date}");
            assert_eq!(date.iso_week().week() % 2, 1, "{date}");
        }
        // Every Thursday of the year is in exactly one week of the cycle.
        let thursdays: usize = (1..=d.classes().len() as u8)
            .map(|w| d.dates_of(w, Weekday::Thu).len())
            .sum();
        assert_eq!(thursdays, 52);
    }

    #[test]
    fn weekly_takes_every_signature_and_weeks_1_3_their_ranks() {
        let d = year_2027(true, 2);
        assert_eq!(d.base_week_sets(4), vec![(1 << d.classes().len()) - 1]);
        let first_third = d.base_week_sets(2)[0];
        for (k, s) in d.classes().iter().enumerate() {
            assert_eq!(first_third & (1 << k) != 0, s.nth == 1 || s.nth == 3, "{s:?}");
        }
    }
}
