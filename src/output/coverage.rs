//! The coverage analysis rendered: the summary printed on stdout,
//! `coverage.csv`, `coverage.json`, `coverage.geojson` and its GeoPackage,
//! and the comparison of scenarios (stdout, `compare.csv`).

use crate::coverage::access::Reach;
use crate::coverage::compare::{Change, changes};
use crate::coverage::{AccessStats, Coverage, Measure};
use crate::csv_out::CsvOut;
use crate::input::sites::ServicePoint;
use serde_json::json;
use std::collections::HashMap;
use std::fmt::Write as _;

fn label(m: Measure) -> &'static str {
    match m {
        Measure::FixedSite => "fixed site",
        Measure::BusStop => "bus stop",
        Measure::Nearest => "nearest",
    }
}

fn minutes_cell(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |m| format!("{m:.1}"))
}

fn has_bus(c: &Coverage) -> bool {
    !c.stops.is_empty()
}

/// The readable summary printed on stdout.
pub fn text(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCoverage — {} ({} communes, {} inhabitants; {} fixed sites, {} bus stops)\n{}",
        c.name,
        c.communes.len(),
        c.population,
        c.sites.len(),
        c.stops.len(),
        c.travel
    );
    let measures: Vec<Measure> = Measure::ALL
        .into_iter()
        .filter(|m| has_bus(c) || *m == Measure::FixedSite)
        .collect();
    let header: Vec<String> = measures.iter().map(|m| format!("{:>12}", label(*m))).collect();
    let _ = writeln!(out, "{:<28}{}", "access time", header.join(""));
    let row = |label: String, cell: &dyn Fn(&AccessStats) -> String| {
        let cells: Vec<String> = measures
            .iter()
            .map(|m| format!("{:>12}", cell(&c.stats[*m as usize])))
            .collect();
        format!("{label:<28}{}\n", cells.join(""))
    };
    for (k, t) in c.settings.thresholds_minutes.iter().enumerate() {
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
        c.settings.presence_minutes,
        c.fixed_hours + c.bus_hours,
        c.fixed_hours,
        c.bus_hours
    );
    if has_bus(c) {
        let e = &c.emissions;
        let _ = writeln!(
            out,
            "Residents' car km avoided: {:.0} km a month ({} visits per inhabitant a year, {:.0} % made at the bus when nearer)",
            e.km_avoided_month,
            c.settings.visits_per_inhabitant_year,
            c.settings.bus_capture * 100.0
        );
        if let (Some(bus_km), Some(bus_kg), Some(net)) = (e.bus_km_month, e.bus_kg_month, e.net_kg_month) {
            let _ = writeln!(
                out,
                "Bus km driven: {bus_km:.0} km a month\nCO2: residents {:.0} kg avoided, bus {bus_kg:.0} kg emitted, net {net:+.0} kg a month (car {} kg/km, bus {} kg/km)",
                e.residents_kg_month, c.settings.car_kg_co2_per_km, c.settings.bus_kg_co2_per_km
            );
        }
    }
    out
}

/// `coverage.csv`: one row per commune.
pub fn csv(coverage: &Coverage) -> crate::Result<Vec<u8>> {
    let radius = coverage.settings.presence_minutes;
    let mut w = CsvOut::new("coverage.csv");
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
    w.row(&header)?;
    let name = |r: &Option<Reach>, points: &[ServicePoint]| r.map_or(String::new(), |r| points[r.point].name.clone());
    let km = |r: &Option<Reach>| r.map_or(String::new(), |r| format!("{:.1}", r.metres / 1000.0));
    let min = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.1}"));
    for c in &coverage.communes {
        w.row([
            c.insee.clone(),
            c.name.clone(),
            c.population.to_string(),
            min(c.minutes(Measure::FixedSite)),
            name(&c.fixed, &coverage.sites),
            km(&c.fixed),
            min(c.minutes(Measure::BusStop)),
            name(&c.bus, &coverage.stops),
            km(&c.bus),
            min(c.minutes(Measure::Nearest)),
            format!("{:.1}", c.fixed_hours),
            format!("{:.1}", c.bus_hours),
            format!("{:.1}", c.fixed_hours + c.bus_hours),
            format!("{:.1}", c.km_avoided),
        ])?;
    }
    w.finish()
}

