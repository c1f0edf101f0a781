//! The end-to-end path the CLI, tests and benches share: load the inputs
//! (or the embedded default territory), build the instance, solve, check.

use crate::error::{Error, Location, Result};
use crate::input::plan_csv::{Context, SavedPlan};
use crate::input::scenario::Scenario;
use crate::input::territory::{Territory, Unlocated};
use crate::schedule::build::{Purpose, resolve_buses};
use crate::schedule::check;
use crate::schedule::model::{Instance, half_days, matrix_points};
use crate::schedule::plan::Plan;
use crate::travel::{MAX_STOP_SNAP_M, TravelMatrix};
use road::{Network, Progress, RoadGeometry, Timings};
use std::path::{Path, PathBuf};

/// A territory shipped in `data/` and compiled into the binary, so that
/// `tournee plan` works from any directory.
pub struct Builtin {
    pub territory_file: &'static str,
    pub territory_csv: &'static str,
    pub scenario_file: &'static str,
    pub scenario_toml: &'static str,
}

macro_rules! builtin {
    ($stem:literal) => {
        Builtin {
            territory_file: concat!("data/", $stem, ".csv"),
            territory_csv: include_str!(concat!("../data/", $stem, ".csv")),
            scenario_file: concat!("data/", $stem, ".toml"),
            scenario_toml: include_str!(concat!("../data/", $stem, ".toml")),
        }
    };
}

/// The four real territories; the first is the default.
pub const BUILTINS: [Builtin; 4] = [
    builtin!("pays_apt_luberon"),
    builtin!("thierache_sambre_oise"),
    builtin!("grand_cahors"),
    builtin!("coeur_coteaux_comminges"),
];

impl Builtin {
    pub fn load(&self) -> Result<(Territory, Scenario)> {
        let scenario = Scenario::parse(self.scenario_toml, Path::new(self.scenario_file))?;
        let territory = Territory::parse(self.territory_csv, Path::new(self.territory_file))?;
        Ok((territory, scenario))
    }
}

/// Reads the territory and scenario the user named. With neither, the
/// embedded default; with a territory alone, the default rules and one bus
/// at its most populous commune.
pub fn load_inputs(territory: Option<&Path>, scenario: Option<&Path>) -> Result<(Territory, Scenario)> {
    load_inputs_with(territory, scenario, Unlocated::Refuse)
}

/// [`load_inputs`] with a policy for communes without coordinates.
pub fn load_inputs_with(
    territory: Option<&Path>,
    scenario: Option<&Path>,
    unlocated: Unlocated,
) -> Result<(Territory, Scenario)> {
    load_inputs_from(territory, None, scenario, unlocated)
}

/// [`load_inputs_with`], the table read from sheet `sheet` of a
/// spreadsheet.
pub fn load_inputs_from(
    territory: Option<&Path>,
    sheet: Option<&str>,
    scenario: Option<&Path>,
    unlocated: Unlocated,
) -> Result<(Territory, Scenario)> {
    let scenario = match scenario {
        Some(path) => Scenario::from_path(path)?,
        None if territory.is_none() => return BUILTINS[0].load(),
        None => Scenario::default(),
    };
    let path: PathBuf = match (territory, &scenario.territory) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => p.clone(),
        (None, None) => {
            return Err(Error::input(
                Location::default().field("territory"),
                "the scenario names no territory: add `territory = \"communes.csv\"` to it or pass --territory FILE",
            ));
        }
    };
    Ok((Territory::read_sheet(&path, unlocated, sheet)?, scenario))
}

/// An instance ready to solve, what the user must hear about it, and the
/// road network if building it meant loading one.
pub struct Prepared {
    pub instance: Instance,
    /// Far snaps and similar remarks.
    pub warnings: Vec<String>,
    /// Kept so that route geometry does not read the OSM file again.
    pub network: Option<Network>,
}

/// Builds the instance with road times when the scenario (or `--osm`)
/// names an extract, straight-line estimates otherwise.
pub fn instance(territory: Territory, scenario: &Scenario, progress: &dyn Progress) -> Result<Prepared> {
    instance_for(territory, scenario, Purpose::Plan, progress)
}

