//! The result of solving: which commune each bus serves in each slot, and
//! the totals derived from it.

use crate::calendar::{HalfDay, Slot};
use crate::input::scenario::{Session, Sessions};
use crate::input::sites::ServicePoint;
use crate::input::territory::Territory;
use crate::schedule::model::{DayDrive, Instance, Need, SlotPattern};
use chrono::Weekday;
use std::collections::HashMap;

/// The visits of a commune served with `pattern`: one per half-day it
/// takes, with a short stop's opening hours.
pub fn visits_of(need: &Need, pattern: SlotPattern) -> impl Iterator<Item = Visit> + '_ {
    pattern.slots().map(move |slot| Visit {
        bus: pattern.bus,
        slot,
        commune: need.commune,
        time: pattern.start.map(|s| (s, s + need.minutes.unwrap_or(0))),
    })
}

/// One stop of one bus in one slot of the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub bus: usize,
    pub slot: Slot,
    /// Index into the territory's communes.
    pub commune: usize,
    /// Opening and closing time of a short stop (minutes since midnight);
    /// `None` for one that lasts its whole session.
    pub time: Option<(u32, u32)>,
}

/// A bus day: its stops in visiting order (the morning's, then the
/// afternoon's; several when they are short).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusDay {
    pub bus: usize,
    pub week: u8,
    pub weekday: Weekday,
    /// (half-day, commune), in visiting order.
    pub stops: Vec<(HalfDay, usize)>,
}

impl BusDay {
    /// The communes of `half`, in visiting order.
    pub fn of(&self, half: HalfDay) -> Vec<usize> {
        self.stops.iter().filter(|(h, _)| *h == half).map(|(_, c)| *c).collect()
    }

    /// Visits the day makes: one per commune, so a whole day (its morning
    /// and its afternoon in one commune) counts once.
    pub fn visits(&self) -> usize {
        let mut communes = self.communes();
        communes.sort_unstable();
        communes.dedup();
        communes.len()
    }

    /// The communes of the day, in visiting order.
    pub fn communes(&self) -> Vec<usize> {
        self.stops.iter().map(|(_, c)| *c).collect()
    }
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
        visits.sort_by_key(|v| {
            let opens = v.time.map_or(0, |t| t.0);
            (
                v.bus,
                v.slot.week,
                v.slot.weekday.num_days_from_monday(),
                v.slot.half,
                opens,
            )
        });
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
                    stops: Vec::new(),
                });
            }
            days.last_mut()
                .expect("pushed above")
                .stops
                .push((v.slot.half, v.commune));
        }
        days
    }

    /// The drive of each bus day, by (bus, week, weekday).
    pub(crate) fn day_drives(&self, instance: &Instance) -> HashMap<(usize, u8, Weekday), DayDrive> {
        self.days()
            .into_iter()
            .map(|d| ((d.bus, d.week, d.weekday), instance.day_drive(d.bus, &d.communes())))
            .collect()
    }

    /// Totals per bus (index = bus) and for the whole fleet, per cycle;
    /// over a year of real dates, per average month (each day by how often
    /// its kind of date comes, the counts rounded).
    pub fn totals(&self, instance: &Instance) -> (Vec<Totals>, Totals) {
        let mut per_bus = vec![Totals::default(); instance.buses.len()];
        // (days, visits) per bus before rounding.
        let mut counts = vec![(0.0, 0.0); instance.buses.len()];
        for day in self.days() {
            let drive = instance.day_drive(day.bus, &day.communes());
            let weight = instance.cycle.weight(day.week, day.weekday);
            let t = &mut per_bus[day.bus];
            counts[day.bus].0 += weight;
            counts[day.bus].1 += weight * day.visits() as f64;
            t.drive_seconds += weight * drive.seconds;
            t.drive_metres += weight * drive.metres;
        }
        for (t, (days, visits)) in per_bus.iter_mut().zip(counts) {
            t.days = days.round() as usize;
            t.visits = visits.round() as usize;
        }
        let fleet = per_bus.iter().fold(Totals::default(), |acc, t| Totals {
            visits: acc.visits + t.visits,
            days: acc.days + t.days,
            drive_seconds: acc.drive_seconds + t.drive_seconds,
            drive_metres: acc.drive_metres + t.drive_metres,
        });
        (per_bus, fleet)
    }

    /// Number of distinct communes served (a commune's lines of service
    /// count once).
    pub fn communes_served(&self, territory: &Territory) -> usize {
        let mut c: Vec<usize> = self.visits.iter().map(|v| territory.head(v.commune)).collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    }
}

/// One stop series: a commune served by one bus on one weekday and
/// half-day, in `weeks` (sorted) of every month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub bus: usize,
    pub commune: usize,
    pub weekday: chrono::Weekday,
    /// The half-day (the morning for a whole day).
    pub half: HalfDay,
    pub weeks: Vec<u8>,
    /// The whole day: the morning and the afternoon.
    pub full: bool,
    /// Opening and closing time of a short stop; `None`: its session.
    pub time: Option<(u32, u32)>,
}

