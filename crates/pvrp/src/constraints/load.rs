//! Capacity: a route's load may not exceed the day's capacity. The search
//! may cross this limit (its penalty adapts), so it is priced apart from
//! the time limits.

use crate::Problem;

/// The load of a route: its customers' demands.
pub(crate) fn value(p: &Problem, customers: &[usize]) -> f64 {
    customers.iter().map(|&c| p.customers[c].demand).sum()
}

/// Load above the capacity of `day`.
pub(crate) fn excess(p: &Problem, day: usize, load: f64) -> f64 {
    (load - p.capacity[day]).max(0.0)
}

/// The excess once customer `c` joins a route loaded with `load`: the
/// same wherever it goes.
pub(crate) fn with_insertion(p: &Problem, day: usize, load: f64, c: usize) -> f64 {
    excess(p, day, load + p.customers[c].demand)
}
