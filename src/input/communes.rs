//! The national commune table: every commune with its département, région
//! and intercommunality, as `fr_communes_2026.csv` lays them out.

use super::table::{Table, misplaced};
use crate::error::{Error, Location, Result};
use crate::input::territory::LatLon;
use std::path::Path;

/// One located commune of the national table.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalCommune {
    pub insee: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    /// SIREN of its intercommunality (EPCI); empty for the few without one.
    pub epci: String,
    pub population: u32,
    pub at: LatLon,
}

/// The communes read, and how many rows had no coordinates.
#[derive(Debug, Clone)]
pub struct CommuneTable {
    pub communes: Vec<NationalCommune>,
    /// Rows left out because both coordinates are empty (communes merged
    /// or created too recently to have a centre).
    pub unlocated: usize,
}

const LAYOUT: &str = "insee,name,departement,region,epci_siren,population,lat,lon (the layout of fr_communes_2026.csv)";

/// Reads the national commune table.
pub fn read(path: &Path) -> Result<CommuneTable> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
    parse(&text, path)
}

/// Parses the national commune table; `source` names it in messages.
pub fn parse(text: &str, source: &Path) -> Result<CommuneTable> {
    let table = Table::parse(text, source)?;
    for column in [
        "insee",
        "name",
        "departement",
        "region",
        "epci_siren",
        "population",
        "lat",
        "lon",
    ] {
        table.require(column, LAYOUT)?;
    }
    let mut out = CommuneTable {
        communes: Vec::new(),
        unlocated: 0,
    };
    for row in table.rows() {
        let row = row?;
        if row.get("lat").is_empty() && row.get("lon").is_empty() {
            out.unlocated += 1;
            continue;
        }
        let code = |column: &str| -> Result<String> {
            let value = row.get(column).trim();
            if value.is_empty() {
                return Err(row.error(column, "empty: expected a code".into()));
            }
            Ok(value.to_string())
        };
        let insee = code("insee")?;
        let at = LatLon {
            lat: row.number("lat", -90.0..=90.0, "latitude in degrees")?,
            lon: row.number("lon", -180.0..=180.0, "longitude in degrees")?,
        };
        if let Some(why) = misplaced(&insee, (at.lat, at.lon), (row.get("lat"), row.get("lon"))) {
            return Err(row.error("lat", why));
        }
        out.communes.push(NationalCommune {
            insee,
            name: row.get("name").trim().to_string(),
            departement: code("departement")?,
            region: code("region")?,
            epci: row.get("epci_siren").trim().to_string(),
            population: row.number("population", 0.0..=10_000_000.0, "inhabitants, a whole number")? as u32,
            at,
        });
    }
    if out.communes.is_empty() {
        return Err(Error::input(Location::file(source), "no located commune in the table"));
    }
    Ok(out)
}
