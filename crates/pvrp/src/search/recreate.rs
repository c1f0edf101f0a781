//! Recreate: puts the removed customers back one by one, in a random order
//! (shuffled, by demand, by distance to the depot), each with the allowed
//! pattern whose days give the cheapest total insertion, skipping a
//! position now and then (SISR's blinks).

use super::{Insertion, NOWHERE, Search, State};
use crate::constraints::{Excess, Inserted};
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
        // What the load excess adds wherever `c` goes: with a detour of at
        // least 0 the time excess cannot shrink either, so a position whose
        // detour plus this is no better than the best is passed over unpriced.
        let load_rise = self.load_penalty * (inserted.excess(r.measures.travel, 0.0).load - before.load);
        let windowed = self.windows && !r.customers.is_empty();
        let mut prev = depot;
        for i in 0..=r.customers.len() {
            let next = r.customers.get(i).map_or(depot, |&n| self.p.customers[n].node);
            let delta = self.p.travel(prev, cust.node) + self.p.travel(cust.node, next) - self.p.travel(prev, next);
            prev = next;
            if delta >= 0.0 && delta + load_rise >= best.0 {
                continue;
            }
            let warp = if windowed {
                r.warps.warp_with(self.p, i, (c, window))
            } else {
                0.0
            };
            let after = inserted.excess(r.measures.travel + delta, warp);
            let cost = delta
                + self.priced(Excess {
                    load: after.load - before.load,
                    time: after.time - before.time,
                });
            // A blink skips a position, never the first: drawn only for a
            // position that would win, where skipping it changes something.
            if cost < best.0 && !(self.near.is_none() && best.1 != usize::MAX && self.rng.random::<f64>() < BLINK) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Route;
    use crate::{Pattern, Penalties};
    use rand::SeedableRng;

    /// What putting `c` at `at` in route `k` of day 0 adds to the route's
    /// priced cost, measured from scratch.
    fn priced_from_scratch(search: &Search, s: &State, c: usize, k: usize, at: usize) -> f64 {
        let now = &s.routes[0][k];
        let mut with = now.clone();
        with.customers.insert(at, c);
        search.refresh(k, &mut with, &s.patterns);
        search.route_cost(0, k, &with) - search.route_cost(0, k, now)
    }

    /// The cheapest insertion passes over positions by a bound (detour
    /// plus the load excess), so it must still find the cheapest one: on
    /// random routes with a random, non-metric matrix (negative detours),
    /// a binding capacity and a binding duration, it equals pricing every
    /// position from scratch.
    #[test]
    fn the_cheapest_insertion_is_the_cheapest_of_all_positions() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let xs: Vec<f64> = (0..10).map(f64::from).collect();
        let mut p = super::super::on_a_line::problem(&xs, 1, &[Pattern::days(1)], 3.0, Some(60.0));
        p.dist = (0..p.nodes * p.nodes)
            .map(|i| {
                if i / p.nodes == i % p.nodes {
                    0.0
                } else {
                    rng.random_range(1.0..40.0)
                }
            })
            .collect();
        let mut search = Search::new(&p, 1, None, Penalties::default());
        (search.load_penalty, search.time_penalty) = (7.0, 2.0);
        // No blinks: every position is a candidate.
        search.near = Some(vec![true; p.vehicles.len()]);
        for _ in 0..300 {
            let mut customers: Vec<usize> = (0..xs.len()).collect();
            shuffle(&mut customers, &mut rng);
            let (c, on_route) = (customers[0], rng.random_range(0..6));
            let mut s = State {
                patterns: vec![Some(0); xs.len()],
                routes: vec![vec![Route::default(); p.vehicles.len()]],
            };
            s.routes[0][0].customers = customers[1..=on_route].to_vec();
            let mut route = std::mem::take(&mut s.routes[0][0]);
            search.refresh(0, &mut route, &s.patterns);
            s.routes[0][0] = route;
            let (cost, at) = search.best_insertion(&s, c, 0, 0, None);
            let every: Vec<f64> = (0..=on_route)
                .map(|i| priced_from_scratch(&search, &s, c, 0, i))
                .collect();
            let cheapest = every.iter().copied().fold(f64::INFINITY, f64::min);
            assert!((cost - cheapest).abs() < 1e-6, "{cost} against {cheapest} in {every:?}");
            assert!((every[at] - cheapest).abs() < 1e-6, "position {at} of {every:?}");
        }
    }
}
