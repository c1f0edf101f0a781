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

pub(super) struct Spacing;

impl Rule for Spacing {
    fn check_commune(&self, instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<String> {
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
        if regular && (!within || published || evenly_spread(&weeks, instance.cycle.weeks)) {
            return Vec::new();
        }
        vec![format!(
            "{}: visits in weeks {weeks:?} do not follow one valid pattern (same bus, weekday and half-day; evenly spread over the {}-week cycle, e.g. weeks 1+3 or 2+4 for 2 in 4)",
            commune.name, instance.cycle.weeks
        )]
    }
}

/// Whether sorted `weeks` are evenly spread over a `cycle` of weeks: as
/// many as divide it, each `cycle / count` after the one before, the first
/// within the first gap (so the pattern repeats unchanged every cycle).
fn evenly_spread(weeks: &[u8], cycle: u8) -> bool {
    let count = weeks.len() as u8;
    if count == 0 || !cycle.is_multiple_of(count) {
        return false;
    }
    let gap = cycle / count;
    weeks[0] >= 1 && weeks[0] <= gap && weeks.windows(2).all(|w| w[1] == w[0] + gap)
}
