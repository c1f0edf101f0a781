//! 2-opt within a route: reverse a stretch of stops when that shortens
//! the route. Ruin and recreate places customers one at a time, at their
//! cheapest position, and never reorders those it leaves in place; on
//! instances whose route durations bind, a route left in a poor order
//! stays too long to take one more customer. Used only where reversing
//! changes nothing but travel: no time windows, a symmetric matrix.

use super::{Route, Search, State};

impl Search<'_> {
    /// Whether 2-opt runs: asked for, and on a problem where reversing
    /// changes nothing but travel (no windows, a symmetric matrix).
    pub(super) fn reversible(&self) -> bool {
        self.tactics.two_opt && !self.windows && self.symmetric
    }

    /// Applies improving reversals to every route of `s` that differs from
    /// the same route in `before`, until none improves.
    pub(super) fn two_opt(&self, s: &mut State, before: &State) {
        for (day, routes) in s.routes.iter_mut().enumerate() {
            for (vehicle, route) in routes.iter_mut().enumerate() {
                if route.customers.len() >= 3 && route.customers != before.routes[day][vehicle].customers {
                    self.reverse_until_none_improves(vehicle, route, &s.patterns);
                }
            }
        }
    }

    fn reverse_until_none_improves(&self, vehicle: usize, route: &mut Route, patterns: &[Option<usize>]) {
        let depot = self.p.vehicles[vehicle].depot;
        let node = |r: &Route, i: usize| -> usize {
            if i == 0 || i > r.customers.len() {
                depot
            } else {
                self.p.customers[r.customers[i - 1]].node
            }
        };
        let mut improved = true;
        let mut changed = false;
        while improved {
            improved = false;
            let n = route.customers.len();
            // Positions 1..=n are the stops; 0 and n + 1 the depot.
            for i in 1..n {
                for j in i + 1..=n {
                    let (a, ci, cj, b) = (node(route, i - 1), node(route, i), node(route, j), node(route, j + 1));
                    let delta =
                        self.p.travel(a, cj) + self.p.travel(ci, b) - self.p.travel(a, ci) - self.p.travel(cj, b);
                    if delta < -1e-9 {
                        route.customers[i - 1..j].reverse();
                        improved = true;
                        changed = true;
                    }
                }
            }
        }
        if changed {
            self.refresh(vehicle, route, patterns);
        }
    }
}
