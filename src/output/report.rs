//! The HTML report: one self-contained file (no network access, fine to
//! e-mail) with the totals, a month calendar grid per bus, an inline SVG
//! map (communes sized by population, stops, depots, routes) and one
//! printable A4 poster per commune, in French.
//!
//! Plain `format!` with one escaping function: the page has no logic a
//! template engine would help with.

use crate::calendar::{HalfDay, WEEKDAYS, weekday_french};
use crate::output::map::{Legs, day_lines};
use crate::output::wording;
use crate::output::wording::sentence;
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::fmt::Write as _;

/// Bus colours on the map and in the calendar (colour-blind-safe palette).
const COLOURS: [&str; 6] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

pub(crate) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn colour(bus: usize) -> &'static str {
    COLOURS[bus % COLOURS.len()]
}

pub(crate) const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}h1{margin-bottom:0}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top;font-size:12px}\
th{background:#eee}.am,.pm{display:block;color:#fff;border-radius:3px;padding:1px 3px;margin:1px 0}\
.off{color:#aaa}.km{display:block;color:#555;text-align:right}.note{color:#8a5a00}svg{border:1px solid #ccc;background:#fbfbf8}\
.poster{page-break-before:always;width:180mm;min-height:250mm;margin:2em auto;padding:15mm;border:2px solid #0072b2;\
text-align:center}.poster h2{font-size:28pt;color:#0072b2;margin:0}.poster .commune{font-size:40pt;font-weight:bold;margin:10mm 0}\
.poster .when{font-size:20pt}.poster .dates{font-size:14pt;margin-top:10mm}@page{size:A4}";

/// The full report.
pub fn html(instance: &Instance, plan: &Plan, legs: &Legs) -> String {
    let mut out = String::new();
    let month = wording::cycle(&instance.cycle);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Tournée — {}</title><style>{STYLE}</style></head><body>\n",
        esc(&instance.name)
    );
    let _ = writeln!(out, "<h1>Tournée — {}</h1><p>{}</p>", esc(&instance.name), esc(&month));
    if instance.matrix.source.is_estimate() {
        let _ = writeln!(out, "<p class=\"note\">Temps de trajet estimés à vol d'oiseau.</p>");
    }
    totals(instance, plan, &mut out);
    for b in 0..instance.buses.len() {
        calendar_grid(instance, plan, b, &mut out);
    }
    svg_map(instance, plan, legs, &mut out);
    posters(instance, plan, &mut out);
    out.push_str("</body></html>\n");
    out
}

fn totals(instance: &Instance, plan: &Plan, out: &mut String) {
    let (per_bus, fleet) = plan.totals(instance);
    out.push_str(
        "<table><tr><th>Bus</th><th>Dépôt</th><th>Passages</th><th>Jours</th><th>Conduite</th><th>km</th></tr>",
    );
    for (b, (bus, t)) in instance.buses.iter().zip(&per_bus).enumerate() {
        let _ = write!(
            out,
            "<tr><td style=\"color:{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1} h</td><td>{:.0}</td></tr>",
            colour(b),
            esc(&bus.name),
            esc(&bus.depot_label),
            t.visits,
            t.days,
            t.drive_seconds / 3600.0,
            t.drive_metres / 1000.0
        );
    }
    let _ = writeln!(
        out,
        "<tr><th colspan=2>Total ({} communes desservies)</th><th>{}</th><th>{}</th><th>{:.1} h</th><th>{:.0}</th></tr></table>",
        plan.communes_served(&instance.territory),
        fleet.visits,
        fleet.days,
        fleet.drive_seconds / 3600.0,
        fleet.drive_metres / 1000.0
    );
}

/// A calendar month per bus (the cycle's weeks without a month).
fn calendar_grid(instance: &Instance, plan: &Plan, b: usize, out: &mut String) {
    let bus = &instance.buses[b];
    let days: Vec<_> = WEEKDAYS.into_iter().filter(|d| bus.weekdays.contains(d)).collect();
    let _ = write!(
        out,
        "<h2 style=\"color:{}\">{}</h2><table><tr><th></th>",
        colour(b),
        esc(&bus.name)
    );
    for d in &days {
        let _ = write!(out, "<th>{}</th>", weekday_french(*d));
    }
    out.push_str("</tr>");
    let drives = plan.day_drives(instance);
    for week in instance.cycle.week_numbers() {
        let _ = write!(out, "<tr><th>{}</th>", wording::ordinal(week));
        for d in &days {
            out.push_str("<td>");
            if let Some(date) = instance.cycle.date_of(week, *d) {
                let _ = write!(out, "<b>{}</b>", date.format("%d/%m"));
                if crate::calendar::is_french_holiday(date) {
                    out.push_str(" <span class=\"off\">férié</span>");
                }
            }
            for half in HalfDay::BOTH {
                let stops = plan
                    .visits
                    .iter()
                    .filter(|v| v.bus == b && v.slot.week == week && v.slot.weekday == *d && v.slot.half == half);
                for v in stops {
                    let class = if half == HalfDay::Am { "am" } else { "pm" };
                    let _ = write!(
                        out,
                        "<span class=\"{class}\" style=\"background:{}\">{} {}</span>",
                        colour(b),
                        half.french(),
                        esc(&instance.territory.communes[v.commune].name)
                    );
                }
            }
            if let Some(day) = drives.get(&(b, week, *d)) {
                let _ = write!(out, "<small class=\"km\">{:.0} km</small>", day.metres / 1000.0);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>\n");
}

/// An equirectangular SVG map fitted to the territory.
fn svg_map(instance: &Instance, plan: &Plan, legs: &Legs, out: &mut String) {
    let (w, h, pad) = (900.0, 650.0, 30.0);
    let communes = &instance.territory.communes;
    let lats = communes
        .iter()
        .map(|c| c.centre.lat)
        .chain(instance.buses.iter().map(|b| b.depot.lat));
    let lons = communes
        .iter()
        .map(|c| c.centre.lon)
        .chain(instance.buses.iter().map(|b| b.depot.lon));
    let (lat0, lat1) = lats.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let (lon0, lon1) = lons.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let kx = lat0.to_radians().cos();
    let scale = ((w - 2.0 * pad) / ((lon1 - lon0) * kx).max(1e-9)).min((h - 2.0 * pad) / (lat1 - lat0).max(1e-9));
    let xy = |lat: f64, lon: f64| (pad + (lon - lon0) * kx * scale, h - pad - (lat - lat0) * scale);
    let _ = write!(
        out,
        "<h2>Carte</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    let max_pop = communes.iter().map(|c| c.population).max().unwrap_or(1).max(1) as f64;
    for c in communes {
        let (x, y) = xy(c.centre.lat, c.centre.lon);
        let r = 3.0 + 12.0 * (f64::from(c.population) / max_pop).sqrt();
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"#ccc\" fill-opacity=\"0.6\"><title>{} ({} hab.)</title></circle>",
            esc(&c.name),
            c.population
        );
    }
    for (day, line) in day_lines(instance, plan, legs) {
        let points: Vec<String> = line
            .iter()
            .map(|p| {
                let (x, y) = xy(p.0, p.1);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.2\" stroke-opacity=\"0.6\"/>",
            points.join(" "),
            colour(day.bus)
        );
    }
    for stop in plan.stops() {
        let c = &communes[stop.commune];
        let (x, y) = xy(c.stop.lat, c.stop.lon);
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"><title>{}</title></circle>",
            colour(stop.bus),
            esc(&sentence(instance, &stop))
        );
    }
    for (b, bus) in instance.buses.iter().enumerate() {
        let (x, y) = xy(bus.depot.lat, bus.depot.lon);
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#000\"><title>Dépôt {}</title></rect>",
            x - 6.0,
            y - 6.0,
            colour(b),
            esc(&bus.depot_label)
        );
    }
    out.push_str("</svg>\n");
}

/// One A4 poster per commune served, for the town hall's notice board.
fn posters(instance: &Instance, plan: &Plan, out: &mut String) {
    let stops = plan.stops();
    let territory = &instance.territory;
    // One poster per commune, with every line of service it has.
    let mut communes = crate::schedule::plan::stops_by_commune(&stops, territory);
    communes.sort_unstable_by_key(|(c, _)| (territory.communes[*c].name.clone(), *c));
    for (c, mine) in communes {
        let commune = &territory.communes[c];
        let _ = write!(
            out,
            "<section class=\"poster\"><h2>Bus France Services</h2><div class=\"commune\">{}</div>",
            esc(&commune.name)
        );
        for stop in mine {
            let _ = write!(out, "<p class=\"when\">{}</p>", esc(&sentence(instance, stop)));
            if instance.cycle.has_dates() {
                let dates: Vec<String> = stop
                    .weeks
                    .iter()
                    .filter_map(|w| instance.cycle.date_of(*w, stop.weekday))
                    .map(|d| format!("{} {}", weekday_french(stop.weekday), d.format("%d/%m/%Y")))
                    .collect();
                let when = if instance.cycle.month().is_some() {
                    "ce mois-ci"
                } else {
                    "de ce cycle"
                };
                let _ = write!(out, "<p class=\"dates\">Passages {when} : {}</p>", dates.join(", "));
            }
        }
        out.push_str("<p>Démarches administratives, impôts, retraite, santé, emploi : deux agents vous accompagnent, sans rendez-vous.</p></section>\n");
    }
}
