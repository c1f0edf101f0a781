//! `tournee select`: choose stops and frequencies under a budget of
//! half-days, then plan them.

use super::inputs::Inputs;
use super::plan::{PlanOutput, write_plan};
use super::{Bars, out};
use std::path::PathBuf;
use tournee::coverage::select;
use tournee::output::{self, RunInfo};
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// Half-days of bus presence a month to spend.
    #[arg(long)]
    budget: u32,
    /// A commune is within reach of a service point at most this many minutes away.
    #[arg(long, default_value_t = 15.0)]
    minutes: f64,
    /// The commune table (rows with `visits_per_month = 0` never host the
    /// bus), the scenario (with its `[coverage] sites`) and roads.
    #[command(flatten)]
    inputs: Inputs,
    /// Fixed service points: the France Services CSV, or `name,lat,lon,hours`.
    #[arg(long)]
    sites: Option<PathBuf>,
    /// Keep the mobile rows of the France Services list (their base address).
    #[arg(long)]
    include_mobile_sites: bool,
    /// Output folder: selection.csv and the plan of the chosen stops.
    #[arg(long, default_value = "out/select")]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let (territory, mut scenario) = args.inputs.load()?;
    scenario.coverage.sites = args.sites.or(scenario.coverage.sites.take());
    scenario.coverage.include_mobile_sites |= args.include_mobile_sites;
    let selected = pipeline::select(territory, &scenario, args.budget, args.minutes, &Bars)?;
    for note in &selected.notes {
        eprintln!("note: {note}");
    }
    let instance = &selected.prepared.instance;
    out(&select::report(
        &selected.problem,
        &selected.selection,
        &instance.territory,
        selected.minutes,
        &selected.travel_note,
    ))?;
    out(&output::text::calendar_text(instance, &selected.plan, super::lang()))?;
    let run = RunInfo {
        seed: Some(scenario.solver.seed),
        iterations: Some(scenario.solver.iterations),
        moved: None,
    };
    let selection_csv = select::csv(&selected.problem, &selected.selection, &instance.territory)?;
    let to = PlanOutput {
        out: &args.out,
        force: args.force,
        csv_french: false,
        extra: vec![("selection.csv".into(), selection_csv)],
    };
    let pipeline::Selected { prepared, plan, .. } = selected;
    write_plan(to, &prepared.instance, &plan, run, &scenario, prepared.network)
}
