//! Dates: no visit on a French public holiday or on a date the commune
//! is unavailable (`unavailable` column: a market, a fête). Only a cycle
//! with dates (a month, or a rolling cycle from a first Monday) has any.
//! Over a year of real dates (rules of several kinds) a rule recurs across
//! holidays: those dates are closed in the calendars and `horaires`
//! (`PH off`, dated `off`), not refused.

use super::Rule;
use crate::calendar::is_french_holiday;
use crate::input::territory::Commune;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct Dates;

impl Rule for Dates {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        if year_of_dates(instance) {
            return true;
        }
        let unavailable = &instance.territory.communes[c].unavailable;
        pattern.slots().all(|s| {
            instance
                .cycle
                .date_of(s.week, s.weekday)
                .is_none_or(|date| !unavailable.contains(&date) && !is_french_holiday(date))
        })
    }

    fn check_commune(&self, instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let mut problems = Vec::new();
        if year_of_dates(instance) {
            return problems;
        }
        // A week outside the cycle has no date; the checker reports it.
        for date in visits
            .iter()
            .filter_map(|v| instance.cycle.date_of(v.slot.week, v.slot.weekday))
        {
            if commune.unavailable.contains(&date) {
                problems.push(Reason::new(
                    format!("{}: visited on {date}, a date it is unavailable", commune.name),
                    format!(
                        "{} : passage le {}, une date où elle n'est pas disponible",
                        commune.name,
                        date.format("%d/%m/%Y")
                    ),
                ));
            }
            if is_french_holiday(date) {
                problems.push(Reason::new(
                    format!("{}: visited on {date}, a public holiday", commune.name),
                    format!(
                        "{} : passage le {}, un jour férié",
                        commune.name,
                        date.format("%d/%m/%Y")
                    ),
                ));
            }
        }
        problems
    }
}

/// Whether the cycle is a year of real dates, where holidays close dates
/// rather than refuse a rule.
fn year_of_dates(instance: &Instance) -> bool {
    matches!(instance.cycle.anchor, crate::calendar::Anchor::Dated(_))
}
