//! Stage 8: the "last kilometre" coverage analysis. For every commune:
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
use serde_json::json;
use std::fmt::Write as _;

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

    fn label(self) -> &'static str {
        match self {
            Measure::FixedSite => "fixed site",
            Measure::BusStop => "bus stop",
            Measure::Nearest => "nearest",
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

fn minutes_cell(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |m| format!("{m:.1}"))
}

impl Coverage {
    fn has_bus(&self) -> bool {
        !self.stops.is_empty()
    }

    /// The readable summary printed on stdout.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\nCoverage — {} ({} communes, {} inhabitants; {} fixed sites, {} bus stops)\n{}",
            self.name,
            self.communes.len(),
            self.population,
            self.sites.len(),
            self.stops.len(),
            self.travel
        );
        let measures: Vec<Measure> = Measure::ALL
            .into_iter()
            .filter(|m| self.has_bus() || *m == Measure::FixedSite)
            .collect();
        let header: Vec<String> = measures.iter().map(|m| format!("{:>12}", m.label())).collect();
        let _ = writeln!(out, "{:<28}{}", "access time", header.join(""));
        let row = |label: String, cell: &dyn Fn(&AccessStats) -> String| {
            let cells: Vec<String> = measures
                .iter()
                .map(|m| format!("{:>12}", cell(&self.stats[*m as usize])))
                .collect();
            format!("{label:<28}{}\n", cells.join(""))
        };
        for (k, t) in self.settings.thresholds_minutes.iter().enumerate() {
            out += &row(format!("  population within {t} min"), &|s| {
                format!("{:.1} %", s.within[k] * 100.0)
            });
        }
        out += &row("  median (min)".into(), &|s| minutes_cell(s.median_min));
        out += &row("  90th percentile (min)".into(), &|s| minutes_cell(s.p90_min));
        out += &row("  unreachable (inhabitants)".into(), &|s| s.unreachable.to_string());
        let _ = writeln!(
            out,
            "Hours of presence within {} min: {:.1} h a month per inhabitant (fixed sites {:.1}, bus {:.1})",
            self.settings.presence_minutes,
            self.fixed_hours + self.bus_hours,
            self.fixed_hours,
            self.bus_hours
        );
        if self.has_bus() {
            let e = &self.emissions;
            let _ = writeln!(
                out,
                "Residents' car km avoided: {:.0} km a month ({} visits per inhabitant a year, {:.0} % made at the bus when nearer)",
                e.km_avoided_month,
                self.settings.visits_per_inhabitant_year,
                self.settings.bus_capture * 100.0
            );
            if let (Some(bus_km), Some(bus_kg), Some(net)) = (e.bus_km_month, e.bus_kg_month, e.net_kg_month) {
                let _ = writeln!(
                    out,
                    "Bus km driven: {bus_km:.0} km a month\nCO2: residents {:.0} kg avoided, bus {bus_kg:.0} kg emitted, net {net:+.0} kg a month (car {} kg/km, bus {} kg/km)",
                    e.residents_kg_month, self.settings.car_kg_co2_per_km, self.settings.bus_kg_co2_per_km
                );
            }
        }
        out
    }

    /// `coverage.csv`: one row per commune.
    pub fn csv(&self) -> crate::Result<Vec<u8>> {
        let radius = self.settings.presence_minutes;
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = [
            "insee".to_string(),
            "name".into(),
            "population".into(),
            Measure::FixedSite.column().into(),
            "fixed_site".into(),
            "fixed_site_km".into(),
            Measure::BusStop.column().into(),
            "bus_stop".into(),
            "bus_stop_km".into(),
            Measure::Nearest.column().into(),
            format!("fixed_site_hours_month_within_{radius}_min"),
            format!("bus_stop_hours_month_within_{radius}_min"),
            format!("hours_month_within_{radius}_min"),
            "car_km_avoided_month".into(),
        ];
        let fail = |e: csv::Error| crate::Error::internal(format!("coverage.csv: {e}"));
        w.write_record(&header).map_err(fail)?;
        let name =
            |r: &Option<Reach>, points: &[ServicePoint]| r.map_or(String::new(), |r| points[r.point].name.clone());
        let km = |r: &Option<Reach>| r.map_or(String::new(), |r| format!("{:.1}", r.metres / 1000.0));
        let min = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.1}"));
        for c in &self.communes {
            w.write_record([
                c.insee.clone(),
                c.name.clone(),
                c.population.to_string(),
                min(c.minutes(Measure::FixedSite)),
                name(&c.fixed, &self.sites),
                km(&c.fixed),
                min(c.minutes(Measure::BusStop)),
                name(&c.bus, &self.stops),
                km(&c.bus),
                min(c.minutes(Measure::Nearest)),
                format!("{:.1}", c.fixed_hours),
                format!("{:.1}", c.bus_hours),
                format!("{:.1}", c.fixed_hours + c.bus_hours),
                format!("{:.1}", c.km_avoided),
            ])
            .map_err(fail)?;
        }
        w.into_inner()
            .map_err(|e| crate::Error::internal(format!("coverage.csv: {e}")))
    }

    /// `coverage.json`: the territory's indicators, for scripts and `compare`.
    pub(crate) fn summary_json(&self) -> serde_json::Value {
        let stats: serde_json::Map<String, serde_json::Value> = Measure::ALL
            .iter()
            .map(|m| {
                let s = &self.stats[*m as usize];
                let within: serde_json::Map<String, serde_json::Value> = self
                    .settings
                    .thresholds_minutes
                    .iter()
                    .zip(&s.within)
                    .map(|(t, v)| (format!("{t}"), json!(v)))
                    .collect();
                (
                    m.column().to_string(),
                    json!({"share_within": within, "median": s.median_min, "p90": s.p90_min, "unreachable_population": s.unreachable}),
                )
            })
            .collect();
        let e = &self.emissions;
        json!({
            "name": self.name,
            "travel": self.travel,
            "communes": self.communes.len(),
            "population": self.population,
            "fixed_sites": self.sites.len(),
            "bus_stops": self.stops.len(),
            "access": stats,
            "presence_minutes": self.settings.presence_minutes,
            "fixed_site_hours_month": self.fixed_hours,
            "bus_stop_hours_month": self.bus_hours,
            "car_km_avoided_month": e.km_avoided_month,
            "bus_km_month": e.bus_km_month,
            "residents_kg_co2_avoided_month": e.residents_kg_month,
            "bus_kg_co2_month": e.bus_kg_month,
            "net_kg_co2_avoided_month": e.net_kg_month,
            "assumptions": {
                "visits_per_inhabitant_year": self.settings.visits_per_inhabitant_year,
                "bus_capture": self.settings.bus_capture,
                "car_kg_co2_per_km": self.settings.car_kg_co2_per_km,
                "bus_kg_co2_per_km": self.settings.bus_kg_co2_per_km,
            },
        })
    }

    /// `coverage.geojson`: communes with their access times, and the
    /// service points some commune reaches.
    pub fn geojson(&self) -> String {
        let point = crate::output::map::point;
        let mut features: Vec<_> = self
            .communes
            .iter()
            .map(|c| {
                point(
                    c.at,
                    json!({"kind": "commune", "insee": c.insee, "name": c.name, "population": c.population,
                        "fixed_site_min": c.minutes(Measure::FixedSite).map(round1),
                        "bus_stop_min": c.minutes(Measure::BusStop).map(round1),
                        "nearest_min": c.minutes(Measure::Nearest).map(round1),
                        "hours_month": round1(c.fixed_hours + c.bus_hours)}),
                )
            })
            .collect();
        let mut used: Vec<usize> = self.communes.iter().filter_map(|c| c.fixed.map(|r| r.point)).collect();
        used.sort_unstable();
        used.dedup();
        features.extend(used.into_iter().map(|i| {
            let s = &self.sites[i];
            point(
                s.at,
                json!({"kind": "fixed_site", "name": s.name, "insee": s.insee, "hours_month": round1(s.hours_month)}),
            )
        }));
        features.extend(self.stops.iter().map(|s| {
            point(
                s.at,
                json!({"kind": "bus_stop", "name": s.name, "insee": s.insee, "hours_month": round1(s.hours_month)}),
            )
        }));
        crate::output::map::collection(features)
    }

    /// All output files, for [`crate::output::folder::write_folder`].
    pub fn files(&self) -> crate::Result<Vec<(String, Vec<u8>)>> {
        let map = self.geojson();
        Ok(vec![
            ("coverage.csv".into(), self.csv()?),
            (
                "coverage.json".into(),
                serde_json::to_string_pretty(&self.summary_json())
                    .unwrap_or_default()
                    .into_bytes(),
            ),
            ("coverage.gpkg".into(), crate::output::gpkg::from_geojson(&[&map])?),
            ("coverage.geojson".into(), map.into_bytes()),
        ])
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
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
