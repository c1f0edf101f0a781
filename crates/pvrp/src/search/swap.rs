//! Swap: two visits on different routes of the same day trade places.
//! Where every route is full (capacity or duration), no single visit can
//! move, but two of different sizes can trade.

use super::Search;
use super::day::{Day, DayMove, Gain, RouteView};
use super::relocate::Visit;
use crate::constraints::Measures;

impl Search<'_> {
    /// Visits `x` and `y` (on different routes) trading places.
    pub(super) fn swap(&self, d: &Day, (x, a, i): Visit, (y, b, j): Visit) -> Option<Gain> {
        if !d.allows(self, x, b) || !d.allows(self, y, a) {
            return None;
        }
        let after = self.priced_route(d.day, a, &self.replaced(&d.views[a], i, x, y))
            + self.priced_route(d.day, b, &self.replaced(&d.views[b], j, y, x));
        Some((d.views[a].cost + d.views[b].cost - after, DayMove::Swap { a, i, b, j }))
    }

    /// The measures of the route seen by `view` with `old`, its visit at
    /// `position`, replaced by `new`.
    fn replaced(&self, view: &RouteView, position: usize, old: usize, new: usize) -> Measures {
        let (prev, here, next) = (view.nodes[position], view.nodes[position + 1], view.nodes[position + 2]);
        let there = self.p.customers[new].node;
        let (o, n) = (&self.p.customers[old], &self.p.customers[new]);
        let m = view.measures();
        Measures {
            travel: m.travel - self.p.travel(prev, here) - self.p.travel(here, next)
                + self.p.travel(prev, there)
                + self.p.travel(there, next),
            load: m.load - o.demand + n.demand,
            service: m.service - o.service + n.service,
            warp: 0.0,
        }
    }
}
