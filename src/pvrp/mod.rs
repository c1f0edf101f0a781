//! The general periodic vehicle-routing core: a horizon of days, a fleet
//! per day, customers with a frequency and a list of allowed visit
//! patterns (day sets), capacity and route-duration limits. The classic
//! benchmark (Cordeau's format, [`cordeau`]) and, later, the bus model are
//! instances of it; [`solver`] solves it.

pub mod cordeau;
pub mod solver;

/// A set of days as a bit mask: bit `d` is day `d` (0-based).
pub type DaySet = u32;

/// A customer to be visited `frequency` times on the days of one pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// Node index in the distance matrix (the depot is node 0).
    pub node: usize,
    pub service: f64,
    pub demand: f64,
    pub frequency: u32,
    pub patterns: Vec<DaySet>,
}

/// A periodic VRP instance with one depot (node 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub name: String,
    pub days: usize,
    /// Vehicles available on each day.
    pub vehicles: usize,
    /// Per day: vehicle capacity, and the route duration limit (travel +
    /// service), `None` for no limit.
    pub capacity: Vec<f64>,
    pub max_duration: Vec<Option<f64>>,
    pub customers: Vec<Customer>,
    /// Row-major travel cost between nodes.
    pub dist: Vec<f64>,
    pub nodes: usize,
}

impl Problem {
    pub fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.nodes + b]
    }

    /// Travel cost of a route (customer indices), depot to depot.
    pub fn route_cost(&self, route: &[usize]) -> f64 {
        let mut prev = 0;
        let mut cost = 0.0;
        for &c in route {
            let node = self.customers[c].node;
            cost += self.d(prev, node);
            prev = node;
        }
        if route.is_empty() { 0.0 } else { cost + self.d(prev, 0) }
    }
}

/// A solution: the pattern chosen for each customer and the routes of
/// each day (lists of customer indices).
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub patterns: Vec<DaySet>,
    pub routes: Vec<Vec<Vec<usize>>>,
}

impl Solution {
    /// Total travel cost over all days.
    pub fn cost(&self, problem: &Problem) -> f64 {
        self.routes.iter().flatten().map(|r| problem.route_cost(r)).sum()
    }
}
