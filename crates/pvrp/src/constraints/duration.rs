//! Route duration: travel plus service may not exceed the day's limit
//! (Cordeau's `D`; none when it is 0).

use crate::Problem;

/// The service time of a route.
pub(crate) fn value(p: &Problem, customers: &[usize]) -> f64 {
    customers.iter().map(|&c| p.customers[c].service).sum()
}

/// Duration above the limit of `day`. Inserting a visit changes both
/// terms, so the insertion delta is this same function of the new travel
/// and service.
pub(crate) fn excess(p: &Problem, day: usize, travel: f64, service: f64) -> f64 {
    over(p.max_duration[day], travel, service)
}

/// Duration above `limit`, the limit looked up once for many positions.
pub(crate) fn over(limit: Option<f64>, travel: f64, service: f64) -> f64 {
    limit.map_or(0.0, |limit| (travel + service - limit).max(0.0))
}
