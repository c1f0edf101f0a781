//! The periodic vehicle-routing problem (PVRP), and a solver for it.
//!
//! Over a horizon of days, each customer must be visited a number of times
//! on the days of one *pattern* chosen among those it allows ("Monday and
//! Thursday", "days 2 and 4"). Vehicles start and end at their own depot,
//! work on their own days and may have a daily driving limit; days have a
//! capacity and a route-duration limit; a pattern may name the vehicle of
//! every visit, a time window and a cost of its own. The classic benchmarks
//! (Cordeau's p01–p32 and pr01–pr10, read by [`formats::cordeau`]) and a
//! mobile public service's monthly tour are both instances.
//!
//! [`solve`] runs ruin-and-recreate with simulated annealing over patterns
//! (a customer leaves all its days at once and comes back with the cheapest
//! pattern), with time windows priced as time warp and capacities crossed
//! under an adaptive penalty; where visits may change vehicle and there are
//! no time windows, a hybrid genetic search (Vidal et al. 2012) runs on
//! every other chain, unless routes are short ([`Method`]); the chains of
//! a run without windows meet during each cooling, and annealing chains
//! behind take the leader's solution; [`check()`] verifies a solution
//! independently.
//!
//! ```
//! use pvrp::{Customer, Options, Pattern, Problem, Budget, Vehicle};
//!
//! // A depot (node 0) and two customers on a line, 10 apart, over 2 days.
//! let at = [0.0, 10.0, 20.0];
//! let dist = (0..9).map(|k| f64::abs(at[k / 3] - at[k % 3])).collect();
//! let customer = |node| Customer {
//!     node,
//!     service: 0.0,
//!     demand: 1.0,
//!     frequency: 1,
//!     patterns: vec![Pattern::days(0b01), Pattern::days(0b10)], // day 1 or day 2
//!     ..Customer::default()
//! };
//! let problem = Problem {
//!     name: "line".into(),
//!     days: 2,
//!     vehicles: vec![Vehicle { depot: 0, days: 0b11, ..Vehicle::default() }],
//!     capacity: vec![2.0; 2],
//!     max_duration: vec![None; 2],
//!     customers: vec![customer(1), customer(2)],
//!     dist,
//!     nodes: 3,
//!     ..Problem::default()
//! };
//! let outcome = pvrp::solve(&problem, Options::new(Budget::Iterations(1000)), &|_| {})?;
//! assert!(outcome.feasible && pvrp::check(&problem, &outcome.solution).is_empty());
//! // Both on the same day: one trip to 20 and back.
//! assert_eq!(outcome.cost, 40.0);
//! # Ok::<(), pvrp::Invalid>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
mod constraints;
pub mod formats;
mod options;
mod problem;
mod search;
mod solution;

pub use check::check;
pub use options::{Budget, Method, Options, Penalties, SHORT_ROUTE, Tactics};
pub use problem::{Customer, DaySet, Invalid, Limits, Pattern, Problem, Timing, Vehicle, Window, days_in};
pub use search::chain::Outcome;
pub use search::portfolio::solve;
pub use solution::Solution;