/// [`instance`] for `purpose`: to check a saved plan, requests no plan
/// could meet are left to the checker.
pub fn instance_for(
    territory: Territory,
    scenario: &Scenario,
    purpose: Purpose,
    progress: &dyn Progress,
) -> Result<Prepared> {
    let Some(osm) = &scenario.osm else {
        let instance = Instance::straight_line_for(territory, scenario, purpose)?;
        return Ok(Prepared {
            instance,
            warnings: Vec::new(),
            network: None,
        });
    };
    let buses = resolve_buses(&territory, scenario)?;
    let points = matrix_points(&territory, &buses);
    let (m, network) = road::matrix(
        osm,
        &scenario.profile,
        &points,
        progress,
        &crate::travel::road_settings(true),
        &mut Timings::default(),
    )?;
    let names: Vec<String> = buses
        .iter()
        .map(|b| format!("depot of {} ({})", b.name, b.depot_label))
        .chain(
            territory
                .communes
                .iter()
                .map(|c| format!("{} ({}, line {})", c.name, c.insee, c.line)),
        )
        .collect();
    let far: Vec<String> = m
        .snap_m
        .iter()
        .zip(&names)
        .filter(|(d, _)| d.is_none_or(|d| d > MAX_STOP_SNAP_M))
        .map(|(d, name)| format!("{name}: {:.1} km", d.unwrap_or(f64::INFINITY) / 1000.0))
        .collect();
    if !far.is_empty() {
        return Err(Error::infeasible(format!(
            "{} point(s) lie more than {:.0} km from any road of {}; does the extract cover the territory?\n  {}",
            far.len(),
            MAX_STOP_SNAP_M / 1000.0,
            osm.display(),
            far.join("\n  ")
        )));
    }
    let warnings = m
        .snap_m
        .iter()
        .zip(&names)
        .filter(|(d, _)| d.is_some_and(|d| d > scenario.profile.warn_snap_m))
        .map(|(d, name)| format!("{name} is {:.0} m from the nearest road", d.unwrap_or_default()))
        .collect();
    let matrix = TravelMatrix::from_road(&m, osm);
    let instance = Instance::new_for(territory, scenario, buses, matrix, purpose)?;
    Ok(Prepared {
        instance,
        warnings,
        network,
    })
}

/// Road geometry for maps when the scenario names an OSM extract: over the
/// network already loaded if there is one, else loaded now (the matrix
/// came from the cache).
pub fn road_geometry(
    scenario: &Scenario,
    instance: &Instance,
    network: Option<Network>,
    progress: &dyn Progress,
) -> Result<Option<RoadGeometry>> {
    let Some(osm) = &scenario.osm else { return Ok(None) };
    let points = matrix_points(&instance.territory, &instance.buses);
    Ok(Some(match network {
        Some(network) => RoadGeometry::new(network, &scenario.profile, &points),
        None => RoadGeometry::load(osm, &scenario.profile, &points, progress)?,
    }))
}

/// Reads a saved plan.csv back as a plan of `instance`, and refuses it if
/// the checker finds a broken rule (a hand edit gone wrong).
pub fn saved_plan(instance: &Instance, path: &Path) -> Result<Plan> {
    let (plan, source) = read_plan(instance, path)?;
    check::verify(instance, &plan)
        .map_err(|broken| Error::input(Location::file(&source), format!("the plan {}", broken.listed())))?;
    Ok(plan)
}

