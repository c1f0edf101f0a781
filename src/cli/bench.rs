//! `tournee bench`: benchmarks as JSON lines, each with a peer measured in
//! the same run.

use super::out;
use std::path::PathBuf;
use tournee::tools::{baseline, bench};
use tournee::{Result, input::territory};

/// `tournee bench [--baseline FILE] [--save-baseline FILE] <benchmark>`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// Compare with a stored run (JSON lines): exit 1 on a cost worse by
    /// more than --cost-tolerance or a ratio to the peer worse by more than
    /// --ratio-margin.
    #[arg(long, global = true)]
    baseline: Option<PathBuf>,
    /// Store this run's lines as a baseline.
    #[arg(long, global = true)]
    save_baseline: Option<PathBuf>,
    /// Relative cost increase tolerated against the baseline.
    #[arg(long, global = true, default_value_t = 0.01)]
    cost_tolerance: f64,
    /// Relative worsening of a speed ratio against the in-run peer tolerated (noise).
    #[arg(long, global = true, default_value_t = 0.25)]
    ratio_margin: f64,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// PBF → matrix end to end, and the matrix alone, against OSRM.
    Matrix(MatrixArgs),
    /// Cordeau PVRP instances: cost, gap to the best known, feasibility.
    Pvrp(PvrpArgs),
    /// The shipped territories: solve time, cost (drive seconds), memory.
    Plan(PlanArgs),
    /// The national covering model with branch and bound, against the same without.
    National(NationalArgs),
    /// The corpus of real published tours: each published tour checked, and
    /// tournee's plan of it, km and bus days against the published ones.
    Published(PublishedArgs),
}

#[derive(clap::Args)]
pub struct PublishedArgs {
    /// The corpus: one folder per bus with scenario.toml and published.csv.
    #[arg(long, default_value = "data/published")]
    corpus: PathBuf,
}

#[derive(clap::Args)]
pub struct NationalArgs {
    /// National commune table (the layout of fr_communes_2026.csv).
    #[arg(long)]
    communes: PathBuf,
    /// Fixed service points: the France Services CSV.
    #[arg(long)]
    sites: PathBuf,
    /// Régions or départements (default: all of France).
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    region: Vec<String>,
    /// The fewest buses bringing this share within 20 minutes.
    #[arg(long, default_value_t = 0.99)]
    target_share: f64,
    /// Branch-and-bound nodes per département model.
    #[arg(long, default_value_t = 100)]
    nodes: u64,
}

#[derive(clap::Args)]
pub struct PlanArgs {
    /// Ruin-and-recreate iterations per search chain (default: each scenario's).
    #[arg(long)]
    iterations: Option<u64>,
    /// Runs per territory (seeds 1…N); the best time and cost are reported, and the mean cost with its standard error (`cost_se`, from two runs).
    #[arg(long, default_value_t = 3)]
    repeat: u64,
    /// Synthetic territories of these sizes instead of the shipped ones, e.g. `25,100,300,600`.
    #[arg(long, value_delimiter = ',')]
    synth: Option<Vec<usize>>,
    /// Also the LP bound `plan --exact` uses, and the best cost's gap above it (slower).
    #[arg(long)]
    bound: bool,
    /// With --synth: numbers of buses, e.g. `1,2,4,6`.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    buses: Vec<usize>,
}

/// `pvrp::Method` as the command line names it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SearchMethod {
    Portfolio,
    Anneal,
    Genetic,
}

