//! The schedule model, an [`Instance`]: which communes need how
//! many visits, which visit patterns each may take, and what a bus day
//! costs. [`crate::schedule::build`] makes one; the rules, the solver, the
//! checker and the outputs read it.

use crate::calendar::{Cycle, HalfDay, MAX_CYCLE_WEEKS, Slot, WeekSet, halves};
use crate::input::scenario::{FrequencyRule, Sessions};
use crate::input::territory::{HalfDayRule, LatLon, Territory};
use crate::travel::TravelMatrix;
use chrono::Weekday;

/// A bus with a resolved depot.
#[derive(Debug, Clone, PartialEq)]
pub struct Bus {
    pub name: String,
    pub depot: LatLon,
    /// What to call the depot in outputs (a commune name or coordinates).
    pub depot_label: String,
    pub weekdays: Vec<Weekday>,
    /// The (weekday, half-day) it works: both sessions of each weekday
    /// (the Saturday's morning) unless the scenario names them.
    pub half_days: Vec<(Weekday, HalfDay)>,
    /// Most metres it may drive in a day (`range_km`), if limited.
    pub range_metres: Option<f64>,
    /// Its own session hours on these weekdays (`hours`).
    pub hours: Vec<(Weekday, Sessions)>,
}

/// A way to serve a commune for the whole cycle: one bus, one weekday, one
/// half-day, and the weeks (evenly spaced: one, {1,3}/{2,4}, all four; in
/// a rolling cycle of N weeks, every N / visits weeks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlotPattern {
    pub bus: usize,
    pub weekday: Weekday,
    /// The half-day of each visit (the morning for a whole day).
    pub half: HalfDay,
    pub weeks: WeekSet,
    /// The whole day, morning and afternoon, in the commune.
    pub full: bool,
    /// When a short stop opens (minutes since midnight), the same every
    /// visit; `None` for a stop that lasts its session.
    pub start: Option<u32>,
}

impl SlotPattern {
    /// "Mon AM, weeks 1+3", "Fri FULL, weeks 1+2", for messages.
    pub fn describe(&self) -> String {
        let weeks: Vec<String> = (1..=MAX_CYCLE_WEEKS)
            .filter(|w| self.weeks & (1 << (w - 1)) != 0)
            .map(|w| w.to_string())
            .collect();
        let half = if self.full { "FULL" } else { self.half.code() };
        format!(
            "{} {half}, week{} {}",
            crate::calendar::weekday_code(self.weekday),
            if weeks.len() > 1 { "s" } else { "" },
            weeks.join("+")
        )
    }

    /// The half-days of a day the pattern takes: both for a whole day.
    pub fn halves(self) -> impl Iterator<Item = HalfDay> + Clone {
        let halves: &'static [HalfDay] = match (self.full, self.half) {
            (true, _) => &HalfDay::BOTH,
            (false, HalfDay::Am) => &[HalfDay::Am],
            (false, HalfDay::Pm) => &[HalfDay::Pm],
        };
        halves.iter().copied()
    }

    /// The half-days the pattern takes, week by week: one per visit, two
    /// for a whole day.
    pub fn slots(self) -> impl Iterator<Item = Slot> {
        let halves = self.halves();
        (1..=MAX_CYCLE_WEEKS)
            .filter(move |w| self.weeks & (1 << (w - 1)) != 0)
            .flat_map(move |week| {
                halves.clone().map(move |half| Slot {
                    week,
                    weekday: self.weekday,
                    half,
                })
            })
    }
}

/// A commune to be served, with the patterns it may take.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Index into the territory's communes.
    pub commune: usize,
    pub visits: u8,
    /// Served whole days: each visit takes the morning and the afternoon.
    pub full: bool,
    /// The length of a short stop, in minutes (shorter than its session).
    pub minutes: Option<u32>,
    pub preferred: Option<HalfDay>,
    /// The commune's market days (empty: no preference).
    pub market_days: Vec<Weekday>,
    pub patterns: Vec<SlotPattern>,
    /// The pattern this commune had in the previous plan, if any: moving
    /// it away costs [`STABILITY_PENALTY_S`].
    pub previous: Option<SlotPattern>,
}