/// Reads a saved plan as a plan of `instance` without judging it (the
/// checker's verdict is the caller's): the plan and the file it came from
/// (`plan.csv` inside `path` when `path` is a plan folder).
pub fn read_plan(instance: &Instance, path: &Path) -> Result<(Plan, std::path::PathBuf)> {
    let file = if path.is_dir() {
        path.join("plan.csv")
    } else {
        path.to_path_buf()
    };
    let saved = SavedPlan::read(&file, &plan_context(instance))?;
    // Buses named, visits grouped into patterns and each pattern on one of
    // its commune's lines of service, as a plan must be.
    let lines = crate::schedule::saved::series_on_lines(instance, &saved)?;
    // Each file row's half-day on its line (a FULL row is two half-days,
    // which may be two lines).
    let commune_of: std::collections::HashMap<(u64, crate::calendar::HalfDay), usize> = lines
        .iter()
        .flat_map(|(s, c)| {
            let halves = s.pattern.halves();
            s.lines
                .iter()
                .flat_map(move |&line| halves.clone().map(move |h| ((line, h), *c)))
        })
        .collect();
    let mut visits = Vec::new();
    for row in &saved.rows {
        let commune = commune_of[&(row.line, row.half)];
        let bus = instance
            .buses
            .iter()
            .position(|b| b.name == row.bus)
            .expect("checked by patterns_of");
        let session = instance.sessions_on(bus, row.weekday).get(row.half);
        let whole_session = (row.start, row.end) == (session.start, session.end);
        visits.push(crate::schedule::plan::Visit {
            bus,
            slot: crate::calendar::Slot {
                week: row.week,
                weekday: row.weekday,
                half: row.half,
            },
            commune,
            time: (!whole_session).then_some((row.start, row.end)),
        });
    }
    Ok((Plan::new(visits), file))
}

/// Where the bus service of a coverage run comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum BusService {
    /// Fixed sites only.
    None,
    /// A plan folder (or its `plan.csv`) written by `tournee plan`.
    Saved(PathBuf),
    /// Plan the scenario's buses now.
    Solve,
}

/// Measures a coverage scenario: the fixed sites the scenario names, the
/// bus stops of `bus`, with road times when it names an OSM extract.
pub fn coverage(
    territory: Territory,
    scenario: &Scenario,
    bus: BusService,
    progress: &dyn Progress,
) -> Result<crate::coverage::Coverage> {
    let (sites, mut notes) = fixed_sites(scenario)?;
    let name = scenario.name_for(&territory);
    let mut network = None;
    let (stops, bus_km_month) = match bus {
        BusService::None => (Vec::new(), None),
        BusService::Saved(path) => {
            let context = Context {
                sessions: scenario.sessions,
                bus_hours: bus_hours(scenario.buses.iter().map(|b| (&b.name, &b.hours))),
                territory: Some(&territory),
            };
            saved_stops(&path, &context, &mut notes)?
        }
        BusService::Solve => {
            let prepared = instance(territory.clone(), scenario, progress)?;
            let plan = crate::schedule::solve_checked(&prepared.instance, scenario.solver, progress)?;
            network = prepared.network;
            // The plan's km are one cycle's: counted per month.
            let km =
                plan.totals(&prepared.instance).1.drive_metres / 1000.0 * prepared.instance.cycle.cycles_per_month();
            (plan.service_points(&prepared.instance), Some(km))
        }
    };
    let network = access_network(scenario, network, progress)?;
    let (travel, travel_note) = access_travel(scenario, network.as_ref());
    Ok(crate::coverage::measure(crate::coverage::Inputs {
        name,
        territory: &territory,
        sites,
        stops,
        bus_km_month,
        settings: scenario.coverage.clone(),
        travel: &travel,
        travel_note,
        notes,
    }))
}

/// The fixed sites a scenario names, and notes on rows set aside.
fn fixed_sites(scenario: &Scenario) -> Result<(Vec<crate::input::sites::ServicePoint>, Vec<String>)> {
    let settings = &scenario.coverage;
    let path = settings.sites.as_deref().ok_or_else(|| {
        Error::input(
            Location::default().field("coverage.sites"),
            "no fixed sites given: pass --sites FILE or add `sites = \"…\"` under [coverage] in the scenario",
        )
    })?;
    let sites = crate::input::sites::read_sites(path, settings.include_mobile_sites)?;
    let mut notes = Vec::new();
    if sites.mobile_skipped > 0 {
        notes.push(format!(
            "{}: {} mobile services (format_fs Itinérante or Bus_équivalent) set aside: their coordinates are a base, not a desk open to the public; --include-mobile-sites keeps them",
            path.display(),
            sites.mobile_skipped
        ));
    }
    Ok((sites.points, notes))
}

/// The road network for access times when the scenario names one: the one
/// already loaded, or read now.
fn access_network(scenario: &Scenario, loaded: Option<Network>, progress: &dyn Progress) -> Result<Option<Network>> {
    Ok(match (&scenario.osm, loaded) {
        (Some(_), Some(n)) => Some(n),
        (Some(osm), None) => Some(Network::load(
            osm,
            &scenario.profile,
            progress,
            &mut Timings::default(),
        )?),
        (None, _) => None,
    })
}

