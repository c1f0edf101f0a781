//! Relocation: move one visit next to one of its neighbours, in its own
//! route or another vehicle's the same day, or into an empty route.

use super::Search;
use super::day::{Day, DayMove, Gain, Placed, RouteView};
use crate::constraints::Measures;

impl Search<'_> {
    /// The better of moving `x`, whose removal saves `saved`, just before
    /// or just after the visit at `(to, j)`.
    pub(super) fn relocation(&self, d: &Day, x: Placed, saved: Option<f64>, (to, j): (usize, usize)) -> Option<Gain> {
        let saved = saved?;
        if !d.allows(self, x.0, to) {
            return None;
        }
        [j, j + 1]
            .into_iter()
            .map(|at| self.relocation_at(d, x, saved, to, at))
            .max_by(|p, q| p.0.total_cmp(&q.0))
    }

    /// The better of moving `x` just before or just after the visit at
    /// position `j` of its own route: only travel changes.
    pub(super) fn shift(&self, d: &Day, (_, a, i): Placed, j: usize) -> Option<Gain> {
        let view = &d.views[a];
        let n = &view.nodes;
        let (p, q) = (i + 1, j + 1);
        // Neighbours of a node in the route without x.
        let before = |k: usize| if k - 1 == p { n[p - 1] } else { n[k - 1] };
        let after = |k: usize| if k + 1 == p { n[p + 1] } else { n[k + 1] };
        // Slots (u, v, index in the route without x); x's own slot is not a move.
        let y = if j > i { j - 1 } else { j };
        [(before(q), n[q], y, q != p + 1), (n[q], after(q), y + 1, q + 1 != p)]
            .into_iter()
            .filter(|s| s.3)
            .map(|(u, v, at, _)| {
                let m = view
                    .measures()
                    .moved(self.p, d.routes[a].customers[i], (n[p - 1], n[p + 1]), (u, v));
                let gain = view.cost - self.priced_route(d.day, a, &m);
                (
                    gain,
                    DayMove::Relocate {
                        from: a,
                        position: i,
                        to: a,
                        at,
                    },
                )
            })
            .max_by(|p, q| p.0.total_cmp(&q.0))
    }

    /// The best move of `x` alone into an empty route that works that day.
    pub(super) fn relocation_to_empty(&self, d: &Day, x: Placed, saved: Option<f64>) -> Option<Gain> {
        let saved = saved?;
        (0..d.routes.len())
            .filter(|&k| k != x.1 && d.routes[k].customers.is_empty() && self.works(k, d.day) && d.allows(self, x.0, k))
            .map(|k| self.relocation_at(d, x, saved, k, 0))
            .max_by(|p, q| p.0.total_cmp(&q.0))
    }

    /// What taking visit `x` out of its route saves, if anything.
    pub(super) fn saved(&self, d: &Day, (c, from, position): Placed) -> Option<f64> {
        let view = &d.views[from];
        let saved = view.cost - self.priced_route(d.day, from, &self.without(view, position, c));
        (saved > super::EPS).then_some(saved)
    }

    fn relocation_at(&self, d: &Day, (c, from, position): Placed, saved: f64, to: usize, at: usize) -> Gain {
        let added = self.priced_route(d.day, to, &self.with(&d.views[to], at, c)) - d.views[to].cost;
        (saved - added, DayMove::Relocate { from, position, to, at })
    }

    /// The measures of the route seen by `view` without `c`, its visit at
    /// `position`.
    fn without(&self, view: &RouteView, position: usize, c: usize) -> Measures {
        view.measures()
            .without(self.p, view.nodes[position], view.nodes[position + 2], c)
    }

    /// The measures of the route seen by `view` with `c` inserted at
    /// position `at` (before the customer now there).
    fn with(&self, view: &RouteView, at: usize, c: usize) -> Measures {
        view.measures().with(self.p, view.nodes[at], view.nodes[at + 1], c)
    }
}
