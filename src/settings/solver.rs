//! The solver's settings: a seed and a budget of iterations.

use crate::error::{Error, Location, Result};

/// Search effort and reproducibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolverSettings {
    pub seed: u64,
    /// Ruin-and-recreate iterations per chain; a budget, not a time, so that a seed gives one plan.
    pub iterations: u64,
}

impl SolverSettings {
    /// These settings with the command line's `--seed` and `--iterations`,
    /// refusing a budget of 0 iterations as the scenario file does.
    pub fn overridden(self, seed: Option<u64>, iterations: Option<u64>) -> Result<SolverSettings> {
        refuse_zero_iterations(iterations)?;
        Ok(SolverSettings {
            seed: seed.unwrap_or(self.seed),
            iterations: iterations.unwrap_or(self.iterations),
        })
    }
}

/// `--iterations 0` is refused, as `iterations = 0` in a scenario is: a
/// search needs a budget.
pub fn refuse_zero_iterations(iterations: Option<u64>) -> Result<()> {
    if iterations == Some(0) {
        return Err(Error::input(
            Location::default().field("--iterations"),
            "0: expected a positive number of iterations",
        ));
    }
    Ok(())
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            seed: 1,
            iterations: 30_000,
        }
    }
}
