//! `tournee serve`: the workbench in the browser, on 127.0.0.1 only.

use super::Bars;
use super::inputs::Inputs;
use std::path::PathBuf;
use tournee::workbench::Workbench;
use tournee::workbench::server::{Serve, Settings};
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// A plan folder (or plan.csv) to edit; without it, a plan is solved first.
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Where "Enregistrer" writes the plan folder (default: the --plan folder, else `out`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Random seed for solving and re-optimising.
    #[arg(long)]
    seed: Option<u64>,
    /// Ruin-and-recreate iterations for solving and re-optimising.
    #[arg(long)]
    iterations: Option<u64>,
}

pub fn run(args: Args) -> Result<()> {
    let (territory, scenario) = args.inputs.load()?;
    let solver = scenario.solver.overridden(args.seed, args.iterations)?;
    let prepared = pipeline::instance(territory, &scenario, &Bars)?;
    let instance = prepared.instance;
    let geometry = pipeline::road_geometry(&scenario, &instance, prepared.network, &Bars)?;
    let plan = match &args.plan {
        Some(path) => pipeline::saved_plan(&instance, path)?,
        None => tournee::schedule::solve_checked(&instance, solver, &Bars)?,
    };
    let folder = args.plan.as_ref().map(|p| {
        if p.is_dir() {
            p.clone()
        } else {
            p.parent().map(PathBuf::from).unwrap_or_default()
        }
    });
    let out = args.out.or(folder).unwrap_or_else(|| PathBuf::from("out"));
    let serve = Serve::bind(
        Workbench::new(instance, plan),
        args.port,
        Settings {
            out,
            solver,
            geometry,
            lang: super::page_lang(),
        },
    )?;
    // The one line a script waits for; Ctrl-C stops the server.
    println!("tournee serve: {} (Ctrl-C to stop)", serve.url());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    serve.run();
    Ok(())
}
