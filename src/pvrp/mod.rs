//! The general periodic vehicle-routing core: a horizon of days, vehicles
//! with their own depot and working days, customers with a frequency and a
//! list of allowed visit patterns, capacity, route-duration and driving
//! limits, and time windows. The classic benchmark (Cordeau's format,
//! [`cordeau`]) and the bus tour ([`crate::solver`]) are instances of it;
//! [`solver`] solves it.

pub mod cordeau;
pub mod solver;

/// A set of days as a bit mask: bit `d` is day `d` (0-based).
pub type DaySet = u32;

/// When a visit may start (inclusive bounds, in the matrix's time unit).
/// A fixed-time session is a window whose bounds are equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub open: f64,
    pub close: f64,
}

/// One way to serve a customer over the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pattern {
    pub days: DaySet,
    /// The vehicle that makes every visit of the pattern, or `None` when
    /// each day may use any vehicle.
    pub vehicle: Option<usize>,
    /// When each visit must start; `None` for any time.
    pub window: Option<Window>,
    /// Cost of choosing this pattern on top of travel (a missed
    /// preference, moving off a published slot).
    pub cost: f64,
}

impl Pattern {
    /// A plain day set: any vehicle, any time, no extra cost.
    pub fn days(days: DaySet) -> Pattern {
        Pattern {
            days,
            vehicle: None,
            window: None,
            cost: 0.0,
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

/// A vehicle: where its routes start and end, when it works, and how long
/// it may drive in a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vehicle {
    /// Depot node in the distance matrix.
    pub depot: usize,
    pub days: DaySet,
    /// Limit on a route's travel alone (a driver's daily driving).
    pub max_travel: Option<f64>,
}

/// A customer to be visited `frequency` times on the days of one pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// Node index in the distance matrix.
    pub node: usize,
    pub service: f64,
    pub demand: f64,
    pub frequency: u32,
    pub patterns: Vec<Pattern>,
}

/// A periodic VRP instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub name: String,
    pub days: usize,
    pub vehicles: Vec<Vehicle>,
    /// Per day: vehicle capacity, and the route duration limit (travel +
    /// service), `None` for no limit.
    pub capacity: Vec<f64>,
    pub max_duration: Vec<Option<f64>>,
    pub customers: Vec<Customer>,
    /// Row-major travel cost (and time) between nodes.
    pub dist: Vec<f64>,
    pub nodes: usize,
}

/// How a route's visits fall in time: its travel, service and the time
/// warp (how late it would be at windows it cannot meet, in total).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timing {
    pub travel: f64,
    pub service: f64,
    pub warp: f64,
}

impl Problem {
    pub fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.nodes + b]
    }

    /// Travel cost of `vehicle`'s route (customer indices), depot to depot.
    pub fn route_cost(&self, vehicle: usize, route: &[usize]) -> f64 {
        let depot = self.vehicles[vehicle].depot;
        let mut prev = depot;
        let mut cost = 0.0;
        for &c in route {
            let node = self.customers[c].node;
            cost += self.d(prev, node);
            prev = node;
        }
        if route.is_empty() {
            0.0
        } else {
            cost + self.d(prev, depot)
        }
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
            let leg = self.d(prev, customer.node);
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
        timing.travel += self.d(prev, depot);
        timing
    }
}

/// A solution: the pattern chosen for each customer (an index into its
/// `patterns`) and each day's routes, one per vehicle (empty when unused).
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub patterns: Vec<usize>,
    /// `routes[day][vehicle]`: customer indices in visiting order.
    pub routes: Vec<Vec<Vec<usize>>>,
}

impl Solution {
    /// Total travel cost over all days.
    pub fn travel(&self, problem: &Problem) -> f64 {
        self.routes
            .iter()
            .flat_map(|day| day.iter().enumerate())
            .map(|(k, r)| problem.route_cost(k, r))
            .sum()
    }

    /// The objective: travel plus the chosen patterns' own costs.
    pub fn cost(&self, problem: &Problem) -> f64 {
        let patterns: f64 = self
            .patterns
            .iter()
            .zip(&problem.customers)
            .map(|(&p, c)| c.patterns[p].cost)
            .sum();
        self.travel(problem) + patterns
    }
}