/// Cost of a visit outside a commune's preferred half-day, in drive seconds.
pub const PREFERENCE_PENALTY_S: f64 = 1800.0;

/// Cost of a visit on another weekday than the commune's market day, in
/// drive seconds: the same as a missed half-day preference.
pub const MARKET_PENALTY_S: f64 = 1800.0;

/// Cost of moving a commune off its previously published slot, in drive
/// seconds: four hours, so a slot moves only when that saves more driving
/// than a planner would accept to reprint posters for.
pub const STABILITY_PENALTY_S: f64 = 4.0 * 3600.0;

impl Need {
    /// Soft costs of serving this commune with `pattern`, in drive seconds:
    /// missed half-day preference and market day (per visit), and moving
    /// off its previous slot.
    pub(crate) fn penalty(&self, pattern: &SlotPattern) -> f64 {
        let preference = if self.preferred.is_some_and(|h| h != pattern.half) {
            f64::from(self.visits) * PREFERENCE_PENALTY_S
        } else {
            0.0
        };
        let market = if !self.market_days.is_empty() && !self.market_days.contains(&pattern.weekday) {
            f64::from(self.visits) * MARKET_PENALTY_S
        } else {
            0.0
        };
        let moved = if self.previous.is_some_and(|p| p != *pattern) {
            STABILITY_PENALTY_S
        } else {
            0.0
        };
        preference + market + moved
    }
}

/// Drive of one bus day: depot → its stops → depot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayDrive {
    pub seconds: f64,
    pub metres: f64,
}

/// Everything the solver and the checker need.
#[derive(Debug, Clone)]
pub struct Instance {
    pub name: String,
    pub territory: Territory,
    pub buses: Vec<Bus>,
    pub sessions: Sessions,
    /// The cycle and its anchor: which weeks there are, and their dates.
    pub cycle: Cycle,
    pub max_drive_seconds: f64,
    pub frequency: FrequencyRule,
    /// The scenario's `[publish]` section, for open data.
    pub publish: Option<crate::input::scenario::Publish>,
    pub needs: Vec<Need>,
    /// Nodes: bus depots `0..buses.len()`, then the communes' stops.
    pub matrix: TravelMatrix,
}

/// Half-days `buses` offer over the cycle: two a working day, the
/// Saturday morning alone.
pub fn half_days(buses: &[Bus], cycle: &Cycle) -> usize {
    let per_week: usize = buses.iter().map(|b| b.half_days.len()).sum();
    per_week * usize::from(cycle.weeks)
}

impl Bus {
    /// Its sessions on `weekday`: its own hours, else the scenario's.
    pub fn sessions_on(&self, weekday: Weekday, scenario: &Sessions) -> Sessions {
        self.hours
            .iter()
            .find(|(d, _)| *d == weekday)
            .map_or(*scenario, |(_, s)| *s)
    }

    /// Whether the bus works `half` of `weekday`.
    pub fn works(&self, weekday: Weekday, half: HalfDay) -> bool {
        self.half_days.contains(&(weekday, half))
    }

    /// Every half-day of `weekdays` (the Saturday's morning alone).
    pub fn every_half_day(weekdays: &[Weekday]) -> Vec<(Weekday, HalfDay)> {
        weekdays
            .iter()
            .flat_map(|&d| halves(d).iter().map(move |&h| (d, h)))
            .collect()
    }
}

/// The matrix nodes in order: depots, then commune stops.
pub fn matrix_points(territory: &Territory, buses: &[Bus]) -> Vec<LatLon> {
    buses
        .iter()
        .map(|b| b.depot)
        .chain(territory.communes.iter().map(|c| c.stop))
        .collect()
}

