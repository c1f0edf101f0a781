//! The annealing chain: each iteration tries an exchange or a ruin and
//! recreate on a copy of the current solution, accepts it by a threshold
//! that cools from the average edge to a hundredth of it (twice in a run
//! stopped by the clock, see [`temperature`]), and adapts the prices of
//! excess to how often candidates keep the limits. It meets the run's
//! other chains during each cooling ([`super::meeting`]);
//! [`super::portfolio`] runs the chains.

use super::chain::{Chain, FIRST_COOLING};
use super::meeting::Seat;
use super::{Search, State};
use rand::RngExt;

/// Share of iterations that try an exchange before ruin and recreate.
const EXCHANGES: f64 = 0.5;
/// How far above the acceptance threshold, in temperatures, a ruin and
/// recreate may leave a candidate and still get the day's local search
/// and 2-opt, which take three quarters of an iteration. Further off, the
/// search rarely brings it back under the threshold, and the iteration is
/// better spent on the next candidate (measured against 30, 100 and no
/// limit: docs/pvrp-journal.md, "within reach of acceptance").
const SEARCH_REACH: f64 = 60.0;
/// Where the second cooling starts on the temperature scale, in the
/// exponent's terms: 0 is the first temperature, 1 the last.
const REHEAT: f64 = 0.3;

impl Search<'_> {
    /// A first solution: customers with the most visits and the fewest
    /// patterns go first.
    fn construct(&mut self) -> State {
        let p = self.p;
        let mut state = self.blank();
        let mut order: Vec<usize> = (0..p.customers.len()).collect();
        order.sort_by_key(|&c| {
            (
                std::cmp::Reverse(p.customers[c].frequency),
                p.customers[c].patterns.len(),
            )
        });
        for c in order {
            self.insert(&mut state, c);
        }
        state
    }

    /// One candidate and its cost: an exchange, or (half the time, or when
    /// the exchange draws a pair that cannot swap) a ruin and recreate,
    /// by regret a `regret` share of the time where the tactics ask for it
    /// (see [`cooled`]); then, unless that costs more than `reach`, the relocations and
    /// reversals that improve the days it changed.
    /// The candidate is built in `candidate`, whatever it held, so that
    /// its buffers serve again; returns its cost.
    fn neighbour(&mut self, current: &State, candidate: &mut State, reach: f64, regret: f64) -> f64 {
        candidate.clone_from(current);
        if self.rng.random::<f64>() >= EXCHANGES || !self.exchange(candidate) {
            let removed = self.ruin(candidate);
            for &c in &removed {
                self.remove(candidate, c);
            }
            if self.tactics.regret && self.rng.random::<f64>() < regret {
                self.recreate_by_regret(candidate, removed);
            } else {
                self.recreate(candidate, removed);
            }
        }
        let cost = self.cost(candidate);
        if cost > reach || !(self.day_search() || self.reversible()) {
            return cost;
        }
        self.improve_routes(candidate, current);
        self.cost(candidate)
    }
}

/// One annealing chain, meeting the others at `seat`.
pub(super) fn anneal(search: &mut Search, chain: &mut Chain, mut seat: Seat) {
    let mut current = search.construct();
    let mut candidate = current.clone();
    let mut current_cost = search.cost(&current);
    chain.offer(&current, current_cost, search.feasible(&current));
    let visits: u32 = search.p.customers.iter().map(|c| c.frequency).sum();
    let average_edge = (current_cost.min(1e12) / f64::from(visits.max(1))).max(1e-3);
    let (t0, tf) = (average_edge, average_edge * 0.01);
    let twice = chain.by_clock();
    let window = search.penalties.window;
    let mut kept_load = 0;
    let mut kept_time = 0;
    loop {
        let fraction = chain.fraction();
        while seat.due(fraction) {
            if let Some(leader) = seat.attend(&current, current_cost, search.feasible(&current), true) {
                current = leader;
                current_cost = search.cost(&current);
            }
        }
        if fraction >= 1.0 {
            break;
        }
        let temperature = temperature(t0, tf, fraction, twice);
        let threshold = current_cost - temperature * search.rng.random::<f64>().max(1e-300).ln();
        let reach = threshold + SEARCH_REACH * temperature;
        let cost = search.neighbour(&current, &mut candidate, reach, cooled(fraction, twice));
        let kept = search.kept(&candidate);
        kept_load += u64::from(kept.load);
        kept_time += u64::from(kept.time);
        if cost < threshold {
            chain.offer(&candidate, cost, kept.all());
            std::mem::swap(&mut current, &mut candidate);
            current_cost = cost;
        }
        if chain.tick().is_multiple_of(window) {
            search.adapt_penalties(kept_load, kept_time);
            kept_load = 0;
            kept_time = 0;
            current_cost = search.cost(&current);
        }
    }
}

