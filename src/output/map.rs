//! GeoJSON export for maps: the depots, one point per stop (commune,
//! INSEE, its slots in French, hours) and one LineString per bus day,
//! along the roads when an OSM network was used, straight otherwise.

use crate::calendar::HalfDay;
use crate::input::territory::LatLon;
use crate::output::wording;
use crate::output::wording::sentence;
use crate::schedule::model::{Instance, matrix_points};
use crate::schedule::plan::{BusDay, Plan};
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};
use rayon::prelude::*;
use road::RoadGeometry;
use serde_json::json;

/// How route legs are drawn.
pub enum Legs<'a> {
    /// Straight lines between stops (no road network given).
    Straight,
    /// Along the roads of a loaded network.
    Road(&'a RoadGeometry),
}

/// A feature with `properties` (a JSON object).
fn feature(geometry: GeometryValue, properties: serde_json::Value) -> Feature {
    let properties: JsonObject = match properties {
        serde_json::Value::Object(map) => map,
        _ => JsonObject::new(),
    };
    Feature {
        bbox: None,
        geometry: Some(Geometry::new(geometry)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// GeoJSON's (lon, lat) order, to the micro-degree (11 cm).
fn lon_lat(p: (f64, f64)) -> Vec<f64> {
    vec![(p.1 * 1e6).round() / 1e6, (p.0 * 1e6).round() / 1e6]
}

/// A point feature at `at` with `properties`.
pub fn point(at: LatLon, properties: serde_json::Value) -> Feature {
    feature(GeometryValue::new_point(lon_lat((at.lat, at.lon))), properties)
}

/// The features as one GeoJSON FeatureCollection.
pub fn collection(features: Vec<Feature>) -> String {
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
    .to_string()
}

/// Each bus day with its line, depot to depot, as (lat, lon) points: along
/// the roads with [`Legs::Road`], straight otherwise; never fewer than two
/// points (a day at the depot's own commune is a zero-length line).
pub(crate) fn day_lines(instance: &Instance, plan: &Plan, legs: &Legs) -> Vec<(BusDay, Vec<(f64, f64)>)> {
    let points = matrix_points(&instance.territory, &instance.buses);
    plan.days()
        .into_par_iter()
        .map(|day| {
            let depot = instance.depot_node(day.bus);
            let mut nodes = vec![depot];
            nodes.extend(day.communes().into_iter().map(|c| instance.commune_node(c)));
            nodes.push(depot);
            let mut line: Vec<(f64, f64)> = Vec::new();
            for pair in nodes.windows(2) {
                let straight = || {
                    let (a, b) = (points[pair[0]], points[pair[1]]);
                    vec![(a.lat, a.lon), (b.lat, b.lon)]
                };
                let leg = match legs {
                    Legs::Straight => straight(),
                    // From the stop to where it meets the road and back:
                    // the line passes through every stop.
                    Legs::Road(g) => g.leg(pair[0], pair[1]).map_or_else(straight, |road| {
                        let mut joined = straight();
                        joined.splice(1..1, road);
                        joined
                    }),
                };
                line.extend(leg);
            }
            line.dedup();
            if line.len() == 1 {
                line.push(line[0]);
            }
            (day, line)
        })
        .collect()
}

/// The whole map as a GeoJSON FeatureCollection.
pub fn geojson(instance: &Instance, plan: &Plan, legs: &Legs) -> String {
    let points = matrix_points(&instance.territory, &instance.buses);
    let mut features = Vec::new();
    for (b, bus) in instance.buses.iter().enumerate() {
        let p = points[instance.depot_node(b)];
        features.push(point(
            p,
            json!({"kind": "depot", "bus": bus.name, "name": bus.depot_label}),
        ));
    }
    for stop in plan.stops() {
        let commune = &instance.territory.communes[stop.commune];
        let (start, end) = stop.span(instance);
        let slots = if stop.full {
            format!(
                "{}, toute la journée",
                wording::recurrence_in(&instance.cycle, &stop.weeks, stop.weekday)
            )
        } else {
            wording::recurrence_with_half(&instance.cycle, &stop.weeks, stop.weekday, stop.half)
        };
        features.push(point(
            commune.stop,
            json!({
                "kind": "stop",
                "commune": commune.name,
                "insee": commune.insee,
                "population": commune.population,
                "bus": instance.buses[stop.bus].name,
                "slots": slots,
                "hours": format!("{}–{}", wording::clock(start), wording::clock(end)),
                "visits_per_month": stop.weeks.len(),
                "text": sentence(instance, &stop),
            }),
        ));
    }
    for (day, line) in day_lines(instance, plan, legs) {
        let line: Vec<Vec<f64>> = line.into_iter().map(lon_lat).collect();
        let drive = instance.day_drive(day.bus, &day.communes());
        // The half-day's stops by name ("A + B" when short stops share it).
        let names = |half: HalfDay| {
            let names: Vec<&str> = day
                .of(half)
                .iter()
                .map(|&c| instance.territory.communes[c].name.as_str())
                .collect();
            (!names.is_empty()).then(|| names.join(" + "))
        };
        features.push(feature(
            GeometryValue::new_line_string(line),
            json!({
                "kind": "route",
                "bus": instance.buses[day.bus].name,
                "week": day.week,
                "weekday": crate::calendar::weekday_code(day.weekday),
                "date": instance.cycle.date_of(day.week, day.weekday).map(|d| d.to_string()),
                "am": names(HalfDay::Am),
                "pm": names(HalfDay::Pm),
                "drive_min": (drive.seconds / 6.0).round() / 10.0,
                "drive_km": (drive.metres / 100.0).round() / 10.0,
                "follows_roads": matches!(legs, Legs::Road(_)),
            }),
        ));
    }
    collection(features)
}
