//! Each chosen bus's tour, planned by the periodic solver: a territory of
//! its stops (plus its base), one bus, the scenario's sessions and cycle.

use super::National;
use crate::calendar::halves;
use crate::error::{Error, Result};
use crate::input::communes::CommuneTable;
use crate::input::scenario::{BusSpec, Depot, Scenario};
use crate::input::territory::{Commune, Territory};
use crate::schedule::build::resolve_buses;
use crate::schedule::model::{Instance, matrix_points};
use crate::schedule::plan::Plan;
use crate::settings::service::DEFAULT_WEEKDAYS;
use crate::travel::TravelMatrix;
use rayon::prelude::*;
use road::{Network, Progress};

/// How far from its base a bus may stop, from the daily driving limit L.
/// A day goes base → A → B → base. Stops *near* the base (at most L / 4)
/// pair freely: A → B is at most L / 2 by the triangle inequality, so the
/// day stays within L. A *far* stop (up to L / 2) fits a day alone, base →
/// A → base, and so takes the other half-day of its days as well. Either
/// way every plan the covering model counts on exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseReach {
    pub near_minutes: u32,
    pub far_minutes: u32,
}

impl BaseReach {
    pub fn new(max_drive_minutes: u32) -> BaseReach {
        BaseReach {
            near_minutes: max_drive_minutes / 4,
            far_minutes: max_drive_minutes / 2,
        }
    }
}

/// The working week of the national buses: the scenario's first bus's, or
/// Monday to Friday.
fn weekdays(scenario: &Scenario) -> Vec<chrono::Weekday> {
    scenario
        .buses
        .first()
        .map_or_else(|| DEFAULT_WEEKDAYS.to_vec(), |b| b.weekdays.clone())
}

/// Half-days one bus offers over the scenario's cycle (40 in 4 weeks of
/// Monday–Friday mornings and afternoons).
pub fn half_days_per_bus(scenario: &Scenario) -> usize {
    let per_week: usize = weekdays(scenario).iter().map(|d| halves(*d).len()).sum();
    per_week * usize::from(scenario.cycle.weeks)
}

/// One bus of the answer and its planned tour.
#[derive(Debug)]
pub struct Tour {
    /// `46-2`: département and number.
    pub id: String,
    pub departement: String,
    /// National index of its base.
    pub base: usize,
    /// National indices of its stops.
    pub stops: Vec<usize>,
    /// `"road"` when the extract covers the base and every stop.
    pub travel_model: &'static str,
    pub instance: Instance,
    pub plan: Plan,
}

/// Plans the tour of every bus of the answer, in parallel; a tour the
/// checker refuses is an error naming the bus.
pub fn plan_all(
    national: &National,
    scenario: &Scenario,
    network: Option<&Network>,
    progress: &dyn Progress,
) -> Result<Vec<Tour>> {
    let wanted: Vec<(String, String, usize, Vec<usize>)> = national
        .chosen_fleets()
        .flat_map(|(area, solved)| {
            solved.fleet.buses.iter().enumerate().map(move |(k, bus)| {
                (
                    format!("{}-{}", area.area.code, k + 1),
                    area.area.code.clone(),
                    area.area.bases[bus.base],
                    bus.stops.iter().map(|&s| area.area.stops[s].commune).collect(),
                )
            })
        })
        .collect();
    let meter = progress.stage("bus tours");
    meter.set_length(wanted.len() as u64);
    let tours = wanted
        .into_par_iter()
        .map(|(id, departement, base, stops)| {
            let on_road = std::iter::once(base)
                .chain(stops.iter().copied())
                .all(|c| national.on_road[c]);
            let bus = BusPlan {
                id: &id,
                base,
                stops: &stops,
                visits: national.settings.visits,
                network: network.filter(|_| on_road),
            };
            let (instance, plan) = bus.plan(&national.table, scenario)?;
            meter.inc(1);
            Ok(Tour {
                id,
                departement,
                base,
                stops,
                travel_model: if on_road { "road" } else { "straight_line" },
                instance,
                plan,
            })
        })
        .collect::<Result<Vec<_>>>();
    meter.finish();
    tours
}

/// What one bus's tour is planned from.
struct BusPlan<'a> {
    id: &'a str,
    base: usize,
    stops: &'a [usize],
    visits: u8,
    /// Road times over this network; straight-line estimates without.
    network: Option<&'a Network>,
}

impl BusPlan<'_> {
    /// The bus's instance and checked plan.
    fn plan(&self, table: &CommuneTable, scenario: &Scenario) -> Result<(Instance, Plan)> {
        let id = self.id;
        let commune = |i: usize, visits: u8| {
            let c = &table.communes[i];
            Commune::at(&c.insee, &c.name, c.at, c.population, Some(visits))
        };
        let mut communes: Vec<Commune> = self.stops.iter().map(|&s| commune(s, self.visits)).collect();
        if !self.stops.contains(&self.base) {
            communes.insert(0, commune(self.base, 0));
        }
        let territory = Territory {
            source: format!("national bus {id}").into(),
            communes,
            notes: Vec::new(),
        };
        let mut scenario = scenario.clone();
        scenario.name = Some(format!("Bus {id}"));
        scenario.buses = vec![BusSpec {
            name: format!("Bus {id}"),
            depot: Some(Depot::Commune(table.communes[self.base].insee.clone())),
            weekdays: weekdays(&scenario),
            half_days: None,
            range_km: None,
            hours: Vec::new(),
        }];
        let instance = match self.network {
            Some(network) => {
                let buses = resolve_buses(&territory, &scenario)?;
                let points = matrix_points(&territory, &buses);
                let m = network.matrix(
                    &points,
                    &scenario.profile,
                    &(),
                    &crate::travel::road_settings(false),
                    &mut road::Timings::default(),
                )?;
                let matrix = TravelMatrix::from_road(&m, &network.source);
                Instance::new(territory, &scenario, buses, matrix)?
            }
            None => Instance::straight_line(territory, &scenario)?,
        };
        let plan = crate::schedule::solve_checked(&instance, scenario.solver, &())
            .map_err(|e| Error::infeasible(format!("bus {id}: {e}")))?;
        Ok((instance, plan))
    }
}
