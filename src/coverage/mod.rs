//! The "last kilometre" coverage analysis. For every commune:
//! access time to the nearest fixed site, to the nearest bus stop and to
//! the nearer of the two; hours of presence within reach; and for the
//! territory, population-weighted shares, percentiles, km and CO2 avoided.

pub mod access;
pub mod compare;
pub mod select;

use crate::coverage::access::{Access, Reach};
use crate::input::scenario::CoverageSettings;
use crate::input::sites::ServicePoint;
use crate::input::territory::{LatLon, Territory};

/// The three access measures, each a column of `coverage.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    FixedSite,
    BusStop,
    Nearest,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::FixedSite, Measure::BusStop, Measure::Nearest];

    /// The column name in `coverage.csv` and the JSON key.
    pub fn column(self) -> &'static str {
        match self {
            Measure::FixedSite => "fixed_site_min",
            Measure::BusStop => "bus_stop_min",
            Measure::Nearest => "nearest_min",
        }
    }
}

/// What one commune's residents can reach.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneAccess {
    pub insee: String,
    pub name: String,
    pub population: u32,
    pub at: LatLon,
    pub fixed: Option<Reach>,
    pub bus: Option<Reach>,
    /// Hours a month of fixed sites within the presence radius.
    pub fixed_hours: f64,
    /// Hours a month of bus stops within the presence radius.
    pub bus_hours: f64,
    /// Residents' car km a month saved by going to the bus stop instead of
    /// the fixed site.
    pub km_avoided: f64,
}

impl CommuneAccess {
    /// Minutes to the nearest point of a kind; `None`: none reachable.
    pub fn minutes(&self, measure: Measure) -> Option<f64> {
        let m = |r: &Option<Reach>| r.map(|r| r.seconds / 60.0);
        match measure {
            Measure::FixedSite => m(&self.fixed),
            Measure::BusStop => m(&self.bus),
            Measure::Nearest => match (m(&self.fixed), m(&self.bus)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }
}

/// Population-weighted access figures for one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessStats {
    /// Share of the population within each threshold, in the settings' order.
    pub within: Vec<f64>,
    pub median_min: Option<f64>,
    pub p90_min: Option<f64>,
    /// Inhabitants with no point of this kind reachable.
    pub unreachable: u64,
}

/// Residents' km avoided against the bus's km, and the CO2 of both.
#[derive(Debug, Clone, PartialEq)]
pub struct Emissions {
    pub km_avoided_month: f64,
    pub bus_km_month: Option<f64>,
    pub residents_kg_month: f64,
    pub bus_kg_month: Option<f64>,
    /// Residents' CO2 avoided minus the bus's CO2 (positive: a net gain).
    pub net_kg_month: Option<f64>,
}

/// A coverage scenario, measured.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub name: String,
    pub travel: String,
    /// What the user must hear about the inputs (rows set aside…).
    pub notes: Vec<String>,
    pub settings: CoverageSettings,
    pub communes: Vec<CommuneAccess>,
    pub sites: Vec<ServicePoint>,
    pub stops: Vec<ServicePoint>,
    pub population: u64,
    /// In [`Measure::ALL`] order.
    pub stats: Vec<AccessStats>,
    /// Population-weighted mean hours of presence a month within reach.
    pub fixed_hours: f64,
    pub bus_hours: f64,
    pub emissions: Emissions,
}

/// Everything a coverage run measures against.
pub struct Inputs<'a> {
    pub name: String,
    pub territory: &'a Territory,
    pub sites: Vec<ServicePoint>,
    /// The bus stops of a plan (empty: no bus).
    pub stops: Vec<ServicePoint>,
    pub bus_km_month: Option<f64>,
    pub settings: CoverageSettings,
    pub travel: &'a Access<'a>,
    /// One sentence on how times were obtained.
    pub travel_note: String,
    pub notes: Vec<String>,
}

