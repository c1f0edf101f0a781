//! The annealing loop: each iteration tries an exchange or a ruin and
//! recreate on a copy of the current solution, accepts it by a
//! threshold that cools from the average edge to a hundredth of it (twice
//! in a run stopped by the clock, see [`temperature`]), and
//! adapts the price of excess load (and of excess time, without windows)
//! to how often candidates keep the limits. Several chains run in
//! parallel, meet during each cooling ([`super::meeting`]), and the best
//! is kept.

use super::meeting::{MEETINGS, Meeting, Seat};
use super::{Search, State};
use crate::Stop;
use crate::{Invalid, Options, Problem, Solution};
use rand::RngExt;
use std::time::Instant;

/// Share of iterations that try an exchange before ruin and recreate.
const EXCHANGES: f64 = 0.5;
/// How far above the acceptance threshold, in temperatures, a ruin and
/// recreate may leave a candidate and still get the day's local search
/// and 2-opt, which take three quarters of an iteration. Further off, the
/// search rarely brings it back under the threshold, and the iteration is
/// better spent on the next candidate (measured against 30, 100 and no
/// limit: docs/pvrp-journal.md, "within reach of acceptance").
const SEARCH_REACH: f64 = 60.0;
/// In a run stopped by the clock, the share of the budget its first
/// cooling takes; the annealing then warms again to [`REHEAT`] and cools
/// over the rest.
const FIRST_COOLING: f64 = 1.0 / 6.0;
/// Where the second cooling starts on the temperature scale, in the
/// exponent's terms: 0 is the first temperature, 1 the last.
const REHEAT: f64 = 0.3;
/// Iterations between two progress reports.
const REPORT_EVERY: u64 = 1024;

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The best solution found: feasible if any candidate was.
    pub solution: Solution,
    /// Its objective (travel plus pattern costs).
    pub cost: f64,
    /// Whether it keeps every limit.
    pub feasible: bool,
    /// Iterations run, over all chains.
    pub iterations: u64,
    /// When each better feasible solution was found, over all chains:
    /// (seconds since the start, its cost), costs decreasing. Benchmarks
    /// read the time to reach a target from it.
    pub improvements: Vec<(f64, f64)>,
}

/// Solves `problem` with `options.threads` chains, each stopping at its
/// budget. `progress` hears the first chain's share of its budget done,
/// from 0 to 1. Ties go to the lowest seed, so the result does not depend
/// on which thread finishes first. A problem that fails
/// [`Problem::validate`] is refused, never half-solved.
pub fn solve(problem: &Problem, options: Options, progress: &(dyn Fn(f64) + Sync)) -> Result<Outcome, Invalid> {
    problem.validate()?;
    let threads = options.threads.max(1) as u64;
    let silent = |_: f64| {};
    let members = if options.tactics.meetings { threads as usize } else { 0 };
    let meeting = Meeting::new(members);
    let meeting = &meeting;
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let chain = Options {
                    seed: options.seed.wrapping_add(k),
                    ..options
                };
                let report: &(dyn Fn(f64) + Sync) = if k == 0 { progress } else { &silent };
                scope.spawn(move || run(problem, chain, k, report, meeting))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a search thread panicked"))
            .collect()
    });
    let iterations = outcomes.iter().map(|o| o.iterations).sum();
    let improvements = merge_improvements(outcomes.iter().map(|o| o.improvements.as_slice()));
    let best = outcomes
        .into_iter()
        .reduce(|a, b| {
            if (b.feasible, -b.cost) > (a.feasible, -a.cost) {
                b
            } else {
                a
            }
        })
        .expect("at least one chain");
    Ok(Outcome {
        iterations,
        improvements,
        ..best
    })
}

/// The chains' improvements as one record: every moment some chain beat
/// the best feasible cost of all chains so far.
fn merge_improvements<'a>(chains: impl Iterator<Item = &'a [(f64, f64)]>) -> Vec<(f64, f64)> {
    let mut all: Vec<(f64, f64)> = chains.flatten().copied().collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = f64::INFINITY;
    all.into_iter()
        .filter(|&(_, cost)| {
            let better = cost < best;
            best = best.min(cost);
            better
        })
        .collect()
}

impl Search<'_> {
    /// Moves the load price, and the time price where the tactics ask for
    /// it, so that the share of candidates keeping each limit nears
    /// the target, given the last window's counts.
    pub(super) fn adapt_penalties(&mut self, kept_load: u64, kept_time: u64) {
        let p = self.penalties;
        let factor = |kept: u64| {
            if (kept as f64) < p.feasible_target * p.window as f64 {
                p.up
            } else {
                p.down
            }
        };
        self.load_penalty = (self.load_penalty * factor(kept_load)).clamp(p.load_min, p.load_max);
        if self.tactics.adapt_time_price {
            self.time_penalty = (self.time_penalty * factor(kept_time)).clamp(p.time_min, p.time);
        }
    }

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

