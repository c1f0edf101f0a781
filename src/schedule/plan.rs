//! The result of solving: which commune each bus serves in each slot, and
//! the totals derived from it.

use crate::calendar::{HalfDay, Slot};
use crate::error::{Error, Location, Result};
use crate::input::plan_csv::SavedPlan;
use crate::input::scenario::{Session, Sessions};
use crate::input::sites::ServicePoint;
use crate::input::territory::{HalfDayRule, Territory};
use crate::schedule::model::{Bus, DayDrive, Instance, Need, SlotPattern};
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

/// A run of a saved plan's visits that one pattern makes: one commune
/// (and its `slot` label, if the plan gives one), one bus, weekday and
/// half-day (or the whole day), with the file lines of its rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub insee: String,
    pub slot: Option<String>,
    pub pattern: SlotPattern,
    pub lines: Vec<u64>,
}

/// The visits of a saved plan as patterns, buses matched by name: rows of
/// one commune (and slot label) on one bus, weekday, half-day and opening
/// time are one pattern; a morning and an afternoon series of the same
/// days are one whole-day pattern.
pub(crate) fn patterns_of(saved: &SavedPlan, buses: &[Bus], sessions: &Sessions) -> Result<Vec<Series>> {
    let at = |line: u64, field: &str| Location::file(&saved.source).line(line).field(field);
    let mut halves: Vec<Series> = Vec::new();
    for row in &saved.rows {
        let bus = buses
            .iter()
            .position(|b| b.name == row.bus)
            .ok_or_else(|| Error::input(at(row.line, "bus"), format!("bus `{}` is not in the scenario", row.bus)))?;
        let start = (buses[bus].sessions_on(row.weekday, sessions).get(row.half)
            != (Session {
                start: row.start,
                end: row.end,
            }))
        .then_some(row.start);
        let week = 1 << (row.week - 1);
        let same = |s: &Series| {
            let p = s.pattern;
            s.insee == row.insee
                && s.slot == row.slot
                && (p.bus, p.weekday, p.half, p.start) == (bus, row.weekday, row.half, start)
        };
        match halves.iter_mut().find(|s| same(s)) {
            Some(series) => {
                series.pattern.weeks |= week;
                series.lines.push(row.line);
            }
            None => halves.push(Series {
                insee: row.insee.clone(),
                slot: row.slot.clone(),
                pattern: SlotPattern {
                    bus,
                    weekday: row.weekday,
                    half: row.half,
                    weeks: week,
                    full: false,
                    start,
                },
                lines: vec![row.line],
            }),
        }
    }
    let mut series: Vec<Series> = Vec::new();
    for half in halves {
        let morning = |s: &Series| {
            let (p, q) = (s.pattern, half.pattern);
            s.insee == half.insee
                && s.slot == half.slot
                && !p.full
                && p.half == HalfDay::Am
                && q.half == HalfDay::Pm
                && (p.bus, p.weekday, p.weeks, p.start, q.start) == (q.bus, q.weekday, q.weeks, None, None)
        };
        match series.iter_mut().find(|s| morning(s)) {
            Some(s) => {
                s.pattern.full = true;
                s.lines.extend(half.lines);
            }
            None => series.push(half),
        }
    }
    Ok(series)
}

/// Each series of a saved plan on its commune's line of service (the row
/// of the commune table it serves): by `slot` label where the plan gives
/// one, else the matching that lets every rule allow most series (ties:
/// file order). Refuses a commune with more series than lines.
pub(crate) fn on_lines(instance: &Instance, saved: &SavedPlan, series: Vec<Series>) -> Result<Vec<(Series, usize)>> {
    let at = |line: u64, field: &str| Location::file(&saved.source).line(line).field(field);
    let series = split_whole_days(instance, series);
    let mut line_of = vec![usize::MAX; series.len()];
    let mut codes: Vec<&str> = series.iter().map(|s| s.insee.as_str()).collect();
    codes.dedup();
    codes.sort_unstable();
    codes.dedup();
    for insee in codes {
        let mine: Vec<usize> = (0..series.len()).filter(|&i| series[i].insee == insee).collect();
        let first_line = series[mine[0]].lines[0];
        let rows: Vec<usize> = (0..instance.territory.communes.len())
            .filter(|&c| instance.territory.communes[c].insee == insee)
            .collect();
        if rows.is_empty() {
            return Err(Error::input(
                at(first_line, "insee"),
                format!("commune {insee} is not in {}", instance.territory.source.display()),
            ));
        }
        if mine.len() > rows.len() {
            let listed: Vec<String> = mine.iter().map(|&i| series[i].pattern.describe()).collect();
            return Err(Error::input(
                at(first_line, "insee"),
                format!(
                    "commune {insee} ({}) is visited in {} series ({}) but has {} line(s) of service in {}: a commune keeps one bus, weekday and half-day per line; give it one row per slot, each with a `slot` label",
                    instance.territory.communes[rows[0]].name,
                    mine.len(),
                    listed.join(", "),
                    rows.len(),
                    instance.territory.source.display()
                ),
            ));
        }
        for (i, c) in match_lines(instance, &series, &mine, &rows, &at)? {
            line_of[i] = c;
        }
    }
    Ok(series.into_iter().zip(line_of).collect())
}

