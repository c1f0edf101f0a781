//! Cycle spacing: a commune's visits follow one pattern, the same bus,
//! weekday, half-day and hours every time, in weeks evenly spread over the
//! cycle (weeks 1+3 or 2+4 for two in four; every N / visits weeks in a
//! rolling cycle), so the published slot repeats unchanged. The model only
//! offers such patterns (`Cycle::week_sets`); the checker holds a saved
//! plan to them. A published rule (`Th[3,4]`) keeps its own weeks.

use super::Rule;
use crate::input::territory::Commune;
use crate::schedule::model::Instance;
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct Spacing;

impl Rule for Spacing {
    fn check_commune(&self, instance: &Instance, c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let Some(first) = visits.first() else { return Vec::new() };
        let regular = visits.iter().all(|v| {
            v.bus == first.bus
                && v.slot.weekday == first.slot.weekday
                && v.slot.half == first.slot.half
                && v.time == first.time
        });
        let mut weeks: Vec<u8> = visits.iter().map(|v| v.slot.week).collect();
        weeks.sort_unstable();
        // A week outside the cycle is reported once, by the checker.
        let within = weeks.iter().all(|w| instance.cycle.week_numbers().contains(w));
        // A published rule's weeks are its own to keep (`rules::published`).
        let published = commune.pinned.is_some();
        // The weeks must be one of the sets the model offers for the
        // commune's visits (evenly spread; under real dates, the kinds of
        // date of its rule).
        let spread = || {
            let set = weeks.iter().fold(0, |set, w| set | (1 << (w - 1)));
            instance.cycle.week_sets(instance.required_visits(c)).contains(&set)
        };
        if regular && (!within || published || spread()) {
            return Vec::new();
        }
        let listed: Vec<String> = weeks.iter().map(u8::to_string).collect();
        vec![Reason::new(
            format!(
                "{}: visits in weeks {weeks:?} do not follow one valid pattern (same bus, weekday and half-day; evenly spread over the {}-week cycle, e.g. weeks 1+3 or 2+4 for 2 in 4)",
                commune.name, instance.cycle.weeks
            ),
            format!(
                "{} : les passages des semaines {} ne suivent pas un rythme régulier (même bus, même jour, même demi-journée ; répartis sur le cycle de {} semaines, par exemple semaines 1+3 ou 2+4 pour 2 sur 4)",
                commune.name,
                listed.join("+"),
                instance.cycle.weeks
            ),
        )]
    }
}