#[derive(clap::Args)]
pub struct PvrpArgs {
    /// Folder of Cordeau-format instances (`*.txt`).
    #[arg(long)]
    instances: PathBuf,
    /// Best-known values (`instance,bks,…`); default: `INSTANCES/../bks.csv` if present.
    #[arg(long)]
    bks: Option<PathBuf>,
    /// Seconds per instance.
    #[arg(long, default_value_t = 10.0)]
    time_limit: f64,
    /// Iterations per instance; stops at whichever comes first. Reproducible
    /// only while the iterations lead: the search follows whichever budget is
    /// further spent, so on a busy machine give a generous --time-limit.
    #[arg(long)]
    iterations: Option<u64>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Parallel search chains (one per core is best).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// The search each chain runs: portfolio (genetic on even chains,
    /// annealing on odd ones; genetic islands on all where route durations
    /// are limited from one depot; annealing on all where a full route
    /// holds at most 7 visits), anneal or genetic (islands).
    #[arg(long, value_enum, default_value_t = SearchMethod::Portfolio)]
    method: SearchMethod,
    /// Where to write `<instance>.res` solutions.
    #[arg(long, default_value = "out/pvrp")]
    out: PathBuf,
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// Peer solver run on each instance with the same time limit
    /// (e.g. `scripts/ortools-pvrp.py`).
    #[arg(long)]
    peer: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct MatrixArgs {
    #[arg(long)]
    osm: PathBuf,
    /// Points: `lon,lat` lines or a commune table.
    #[arg(long)]
    points: PathBuf,
    /// Peer script (`osrm-peer.sh`); without it, only our figures.
    #[arg(long)]
    peer: Option<PathBuf>,
}

/// Runs the benchmark, printing its lines, then saves and compares them.
pub fn run(args: Args) -> Result<()> {
    let tolerances = baseline::Tolerances::new(args.cost_tolerance, args.ratio_margin)?;
    let stored = args.baseline.as_deref().map(baseline::read).transpose()?;
    let mut lines = Vec::new();
    run_command(args.command, &mut |line| {
        let line = bench::with_schema(line);
        out(&format!("{line}\n"))?;
        lines.push(line);
        Ok(())
    })?;
    if let Some(path) = &args.save_baseline {
        tournee::output::folder::write_atomic(path, baseline::to_jsonl(&lines).as_bytes())?;
    }
    let (Some(stored), Some(path)) = (stored, &args.baseline) else {
        return Ok(());
    };
    let regressions = baseline::compare(&stored, &lines, tolerances);
    if regressions.is_empty() {
        eprintln!("no regression against {} ({} lines)", path.display(), stored.len());
        return Ok(());
    }
    Err(tournee::Error::internal(format!(
        "{} regression(s) against {}:\n  {}",
        regressions.len(),
        path.display(),
        regressions.join("\n  ")
    )))
}

fn run_command(command: Command, line_out: &mut dyn FnMut(serde_json::Value) -> Result<()>) -> Result<()> {
    match command {
        Command::Matrix(args) => {
            let points = territory::read_points(&args.points)?;
            bench::matrix(&args.osm, &points, args.peer.as_deref())?
                .into_iter()
                .try_for_each(line_out)
        }
        Command::Pvrp(args) => pvrp(args, line_out),
        Command::Plan(args) => {
            let cases = match &args.synth {
                Some(sizes) => bench::synthetic_cases(sizes, &args.buses)?,
                None => bench::builtin_cases()?,
            };
            bench::plan(cases, args.iterations, args.repeat, args.bound, line_out)
        }
        Command::Published(args) => bench::published(&args.corpus, line_out),
        Command::National(args) => {
            let table = tournee::input::communes::read(&args.communes)?;
            let sites = tournee::input::sites::read_sites(&args.sites, false)?;
            let settings = tournee::national::Settings {
                minutes: 20.0,
                visits: 2,
                goal: tournee::national::Goal::Share(args.target_share),
                areas: args.region,
                nodes: args.nodes,
            };
            bench::national(&table, &sites.points, settings)?
                .into_iter()
                .try_for_each(line_out)
        }
    }
}

fn pvrp(args: PvrpArgs, line_out: &mut dyn FnMut(serde_json::Value) -> Result<()>) -> Result<()> {
    let default_bks = args.instances.join("../bks.csv");
    let bks = match args
        .bks
        .as_deref()
        .or(default_bks.exists().then_some(default_bks.as_path()))
    {
        Some(path) => bench::read_bks(path)?,
        None => Default::default(),
    };
    let options = pvrp::Options {
        seed: args.seed,
        threads: args.threads,
        method: match args.method {
            SearchMethod::Portfolio => pvrp::Method::Portfolio,
            SearchMethod::Anneal => pvrp::Method::Anneal,
            SearchMethod::Genetic => pvrp::Method::Genetic,
        },
        ..pvrp::Options::new(bench::pvrp_budget(args.time_limit, args.iterations)?)
    };
    bench::pvrp(
        &args.instances,
        (args.out.as_path(), super::existing(args.force)),
        &bks,
        options,
        args.peer.as_deref(),
        line_out,
    )
}