/// A morning and an afternoon on one day read as a whole day, unless the
/// commune has several lines of service and none is served whole days:
/// then they are two of its lines (which the checker will find on one day).
fn split_whole_days(instance: &Instance, series: Vec<Series>) -> Vec<Series> {
    let communes = &instance.territory.communes;
    let two_lines_no_whole_day = |insee: &str| {
        let mut rows = communes.iter().filter(|c| c.insee == insee);
        rows.clone().count() > 1 && rows.all(|c| c.half_day != Some(HalfDayRule::Full))
    };
    series
        .into_iter()
        .flat_map(|s| {
            if !(s.pattern.full && two_lines_no_whole_day(&s.insee)) {
                return vec![s];
            }
            HalfDay::BOTH
                .iter()
                .map(|&half| Series {
                    pattern: SlotPattern {
                        half,
                        full: false,
                        ..s.pattern
                    },
                    ..s.clone()
                })
                .collect()
        })
        .collect()
}

/// The rows (of `rows`, one commune's lines) that its series `mine` serve.
fn match_lines(
    instance: &Instance,
    series: &[Series],
    mine: &[usize],
    rows: &[usize],
    at: &dyn Fn(u64, &str) -> Location,
) -> Result<Vec<(usize, usize)>> {
    let communes = &instance.territory.communes;
    if mine.iter().any(|&i| series[i].slot.is_some()) {
        return mine
            .iter()
            .map(|&i| {
                let slot = series[i].slot.as_deref().unwrap_or("");
                rows.iter()
                    .find(|&&c| communes[c].slot.as_deref() == Some(slot))
                    .map(|&c| (i, c))
                    .ok_or_else(|| {
                        Error::input(
                            at(series[i].lines[0], "slot"),
                            format!(
                                "`{slot}` is not a slot of {} in the commune table: expected one of {}",
                                series[i].insee,
                                rows.iter()
                                    .filter_map(|&c| communes[c].slot.clone())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })
            })
            .collect();
    }
    let fits = |i: usize, c: usize| {
        let p = series[i].pattern;
        let visits = p.weeks.count_ones() as u8;
        u32::from(visits == instance.required_visits(c)) + u32::from(crate::schedule::rules::allowed(instance, c, &p))
    };
    let mut best: Option<(u32, Vec<usize>)> = None;
    for_each_arrangement(rows.len(), mine.len(), &mut |chosen| {
        let score: u32 = chosen.iter().zip(mine).map(|(&r, &i)| fits(i, rows[r])).sum();
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, chosen.to_vec()));
        }
    });
    let (_, chosen) = best.expect("at least one arrangement");
    Ok(chosen.iter().zip(mine).map(|(&r, &i)| (i, rows[r])).collect())
}

/// Calls `visit` with every ordered choice of `k` distinct indices below
/// `n`, in lexicographic order (a commune's lines are a handful).
fn for_each_arrangement(n: usize, k: usize, visit: &mut dyn FnMut(&[usize])) {
    fn go(n: usize, k: usize, chosen: &mut Vec<usize>, visit: &mut dyn FnMut(&[usize])) {
        if chosen.len() == k {
            visit(chosen);
            return;
        }
        for i in 0..n {
            if !chosen.contains(&i) {
                chosen.push(i);
                go(n, k, chosen, visit);
                chosen.pop();
            }
        }
    }
    go(n, k, &mut Vec::with_capacity(k), visit);
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
