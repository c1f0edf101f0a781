//! Service points for the coverage analysis: the fixed sites (France
//! Services in the official open-data layout, or a simple
//! `name,lat,lon,hours` table) and the bus stops of a saved plan, each with
//! its hours of presence per month.

use crate::error::{Error, Location, Result};
use crate::territory::{LatLon, parse_number, sniff_delimiter};
use std::collections::HashMap;
use std::path::Path;

/// Weeks in an average month: opening hours are published per week.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// A place where residents can get the service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePoint {
    pub name: String,
    /// INSEE code of the commune it stands in, when known.
    pub insee: Option<String>,
    pub at: LatLon,
    /// Hours open per month (a bus stop of 2.5 h twice a month: 5 h).
    pub hours_month: f64,
}

/// The fixed sites read from a file, and the rows set aside.
#[derive(Debug, Clone, PartialEq)]
pub struct Sites {
    pub points: Vec<ServicePoint>,
    /// Rows of mobile services (`format_fs` Itinérante or Bus_équivalent):
    /// their coordinates are a base, not a place open to the public.
    pub mobile_skipped: usize,
}

/// The official France Services opening-hour columns, Monday to Saturday.
const FS_DAYS: [&str; 6] = ["h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi"];

/// Reads fixed service points. The France Services layout is recognised by
/// its `lib_fs` column; otherwise the table needs `name,lat,lon,hours`
/// with `hours` the opening hours per week. Mobile services are kept only
/// with `include_mobile`.
pub fn read_sites(path: &Path, include_mobile: bool) -> Result<Sites> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
    parse_sites(&text, path, include_mobile)
}

/// Parses a sites table; `source` is only used in messages.
pub fn parse_sites(text: &str, source: &Path, include_mobile: bool) -> Result<Sites> {
    let table = Table::parse(text, source)?;
    let official = table.has("lib_fs");
    let (name, lat, lon) = if official {
        ("lib_fs", "latitude", "longitude")
    } else {
        ("name", "lat", "lon")
    };
    for column in [name, lat, lon] {
        table.require(
            column,
            "name,lat,lon,hours (hours open per week) or the France Services layout",
        )?;
    }
    if !official {
        table.require("hours", "name,lat,lon,hours with hours open per week")?;
    }
    let mut sites = Sites {
        points: Vec::new(),
        mobile_skipped: 0,
    };
    for row in table.rows() {
        let row = row?;
        if official && !include_mobile && is_mobile(row.get("format_fs")) {
            sites.mobile_skipped += 1;
            continue;
        }
        let weekly = if official {
            FS_DAYS
                .iter()
                .map(|day| row.opening_minutes(day))
                .sum::<Result<f64>>()?
                / 60.0
        } else {
            row.number("hours", 0.0..=168.0, "hours open per week, 0–168")?
        };
        sites.points.push(ServicePoint {
            name: row.get(name).to_string(),
            insee: Some(row.get("insee_com").to_string()).filter(|s| !s.is_empty()),
            at: LatLon {
                lat: row.number(lat, -90.0..=90.0, "latitude in degrees")?,
                lon: row.number(lon, -180.0..=180.0, "longitude in degrees")?,
            },
            hours_month: weekly * WEEKS_PER_MONTH,
        });
    }
    if sites.points.is_empty() {
        return Err(Error::input(
            Location::file(source),
            "no service point in the file: expected at least one fixed site",
        ));
    }
    Ok(sites)
}

fn is_mobile(format: &str) -> bool {
    let f = format.to_lowercase();
    f.starts_with("itin") || f.starts_with("bus")
}

/// Reads the bus stops of a plan folder written by `tournee plan`: one
/// point per commune served, open the sum of its sessions over the month.
pub fn read_plan_stops(plan_csv: &Path) -> Result<Vec<ServicePoint>> {
    let text = std::fs::read_to_string(plan_csv).map_err(|e| Error::io(plan_csv, e, crate::ErrorKind::Input))?;
    let table = Table::parse(&text, plan_csv)?;
    for column in ["insee", "commune", "lat", "lon", "start", "end"] {
        table.require(column, "a plan.csv written by tournee plan")?;
    }
    let mut stops: Vec<ServicePoint> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in table.rows() {
        let row = row?;
        let minutes = row.clock("end")? - row.clock("start")?;
        if minutes <= 0.0 {
            return Err(row.error("end", "expected the session to end after it starts".into()));
        }
        let insee = row.get("insee").to_string();
        let at = LatLon {
            lat: row.number("lat", -90.0..=90.0, "latitude in degrees")?,
            lon: row.number("lon", -180.0..=180.0, "longitude in degrees")?,
        };
        let k = *index.entry(insee.clone()).or_insert_with(|| {
            stops.push(ServicePoint {
                name: row.get("commune").to_string(),
                insee: Some(insee),
                at,
                hours_month: 0.0,
            });
            stops.len() - 1
        });
        stops[k].hours_month += minutes / 60.0;
    }
    Ok(stops)
}

