//! The solver. The bus schedule is an instance of the periodic
//! vehicle-routing core (the [`pvrp`] crate), solved by its ruin-and-recreate
//! search:
//!
//! - a day of the core is a (week, weekday) of the cycle: 7 days a week
//!   of the cycle (28 for the month, up to 84 for a 12-week rotation);
//! - a vehicle is a bus, with its own depot, its working weekdays and the
//!   daily driving limit;
//! - a customer is a commune to serve; its patterns are the model's
//!   [`SlotPattern`]s (bus, weekday, half-day, weeks), so "same bus, weekday
//!   and half-day" holds by construction, and each pattern costs its soft
//!   penalties (missed half-day preference, moving off a published slot);
//! - the morning and afternoon sessions are fixed-time windows: a stop
//!   lasts the longer session and is timed to end with its own morning or
//!   start with its own afternoon, so the afternoon stop can be reached only
//!   within the lunch gap, and nothing else fits a half-day it takes; a
//!   whole-day commune's visit starts with the morning and lasts until the
//!   afternoon ends, so no other stop fits its day;
//! - a short stop (`minutes`) opens at its pattern's quarter hour and lasts
//!   its minutes, so short stops share a session when the drive between
//!   them fits.
//!
//! The move budget is a number of iterations, not a time, so a seed always
//! gives the same plan.

use crate::calendar::HalfDay;
use crate::error::{Error, Result};
use crate::schedule::check::Broken;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Plan;
use crate::schedule::rules;
use crate::travel::TravelMatrix;
use pvrp::{Budget, Customer, DaySet, Problem, Vehicle, Window};
use road::Progress;

/// Search effort and randomness: the scenario's `[solver]` settings,
/// possibly overridden on the command line.
pub use crate::settings::solver::SolverSettings as SolveOptions;

/// Independent search chains (seeds `seed` to `seed + 3`), each on its
/// own thread; the best plan wins, ties to the lower seed, so the plan
/// does not depend on the machine. One chain's result varies with its
/// seed far more than with its length, so more, shorter chains beat fewer,
/// longer ones in the same time (docs/benchmarks.md).
const CHAINS: usize = 4;

/// Most communes one ruin removes. A bus day holds two stops, so SISR's
/// default (a dozen or more) mostly reinserts communes into full days, and
/// 4 moves too little (8 did better than both: docs/benchmarks.md).
const MAX_RUIN: usize = 8;

/// Stand-in for a leg no road makes, in seconds or metres: finite, so the
/// search can still compare costs, and far above any real day.
const NO_ROAD: f64 = 1.0e7;

/// Solves the instance; fails with the broken rules if no plan that keeps
/// them all was found.
pub fn solve(instance: &Instance, options: SolveOptions, progress: &dyn Progress) -> Result<Plan> {
    if instance.needs.is_empty() {
        return Ok(Plan::new(Vec::new()));
    }
    let problem = problem(instance);
    let search = pvrp::Options {
        seed: options.seed,
        max_ruin: Some(MAX_RUIN),
        threads: CHAINS,
        // Every visit's time is fixed by its session (see the module doc).
        tactics: pvrp::Tactics::fixed_times(),
        ..pvrp::Options::new(Budget::Iterations(options.iterations))
    };
    let meter = progress.stage("solving");
    meter.set_length(1000);
    let outcome = pvrp::solve(&problem, search, &|done| meter.set_position((done * 1000.0) as u64))
        .map_err(|e| Error::internal(format!("{}: the schedule maps onto {e}", instance.name)))?;
    meter.finish();
    let plan = plan(instance, &outcome.solution);
    if !outcome.feasible {
        let broken = crate::schedule::check::verify(instance, &plan)
            .err()
            .unwrap_or(Broken(Vec::new()));
        return Err(Error::infeasible(format!(
            "{}: no plan found that keeps every rule after {} iterations; the best one breaks {}: {}. Relax the communes' weekdays, half-days or dates, raise max_drive_minutes, or add a bus",
            instance.name,
            outcome.iterations,
            broken.0.len(),
            broken.inline()
        )));
    }
    Ok(plan)
}

/// The core's day for a week (1-based) and weekday.
fn day(week: u8, weekday: chrono::Weekday) -> usize {
    usize::from(week - 1) * 7 + weekday.num_days_from_monday() as usize
}

fn days_of(pattern: &SlotPattern) -> DaySet {
    pattern.slots().fold(0, |set, s| set | (1 << day(s.week, s.weekday)))
}

