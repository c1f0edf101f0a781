//! Range: a vehicle's route may not be longer than its limit (an electric
//! vehicle's distance on one charge), measured on the problem's length
//! matrix, beside travel time.

/// Length above `limit` ([`crate::Limits::length`]).
pub(crate) fn over(limit: Option<f64>, length: f64) -> f64 {
    limit.map_or(0.0, |limit| (length - limit).max(0.0))
}
