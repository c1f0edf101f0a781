//! The limits a route must keep, one module each: [`load`] (capacity),
//! [`duration`] (travel + service per day), [`driving`] (travel alone, per
//! vehicle), [`range`] (length, per vehicle) and [`time_warp`] (windows).
//! Each module owns the route value it needs, the route's excess (how far
//! it breaks the limit; 0 when kept) and the excess once a visit is
//! inserted. The search prices excess with the penalties of
//! [`crate::Penalties`]; the checker ([`crate::check`]) verifies the same
//! rules from a solution alone.
//!
//! The operators never add up a route's values themselves: they ask
//! [`Measures::with`], [`Measures::without`] and [`Measures::joined`] for
//! the route a move would make, and [`Excess::of_route`] (or, in the
//! innermost loop, [`Inserted`]) for how far it breaks the limits.
//!
//! Adding a limit: a module here; a field in [`Measures`] and its term in
//! `with`, `without` and `joined` if it needs a route value; a term in
//! [`Excess::of_route`] and [`Inserted::excess`]; a field of
//! [`crate::Limits`] if it is the vehicle's; and a check in `check.rs`.

pub(crate) mod driving;
pub(crate) mod duration;
pub(crate) mod load;
pub(crate) mod range;
pub(crate) mod time_warp;

use crate::Problem;

/// The values of one route that the constraints measure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Measures {
    /// Sum of the customers' demands ([`load`]).
    pub load: f64,
    /// Travel, depot to depot: the objective, and [`driving`]'s value.
    pub travel: f64,
    /// Length, depot to depot ([`range`]; 0 without a length matrix).
    pub length: f64,
    /// Sum of the service times ([`duration`]).
    pub service: f64,
    /// Lateness at closed windows ([`time_warp`]; 0 without windows).
    pub warp: f64,
}

impl Measures {
    /// The route with customer `c` inserted between nodes `prev` and
    /// `next` (time warp not priced: the moves that use this run without
    /// windows).
    #[inline]
    pub fn with(&self, p: &Problem, prev: usize, next: usize, c: usize) -> Measures {
        let added = detour(p, Problem::travel, prev, next, p.customers[c].node);
        self.with_detour(p, prev, next, c, added)
    }

    /// [`Measures::with`] where the caller has already priced the travel
    /// the insertion adds (`added`), as the search does to rank positions.
    #[inline]
    pub fn with_detour(&self, p: &Problem, prev: usize, next: usize, c: usize, added: f64) -> Measures {
        let (here, customer) = (p.customers[c].node, &p.customers[c]);
        Measures {
            travel: self.travel + added,
            length: self.length + length_detour(p, prev, next, here),
            load: self.load + customer.demand,
            service: self.service + customer.service,
            warp: 0.0,
        }
    }

    /// The route with customer `c` added at no detour: where the matrices
    /// keep the triangle inequality, no position costs less, so this is a
    /// floor on the route any insertion of `c` makes.
    #[inline]
    pub fn with_no_detour(&self, p: &Problem, c: usize) -> Measures {
        let customer = &p.customers[c];
        Measures {
            load: self.load + customer.demand,
            service: self.service + customer.service,
            ..*self
        }
    }

    /// The route without customer `c`, now between nodes `prev` and `next`.
    #[inline]
    pub fn without(&self, p: &Problem, prev: usize, next: usize, c: usize) -> Measures {
        let (here, customer) = (p.customers[c].node, &p.customers[c]);
        Measures {
            travel: self.travel - detour(p, Problem::travel, prev, next, here),
            length: self.length - length_detour(p, prev, next, here),
            load: self.load - customer.demand,
            service: self.service - customer.service,
            warp: 0.0,
        }
    }

    /// The route with customer `c` moved from between nodes `from` to
    /// between nodes `to` of the same route (as the route is once `c` is
    /// out).
    #[inline]
    pub fn moved(&self, p: &Problem, c: usize, from: (usize, usize), to: (usize, usize)) -> Measures {
        let here = p.customers[c].node;
        Measures {
            travel: self.travel
                + (-detour(p, Problem::travel, from.0, from.1, here) + detour(p, Problem::travel, to.0, to.1, here)),
            length: self.length + (-length_detour(p, from.0, from.1, here) + length_detour(p, to.0, to.1, here)),
            ..*self
        }
    }

