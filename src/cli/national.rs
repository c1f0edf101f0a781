//! `tournee national`: how many buses, where, to bring the population
//! within reach of a France Services desk or bus stop.

use super::inputs::Roads;
use super::{Bars, out, write_folder};
use road::{Network, Timings};
use std::path::PathBuf;
use tournee::input::scenario::{Scenario, refuse_zero_iterations};
use tournee::national::{self, Goal, Settings};
use tournee::output::RunInfo;
use tournee::{Result, input};

/// Ruin-and-recreate iterations per bus tour when neither the scenario nor
/// `--iterations` says: a national run plans hundreds of 20-stop tours.
const TOUR_ITERATIONS: u64 = 5_000;

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("goal").required(true).args(["buses", "target_share"]))]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// National commune table (the layout of fr_communes_2026.csv).
    #[arg(long)]
    communes: PathBuf,
    /// Fixed service points: the France Services CSV (mobile rows set aside), or `name,lat,lon,hours`.
    #[arg(long)]
    sites: PathBuf,
    /// A service point is within reach at most this many minutes away.
    #[arg(long, default_value_t = 20.0)]
    minutes: f64,
    /// Visits each bus stop gets per cycle (a month of 4 weeks by default).
    #[arg(long, default_value_t = 2)]
    visits: u8,
    /// At most this many buses.
    #[arg(long)]
    buses: Option<usize>,
    /// The fewest buses bringing this share of the population within reach (0.99 = 99 %).
    #[arg(long)]
    target_share: Option<f64>,
    /// Régions or départements to keep: `84`, `46`, `region:24`, `dep:24` (repeat or comma-separate).
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    region: Vec<String>,
    /// Scenario (TOML): the buses' weekdays, sessions, cycle, max_drive_minutes and solver settings.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Random seed of the tour solver.
    #[arg(long)]
    seed: Option<u64>,
    /// Ruin-and-recreate iterations per bus tour (default 5,000, or the scenario's).
    #[arg(long)]
    iterations: Option<u64>,
    /// Branch-and-bound nodes per département model: effort, not time, so results reproduce.
    #[arg(long, default_value_t = 100)]
    nodes: u64,
    /// Road times between the communes the extract covers (straight-line
    /// estimates for every trip with an end outside it).
    #[command(flatten)]
    roads: Roads,
    /// Output folder.
    #[arg(long, default_value = "out/national")]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    refuse_zero_iterations(args.iterations)?;
    let mut scenario = match &args.scenario {
        Some(path) => Scenario::from_path(path)?,
        None => {
            let mut s = Scenario::default();
            s.solver.iterations = TOUR_ITERATIONS;
            s
        }
    };
    scenario.solver = scenario.solver.overridden(args.seed, args.iterations)?;
    let goal = match (args.buses, args.target_share) {
        (Some(n), _) => Goal::Buses(n),
        (None, Some(s)) => Goal::Share(s),
        (None, None) => unreachable!("clap requires --buses or --target-share"),
    };
    let settings = Settings {
        minutes: args.minutes,
        visits: args.visits,
        goal,
        areas: args.region,
        nodes: args.nodes,
    };
    settings.validate(&scenario)?;
    let table = input::communes::read(&args.communes)?;
    let sites = input::sites::read_sites(&args.sites, false)?;
    args.roads.apply(&mut scenario);
    let network = match &args.roads.osm {
        Some(osm) => Some(Network::load(osm, &scenario.profile, &Bars, &mut Timings::default())?),
        None => None,
    };
    let result = national::run(table, &sites.points, &scenario, settings, network.as_ref(), &Bars)?;
    let tours = national::tours::plan_all(&result, &scenario, network.as_ref(), &Bars)?;
    out(&tournee::output::national::text(&result, &tours, sites.mobile_skipped))?;
    let run = RunInfo {
        seed: Some(scenario.solver.seed),
        iterations: Some(scenario.solver.iterations),
        moved: None,
    };
    let files = tournee::output::national::files(&result, &tours, &scenario, run)?;
    write_folder(&args.out, files, args.force)
}
