//! A required half-day (`half_day = AM` or `PM`): the commune is served
//! only then. A preferred one (`AM?`) is a cost, not a rule
//! (`Need::penalty`).

use super::Rule;
use crate::input::territory::{Commune, HalfDayRule};
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct HalfDays;

impl Rule for HalfDays {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        match instance.territory.communes[c].half_day {
            Some(HalfDayRule::Require(h)) => pattern.half == h,
            _ => true,
        }
    }

    fn check_commune(&self, _instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let Some(HalfDayRule::Require(h)) = commune.half_day else {
            return Vec::new();
        };
        visits
            .iter()
            .filter(|v| v.slot.half != h)
            .map(|v| {
                Reason::new(
                    format!("{}: visited {} but requires {h}", commune.name, v.slot.half),
                    format!(
                        "{} : passage le {}, elle demande le {}",
                        commune.name,
                        v.slot.half.french(),
                        h.french()
                    ),
                )
            })
            .collect()
    }
}