    /// The route that runs as `head` up to node `a`, then from node `b` on
    /// as the route `whole`, whose part before `b` measures `cut`
    /// (`cut`'s travel and length run up to `b`, its load and service stop
    /// before it): 2-opt* joins one route's head to another's tail so.
    #[inline]
    pub fn joined(p: &Problem, head: &Measures, (a, b): (usize, usize), whole: &Measures, cut: &Measures) -> Measures {
        Measures {
            travel: head.travel + p.travel(a, b) + whole.travel - cut.travel,
            length: if p.lengths.is_some() {
                head.length + p.length(a, b) + whole.length - cut.length
            } else {
                0.0
            },
            load: head.load + whole.load - cut.load,
            service: head.service + whole.service - cut.service,
            warp: 0.0,
        }
    }
}

/// What `leg` adds when node `here` goes between nodes `u` and `v` (what it
/// saves when taken out from between them).
#[inline(always)]
pub(crate) fn detour(p: &Problem, leg: impl Fn(&Problem, usize, usize) -> f64, u: usize, v: usize, here: usize) -> f64 {
    leg(p, u, here) + leg(p, here, v) - leg(p, u, v)
}

/// [`detour`] in length, 0 without a length matrix (most problems have
/// none, and this sits in the innermost loops).
#[inline(always)]
fn length_detour(p: &Problem, u: usize, v: usize, here: usize) -> f64 {
    match &p.lengths {
        Some(l) => {
            let n = p.nodes;
            l[u * n + here] + l[here * n + v] - l[u * n + v]
        }
        None => 0.0,
    }
}

/// How far a route breaks the limits, in the two families the search
/// prices apart: load, which it may cross on purpose, and time (duration,
/// driving, range and time warp summed), which it keeps priced out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Excess {
    pub load: f64,
    pub time: f64,
}

impl Excess {
    /// The excess of a route with `m` on `day`, driven by `vehicle`.
    #[inline]
    pub fn of_route(p: &Problem, day: usize, vehicle: usize, m: &Measures) -> Excess {
        let limits = &p.vehicles[vehicle].limits;
        Excess {
            load: load::excess(p, day, m.load),
            time: duration::excess(p, day, m.travel, m.service)
                + driving::over(limits.travel, m.travel)
                + range::over(limits.length, m.length)
                + m.warp,
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
    /// Length of the route before the insertion.
    length: f64,
    max_duration: Option<f64>,
    limits: crate::Limits,
}

impl Inserted {
    /// Customer `c` into the route with `m` on `day`, driven by `vehicle`.
    #[inline]
    pub fn new(p: &Problem, day: usize, vehicle: usize, m: &Measures, c: usize) -> Inserted {
        Inserted {
            load: load::with_insertion(p, day, m.load, c),
            service: m.service + p.customers[c].service,
            length: m.length,
            max_duration: p.max_duration[day],
            limits: p.vehicles[vehicle].limits,
        }
    }

    /// The route's length with the customer's node `here` between nodes
    /// `prev` and `next`; measured only for a vehicle with a range.
    #[inline]
    pub fn length(&self, p: &Problem, prev: usize, next: usize, here: usize) -> f64 {
        if self.limits.length.is_some() {
            self.length + length_detour(p, prev, next, here)
        } else {
            self.length
        }
    }

    /// The excess with the route's travel now `travel`, its length
    /// `length` and its total time warp `warp`.
    #[inline]
    pub fn excess(&self, travel: f64, length: f64, warp: f64) -> Excess {
        Excess {
            load: self.load,
            time: duration::over(self.max_duration, travel, self.service)
                + driving::over(self.limits.travel, travel)
                + range::over(self.limits.length, length)
                + warp,
        }
    }
}