/// The acceptance temperature at `fraction` of the budget, falling
/// geometrically from `t0` to `tf`: over the whole budget, or (`twice`)
/// over its first [`FIRST_COOLING`], then again from [`REHEAT`] over the
/// rest. A run stopped by the clock is asked for a good plan early as well
/// as at the end, and one cooling over the whole budget comes within 1 %
/// of the best known late; two reach it early and end no higher. Warming
/// again only to the middle of the scale ended higher than cooling once.
/// A run stopped by iterations cools once: on the bus tours cooling twice
/// made plans longer (docs/pvrp-journal.md, "Cooling twice").
fn temperature(t0: f64, tf: f64, fraction: f64, twice: bool) -> f64 {
    t0 * (tf / t0).powf(cooled(fraction, twice))
}

/// How far the cooling at `fraction` of the budget has come, as the
/// exponent of [`temperature`]'s geometric scale: 0 at the first
/// temperature, 1 at the last. It is also the share of recreates by regret
/// (where the tactics ask for regret): a random order while the search is
/// hot keeps it diverse, regret where it settles places first the
/// customers full routes push furthest; it did better than a fixed half
/// (docs/pvrp-journal.md, "Regret as the cooling settles").
fn cooled(fraction: f64, twice: bool) -> f64 {
    if !twice {
        fraction
    } else if fraction < FIRST_COOLING {
        fraction / FIRST_COOLING
    } else {
        REHEAT + (1.0 - REHEAT) * (fraction - FIRST_COOLING) / (1.0 - FIRST_COOLING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Problem;
    use crate::search::EPS;
    use crate::search::meeting::meeting_points;
    use crate::{Pattern, Penalties};

    /// Twelve visits of one unit: a route of capacity 4 holds 4 of them
    /// (12 × 4 / 12), of capacity 20 holds 20. The portfolio runs its
    /// genetic chain only above `SHORT_ROUTE`; asked for, the genetic
    /// search runs whatever the routes.
    #[test]
    fn the_portfolio_anneals_on_every_chain_where_routes_are_short() {
        use crate::Method;
        let either = [Pattern::days(0b01), Pattern::days(0b10)];
        let xs: Vec<f64> = (1..=12).map(f64::from).collect();
        let short = super::super::on_a_line::problem(&xs, 2, &either, 4.0, None);
        let long = super::super::on_a_line::problem(&xs, 2, &either, 20.0, None);
        assert_eq!(short.visits_per_full_route(), 4.0);
        assert_eq!(long.visits_per_full_route(), 20.0);
        assert!(!Method::Portfolio.genetic(0, &short));
        assert!(Method::Portfolio.genetic(0, &long));
        assert!(!Method::Portfolio.genetic(1, &long));
        assert!(Method::Genetic.genetic(0, &short));
    }

    /// Long routes with a duration limit from one depot (as Cordeau's
    /// pr-series): every chain genetic, islands. Without the limit, or
    /// with a second depot, the odd chains anneal.
    #[test]
    fn the_portfolio_runs_islands_where_durations_bind_from_one_depot() {
        use crate::Method;
        let either = [Pattern::days(0b01), Pattern::days(0b10)];
        let xs: Vec<f64> = (1..=12).map(f64::from).collect();
        let limited = super::super::on_a_line::problem(&xs, 2, &either, 20.0, Some(50.0));
        assert!(Method::Portfolio.genetic(1, &limited));
        assert!(Method::Portfolio.all_genetic(2, &limited));
        let free = super::super::on_a_line::problem(&xs, 2, &either, 20.0, None);
        assert!(!Method::Portfolio.all_genetic(2, &free));
        let mut two_depots = limited.clone();
        two_depots.vehicles[1].depot = 1;
        assert!(!Method::Portfolio.genetic(1, &two_depots));
        assert!(Method::Portfolio.genetic(0, &two_depots));
    }

    /// Twelve customers along a line, any of two days, two vehicles, a
    /// capacity of 4: ruin and recreate leaves routes the day's local
    /// search can improve.
    fn line() -> Problem {
        let xs: Vec<f64> = (0..12).map(|i| f64::from(i * 7 % 23) - 11.0).collect();
        let either = [Pattern::days(0b01), Pattern::days(0b10)];
        super::super::on_a_line::problem(&xs, 2, &either, 4.0, None)
    }

    /// The same ruin and recreate (same seed) out of reach and within
    /// reach: out of reach the candidate comes back as recreated, within
    /// reach the local search never makes it worse and sometimes better.
    #[test]
    fn only_a_candidate_within_reach_gets_the_days_local_search() {
        let p = line();
        let current = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default()).construct();
        let mut improved = 0;
        for seed in 0..40 {
            let mut far = Search::new(&p, seed, None, Penalties::default(), crate::Tactics::default());
            let mut near = Search::new(&p, seed, None, Penalties::default(), crate::Tactics::default());
            let (mut as_recreated, mut searched) = (current.clone(), current.clone());
            let raw = far.neighbour(&current, &mut as_recreated, f64::NEG_INFINITY, 0.5);
            let cost = near.neighbour(&current, &mut searched, f64::INFINITY, 0.5);
            assert_eq!(raw, far.cost(&as_recreated));
            assert_eq!(cost, near.cost(&searched));
            assert!(cost <= raw + EPS, "seed {seed}: {cost} after the search, {raw} before");
            improved += usize::from(cost < raw - EPS);
        }
        assert!(improved > 0, "the local search never improved a candidate");
    }

    /// Cooling once falls from t0 to tf over the budget; cooling twice
    /// reaches tf at the end of the first cooling, starts the second
    /// between the two (at the geometric point REHEAT names) and ends at
    /// tf again; both only fall within a cooling.
    #[test]
    fn a_run_by_the_clock_cools_twice_and_one_by_iterations_once() {
        let (t0, tf) = (100.0, 1.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.max(1.0);
        assert!(close(temperature(t0, tf, 0.0, false), t0));
        assert!(close(temperature(t0, tf, 0.5, false), 10.0));
        assert!(close(temperature(t0, tf, 1.0, false), tf));
        assert!(close(temperature(t0, tf, 0.0, true), t0));
        assert!(close(temperature(t0, tf, FIRST_COOLING - 1e-12, true), tf));
        let reheated = temperature(t0, tf, FIRST_COOLING, true);
        assert!(close(reheated, t0 * (tf / t0).powf(REHEAT)));
        assert!(reheated > tf && reheated < t0);
        assert!(close(temperature(t0, tf, 1.0, true), tf));
        assert_eq!(cooled(0.0, true), 0.0, "no regret at the first temperature");
        assert!(
            close(cooled(FIRST_COOLING - 1e-12, true), 1.0),
            "all regret at the last"
        );
        assert!(close(cooled(0.5, false), 0.5));
        assert!(close(cooled(1.0, true), 1.0));
        // Meetings at half, 70 % and 85 % of each cooling: of the whole
        // budget, or of its first sixth and of the five sixths after it.
        let expected_once = [0.5, 0.7, 0.85];
        let expected_twice = [1.0 / 12.0, 0.7 / 6.0, 0.85 / 6.0, 7.0 / 12.0, 0.75, 0.875];
        for (points, expected) in [
            (meeting_points(false), &expected_once[..]),
            (meeting_points(true), &expected_twice[..]),
        ] {
            assert_eq!(points.len(), expected.len());
            assert!(points.iter().zip(expected).all(|(&a, &b)| close(a, b)), "{points:?}");
        }
        for twice in [false, true] {
            let at: Vec<f64> = (0..=100)
                .map(|i| temperature(t0, tf, f64::from(i) / 100.0, twice))
                .collect();
            let rises = at.windows(2).filter(|w| w[1] > w[0]).count();
            assert_eq!(rises, usize::from(twice), "cooling twice: {twice}");
        }
    }
}
