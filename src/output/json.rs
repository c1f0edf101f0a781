//! `summary.json`: the figures a script needs, and how they were obtained.

use super::RunInfo;
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use serde_json::json;

/// `summary.json`: the figures a script needs, and how they were obtained.
pub(crate) fn summary_json(instance: &Instance, plan: &Plan, run: RunInfo) -> String {
    let (per_bus, fleet) = plan.totals(instance);
    let buses: Vec<_> = instance
        .buses
        .iter()
        .zip(&per_bus)
        .map(|(b, t)| {
            json!({
                "name": b.name,
                "depot": b.depot_label,
                "visits": t.visits,
                "days": t.days,
                "drive_seconds": t.drive_seconds.round(),
                "drive_km": (t.drive_metres / 100.0).round() / 10.0,
            })
        })
        .collect();
    let summary = json!({
        "territory": instance.name,
        "communes": plan.communes_served(&instance.territory),
        "communes_in_territory": instance.territory.commune_count(),
        "population_served": plan_population(instance, plan),
        "visits": fleet.visits,
        "bus_days": fleet.days,
        "drive_seconds": fleet.drive_seconds.round(),
        "drive_km": (fleet.drive_metres / 100.0).round() / 10.0,
        "month": instance.cycle.month().map(|m| m.to_string()),
        "cycle": {
            "weeks": instance.cycle.weeks,
            "anchor": if instance.cycle.first_monday().is_some() { "weeks" } else { "month" },
            "first_monday": instance.cycle.first_monday().map(|d| d.to_string()),
        },
        "travel": {
            "estimate": instance.matrix.source.is_estimate(),
            "description": instance.matrix.source.describe(),
        },
        "buses": buses,
        "seed": run.seed,
        "iterations": run.iterations,
        "moved_communes": run.moved,
        "checked": true,
    });
    let mut text = serde_json::to_string_pretty(&summary).expect("JSON values serialise");
    text.push('\n');
    text
}

fn plan_population(instance: &Instance, plan: &Plan) -> u64 {
    let mut served: Vec<usize> = plan.visits.iter().map(|v| v.commune).collect();
    served.sort_unstable();
    served.dedup();
    served
        .iter()
        .map(|&c| u64::from(instance.territory.communes[c].population))
        .sum()
}
