//! Daily driving: a vehicle's travel alone may not exceed its limit (a
//! driver's hours at the wheel, whatever the time spent at stops).

/// Travel above `limit` ([`crate::Limits::travel`]).
pub(crate) fn over(limit: Option<f64>, travel: f64) -> f64 {
    limit.map_or(0.0, |limit| (travel - limit).max(0.0))
}
