//! The annealing loop: each iteration tries an exchange or a ruin and
//! recreate on a copy of the current solution, accepts it by a
//! threshold that cools from the average edge to a hundredth of it, and
//! adapts the price of excess load (and of excess time, without windows)
//! to how often candidates keep the limits. Several chains run in
//! parallel and the best is kept.

use super::{Route, Search, State};
use crate::{Invalid, Options, Problem, Solution};
use rand::RngExt;
use std::time::Instant;

/// Share of iterations that try an exchange before ruin and recreate.
const EXCHANGES: f64 = 0.5;
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
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let chain = Options {
                    seed: options.seed.wrapping_add(k),
                    ..options
                };
                let report: &(dyn Fn(f64) + Sync) = if k == 0 { progress } else { &silent };
                scope.spawn(move || anneal(problem, chain, report))
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
    /// Moves the load price, and the time price where there are no
    /// windows, so that the share of candidates keeping each limit nears
    /// the target, given the last window's counts.
    fn adapt_penalties(&mut self, kept_load: u64, kept_time: u64) {
        let p = self.penalties;
        let factor = |kept: u64| {
            if (kept as f64) < p.feasible_target * p.window as f64 {
                p.up
            } else {
                p.down
            }
        };
        self.load_penalty = (self.load_penalty * factor(kept_load)).clamp(p.load_min, p.load_max);
        if !self.windows {
            self.time_penalty = (self.time_penalty * factor(kept_time)).clamp(p.time_min, p.time);
        }
    }

    /// A first solution: customers with the most visits and the fewest
    /// patterns go first.
    fn construct(&mut self) -> State {
        let p = self.p;
        let mut state = State {
            patterns: vec![None; p.customers.len()],
            routes: vec![vec![Route::default(); p.vehicles.len()]; p.days],
        };
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

    /// One candidate: an exchange, or (half the time, or when the exchange
    /// draws a pair that cannot swap) a ruin and recreate; then the
    /// relocations and reversals that improve the days it changed.
    fn neighbour(&mut self, current: &State) -> State {
        let mut candidate = current.clone();
        if self.rng.random::<f64>() >= EXCHANGES || !self.exchange(&mut candidate) {
            let removed = self.ruin(&candidate);
            for &c in &removed {
                self.remove(&mut candidate, c);
            }
            self.recreate(&mut candidate, removed);
        }
        if self.day_search() {
            self.improve_days(&mut candidate, current);
        }
        if self.reversible() {
            self.two_opt(&mut candidate, current);
        }
        candidate
    }
}

/// One annealing chain.
fn anneal(problem: &Problem, options: Options, progress: &(dyn Fn(f64) + Sync)) -> Outcome {
    let mut search = Search::new(problem, options.seed, options.max_ruin, options.penalties);
    let mut current = search.construct();
    let mut current_cost = search.cost(&current);
    let mut best = current.clone();
    let mut best_cost = current_cost;
    let mut best_feasible = search.feasible(&current);
    let start = Instant::now();
    let mut improvements = Vec::new();
    if best_feasible {
        improvements.push((0.0, best_cost));
    }
    let visits: u32 = problem.customers.iter().map(|c| c.frequency).sum();
    let average_edge = (current_cost.min(1e12) / f64::from(visits.max(1))).max(1e-3);
    let (t0, tf) = (average_edge, average_edge * 0.01);
    let iterations = options.stop.iterations().unwrap_or(u64::MAX);
    let window = options.penalties.window;
    progress(0.0);
    let mut it = 0;
    let mut kept_load = 0;
    let mut kept_time = 0;
    while it < iterations {
        let fraction = match options.stop.time() {
            Some(limit) => {
                let by_time = start.elapsed().as_secs_f64() / limit.as_secs_f64();
                if by_time >= 1.0 {
                    break;
                }
                by_time.max(it as f64 / iterations as f64)
            }
            None => it as f64 / iterations as f64,
        };
        let temperature = t0 * (tf / t0).powf(fraction);
        let candidate = search.neighbour(&current);
        let cost = search.cost(&candidate);
        let kept = search.kept(&candidate);
        kept_load += u64::from(kept.load);
        kept_time += u64::from(kept.time);
        let feasible = kept.all();
        let threshold = current_cost - temperature * search.rng.random::<f64>().max(1e-300).ln();
        if cost < threshold {
            current = candidate;
            current_cost = cost;
            if (feasible && !best_feasible) || (feasible == best_feasible && cost < best_cost - super::EPS) {
                best = current.clone();
                best_cost = cost;
                best_feasible = feasible;
                if feasible {
                    improvements.push((start.elapsed().as_secs_f64(), cost));
                }
            }
        }
        it += 1;
        if it.is_multiple_of(window) {
            search.adapt_penalties(kept_load, kept_time);
            kept_load = 0;
            kept_time = 0;
            current_cost = search.cost(&current);
        }
        if it.is_multiple_of(REPORT_EVERY) {
            progress(fraction);
        }
    }
    progress(1.0);
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
        feasible: best_feasible,
        iterations: it,
        improvements,
    }
}
