//! Service points for the coverage analysis: the fixed sites (France
//! Services in the official open-data layout, or a simple
//! `name,lat,lon,hours` table) and the bus stops of a saved plan, each with
//! its hours of presence per month.

use super::plan_csv::SavedPlan;
use super::table::Table;
use crate::calendar::parse_clock;
use crate::error::{Error, Location, Result};
use crate::input::territory::LatLon;
use std::collections::HashMap;
use std::path::Path;

use crate::calendar::WEEKS_PER_MONTH;

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
                .map(|day| {
                    let raw = row.get(day);
                    opening_minutes(raw).ok_or_else(|| {
                        row.error(
                            day,
                            format!("`{raw}`: expected opening hours such as `09:00 - 12:00 / 14:00 - 17:15`"),
                        )
                    })
                })
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

/// The bus stops of a saved plan: one point per commune served, open the
/// sum of its sessions over a month.
pub(crate) fn saved_stops(plan: &SavedPlan) -> Vec<ServicePoint> {
    // A rolling cycle's rows are one cycle: counted per month.
    let per_month = plan.cycle_weeks.map_or(1.0, |n| WEEKS_PER_MONTH / f64::from(n));
    let mut stops: Vec<ServicePoint> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for row in &plan.rows {
        let k = *index.entry(&row.insee).or_insert_with(|| {
            stops.push(ServicePoint {
                name: row.commune.clone(),
                insee: Some(row.insee.clone()),
                at: row.at,
                hours_month: 0.0,
            });
            stops.len() - 1
        });
        stops[k].hours_month += f64::from(row.end - row.start) / 60.0 * per_month;
    }
    stops
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
            let span = f64::from(parse_clock(to)?) - f64::from(parse_clock(from)?);
            (span >= 0.0).then_some(span)
        })
        .sum()
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
