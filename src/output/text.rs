//! The calendar printed on the terminal: one grid per bus (week × weekday
//! × half-day), with dates when a month is set, then the totals.

use super::lang::Lang;
use crate::calendar::{HalfDay, WEEKDAYS, weekday_code};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use std::fmt::Write as _;

const CELL: usize = 18;

fn cell(text: &str) -> String {
    let count = text.chars().count();
    if count <= CELL {
        format!("{text:<CELL$}")
    } else {
        let cut: String = text.chars().take(CELL - 1).collect();
        format!("{cut}…")
    }
}

/// A weekday's short name.
fn day_name(day: chrono::Weekday, lang: Lang) -> &'static str {
    match lang {
        Lang::En => weekday_code(day),
        Lang::Fr => ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"][day.num_days_from_monday() as usize],
    }
}

/// A half-day's short name.
fn half_name(half: HalfDay, lang: Lang) -> String {
    match lang {
        Lang::En => half.to_string(),
        Lang::Fr => if half == HalfDay::Am { "matin" } else { "ap.-midi" }.to_string(),
    }
}

/// The human-readable calendar, totals and warnings printed on stdout, in
/// the terminal's language.
pub fn calendar_text(instance: &Instance, plan: &Plan, lang: Lang) -> String {
    let mut out = String::new();
    let month = instance.cycle.describe();
    for (b, bus) in instance.buses.iter().enumerate() {
        let days: Vec<_> = WEEKDAYS.into_iter().filter(|d| bus.weekdays.contains(d)).collect();
        let _ = writeln!(
            out,
            "\n{} — {} ({} {}), {month}",
            instance.name,
            bus.name,
            lang.pick("depot", "dépôt"),
            bus.depot_label
        );
        let rule = format!("{}\n", "-".repeat(10 + (CELL + 3) * days.len()));
        out.push_str(&rule);
        let header: Vec<String> = days.iter().map(|d| cell(day_name(*d, lang))).collect();
        let _ = writeln!(out, "{:<10}| {}", "", header.join(" | "));
        for week in instance.cycle.week_numbers() {
            out.push_str(&rule);
            if instance.cycle.has_dates() {
                let dates: Vec<String> = days
                    .iter()
                    .filter_map(|d| instance.cycle.date_of(week, *d))
                    .map(|date| {
                        let holiday = if crate::calendar::is_french_holiday(date) {
                            " férié"
                        } else {
                            ""
                        };
                        cell(&format!("{}{holiday}", date.format("%d/%m")))
                    })
                    .collect();
                let label = format!("{} {week}", lang.pick("Week", "Semaine"));
                let _ = writeln!(out, "{label:<10}| {}", dates.join(" | "));
            }
            for half in HalfDay::BOTH {
                let cells: Vec<String> = days
                    .iter()
                    .map(|d| {
                        // Short stops sharing the half-day: "A + B".
                        let names: Vec<&str> = plan
                            .visits
                            .iter()
                            .filter(|v| {
                                v.bus == b && v.slot.week == week && v.slot.weekday == *d && v.slot.half == half
                            })
                            .map(|v| instance.territory.communes[v.commune].name.as_str())
                            .collect();
                        cell(&if names.is_empty() {
                            "·".to_string()
                        } else {
                            names.join(" + ")
                        })
                    })
                    .collect();
                let half = half_name(half, lang);
                let label = if instance.cycle.has_dates() {
                    format!("  {half}")
                } else {
                    format!("{}{week} {half}", lang.pick("W", "S"))
                };
                let _ = writeln!(out, "{label:<10}| {}", cells.join(" | "));
            }
        }
        out.push_str(&rule);
    }
    out.push_str(&totals_text(instance, plan, lang));
    out
}

fn totals_text(instance: &Instance, plan: &Plan, lang: Lang) -> String {
    let (per_bus, fleet) = plan.totals(instance);
    let mut out = String::new();
    let hours = |s: f64| lang.number(s / 3600.0, 1);
    // French sets a space before the colon.
    let c = lang.pick(":", " :");
    let _ = writeln!(
        out,
        "\n{}{c} {} {} {} | {}{c} {} | {}{c} {} | {}{c} {} h, {:.0} km",
        lang.pick("Communes served", "Communes desservies"),
        plan.communes_served(&instance.territory),
        lang.pick("of", "sur"),
        instance.territory.commune_count(),
        lang.pick("visits", "passages"),
        fleet.visits,
        lang.pick("bus days", "jours de bus"),
        fleet.days,
        lang.pick("driving", "conduite"),
        hours(fleet.drive_seconds),
        fleet.drive_metres / 1000.0
    );
    if per_bus.len() > 1 {
        for (bus, t) in instance.buses.iter().zip(&per_bus) {
            let _ = writeln!(
                out,
                "  {}{c} {} {}, {} {}, {} h, {:.0} km",
                bus.name,
                t.visits,
                lang.pick("visits", "passages"),
                t.days,
                lang.pick("days", "jours"),
                hours(t.drive_seconds),
                t.drive_metres / 1000.0
            );
        }
    }
    if instance.matrix.source.is_estimate() {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!("warning: {}; give an OSM file for road times", instance.matrix.source.describe()),
                Lang::Fr => "attention : temps de trajet estimés à vol d'oiseau, pas par la route ; donnez un fichier OSM (--osm) pour les temps par la route".to_string(),
            }
        );
    }
    if !instance.cycle.has_dates() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "note: no month set, so no dates; set `month = \"YYYY-MM\"` in the scenario",
                "remarque : aucun mois indiqué, donc pas de dates ; ajoutez `month = \"AAAA-MM\"` au scénario"
            )
        );
    }
    out
}
