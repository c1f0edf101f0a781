//! The HTML report: one self-contained file (no network access, fine to
//! e-mail) with the totals, a month calendar grid per bus, the plan's map
//! ([`crate::output::svgmap`]: names, routes in order, legend, roads with
//! an OSM extract) and one printable A4 poster per commune, in French.
//!
//! Plain `format!` with one escaping function: the page has no logic a
//! template engine would help with.

use crate::calendar::{HalfDay, WEEKDAYS, weekday_french};
use crate::output::html::{colour, esc};
use crate::output::map::Legs;
use crate::output::wording;
use crate::output::wording::sentence;
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::fmt::Write as _;

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
    out.push_str("<h2>Carte</h2>");
    out.push_str(&crate::output::svgmap::svg(
        instance,
        plan,
        legs,
        crate::output::svgmap::REPORT,
        crate::output::lang::Lang::Fr,
    ));
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
