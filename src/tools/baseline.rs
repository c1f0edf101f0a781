//! Benchmark baselines for CI: a run's JSON lines saved as a file
//! (`--save-baseline`), and a later run compared with it (`--baseline`):
//! a cost worse by more than a tolerance, or a speed ratio against the
//! in-run peer worse by more than a noise margin, is a regression. Raw
//! seconds are never compared — these machines are shared and noisy —
//! only ratios measured in the same run, and costs, which the seed and an
//! iteration budget make reproducible.

use crate::error::{Error, Location, Result};
use serde_json::Value;
use std::path::Path;

/// How much worse a run may be before it is a regression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    /// Relative: 0.01 lets a cost grow by 1 %.
    pub cost: f64,
    /// Relative: 0.25 lets a ratio against the peer grow by 25 %.
    pub ratio: f64,
}

impl Tolerances {
    /// Refuses negative or non-finite tolerances.
    pub fn new(cost: f64, ratio: f64) -> Result<Tolerances> {
        for (value, field) in [(cost, "--cost-tolerance"), (ratio, "--ratio-margin")] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::input(
                    Location::default().field(field),
                    format!("{value}: expected a relative tolerance ≥ 0, such as 0.01 for 1 %"),
                ));
            }
        }
        Ok(Tolerances { cost, ratio })
    }
}

/// A line's identity across runs: its name and size.
fn key(line: &Value) -> (String, String) {
    (
        line["name"].as_str().unwrap_or_default().to_string(),
        line["n"].to_string(),
    )
}

/// Reads a baseline file: one JSON object per line, each with a `name`.
pub fn read(path: &Path) -> Result<Vec<Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let at = || Location::file(path).line(i as u64 + 1);
            let value: Value =
                serde_json::from_str(l).map_err(|e| Error::input(at(), format!("not a JSON line: {e}")))?;
            if value["name"].as_str().is_none() {
                return Err(Error::input(at().field("name"), "a benchmark line without a name"));
            }
            Ok(value)
        })
        .collect()
}

/// The lines as a baseline file.
pub fn to_jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Every regression of `run` against `baseline`, in words; empty: none.
/// A benchmark of the baseline missing from the run is one too.
pub fn compare(baseline: &[Value], run: &[Value], tolerances: Tolerances) -> Vec<String> {
    let mut regressions = Vec::new();
    for base in baseline {
        let (name, n) = key(base);
        let Some(now) = run.iter().find(|l| key(l) == (name.clone(), n.clone())) else {
            regressions.push(format!("{name} (n = {n}): in the baseline, missing from this run"));
            continue;
        };
        if let (Some(before), Some(after)) = (base["cost"].as_f64(), now["cost"].as_f64())
            && after > before * (1.0 + tolerances.cost) + 1e-9
        {
            regressions.push(format!(
                "{name} (n = {n}): cost {after} against {before} in the baseline (+{:.2} %, tolerance {:.2} %)",
                (after / before - 1.0) * 100.0,
                tolerances.cost * 100.0
            ));
        }
        if name.contains("/ratio/")
            && let (Some(before), Some(after)) = (base["value"].as_f64(), now["value"].as_f64())
        {
            let higher_is_better = base["higher_is_better"].as_bool().unwrap_or(false);
            let worse = if higher_is_better {
                after < before * (1.0 - tolerances.ratio)
            } else {
                after > before * (1.0 + tolerances.ratio)
            };
            if worse {
                regressions.push(format!(
                    "{name} (n = {n}): ratio {after:.4} against {before:.4} in the baseline (margin {:.0} %)",
                    tolerances.ratio * 100.0
                ));
            }
        }
    }
    regressions
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn costs_and_ratios_beyond_their_margins_are_regressions() {
        let base = vec![
            json!({"name": "pvrp/p01", "n": 50, "cost": 100.0, "seconds": 9.0}),
            json!({"name": "matrix/ratio/table", "n": 1000, "value": 0.02}),
            json!({"name": "national/ratio/share_within", "n": 5, "value": 1.0, "higher_is_better": true}),
            json!({"name": "plan/apt", "n": 25, "cost": 40.0}),
        ];
        let tolerances = Tolerances::new(0.01, 0.25).unwrap();
        // Within the margins (and seconds ignored, however slow): nothing.
        let fine = vec![
            json!({"name": "pvrp/p01", "n": 50, "cost": 100.9, "seconds": 90.0}),
            json!({"name": "matrix/ratio/table", "n": 1000, "value": 0.0249}),
            json!({"name": "national/ratio/share_within", "n": 5, "value": 0.76, "higher_is_better": true}),
            json!({"name": "plan/apt", "n": 25, "cost": 39.0}),
        ];
        assert!(compare(&base, &fine, tolerances).is_empty());
        let worse = vec![
            json!({"name": "pvrp/p01", "n": 50, "cost": 101.2}),
            json!({"name": "matrix/ratio/table", "n": 1000, "value": 0.026}),
            json!({"name": "national/ratio/share_within", "n": 5, "value": 0.74, "higher_is_better": true}),
        ];
        let found = compare(&base, &worse, tolerances);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("pvrp/p01") && found[0].contains("+1.20 %"));
        assert!(found[3].contains("plan/apt") && found[3].contains("missing"));
        assert!(Tolerances::new(f64::NAN, 0.1).is_err());
    }
}