impl Stop {
    /// When the bus is there: one session, or both for a whole day.
    pub fn sessions(&self, sessions: &Sessions) -> Vec<Session> {
        match (self.full, self.time) {
            (true, _) => vec![sessions.am, sessions.pm],
            (false, Some((start, end))) => vec![Session { start, end }],
            (false, None) => vec![sessions.get(self.half)],
        }
    }

    /// When the bus is there under `instance`: its session(s) that day
    /// (the bus's own hours that weekday), a short stop's own hours, or a
    /// whole-day commune's own published hours.
    pub fn hours(&self, instance: &Instance) -> Vec<Session> {
        let own = instance
            .territory
            .communes
            .get(self.commune)
            .and_then(|c| c.pinned)
            .and_then(|p| p.day_hours);
        match own {
            Some((start, end)) if self.full => vec![Session { start, end }],
            _ => self.sessions(&instance.sessions_on(self.bus, self.weekday)),
        }
    }

    /// From the first arrival to the last departure, in minutes since
    /// midnight: what calendars and posters show.
    pub fn span(&self, instance: &Instance) -> (u32, u32) {
        let all = self.hours(instance);
        (all[0].start, all[all.len() - 1].end)
    }
}

/// `stops` gathered per commune (its first row, [`Territory::head`]),
/// each with every line of service it has, in the order the communes
/// first appear: one calendar, poster or open-data row per commune.
pub fn stops_by_commune<'a>(stops: &'a [Stop], territory: &Territory) -> Vec<(usize, Vec<&'a Stop>)> {
    let mut groups: Vec<(usize, Vec<&Stop>)> = Vec::new();
    for stop in stops {
        let head = territory.head(stop.commune);
        match groups.iter_mut().find(|(c, _)| *c == head) {
            Some((_, mine)) => mine.push(stop),
            None => groups.push((head, vec![stop])),
        }
    }
    groups
}

impl Plan {
    /// The plan's stop series, in plan order of their first visit.
    pub fn stops(&self) -> Vec<Stop> {
        let mut stops: Vec<Stop> = Vec::new();
        for v in &self.visits {
            let same = |s: &&mut Stop| {
                s.bus == v.bus
                    && s.commune == v.commune
                    && s.weekday == v.slot.weekday
                    && s.half == v.slot.half
                    && s.time == v.time
            };
            match stops.iter_mut().find(same) {
                Some(stop) => stop.weeks.push(v.slot.week),
                None => stops.push(Stop {
                    bus: v.bus,
                    commune: v.commune,
                    weekday: v.slot.weekday,
                    half: v.slot.half,
                    weeks: vec![v.slot.week],
                    full: false,
                    time: v.time,
                }),
            }
        }
        stops.iter_mut().for_each(|s| s.weeks.sort_unstable());
        // A morning and an afternoon series of one commune on the same days
        // are one whole-day stop, kept as the morning.
        let day = |s: &Stop| (s.bus, s.commune, s.weekday, s.weeks.clone(), s.time);
        let afternoons: Vec<_> = stops.iter().filter(|s| s.half == HalfDay::Pm).map(day).collect();
        let mornings: Vec<_> = stops.iter().filter(|s| s.half == HalfDay::Am).map(day).collect();
        stops.retain(|s| s.half == HalfDay::Am || !mornings.contains(&day(s)));
        for s in stops.iter_mut().filter(|s| s.half == HalfDay::Am) {
            s.full = afternoons.contains(&day(s));
        }
        stops
    }
}

impl Plan {
    /// Communes of `instance` carried over from a previous plan whose
    /// slots in this plan differ from their previous ones.
    pub fn moved(&self, instance: &Instance) -> usize {
        let key = |(bus, s): &(usize, Slot)| (*bus, s.week, s.weekday.num_days_from_monday(), s.half);
        instance
            .needs
            .iter()
            .filter(|d| {
                d.previous.is_some_and(|previous| {
                    let mut now: Vec<(usize, Slot)> = self
                        .visits
                        .iter()
                        .filter(|v| v.commune == d.commune)
                        .map(|v| (v.bus, v.slot))
                        .collect();
                    let mut before: Vec<(usize, Slot)> = previous.slots().map(|s| (previous.bus, s)).collect();
                    now.sort_by_key(key);
                    before.sort_by_key(key);
                    now != before
                })
            })
            .count()
    }

    /// The plan's bus stops as service points, each open the sum of its
    /// sessions over a month.
    pub(crate) fn service_points(&self, instance: &Instance) -> Vec<ServicePoint> {
        let mut stops: Vec<ServicePoint> = Vec::new();
        for stop in self.stops() {
            let commune = &instance.territory.communes[stop.commune];
            let minutes: u32 = stop.hours(instance).iter().map(|s| s.end - s.start).sum();
            let hours = stop.weeks.len() as f64 * f64::from(minutes) / 60.0 * instance.cycle.cycles_per_month();
            match stops.iter_mut().find(|s| s.insee.as_deref() == Some(&commune.insee)) {
                Some(s) => s.hours_month += hours,
                None => stops.push(ServicePoint {
                    name: commune.stop_name.clone().unwrap_or_else(|| commune.name.clone()),
                    insee: Some(commune.insee.clone()),
                    at: commune.stop,
                    hours_month: hours,
                }),
            }
        }
        stops
    }
}
