//! The `tournee` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tournee::export::{self, RunInfo};
use tournee::progress::Progress;
use tournee::road::{self, Timings, profile::CarProfile};
use tournee::solver::SolveOptions;
use tournee::{Result, io, pipeline, territory};

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
    /// Road travel-time matrix between points, from an OSM extract.
    Matrix(MatrixArgs),
    /// Write calendars, posters, map and spreadsheet from a saved plan.csv.
    Export(ExportArgs),
    /// Access to fixed sites and bus stops: who is how far, hours of presence, km and CO2.
    Coverage(CoverageArgs),
    /// Coverage scenarios side by side, and the communes that gain or lose access.
    Compare(CompareArgs),
    /// Choose stops and frequencies that bring the most people within reach under a budget, then plan them.
    Select(SelectArgs),
    /// Generate a synthetic département: roads as .osm.pbf, communes CSV and a scenario.
    Synth(SynthArgs),
    /// Benchmarks printed as JSON lines, with a peer measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// PBF → matrix end to end, and the matrix alone, against OSRM.
    Matrix(BenchMatrixArgs),
    /// Cordeau PVRP instances: cost, gap to the best known, feasibility.
    Pvrp(BenchPvrpArgs),
    /// The shipped territories: solve time, cost (drive seconds), memory.
    Plan(BenchPlanArgs),
}

#[derive(clap::Args)]
struct BenchPlanArgs {
    /// Ruin-and-recreate iterations per search chain (default: each scenario's).
    #[arg(long)]
    iterations: Option<u64>,
    /// Runs per territory (seeds 1…N); the best time and cost are reported.
    #[arg(long, default_value_t = 3)]
    repeat: u64,
    /// Synthetic territories of these sizes instead of the shipped ones, e.g. `25,100,300,600`.
    #[arg(long, value_delimiter = ',')]
    synth: Option<Vec<usize>>,
    /// With --synth: numbers of buses, e.g. `1,2,4,6`.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    buses: Vec<usize>,
}

#[derive(clap::Args)]
struct BenchPvrpArgs {
    /// Folder of Cordeau-format instances (`*.txt`).
    #[arg(long)]
    instances: PathBuf,
    /// Best-known values (`instance,bks,…`); default: `INSTANCES/../bks.csv` if present.
    #[arg(long)]
    bks: Option<PathBuf>,
    /// Seconds per instance.
    #[arg(long, default_value_t = 10.0)]
    time_limit: f64,
    /// Iterations per instance (reproducible); stops at whichever comes first.
    #[arg(long)]
    iterations: Option<u64>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Parallel search chains (one per core is best).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Where to write `<instance>.res` solutions.
    #[arg(long, default_value = "out/pvrp")]
    out: PathBuf,
    /// Peer solver run on each instance with the same time limit
    /// (e.g. `scripts/ortools-pvrp.py`).
    #[arg(long)]
    peer: Option<PathBuf>,
}