/// What every chain keeps whatever its method: the budget and the clock,
/// the best solution met, and when each better feasible one came.
pub(super) struct Chain<'a> {
    start: Instant,
    stop: Stop,
    iterations: u64,
    progress: &'a (dyn Fn(f64) + Sync),
    best: Option<State>,
    best_cost: f64,
    best_feasible: bool,
    improvements: Vec<(f64, f64)>,
}

impl<'a> Chain<'a> {
    fn new(stop: Stop, progress: &'a (dyn Fn(f64) + Sync)) -> Chain<'a> {
        progress(0.0);
        Chain {
            start: Instant::now(),
            stop,
            iterations: 0,
            progress,
            best: None,
            best_cost: f64::INFINITY,
            best_feasible: false,
            improvements: Vec::new(),
        }
    }

    /// The share of the budget spent, by time or iterations, whichever is
    /// further.
    pub fn fraction(&self) -> f64 {
        let by_iterations = self
            .stop
            .iterations()
            .map_or(0.0, |n| self.iterations as f64 / n.max(1) as f64);
        let by_time = self
            .stop
            .time()
            .map_or(0.0, |t| self.start.elapsed().as_secs_f64() / t.as_secs_f64());
        by_iterations.max(by_time)
    }

    /// Whether the clock stops the run (then the annealing cools twice).
    pub fn by_clock(&self) -> bool {
        self.stop.iterations().is_none()
    }

    /// The best solution so far, whether it keeps every limit, and its
    /// cost, once some solution was offered.
    pub fn best(&self) -> Option<(&State, bool, f64)> {
        self.best.as_ref().map(|s| (s, self.best_feasible, self.best_cost))
    }

    /// Whether the budget is spent.
    pub fn spent(&self) -> bool {
        self.fraction() >= 1.0
    }

    /// Counts one iteration, reporting progress now and then; returns the
    /// count so far.
    pub fn tick(&mut self) -> u64 {
        self.tick_by(1)
    }

    /// Counts `n` iterations at once (one step of a method whose step
    /// costs several).
    pub fn tick_by(&mut self, n: u64) -> u64 {
        let before = self.iterations / REPORT_EVERY;
        self.iterations += n;
        if self.iterations / REPORT_EVERY > before {
            (self.progress)(self.fraction().min(1.0));
        }
        self.iterations
    }

    /// Keeps `s` if it beats the best so far: any feasible solution beats
    /// an infeasible one, then the lower cost wins.
    pub fn offer(&mut self, s: &State, cost: f64, feasible: bool) {
        let better =
            (feasible && !self.best_feasible) || (feasible == self.best_feasible && cost < self.best_cost - super::EPS);
        if better {
            self.best = Some(s.clone());
            self.best_cost = cost;
            self.best_feasible = feasible;
            if feasible {
                self.improvements.push((self.start.elapsed().as_secs_f64(), cost));
            }
        }
    }

    /// The best cost so far (feasible or not).
    pub fn best_cost(&self) -> f64 {
        self.best_cost
    }

    fn outcome(self, problem: &Problem) -> Outcome {
        (self.progress)(1.0);
        let best = self.best.expect("a chain offers its first solution");
        let solution = Solution {
            patterns: best
                .patterns
                .iter()
                .map(|p| p.expect("every customer is placed"))
                .collect(),
            routes: best
                .routes
                .iter()
                .map(|rs| rs.iter().map(|r| r.customers.clone()).collect())
                .collect(),
        };
        let cost = solution.cost(problem);
        Outcome {
            solution,
            cost,
            feasible: self.best_feasible,
            iterations: self.iterations,
            improvements: self.improvements,
        }
    }
}

/// Chain `k`: the genetic search or the annealing, as `options.method`
/// says for it, where the day's local search runs; the annealing
/// elsewhere. It meets the run's other chains at `meeting`.
fn run(problem: &Problem, options: Options, k: u64, progress: &(dyn Fn(f64) + Sync), meeting: &Meeting) -> Outcome {
    let mut search = Search::new(
        problem,
        options.seed,
        options.max_ruin,
        options.penalties,
        options.tactics,
    );
    let mut chain = Chain::new(options.stop, progress);
    let seat = Seat::new(meeting, k as usize, meeting_points(chain.by_clock()));
    if search.day_search() && options.method.genetic(k, problem) {
        super::genetic::evolve(&mut search, &mut chain, seat);
    } else {
        anneal(&mut search, &mut chain, seat);
    }
    chain.outcome(problem)
}

/// One annealing chain, meeting the others at `seat`.
fn anneal(search: &mut Search, chain: &mut Chain, mut seat: Seat) {
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

/// Where the chains meet, as shares of the budget: at [`MEETINGS`] of
/// each cooling. A genetic chain meets at the same points, so that it
/// meets the annealing chains beside it.
fn meeting_points(twice: bool) -> Vec<f64> {
    let coolings: &[(f64, f64)] = if twice {
        &[(0.0, FIRST_COOLING), (FIRST_COOLING, 1.0)]
    } else {
        &[(0.0, 1.0)]
    };
    coolings
        .iter()
        .flat_map(|&(start, end)| MEETINGS.iter().map(move |m| start + (end - start) * m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::EPS;
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
