//! CSV outputs: `plan.csv` (one row per visit, the format
//! [`crate::input::plan_csv`] reads back) and travel matrices.

use crate::calendar::{format_clock, weekday_code};
use crate::csv_out::CsvOut;
use crate::error::Result;
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::fmt::Write as _;

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

/// `v` with `places` decimals, a decimal comma in French style.
fn decimal_places(v: f64, places: usize, french: bool) -> String {
    let text = format!("{v:.places$}");
    if french { text.replace('.', ",") } else { text }
}

/// `plan.csv`: one row per visit, with the date when a month is set.
pub(crate) fn plan_csv(instance: &Instance, plan: &Plan, style: CsvStyle) -> Result<Vec<u8>> {
    let french = style == CsvStyle::French;
    let mut out = Vec::new();
    if french {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut builder = csv::WriterBuilder::new();
    builder.delimiter(if french { b';' } else { b',' });
    let mut w = CsvOut::after("plan.csv", &builder, out);
    let decimal = |v: f64| decimal_places(v, 6, french);
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
        if instance.cycle.month().is_some() || instance.cycle.first_monday().is_none() {
            "visits_per_month"
        } else {
            "visits_per_cycle"
        },
    ];
    if instance.cycle.has_dates() {
        header.push("date");
    }
    let rolling = instance.cycle.first_monday().is_some();
    if rolling {
        header.push("cycle_weeks");
    }
    header.push("horaires");
    header.push("day_km");
    // A commune served at several slots names the line of each visit.
    let slots = instance.territory.communes.iter().any(|c| c.slot.is_some());
    if slots {
        header.push("slot");
    }
    let drives = plan.day_drives(instance);
    let horaires = crate::output::opendata::horaires_by_visit(instance, plan);
    w.row(&header)?;
    // Visits, not rows: a whole day is one visit on two rows; over a year
    // of real dates, visits in an average month.
    let frequency = |c: usize| {
        let mut days: Vec<_> = plan
            .visits
            .iter()
            .filter(|v| v.commune == c)
            .map(|v| (v.bus, v.slot.week, v.slot.weekday.num_days_from_monday()))
            .collect();
        days.sort_unstable();
        days.dedup();
        let weight =
            |&(_, week, day): &(usize, u8, u32)| instance.cycle.weight(week, crate::calendar::WEEKDAYS[day as usize]);
        days.iter().map(weight).sum::<f64>().round() as usize
    };
    for v in &plan.visits {
        let commune = &instance.territory.communes[v.commune];
        let session = instance.sessions_on(v.bus, v.slot.weekday).get(v.slot.half);
        let mut row = vec![
            instance.buses[v.bus].name.clone(),
            v.slot.week.to_string(),
            weekday_code(v.slot.weekday).to_string(),
            v.slot.half.code().to_string(),
            format_clock(v.time.map_or(session.start, |t| t.0)),
            format_clock(v.time.map_or(session.end, |t| t.1)),
            commune.insee.clone(),
            commune.name.clone(),
            decimal(commune.stop.lat),
            decimal(commune.stop.lon),
            frequency(v.commune).to_string(),
        ];
        if let Some(date) = instance.cycle.date_of(v.slot.week, v.slot.weekday) {
            row.push(date.to_string());
        }
        if rolling {
            row.push(instance.cycle.weeks.to_string());
        }
        let key = (v.bus, v.commune, v.slot.week, v.slot.weekday);
        row.push(horaires.get(&key).cloned().unwrap_or_default());
        // The km of the bus day this visit belongs to.
        let day = drives[&(v.bus, v.slot.week, v.slot.weekday)];
        row.push(decimal_places(day.metres / 1000.0, 1, french));
        if slots {
            row.push(commune.slot.clone().unwrap_or_default());
        }
        w.row(&row)?;
    }
    w.finish()
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
