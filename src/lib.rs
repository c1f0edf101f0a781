//! tournee: plans the monthly tours of mobile public-service buses.
//!
//! Data flows one way through four stages, each a folder:
//! [`input`] (the commune table, the scenario, service sites, a saved
//! plan) → [`travel`] (a matrix of road times from the [`road`] crate, or
//! straight-line estimates) → [`schedule`] (the model, its mapping onto the
//! periodic VRP core of the [`pvrp`] crate, the exact MILP, the checker, the
//! plan) → [`output`] (stdout calendar, CSV, JSON, iCalendar, GeoJSON,
//! HTML), with [`coverage`] measuring who is how far from a service,
//! [`national`] answering how many buses, where, for a country or a
//! region, and [`tools`] for synthetic data and benchmarks. [`pipeline`] wires the
//! stages for the CLI, the tests and the benches.
//!
//! ```
//! use tournee::{pipeline, schedule::as_pvrp::SolveOptions};
//!
//! // The embedded default: 25 communes of Pays d'Apt-Luberon, one bus.
//! let (territory, scenario) = pipeline::load_inputs(None, None)?;
//! let prepared = pipeline::instance(territory, &scenario, &())?;
//! let options = SolveOptions { seed: 1, iterations: 2_000 };
//! let plan = tournee::schedule::solve_checked(&prepared.instance, options, &())?;
//! assert_eq!(plan.communes_served(&prepared.instance.territory), 25);
//! # Ok::<(), tournee::Error>(())
//! ```

#![forbid(unsafe_code)]

pub mod calendar;
pub mod coverage;
mod csv_out;
pub mod error;
pub mod input;
pub mod national;
pub mod output;
pub mod pipeline;
pub mod schedule;
pub mod settings;
pub mod tools;
pub mod travel;
pub mod workbench;

pub use error::{Error, ErrorKind, Result};
