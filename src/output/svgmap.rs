//! The plan's map as one inline SVG, for the report and the workbench
//! (offline, nothing fetched): with an OSM network, its main roads under
//! everything; the communes sized by population; each bus day's route,
//! depot to depot through its stops in order, along the roads when a
//! network is loaded; the stops; every served commune's name; the depots;
//! a legend of the colours (one per bus, or per weekday when one bus runs
//! the tour) and a scale bar.
//!
//! Every drawn thing carries what a page needs to find it: a route has
//! `data-bus`, `data-bus-name`, `data-week`, `data-weekday` (0 = Monday)
//! and `data-stops` (the communes' INSEE codes in visiting order), a stop
//! or a name `data-commune` (its index in the table), so the workbench
//! highlights a day or a commune with a class and tests read the map back
//! from the page.

use crate::calendar::weekday_french;
use crate::output::html::{colour, esc};
use crate::output::lang::Lang;
use crate::output::map::{Legs, day_lines};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Slowest road drawn: secondary roads and above in the default car
/// profile (55 km/h), tertiary roads (40 km/h) left out.
const MAIN_ROAD_KMH: f64 = 50.0;

/// Most road pieces drawn, fastest first, after simplification to the
/// half-pixel: about 40 bytes each, so at most some 600 kB of roads.
pub const MAX_ROAD_PIECES: usize = 15_000;

/// Size of the drawing, in CSS pixels.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
}

/// The report's map.
pub const REPORT: Frame = Frame {
    width: 900.0,
    height: 650.0,
};

/// What a route's colour stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColourBy {
    Bus,
    Weekday,
}

/// An equirectangular projection fitted to the communes and depots.
struct Projection {
    lat0: f64,
    lon0: f64,
    kx: f64,
    scale: f64,
    pad: f64,
    height: f64,
}

impl Projection {
    fn fit(instance: &Instance, frame: Frame) -> Projection {
        let pad = 30.0;
        let points: Vec<(f64, f64)> = instance
            .territory
            .communes
            .iter()
            .flat_map(|c| [(c.centre.lat, c.centre.lon), (c.stop.lat, c.stop.lon)])
            .chain(instance.buses.iter().map(|b| (b.depot.lat, b.depot.lon)))
            .collect();
        let (lat0, lat1) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (lon0, lon1) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let kx = ((lat0 + lat1) / 2.0).to_radians().cos();
        let scale = ((frame.width - 2.0 * pad) / ((lon1 - lon0) * kx).max(1e-9))
            .min((frame.height - 2.0 * pad) / (lat1 - lat0).max(1e-9));
        Projection {
            lat0,
            lon0,
            kx,
            scale,
            pad,
            height: frame.height,
        }
    }

    fn xy(&self, (lat, lon): (f64, f64)) -> (f64, f64) {
        (
            self.pad + (lon - self.lon0) * self.kx * self.scale,
            self.height - self.pad - (lat - self.lat0) * self.scale,
        )
    }

    /// Pixels per kilometre (a degree of latitude is 111.2 km).
    fn px_per_km(&self) -> f64 {
        self.scale / 111.195
    }
}

/// The map of `plan`, `frame` wide and high, its words in `lang` (the
/// report's are French; the workbench follows `--lang`).
pub fn svg(instance: &Instance, plan: &Plan, legs: &Legs, frame: Frame, lang: Lang) -> String {
    let projection = Projection::fit(instance, frame);
    let by = if instance.buses.len() > 1 {
        ColourBy::Bus
    } else {
        ColourBy::Weekday
    };
    let mut body = String::new();
    if let Legs::Road(geometry) = legs {
        roads(geometry, &projection, frame, &mut body);
    }
    communes(instance, &projection, &mut body);
    let used = routes(instance, plan, legs, &projection, by, lang, &mut body);
    stops_and_names(instance, plan, &projection, by, frame.width, &mut body);
    depots(instance, &projection, &mut body);
    scale_bar(&projection, frame, &mut body);
    let legend_height = legend(
        instance,
        by,
        &used,
        matches!(legs, Legs::Road(_)),
        frame,
        lang,
        &mut body,
    );
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plan-map\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\">\
<style>.name{{font:11px sans-serif;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}}\
.route{{fill:none;stroke-width:2;stroke-opacity:.75;stroke-linejoin:round}}.legend text,.scale text{{font:11px sans-serif;fill:#222}}</style>",
        w = frame.width,
        h = frame.height + legend_height,
        label = lang.pick("Map of the tour", "Carte de la tournée")
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// A weekday's name in `lang`: `mardi`, `Tuesday`.
fn day_name(day: chrono::Weekday, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => weekday_french(day),
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][day.num_days_from_monday() as usize],
    }
}

