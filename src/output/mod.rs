//! Outputs. Renders a checked plan as the calendar printed on the
//! terminal ([`text`]), `plan.csv` ([`csv`]), `summary.json` ([`json`]),
//! `map.geojson` ([`map`]), `report.html` with posters and a map ([`report`],
//! [`svgmap`]),
//! `plan.xlsx` and `plan.ods` ([`workbook`]) and iCalendar files ([`ical`]), the French sentences they share
//! ([`wording`]); renders what the analyses hand it ([`coverage`],
//! [`national`]); and writes them with the output-folder policy
//! ([`folder`]): atomically, listed in a manifest, never over a folder that
//! is not tournee's.

pub mod coverage;
pub mod csv;
pub mod folder;
pub mod gpkg;
mod html;
pub mod ical;
pub mod json;
pub mod lang;
pub mod map;
pub mod national;
pub mod opendata;
pub mod report;
pub mod svgmap;
pub mod text;
pub mod wording;
pub mod workbook;

use crate::error::Result;
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
pub use csv::CsvStyle;

/// Run settings recorded in the summary, so a plan can be reproduced.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo {
    /// `None` when the plan was read back rather than solved.
    pub seed: Option<u64>,
    pub iterations: Option<u64>,
    /// Communes moved off their previous slot, when re-planning.
    pub moved: Option<usize>,
}

/// Renders `plan.csv`, `summary.json`, `map.geojson`, `report.html`,
/// `plan.gpkg`, `plan.xlsx`, `plan.ods` and,
/// when a month is set, the iCalendar files (`calendars/`), as (relative
/// path, bytes) for [`crate::output::folder::write_folder`]: everything is rendered
/// before the first byte hits the disk.
pub fn output_files(
    instance: &Instance,
    plan: &Plan,
    run: RunInfo,
    style: CsvStyle,
    legs: &crate::output::map::Legs,
) -> Result<Vec<(String, Vec<u8>)>> {
    let map = crate::output::map::geojson(instance, plan, legs);
    let layers = gpkg::from_geojson(&[&map])?;
    let mut files = vec![
        ("plan.csv".to_string(), csv::plan_csv(instance, plan, style)?),
        (
            "summary.json".to_string(),
            json::summary_json(instance, plan, run).into_bytes(),
        ),
        ("map.geojson".to_string(), map.into_bytes()),
        (
            "report.html".to_string(),
            crate::output::report::html(instance, plan, legs).into_bytes(),
        ),
        ("plan.gpkg".to_string(), layers),
        ("plan.xlsx".to_string(), workbook::xlsx(instance, plan)?),
        ("plan.ods".to_string(), workbook::ods(instance, plan)?),
    ];
    if instance.publish.is_some() {
        files.push((opendata::FILE.to_string(), opendata::csv(instance, plan)?));
    }
    let calendars = crate::output::ical::calendars(instance, &plan.stops());
    files.extend(calendars.into_iter().map(|(name, text)| (name, text.into_bytes())));
    Ok(files)
}
