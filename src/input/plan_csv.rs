//! A saved `plan.csv` (as `tournee plan` writes it, possibly edited in a
//! spreadsheet, plain or French style): one row per visit. The one reader
//! of the format: re-planning and re-export turn its rows into patterns
//! (`schedule::saved`), coverage into stops
//! (`input::sites::saved_stops`).

use super::table::Table;
use crate::calendar::{HalfDay, MAX_CYCLE_WEEKS, parse_weekday};
use crate::error::{Error, Result};
use crate::input::scenario::Sessions;
use crate::input::territory::{LatLon, Territory};
use chrono::Weekday;
use std::path::{Path, PathBuf};

/// The columns a plan must have: what a planner types.
const PLAN_COLUMNS: [&str; 5] = ["bus", "week", "weekday", "half_day", "insee"];

/// One visit of a saved plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    /// 1-based line in the file, for messages about the row.
    pub line: u64,
    /// The bus's name in the scenario.
    pub bus: String,
    /// Week of the cycle, 1–12 (the checker holds it to the cycle's length).
    pub week: u8,
    pub weekday: Weekday,
    pub half: HalfDay,
    /// Minutes since midnight; `end` is after `start`.
    pub start: u32,
    pub end: u32,
    pub insee: String,
    /// Which of the commune's lines of service (its `slot` label in the
    /// commune table), when the plan says.
    pub slot: Option<String>,
    pub commune: String,
    /// The stop's coordinates.
    pub at: LatLon,
}

/// A saved plan: its file and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPlan {
    pub source: PathBuf,
    pub rows: Vec<PlanRow>,
    /// The weeks of a rolling cycle (`cycle_weeks` column), `None` for a
    /// month.
    pub cycle_weeks: Option<u8>,
}

/// What a plan typed by hand may leave out, and the reader takes from
/// the scenario and the commune table: each row's hours (its session's),
/// the commune's name and its stop.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub sessions: Sessions,
    /// Buses' own hours on some weekdays, by bus name (`[[bus]] hours`).
    pub bus_hours: Vec<(String, Weekday, Sessions)>,
    /// `None`: the plan must give `commune`, `lat` and `lon` itself.
    pub territory: Option<&'a Territory>,
}

impl Context<'_> {
    /// The sessions `bus` works on `weekday`.
    fn sessions_of(&self, bus: &str, weekday: Weekday) -> Sessions {
        self.bus_hours
            .iter()
            .find(|(name, day, _)| name == bus && *day == weekday)
            .map_or(self.sessions, |(_, _, s)| *s)
    }
}

impl SavedPlan {
    /// Reads `path`, a plan folder (its `plan.csv`), the CSV itself, or a
    /// spreadsheet with a sheet of the same columns.
    pub fn read(path: &Path, context: &Context) -> Result<SavedPlan> {
        let file = if path.is_dir() {
            path.join("plan.csv")
        } else {
            path.to_path_buf()
        };
        if super::sheet::is_sheet(&file) {
            // A tour typed in a spreadsheet: the sheet with its columns.
            let sheet = super::sheet::read_with(&file, &PLAN_COLUMNS, &|h| h.eq_ignore_ascii_case("insee"))?;
            return SavedPlan::parse(&sheet.text, &file, context).map_err(|e| sheet.locate(e, |_| None));
        }
        let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e, crate::ErrorKind::Input))?;
        // A plan edited in French Excel comes back in Windows-1252.
        let (text, _) = super::table::decode(bytes, &file)?;
        SavedPlan::parse(&text, &file, context)
    }

    /// Parses plan.csv text; `source` names it in messages. The five
    /// columns a planner types (`bus, week, weekday, half_day, insee`) are
    /// enough: hours, name and stop come from `context` where absent, and
    /// a `FULL` row stands for its morning and its afternoon.
    pub fn parse(text: &str, source: &Path, context: &Context) -> Result<SavedPlan> {
        let table = Table::parse(text, source)?;
        for column in PLAN_COLUMNS {
            table.require(
                column,
                "a plan: bus, week, weekday, half_day, insee (as tournee plan writes it, or typed)",
            )?;
        }
        let mut rows = Vec::new();
        let mut cycle_weeks = None;
        for row in table.rows() {
            let row = row?;
            if !row.get("cycle_weeks").is_empty() {
                let weeks = row.number(
                    "cycle_weeks",
                    1.0..=f64::from(MAX_CYCLE_WEEKS),
                    "cycle length, 1–12 weeks",
                )?;
                cycle_weeks = Some(weeks as u8);
            }
            let week = row.number("week", 1.0..=f64::from(MAX_CYCLE_WEEKS), "week of the cycle, 1–12")?;
            if week.fract() != 0.0 {
                return Err(row.error("week", format!("`{week}`: expected a week of the cycle, 1–12")));
            }
            let weekday = parse_weekday(row.get("weekday"))
                .ok_or_else(|| row.error("weekday", "expected a weekday such as Mon".into()))?;
            let halves: &[HalfDay] = match row.get("half_day").to_uppercase().as_str() {
                "FULL" | "JOURNÉE" | "JOURNEE" => &HalfDay::BOTH,
                "AM" => &[HalfDay::Am],
                "PM" => &[HalfDay::Pm],
                _ => return Err(row.error("half_day", "expected AM, PM or FULL".into())),
            };
            let insee = row.get("insee").to_string();
            let commune = context.territory.and_then(|t| t.find(&insee));
            let named = !row.get("commune").is_empty();
            let commune_name = match (named, commune) {
                (true, _) => row.get("commune").to_string(),
                (false, Some(c)) => c.name.clone(),
                (false, None) => {
                    return Err(row.error(
                        "insee",
                        format!("commune {insee} is not in the commune table: give its `commune`, `lat` and `lon`"),
                    ));
                }
            };
            let at = if row.get("lat").is_empty() && row.get("lon").is_empty() {
                match commune {
                    Some(c) => c.stop,
                    None => {
                        return Err(row.error("lat", format!("commune {insee} has no stop: give its `lat` and `lon`")));
                    }
                }
            } else {
                LatLon {
                    lat: row.number("lat", -90.0..=90.0, "latitude in degrees")?,
                    lon: row.number("lon", -180.0..=180.0, "longitude in degrees")?,
                }
            };
            let hours_given = !row.get("start").is_empty() || !row.get("end").is_empty();
            if halves.len() == 2 && hours_given {
                return Err(row.error(
                    "start",
                    "a FULL row takes the morning and afternoon sessions: leave `start` and `end` empty, or write two rows, AM and PM".into(),
                ));
            }
            for &half in halves {
                let (start, end) = if hours_given {
                    (row.clock("start")?, row.clock("end")?)
                } else {
                    let session = context.sessions_of(row.get("bus"), weekday).get(half);
                    (session.start, session.end)
                };
                if end <= start {
                    return Err(row.error("end", "expected the session to end after it starts".into()));
                }
                rows.push(PlanRow {
                    line: row.line(),
                    bus: row.get("bus").to_string(),
                    week: week as u8,
                    weekday,
                    half,
                    start,
                    end,
                    insee: insee.clone(),
                    slot: Some(row.get("slot")).filter(|s| !s.is_empty()).map(String::from),
                    commune: commune_name.clone(),
                    at,
                });
            }
        }
        Ok(SavedPlan {
            source: source.to_path_buf(),
            rows,
            cycle_weeks,
        })
    }
}