impl Instance {
    /// Carries the slots of a previous plan over: each commune whose
    /// previous visits form a pattern it may still take gets it as its
    /// `previous`; with `lock`, that pattern becomes its only option.
    /// Returns how many communes were carried over.
    pub fn keep_previous(&mut self, previous: &[(usize, SlotPattern)], lock: bool) -> usize {
        let mut kept = 0;
        for demand in &mut self.needs {
            let Some((_, pattern)) = previous.iter().find(|(c, _)| *c == demand.commune) else {
                continue;
            };
            if demand.patterns.contains(pattern) {
                demand.previous = Some(*pattern);
                if lock {
                    demand.patterns = vec![*pattern];
                }
                kept += 1;
            }
        }
        kept
    }

    /// The first row of commune `c`'s lines of service at the same stop
    /// when it has several (they never meet on one date: a town served
    /// twice a week is served on two days), `None` for a line alone at its
    /// stop. Lines at different stops (another `stop_name` or stop
    /// coordinates: two quarters of a town) may share a day.
    pub(crate) fn slot_group(&self, c: usize) -> Option<usize> {
        let here = &self.territory.communes[c];
        let same_stop = |o: &usize| {
            let other = &self.territory.communes[*o];
            other.stop == here.stop && other.stop_name == here.stop_name
        };
        let mut rows = self.territory.slots_of(c).filter(same_stop);
        let first = rows.next()?;
        rows.next().map(|_| first)
    }

    /// The sessions `bus` works on `weekday`.
    pub fn sessions_on(&self, bus: usize, weekday: Weekday) -> Sessions {
        self.buses
            .get(bus)
            .map_or(self.sessions, |b| b.sessions_on(weekday, &self.sessions))
    }

    /// Every session length any bus works, for what must fit them all.
    pub(crate) fn all_sessions(&self) -> Vec<Sessions> {
        std::iter::once(self.sessions)
            .chain(self.buses.iter().flat_map(|b| b.hours.iter().map(|(_, s)| *s)))
            .collect()
    }

    /// Whether commune `c` is served whole days.
    pub(crate) fn is_full(&self, c: usize) -> bool {
        self.territory.communes[c].half_day == Some(HalfDayRule::Full)
    }

    /// Visits a month for commune `c`: its own column if given, else the rule.
    pub(crate) fn required_visits(&self, c: usize) -> u8 {
        let commune = &self.territory.communes[c];
        commune
            .visits_per_month
            .unwrap_or_else(|| self.frequency.visits_for(commune.population))
    }

    pub(crate) fn depot_node(&self, bus: usize) -> usize {
        bus
    }

    pub(crate) fn commune_node(&self, commune: usize) -> usize {
        self.buses.len() + commune
    }

    /// The drive of a bus day through `stops` (commune indices, in visiting
    /// order), depot to depot.
    /// Asked for every candidate pattern and every pair the exact model
    /// weighs, so it walks the legs without building the path.
    pub fn day_drive(&self, bus: usize, stops: &[usize]) -> DayDrive {
        let (mut seconds, mut metres) = (0.0, 0.0);
        if stops.is_empty() {
            return DayDrive { seconds, metres };
        }
        let depot = self.depot_node(bus);
        let mut prev = depot;
        for next in stops
            .iter()
            .map(|&c| self.commune_node(c))
            .chain(std::iter::once(depot))
        {
            seconds += self.matrix.seconds(prev, next);
            metres += self.matrix.metres(prev, next);
            prev = next;
        }
        DayDrive { seconds, metres }
    }

    /// The length of commune `c`'s stop when shorter than every session
    /// (then it shares them); `None` when it lasts its session.
    pub(crate) fn short_minutes(&self, c: usize) -> Option<u32> {
        let shortest = self
            .all_sessions()
            .iter()
            .flat_map(|s| HalfDay::BOTH.map(|h| s.get(h)))
            .map(|s| s.end - s.start)
            .min()?;
        self.territory.communes[c]
            .minutes
            .filter(|m| *m < shortest && !self.is_full(c))
    }
}
