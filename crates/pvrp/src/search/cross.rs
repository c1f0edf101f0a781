//! 2-opt* between two routes of the same day from the same depot: each
//! keeps its beginning and takes the other's end, joined by an arc between
//! neighbours. One move changes which route serves a whole stretch, where
//! relocation would need many steps, each worse alone, through full
//! routes.

use super::Search;
use super::day::{Day, DayMove, Gain, RouteView};
use crate::constraints::Measures;

impl Search<'_> {
    /// The better of joining the visit at `(a, i)` to the one at `(b, j)`
    /// (a keeps up to the first, b from the second on) or the other way,
    /// if the routes may trade tails: same depot, and no visit bound to
    /// its vehicle.
    pub(super) fn cross(&self, d: &Day, (a, i): (usize, usize), (b, j): (usize, usize)) -> Option<Gain> {
        if self.p.vehicles[a].depot != self.p.vehicles[b].depot || d.bound[a] || d.bound[b] {
            return None;
        }
        let (va, vb) = (&d.views[a], &d.views[b]);
        [(i + 1, j), (i, j + 1)]
            .into_iter()
            .map(|(i, j)| {
                let after = self.priced_route(d.day, a, &joined(self, va, i, vb, j))
                    + self.priced_route(d.day, b, &joined(self, vb, j, va, i));
                (va.cost + vb.cost - after, DayMove::Cross { a, i, b, j })
            })
            .max_by(|p, q| p.0.total_cmp(&q.0))
    }
}

/// The measures of the first `i` customers of `head` followed by the
/// customers of `tail` after its first `j`.
fn joined(search: &Search, head: &RouteView, i: usize, tail: &RouteView, j: usize) -> Measures {
    let link = (head.nodes[i], tail.nodes[j + 1]);
    Measures::joined(search.p, &head.head(i), link, &tail.measures(), &tail.cut(j))
}
