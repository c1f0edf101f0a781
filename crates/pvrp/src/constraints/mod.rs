//! The limits a route must keep, one module each: [`load`] (capacity),
//! [`duration`] (travel + service per day), [`driving`] (travel alone, per
//! vehicle) and [`time_warp`] (windows). Each module owns the route value
//! it needs, the route's excess (how far it breaks the limit; 0 when kept)
//! and the excess once a visit is inserted. The search prices excess with
//! the penalties of [`crate::Penalties`]; the checker ([`crate::check`])
//! verifies the same rules from a solution alone.
//!
//! Adding a rule: a module here, a field in [`Measures`] if it needs a
//! route value, a term in [`Excess::of_route`] and [`Inserted::excess`],
//! and a check in `check.rs`.

pub(crate) mod driving;
pub(crate) mod duration;
pub(crate) mod load;
pub(crate) mod time_warp;

use crate::Problem;

/// The values of one route that the constraints measure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Measures {
    /// Sum of the customers' demands ([`load`]).
    pub load: f64,
    /// Travel, depot to depot: the objective, and [`driving`]'s value.
    pub travel: f64,
    /// Sum of the service times ([`duration`]).
    pub service: f64,
    /// Lateness at closed windows ([`time_warp`]; 0 without windows).
    pub warp: f64,
}

/// How far a route breaks the limits, in the two families the search
/// prices apart: load, which it may cross on purpose, and time (duration,
/// driving and time warp summed), which it keeps priced out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Excess {
    pub load: f64,
    pub time: f64,
}

impl Excess {
    /// The excess of a route with `m` on `day`, driven by `vehicle`.
    pub fn of_route(p: &Problem, day: usize, vehicle: usize, m: &Measures) -> Excess {
        Excess {
            load: load::excess(p, day, m.load),
            time: duration::excess(p, day, m.travel, m.service) + driving::excess(p, vehicle, m.travel) + m.warp,
        }
    }
}

/// What the excess of inserting one customer into one route depends on
/// that no position changes: found once, then priced at every position
/// (the innermost loop of the search).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Inserted {
    /// Load excess after the insertion, wherever it goes.
    load: f64,
    /// Service of the route with the customer.
    service: f64,
    max_duration: Option<f64>,
    max_travel: Option<f64>,
}

impl Inserted {
    /// Customer `c` into the route with `m` on `day`, driven by `vehicle`.
    pub fn new(p: &Problem, day: usize, vehicle: usize, m: &Measures, c: usize) -> Inserted {
        Inserted {
            load: load::with_insertion(p, day, m.load, c),
            service: m.service + p.customers[c].service,
            max_duration: p.max_duration[day],
            max_travel: p.vehicles[vehicle].max_travel,
        }
    }

    /// The excess with the route's travel now `travel` and its total time
    /// warp `warp`.
    pub fn excess(&self, travel: f64, warp: f64) -> Excess {
        Excess {
            load: self.load,
            time: duration::over(self.max_duration, travel, self.service)
                + driving::over(self.max_travel, travel)
                + warp,
        }
    }
}
