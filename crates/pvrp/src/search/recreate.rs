//! Recreate: puts the removed customers back one by one, in a random order
//! (shuffled, by demand, by distance to the depot), each with the allowed
//! pattern whose days give the cheapest total insertion, skipping a
//! position now and then (SISR's blinks).

use super::{Insertion, NOWHERE, Search, State};
use crate::constraints::{Excess, Inserted, time_warp};
use crate::{Window, days_in};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Probability of skipping an insertion position (SISR's blinks).
const BLINK: f64 = 0.01;

impl Search<'_> {
    /// Inserts the `removed` customers in one of four orders drawn at random.
    pub(super) fn recreate(&mut self, s: &mut State, mut removed: Vec<usize>) {
        let far = |c: &usize| self.depot_distance[*c];
        match self.rng.random_range(0..10) {
            0..4 => shuffle(&mut removed, &mut self.rng),
            4..8 => removed.sort_by(|a, b| self.p.customers[*b].demand.total_cmp(&self.p.customers[*a].demand)),
            8 => removed.sort_by(|a, b| far(b).total_cmp(&far(a))),
            _ => removed.sort_by(|a, b| far(a).total_cmp(&far(b))),
        }
        for c in removed {
            self.insert(s, c);
        }
    }

    /// Cheapest position for customer `c` with `window` in the route of
    /// `vehicle` on `day`: travel added plus the change in priced excess.
    pub(super) fn best_insertion(
        &mut self,
        s: &State,
        c: usize,
        day: usize,
        vehicle: usize,
        window: Option<Window>,
    ) -> Insertion {
        let cust = &self.p.customers[c];
        let r = &s.routes[day][vehicle];
        let depot = self.p.vehicles[vehicle].depot;
        let before = self.excess(day, vehicle, r);
        let inserted = Inserted::new(self.p, day, vehicle, &r.measures, c);
        let mut best = NOWHERE;
        let stops = self.stops(r, &s.patterns);
        let mut prev = depot;
        for i in 0..=r.customers.len() {
            let next = r.customers.get(i).map_or(depot, |&n| self.p.customers[n].node);
            let delta = self.p.travel(prev, cust.node) + self.p.travel(cust.node, next) - self.p.travel(prev, next);
            prev = next;
            if self.near.is_none() && best.1 != usize::MAX && self.rng.random::<f64>() < BLINK {
                continue;
            }
            let warp = if self.windows && !r.customers.is_empty() {
                time_warp::with_insertion(self.p, vehicle, &stops, i, (c, window))
            } else {
                0.0
            };
            let after = inserted.excess(r.measures.travel + delta, warp);
            let cost = delta
                + self.priced(Excess {
                    load: after.load - before.load,
                    time: after.time - before.time,
                });
            if cost < best.0 {
                best = (cost, i);
            }
        }
        best
    }

    /// Inserts `c` with its cheapest allowed pattern: the best position of
    /// each (window, day, vehicle) the patterns use is found once, then
    /// each pattern is priced as the sum over its days plus its own cost.
    /// Returns that price: what the insertion adds to the cost.
    pub(super) fn insert(&mut self, s: &mut State, c: usize) -> f64 {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        let mut table = std::mem::take(&mut self.table);
        let mut cheapest = std::mem::take(&mut self.cheapest);
        let mut empty_tried = std::mem::take(&mut self.empty_tried);
        let groups = self.groups[c].len();
        table.clear();
        table.resize(groups * days * fleet, NOWHERE);
        for g in 0..groups {
            let window = self.groups[c][g].window;
            let union = self.groups[c][g].days.iter().fold(0, |u, d| u | d);
            for day in days_in(union) {
                empty_tried.clear();
                empty_tried.resize(fleet, false);
                for k in 0..fleet {
                    if self.groups[c][g].days[k] & (1 << day) == 0 {
                        continue;
                    }
                    let empty = s.routes[day][k].customers.is_empty();
                    if !empty && self.near.as_ref().is_some_and(|near| !near[day * fleet + k]) {
                        continue;
                    }
                    if empty && !self.pinned[c] {
                        if empty_tried[self.twin[k]] {
                            continue;
                        }
                        empty_tried[self.twin[k]] = true;
                    }
                    table[(g * days + day) * fleet + k] = self.best_insertion(s, c, day, k, window);
                }
            }
        }
        // Per (window group, day): the vehicle a visit free to use any
        // vehicle takes.
        cheapest.clear();
        cheapest.extend((0..groups * days).map(|row| {
            let row = &table[row * fleet..][..fleet];
            (0..fleet)
                .min_by(|&a, &b| row[a].0.total_cmp(&row[b].0))
                .expect("a fleet")
        }));
        let patterns = &self.p.customers[c].patterns;
        let group_of = &self.pattern_group[c];
        let place = |i: usize, day: usize| {
            let g = group_of[i];
            let k = patterns[i].vehicle.unwrap_or(cheapest[g * days + day]);
            (k, table[(g * days + day) * fleet + k])
        };
        let price = |i: usize| days_in(patterns[i].days).map(|d| place(i, d).1.0).sum::<f64>() + patterns[i].cost;
        let chosen = (0..patterns.len())
            .map(|i| (price(i), i))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .expect("every customer has a pattern");
        let (price, chosen) = chosen;
        s.patterns[c] = Some(chosen);
        for day in days_in(patterns[chosen].days) {
            let (k, (_, i)) = place(chosen, day);
            let mut route = std::mem::take(&mut s.routes[day][k]);
            route.customers.insert(i.min(route.customers.len()), c);
            self.refresh(k, &mut route, &s.patterns);
            s.routes[day][k] = route;
        }
        self.table = table;
        self.cheapest = cheapest;
        self.empty_tried = empty_tried;
        price
    }
}

/// Fisher–Yates, with the chain's generator.
pub(super) fn shuffle(v: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
}
