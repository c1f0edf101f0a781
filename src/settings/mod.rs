//! Each stage's settings, one file each, below the readers that fill them
//! (`input::scenario` reads them from a TOML file) and the stages that
//! read them.

pub mod coverage;
pub mod service;
pub mod solver;
pub mod travel;
