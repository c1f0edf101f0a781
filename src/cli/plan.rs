//! `tournee plan`: solve a territory's tour and write every output.

use super::inputs::Inputs;
use super::{Bars, out, write_folder};
use std::path::{Path, PathBuf};
use tournee::input::scenario::Scenario;
use tournee::output::{self, CsvStyle, RunInfo};
use tournee::schedule::model::Instance;
use tournee::schedule::plan::Plan;
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    inputs: Inputs,
    /// Output folder for plan.csv and summary.json.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Random seed; the same inputs and seed give the same plan.
    #[arg(long)]
    seed: Option<u64>,
    /// Ruin-and-recreate iterations per search chain (more: better plans, slower).
    #[arg(long)]
    iterations: Option<u64>,
    /// Solve to proven optimality with a MILP (small territories only),
    /// and report how far the heuristic plan is from the optimum.
    #[arg(long)]
    exact: bool,
    /// A previous plan.csv: communes keep their slots unless moving saves
    /// more than 4 h of driving each; the plan says how many moved.
    #[arg(long)]
    previous: Option<PathBuf>,
    /// With --previous: never move a commune off its previous slot.
    #[arg(long, requires = "previous")]
    lock: bool,
    /// Write plan.csv for French spreadsheets: `;`, decimal comma, UTF-8 BOM.
    #[arg(long)]
    csv_french: bool,
}

pub fn run(args: Args) -> Result<()> {
    let (territory, scenario) = args.inputs.load()?;
    for note in &territory.notes {
        eprintln!("note: {}: {note}", territory.source.display());
    }
    let pipeline::Prepared {
        mut instance,
        warnings,
        network,
    } = pipeline::instance(territory, &scenario, &Bars)?;
    let kept = match &args.previous {
        Some(path) => Some(pipeline::keep_previous(&mut instance, path, args.lock)?),
        None => None,
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let options = scenario.solver.overridden(args.seed, args.iterations)?;
    let mut plan = tournee::schedule::solve_checked(&instance, options, &Bars)?;
    if args.exact {
        let exact = pipeline::exact(&instance, plan)?;
        eprintln!("exact: {}", exact.note);
        plan = exact.plan;
    }
    out(&output::text::calendar_text(&instance, &plan, super::lang()))?;
    let moved = kept.map(|_| plan.moved(&instance));
    if let (Some(kept), Some(moved)) = (kept, moved) {
        out(&format!(
            "Stability: {moved} of the {kept} communes carried over from the previous plan moved\n"
        ))?;
    }
    let run = RunInfo {
        seed: Some(options.seed),
        iterations: Some(options.iterations),
        moved,
    };
    let to = PlanOutput {
        out: &args.out,
        force: args.force,
        csv_french: args.csv_french,
        extra: Vec::new(),
    };
    write_plan(to, &instance, &plan, run, &scenario, network)
}

/// Everything a plan run writes, and where.
pub struct PlanOutput<'a> {
    pub out: &'a Path,
    pub force: bool,
    pub csv_french: bool,
    /// Files written beside the plan's (selection.csv).
    pub extra: Vec<(String, Vec<u8>)>,
}

/// Writes every output of a checked plan; with an OSM network, routes on
/// the map follow the roads.
pub fn write_plan(
    to: PlanOutput,
    instance: &Instance,
    plan: &Plan,
    run: RunInfo,
    scenario: &Scenario,
    network: Option<road::Network>,
) -> Result<()> {
    let style = if to.csv_french {
        CsvStyle::French
    } else {
        CsvStyle::Plain
    };
    let geometry = pipeline::road_geometry(scenario, instance, network, &Bars)?;
    let legs = geometry
        .as_ref()
        .map_or(output::map::Legs::Straight, output::map::Legs::Road);
    let mut files = output::output_files(instance, plan, run, style, &legs)?;
    files.extend(to.extra);
    write_folder(to.out, files, to.force)
}
