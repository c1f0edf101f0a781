//! Stage 7: exports. Renders a checked plan as a readable calendar for the
//! terminal, `plan.csv` (one row per visit), `summary.json`, `map.geojson`,
//! `report.html` and the iCalendar files. Files are
//! written atomically (temporary file, then rename), so an interrupted run
//! never leaves a half-written output.

use crate::calendar::{HalfDay, WEEKDAYS, WEEKS, format_clock, weekday_code};
use crate::error::{Error, Result};
use crate::model::Instance;
use crate::plan::Plan;
use serde_json::json;
use std::fmt::Write as _;

/// Run settings recorded in the summary, so a plan can be reproduced.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo {
    /// `None` when the plan was read back rather than solved.
    pub seed: Option<u64>,
    pub iterations: Option<u64>,
    /// Communes moved off their previous slot, when re-planning.
    pub moved: Option<usize>,
}

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
    let month = instance
        .month
        .map_or("generic 4-week cycle".to_string(), |m| format!("month {m}"));
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
        for week in 1..=WEEKS {
            out.push_str(&rule);
            if let Some(m) = instance.month {
                let dates: Vec<String> = days
                    .iter()
                    .map(|d| {
                        let date = m.date_of(week, *d);
                        let holiday = if crate::calendar::is_french_holiday(date) {
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
                let cells: Vec<String> =
                    days.iter()
                        .map(|d| {
                            let stop = plan.visits.iter().find(|v| {
                                v.bus == b && v.slot.week == week && v.slot.weekday == *d && v.slot.half == half
                            });
                            cell(stop.map_or("·", |v| instance.territory.communes[v.commune].name.as_str()))
                        })
                        .collect();
                let label = if instance.month.is_some() {
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
    if instance.month.is_none() {
        let _ = writeln!(
            out,
            "note: no month set, so no dates; set `month = \"YYYY-MM\"` in the scenario"
        );
    }
    out
}

/// How `plan.csv` is spelt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvStyle {
    /// Comma-separated, decimal point: for scripts.
    #[default]
    Plain,
    /// Semicolon-separated, decimal comma, UTF-8 BOM: opens cleanly in a
    /// French spreadsheet.
    French,
}

/// `plan.csv`: one row per visit, with the date when a month is set.
pub fn plan_csv(instance: &Instance, plan: &Plan, style: CsvStyle) -> Result<Vec<u8>> {
    let french = style == CsvStyle::French;
    let mut out = Vec::new();
    if french {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(if french { b';' } else { b',' })
        .from_writer(out);
    let decimal = |v: f64| {
        let text = format!("{v:.6}");
        if french { text.replace('.', ",") } else { text }
    };
    let mut header = vec![
        "bus",
        "week",
        "weekday",
        "half_day",
        "start",
        "end",
        "insee",
        "commune",
        "lat",
        "lon",
        "visits_per_month",
    ];
    if instance.month.is_some() {
        header.push("date");
    }
    let to_err = |e: csv::Error| Error::internal(format!("rendering plan.csv: {e}"));
    w.write_record(&header).map_err(to_err)?;
    let frequency = |c: usize| plan.visits.iter().filter(|v| v.commune == c).count();
    for v in &plan.visits {
        let commune = &instance.territory.communes[v.commune];
        let session = instance.sessions.get(v.slot.half);
        let mut row = vec![
            instance.buses[v.bus].name.clone(),
            v.slot.week.to_string(),
            weekday_code(v.slot.weekday).to_string(),
            v.slot.half.code().to_string(),
            format_clock(session.start),
            format_clock(session.end),
            commune.insee.clone(),
            commune.name.clone(),
            decimal(commune.stop.lat),
            decimal(commune.stop.lon),
            frequency(v.commune).to_string(),
        ];
        if let Some(m) = instance.month {
            row.push(m.date_of(v.slot.week, v.slot.weekday).to_string());
        }
        w.write_record(&row).map_err(to_err)?;
    }
    w.into_inner()
        .map_err(|e| Error::internal(format!("rendering plan.csv: {e}")))
}

/// `summary.json`: the figures a script needs, and how they were obtained.
pub fn summary_json(instance: &Instance, plan: &Plan, run: RunInfo) -> String {
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
        "communes": plan.communes_served(),
        "communes_in_territory": instance.territory.communes.len(),
        "population_served": plan_population(instance, plan),
        "visits": fleet.visits,
        "bus_days": fleet.days,
        "drive_seconds": fleet.drive_seconds.round(),
        "drive_km": (fleet.drive_metres / 100.0).round() / 10.0,
        "month": instance.month.map(|m| m.to_string()),
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

/// Renders `plan.csv`, `summary.json`, `map.geojson`, `report.html` and,
/// when a month is set, the iCalendar files (`calendars/`), as (relative
/// path, bytes) for [`crate::io::write_folder`]: everything is rendered
/// before the first byte hits the disk.
pub fn output_files(
    instance: &Instance,
    plan: &Plan,
    run: RunInfo,
    style: CsvStyle,
    legs: &crate::map::Legs,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![
        ("plan.csv".to_string(), plan_csv(instance, plan, style)?),
        (
            "summary.json".to_string(),
            summary_json(instance, plan, run).into_bytes(),
        ),
        (
            "map.geojson".to_string(),
            crate::map::geojson(instance, plan, legs).into_bytes(),
        ),
        (
            "report.html".to_string(),
            crate::report::html(instance, plan, legs).into_bytes(),
        ),
    ];
    if let Some(month) = instance.month {
        let calendars = crate::ical::calendars(instance, &plan.stops(), month);
        files.extend(calendars.into_iter().map(|(name, text)| (name, text.into_bytes())));
    }
    Ok(files)
}

/// An N×N matrix as CSV: row i = from point i, `decimals` digits, an
/// empty cell where `value` is `None` (unreachable).
pub fn matrix_csv(n: usize, decimals: usize, value: impl Fn(usize, usize) -> Option<f64>) -> Vec<u8> {
    let mut out = String::with_capacity(n * n * 8);
    for i in 0..n {
        for j in 0..n {
            if j > 0 {
                out.push(',');
            }
            if let Some(v) = value(i, j) {
                let _ = write!(out, "{v:.decimals$}");
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}
