//! `tournee export`: re-export a saved plan.csv (possibly edited by hand)
//! after checking it.

use super::out;
use super::plan::{PlanOutput, write_plan};
use std::path::PathBuf;
use tournee::output::{self, RunInfo};
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    inputs: super::check::PlanInputs,
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Write plan.csv for French spreadsheets: `;`, decimal comma, UTF-8 BOM.
    #[arg(long)]
    csv_french: bool,
}

pub fn run(args: Args) -> Result<()> {
    let (scenario, pipeline::Prepared { instance, network, .. }) = args.inputs.prepare()?;
    let plan = pipeline::saved_plan(&instance, &args.inputs.plan)?;
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
