//! The problem: a horizon of days, vehicles with their own depot, working
//! days and driving limit, customers with a frequency and the visit
//! patterns they may take, per-day capacity and route-duration limits, and
//! a travel matrix.

/// A set of days as a bit mask: bit `d` is day `d` (0-based). 128 days
/// hold a rolling cycle of 12 weeks, every day of it.
pub type DaySet = u128;

/// When a visit may start (inclusive bounds, in the matrix's time unit).
/// A fixed-time session is a window whose bounds are equal.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Window {
    /// Earliest start.
    pub open: f64,
    /// Latest start.
    pub close: f64,
}

/// One way to serve a customer over the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pattern {
    /// The days of its visits, one visit a day.
    pub days: DaySet,
    /// The vehicle that makes every visit of the pattern, or `None` when
    /// each day may use any vehicle.
    pub vehicle: Option<usize>,
    /// The depot every visit of the pattern leaves from, whichever of its
    /// vehicles makes it, or `None` for any depot. (A multi-depot customer
    /// belongs to one depot, not to one of its vehicles.)
    pub depot: Option<usize>,
    /// When each visit must start; `None` for any time.
    pub window: Option<Window>,
    /// Cost of choosing this pattern on top of travel (a missed
    /// preference, moving off a published slot).
    pub cost: f64,
}

impl Pattern {
    /// Whether `vehicle` (leaving from `depot`) may make this pattern's
    /// visits.
    pub fn allows(&self, vehicle: usize, depot: usize) -> bool {
        self.vehicle.is_none_or(|k| k == vehicle) && self.depot.is_none_or(|d| d == depot)
    }

    /// A plain day set: any vehicle, any time, no extra cost.
    pub fn days(days: DaySet) -> Pattern {
        Pattern {
            days,
            ..Pattern::default()
        }
    }
}

/// The days of a set, in order (one step per day in it, not per day of
/// the horizon: the solver prices patterns in its innermost loop).
pub fn days_in(set: DaySet) -> impl Iterator<Item = usize> {
    let mut rest = set;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let day = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            day
        })
    })
}

/// What one vehicle's route may not exceed in a day. Two vehicles with the
/// same depot and the same limits are interchangeable (the search lets
/// one empty route stand for both), so every limit of a vehicle lives
/// here, where that comparison sees it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// Travel alone, in the matrix's unit (a driver's daily driving).
    pub travel: Option<f64>,
    /// Length, in the unit of [`Problem::lengths`] (an electric vehicle's
    /// range); needs that matrix.
    pub length: Option<f64>,
}

/// A vehicle: where its routes start and end, when it works, and what its
/// route may not exceed in a day.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Vehicle {
    /// Depot node in the distance matrix.
    pub depot: usize,
    /// The days it works.
    pub days: DaySet,
    /// Its daily limits.
    pub limits: Limits,
}

/// A customer to be visited `frequency` times on the days of one pattern.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Customer {
    /// Node index in the distance matrix.
    pub node: usize,
    /// Time spent at each visit.
    pub service: f64,
    /// Load each visit adds to its route.
    pub demand: f64,
    /// Visits over the horizon: the days of its largest pattern (a
    /// pattern may have fewer where days differ in weight, see
    /// [`Problem::day_weights`]).
    pub frequency: u32,
    /// The ways it may be served; the solver picks one.
    pub patterns: Vec<Pattern>,
    /// Customers of one group are never visited on the same day: one
    /// place served by several lines of service (a town on Tuesday and on
    /// Friday), each its own customer with its own patterns and windows.
    /// `None`: no such tie.
    pub group: Option<usize>,
}

