//! tournee: plans the monthly tours of mobile public-service buses.
//!
//! The pipeline runs one way, one module per stage:
//! [`territory`] → [`scenario`] → [`travel`] → [`model`] → [`solver`] →
//! [`check`] → [`export`]. The `tournee` binary is a thin CLI over
//! [`pipeline`], which tests and benches call directly.

pub mod access;
pub mod bench;
pub mod calendar;
pub mod check;
pub mod compare;
pub mod coverage;
pub mod error;
pub mod exact;
pub mod export;
pub mod ical;
pub mod io;
pub mod map;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod pvrp;
pub mod report;
pub mod road;
pub mod scenario;
pub mod select;
pub mod sites;
pub mod solver;
pub mod synth;
pub mod territory;
pub mod travel;
pub mod wording;

pub use error::{Error, ErrorKind, Result};
