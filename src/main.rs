//! The `tournee` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use tournee::export::{self, RunInfo};
use tournee::model::Instance;
use tournee::solver::SolveOptions;
use tournee::{Result, pipeline};

#[derive(Parser)]
#[command(
    name = "tournee",
    version,
    about = "Plans the monthly tours of mobile public-service buses"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Plan the monthly tour of a territory (default: Pays d'Apt-Luberon).
    Plan(PlanArgs),
}

#[derive(clap::Args)]
struct PlanArgs {
    /// Commune table (CSV: insee,name,lat,lon,population[,…]).
    #[arg(long)]
    territory: Option<PathBuf>,
    /// Scenario (TOML): buses, sessions, frequency rule, month, travel model.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Output folder for plan.csv and summary.json.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Random seed; the same inputs and seed give the same plan.
    #[arg(long)]
    seed: Option<u64>,
    /// Local-search moves to try (more: better plans, slower).
    #[arg(long)]
    iterations: Option<u64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => run_plan(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.kind.exit_code() as u8)
        }
    }
}

fn run_plan(args: PlanArgs) -> Result<()> {
    let (territory, scenario) = pipeline::load_inputs(args.territory.as_deref(), args.scenario.as_deref())?;
    for note in &territory.notes {
        eprintln!("note: {}: {note}", territory.source.display());
    }
    let instance = Instance::straight_line(territory, &scenario)?;
    let options = SolveOptions {
        seed: args.seed.unwrap_or(scenario.solver.seed),
        iterations: args.iterations.unwrap_or(scenario.solver.iterations),
    };
    let plan = pipeline::plan(&instance, options, &progress_bar("solving"))?;
    print!("{}", export::calendar_text(&instance, &plan));
    let run = RunInfo {
        seed: options.seed,
        iterations: options.iterations,
    };
    let written = export::write_outputs(&args.out, &instance, &plan, run)?;
    for path in written {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// A progress bar on stderr that stays hidden when stderr is not a terminal.
fn progress_bar(label: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {percent}% ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(label);
    bar
}
