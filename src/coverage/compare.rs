//! Scenarios side by side: the territory indicators of each, and the
//! communes whose access to the nearest service point changes against the
//! first scenario, the reference.

use crate::coverage::{Coverage, Measure};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Smaller changes (straight-line rounding, a stop moved next door) are
/// not reported as gains or losses.
const MIN_CHANGE_MIN: f64 = 1.0;

/// A commune whose nearest-point access time differs from the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub insee: String,
    pub name: String,
    pub population: u32,
    /// Minutes in the reference and in the scenario (`None`: unreachable).
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl Change {
    /// Minutes saved (negative: lost); an unreachable side counts as 10 h.
    pub fn gain(&self) -> f64 {
        let far = |v: Option<f64>| v.unwrap_or(600.0);
        far(self.before) - far(self.after)
    }
}

/// Communes whose nearest access changes by at least [`MIN_CHANGE_MIN`]
/// between `reference` and `other`, largest population × change first.
fn changes(reference: &Coverage, other: &Coverage) -> Vec<Change> {
    let before: HashMap<&str, Option<f64>> = reference
        .communes
        .iter()
        .map(|c| (c.insee.as_str(), c.minutes(Measure::Nearest)))
        .collect();
    let mut out: Vec<Change> = other
        .communes
        .iter()
        .filter_map(|c| {
            let change = Change {
                insee: c.insee.clone(),
                name: c.name.clone(),
                population: c.population,
                before: *before.get(c.insee.as_str())?,
                after: c.minutes(Measure::Nearest),
            };
            (change.gain().abs() >= MIN_CHANGE_MIN).then_some(change)
        })
        .collect();
    out.sort_by(|a, b| {
        let weight = |c: &Change| c.gain().abs() * f64::from(c.population);
        weight(b).total_cmp(&weight(a)).then_with(|| a.insee.cmp(&b.insee))
    });
    out
}

/// The comparison printed on stdout.
pub fn text(scenarios: &[Coverage], shown: usize) -> String {
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
pub fn csv(scenarios: &[Coverage]) -> crate::Result<Vec<u8>> {
    let fail = |e: csv::Error| crate::Error::internal(format!("compare.csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["insee".to_string(), "name".into(), "population".into()];
    header.extend(scenarios.iter().map(|s| format!("nearest_min {}", s.name)));
    w.write_record(&header).map_err(fail)?;
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
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| crate::Error::internal(format!("compare.csv: {e}")))
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width - 1).collect();
    format!("{cut}…")
}
