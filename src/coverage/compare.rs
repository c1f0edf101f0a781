//! Scenarios side by side: the territory indicators of each, and the
//! communes whose access to the nearest service point changes against the
//! first scenario, the reference.

use crate::coverage::{Coverage, Measure};
use std::collections::HashMap;

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
pub(crate) fn changes(reference: &Coverage, other: &Coverage) -> Vec<Change> {
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