/// The bus schedule as a periodic VRP: times in seconds since midnight.
pub fn problem(instance: &Instance) -> Problem {
    // Every weekday of every week of the cycle.
    let days = usize::from(instance.cycle.weeks) * 7;
    // A stop that lasts its session is served for the longest session
    // any bus works: in the morning it is timed to end when that day's
    // morning does, in the afternoon to start when its afternoon does.
    let all = instance.all_sessions();
    let minutes = |f: fn(&crate::settings::service::Sessions) -> u32| all.iter().map(f).max().unwrap_or(0);
    let session = f64::from(minutes(|s| (s.am.end - s.am.start).max(s.pm.end - s.pm.start))) * 60.0;
    // A whole day lasts the longest day any bus works and ends when that
    // day's afternoon does: any other stop that day would be late.
    let whole_day = f64::from(minutes(|s| s.pm.end - s.am.start)) * 60.0;
    let window = |p: &SlotPattern| {
        let sessions = instance.sessions_on(p.bus, p.weekday);
        let start = match (p.full, p.half) {
            (true, _) => f64::from(sessions.pm.end) * 60.0 - whole_day,
            (false, HalfDay::Am) => f64::from(sessions.am.end) * 60.0 - session,
            (false, HalfDay::Pm) => f64::from(sessions.pm.start) * 60.0,
        };
        Window {
            open: start,
            close: start,
        }
    };
    let vehicles: Vec<Vehicle> = (0..instance.buses.len())
        .map(|bus| Vehicle {
            depot: instance.depot_node(bus),
            days: instance
                .cycle
                .week_numbers()
                .flat_map(|w| instance.buses[bus].weekdays.iter().map(move |&d| day(w, d)))
                .fold(0, |set, d| set | (1 << d)),
            limits: rules::limits(instance, bus),
        })
        .collect();
    let customers = instance
        .needs
        .iter()
        .map(|demand| Customer {
            node: instance.commune_node(demand.commune),
            service: match (demand.full, demand.minutes) {
                (true, _) => whole_day,
                // A short stop lasts its minutes from the time its pattern opens.
                (false, Some(m)) => f64::from(m) * 60.0,
                (false, None) => session,
            },
            // Under real dates a pattern's days are kinds of date, as many
            // as its rule tells apart.
            frequency: demand
                .patterns
                .iter()
                .map(|p| days_of(p).count_ones())
                .max()
                .unwrap_or(0),
            patterns: demand
                .patterns
                .iter()
                .map(|p| pvrp::Pattern {
                    days: days_of(p),
                    vehicle: Some(p.bus),
                    window: Some(match p.start {
                        Some(start) => Window {
                            open: f64::from(start) * 60.0,
                            close: f64::from(start) * 60.0,
                        },
                        None => window(p),
                    }),
                    cost: demand.penalty(p),
                    ..pvrp::Pattern::default()
                })
                .collect(),
            // A commune's lines of service never meet on one date.
            group: instance.slot_group(demand.commune),
            ..Customer::default()
        })
        .collect();
    let nodes = instance.matrix.len();
    let cells = |leg: fn(&TravelMatrix, usize, usize) -> f64| -> Vec<f64> {
        (0..nodes * nodes)
            .map(|i| leg(&instance.matrix, i / nodes, i % nodes))
            .map(|s| if s.is_finite() { s } else { NO_ROAD })
            .collect()
    };
    // The metres only where a bus's range needs them.
    let ranged = vehicles.iter().any(|v| v.limits.length.is_some());
    let cycle = &instance.cycle;
    let dated = matches!(cycle.anchor, crate::calendar::Anchor::Dated(_));
    Problem {
        // Under real dates, a day weighs how often it comes in a month.
        day_weights: dated.then(|| {
            (0..days)
                .map(|d| cycle.weight(d as u8 / 7 + 1, crate::calendar::WEEKDAYS[d % 7]))
                .collect()
        }),
        lengths: ranged.then(|| cells(TravelMatrix::metres)),
        dist: cells(TravelMatrix::seconds),
        name: instance.name.clone(),
        days,
        vehicles,
        capacity: vec![f64::INFINITY; days],
        max_duration: vec![None; days],
        customers,
        nodes,
    }
}

/// The plan a core solution stands for: each commune's chosen pattern,
/// slot by slot.
fn plan(instance: &Instance, solution: &pvrp::Solution) -> Plan {
    let visits = instance
        .needs
        .iter()
        .zip(&solution.patterns)
        .flat_map(|(demand, &chosen)| crate::schedule::plan::visits_of(demand, demand.patterns[chosen]))
        .collect();
    Plan::new(visits)
}
