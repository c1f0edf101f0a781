//! The calendar printed on the terminal: one grid per bus (week × weekday
//! × half-day), with dates when a month is set, then the totals.

use crate::schedule::calendar::{HalfDay, WEEKDAYS, weekday_code};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::fmt::Write as _;

const CELL: usize = 18;

fn cell(text: &str) -> String {
    let count = text.chars().count();
    if count <= CELL {
        format!("{text:<CELL$}")
    } else {
        let cut: String = text.chars().take(CELL - 1).collect();
        format!("{cut}…")
    }
}

/// The human-readable calendar, totals and warnings printed on stdout.
pub fn calendar_text(instance: &Instance, plan: &Plan) -> String {
    let mut out = String::new();
    let month = instance.cycle.describe();
    for (b, bus) in instance.buses.iter().enumerate() {
        let days: Vec<_> = WEEKDAYS.into_iter().filter(|d| bus.weekdays.contains(d)).collect();
        let _ = writeln!(
            out,
            "\n{} — {} (depot {}), {month}",
            instance.name, bus.name, bus.depot_label
        );
        let rule = format!("{}\n", "-".repeat(10 + (CELL + 3) * days.len()));
        out.push_str(&rule);
        let header: Vec<String> = days.iter().map(|d| cell(weekday_code(*d))).collect();
        let _ = writeln!(out, "{:<10}| {}", "", header.join(" | "));
        for week in instance.cycle.week_numbers() {
            out.push_str(&rule);
            if instance.cycle.has_dates() {
                let dates: Vec<String> = days
                    .iter()
                    .filter_map(|d| instance.cycle.date_of(week, *d))
                    .map(|date| {
                        let holiday = if crate::schedule::calendar::is_french_holiday(date) {
                            " férié"
                        } else {
                            ""
                        };
                        cell(&format!("{}{holiday}", date.format("%d/%m")))
                    })
                    .collect();
                let _ = writeln!(out, "{:<10}| {}", format!("Week {week}"), dates.join(" | "));
            }
            for half in HalfDay::BOTH {
                let cells: Vec<String> = days
                    .iter()
                    .map(|d| {
                        // Short stops sharing the half-day: "A + B".
                        let names: Vec<&str> = plan
                            .visits
                            .iter()
                            .filter(|v| {
                                v.bus == b && v.slot.week == week && v.slot.weekday == *d && v.slot.half == half
                            })
                            .map(|v| instance.territory.communes[v.commune].name.as_str())
                            .collect();
                        cell(&if names.is_empty() {
                            "·".to_string()
                        } else {
                            names.join(" + ")
                        })
                    })
                    .collect();
                let label = if instance.cycle.has_dates() {
                    format!("  {half}")
                } else {
                    format!("W{week} {half}")
                };
                let _ = writeln!(out, "{label:<10}| {}", cells.join(" | "));
            }
        }
        out.push_str(&rule);
    }
    out.push_str(&totals_text(instance, plan));
    out
}

fn totals_text(instance: &Instance, plan: &Plan) -> String {
    let (per_bus, fleet) = plan.totals(instance);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCommunes served: {} of {} | visits: {} | bus days: {} | driving: {:.1} h, {:.0} km",
        plan.communes_served(),
        instance.territory.communes.len(),
        fleet.visits,
        fleet.days,
        fleet.drive_seconds / 3600.0,
        fleet.drive_metres / 1000.0
    );
    if per_bus.len() > 1 {
        for (bus, t) in instance.buses.iter().zip(&per_bus) {
            let _ = writeln!(
                out,
                "  {}: {} visits, {} days, {:.1} h, {:.0} km",
                bus.name,
                t.visits,
                t.days,
                t.drive_seconds / 3600.0,
                t.drive_metres / 1000.0
            );
        }
    }
    if instance.matrix.source.is_estimate() {
        let _ = writeln!(
            out,
            "warning: {}; give an OSM file for road times",
            instance.matrix.source.describe()
        );
    }
    if !instance.cycle.has_dates() {
        let _ = writeln!(
            out,
            "note: no month set, so no dates; set `month = \"YYYY-MM\"` in the scenario"
        );
    }
    out
}
