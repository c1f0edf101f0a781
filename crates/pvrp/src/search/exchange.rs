//! Exchange: two customers whose current patterns each allows the other
//! swap patterns and places in the routes. Cheap next to ruin and
//! recreate, and it keeps both routes' shapes, which a re-insertion one
//! customer at a time rarely finds when every slot is taken (a bus's
//! half-days).

use super::{Search, State};
use crate::{Pattern, days_in};
use rand::RngExt;

impl Search<'_> {
    /// Tries one exchange on `s`; false if the drawn pair cannot exchange.
    pub(super) fn exchange(&mut self, s: &mut State) -> bool {
        let n = self.p.customers.len();
        let a = self.rng.random_range(0..n);
        let b = if self.rng.random::<bool>() && !self.neighbours[a].is_empty() {
            self.neighbours[a][self.rng.random_range(0..self.neighbours[a].len())]
        } else {
            self.rng.random_range(0..n)
        };
        let (Some(pa), Some(pb)) = (s.patterns[a], s.patterns[b]) else {
            return false;
        };
        let (of_a, of_b) = (&self.p.customers[a].patterns, &self.p.customers[b].patterns);
        let same = |x: &Pattern, y: &Pattern| {
            x.days == y.days && x.vehicle == y.vehicle && x.depot == y.depot && x.window == y.window
        };
        let (Some(ia), Some(ib)) = (
            of_a.iter().position(|x| same(x, &of_b[pb])),
            of_b.iter().position(|x| same(x, &of_a[pa])),
        ) else {
            return false;
        };
        if a == b || (ia == pa && ib == pb) {
            return false;
        }
        // Each takes the other's days: they must stay free of its group.
        let others = |c: usize, other: usize| {
            self.mates[c]
                .iter()
                .filter(|&&o| o != other)
                .fold(0, |set, &o| set | self.days_of(s, o))
        };
        if of_b[pb].days & others(a, b) != 0 || of_a[pa].days & others(b, a) != 0 {
            return false;
        }
        s.patterns[a] = Some(ia);
        s.patterns[b] = Some(ib);
        for day in days_in(of_a[pa].days | of_b[pb].days) {
            for k in 0..self.p.vehicles.len() {
                let route = &mut s.routes[day][k];
                if !route.customers.iter().any(|&x| x == a || x == b) {
                    continue;
                }
                for x in route.customers.iter_mut() {
                    *x = if *x == a {
                        b
                    } else if *x == b {
                        a
                    } else {
                        *x
                    };
                }
                let mut route = std::mem::take(route);
                self.refresh(k, &mut route, &s.patterns);
                s.routes[day][k] = route;
            }
        }
        true
    }
}
