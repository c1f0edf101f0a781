//! Daily driving: a vehicle's travel alone may not exceed its limit (a
//! driver's hours at the wheel, whatever the time spent at stops).

use crate::Problem;

/// Travel above `vehicle`'s limit; the insertion delta is this same
/// function of the new travel.
pub(crate) fn excess(p: &Problem, vehicle: usize, travel: f64) -> f64 {
    over(p.vehicles[vehicle].max_travel, travel)
}

/// Travel above `limit`, the limit looked up once for many positions.
pub(crate) fn over(limit: Option<f64>, travel: f64) -> f64 {
    limit.map_or(0.0, |limit| (travel - limit).max(0.0))
}