/// The bus stops of a solved plan, each open the sum of its sessions.
pub fn plan_stops(instance: &crate::model::Instance, plan: &crate::plan::Plan) -> Vec<ServicePoint> {
    let mut stops: Vec<ServicePoint> = Vec::new();
    for stop in plan.stops() {
        let commune = &instance.territory.communes[stop.commune];
        let session = instance.sessions.get(stop.half);
        let hours = stop.weeks.len() as f64 * f64::from(session.end - session.start) / 60.0;
        match stops.iter_mut().find(|s| s.insee.as_deref() == Some(&commune.insee)) {
            Some(s) => s.hours_month += hours,
            None => stops.push(ServicePoint {
                name: commune.stop_name.clone().unwrap_or_else(|| commune.name.clone()),
                insee: Some(commune.insee.clone()),
                at: commune.stop,
                hours_month: hours,
            }),
        }
    }
    stops
}

/// Minutes after midnight of `HH:MM`.
fn parse_clock(raw: &str) -> Option<f64> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h <= 24 && m < 60).then_some(f64::from(h * 60 + m))
}

/// Minutes open in a day written `09:00 - 12:00 / 14:00 - 17:15`; an empty
/// cell is a closed day, and so is `00:00 - 00:00`, which the official list
/// uses for a closed half-day.
fn opening_minutes(raw: &str) -> Option<f64> {
    raw.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|range| {
            let (from, to) = range.split_once('-')?;
            let span = parse_clock(to)? - parse_clock(from)?;
            (span >= 0.0).then_some(span)
        })
        .sum()
}

/// A CSV table read whole, with columns looked up by name: the shared
/// reader for site lists and plans.
struct Table<'a> {
    source: &'a Path,
    headers: Vec<String>,
    records: Vec<std::result::Result<csv::StringRecord, csv::Error>>,
}

impl<'a> Table<'a> {
    fn parse(text: &str, source: &'a Path) -> Result<Table<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .ok_or_else(|| Error::input(Location::file(source), "the file is empty: expected a header line"))?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(header))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::input(Location::file(source), e.to_string()))?
            .iter()
            .map(str::to_lowercase)
            .collect();
        Ok(Table {
            source,
            headers,
            records: reader.records().collect(),
        })
    }

    fn has(&self, column: &str) -> bool {
        self.headers.iter().any(|h| h == column)
    }

    fn require(&self, column: &str, expected: &str) -> Result<()> {
        if self.has(column) {
            return Ok(());
        }
        Err(Error::input(
            Location::file(self.source).line(1).field(column),
            format!("missing column `{column}`: expected {expected}"),
        ))
    }

    fn rows(&self) -> impl Iterator<Item = Result<TableRow<'_>>> {
        self.records.iter().filter_map(move |r| match r {
            Err(e) => Some(Err(Error::input(Location::file(self.source), e.to_string()))),
            Ok(record) if record.iter().all(str::is_empty) => None,
            Ok(record) => Some(Ok(TableRow { table: self, record })),
        })
    }
}

struct TableRow<'a> {
    table: &'a Table<'a>,
    record: &'a csv::StringRecord,
}

impl TableRow<'_> {
    fn get(&self, column: &str) -> &str {
        self.table
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    fn error(&self, column: &str, message: String) -> Error {
        let line = self.record.position().map_or(0, |p| p.line());
        Error::input(Location::file(self.table.source).line(line).field(column), message)
    }

    fn number(&self, column: &str, range: std::ops::RangeInclusive<f64>, expected: &str) -> Result<f64> {
        let raw = self.get(column);
        parse_number(raw)
            .filter(|v| range.contains(v))
            .ok_or_else(|| self.error(column, format!("`{raw}`: expected a {expected}")))
    }

    fn clock(&self, column: &str) -> Result<f64> {
        let raw = self.get(column);
        parse_clock(raw).ok_or_else(|| self.error(column, format!("`{raw}`: expected a time HH:MM")))
    }

    fn opening_minutes(&self, column: &str) -> Result<f64> {
        let raw = self.get(column);
        opening_minutes(raw).ok_or_else(|| {
            self.error(
                column,
                format!("`{raw}`: expected opening hours such as `09:00 - 12:00 / 14:00 - 17:15`"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_add_up_by_hand() {
        // 3 h + 3 h 15 = 375 minutes.
        assert_eq!(opening_minutes("09:00 - 12:00 / 14:00 - 17:15"), Some(375.0));
        assert_eq!(opening_minutes(""), Some(0.0));
        assert_eq!(opening_minutes("00:00 - 00:00 / 09:00 - 12:00"), Some(180.0));
        assert_eq!(opening_minutes("12:00 - 09:00"), None);
        assert_eq!(opening_minutes("matin"), None);
    }
}