/// A periodic VRP instance. Build one with `..Default::default()` for the
/// fields you do not set, so that a field added later breaks no caller.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problem {
    /// What to call it in reports.
    pub name: String,
    /// Days of the horizon (at most 128).
    pub days: usize,
    /// The fleet; every vehicle has one route slot a day.
    pub vehicles: Vec<Vehicle>,
    /// Per day: vehicle capacity, and the route duration limit (travel +
    /// service), `None` for no limit.
    pub capacity: Vec<f64>,
    /// Per day: the route duration limit.
    pub max_duration: Vec<Option<f64>>,
    /// Who must be visited.
    pub customers: Vec<Customer>,
    /// Row-major travel cost (and time) between nodes.
    pub dist: Vec<f64>,
    /// Side of the square matrix `dist`.
    pub nodes: usize,
    /// Row-major length between nodes (metres, say), beside the travel
    /// time of `dist`, for vehicles with a [`Limits::length`]; `None`
    /// when no vehicle has one.
    pub lengths: Option<Vec<f64>>,
    /// Per day: what its routes weigh in the objective (how often the day
    /// comes, when days stand for kinds of date that recur unequally);
    /// `None`: every day 1.
    pub day_weights: Option<Vec<f64>>,
}

/// How a route's visits fall in time: its travel, service and the time
/// warp (how late it would be at windows it cannot meet, in total).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timing {
    /// Total travel, depot to depot.
    pub travel: f64,
    /// Total service at the stops.
    pub service: f64,
    /// Total lateness at windows already closed.
    pub warp: f64,
}

impl Problem {
    /// Per customer, the other customers of its group (empty without one).
    pub fn groupmates(&self) -> Vec<Vec<usize>> {
        let group = |c: usize| self.customers[c].group;
        (0..self.customers.len())
            .map(|c| match group(c) {
                None => Vec::new(),
                Some(g) => (0..self.customers.len())
                    .filter(|&o| o != c && group(o) == Some(g))
                    .collect(),
            })
            .collect()
    }

    /// Travel cost (and time) from node `a` to node `b`.
    #[inline]
    pub fn travel(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.nodes + b]
    }

    /// What `day`'s routes weigh in the objective.
    #[inline]
    pub fn weight(&self, day: usize) -> f64 {
        self.day_weights.as_ref().map_or(1.0, |w| w[day])
    }

    /// Length from node `a` to node `b` (0 without a length matrix).
    #[inline]
    pub fn length(&self, a: usize, b: usize) -> f64 {
        self.lengths.as_ref().map_or(0.0, |l| l[a * self.nodes + b])
    }

    /// Length of `vehicle`'s route (customer indices), depot to depot.
    #[inline]
    pub fn route_length(&self, vehicle: usize, route: &[usize]) -> f64 {
        if self.lengths.is_none() {
            return 0.0;
        }
        self.route_sum(vehicle, route, Problem::length)
    }

    /// Travel cost of `vehicle`'s route (customer indices), depot to depot.
    #[inline]
    pub fn route_cost(&self, vehicle: usize, route: &[usize]) -> f64 {
        self.route_sum(vehicle, route, Problem::travel)
    }

    /// The sum of `leg` over `vehicle`'s route, depot to depot.
    #[inline(always)]
    fn route_sum(&self, vehicle: usize, route: &[usize], leg: impl Fn(&Problem, usize, usize) -> f64) -> f64 {
        let depot = self.vehicles[vehicle].depot;
        let mut prev = depot;
        let mut sum = 0.0;
        for &c in route {
            let node = self.customers[c].node;
            sum += leg(self, prev, node);
            prev = node;
        }
        if route.is_empty() {
            0.0
        } else {
            sum + leg(self, prev, depot)
        }
    }

    /// How many visits a route holds when its load is full: the horizon's
    /// visits over the routes their demand fills at the largest capacity
    /// (infinite where no visit has demand, so capacity never binds).
    pub fn visits_per_full_route(&self) -> f64 {
        let visits: f64 = self.customers.iter().map(|c| f64::from(c.frequency)).sum();
        let load: f64 = self.customers.iter().map(|c| c.demand * f64::from(c.frequency)).sum();
        let capacity = self.capacity.iter().copied().fold(0.0, f64::max);
        if load > 0.0 {
            visits * capacity / load
        } else {
            f64::INFINITY
        }
    }

    /// Whether some day limits a route's duration.
    pub fn limits_duration(&self) -> bool {
        self.max_duration.iter().any(Option::is_some)
    }

    /// Whether some pattern of some customer has a time window.
    pub fn has_windows(&self) -> bool {
        self.customers
            .iter()
            .any(|c| c.patterns.iter().any(|p| p.window.is_some()))
    }

    /// Times `vehicle`'s route whose stops are `(customer, window)`: the
    /// vehicle leaves its depot whenever it likes, waits at a window that
    /// is not open yet, and is charged time warp at one already closed.
    pub fn timing(&self, vehicle: usize, stops: impl IntoIterator<Item = (usize, Option<Window>)>) -> Timing {
        let depot = self.vehicles[vehicle].depot;
        let (mut prev, mut ready) = (depot, f64::NEG_INFINITY);
        let mut timing = Timing::default();
        for (c, window) in stops {
            let customer = &self.customers[c];
            let leg = self.travel(prev, customer.node);
            timing.travel += leg;
            let mut start = ready + leg;
            if let Some(w) = window {
                start = start.max(w.open);
                if start > w.close {
                    timing.warp += start - w.close;
                    start = w.close;
                }
            }
            ready = start + customer.service;
            timing.service += customer.service;
            prev = customer.node;
        }
        timing.travel += self.travel(prev, depot);
        timing
    }
}