/// The colour key of a day: its bus, or its weekday.
fn key_of(by: ColourBy, bus: usize, weekday: chrono::Weekday) -> usize {
    match by {
        ColourBy::Bus => bus,
        ColourBy::Weekday => weekday.num_days_from_monday() as usize,
    }
}

/// The main roads inside the frame, simplified to the half-pixel (pieces
/// that shrink to a point or repeat one already drawn are dropped), the
/// fastest first and at most [`MAX_ROAD_PIECES`]; motorways and trunk
/// roads (80 km/h and more) thicker.
fn roads(geometry: &road::RoadGeometry, projection: &Projection, frame: Frame, out: &mut String) {
    let inside =
        |(x, y): (f64, f64)| (-20.0..=frame.width + 20.0).contains(&x) && (-20.0..=frame.height + 20.0).contains(&y);
    let half_pixel = |(x, y): (f64, f64)| ((x * 2.0).round() as i64, (y * 2.0).round() as i64);
    let mut seen = BTreeSet::new();
    let (mut fast, mut main) = (String::new(), String::new());
    for piece in geometry.fast_roads(MAIN_ROAD_KMH) {
        let (a, b) = (projection.xy(piece.from), projection.xy(piece.to));
        if !inside(a) && !inside(b) {
            continue;
        }
        let (ka, kb) = (half_pixel(a), half_pixel(b));
        if ka == kb || !seen.insert((ka.min(kb), ka.max(kb))) {
            continue;
        }
        let path = if piece.kmh >= 80.0 { &mut fast } else { &mut main };
        let _ = write!(path, "M{:.1} {:.1}L{:.1} {:.1}", a.0, a.1, b.0, b.1);
        if seen.len() >= MAX_ROAD_PIECES {
            break;
        }
    }
    let _ = write!(
        out,
        "<g class=\"roads\"><path d=\"{main}\" stroke=\"#c9c3b5\" stroke-width=\"1\" fill=\"none\"/>\
<path d=\"{fast}\" stroke=\"#b5a98f\" stroke-width=\"2\" fill=\"none\"/></g>"
    );
}

/// Every commune of the table, sized by population, grey.
fn communes(instance: &Instance, projection: &Projection, out: &mut String) {
    let communes = &instance.territory.communes;
    let max_pop = communes.iter().map(|c| c.population).max().unwrap_or(1).max(1) as f64;
    out.push_str("<g class=\"communes\">");
    for (i, c) in communes.iter().enumerate() {
        if instance.territory.head(i) != i {
            continue;
        }
        let (x, y) = projection.xy((c.centre.lat, c.centre.lon));
        let r = 3.0 + 12.0 * (f64::from(c.population) / max_pop).sqrt();
        let _ = write!(
            out,
            "<circle class=\"commune\" data-commune=\"{i}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"#ccc\" fill-opacity=\"0.6\"><title>{} ({} hab.)</title></circle>",
            esc(&c.name),
            c.population
        );
    }
    out.push_str("</g>");
}

