//! The result of solving: which commune each bus serves in each slot, and
//! the totals derived from it.

use crate::calendar::{HalfDay, Slot};
use crate::model::{Instance, Pattern};
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

/// Reads the slots of a previous `plan.csv` (as `tournee plan` writes it)
/// as one pattern per commune (INSEE code). Buses are matched by name.
pub fn read_previous(path: &std::path::Path, buses: &[crate::model::Bus]) -> crate::Result<Vec<(String, Pattern)>> {
    use crate::error::{Error, Location};
    let at = |line: u64, field: &str| Location::file(path).line(line).field(field);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delimiter = crate::territory::sniff_delimiter(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::input(Location::file(path), e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(
                at(1, name),
                format!("missing column `{name}`: expected a plan.csv written by tournee plan"),
            )
        })
    };
    let (bus_col, week_col, day_col, half_col, insee_col) = (
        column("bus")?,
        column("week")?,
        column("weekday")?,
        column("half_day")?,
        column("insee")?,
    );
    let mut patterns: Vec<(String, Pattern)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::input(Location::file(path), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize| record.get(i).unwrap_or("");
        let bus = buses.iter().position(|b| b.name == get(bus_col)).ok_or_else(|| {
            Error::input(
                at(line, "bus"),
                format!("bus `{}` is not in the scenario", get(bus_col)),
            )
        })?;
        let week: u8 = get(week_col)
            .parse()
            .ok()
            .filter(|w| (1..=crate::calendar::WEEKS).contains(w))
            .ok_or_else(|| Error::input(at(line, "week"), "expected a week 1–4"))?;
        let weekday = crate::calendar::parse_weekday(get(day_col))
            .ok_or_else(|| Error::input(at(line, "weekday"), "expected a weekday such as Mon"))?;
        let half: HalfDay = get(half_col)
            .parse()
            .map_err(|_| Error::input(at(line, "half_day"), "expected AM or PM"))?;
        let insee = get(insee_col).to_string();
        match patterns.iter_mut().find(|(code, _)| *code == insee) {
            Some((_, p)) if p.bus == bus && p.weekday == weekday && p.half == half => p.weeks |= 1 << (week - 1),
            Some(_) => {
                return Err(Error::input(
                    at(line, "insee"),
                    format!("commune {insee} has visits on different buses, weekdays or half-days"),
                ));
            }
            None => patterns.push((
                insee,
                Pattern {
                    bus,
                    weekday,
                    half,
                    weeks: 1 << (week - 1),
                },
            )),
        }
    }
    Ok(patterns)
}

/// One stop series: a commune served by one bus on one weekday and
/// half-day, in `weeks` (sorted) of every month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub bus: usize,
    pub commune: usize,
    pub weekday: chrono::Weekday,
    pub half: HalfDay,
    pub weeks: Vec<u8>,
}

impl Stop {
    /// The stop as a model pattern (its weeks as a bit set).
    pub fn pattern(&self) -> Pattern {
        let weeks = self.weeks.iter().fold(0u8, |w, week| w | (1 << (week - 1)));
        Pattern {
            bus: self.bus,
            weekday: self.weekday,
            half: self.half,
            weeks,
        }
    }
}

impl Plan {
    /// The plan's stop series, in plan order of their first visit.
    pub fn stops(&self) -> Vec<Stop> {
        let mut stops: Vec<Stop> = Vec::new();
        for v in &self.visits {
            let same = |s: &&mut Stop| {
                s.bus == v.bus && s.commune == v.commune && s.weekday == v.slot.weekday && s.half == v.slot.half
            };
            match stops.iter_mut().find(same) {
                Some(stop) => stop.weeks.push(v.slot.week),
                None => stops.push(Stop {
                    bus: v.bus,
                    commune: v.commune,
                    weekday: v.slot.weekday,
                    half: v.slot.half,
                    weeks: vec![v.slot.week],
                }),
            }
        }
        stops.iter_mut().for_each(|s| s.weeks.sort_unstable());
        stops
    }
}