/// Measures a scenario.
pub(crate) fn measure(inputs: Inputs) -> Coverage {
    let origins: Vec<LatLon> = inputs.territory.communes.iter().map(|c| c.centre).collect();
    let at = |points: &[ServicePoint]| points.iter().map(|p| p.at).collect::<Vec<_>>();
    let (site_points, stop_points) = (at(&inputs.sites), at(&inputs.stops));
    let radius = inputs.settings.presence_minutes * 60.0;
    let nearest = |points: &[LatLon]| match points.is_empty() {
        true => vec![None; origins.len()],
        false => inputs.travel.nearest(&origins, points),
    };
    let within_hours = |points: &[LatLon], info: &[ServicePoint]| -> Vec<f64> {
        if points.is_empty() {
            return vec![0.0; origins.len()];
        }
        let found = inputs.travel.within(&origins, points, radius);
        found
            .iter()
            // `+ 0.0`: an empty f64 sum is −0.0, which would print as "-0.0".
            .map(|r| r.iter().map(|r| info[r.point].hours_month).sum::<f64>() + 0.0)
            .collect()
    };
    let (fixed, bus) = (nearest(&site_points), nearest(&stop_points));
    let (fixed_hours, bus_hours) = (
        within_hours(&site_points, &inputs.sites),
        within_hours(&stop_points, &inputs.stops),
    );
    let s = &inputs.settings;
    let visits_per_resident_month = s.visits_per_inhabitant_year / 12.0 * s.bus_capture;
    let communes: Vec<CommuneAccess> = inputs
        .territory
        .communes
        .iter()
        .enumerate()
        // A commune served at several slots is one place to measure.
        .filter(|(i, _)| !inputs.territory.is_extra_slot(*i))
        .map(|(i, c)| {
            let saved_m = match (fixed[i], bus[i]) {
                (Some(f), Some(b)) => (f.metres - b.metres).max(0.0),
                _ => 0.0,
            };
            CommuneAccess {
                insee: c.insee.clone(),
                name: c.name.clone(),
                population: c.population,
                at: c.centre,
                fixed: fixed[i],
                bus: bus[i],
                fixed_hours: fixed_hours[i],
                bus_hours: bus_hours[i],
                km_avoided: f64::from(c.population) * visits_per_resident_month * 2.0 * saved_m / 1000.0,
            }
        })
        .collect();
    let population: u64 = communes.iter().map(|c| u64::from(c.population)).sum();
    let stats = Measure::ALL
        .iter()
        .map(|m| access_stats(&communes, *m, &s.thresholds_minutes))
        .collect();
    let mean = |f: fn(&CommuneAccess) -> f64| {
        communes.iter().map(|c| f64::from(c.population) * f(c)).sum::<f64>() / (population.max(1) as f64)
    };
    let km_avoided_month: f64 = communes.iter().map(|c| c.km_avoided).sum();
    let residents_kg_month = km_avoided_month * s.car_kg_co2_per_km;
    let bus_kg_month = inputs.bus_km_month.map(|km| km * s.bus_kg_co2_per_km);
    Coverage {
        name: inputs.name,
        travel: inputs.travel_note,
        notes: inputs.notes,
        fixed_hours: mean(|c| c.fixed_hours),
        bus_hours: mean(|c| c.bus_hours),
        emissions: Emissions {
            km_avoided_month,
            bus_km_month: inputs.bus_km_month,
            residents_kg_month,
            bus_kg_month,
            net_kg_month: bus_kg_month.map(|b| residents_kg_month - b),
        },
        settings: inputs.settings,
        communes,
        sites: inputs.sites,
        stops: inputs.stops,
        population,
        stats,
    }
}

/// Shares within thresholds and weighted percentiles of one measure.
fn access_stats(communes: &[CommuneAccess], measure: Measure, thresholds: &[f64]) -> AccessStats {
    let mut times: Vec<(f64, u64)> = communes
        .iter()
        .map(|c| (c.minutes(measure).unwrap_or(f64::INFINITY), u64::from(c.population)))
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: u64 = times.iter().map(|t| t.1).sum();
    let share = |limit: f64| {
        let inside: u64 = times.iter().filter(|t| t.0 <= limit).map(|t| t.1).sum();
        inside as f64 / total.max(1) as f64
    };
    AccessStats {
        within: thresholds.iter().map(|t| share(*t)).collect(),
        median_min: weighted_quantile(&times, 0.5),
        p90_min: weighted_quantile(&times, 0.9),
        unreachable: times.iter().filter(|t| t.0.is_infinite()).map(|t| t.1).sum(),
    }
}

/// The smallest time such that at least `q` of the population is at or
/// under it, over `(time, population)` sorted by time; `None` when that
/// time is unreachable or nobody lives there.
fn weighted_quantile(sorted: &[(f64, u64)], q: f64) -> Option<f64> {
    let total: u64 = sorted.iter().map(|t| t.1).sum();
    if total == 0 {
        return None;
    }
    let need = q * total as f64;
    let mut seen = 0u64;
    sorted
        .iter()
        .find(|(_, p)| {
            seen += p;
            seen as f64 >= need
        })
        .map(|t| t.0)
        .filter(|t| t.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_follows_population_not_commune_count() {
        // 3 small communes close by, one town far: the median inhabitant
        // lives in the town (600 of 900 people).
        let t = [(2.0, 100), (3.0, 100), (4.0, 100), (40.0, 600)];
        assert_eq!(weighted_quantile(&t, 0.5), Some(40.0));
        assert_eq!(weighted_quantile(&t, 0.3), Some(4.0));
        assert_eq!(weighted_quantile(&[(f64::INFINITY, 5)], 0.5), None);
    }
}
