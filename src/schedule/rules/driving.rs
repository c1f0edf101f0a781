//! Daily driving: a bus day, depot to depot, may not take more than
//! `max_drive_minutes` at the wheel (the agents' working day), so a
//! commune whose round trip alone is longer is refused.

use super::{CheckedDay, EPS, Rule, who};
use crate::schedule::model::{Instance, SlotPattern};

pub(super) struct Driving;

impl Rule for Driving {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        instance.day_drive(pattern.bus, &[c]).seconds <= instance.max_drive_seconds
    }

    fn explain(&self, instance: &Instance, c: usize, _left: &[SlotPattern]) -> Option<String> {
        let who = who(&instance.territory.communes[c]);
        let best = (0..instance.buses.len())
            .map(|b| instance.day_drive(b, &[c]).seconds)
            .fold(f64::INFINITY, f64::min);
        Some(if best.is_infinite() {
            format!("{who}: no road reaches its stop from any depot")
        } else {
            format!(
                "{who}: the round trip from the nearest depot takes {} min, more than max_drive_minutes = {}",
                (best / 60.0).round(),
                instance.max_drive_seconds / 60.0
            )
        })
    }

    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<String> {
        let drive = instance.day_drive(day.bus, &day.communes()).seconds;
        if !drive.is_finite() {
            vec![format!("{}: a stop cannot be reached by road", day.label(instance))]
        } else if drive > instance.max_drive_seconds + EPS {
            vec![format!(
                "{}: {:.0} min of driving, more than the {:.0} min allowed",
                day.label(instance),
                drive / 60.0,
                instance.max_drive_seconds / 60.0
            )]
        } else {
            Vec::new()
        }
    }

    fn day_allows(&self, instance: &Instance, bus: usize, am: usize, pm: usize) -> bool {
        instance.day_drive(bus, &[am, pm]).seconds <= instance.max_drive_seconds + 1e-9
    }

    fn limit(&self, instance: &Instance, _bus: usize, limits: &mut pvrp::Limits) {
        limits.travel = Some(instance.max_drive_seconds);
    }
}
