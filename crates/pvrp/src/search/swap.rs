//! Swap (SWAP*, after Vidal 2022): two visits on different routes of the
//! same day trade routes, each going to its cheapest place in the other's
//! route once the other is out — its old slot or any other. Where every
//! route is full (capacity or duration), no single visit can move, but two
//! of different sizes can trade; and the slot the other left is rarely
//! the best one for a visit from elsewhere.

use super::Search;
use super::day::{Day, DayMove, Gain, Placed, RouteView};
use crate::constraints::Measures;

impl Search<'_> {
    /// Visits `x` (at `i` in route `a`) and `y` (at `j` in route `b`)
    /// trading routes, unless that cannot gain more than `to_beat`.
    pub(super) fn swap(&self, d: &Day, (x, a, i): Placed, (y, b, j): Placed, to_beat: f64) -> Option<Gain> {
        if !d.allows(self, x, b) || !d.allows(self, y, a) {
            return None;
        }
        if self.metric && self.swap_ceiling(d, (x, a, i), (y, b, j)) <= to_beat {
            return None;
        }
        let (at_a, into_a) = self.traded(&d.views[a], i, x, y);
        let (at_b, into_b) = self.traded(&d.views[b], j, y, x);
        let after = self.priced_route(d.day, a, &into_a) + self.priced_route(d.day, b, &into_b);
        let gain = d.views[a].cost + d.views[b].cost - after;
        Some((gain, DayMove::Swap { a, i, at_a, b, j, at_b }))
    }

    /// What trading `x` and `y` gains at most, found without scanning
    /// either route: each visit goes in at no detour. A true ceiling only
    /// where the matrices keep the triangle inequality. Scanning both
    /// routes for the cheapest places is the local search's dearest
    /// pricing, and near a local optimum most swaps fail this ceiling
    /// alone: one route's load or duration excess rises by more than the
    /// two detours saved.
    pub(super) fn swap_ceiling(&self, d: &Day, (x, a, i): Placed, (y, b, j): Placed) -> f64 {
        let floor = |view: &RouteView, k: usize, position: usize, old: usize, new: usize| {
            let n = &view.nodes;
            let m = view
                .measures()
                .without(self.p, n[position], n[position + 2], old)
                .with_no_detour(self.p, new);
            self.priced_route(d.day, k, &m)
        };
        let (va, vb) = (&d.views[a], &d.views[b]);
        va.cost + vb.cost - floor(va, a, i, x, y) - floor(vb, b, j, y, x)
    }

    /// Where `new` goes in the route seen by `view` once `old`, its visit
    /// at `position`, is out (an index in the shortened route: the first
    /// cheapest, `old`'s own slot first), and the route's measures then.
    fn traded(&self, view: &RouteView, position: usize, old: usize, new: usize) -> (usize, Measures) {
        let n = &view.nodes;
        let p = position + 1;
        let here = self.p.customers[new].node;
        let mut best = (position, self.detour(n[p - 1], n[p + 1], here), (n[p - 1], n[p + 1]));
        // Edge k joins nodes k and k + 1; the two beside `old` are gone.
        for k in (0..n.len() - 1).filter(|&k| k + 1 != p && k != p) {
            let delta = self.detour(n[k], n[k + 1], here);
            if delta < best.1 {
                best = (if k > p { k - 1 } else { k }, delta, (n[k], n[k + 1]));
            }
        }
        let (u, v) = best.2;
        let measures = view
            .measures()
            .without(self.p, n[p - 1], n[p + 1], old)
            .with_detour(self.p, u, v, new, best.1);
        (best.0, measures)
    }
}
