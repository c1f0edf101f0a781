//! `tournee export`: re-export a saved plan.csv (possibly edited by hand)
//! after checking it.

use super::plan::{PlanOutput, write_plan};
use super::{Bars, out};
use std::path::PathBuf;
use tournee::output::{self, RunInfo};
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// The saved plan (plan.csv from `tournee plan`, possibly edited).
    #[arg(long)]
    plan: PathBuf,
    /// The commune table the plan was made for.
    #[arg(long)]
    territory: Option<PathBuf>,
    /// The scenario the plan was made for.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// OpenStreetMap extract: routes on the map follow the roads.
    #[arg(long)]
    osm: Option<PathBuf>,
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Write plan.csv for French spreadsheets: `;`, decimal comma, UTF-8 BOM.
    #[arg(long)]
    csv_french: bool,
}

pub fn run(args: Args) -> Result<()> {
    let (territory, mut scenario) = pipeline::load_inputs(args.territory.as_deref(), args.scenario.as_deref())?;
    if args.osm.is_some() {
        scenario.osm = args.osm;
    }
    let pipeline::Prepared { instance, network, .. } = pipeline::instance(territory, &scenario, &Bars)?;
    let plan = pipeline::saved_plan(&instance, &args.plan)?;
    out(&output::text::calendar_text(&instance, &plan, super::lang()))?;
    let run = RunInfo {
        seed: None,
        iterations: None,
        moved: None,
    };
    let to = PlanOutput {
        out: &args.out,
        force: args.force,
        csv_french: args.csv_french,
        extra: Vec::new(),
    };
    write_plan(to, &instance, &plan, run, &scenario, network)
}