/// Road access over `network`, straight-line estimates without one, and
/// the sentence that says which.
fn access_travel<'a>(
    scenario: &'a Scenario,
    network: Option<&'a Network>,
) -> (crate::coverage::access::Access<'a>, String) {
    use crate::travel::TravelSource;
    match (network, &scenario.osm) {
        (Some(n), Some(osm)) => (
            crate::coverage::access::Access::road(n, &scenario.profile),
            TravelSource::Road(osm.clone()).describe(),
        ),
        _ => (
            crate::coverage::access::Access::StraightLine(scenario.travel),
            TravelSource::StraightLine(scenario.travel).describe(),
        ),
    }
}

/// A stop selection and the tour planned over the chosen stops.
pub struct Selected {
    pub problem: crate::coverage::select::CoverProblem,
    pub selection: crate::coverage::select::Selection,
    pub minutes: f64,
    pub travel_note: String,
    pub notes: Vec<String>,
    pub prepared: Prepared,
    pub plan: Plan,
}

/// Chooses the stops and frequencies that bring the most inhabitants
/// within `minutes` of a service under `budget` half-days a month, then
/// plans the tour of the chosen stops.
pub fn select(
    territory: Territory,
    scenario: &Scenario,
    budget: u32,
    minutes: f64,
    progress: &dyn Progress,
) -> Result<Selected> {
    if !(minutes > 0.0 && minutes <= 600.0) {
        return Err(Error::input(
            Location::default().field("--minutes"),
            format!("{minutes}: expected minutes between 0 and 600"),
        ));
    }
    let buses = resolve_buses(&territory, scenario)?;
    let capacity = half_days(&buses, &scenario.cycle) as u32;
    if budget == 0 || budget > capacity {
        return Err(Error::infeasible(format!(
            "a budget of {budget} half-days a cycle: expected 1 to {capacity}, the half-days {} bus(es) offer over {} weeks",
            buses.len(),
            scenario.cycle.weeks
        )));
    }
    let (sites, notes) = fixed_sites(scenario)?;
    let network = access_network(scenario, None, progress)?;
    let (travel, travel_note) = access_travel(scenario, network.as_ref());
    let problem = selection_problem(&territory, scenario, &travel, &sites, budget, minutes);
    let selection = crate::coverage::select::solve(&problem)?;
    let mut chosen = territory;
    for commune in &mut chosen.communes {
        commune.visits_per_month = Some(0);
    }
    for c in &selection.choices {
        chosen.communes[problem.candidates[c.candidate]].visits_per_month = Some(c.visits);
    }
    let prepared = instance(chosen, scenario, progress)?;
    let plan = crate::schedule::solve_checked(&prepared.instance, scenario.solver, progress)?;
    Ok(Selected {
        problem,
        selection,
        minutes,
        travel_note,
        notes,
        prepared,
        plan,
    })
}

/// The covering problem: communes farther than `minutes` from every fixed
/// site and from every commune served otherwise, the communes that may
/// host the bus, and who reaches whom.
fn selection_problem(
    territory: &Territory,
    scenario: &Scenario,
    travel: &crate::coverage::access::Access,
    sites: &[crate::input::sites::ServicePoint],
    budget: u32,
    minutes: f64,
) -> crate::coverage::select::CoverProblem {
    let seconds = minutes * 60.0;
    let centres: Vec<_> = territory.communes.iter().map(|c| c.centre).collect();
    // A commune that never hosts the bus (`visits_per_month = 0`) is served
    // otherwise, by its own desk: it reaches its neighbours like a site.
    let site_points: Vec<_> = sites
        .iter()
        .map(|s| s.at)
        .chain(
            territory
                .communes
                .iter()
                .filter(|c| c.visits_per_month == Some(0))
                .map(|c| c.stop),
        )
        .collect();
    let fixed = travel.nearest(&centres, &site_points);
    let demands: Vec<crate::coverage::select::Uncovered> = territory
        .communes
        .iter()
        .enumerate()
        .filter(|(i, _)| fixed[*i].is_none_or(|r| r.seconds > seconds))
        .map(|(i, c)| crate::coverage::select::Uncovered {
            commune: i,
            population: u64::from(c.population),
            need: scenario.frequency.visits_for(c.population).max(1),
        })
        .collect();
    let candidates: Vec<usize> = (0..territory.communes.len())
        .filter(|i| territory.communes[*i].visits_per_month != Some(0))
        .collect();
    let demand_centres: Vec<_> = demands.iter().map(|d| centres[d.commune]).collect();
    let stops: Vec<_> = candidates.iter().map(|&i| territory.communes[i].stop).collect();
    let mut reach = vec![Vec::new(); candidates.len()];
    for (d, found) in travel.within(&demand_centres, &stops, seconds).into_iter().enumerate() {
        for r in found {
            reach[r.point].push(d);
        }
    }
    crate::coverage::select::CoverProblem {
        demands,
        candidates,
        reach,
        budget,
    }
}

