//! A commune's weekdays (`weekdays` column): it is served only on those
//! (the town hall is open, the room free).

use super::Rule;
use crate::calendar::weekday_code;
use crate::input::territory::Commune;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct Weekdays;

impl Rule for Weekdays {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        let days = &instance.territory.communes[c].weekdays;
        days.as_ref().is_none_or(|days| days.contains(&pattern.weekday))
    }

    fn check_commune(&self, _instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let Some(days) = &commune.weekdays else {
            return Vec::new();
        };
        visits
            .iter()
            .filter(|v| !days.contains(&v.slot.weekday))
            .map(|v| {
                Reason::new(
                    format!(
                        "{}: visited on {}, not one of its allowed weekdays",
                        commune.name,
                        weekday_code(v.slot.weekday)
                    ),
                    format!(
                        "{} : passage le {}, qui n'est pas un de ses jours",
                        commune.name,
                        crate::calendar::weekday_french(v.slot.weekday)
                    ),
                )
            })
            .collect()
    }
}
