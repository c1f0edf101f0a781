//! The national question. With N more buses, placed and routed
//! well, what share of the population gets a France Services desk or a bus
//! stop within X minutes — and how many buses does a target share take?
//!
//! The country is decomposed by département: each one's covering problem
//! ([`cover`]) is solved for every useful fleet size, in parallel, giving a
//! curve of inhabitants covered and a bound; a dynamic programme
//! ([`allocate`]) shares the buses among départements and bounds the whole;
//! every chosen bus's tour is then planned by the periodic solver
//! ([`tours`]). A département's result depends only on its own communes,
//! the fixed sites and its number of buses, so it is the same whether it is
//! run alone or inside the national run.

pub mod allocate;
pub mod areas;
pub mod bound;
pub mod cover;
pub mod times;
pub mod tours;

use crate::error::{Error, Location, Result};
use crate::input::communes::CommuneTable;
use crate::input::scenario::Scenario;
use crate::input::sites::ServicePoint;
use allocate::{Curve, Split};
use cover::{Area, Solved};
use rayon::prelude::*;
use road::{Network, Progress};
use times::Times;

/// Areas whose model has at most this many (stop, base) pairs also go
/// through branch and bound: above, microlp's LP takes seconds a node.
const MILP_PAIRS: usize = 2_500;

/// How many buses to place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// At most this many buses.
    Buses(usize),
    /// The fewest buses bringing this share of the population within reach.
    Share(f64),
}

/// The national question's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A service point is within reach at most this many minutes away.
    pub minutes: f64,
    /// Visits a cycle each bus stop gets.
    pub visits: u8,
    pub goal: Goal,
    /// Régions or départements to keep (empty: all); see [`areas::select`].
    pub areas: Vec<String>,
    /// Branch-and-bound nodes per covering model: the effort, independent
    /// of the clock so that results reproduce.
    pub nodes: u64,
}

impl Settings {
    /// Refuses values no run can honour.
    pub fn validate(&self, scenario: &Scenario) -> Result<()> {
        let field = |name: &str| Location::default().field(name);
        if !(self.minutes > 0.0 && self.minutes <= 600.0) {
            return Err(Error::input(
                field("--minutes"),
                format!("{}: expected minutes between 0 and 600", self.minutes),
            ));
        }
        let weeks = scenario.cycle.weeks;
        if self.visits == 0 || !weeks.is_multiple_of(self.visits) {
            return Err(Error::input(
                field("--visits"),
                format!(
                    "{}: visits must spread evenly over the {weeks}-week cycle: expected one of {}",
                    self.visits,
                    scenario.cycle.visit_counts()
                ),
            ));
        }
        match self.goal {
            Goal::Share(s) if !(s > 0.0 && s <= 1.0) => Err(Error::input(
                field("--target-share"),
                format!("{s}: expected a share of the population, above 0 and at most 1 (0.99 for 99 %)"),
            )),
            _ => Ok(()),
        }
    }
}

/// One département's problem and results.
#[derive(Debug, Clone)]
pub struct AreaResult {
    pub area: Area,
    pub region: String,
    /// Communes of the département, as national indices.
    pub communes: Vec<usize>,
    pub population: u64,
    /// Inhabitants already within reach of a fixed site.
    pub within_before: u64,
    /// `solved[n]`: the best fleet of n buses (index 0: none).
    pub solved: Vec<Solved>,
    pub curve: Curve,
}

impl AreaResult {
    /// Solves the area for every fleet size the greedy finds useful: the
    /// greedy fleet improved by local search, bounded by Lagrangian
    /// relaxation, and, where the model is small enough, by branch and
    /// bound from there.
    fn solve(area: Area, nodes: u64) -> Result<(Vec<Solved>, Curve)> {
        let fleets = area.greedy(area.bases.len());
        let coverable = area.coverable();
        let small = area.stops.iter().map(|s| s.bases.len()).sum::<usize>() <= MILP_PAIRS;
        let mut solved = vec![Solved {
            fleet: fleets[0].clone(),
            bound: 0,
            optimal: true,
        }];
        for (n, fleet) in fleets.iter().enumerate().skip(1) {
            let fleet = area.improve(fleet);
            let bound = coverable.min(bound::lagrangian(&area, n, fleet.covered));
            solved.push(if fleet.covered >= bound || !small || nodes == 0 {
                Solved {
                    optimal: fleet.covered >= bound,
                    bound: bound.max(fleet.covered),
                    fleet,
                }
            } else {
                let exact = area.solve(n, &fleet, nodes)?;
                Solved {
                    bound: exact.bound.min(bound).max(exact.fleet.covered),
                    optimal: exact.optimal || exact.fleet.covered >= bound,
                    fleet: exact.fleet,
                }
            });
        }
        let mut found: Vec<u64> = solved.iter().map(|s| s.fleet.covered).collect();
        let mut bound: Vec<u64> = solved.iter().map(|s| s.bound).collect();
        // The greedy stopped before the bases ran out: it found no bus that
        // adds anyone, which proves nothing about a larger fleet.
        if solved.len() <= area.bases.len() {
            bound.push(coverable);
        }
        found.resize(bound.len(), *found.last().unwrap_or(&0));
        Ok((solved, Curve::monotone(found, bound)))
    }

