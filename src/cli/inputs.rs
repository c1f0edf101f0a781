//! The inputs every planning command reads, as one argument group that
//! each command flattens: the commune table, the scenario, and an OSM
//! extract for road times.

use std::path::PathBuf;
use tournee::input::scenario::Scenario;
use tournee::input::territory::{Territory, Unlocated};
use tournee::{Result, pipeline};

/// `--territory`, `--scenario` and `--osm`.
#[derive(clap::Args, Clone)]
pub struct Inputs {
    /// Commune table (CSV or semicolon CSV: insee,name,lat,lon,population[,…];
    /// or a spreadsheet: .xlsx, .xls, .ods); default: the scenario's, else
    /// the embedded Pays d'Apt-Luberon.
    #[arg(long)]
    pub territory: Option<PathBuf>,
    /// The sheet of a spreadsheet commune table (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Scenario (TOML): buses, sessions, frequency rule, cycle, travel model, solver.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub roads: Roads,
}

/// `--osm`, for commands that take scenarios otherwise.
#[derive(clap::Args, Clone)]
pub struct Roads {
    /// OpenStreetMap extract for road travel times (.osm.pbf, .osm, .osm.gz);
    /// straight-line estimates without.
    #[arg(long)]
    pub osm: Option<PathBuf>,
}

impl Roads {
    /// Puts `--osm`, when given, over the scenario's extract.
    pub fn apply(&self, scenario: &mut Scenario) {
        if self.osm.is_some() {
            scenario.osm = self.osm.clone();
        }
    }
}

impl Inputs {
    /// The territory and the scenario, `--osm` applied; communes without
    /// coordinates refused.
    pub fn load(&self) -> Result<(Territory, Scenario)> {
        self.load_with(Unlocated::Refuse)
    }

    /// [`Inputs::load`] with a policy for communes without coordinates.
    pub fn load_with(&self, unlocated: Unlocated) -> Result<(Territory, Scenario)> {
        let (territory, mut scenario) = pipeline::load_inputs_from(
            self.territory.as_deref(),
            self.sheet.as_deref(),
            self.scenario.as_deref(),
            unlocated,
        )?;
        self.roads.apply(&mut scenario);
        Ok((territory, scenario))
    }
}
