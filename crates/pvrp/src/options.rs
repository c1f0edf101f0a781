//! What a run may spend, how it draws random numbers, and how it prices
//! the limits it crosses.

use crate::Problem;
use std::time::Duration;

/// When a run stops. There is no "never": a run always has a budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// After this many iterations per chain: reproducible bit for bit.
    Iterations(u64),
    /// After this wall-clock time: the result depends on the machine.
    /// The annealing cools twice (over the first sixth, then the rest),
    /// so a good plan comes early as well as at the end.
    Time(Duration),
    /// At whichever of the two comes first.
    First {
        /// Iterations per chain.
        iterations: u64,
        /// Wall-clock time.
        time: Duration,
    },
}

impl Budget {
    /// The iteration budget, if any.
    pub fn iterations(self) -> Option<u64> {
        match self {
            Budget::Iterations(n) | Budget::First { iterations: n, .. } => Some(n),
            Budget::Time(_) => None,
        }
    }

    /// The time budget, if any.
    pub fn time(self) -> Option<Duration> {
        match self {
            Budget::Time(t) | Budget::First { time: t, .. } => Some(t),
            Budget::Iterations(_) => None,
        }
    }
}

/// How excess over the limits is priced during the search. Time (excess
/// duration, driving and time warp) has a fixed price; load has a price
/// that adapts (Cordeau, Laporte & Mercier's penalised infeasible search):
/// up while too few candidates keep the capacities, down while most do, so
/// the search crosses tight capacities instead of walking along them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalties {
    /// Cost per unit of excess duration, driving or time warp, and the
    /// starting one. Where [`Tactics::adapt_time_price`] is set it adapts
    /// down to `time_min` by the load's rule, since the day's local search
    /// can repair a route too long; where windows fix every visit's time,
    /// letting visits slip off them only lengthens the plans, so it stays
    /// here.
    pub time: f64,
    /// Lowest cost per unit of excess time, where it adapts.
    pub time_min: f64,
    /// Lowest cost per unit of excess load.
    pub load_min: f64,
    /// Highest cost per unit of excess load, and the annealing's starting
    /// one (the genetic search starts at the longest leg per unit of the
    /// largest demand, within the bounds).
    pub load_max: f64,
    /// Candidates between two updates of the load price.
    pub window: u64,
    /// Share of candidates that should keep the capacities: on tightly
    /// loaded instances the search then crosses infeasible ground instead
    /// of walking along the capacity.
    pub feasible_target: f64,
    /// Factor applied when too few candidates keep the capacities.
    pub up: f64,
    /// Factor applied otherwise.
    pub down: f64,
    /// Cost of each day on which two customers of one group are both
    /// visited ([`crate::Customer::group`]): above any route, so the
    /// search leaves such a day as soon as it can, and a solution with
    /// one is infeasible.
    pub clash: f64,
}

impl Default for Penalties {
    fn default() -> Penalties {
        Penalties {
            time: 1.0e4,
            time_min: 1.0e-2,
            load_min: 1.0e-2,
            load_max: 1.0e4,
            window: 100,
            feasible_target: 0.2,
            up: 1.2,
            down: 0.85,
            clash: 1.0e7,
        }
    }
}

/// Which search each chain runs where the day's local search applies (no
/// time windows, visits free to change vehicle); elsewhere every chain
/// anneals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The genetic search on even chains, the annealing on odd ones: each
    /// wins on one benchmark family (the genetic search where route
    /// durations bind, the annealing on Cordeau's p-series at 10 s). Where
    /// route durations are limited and every vehicle leaves one depot,
    /// every chain runs the genetic search, as islands
    /// ([`Method::islands_pay`]). Where a full route holds at most
    /// [`SHORT_ROUTE`] visits, every chain anneals.
    #[default]
    Portfolio,
    /// Ruin and recreate with simulated annealing on every chain.
    Anneal,
    /// The hybrid genetic search on every chain: islands, each adding the
    /// best of the chains to its population at the meetings.
    Genetic,
}

/// Visits a full route holds (see [`Problem::visits_per_full_route`]) up
/// to which the portfolio runs no genetic chain. There a trip to the far
/// customers closes only once all its few visits have moved, which the
/// annealing's ruin does in one move and the genetic search's crossover
/// and one-visit moves rarely do (docs/pvrp-journal.md, "Short routes
/// anneal on every chain").
pub const SHORT_ROUTE: f64 = 7.0;

