//! Recreate: puts the removed customers back one by one, in a random order
//! (shuffled, by demand, by distance to the depot) or by regret, each with
//! the allowed pattern whose days give the cheapest total insertion,
//! skipping a position now and then (SISR's blinks).

use super::{Insertion, NOWHERE, Search, State};
use crate::constraints::{Excess, Inserted};
use crate::{DaySet, Window, days_in};
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
        let load_rise =
            self.load_penalty * (inserted.excess(r.measures.travel, r.measures.length, 0.0).load - before.load);
        let windowed = self.windows && !r.customers.is_empty();
        let mut prev = depot;
        for i in 0..=r.customers.len() {
            let next = r.customers.get(i).map_or(depot, |&n| self.p.customers[n].node);
            let delta = self.p.travel(prev, cust.node) + self.p.travel(cust.node, next) - self.p.travel(prev, next);
            let (from, next) = (prev, next);
            prev = next;
            if delta >= 0.0 && delta + load_rise >= best.0 {
                continue;
            }
            let warp = if windowed {
                r.warps.warp_with(self.p, i, (c, window))
            } else {
                0.0
            };
            let length = inserted.length(self.p, from, next, cust.node);
            let after = inserted.excess(r.measures.travel + delta, length, warp);
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
        let mut table = std::mem::take(&mut self.table);
        self.fill_table(s, c, &mut table);
        let quote = self.quote(c, &table, self.blocked(s, c));
        self.place(s, c, &table, quote.pattern, None);
        self.table = table;
        quote.price
    }

    /// Regret insertion (Ropke & Pisinger's regret-2, over patterns and
    /// vehicles): while customers are left, the one whose next best
    /// placement costs most over its cheapest goes in, the cheaper first on
    /// a tie. Where routes are full it places first the customers a full
    /// route would push furthest, which a random order leaves to chance
    /// (docs/pvrp-journal.md, "Regret insertion"). Each customer's table
    /// of positions is kept, and only the routes the last insertion changed
    /// are priced again, so it costs about what a random order does.
    pub(super) fn recreate_by_regret(&mut self, s: &mut State, removed: Vec<usize>) {
        let mut tables = std::mem::take(&mut self.regret_tables);
        tables.resize_with(tables.len().max(removed.len()), Vec::new);
        for (c, table) in removed.iter().zip(tables.iter_mut()) {
            self.fill_table(s, *c, table);
        }
        let mut left: Vec<usize> = (0..removed.len()).collect();
        let (mut changed, mut quotes) = (Vec::new(), Vec::with_capacity(left.len()));
        while !left.is_empty() {
            quotes.clear();
            quotes.extend(
                left.iter()
                    .map(|&j| self.quote(removed[j], &tables[j], self.blocked(s, removed[j]))),
            );
            let j = left.swap_remove(first_by_regret(&quotes));
            let c = removed[j];
            // Quoted again so that `cheapest` holds c's vehicles.
            let quote = self.quote(c, &tables[j], self.blocked(s, c));
            changed.clear();
            self.place(s, c, &tables[j], quote.pattern, Some(&mut changed));
            for &o in &left {
                let mut table = std::mem::take(&mut tables[o]);
                for &(day, k, was_empty) in &changed {
                    self.reprice(s, removed[o], day, k, was_empty, &mut table);
                }
                tables[o] = table;
            }
        }
        self.regret_tables = tables;
    }

    /// The days any vehicle may serve customer `c` with window group `g`.
    fn group_days(&self, c: usize, g: usize) -> DaySet {
        self.groups[c][g].days.iter().fold(0, |u, d| u | d)
    }

    /// `table` as the best position of `c` in every route its patterns
    /// may use, `days × vehicles` per window group; unusable routes are
    /// [`NOWHERE`].
    fn fill_table(&mut self, s: &State, c: usize, table: &mut Vec<Insertion>) {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        table.clear();
        table.resize(self.groups[c].len() * days * fleet, NOWHERE);
        for g in 0..self.groups[c].len() {
            for day in days_in(self.group_days(c, g)) {
                self.fill_row(s, c, g, day, table);
            }
        }
    }

    /// Prices the row of window group `g` on `day` in `c`'s table: one
    /// empty route stands for its twins.
    fn fill_row(&mut self, s: &State, c: usize, g: usize, day: usize, table: &mut [Insertion]) {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        let window = self.groups[c][g].window;
        let mut empty_tried = std::mem::take(&mut self.empty_tried);
        empty_tried.clear();
        empty_tried.resize(fleet, false);
        let row = (g * days + day) * fleet;
        for k in 0..fleet {
            table[row + k] = NOWHERE;
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
            table[row + k] = self.best_insertion(s, c, day, k, window);
        }
        self.empty_tried = empty_tried;
    }

    /// The cheapest of `c`'s patterns given its `table`, and the next best
    /// placement: another pattern, or the cheapest one with a visit in its
    /// day's second cheapest vehicle. Leaves in `cheapest` the vehicle a
    /// visit free to use any vehicle takes, per (window group, day).
    fn quote(&mut self, c: usize, table: &[Insertion], blocked: DaySet) -> Quote {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        self.cheapest.clear();
        self.cheapest.extend((0..self.groups[c].len() * days).map(|row| {
            let row = &table[row * fleet..][..fleet];
            (0..fleet)
                .min_by(|&a, &b| row[a].0.total_cmp(&row[b].0))
                .expect("a fleet")
        }));
        let mut quote = Quote {
            price: f64::INFINITY,
            second: f64::INFINITY,
            pattern: 0,
        };
        for i in 0..self.p.customers[c].patterns.len() {
            let pattern = &self.p.customers[c].patterns[i];
            let clash = (pattern.days & blocked).count_ones();
            let price = days_in(pattern.days)
                .map(|d| self.p.weight(d) * self.place_of(c, i, d, table).1.0)
                .sum::<f64>()
                + pattern.cost
                + self.penalties.clash * f64::from(clash);
            if price < quote.price {
                quote = Quote {
                    price,
                    second: quote.price,
                    pattern: i,
                };
            } else if price < quote.second {
                quote.second = price;
            }
        }
        quote.second = quote
            .second
            .min(quote.price + self.next_vehicle(c, quote.pattern, table));
        quote
    }

    /// What moving one visit of `c`'s pattern `i` to its day's second
    /// cheapest vehicle adds at least (infinite for a pattern naming its
    /// vehicle or a fleet of one).
    fn next_vehicle(&self, c: usize, i: usize, table: &[Insertion]) -> f64 {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        if self.p.customers[c].patterns[i].vehicle.is_some() {
            return f64::INFINITY;
        }
        let g = self.pattern_group[c][i];
        days_in(self.p.customers[c].patterns[i].days)
            .map(|day| {
                let row = &table[(g * days + day) * fleet..][..fleet];
                let best = self.cheapest[g * days + day];
                let next = (0..fleet)
                    .filter(|&k| k != best)
                    .map(|k| row[k].0)
                    .fold(f64::INFINITY, f64::min);
                self.p.weight(day) * (next - row[best].0)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// The vehicle and position of `c`'s visit on `day` with pattern `i`,
    /// once [`Search::quote`] has filled `cheapest` from `table`.
    fn place_of(&self, c: usize, i: usize, day: usize, table: &[Insertion]) -> (usize, Insertion) {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        let g = self.pattern_group[c][i];
        let k = self.p.customers[c].patterns[i]
            .vehicle
            .unwrap_or(self.cheapest[g * days + day]);
        (k, table[(g * days + day) * fleet + k])
    }

    /// Puts `c` in with pattern `i`, each visit where the last
    /// [`Search::quote`] of `table` placed it; lists in `changed`, if
    /// asked, the routes it changed: (day, vehicle, whether it was empty).
    fn place(
        &mut self,
        s: &mut State,
        c: usize,
        table: &[Insertion],
        i: usize,
        mut changed: Option<&mut Vec<(usize, usize, bool)>>,
    ) {
        s.patterns[c] = Some(i);
        for day in days_in(self.p.customers[c].patterns[i].days) {
            let (k, (_, at)) = self.place_of(c, i, day, table);
            if let Some(changed) = changed.as_deref_mut() {
                changed.push((day, k, s.routes[day][k].customers.is_empty()));
            }
            let mut route = std::mem::take(&mut s.routes[day][k]);
            route.customers.insert(at.min(route.customers.len()), c);
            self.refresh(k, &mut route, &s.patterns);
            s.routes[day][k] = route;
        }
    }

    /// Prices again in `c`'s table the route of `vehicle` on `day`, which
    /// an insertion changed: that entry alone, unless the route was empty
    /// and stood for its empty twins (then the whole row).
    fn reprice(&mut self, s: &State, c: usize, day: usize, vehicle: usize, was_empty: bool, table: &mut [Insertion]) {
        let (days, fleet) = (self.p.days, self.p.vehicles.len());
        for g in 0..self.groups[c].len() {
            if self.group_days(c, g) & (1 << day) == 0 {
                continue;
            }
            if was_empty && !self.pinned[c] {
                self.fill_row(s, c, g, day, table);
            } else if self.groups[c][g].days[vehicle] & (1 << day) != 0 {
                let far = self.near.as_ref().is_some_and(|near| !near[day * fleet + vehicle]);
                let window = self.groups[c][g].window;
                table[(g * days + day) * fleet + vehicle] = if far {
                    NOWHERE
                } else {
                    self.best_insertion(s, c, day, vehicle, window)
                };
            }
        }
    }
}

/// What inserting one customer would cost.
struct Quote {
    /// Its cheapest pattern's price.
    price: f64,
    /// The next best placement's price: another pattern, or another
    /// vehicle for one visit (infinite if there is neither).
    second: f64,
    /// Its cheapest pattern.
    pattern: usize,
}

/// Which of `quotes` regret insertion places first: the largest regret
/// (next best over cheapest), the cheaper on a tie, the earliest after that.
fn first_by_regret(quotes: &[Quote]) -> usize {
    let mut first = 0;
    for (at, q) in quotes.iter().enumerate().skip(1) {
        let top = &quotes[first];
        let regret = q.second - q.price;
        let top_regret = top.second - top.price;
        if regret > top_regret || (regret == top_regret && q.price < top.price) {
            first = at;
        }
    }
    first
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
        let mut search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
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

    /// Regret insertion places first the customers with no choice of day:
    /// two that may come only on day 0 fill its two routes (capacity 1), so
    /// the third, whose day-0 pattern is cheaper by its own cost, goes to
    /// day 1. Inserted first, as a random order may do, it takes day 0 and
    /// leaves a route overloaded.
    #[test]
    fn regret_places_the_customers_without_a_choice_first() {
        let mut day0_or_1 = [Pattern::days(0b01), Pattern::days(0b10)];
        day0_or_1[1].cost = 5.0;
        let mut p = super::super::on_a_line::problem(&[3.0, 1.0, 2.0], 2, &day0_or_1, 1.0, None);
        for c in 1..3 {
            p.customers[c].patterns = vec![Pattern::days(0b01)];
        }
        let mut search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
        search.near = Some(vec![true; p.days * p.vehicles.len()]);
        let mut by_regret = search.blank();
        search.recreate_by_regret(&mut by_regret, vec![0, 1, 2]);
        assert_eq!(by_regret.patterns, vec![Some(1), Some(0), Some(0)]);
        assert!(search.feasible(&by_regret));
        let mut first_come = search.blank();
        for c in [0, 1, 2] {
            search.insert(&mut first_come, c);
        }
        assert_eq!(first_come.patterns[0], Some(0));
        assert!(!search.feasible(&first_come));
    }

    /// Regret insertion prices again only the routes each insertion
    /// changed; it must place every customer as pricing every route afresh
    /// at each step does. No blinks, so both are deterministic: random
    /// ruins of random states of a line with two days, binding capacities.
    #[test]
    fn regret_with_kept_tables_places_as_pricing_afresh() {
        let xs: Vec<f64> = (0..14).map(|i| f64::from(i * 5 % 17) - 8.0).collect();
        let mut either = [Pattern::days(0b01), Pattern::days(0b10), Pattern::days(0b11)];
        either[2].cost = 3.0;
        let p = super::super::on_a_line::problem(&xs, 2, &either, 5.0, None);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..50 {
            let mut search = Search::new(&p, rng.random(), None, Penalties::default(), crate::Tactics::default());
            search.near = Some(vec![true; p.days * p.vehicles.len()]);
            let mut start = search.blank();
            let mut order: Vec<usize> = (0..xs.len()).collect();
            shuffle(&mut order, &mut rng);
            for &c in &order {
                search.insert(&mut start, c);
            }
            let removed: Vec<usize> = order[..rng.random_range(1..=xs.len())].to_vec();
            for &c in &removed {
                search.remove(&mut start, c);
            }
            let mut kept = start.clone();
            search.recreate_by_regret(&mut kept, removed.clone());
            let mut afresh = start;
            let mut left = removed;
            while !left.is_empty() {
                let quotes: Vec<Quote> = left
                    .iter()
                    .map(|&c| {
                        let mut table = Vec::new();
                        search.fill_table(&afresh, c, &mut table);
                        search.quote(c, &table, 0)
                    })
                    .collect();
                let c = left.swap_remove(first_by_regret(&quotes));
                search.insert(&mut afresh, c);
            }
            assert_eq!(kept.patterns, afresh.patterns);
            let routes = |s: &State| -> Vec<Vec<Vec<usize>>> {
                s.routes
                    .iter()
                    .map(|d| d.iter().map(|r| r.customers.clone()).collect())
                    .collect()
            };
            assert_eq!(routes(&kept), routes(&afresh));
        }
    }
}
