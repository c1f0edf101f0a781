//! The result of solving: which commune each bus serves in each slot, and
//! the totals derived from it.

use crate::calendar::{HalfDay, Slot};
use crate::model::Instance;
use chrono::Weekday;

/// One stop of one bus in one slot of the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub bus: usize,
    pub slot: Slot,
    /// Index into the territory's communes.
    pub commune: usize,
}

/// A bus day: its morning and afternoon stops, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusDay {
    pub bus: usize,
    pub week: u8,
    pub weekday: Weekday,
    pub am: Option<usize>,
    pub pm: Option<usize>,
}

/// Driving and visit totals, for one bus or the fleet.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub visits: usize,
    pub days: usize,
    pub drive_seconds: f64,
    pub drive_metres: f64,
}

/// A monthly tour plan: visits sorted by bus, week, weekday, half-day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub visits: Vec<Visit>,
}

impl Plan {
    pub fn new(mut visits: Vec<Visit>) -> Plan {
        visits.sort_by_key(|v| (v.bus, v.slot.week, v.slot.weekday.num_days_from_monday(), v.slot.half));
        Plan { visits }
    }

    /// The days on which some bus stops somewhere, in plan order.
    pub fn days(&self) -> Vec<BusDay> {
        let mut days: Vec<BusDay> = Vec::new();
        for v in &self.visits {
            let same = days
                .last()
                .is_some_and(|d| d.bus == v.bus && d.week == v.slot.week && d.weekday == v.slot.weekday);
            if !same {
                days.push(BusDay {
                    bus: v.bus,
                    week: v.slot.week,
                    weekday: v.slot.weekday,
                    am: None,
                    pm: None,
                });
            }
            let day = days.last_mut().expect("pushed above");
            match v.slot.half {
                HalfDay::Am => day.am = Some(v.commune),
                HalfDay::Pm => day.pm = Some(v.commune),
            }
        }
        days
    }

    /// Totals per bus (index = bus) and for the whole fleet.
    pub fn totals(&self, instance: &Instance) -> (Vec<Totals>, Totals) {
        let mut per_bus = vec![Totals::default(); instance.buses.len()];
        for day in self.days() {
            let drive = instance.day_drive(day.bus, day.am, day.pm);
            let t = &mut per_bus[day.bus];
            t.days += 1;
            t.visits += usize::from(day.am.is_some()) + usize::from(day.pm.is_some());
            t.drive_seconds += drive.seconds;
            t.drive_metres += drive.metres;
        }
        let fleet = per_bus.iter().fold(Totals::default(), |acc, t| Totals {
            visits: acc.visits + t.visits,
            days: acc.days + t.days,
            drive_seconds: acc.drive_seconds + t.drive_seconds,
            drive_metres: acc.drive_metres + t.drive_metres,
        });
        (per_bus, fleet)
    }

    /// Number of distinct communes served.
    pub fn communes_served(&self) -> usize {
        let mut c: Vec<usize> = self.visits.iter().map(|v| v.commune).collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    }
}
