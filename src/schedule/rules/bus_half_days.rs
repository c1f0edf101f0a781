//! The bus's own half-days (`half_days = ["Wed PM", "Fri AM"]` in its
//! `[[bus]]`): a bus that staffs a fixed desk the rest of the week stops
//! only in the half-days it works; a whole day needs both of its day.

use super::{CheckedDay, Rule};
use crate::calendar::{HalfDay, WEEKDAYS, weekday_code};
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::reason::Reason;

pub(super) struct BusHalfDays;

impl Rule for BusHalfDays {
    fn allows(&self, instance: &Instance, _c: usize, pattern: &SlotPattern) -> bool {
        let bus = &instance.buses[pattern.bus];
        if pattern.full {
            HalfDay::BOTH.iter().all(|h| bus.works(pattern.weekday, *h))
        } else {
            bus.works(pattern.weekday, pattern.half)
        }
    }

    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<Reason> {
        let bus = &instance.buses[day.bus];
        let weekday = WEEKDAYS[day.weekday as usize];
        // A weekday the bus does not work at all is the checker's to say.
        if !bus.weekdays.contains(&weekday) {
            return Vec::new();
        }
        let mut halves: Vec<HalfDay> = day
            .stops
            .iter()
            .map(|s| s.half)
            .filter(|h| !bus.works(weekday, *h))
            .collect();
        halves.dedup();
        halves
            .into_iter()
            .map(|h| {
                Reason::new(
                    format!(
                        "{}: a stop on {} {h} in week {}, a half-day the bus does not work",
                        bus.name,
                        weekday_code(weekday),
                        day.week
                    ),
                    format!(
                        "{} : un arrêt le {} {} en semaine {}, une demi-journée où le bus ne roule pas",
                        bus.name,
                        crate::calendar::weekday_french(weekday),
                        h.french(),
                        day.week
                    ),
                )
            })
            .collect()
    }
}
