//! GeoPackage export (OGC GeoPackage 1.3, an SQLite file QGIS opens as
//! layers): each GeoJSON map of a run becomes one layer per feature kind
//! (depots, stops, daily routes; communes with their indicators; fixed
//! sites, bus stops), with the same properties as typed columns, in
//! WGS 84. The file is built in an in-memory SQLite database and returned
//! as bytes: nothing touches the disk before the output-folder policy
//! writes it like any other file.

use crate::error::{Error, Result};
use geojson::{FeatureCollection, GeometryValue};
use rusqlite::{Connection, params_from_iter, types::Value as Sql};
use serde_json::Value;
use std::collections::BTreeMap;

/// `last_change` of every layer: a fixed instant, so that the same run
/// gives the same bytes (the wall clock would not).
const LAST_CHANGE: &str = "2000-01-01T00:00:00.000Z";

/// EPSG code of WGS 84, the coordinates of every layer.
const WGS84: i32 = 4326;

/// One layer: its geometry type and its features' geometries and
/// properties.
struct Layer {
    geometry: &'static str,
    columns: Vec<(String, &'static str)>,
    rows: Vec<(Vec<u8>, serde_json::Map<String, Value>)>,
    bounds: [f64; 4],
}

/// The layer a feature kind becomes (`stop` → `stops`, `route` →
/// `daily_routes`), its name kept to SQL-safe characters.
fn layer_name(kind: &str) -> String {
    let name = match kind {
        "route" => "daily_routes".to_string(),
        "bus_stop" => "bus_stops".to_string(),
        k if k.ends_with('s') => k.to_string(),
        k => format!("{k}s"),
    };
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The SQLite type of a JSON value.
fn sql_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "BOOLEAN",
        Value::Number(n) if n.is_i64() || n.is_u64() => "INTEGER",
        Value::Number(_) => "DOUBLE",
        _ => "TEXT",
    }
}

/// A feature's geometry as the GeoPackage stores it.
struct Blob {
    bytes: Vec<u8>,
    /// `POINT` or `LINESTRING`.
    kind: &'static str,
    /// (lon, lat) vertices, for the layer's extent.
    points: Vec<(f64, f64)>,
}

/// A GeoPackage geometry blob: the `GP` header (version 0, little endian,
/// no envelope, the SRS id), then standard WKB.
fn blob(geometry: &GeometryValue) -> Option<Blob> {
    let mut out = vec![b'G', b'P', 0, 0b0000_0001];
    out.extend(WGS84.to_le_bytes());
    out.push(1);
    let (kind, points): (&str, Vec<(f64, f64)>) = match geometry {
        GeometryValue::Point { coordinates } => ("POINT", vec![(coordinates[0], coordinates[1])]),
        GeometryValue::LineString { coordinates } => ("LINESTRING", coordinates.iter().map(|c| (c[0], c[1])).collect()),
        _ => return None,
    };
    if kind == "POINT" {
        out.extend(1u32.to_le_bytes());
    } else {
        out.extend(2u32.to_le_bytes());
        out.extend((points.len() as u32).to_le_bytes());
    }
    for (x, y) in &points {
        out.extend(x.to_le_bytes());
        out.extend(y.to_le_bytes());
    }
    Some(Blob {
        bytes: out,
        kind,
        points,
    })
}

/// Groups the collection's features into layers by their `kind`.
fn layers(collection: &str) -> Result<BTreeMap<String, Layer>> {
    let collection: FeatureCollection = collection
        .parse()
        .map_err(|e| Error::internal(format!("GeoPackage from GeoJSON: {e}")))?;
    let mut layers: BTreeMap<String, Layer> = BTreeMap::new();
    for feature in collection.features {
        let properties = feature.properties.unwrap_or_default();
        let kind = properties
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("feature")
            .to_string();
        let Some(Blob {
            bytes: geom,
            kind: geometry,
            points,
        }) = feature.geometry.as_ref().and_then(|g| blob(&g.value))
        else {
            continue;
        };
        let layer = layers.entry(layer_name(&kind)).or_insert_with(|| Layer {
            geometry,
            columns: Vec::new(),
            rows: Vec::new(),
            bounds: [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
        });
        for (key, value) in &properties {
            if key != "kind" && !value.is_null() && !layer.columns.iter().any(|(k, _)| k == key) {
                layer.columns.push((key.clone(), sql_type(value)));
            }
        }
        for (x, y) in points {
            layer.bounds = [
                layer.bounds[0].min(x),
                layer.bounds[1].min(y),
                layer.bounds[2].max(x),
                layer.bounds[3].max(y),
            ];
        }
        layer.rows.push((geom, properties));
    }
    Ok(layers)
}

fn sql_error(e: rusqlite::Error) -> Error {
    Error::internal(format!("writing the GeoPackage: {e}"))
}

/// The GeoPackage of one or more GeoJSON collections, as bytes.
pub fn from_geojson(collections: &[&str]) -> Result<Vec<u8>> {
    let db = Connection::open_in_memory().map_err(sql_error)?;
    db.execute_batch(SCHEMA).map_err(sql_error)?;
    for collection in collections {
        for (name, layer) in layers(collection)? {
            write_layer(&db, &name, &layer)?;
        }
    }
    let bytes = db.serialize(rusqlite::MAIN_DB).map_err(sql_error)?;
    Ok(bytes.to_vec())
}

fn write_layer(db: &Connection, name: &str, layer: &Layer) -> Result<()> {
    let columns: String = layer
        .columns
        .iter()
        .map(|(c, t)| format!(", \"{}\" {t}", c.replace('"', "")))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE \"{name}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {}{columns});",
        layer.geometry
    ))
    .map_err(sql_error)?;
    let [min_x, min_y, max_x, max_y] = layer.bounds;
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?7, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![name, min_x, min_y, max_x, max_y, WGS84, LAST_CHANGE],
    )
    .map_err(sql_error)?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        rusqlite::params![name, layer.geometry, WGS84],
    )
    .map_err(sql_error)?;
    let names: String = layer
        .columns
        .iter()
        .map(|(c, _)| format!(", \"{}\"", c.replace('"', "")))
        .collect();
    let marks: String = (0..layer.columns.len()).map(|i| format!(", ?{}", i + 2)).collect();
    let mut insert = db
        .prepare(&format!("INSERT INTO \"{name}\" (geom{names}) VALUES (?1{marks})"))
        .map_err(sql_error)?;
    for (geom, properties) in &layer.rows {
        let values = std::iter::once(Sql::Blob(geom.clone())).chain(layer.columns.iter().map(|(c, _)| {
            match properties.get(c) {
                None | Some(Value::Null) => Sql::Null,
                Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
                Some(Value::Number(n)) => n
                    .as_i64()
                    .map_or(Sql::Real(n.as_f64().unwrap_or(f64::NAN)), Sql::Integer),
                Some(Value::String(s)) => Sql::Text(s.clone()),
                Some(other) => Sql::Text(other.to_string()),
            }
        }));
        insert.execute(params_from_iter(values)).map_err(sql_error)?;
    }
    Ok(())
}

/// The tables every GeoPackage has, and WGS 84.
const SCHEMA: &str = "
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,
  'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]',
  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
";
