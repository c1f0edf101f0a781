//! Stage 3: the schedule. The [`calendar`] (weeks, weekdays, half-days,
//! holidays), the [`model`] of a territory's needs and the patterns each
//! commune may take, its mapping onto the periodic VRP core ([`as_pvrp`]),
//! the [`exact`] MILP for small territories, the independent [`check`]er
//! and the resulting [`plan`].

pub mod as_pvrp;
pub mod build;
pub mod check;
pub mod exact;
pub mod model;
pub mod plan;
pub(crate) mod rules;
