//! The schedule. The [`model`] of a territory's needs and the
//! patterns each commune may take, made by [`build`] under the scheduling
//! rules (`rules/`, one file each), its mapping onto the periodic VRP core
//! ([`as_pvrp`]), the [`exact`] MILP for small territories, the independent
//! [`check`]er and the resulting [`plan`].

pub mod as_pvrp;
pub mod build;
pub mod check;
pub mod exact;
pub mod model;
pub mod plan;
pub mod reason;
pub(crate) mod rules;
pub mod saved;

use crate::error::{Error, Result};
use as_pvrp::SolveOptions;
use model::Instance;
use road::Progress;

/// Solves the instance and checks the plan with the independent checker;
/// a plan that fails it is never returned.
pub fn solve_checked(instance: &Instance, options: SolveOptions, progress: &dyn Progress) -> Result<plan::Plan> {
    let plan = as_pvrp::solve(instance, options, progress)?;
    check::verify(instance, &plan).map_err(|broken| {
        Error::infeasible(format!(
            "{}: the best plan found {}\nraise max_drive_minutes, widen the lunch gap or add a bus",
            instance.name,
            broken.listed()
        ))
    })?;
    Ok(plan)
}