/// One line per bus day, depot to depot through its stops in order;
/// returns the colour keys used.
fn routes(
    instance: &Instance,
    plan: &Plan,
    legs: &Legs,
    projection: &Projection,
    by: ColourBy,
    lang: Lang,
    out: &mut String,
) -> BTreeSet<usize> {
    let mut used = BTreeSet::new();
    out.push_str("<g class=\"routes\">");
    for (day, line) in day_lines(instance, plan, legs) {
        let communes = day.communes();
        let key = key_of(by, day.bus, day.weekday);
        used.insert(key);
        let points: Vec<String> = line
            .iter()
            .map(|p| {
                let (x, y) = projection.xy(*p);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let stops: Vec<&str> = communes
            .iter()
            .map(|&c| instance.territory.communes[c].insee.as_str())
            .collect();
        let names: Vec<&str> = communes
            .iter()
            .map(|&c| instance.territory.communes[c].name.as_str())
            .collect();
        let date = instance
            .cycle
            .date_of(day.week, day.weekday)
            .map_or(String::new(), |d| d.format(" %d/%m/%Y").to_string());
        let km = instance.day_drive(day.bus, &communes).metres / 1000.0;
        let _ = write!(
            out,
            "<polyline class=\"route\" data-bus=\"{}\" data-bus-name=\"{}\" data-week=\"{}\" data-weekday=\"{}\" data-stops=\"{}\" points=\"{}\" stroke=\"{}\">\
<title>{} — {}{date} ({} {}){} {}, {km:.0} km</title></polyline>",
            day.bus,
            esc(&instance.buses[day.bus].name),
            day.week,
            day.weekday.num_days_from_monday(),
            stops.join(" "),
            points.join(" "),
            colour(key),
            esc(&instance.buses[day.bus].name),
            day_name(day.weekday, lang),
            lang.pick("week", "semaine"),
            day.week,
            lang.pick(":", " :"),
            esc(&names.join(" → "))
        );
    }
    out.push_str("</g>");
    used
}

/// A dot per stop in its day's colour, and each served commune's name
/// once (its lines share it), placed beside the dot where it overlaps no
/// name already placed.
fn stops_and_names(
    instance: &Instance,
    plan: &Plan,
    projection: &Projection,
    by: ColourBy,
    frame_width: f64,
    out: &mut String,
) {
    let territory = &instance.territory;
    let stops = plan.stops();
    out.push_str("<g class=\"stops\">");
    for stop in &stops {
        let c = &territory.communes[stop.commune];
        let (x, y) = projection.xy((c.stop.lat, c.stop.lon));
        let _ = write!(
            out,
            "<circle class=\"stop\" data-commune=\"{}\" data-insee=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.2\"><title>{}</title></circle>",
            stop.commune,
            c.insee,
            colour(key_of(by, stop.bus, stop.weekday)),
            esc(&crate::output::wording::sentence(instance, stop))
        );
    }
    out.push_str("</g><g class=\"names\">");
    let mut placed: Vec<[f64; 4]> = Vec::new();
    let mut named = BTreeSet::new();
    for stop in &stops {
        let head = territory.head(stop.commune);
        if !named.insert(head) {
            continue;
        }
        let c = &territory.communes[head];
        let (x, y) = projection.xy((c.stop.lat, c.stop.lon));
        let (tx, ty) = place_label(&mut placed, (x, y), c.name.chars().count() as f64 * 6.0, frame_width);
        let _ = write!(
            out,
            "<text class=\"name\" data-commune=\"{head}\" x=\"{tx:.1}\" y=\"{ty:.1}\">{}</text>",
            esc(&c.name)
        );
    }
    out.push_str("</g>");
}

/// Where a label `width` wide goes beside the point (x, y): right, left,
/// above or below, the first inside the frame's width that overlaps no
/// placed label (else the first inside).
fn place_label(placed: &mut Vec<[f64; 4]>, (x, y): (f64, f64), width: f64, frame_width: f64) -> (f64, f64) {
    let height = 11.0;
    let candidates = [
        (x + 6.0, y + 4.0),
        (x - 6.0 - width, y + 4.0),
        (x - width / 2.0, y - 7.0),
        (x - width / 2.0, y + 15.0),
    ];
    let boxed = |(tx, ty): (f64, f64)| [tx, ty - height + 2.0, tx + width, ty + 2.0];
    let overlaps = |b: &[f64; 4]| {
        placed
            .iter()
            .any(|p| b[0] < p[2] && p[0] < b[2] && b[1] < p[3] && p[1] < b[3])
    };
    let fits = |&(tx, _): &(f64, f64)| tx >= 0.0 && tx + width <= frame_width;
    let chosen = candidates
        .iter()
        .copied()
        .filter(fits)
        .find(|&c| !overlaps(&boxed(c)))
        .or_else(|| candidates.iter().copied().find(fits))
        .unwrap_or(candidates[0]);
    placed.push(boxed(chosen));
    chosen
}

/// A square per depot, with its name.
fn depots(instance: &Instance, projection: &Projection, out: &mut String) {
    out.push_str("<g class=\"depots\">");
    for (b, bus) in instance.buses.iter().enumerate() {
        let (x, y) = projection.xy((bus.depot.lat, bus.depot.lon));
        let _ = write!(
            out,
            "<rect class=\"depot\" data-bus=\"{b}\" x=\"{:.1}\" y=\"{:.1}\" width=\"11\" height=\"11\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"2\"><title>Dépôt {} ({})</title></rect>",
            x - 5.5,
            y - 5.5,
            esc(&bus.depot_label),
            esc(&bus.name)
        );
    }
    out.push_str("</g>");
}

/// The legend, under the map: a line per colour (the bus's name, or the
/// weekday), then the symbols; returns its height.
fn legend(
    instance: &Instance,
    by: ColourBy,
    used: &BTreeSet<usize>,
    roads: bool,
    frame: Frame,
    lang: Lang,
    out: &mut String,
) -> f64 {
    // Every bus (or every weekday the bus works), used or not: a bus
    // without a day is worth seeing in the legend.
    let keys: Vec<usize> = match by {
        ColourBy::Bus => (0..instance.buses.len()).collect(),
        ColourBy::Weekday => crate::calendar::WEEKDAYS
            .iter()
            .filter(|d| instance.buses[0].weekdays.contains(d))
            .map(|d| d.num_days_from_monday() as usize)
            .collect(),
    };
    let mut entries: Vec<(String, String)> = keys
        .into_iter()
        .map(|key| {
            let label = match by {
                ColourBy::Bus => instance.buses[key].name.clone(),
                ColourBy::Weekday => {
                    let day = crate::calendar::WEEKDAYS[key];
                    format!("{} — {}", instance.buses[0].name, day_name(day, lang))
                }
            };
            let label = if used.contains(&key) {
                label
            } else {
                format!("{label} ({})", lang.pick("no day", "aucun jour"))
            };
            (
                format!(
                    "<line x1=\"0\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"{}\" stroke-width=\"3\"/>",
                    colour(key)
                ),
                label,
            )
        })
        .collect();
    entries.push((
        "<rect x=\"4\" y=\"-5\" width=\"10\" height=\"10\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"2\"/>".into(),
        lang.pick("Depot", "Dépôt").into(),
    ));
    entries.push((
        "<circle cx=\"9\" cy=\"0\" r=\"5\" fill=\"#ccc\"/>".into(),
        lang.pick("Commune (size: population)", "Commune (taille : population)")
            .into(),
    ));
    if roads {
        entries.push((
            "<line x1=\"0\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"#b5a98f\" stroke-width=\"2\"/>".into(),
            lang.pick("Main roads", "Routes principales").into(),
        ));
    }
    let height = entries.len() as f64 * 16.0 + 8.0;
    let _ = write!(out, "<g class=\"legend\" transform=\"translate(8 {})\">", frame.height);
    for (i, (symbol, label)) in entries.iter().enumerate() {
        let _ = write!(
            out,
            "<g class=\"legend-entry\" transform=\"translate(8 {})\">{symbol}<text x=\"26\" y=\"4\">{}</text></g>",
            i * 16 + 12,
            esc(label)
        );
    }
    out.push_str("</g>");
    height
}

/// A bar of a round length (1, 2 or 5 × 10ⁿ km) about a fifth of the
/// map's width, bottom right.
fn scale_bar(projection: &Projection, frame: Frame, out: &mut String) {
    let target_km = frame.width / 5.0 / projection.px_per_km();
    let km = round_length(target_km);
    let px = km * projection.px_per_km();
    let (x1, y) = (frame.width - 15.0, frame.height - 12.0);
    let x0 = x1 - px;
    let label = if km >= 1.0 {
        format!("{km} km")
    } else {
        format!("{} m", km * 1000.0)
    };
    let _ = write!(
        out,
        "<g class=\"scale\" data-km=\"{km}\" data-px=\"{px:.2}\"><path d=\"M{x0:.1} {:.1}V{y:.1}H{x1:.1}V{:.1}\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text></g>",
        y - 5.0,
        y - 5.0,
        (x0 + x1) / 2.0,
        y - 8.0
    );
}

/// The largest of 1, 2 or 5 × 10ⁿ not above `km` (at least 10 m).
fn round_length(km: f64) -> f64 {
    let km = km.max(0.01);
    let power = 10f64.powf(km.log10().floor());
    let step = [5.0, 2.0, 1.0].into_iter().find(|s| s * power <= km).unwrap_or(1.0);
    step * power
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round_and_not_above_the_target() {
        assert_eq!(round_length(7.3), 5.0);
        assert_eq!(round_length(19.9), 10.0);
        assert_eq!(round_length(20.0), 20.0);
        assert_eq!(round_length(0.37), 0.2);
        assert_eq!(round_length(120.0), 100.0);
    }

    #[test]
    fn labels_that_would_overlap_move_aside() {
        let mut placed = Vec::new();
        let first = place_label(&mut placed, (100.0, 100.0), 60.0, 900.0);
        let second = place_label(&mut placed, (104.0, 101.0), 60.0, 900.0);
        assert_eq!(first, (106.0, 104.0));
        assert_ne!(second.0, 110.0, "the second label does not sit on the first");
        let [a, b] = [placed[0], placed[1]];
        assert!(
            a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1],
            "{a:?} {b:?}"
        );
        let at_the_edge = place_label(&mut placed, (880.0, 300.0), 60.0, 900.0);
        assert!(
            at_the_edge.0 + 60.0 <= 900.0,
            "a label at the right edge goes left: {at_the_edge:?}"
        );
    }
}