/// The stops of a saved plan and the bus km of the `summary.json` beside
/// it. Without one, the km are unknown and `notes` says so; a summary that
/// is there but unreadable or without `drive_km` is an error, not a
/// silent zero.
fn saved_stops(
    path: &Path,
    context: &Context,
    notes: &mut Vec<String>,
) -> Result<(Vec<crate::input::sites::ServicePoint>, Option<f64>)> {
    let saved = SavedPlan::read(path, context)?;
    let stops = crate::input::sites::saved_stops(&saved);
    let summary = saved.source.with_file_name("summary.json");
    let text = match std::fs::read_to_string(&summary) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            notes.push(format!(
                "{}: no summary.json beside the plan, so the bus's own km and CO2 are not counted",
                saved.source.display()
            ));
            return Ok((stops, None));
        }
        Err(e) => return Err(Error::io(&summary, e, crate::ErrorKind::Input)),
    };
    let km = serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|e| Error::input(Location::file(&summary).line(e.line() as u64), format!("not JSON: {e}")))?
        .get("drive_km")
        .and_then(serde_json::Value::as_f64)
        .filter(|km| km.is_finite() && *km >= 0.0)
        .ok_or_else(|| {
            Error::input(
                Location::file(&summary).field("drive_km"),
                "missing or not a number of km: expected the summary.json `tournee plan` writes",
            )
        })?;
    // A rolling cycle's summary counts one cycle: per month, as the rows.
    let per_month = saved
        .cycle_weeks
        .map_or(1.0, |n| crate::calendar::WEEKS_PER_MONTH / f64::from(n));
    Ok((stops, Some(km * per_month)))
}

/// Each bus's own hours, by name, as a saved plan's reader takes them.
fn bus_hours<'a>(
    buses: impl Iterator<
        Item = (
            &'a String,
            &'a Vec<(chrono::Weekday, crate::settings::service::Sessions)>,
        ),
    >,
) -> Vec<(String, chrono::Weekday, crate::settings::service::Sessions)> {
    buses
        .flat_map(|(name, hours)| hours.iter().map(move |(d, s)| (name.clone(), *d, *s)))
        .collect()
}

/// What a saved plan of `instance` may leave out: its sessions, its
/// communes' names and stops.
fn plan_context(instance: &Instance) -> Context<'_> {
    Context {
        sessions: instance.sessions,
        bus_hours: bus_hours(instance.buses.iter().map(|b| (&b.name, &b.hours))),
        territory: Some(&instance.territory),
    }
}

/// Carries the slots of the previous plan at `path` over to `instance`
/// (see [`Instance::keep_previous`]); returns how many communes kept one.
pub fn keep_previous(instance: &mut Instance, path: &Path, lock: bool) -> Result<usize> {
    let saved = SavedPlan::read(path, &plan_context(instance))?;
    let lines = crate::schedule::saved::series_on_lines(instance, &saved)?;
    let previous: Vec<(usize, crate::schedule::model::SlotPattern)> =
        lines.into_iter().map(|(s, c)| (c, s.pattern)).collect();
    Ok(instance.keep_previous(&previous, lock))
}

/// The plan `plan --exact` keeps, and what to tell the user about it.
pub struct Exact {
    pub plan: Plan,
    pub note: String,
}

