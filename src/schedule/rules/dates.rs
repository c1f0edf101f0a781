//! Dates: no visit on a French public holiday or on a date the commune
//! is unavailable (`unavailable` column: a market, a fête). Only a cycle
//! with dates (a month, or a rolling cycle from a first Monday) has any.

use super::Rule;
use crate::calendar::is_french_holiday;
use crate::input::territory::Commune;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Visit;

pub(super) struct Dates;

impl Rule for Dates {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        let unavailable = &instance.territory.communes[c].unavailable;
        pattern.slots().all(|s| {
            instance
                .cycle
                .date_of(s.week, s.weekday)
                .is_none_or(|date| !unavailable.contains(&date) && !is_french_holiday(date))
        })
    }

    fn check_commune(&self, instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<String> {
        let mut problems = Vec::new();
        // A week outside the cycle has no date; the checker reports it.
        for date in visits
            .iter()
            .filter_map(|v| instance.cycle.date_of(v.slot.week, v.slot.weekday))
        {
            if commune.unavailable.contains(&date) {
                problems.push(format!("{}: visited on {date}, a date it is unavailable", commune.name));
            }
            if is_french_holiday(date) {
                problems.push(format!("{}: visited on {date}, a public holiday", commune.name));
            }
        }
        problems
    }
}
