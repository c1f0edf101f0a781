//! Saturday mornings: a bus that works Saturdays opens the morning only
//! (the town halls close at noon), so a Saturday offers one half-day
//! (`calendar::halves`) and no afternoon stop is planned or accepted.

use super::{CheckedDay, Rule};
use crate::calendar::HalfDay;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::reason::Reason;
use chrono::Weekday;

pub(super) struct SaturdayMornings;

impl Rule for SaturdayMornings {
    fn allows(&self, _instance: &Instance, _c: usize, pattern: &SlotPattern) -> bool {
        !(pattern.weekday == Weekday::Sat && pattern.half == HalfDay::Pm)
    }

    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<Reason> {
        if day.weekday != Weekday::Sat.num_days_from_monday() {
            return Vec::new();
        }
        day.stops
            .iter()
            .filter(|s| s.half == HalfDay::Pm)
            .map(|_| {
                let bus = &instance.buses[day.bus].name;
                Reason::new(
                    format!(
                        "{bus}: a stop on a Saturday afternoon in week {}, when buses work Saturday mornings only",
                        day.week
                    ),
                    format!(
                        "{bus} : un arrêt un samedi après-midi en semaine {}, quand les bus ne roulent que le samedi matin",
                        day.week
                    ),
                )
            })
            .collect()
    }
}