    /// The result for `n` buses: the best fleet of at most n found, with
    /// the fewest buses among equals.
    pub fn at(&self, n: usize) -> &Solved {
        let best = self.curve.found[n.min(self.curve.found.len() - 1)];
        let fewest = self.solved.iter().position(|s| s.fleet.covered >= best);
        &self.solved[fewest.unwrap_or(self.solved.len() - 1)]
    }
}

/// Everything the national run found.
#[derive(Debug)]
pub struct National {
    pub table: CommuneTable,
    /// National indices of the communes kept by `--region`.
    pub selected: Vec<usize>,
    /// Seconds to the nearest fixed site, per national index (`None`: not
    /// selected, or no site reachable).
    pub fixed_seconds: Vec<Option<f64>>,
    pub areas: Vec<AreaResult>,
    /// The best split for every fleet size up to the last useful one.
    pub splits: Vec<Split>,
    /// Index into `splits` of the answer.
    pub chosen: usize,
    pub settings: Settings,
    /// Per national index: trips to and from it use road times.
    pub on_road: Vec<bool>,
    /// The scenario's daily driving limit, which bounds a base's reach.
    pub max_drive_minutes: u32,
    pub notes: Vec<String>,
}

impl National {
    pub fn population(&self) -> u64 {
        self.areas.iter().map(|a| a.population).sum()
    }

    pub fn within_before(&self) -> u64 {
        self.areas.iter().map(|a| a.within_before).sum()
    }

    /// Share of the population within reach with the split of `n` buses.
    pub fn share(&self, split: &Split) -> f64 {
        (self.within_before() + split.covered) as f64 / self.population().max(1) as f64
    }

    /// The answer's split.
    pub fn split(&self) -> &Split {
        &self.splits[self.chosen]
    }

    /// The answer's fleet in each département, with its buses.
    pub fn chosen_fleets(&self) -> impl Iterator<Item = (&AreaResult, &Solved)> {
        self.areas.iter().zip(&self.split().buses).map(|(a, &n)| (a, a.at(n)))
    }
}

/// Answers the national question over the communes kept by `settings`,
/// with road times where `network` covers both ends of a trip.
pub fn run(
    table: CommuneTable,
    sites: &[ServicePoint],
    scenario: &Scenario,
    settings: Settings,
    network: Option<&Network>,
    progress: &dyn Progress,
) -> Result<National> {
    settings.validate(scenario)?;
    let selected = areas::select(&table, &settings.areas)?;
    let times = match network {
        Some(n) => Times::with_road(scenario.travel, &table, n, &scenario.profile),
        None => Times::straight(scenario.travel, &table),
    };
    let capacity = tours::half_days_per_bus(scenario) / usize::from(settings.visits);
    let geometry = areas::Geometry::new(&table, &selected, sites, &times, settings.minutes);
    let built = geometry.areas(scenario.max_drive_minutes, capacity);
    let meter = progress.stage("covering models by département");
    meter.set_length(built.len() as u64);
    let areas: Vec<AreaResult> = built
        .into_par_iter()
        .map(|(area, communes)| {
            let (solved, curve) = AreaResult::solve(area.clone(), settings.nodes)?;
            meter.inc(1);
            Ok(geometry.result(area, communes, solved, curve))
        })
        .collect::<Result<_>>()?;
    meter.finish();
    let curves: Vec<Curve> = areas.iter().map(|a| a.curve.clone()).collect();
    let useful: usize = curves.iter().map(|c| c.found.len() - 1).sum();
    let splits = allocate::splits(&curves, useful);
    let fixed_seconds = geometry.fixed_seconds;
    let on_road = times.on_road;
    let mut national = National {
        table,
        selected,
        fixed_seconds,
        on_road,
        areas,
        splits,
        chosen: 0,
        settings,
        max_drive_minutes: scenario.max_drive_minutes,
        notes: Vec::new(),
    };
    national.chosen = choose(&national)?;
    Ok(national)
}

/// The split that answers the goal, or why none does.
fn choose(national: &National) -> Result<usize> {
    let last = national.splits.len() - 1;
    match national.settings.goal {
        Goal::Buses(n) => Ok(n.min(last)),
        Goal::Share(target) => national
            .splits
            .iter()
            .position(|s| national.share(s) >= target - 1e-12)
            .ok_or_else(|| {
                let best = &national.splits[last];
                let population = national.population();
                Error::infeasible(format!(
                    "a share of {:.2} % within {} min is out of reach: {} buses bring {:.2} % ({} of {} inhabitants); the {} others live where no stop within {} min can be served from a base within {} min of it (half of {} min of driving a day). Raise --minutes or max_drive_minutes, or lower --target-share",
                    target * 100.0,
                    national.settings.minutes,
                    best.total(),
                    national.share(best) * 100.0,
                    national.within_before() + best.covered,
                    population,
                    population - national.within_before() - best.covered,
                    national.settings.minutes,
                    tours::BaseReach::new(national.max_drive_minutes).far_minutes,
                    national.max_drive_minutes,
                ))
            }),
    }
}