impl Method {
    /// Whether chain `k` runs the genetic search (where it may) on
    /// `problem`.
    pub fn genetic(self, k: u64, problem: &Problem) -> bool {
        match self {
            Method::Portfolio => {
                problem.visits_per_full_route() > SHORT_ROUTE && (k.is_multiple_of(2) || Method::islands_pay(problem))
            }
            Method::Anneal => false,
            Method::Genetic => true,
        }
    }

    /// Whether the portfolio runs genetic islands on `problem`: where route
    /// durations are limited and every vehicle leaves one depot (Cordeau's
    /// pr-series), two populations exchanging their best beat a population
    /// beside an annealing chain; with several depots (the multi-depot
    /// pr-series) the population beside an annealing chain did better
    /// (docs/pvrp.md, "Where route durations bind").
    pub fn islands_pay(problem: &Problem) -> bool {
        let depot = problem.vehicles.first().map(|v| v.depot);
        problem.limits_duration() && problem.vehicles.iter().all(|v| Some(v.depot) == depot)
    }

    /// Whether every chain runs the genetic search on `problem`, so that a
    /// genetic chain meets only others and takes the leader's best into its
    /// population (islands).
    pub fn all_genetic(self, threads: u64, problem: &Problem) -> bool {
        (0..threads).all(|k| self.genetic(k, problem))
    }
}

/// What the search does besides ruin and recreate, each switched on or
/// off by the caller rather than guessed from the problem. The default is
/// everything on, for the classic benchmarks; [`Tactics::fixed_times`]
/// suits problems whose windows fix every visit's time (a bus's
/// half-day sessions), where each of these was measured slower or no
/// better. Two of them also need the problem's shape, whatever is asked:
/// the day's moves and 2-opt price travel alone, so they run only
/// without time windows (and 2-opt on a symmetric matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tactics {
    /// The day's local search between routes (relocate, swap, 2-opt*) and
    /// the genetic chains that need it.
    pub day_moves: bool,
    /// 2-opt within each changed route.
    pub two_opt: bool,
    /// Recreate by regret a share of the time that follows the cooling.
    pub regret: bool,
    /// The price of excess time adapts to the share of candidates that
    /// keep the time limits (else it stays at its bound).
    pub adapt_time_price: bool,
    /// The chains meet during each cooling and those behind take the
    /// leader's solution.
    pub meetings: bool,
}

impl Default for Tactics {
    fn default() -> Tactics {
        Tactics {
            day_moves: true,
            two_opt: true,
            regret: true,
            adapt_time_price: true,
            meetings: true,
        }
    }
}

impl Tactics {
    /// Ruin and recreate alone, chains apart, time priced at its bound:
    /// for windows that fix every visit's time, where regret was slower
    /// and no better and meeting chains lost their spread
    /// (docs/pvrp-journal.md).
    pub fn fixed_times() -> Tactics {
        Tactics {
            day_moves: false,
            two_opt: false,
            regret: false,
            adapt_time_price: false,
            meetings: false,
        }
    }
}

/// Everything a run is given besides the problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Seed of the first chain; chain `k` uses `seed + k`.
    pub seed: u64,
    /// The budget of each chain.
    pub stop: Budget,
    /// Most customers one ruin removes; `None`: n/4 within 10–15, which
    /// suits routes of ten or so; routes of two stops (a bus day) want
    /// fewer.
    pub max_ruin: Option<usize>,
    /// Independent annealing chains run in parallel; the best is kept.
    pub threads: usize,
    /// Prices of the limits crossed during the search.
    pub penalties: Penalties,
    /// The search each chain runs.
    pub method: Method,
    /// What the search does besides ruin and recreate.
    pub tactics: Tactics,
}

impl Options {
    /// One chain, seed 1, the default ruin size and penalties.
    pub fn new(stop: Budget) -> Options {
        Options {
            seed: 1,
            stop,
            max_ruin: None,
            threads: 1,
            penalties: Penalties::default(),
            method: Method::default(),
            tactics: Tactics::default(),
        }
    }
}
