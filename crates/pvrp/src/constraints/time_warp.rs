//! Time windows, priced as time warp (Vidal et al.): a visit that would
//! start after its window closes is moved back to the closing time and the
//! route is charged the difference, so a late visit costs like excess
//! load instead of being forbidden.

use crate::{Problem, Window};

/// A stop of a route: the customer and the window of its pattern.
pub(crate) type Stop = (usize, Option<Window>);

/// The time warp of `vehicle`'s route through `stops`.
pub(crate) fn value(p: &Problem, vehicle: usize, stops: impl IntoIterator<Item = Stop>) -> f64 {
    p.timing(vehicle, stops).warp
}

/// The time warp of `stops` with `extra` inserted at position `at`.
pub(crate) fn with_insertion(p: &Problem, vehicle: usize, stops: &[Stop], at: usize, extra: Stop) -> f64 {
    let sequence = stops[..at].iter().chain(std::iter::once(&extra)).chain(&stops[at..]);
    value(p, vehicle, sequence.copied())
}
