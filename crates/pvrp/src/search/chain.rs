//! What every chain of a run keeps, whatever its method: the budget and
//! the clock, the best solution met, and when each better feasible one
//! came; and what it hands back, its [`Outcome`].

use super::State;
use crate::{Budget, Problem, Solution};
use std::time::Instant;

/// In a run stopped by the clock, the share of the budget its first
/// cooling takes; the annealing then warms again to [`REHEAT`] and cools
/// over the rest.
pub(super) const FIRST_COOLING: f64 = 1.0 / 6.0;
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

/// What every chain keeps whatever its method: the budget and the clock,
/// the best solution met, and when each better feasible one came.
pub(super) struct Chain<'a> {
    start: Instant,
    stop: Budget,
    iterations: u64,
    progress: &'a (dyn Fn(f64) + Sync),
    best: Option<State>,
    best_cost: f64,
    best_feasible: bool,
    improvements: Vec<(f64, f64)>,
}

impl<'a> Chain<'a> {
    pub fn new(stop: Budget, progress: &'a (dyn Fn(f64) + Sync)) -> Chain<'a> {
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

    pub fn outcome(self, problem: &Problem) -> Outcome {
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
