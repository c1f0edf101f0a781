//! The portfolio: a run's chains on their own threads (seed + k each),
//! each the genetic search or the annealing as [`crate::Method`] says,
//! meeting where [`crate::Tactics::meetings`] asks; the best outcome wins,
//! ties to the lowest seed.

use super::Search;
use super::chain::{Chain, Outcome};
use super::meeting::{Meeting, Seat, meeting_points};
use crate::{Invalid, Options, Problem};

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
        let islands = options.method.all_genetic(options.threads.max(1) as u64, problem);
        super::genetic::evolve(&mut search, &mut chain, seat, islands);
    } else {
        super::anneal::anneal(&mut search, &mut chain, seat);
    }
    chain.outcome(problem)
}
