//! The lunch gap: between a morning stop and an afternoon stop that each
//! last their session, the bus drives within the gap between the
//! sessions; short stops of one day follow each other in time, with the
//! drive between them. The solver keeps this through its fixed-time
//! windows (`as_pvrp`).

use super::{CheckedDay, EPS, Rule};
use crate::calendar::{HalfDay, format_clock};
use crate::schedule::model::{DayDrive, Instance};
use crate::schedule::reason::Reason;

pub(super) struct Lunch;

impl Rule for Lunch {
    fn check_day(&self, instance: &Instance, day: &CheckedDay) -> Vec<Reason> {
        let weekday = crate::calendar::WEEKDAYS[day.weekday as usize];
        let gap = instance.sessions_on(day.bus, weekday).lunch_gap_seconds();
        let node = |c: usize| instance.commune_node(c);
        let name = |c: usize| &instance.territory.communes[c].name;
        let mut problems = Vec::new();
        for pair in day.stops.windows(2) {
            let (a, p) = (pair[0], pair[1]);
            let leg = instance.matrix.seconds(node(a.commune), node(p.commune));
            if a.whole && p.whole && a.half == HalfDay::Am && p.half == HalfDay::Pm {
                if leg > gap + EPS {
                    problems.push(Reason::new(
                        format!(
                            "{}: {:.0} min from the {} stop to the {} stop, more than the {:.0} min lunch gap",
                            day.label(instance),
                            leg / 60.0,
                            HalfDay::Am,
                            HalfDay::Pm,
                            gap / 60.0
                        ),
                        format!(
                            "{} : {:.0} min de route entre l'arrêt du matin et celui de l'après-midi, plus que les {:.0} min de la pause de midi",
                            day.label_fr(instance),
                            leg / 60.0,
                            gap / 60.0
                        ),
                    ));
                }
            } else if f64::from(a.closes) * 60.0 + leg > f64::from(p.opens) * 60.0 + EPS {
                problems.push(Reason::new(
                    format!(
                        "{}: {} closes at {} and {} opens at {}, {:.0} min of driving away",
                        day.label(instance),
                        name(a.commune),
                        format_clock(a.closes),
                        name(p.commune),
                        format_clock(p.opens),
                        leg / 60.0
                    ),
                    format!(
                        "{} : {} ferme à {} et {} ouvre à {}, à {:.0} min de route",
                        day.label_fr(instance),
                        name(a.commune),
                        format_clock(a.closes),
                        name(p.commune),
                        format_clock(p.opens),
                        leg / 60.0
                    ),
                ));
            }
        }
        problems
    }

    /// Within the bus's longest lunch gap of any weekday: the exact model
    /// pairs communes per bus day and does not tell weekdays apart here.
    fn day_allows(&self, instance: &Instance, bus: usize, am: usize, pm: usize, _drive: DayDrive) -> bool {
        let lunch = instance
            .matrix
            .seconds(instance.commune_node(am), instance.commune_node(pm));
        let gap = crate::calendar::WEEKDAYS
            .iter()
            .map(|&d| instance.sessions_on(bus, d).lunch_gap_seconds())
            .fold(0.0, f64::max);
        lunch <= gap + 1e-9
    }
}
