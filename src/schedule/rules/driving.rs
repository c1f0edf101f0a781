//! Daily driving: a bus day, depot to depot, may not take more than
//! `max_drive_minutes` at the wheel (the agents' working day), so a
//! commune whose round trip alone is longer is refused.

use super::{CheckedDay, EPS, Rule, who};
use crate::schedule::model::{DayDrive, Instance, SlotPattern};
use crate::schedule::reason::Reason;

/// Seconds of commune `c`'s round trip from the nearest depot (infinite
/// where no road leads).
fn nearest_round_trip(instance: &Instance, c: usize) -> f64 {
    (0..instance.buses.len())
        .map(|b| instance.day_drive(b, &[c]).seconds)
        .fold(f64::INFINITY, f64::min)
}

pub(super) struct Driving;

impl Rule for Driving {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        instance.day_drive(pattern.bus, &[c]).seconds <= instance.max_drive_seconds
    }

    fn explain(&self, instance: &Instance, c: usize, _left: &[SlotPattern]) -> Option<String> {
        let who = who(&instance.territory.communes[c]);
        let best = nearest_round_trip(instance, c);
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

    /// Every commune beyond reach with its round-trip minutes, the
    /// unreachable apart, and the smallest `max_drive_minutes` that admits
    /// the others.
    fn summary(&self, instance: &Instance, communes: &[(usize, Vec<SlotPattern>)]) -> Option<String> {
        let mut trips: Vec<(usize, f64)> = communes
            .iter()
            .map(|(c, _)| (*c, nearest_round_trip(instance, *c)))
            .collect();
        trips.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let (far, cut_off): (Vec<_>, Vec<_>) = trips.iter().partition(|(_, s)| s.is_finite());
        let limit = instance.max_drive_seconds / 60.0;
        let mut text = String::new();
        if !far.is_empty() {
            let listed: Vec<String> = far
                .iter()
                .map(|(c, s)| format!("{} {} min", who(&instance.territory.communes[*c]), (s / 60.0).round()))
                .collect();
            let admits = (far[0].1 / 60.0).ceil();
            text += &format!(
                "{} communes lie beyond max_drive_minutes = {limit}: the round trip from the nearest depot takes {}; max_drive_minutes = {admits} admits them all",
                far.len(),
                listed.join(", ")
            );
        }
        if !cut_off.is_empty() {
            let listed: Vec<String> = cut_off
                .iter()
                .map(|(c, _)| who(&instance.territory.communes[*c]))
                .collect();
            if !text.is_empty() {
                text += "\n";
            }
            text += &format!("no road reaches the stop of {} from any depot", listed.join(", "));
        }
        Some(text)
    }

    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<Reason> {
        let drive = day.drive.seconds;
        if !drive.is_finite() {
            vec![Reason::new(
                format!("{}: a stop cannot be reached by road", day.label(instance)),
                format!("{} : un arrêt n'est pas joignable par la route", day.label_fr(instance)),
            )]
        } else if drive > instance.max_drive_seconds + EPS {
            let (minutes, allowed) = (drive / 60.0, instance.max_drive_seconds / 60.0);
            vec![Reason::new(
                format!(
                    "{}: {minutes:.0} min of driving, more than the {allowed:.0} min allowed",
                    day.label(instance)
                ),
                format!(
                    "{} : {minutes:.0} min de conduite, plus que les {allowed:.0} min permises",
                    day.label_fr(instance)
                ),
            )]
        } else {
            Vec::new()
        }
    }

    fn day_allows(&self, instance: &Instance, _bus: usize, _am: usize, _pm: usize, drive: DayDrive) -> bool {
        drive.seconds <= instance.max_drive_seconds + 1e-9
    }

    fn limit(&self, instance: &Instance, _bus: usize, limits: &mut pvrp::Limits) {
        limits.travel = Some(instance.max_drive_seconds);
    }
}