/// `coverage.json`: the territory's indicators, for scripts and `compare`.
pub fn summary_json(c: &Coverage) -> serde_json::Value {
    let stats: serde_json::Map<String, serde_json::Value> = Measure::ALL
        .iter()
        .map(|m| {
            let s = &c.stats[*m as usize];
            let within: serde_json::Map<String, serde_json::Value> = c
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
    let e = &c.emissions;
    json!({
        "name": c.name,
        "travel": c.travel,
        "communes": c.communes.len(),
        "population": c.population,
        "fixed_sites": c.sites.len(),
        "bus_stops": c.stops.len(),
        "access": stats,
        "presence_minutes": c.settings.presence_minutes,
        "fixed_site_hours_month": c.fixed_hours,
        "bus_stop_hours_month": c.bus_hours,
        "car_km_avoided_month": e.km_avoided_month,
        "bus_km_month": e.bus_km_month,
        "residents_kg_co2_avoided_month": e.residents_kg_month,
        "bus_kg_co2_month": e.bus_kg_month,
        "net_kg_co2_avoided_month": e.net_kg_month,
        "assumptions": {
            "visits_per_inhabitant_year": c.settings.visits_per_inhabitant_year,
            "bus_capture": c.settings.bus_capture,
            "car_kg_co2_per_km": c.settings.car_kg_co2_per_km,
            "bus_kg_co2_per_km": c.settings.bus_kg_co2_per_km,
        },
    })
}

/// `coverage.geojson`: communes with their access times, and the
/// service points some commune reaches.
pub fn geojson(c: &Coverage) -> String {
    let point = crate::output::map::point;
    let mut features: Vec<_> = c
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
    let mut used: Vec<usize> = c.communes.iter().filter_map(|c| c.fixed.map(|r| r.point)).collect();
    used.sort_unstable();
    used.dedup();
    features.extend(used.into_iter().map(|i| {
        let s = &c.sites[i];
        point(
            s.at,
            json!({"kind": "fixed_site", "name": s.name, "insee": s.insee, "hours_month": round1(s.hours_month)}),
        )
    }));
    features.extend(c.stops.iter().map(|s| {
        point(
            s.at,
            json!({"kind": "bus_stop", "name": s.name, "insee": s.insee, "hours_month": round1(s.hours_month)}),
        )
    }));
    crate::output::map::collection(features)
}

/// All output files, for [`crate::output::folder::write_folder`].
pub fn files(c: &Coverage) -> crate::Result<Vec<(String, Vec<u8>)>> {
    let map = geojson(c);
    Ok(vec![
        ("coverage.csv".into(), csv(c)?),
        (
            "coverage.json".into(),
            serde_json::to_string_pretty(&summary_json(c))
                .unwrap_or_default()
                .into_bytes(),
        ),
        ("coverage.gpkg".into(), crate::output::gpkg::from_geojson(&[&map])?),
        ("coverage.geojson".into(), map.into_bytes()),
    ])
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The comparison printed on stdout.
pub fn compare_text(scenarios: &[Coverage], shown: usize) -> String {
    let mut out = String::new();
    let names: Vec<String> = scenarios
        .iter()
        .map(|s| format!(" {:>16}", clip(&s.name, 16)))
        .collect();
    let _ = writeln!(out, "\n{:<34}{}", "", names.join(""));
    let row = |label: &str, cell: &dyn Fn(&Coverage) -> String| {
        let cells: Vec<String> = scenarios.iter().map(|s| format!(" {:>16}", cell(s))).collect();
        format!("{label:<34}{}\n", cells.join(""))
    };
    let nearest = Measure::Nearest as usize;
    out += &row("inhabitants", &|s| s.population.to_string());
    out += &row("bus stops", &|s| s.stops.len().to_string());
    let thresholds = &scenarios[0].settings.thresholds_minutes;
    for (k, t) in thresholds.iter().enumerate() {
        out += &row(&format!("within {t} min of a service"), &|s| {
            s.stats[nearest]
                .within
                .get(k)
                .map_or("—".into(), |v| format!("{:.1} %", v * 100.0))
        });
    }
    let minutes = |v: Option<f64>| v.map_or("—".into(), |m| format!("{m:.1}"));
    out += &row("median access (min)", &|s| minutes(s.stats[nearest].median_min));
    out += &row("90th percentile access (min)", &|s| minutes(s.stats[nearest].p90_min));
    out += &row("hours of presence / inhabitant", &|s| {
        format!("{:.1}", s.fixed_hours + s.bus_hours)
    });
    out += &row("bus km a month", &|s| {
        s.emissions.bus_km_month.map_or("—".into(), |k| format!("{k:.0}"))
    });
    out += &row("residents' km avoided a month", &|s| {
        format!("{:.0}", s.emissions.km_avoided_month)
    });
    out += &row("net CO2 avoided (kg a month)", &|s| {
        s.emissions.net_kg_month.map_or("—".into(), |k| format!("{k:+.0}"))
    });
    for other in &scenarios[1..] {
        let changes = changes(&scenarios[0], other);
        let (gains, losses): (Vec<&Change>, Vec<&Change>) = changes.iter().partition(|c| c.gain() > 0.0);
        let people = |list: &[&Change]| list.iter().map(|c| u64::from(c.population)).sum::<u64>();
        let _ = writeln!(
            out,
            "\n{} against {}: {} communes ({} inhabitants) gain access, {} ({} inhabitants) lose it",
            other.name,
            scenarios[0].name,
            gains.len(),
            people(&gains),
            losses.len(),
            people(&losses)
        );
        for c in gains.iter().take(shown).chain(losses.iter().take(shown)) {
            let _ = writeln!(
                out,
                "  {:<6} {:<24} {:>7} inh.  {:>6} → {:>6} min  ({:+.1} min)",
                c.insee,
                clip(&c.name, 24),
                c.population,
                minutes(c.before),
                minutes(c.after),
                -c.gain()
            );
        }
    }
    out
}

/// `compare.csv`: one row per commune of the reference, the nearest
/// access time in each scenario.
pub fn compare_csv(scenarios: &[Coverage]) -> crate::Result<Vec<u8>> {
    let mut w = CsvOut::new("compare.csv");
    let mut header = vec!["insee".to_string(), "name".into(), "population".into()];
    header.extend(scenarios.iter().map(|s| format!("nearest_min {}", s.name)));
    w.row(&header)?;
    let lookup: Vec<HashMap<&str, Option<f64>>> = scenarios
        .iter()
        .map(|s| {
            s.communes
                .iter()
                .map(|c| (c.insee.as_str(), c.minutes(Measure::Nearest)))
                .collect()
        })
        .collect();
    for c in &scenarios[0].communes {
        let mut row = vec![c.insee.clone(), c.name.clone(), c.population.to_string()];
        row.extend(lookup.iter().map(|m| {
            m.get(c.insee.as_str())
                .copied()
                .flatten()
                .map_or(String::new(), |v| format!("{v:.1}"))
        }));
        w.row(&row)?;
    }
    w.finish()
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width - 1).collect();
    format!("{cut}…")
}
