//! Daily range: a bus with a `range_km` (an electric bus on one charge)
//! may not drive more km in a day, depot to depot, measured on the
//! instance's distance matrix (road km from the network, else straight
//! line × detour). A commune beyond every bus's range and back is
//! refused; buses without a range take the far communes.

use super::{CheckedDay, EPS, Rule, who};
use crate::schedule::model::{DayDrive, Instance, SlotPattern};
use crate::schedule::reason::Reason;

pub(super) struct Range;

/// Metres shown as whole km.
fn km(metres: f64) -> String {
    format!("{:.0} km", metres / 1000.0)
}

impl Rule for Range {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        instance.buses[pattern.bus]
            .range_metres
            .is_none_or(|range| instance.day_drive(pattern.bus, &[c]).metres <= range)
    }

    fn explain(&self, instance: &Instance, c: usize, left: &[SlotPattern]) -> Option<String> {
        let commune = &instance.territory.communes[c];
        let mut buses: Vec<usize> = left.iter().map(|p| p.bus).collect();
        buses.dedup();
        let reasons: Vec<String> = buses
            .iter()
            .filter_map(|&b| {
                let range = instance.buses[b].range_metres?;
                Some(format!(
                    "{} ({} range): {} is {} away and back",
                    instance.buses[b].name,
                    km(range),
                    commune.name,
                    km(instance.day_drive(b, &[c]).metres)
                ))
            })
            .collect();
        Some(format!(
            "{}: beyond the range of every bus whose driving time allows it: {}; raise `range_km` or give a bus without a range a depot nearer",
            who(commune),
            reasons.join("; ")
        ))
    }

    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<Reason> {
        let Some(range) = instance.buses[day.bus].range_metres else {
            return Vec::new();
        };
        let metres = day.drive.metres;
        if metres > range + EPS {
            vec![Reason::new(
                format!(
                    "{}: {} of driving, more than the bus's {} range",
                    day.label(instance),
                    km(metres),
                    km(range)
                ),
                format!(
                    "{} : {} de route, plus que l'autonomie du bus ({})",
                    day.label_fr(instance),
                    km(metres),
                    km(range)
                ),
            )]
        } else {
            Vec::new()
        }
    }

    fn day_allows(&self, instance: &Instance, bus: usize, _am: usize, _pm: usize, drive: DayDrive) -> bool {
        instance.buses[bus]
            .range_metres
            .is_none_or(|range| drive.metres <= range + 1e-9)
    }

    fn limit(&self, instance: &Instance, bus: usize, limits: &mut pvrp::Limits) {
        limits.length = instance.buses[bus].range_metres;
    }
}