/// Why a problem cannot be solved as given: its shape is inconsistent
/// (a customer with no pattern, a node outside the matrix, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid problem: {}", self.0)
    }
}

impl std::error::Error for Invalid {}

impl Problem {
    /// Checks that the problem is consistent, so that the solver can trust
    /// every index and count in it.
    pub fn validate(&self) -> Result<(), Invalid> {
        let fail = |why: String| Err(Invalid(why));
        if !(1..=DaySet::BITS as usize).contains(&self.days) {
            return fail(format!("{} days: expected 1 to {}", self.days, DaySet::BITS));
        }
        if self.vehicles.is_empty() {
            return fail("no vehicle".into());
        }
        let square = |m: &[f64]| m.len() == self.nodes * self.nodes && m.iter().all(|d| d.is_finite() && *d >= 0.0);
        if !square(&self.dist) {
            return fail(format!(
                "expected {} finite, non-negative distances ({} nodes squared)",
                self.nodes * self.nodes,
                self.nodes
            ));
        }
        let ranged = self.vehicles.iter().any(|v| v.limits.length.is_some());
        if self.lengths.as_deref().map_or(ranged, |l| !square(l)) {
            return fail(format!(
                "expected a length matrix of {} finite, non-negative values (a vehicle with a length limit needs one)",
                self.nodes * self.nodes
            ));
        }
        if self.capacity.len() != self.days || self.max_duration.len() != self.days {
            return fail(format!(
                "expected a capacity and a duration limit for each of the {} days",
                self.days
            ));
        }
        let horizon: DaySet = if self.days == DaySet::BITS as usize {
            DaySet::MAX
        } else {
            (1 << self.days) - 1
        };
        if let Some(k) = self
            .vehicles
            .iter()
            .position(|v| v.depot >= self.nodes || v.days & !horizon != 0)
        {
            return fail(format!(
                "vehicle {k}: depot outside the matrix or days outside the horizon"
            ));
        }
        for (c, customer) in self.customers.iter().enumerate() {
            if customer.node >= self.nodes {
                return fail(format!("customer {c}: node {} outside the matrix", customer.node));
            }
            if customer.patterns.is_empty() {
                return fail(format!("customer {c}: no pattern allowed"));
            }
            let bad = customer.patterns.iter().position(|p| {
                p.days & !horizon != 0
                    || p.days == 0
                    || p.days.count_ones() > customer.frequency
                    || p.vehicle.is_some_and(|k| k >= self.vehicles.len())
                    || p.depot.is_some_and(|d| !self.vehicles.iter().any(|v| v.depot == d))
                    || !p.cost.is_finite()
            });
            if let Some(i) = bad {
                return fail(format!(
                    "customer {c}, pattern {i}: expected 1 to {} day(s) within the horizon, a known vehicle, a depot some vehicle leaves from, and a finite cost",
                    customer.frequency
                ));
            }
        }
        Ok(())
    }
}
