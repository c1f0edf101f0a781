//! `tournee coverage`: who is how far from a fixed site or a bus stop.

use super::inputs::Inputs;
use super::{Bars, out, write_folder};
use std::path::PathBuf;
use tournee::input::scenario::Scenario;
use tournee::input::territory::Unlocated;
use tournee::{Result, pipeline};

/// Overrides of a scenario's `[coverage]` section, shared with `compare`.
#[derive(clap::Args, Clone)]
pub struct Options {
    /// Fixed service points: the France Services CSV, or `name,lat,lon,hours` (hours open per week).
    #[arg(long)]
    sites: Option<PathBuf>,
    /// Access-time thresholds in minutes, e.g. `10,20,30`.
    #[arg(long, value_delimiter = ',')]
    thresholds: Option<Vec<f64>>,
    /// Hours of presence count service points within this many minutes.
    #[arg(long)]
    presence_minutes: Option<f64>,
    /// Keep the mobile rows of the France Services list (their base address).
    #[arg(long)]
    include_mobile_sites: bool,
}

impl Options {
    /// Applies the overrides; the library checks their ranges.
    pub fn apply(self, scenario: &mut Scenario) -> Result<()> {
        let c = &mut scenario.coverage;
        c.sites = self.sites.or(c.sites.take());
        if let Some(t) = self.thresholds {
            c.set_thresholds(t)?;
        }
        if let Some(m) = self.presence_minutes {
            c.set_presence_minutes(m)?;
        }
        c.include_mobile_sites |= self.include_mobile_sites;
        Ok(())
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// The commune table, the scenario (whose `[coverage]` section names
    /// sites, plan and assumptions) and roads for access times.
    #[command(flatten)]
    inputs: Inputs,
    /// A plan folder (or plan.csv) from `tournee plan`: its stops are the bus service.
    #[arg(long)]
    plan: Option<PathBuf>,
    #[command(flatten)]
    options: Options,
    /// Output folder for coverage.csv, coverage.json and coverage.geojson.
    #[arg(long, default_value = "out/coverage")]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let (territory, mut scenario) = args.inputs.load_with(Unlocated::SetAside)?;
    for note in &territory.notes {
        eprintln!("note: {}: {note}", territory.source.display());
    }
    args.options.apply(&mut scenario)?;
    let bus = match args.plan.or(scenario.coverage.plan.clone()) {
        Some(path) => pipeline::BusService::Saved(path),
        None => pipeline::BusService::None,
    };
    let coverage = pipeline::coverage(territory, &scenario, bus, &Bars)?;
    for note in &coverage.notes {
        eprintln!("note: {note}");
    }
    out(&tournee::output::coverage::text(&coverage))?;
    write_folder(&args.out, tournee::output::coverage::files(&coverage)?, args.force)
}