#[derive(clap::Args)]
struct BenchMatrixArgs {
    #[arg(long)]
    osm: PathBuf,
    /// Points: `lon,lat` lines or a commune table.
    #[arg(long)]
    points: PathBuf,
    /// Peer script (`osrm-peer.sh`); without it, only our figures.
    #[arg(long)]
    peer: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ExportArgs {
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

#[derive(clap::Args)]
struct MatrixArgs {
    /// OpenStreetMap extract: .osm.pbf, .osm or .osm.gz.
    #[arg(long)]
    osm: PathBuf,
    /// Points: `lon,lat` lines, or a commune table (CSV).
    #[arg(long)]
    points: PathBuf,
    /// Output CSV of seconds: row i = from point i, empty = unreachable.
    #[arg(long)]
    out: PathBuf,
    /// Also write road distances in metres to this CSV.
    #[arg(long)]
    distances: Option<PathBuf>,
    /// Car profile overrides (TOML, see docs/road-network.md).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Print a JSON line of timings (load, snap, preprocess, matrix).
    #[arg(long)]
    timings: bool,
    /// Recompute even if the matrix is cached.
    #[arg(long)]
    no_cache: bool,
}

/// Overrides of a scenario's `[coverage]` section.
#[derive(clap::Args, Clone)]
struct CoverageOptions {
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
    /// OpenStreetMap extract for road access times (straight-line estimates without).
    #[arg(long)]
    osm: Option<PathBuf>,
}

impl CoverageOptions {
    fn apply(self, scenario: &mut tournee::scenario::Scenario) -> Result<()> {
        let c = &mut scenario.coverage;
        c.sites = self.sites.or(c.sites.take());
        if let Some(t) = self.thresholds {
            if t.is_empty() || t.iter().any(|m| !(*m > 0.0 && *m <= 600.0)) {
                return Err(tournee::Error::input(
                    tournee::error::Location::default().field("--thresholds"),
                    "expected minutes between 0 and 600, e.g. 10,20,30",
                ));
            }
            c.thresholds_minutes = t;
        }
        if let Some(m) = self.presence_minutes {
            if !(1.0..=600.0).contains(&m) {
                return Err(tournee::Error::input(
                    tournee::error::Location::default().field("--presence-minutes"),
                    format!("{m}: expected minutes between 1 and 600"),
                ));
            }
            c.presence_minutes = m;
        }
        c.include_mobile_sites |= self.include_mobile_sites;
        if self.osm.is_some() {
            scenario.osm = self.osm;
        }
        Ok(())
    }
}

#[derive(clap::Args)]
struct CoverageArgs {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,

    /// Commune table (CSV: insee,name,lat,lon,population).
    #[arg(long)]
    territory: Option<PathBuf>,
    /// Scenario (TOML) whose `[coverage]` section names sites, plan and assumptions.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// A plan folder (or plan.csv) from `tournee plan`: its stops are the bus service.
    #[arg(long)]
    plan: Option<PathBuf>,
    #[command(flatten)]
    options: CoverageOptions,
    /// Output folder for coverage.csv, coverage.json and coverage.geojson.
    #[arg(long, default_value = "out/coverage")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,

    /// Scenario files; the first is the reference. A scenario without
    /// `[coverage] plan` has its buses planned now.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    options: CoverageOptions,
    /// Communes listed per direction (gain, loss) and scenario.
    #[arg(long, default_value_t = 15)]
    show: usize,
    /// Also write compare.csv and each scenario's coverage files here.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SelectArgs {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,

    /// Half-days of bus presence a month to spend.
    #[arg(long)]
    budget: u32,
    /// A commune is within reach of a service point at most this many minutes away.
    #[arg(long, default_value_t = 15.0)]
    minutes: f64,
    /// Commune table (CSV: insee,name,lat,lon,population); rows with
    /// `visits_per_month = 0` never host the bus.
    #[arg(long)]
    territory: Option<PathBuf>,
    /// Scenario (TOML): buses, sessions, frequency rule and `[coverage] sites`.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Fixed service points: the France Services CSV, or `name,lat,lon,hours`.
    #[arg(long)]
    sites: Option<PathBuf>,
    /// Keep the mobile rows of the France Services list (their base address).
    #[arg(long)]
    include_mobile_sites: bool,
    /// OpenStreetMap extract for road times (straight-line estimates without).
    #[arg(long)]
    osm: Option<PathBuf>,
    /// Output folder: selection.csv and the plan of the chosen stops.
    #[arg(long, default_value = "out/select")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct SynthArgs {
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Communes (two of them on an island reached by ferry).
    #[arg(long, default_value_t = 320)]
    communes: usize,
    /// Road nodes to reach, at least.
    #[arg(long, default_value_t = 1_000_000)]
    road_nodes: usize,
    /// Buses of the scenario written beside the data.
    #[arg(long, default_value_t = 4)]
    buses: usize,
    /// Output folder: roads.osm.pbf, communes.csv, scenario.toml, points.txt (5,000 random `lon,lat`).
    #[arg(long, default_value = "out/synth")]
    out: PathBuf,
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
struct PlanArgs {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,

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
    /// Ruin-and-recreate iterations per search chain (more: better plans, slower).
    #[arg(long)]
    iterations: Option<u64>,
    /// OpenStreetMap extract for road travel times (.osm.pbf, .osm, .osm.gz).
    #[arg(long)]
    osm: Option<PathBuf>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => run_plan(args),
        Command::Matrix(args) => run_matrix(args),
        Command::Export(args) => run_export(args),
        Command::Coverage(args) => run_coverage(args),
        Command::Compare(args) => run_compare(args),
        Command::Select(args) => run_select(args),
        Command::Synth(args) => run_synth(args),
        Command::Bench(BenchCommand::Matrix(args)) => run_bench_matrix(args),
        Command::Bench(BenchCommand::Pvrp(args)) => run_bench_pvrp(args),
        Command::Bench(BenchCommand::Plan(args)) => run_bench_plan(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.kind.exit_code() as u8)
        }
    }
}

/// One benchmark JSON line on stdout, with every common field.
fn bench_line(line: serde_json::Value) {
    out(&format!("{}\n", tournee::bench::with_schema(line)));
}

/// Writes to stdout; a reader that went away (`| head`) is not an error
/// worth a panic, so a broken pipe is ignored.
fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn run_plan(args: PlanArgs) -> Result<()> {
    let (territory, mut scenario) = pipeline::load_inputs(args.territory.as_deref(), args.scenario.as_deref())?;
    for note in &territory.notes {
        eprintln!("note: {}: {note}", territory.source.display());
    }
    if args.osm.is_some() {
        scenario.osm = args.osm;
    }
    let pipeline::Prepared {
        mut instance,
        warnings,
        network,
    } = pipeline::instance(territory, &scenario, Progress::terminal())?;
    let kept = match &args.previous {
        Some(path) => Some(instance.keep_previous(&tournee::plan::read_previous(path, &instance.buses)?, args.lock)),
        None => None,
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let options = SolveOptions {
        seed: args.seed.unwrap_or(scenario.solver.seed),
        iterations: args.iterations.unwrap_or(scenario.solver.iterations),
    };
    let mut plan = pipeline::plan(&instance, options, &Progress::terminal().bar("solving"))?;
    if args.exact {
        plan = exact_mode(&instance, plan)?;
    }
    out(&export::calendar_text(&instance, &plan));
    let moved = kept.map(|kept| {
        let moved = instance.moved(&plan);
        out(&format!(
            "Stability: {moved} of the {kept} communes carried over from the previous plan moved\n"
        ));
        moved
    });
    let run = RunInfo {
        seed: Some(options.seed),
        iterations: Some(options.iterations),
        moved,
    };
    let to = PlanOutput {
        out: &args.out,
        existing: existing(args.force),
        csv_french: args.csv_french,
        extra: Vec::new(),
    };
    write_all(to, &instance, &plan, run, &scenario, network)
}

/// Median, 90th percentile and maximum snap distance, and points not snapped.
fn snap_summary(snaps: &[Option<f64>]) -> serde_json::Value {
    let mut d: Vec<f64> = snaps.iter().flatten().copied().collect();
    d.sort_by(f64::total_cmp);
    let at = |q: f64| {
        d.get(((d.len() as f64 - 1.0) * q).round() as usize)
            .map(|v| (v * 10.0).round() / 10.0)
    };
    serde_json::json!({"median": at(0.5), "p90": at(0.9), "max": d.last(), "unsnapped": snaps.len() - d.len()})
}

/// Writes every output of a checked plan; with an OSM network, routes on
/// the map follow the roads.
/// How the output folder of a run is treated, from `--force`.
fn existing(force: bool) -> io::Existing {
    if force {
        io::Existing::Overwrite
    } else {
        io::Existing::Refuse
    }
}

/// Everything a plan run writes, and where.
struct PlanOutput<'a> {
    out: &'a std::path::Path,
    existing: io::Existing,
    csv_french: bool,
    /// Files written beside the plan's (selection.csv).
    extra: Vec<(String, Vec<u8>)>,
}

fn write_all(
    to: PlanOutput,
    instance: &tournee::model::Instance,
    plan: &tournee::plan::Plan,
    run: RunInfo,
    scenario: &tournee::scenario::Scenario,
    network: Option<road::Network>,
) -> Result<()> {
    let style = if to.csv_french {
        export::CsvStyle::French
    } else {
        export::CsvStyle::Plain
    };
    let geometry = pipeline::road_geometry(scenario, instance, network, Progress::terminal())?;
    let legs = geometry
        .as_ref()
        .map_or(tournee::map::Legs::Straight, tournee::map::Legs::Road);
    let mut files = export::output_files(instance, plan, run, style, &legs)?;
    files.extend(to.extra);
    for path in io::write_folder(to.out, files, to.existing)? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Re-exports a saved plan.csv (possibly edited by hand) after checking it.
fn run_export(args: ExportArgs) -> Result<()> {
    let (territory, mut scenario) = pipeline::load_inputs(args.territory.as_deref(), args.scenario.as_deref())?;
    if args.osm.is_some() {
        scenario.osm = args.osm;
    }
    let pipeline::Prepared { instance, network, .. } = pipeline::instance(territory, &scenario, Progress::terminal())?;
    let plan = pipeline::saved_plan(&instance, &args.plan)?;
    out(&export::calendar_text(&instance, &plan));
    let run = RunInfo {
        seed: None,
        iterations: None,
        moved: None,
    };
    let to = PlanOutput {
        out: &args.out,
        existing: existing(args.force),
        csv_french: args.csv_french,
        extra: Vec::new(),
    };
    write_all(to, &instance, &plan, run, &scenario, network)
}

fn run_coverage(args: CoverageArgs) -> Result<()> {
    let (territory, mut scenario) = pipeline::load_inputs_with(
        args.territory.as_deref(),
        args.scenario.as_deref(),
        territory::Unlocated::SetAside,
    )?;
    for note in &territory.notes {
        eprintln!("note: {}: {note}", territory.source.display());
    }
    args.options.apply(&mut scenario)?;
    let bus = match args.plan.or(scenario.coverage.plan.clone()) {
        Some(path) => pipeline::BusService::Saved(path),
        None => pipeline::BusService::None,
    };
    let coverage = pipeline::coverage(territory, &scenario, bus, Progress::terminal())?;
    for note in &coverage.notes {
        eprintln!("note: {note}");
    }
    out(&coverage.text());
    for path in io::write_folder(&args.out, coverage.files()?, existing(args.force))? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn run_compare(args: CompareArgs) -> Result<()> {
    let mut measured = Vec::new();
    let mut files = Vec::new();
    let options = args.options;
    for (k, path) in args.scenarios.iter().enumerate() {
        let (territory, mut scenario) = pipeline::load_inputs_with(None, Some(path), territory::Unlocated::SetAside)?;
        options.clone().apply(&mut scenario)?;
        let bus = match scenario.coverage.plan.clone() {
            Some(plan) => pipeline::BusService::Saved(plan),
            None => pipeline::BusService::Solve,
        };
        let coverage = pipeline::coverage(territory, &scenario, bus, Progress::terminal())?;
        let folder = format!("{}-{}", k + 1, tournee::ical::slug(&coverage.name));
        files.extend(
            coverage
                .files()?
                .into_iter()
                .map(|(name, bytes)| (format!("{folder}/{name}"), bytes)),
        );
        measured.push(coverage);
    }
    out(&tournee::compare::text(&measured, args.show));
    if let Some(dir) = &args.out {
        files.push(("compare.csv".into(), tournee::compare::csv(&measured)?));
        for path in io::write_folder(dir, files, existing(args.force))? {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn run_select(args: SelectArgs) -> Result<()> {
    if !(args.minutes > 0.0 && args.minutes <= 600.0) {
        return Err(tournee::Error::input(
            tournee::error::Location::default().field("--minutes"),
            format!("{}: expected minutes between 0 and 600", args.minutes),
        ));
    }
    let (territory, mut scenario) = pipeline::load_inputs(args.territory.as_deref(), args.scenario.as_deref())?;
    scenario.coverage.sites = args.sites.or(scenario.coverage.sites.take());
    scenario.coverage.include_mobile_sites |= args.include_mobile_sites;
    if args.osm.is_some() {
        scenario.osm = args.osm;
    }
    let selected = pipeline::select(territory, &scenario, args.budget, args.minutes, Progress::terminal())?;
    for note in &selected.notes {
        eprintln!("note: {note}");
    }
    let instance = &selected.prepared.instance;
    out(&tournee::select::report(
        &selected.problem,
        &selected.selection,
        &instance.territory,
        selected.minutes,
        &selected.travel_note,
    ));
    out(&export::calendar_text(instance, &selected.plan));
    let run = RunInfo {
        seed: Some(scenario.solver.seed),
        iterations: Some(scenario.solver.iterations),
        moved: None,
    };
    let selection_csv = tournee::select::csv(&selected.problem, &selected.selection, &instance.territory)?;
    let to = PlanOutput {
        out: &args.out,
        existing: existing(args.force),
        csv_french: false,
        extra: vec![("selection.csv".into(), selection_csv)],
    };
    let pipeline::Selected { prepared, plan, .. } = selected;
    write_all(to, &prepared.instance, &plan, run, &scenario, prepared.network)
}

fn run_synth(args: SynthArgs) -> Result<()> {
    let options = tournee::synth::SynthOptions {
        seed: args.seed,
        communes: args.communes,
        road_nodes: args.road_nodes,
    };
    tournee::synth::validate(&options)?;
    if !(1..=20).contains(&args.buses) {
        return Err(tournee::Error::input(
            tournee::error::Location::default().field("--buses"),
            format!("{}: expected 1 to 20 buses", args.buses),
        ));
    }
    let synthetic = tournee::synth::generate(options);
    let files = vec![
        ("roads.osm.pbf".to_string(), tournee::synth::pbf(&synthetic)?),
        ("communes.csv".to_string(), tournee::synth::communes_csv(&synthetic)?),
        (
            "scenario.toml".to_string(),
            tournee::synth::scenario_toml(&synthetic, args.buses).into_bytes(),
        ),
        ("points.txt".to_string(), tournee::synth::points_txt(&synthetic)),
    ];
    let population: u64 = synthetic.communes.iter().map(|c| u64::from(c.population)).sum();
    out(&format!(
        "Synthetic département (seed {}): {} communes, {population} inhabitants, {} road nodes, {} ways, PBF {:.1} MB\n",
        args.seed,
        synthetic.communes.len(),
        synthetic.nodes.len(),
        synthetic.ways.len(),
        files[0].1.len() as f64 / 1e6
    ));
    for path in io::write_folder(&args.out, files, existing(args.force))? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn run_bench_plan(args: BenchPlanArgs) -> Result<()> {
    let cases = match &args.synth {
        Some(sizes) => tournee::bench::synthetic_cases(sizes, &args.buses)?,
        None => tournee::bench::builtin_cases()?,
    };
    tournee::bench::plan(cases, args.iterations, args.repeat, bench_line)
}

fn run_bench_matrix(args: BenchMatrixArgs) -> Result<()> {
    let points = territory::read_points(&args.points)?;
    for line in tournee::bench::matrix(&args.osm, &points, args.peer.as_deref())? {
        bench_line(line);
    }
    Ok(())
}

/// `plan --exact`: the MILP optimum on small instances (and its plan), the
/// LP bound and the heuristic's gap to it on larger ones.
fn exact_mode(instance: &tournee::model::Instance, plan: tournee::plan::Plan) -> Result<tournee::plan::Plan> {
    let heuristic = tournee::exact::objective(instance, &plan);
    let communes = instance.demands.len();
    if communes > tournee::exact::MILP_MAX_COMMUNES {
        let pairings = tournee::exact::pairings(instance);
        if pairings > tournee::exact::LP_MAX_PAIRS {
            eprintln!(
                "exact: {communes} communes and {pairings} possible (morning, afternoon) pairings, more than the {} the LP bound handles; keeping the heuristic plan ({heuristic:.0} s) without a bound",
                tournee::exact::LP_MAX_PAIRS
            );
            return Ok(plan);
        }
        let bound = tournee::exact::lower_bound(instance)?;
        eprintln!(
            "exact: {communes} communes, more than the {} the MILP solves in reasonable time; LP bound {bound:.0} s, heuristic plan {heuristic:.0} s, at most {:.2} % above the optimum",
            tournee::exact::MILP_MAX_COMMUNES,
            (heuristic / bound.max(1e-9) - 1.0) * 100.0
        );
        return Ok(plan);
    }
    let optimum = tournee::exact::solve(instance)?;
    eprintln!(
        "exact: optimum {:.0} s (proven by the MILP); heuristic plan {heuristic:.0} s, {:.2} % above",
        optimum.objective,
        (heuristic / optimum.objective.max(1e-9) - 1.0) * 100.0
    );
    let problems = tournee::check::check(instance, &optimum.plan);
    if !problems.is_empty() {
        return Err(tournee::Error::internal(format!(
            "the MILP plan fails the checker: {}",
            problems.join("; ")
        )));
    }
    Ok(optimum.plan)
}

fn run_bench_pvrp(args: BenchPvrpArgs) -> Result<()> {
    let default_bks = args.instances.join("../bks.csv");
    let bks = match args
        .bks
        .as_deref()
        .or(default_bks.exists().then_some(default_bks.as_path()))
    {
        Some(path) => tournee::bench::read_bks(path)?,
        None => Default::default(),
    };
    let options = tournee::pvrp::solver::Options {
        seed: args.seed,
        iterations: args.iterations,
        time_limit: Some(std::time::Duration::from_secs_f64(args.time_limit)),
        max_ruin: None,
        threads: args.threads,
    };
    tournee::bench::pvrp(
        &args.instances,
        &args.out,
        &bks,
        options,
        args.peer.as_deref(),
        bench_line,
    )
}

fn run_matrix(args: MatrixArgs) -> Result<()> {
    let start = Instant::now();
    let profile = match &args.profile {
        Some(path) => CarProfile::from_path(path)?,
        None => CarProfile::default(),
    };
    let points = territory::read_points(&args.points)?;
    let mut timings = Timings::default();
    let (m, network) = road::matrix(
        &args.osm,
        &profile,
        &points,
        Progress::terminal(),
        !args.no_cache,
        &mut timings,
    )?;
    for w in &m.warnings {
        eprintln!("warning: {w}");
    }
    io::write_atomic(&args.out, &export::matrix_csv(m.n, 1, |i, j| m.seconds(i, j)))?;
    if let Some(path) = &args.distances {
        io::write_atomic(path, &export::matrix_csv(m.n, 1, |i, j| m.metres(i, j)))?;
    }
    if args.timings {
        let line = serde_json::json!({
            "load_s": timings.load_s,
            "snap_s": timings.snap_s,
            "preprocess_s": timings.preprocess_s,
            "matrix_s": timings.matrix_s,
            "total_s": start.elapsed().as_secs_f64(),
            "points": m.n,
            "snap_m": snap_summary(&m.snap_m),
            "cached": network.is_none(),
        });
        out(&format!("{line}\n"));
    }
    Ok(())
}