/// How far `cost` is above `bound`, in percent.
pub(crate) fn percent_above(cost: f64, bound: f64) -> f64 {
    (cost / bound.max(1e-9) - 1.0) * 100.0
}

/// What the LP relaxations bound a territory's driving by: with the
/// calendar forgotten always, day by day where the (morning, afternoon)
/// pairings are few enough for that LP.
pub struct Bounds {
    /// Possible (morning, afternoon) pairings: the day-by-day LP's size.
    pub pairings: usize,
    pub by_day: Option<f64>,
    pub forgetful: f64,
}

impl Bounds {
    /// The higher of the two: no plan drives less.
    pub fn best(&self) -> f64 {
        self.by_day.map_or(self.forgetful, |b| b.max(self.forgetful))
    }
}

/// Whether the MILP and the LPs model `instance`: they pair one morning
/// stop with one afternoon stop a day, so no short stop may share a
/// session.
fn sessions_only(instance: &Instance) -> bool {
    instance.needs.iter().all(|n| n.minutes.is_none())
}

/// The LP bounds of `instance`; `None` where short stops share a session.
pub fn bounds(instance: &Instance) -> Result<Option<Bounds>> {
    if !sessions_only(instance) {
        return Ok(None);
    }
    session_bounds(instance).map(Some)
}

/// The LP bounds of `instance`, whose stops each take a whole session (the
/// LPs pair one morning stop with one afternoon stop a day).
fn session_bounds(instance: &Instance) -> Result<Bounds> {
    use crate::schedule::exact::{self, LP_MAX_PAIRS};
    let pairings = exact::pairings(instance);
    let by_day = if pairings > LP_MAX_PAIRS {
        None
    } else {
        Some(exact::lower_bound(instance)?)
    };
    Ok(Bounds {
        pairings,
        by_day,
        forgetful: exact::pairing_bound(instance)?,
    })
}

/// `plan --exact`: the MILP optimum on small instances (and its plan,
/// checked), the LP bound and the heuristic's gap to it on larger ones,
/// and the heuristic plan alone where even the LP is too large.
pub fn exact(instance: &Instance, heuristic_plan: Plan) -> Result<Exact> {
    use crate::schedule::exact::{self, LP_MAX_PAIRS, MILP_MAX_COMMUNES};
    let heuristic = exact::objective(instance, &heuristic_plan);
    if !sessions_only(instance) {
        return Ok(Exact {
            plan: heuristic_plan,
            note: format!(
                "the MILP pairs one morning stop with one afternoon stop a day, and this territory has short stops sharing a session; keeping the heuristic plan ({heuristic:.0} s) without a bound"
            ),
        });
    }
    let communes = instance.needs.len();
    if communes > MILP_MAX_COMMUNES {
        let bounds = session_bounds(instance)?;
        let (best, forgetful, pairings) = (bounds.best(), bounds.forgetful, bounds.pairings);
        let note = match bounds.by_day {
            None => format!(
                "{communes} communes and {pairings} possible (morning, afternoon) pairings, more than the {LP_MAX_PAIRS} the day-by-day LP handles; bound with the calendar forgotten {forgetful:.0} s, heuristic plan {heuristic:.0} s, at most {:.2} % above the optimum",
                percent_above(heuristic, best)
            ),
            Some(by_day) => format!(
                "{communes} communes, more than the {MILP_MAX_COMMUNES} the MILP solves in reasonable time; LP bounds {by_day:.0} s day by day and {forgetful:.0} s with the calendar forgotten, heuristic plan {heuristic:.0} s, at most {:.2} % above the optimum",
                percent_above(heuristic, best)
            ),
        };
        return Ok(Exact {
            plan: heuristic_plan,
            note,
        });
    }
    let optimum = exact::solve(instance)?;
    check::verify(instance, &optimum.plan)
        .map_err(|broken| Error::internal(format!("the MILP plan fails the checker: {}", broken.inline())))?;
    Ok(Exact {
        note: format!(
            "optimum {:.0} s (proven by the MILP); heuristic plan {heuristic:.0} s, {:.2} % above",
            optimum.objective,
            percent_above(heuristic, optimum.objective)
        ),
        plan: optimum.plan,
    })
}
