//! The coverage analysis's settings (`[coverage]`): what to measure
//! against, and the assumptions behind km and CO2 avoided.

use crate::error::{Error, Location, Result};
use std::path::PathBuf;

/// Settings of the coverage analysis (`[coverage]`): what to measure
/// against, and the assumptions behind km and CO2 avoided.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageSettings {
    /// Fixed service points (France Services layout or `name,lat,lon,hours`).
    pub sites: Option<PathBuf>,
    /// A plan folder (or its `plan.csv`) whose stops are the bus service.
    pub plan: Option<PathBuf>,
    /// Access-time thresholds for the shares of population, in minutes.
    pub thresholds_minutes: Vec<f64>,
    /// Hours of presence count service points within this many minutes.
    pub presence_minutes: f64,
    /// Keep mobile rows of the France Services list as if they were fixed.
    pub include_mobile_sites: bool,
    /// Visits to a public-service desk per inhabitant and year.
    pub visits_per_inhabitant_year: f64,
    /// Share of those visits made at the bus when its stop is nearer.
    pub bus_capture: f64,
    /// kg CO2e per km of a resident's car.
    pub car_kg_co2_per_km: f64,
    /// kg CO2e per km of the bus.
    pub bus_kg_co2_per_km: f64,
}

impl Default for CoverageSettings {
    /// The figures and their sources are in `docs/coverage.md`.
    fn default() -> Self {
        CoverageSettings {
            sites: None,
            plan: None,
            thresholds_minutes: vec![10.0, 20.0, 30.0],
            presence_minutes: 20.0,
            include_mobile_sites: false,
            visits_per_inhabitant_year: 0.13,
            bus_capture: 1.0,
            car_kg_co2_per_km: 0.218,
            bus_kg_co2_per_km: 0.38,
        }
    }
}

/// Presence counts service points within this many minutes, at most.
pub(crate) const PRESENCE_MINUTES: std::ops::RangeInclusive<f64> = 1.0..=600.0;

/// Access-time thresholds: a non-empty list of minutes in (0, 600].
pub(crate) fn thresholds_ok(minutes: &[f64]) -> bool {
    !minutes.is_empty() && minutes.iter().all(|m| *m > 0.0 && *m <= 600.0)
}

impl CoverageSettings {
    /// Replaces the thresholds by command-line ones, after checking them.
    pub fn set_thresholds(&mut self, minutes: Vec<f64>) -> Result<()> {
        if !thresholds_ok(&minutes) {
            return Err(Error::input(
                Location::default().field("--thresholds"),
                "expected minutes between 0 and 600, e.g. 10,20,30",
            ));
        }
        self.thresholds_minutes = minutes;
        Ok(())
    }

    /// Replaces the presence radius by a command-line one, after checking it.
    pub fn set_presence_minutes(&mut self, minutes: f64) -> Result<()> {
        if !PRESENCE_MINUTES.contains(&minutes) {
            return Err(Error::input(
                Location::default().field("--presence-minutes"),
                format!("{minutes}: expected minutes between 1 and 600"),
            ));
        }
        self.presence_minutes = minutes;
        Ok(())
    }
}
