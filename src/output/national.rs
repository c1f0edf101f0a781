//! The national run's files: `national.json`, `by_departement.csv`,
//! `buses.csv`, `stops.csv`, `national.geojson`, `national.html` (the curve
//! of share covered against buses), and each bus's plan folder under
//! `buses/`.

use super::html::esc;
use super::map::{collection, point};
use super::report::STYLE;
use super::{CsvStyle, RunInfo};
use crate::csv_out::CsvOut;
use crate::error::Result;
use crate::input::scenario::Scenario;
use crate::national::National;
use crate::national::allocate::Split;
use crate::national::tours::{BaseReach, Tour, half_days_per_bus};
use serde_json::json;
use std::fmt::Write as _;

/// Agents on board a bus.
const AGENTS_PER_BUS: f64 = 2.0;

/// What a tour costs and gives, per cycle.
struct TourFigures {
    km: f64,
    drive_hours: f64,
    /// Hours parked and open to the public.
    open_hours: f64,
    half_days: usize,
}

impl TourFigures {
    fn of(tour: &Tour) -> TourFigures {
        let (_, totals) = tour.plan.totals(&tour.instance);
        let open_minutes: u32 = tour
            .plan
            .stops()
            .iter()
            .map(|s| {
                let per_visit: u32 = s.hours(&tour.instance).iter().map(|x| x.end - x.start).sum();
                per_visit * s.weeks.len() as u32
            })
            .sum();
        TourFigures {
            km: totals.drive_metres / 1000.0,
            drive_hours: totals.drive_seconds / 3600.0,
            open_hours: f64::from(open_minutes) / 60.0,
            half_days: totals.visits,
        }
    }
}

/// Cycles in a year: 12 months, or 52 weeks over a rolling cycle.
fn cycles_per_year(scenario: &Scenario) -> f64 {
    12.0 * scenario.cycle.cycles_per_month()
}

/// Every file of the national run, rendered before anything is written.
pub fn files(national: &National, tours: &[Tour], scenario: &Scenario, run: RunInfo) -> Result<Vec<(String, Vec<u8>)>> {
    let figures: Vec<TourFigures> = tours.iter().map(TourFigures::of).collect();
    let map = geojson(national, tours);
    let mut files = vec![
        (
            "national.json".to_string(),
            summary(national, tours, &figures, scenario).into_bytes(),
        ),
        (
            "by_departement.csv".to_string(),
            by_departement(national, tours, &figures, scenario)?,
        ),
        ("buses.csv".to_string(), buses_csv(national, tours, &figures, scenario)?),
        ("stops.csv".to_string(), stops_csv(national, tours)?),
        ("communes.csv".to_string(), communes_csv(national, tours)?),
        ("national.gpkg".to_string(), super::gpkg::from_geojson(&[&map])?),
        ("national.geojson".to_string(), map.into_bytes()),
        (
            "national.html".to_string(),
            html(national, tours, &figures, scenario).into_bytes(),
        ),
    ];
    for tour in tours {
        let plan_files = super::output_files(
            &tour.instance,
            &tour.plan,
            run,
            CsvStyle::Plain,
            &super::map::Legs::Straight,
        )?;
        files.extend(
            plan_files
                .into_iter()
                .map(|(name, bytes)| (format!("buses/{}/{name}", tour.id), bytes)),
        );
    }
    Ok(files)
}

fn round(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (x * k).round() / k
}

/// The relative gap between what was found and the bound.
fn gap(split: &Split) -> f64 {
    if split.bound == 0 {
        0.0
    } else {
        (split.bound - split.covered) as f64 / split.bound as f64
    }
}

fn summary(national: &National, tours: &[Tour], figures: &[TourFigures], scenario: &Scenario) -> String {
    let split = national.split();
    let population = national.population();
    let per_year = cycles_per_year(scenario);
    let km: f64 = figures.iter().map(|f| f.km).sum::<f64>() * per_year;
    let agents: f64 = figures.iter().map(|f| f.drive_hours + f.open_hours).sum::<f64>() * per_year * AGENTS_PER_BUS;
    let curve: Vec<_> = national
        .splits
        .iter()
        .enumerate()
        .map(|(n, s)| {
            json!({
                "buses": n,
                "share_within": round(national.share(s), 6),
                "bound_share_within": round(share_of(national, s.bound), 6),
            })
        })
        .collect();
    let settings = &national.settings;
    let goal = match settings.goal {
        crate::national::Goal::Buses(n) => json!({ "buses": n }),
        crate::national::Goal::Share(s) => json!({ "target_share": s }),
    };
    let stops: usize = tours.iter().map(|t| t.stops.len()).sum();
    let value = json!({
        "minutes": settings.minutes,
        "visits_per_cycle": settings.visits,
        "cycle_weeks": scenario.cycle.weeks,
        "half_days_per_bus": half_days_per_bus(scenario),
        "max_drive_minutes": scenario.max_drive_minutes,
        "stop_near_base_minutes": BaseReach::new(scenario.max_drive_minutes).near_minutes,
        "stop_far_from_base_minutes": BaseReach::new(scenario.max_drive_minutes).far_minutes,
        "regions": settings.areas,
        "travel": travel_note(national, scenario),
        "travel_models": {
            "road": road_communes(national),
            "straight_line": national.selected.len() - road_communes(national),
        },
        "communes": national.selected.len(),
        "unlocated_communes_left_out": national.table.unlocated,
        "departements": national.areas.len(),
        "population": population,
        "goal": goal,
        "buses": tours.len(),
        "stops": stops,
        "population_within_before": national.within_before(),
        "population_newly_within": split.covered,
        "share_within_before": round(share_of(national, 0), 6),
        "share_within_after": round(national.share(split), 6),
        "bound_population_newly_within": split.bound,
        "optimality_gap": round(gap(split), 6),
        "departements_proven_optimal": national.chosen_fleets().filter(|(_, s)| s.optimal).count(),
        "branch_and_bound_nodes": settings.nodes,
        "km_per_year": km.round(),
        "co2_tonnes_per_year": round(km * scenario.coverage.bus_kg_co2_per_km / 1000.0, 1),
        "agents_hours_per_year": agents.round(),
        "agents_per_bus": AGENTS_PER_BUS,
        "curve": curve,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// Communes of the selection whose trips use road times.
fn road_communes(national: &National) -> usize {
    national.selected.iter().filter(|&&i| national.on_road[i]).count()
}

/// Which travel model the figures rest on, in one sentence.
fn travel_note(national: &National, scenario: &Scenario) -> String {
    let straight = crate::travel::TravelSource::StraightLine(scenario.travel).describe();
    match (&scenario.osm, road_communes(national)) {
        (Some(osm), n) if n > 0 => format!(
            "road times from {} between the {n} communes it covers (communes.csv, column travel_model); elsewhere {straight}",
            osm.display()
        ),
        _ => straight,
    }
}

/// [`travel_note`] in French, for the page.
fn travel_note_fr(national: &National, scenario: &Scenario) -> String {
    let m = scenario.travel;
    let straight = format!(
        "temps de trajet estimés à vol d'oiseau (distance × {} ÷ {} km/h)",
        format!("{:.2}", m.detour).replace('.', ","),
        m.speed_kmh
    );
    match (&scenario.osm, road_communes(national)) {
        (Some(osm), n) if n > 0 => format!(
            "Temps par la route ({}) entre les {} communes que l'extrait couvre ; ailleurs, {straight}.",
            osm.display(),
            grouped(n as u64)
        ),
        _ => format!("T{}.", &straight[1..]),
    }
}

/// A share as a French percentage: `88,4 %`.
fn percent(share: f64, decimals: usize) -> String {
    format!("{:.*}\u{a0}%", decimals, share * 100.0).replace('.', ",")
}

/// A whole number with thin spaces between thousands, as French prints it.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Share of the population within reach once `newly` more are.
fn share_of(national: &National, newly: u64) -> f64 {
    (national.within_before() + newly) as f64 / national.population().max(1) as f64
}

fn csv_bytes(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut w = CsvOut::new(name);
    w.row(header)?;
    for row in rows {
        w.row(row)?;
    }
    w.finish()
}

fn by_departement(
    national: &National,
    tours: &[Tour],
    figures: &[TourFigures],
    scenario: &Scenario,
) -> Result<Vec<u8>> {
    let per_year = cycles_per_year(scenario);
    let rows = national
        .chosen_fleets()
        .map(|(area, solved)| {
            let code = &area.area.code;
            let km: f64 = tours
                .iter()
                .zip(figures)
                .filter(|(t, _)| &t.departement == code)
                .map(|(_, f)| f.km)
                .sum::<f64>()
                * per_year
                + 0.0; // an empty sum is −0
            let share = |n: u64| format!("{:.6}", (area.within_before + n) as f64 / area.population.max(1) as f64);
            vec![
                code.clone(),
                area.region.clone(),
                area.communes.len().to_string(),
                area.population.to_string(),
                area.within_before.to_string(),
                share(0),
                solved.fleet.buses.len().to_string(),
                solved
                    .fleet
                    .buses
                    .iter()
                    .map(|b| b.stops.len())
                    .sum::<usize>()
                    .to_string(),
                solved.fleet.covered.to_string(),
                share(solved.fleet.covered),
                solved.bound.to_string(),
                solved.optimal.to_string(),
                format!("{km:.0}"),
            ]
        })
        .collect();
    csv_bytes(
        "by_departement.csv",
        &[
            "departement",
            "region",
            "communes",
            "population",
            "population_within_before",
            "share_within_before",
            "buses",
            "stops",
            "population_newly_within",
            "share_within_after",
            "bound_population_newly_within",
            "proven_optimal",
            "km_per_year",
        ],
        rows,
    )
}

fn buses_csv(national: &National, tours: &[Tour], figures: &[TourFigures], scenario: &Scenario) -> Result<Vec<u8>> {
    let per_year = cycles_per_year(scenario);
    let communes = &national.table.communes;
    let rows = tours
        .iter()
        .zip(figures)
        .map(|(t, f)| {
            vec![
                t.id.clone(),
                t.departement.clone(),
                communes[t.base].insee.clone(),
                communes[t.base].name.clone(),
                t.stops.len().to_string(),
                t.stops
                    .iter()
                    .map(|&s| communes[s].insee.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                f.half_days.to_string(),
                format!("{:.1}", f.km),
                format!("{:.0}", f.km * per_year),
                t.travel_model.to_string(),
            ]
        })
        .collect();
    csv_bytes(
        "buses.csv",
        &[
            "bus",
            "departement",
            "base_insee",
            "base_name",
            "stops",
            "communes",
            "half_days_used",
            "km_per_cycle",
            "km_per_year",
            "travel_model",
        ],
        rows,
    )
}

fn stops_csv(national: &National, tours: &[Tour]) -> Result<Vec<u8>> {
    let communes = &national.table.communes;
    let rows = tours
        .iter()
        .flat_map(|t| {
            t.stops.iter().map(|&s| {
                let c = &communes[s];
                vec![
                    t.id.clone(),
                    c.insee.clone(),
                    c.name.clone(),
                    format!("{:.6}", c.at.lat),
                    format!("{:.6}", c.at.lon),
                    national.settings.visits.to_string(),
                ]
            })
        })
        .collect();
    csv_bytes(
        "stops.csv",
        &["bus", "insee", "name", "lat", "lon", "visits_per_cycle"],
        rows,
    )
}

/// Every commune of the selection: its access before, whether a stop now
/// brings it within reach, the bus that stops there, its travel model.
fn communes_csv(national: &National, tours: &[Tour]) -> Result<Vec<u8>> {
    let communes = &national.table.communes;
    let now = newly_within(national);
    let mut bus_at = std::collections::HashMap::new();
    for t in tours {
        for &s in &t.stops {
            bus_at.insert(s, t.id.as_str());
        }
    }
    let limit = national.settings.minutes * 60.0;
    let rows = national
        .selected
        .iter()
        .map(|&i| {
            let c = &communes[i];
            let fixed = national.fixed_seconds[i];
            vec![
                c.insee.clone(),
                c.name.clone(),
                c.departement.clone(),
                c.population.to_string(),
                fixed.map_or(String::new(), |s| format!("{:.1}", s / 60.0)),
                fixed.is_some_and(|s| s <= limit).to_string(),
                now.contains(&i).to_string(),
                bus_at.get(&i).copied().unwrap_or("").to_string(),
                if national.on_road[i] { "road" } else { "straight_line" }.to_string(),
            ]
        })
        .collect();
    csv_bytes(
        "communes.csv",
        &[
            "insee",
            "name",
            "departement",
            "population",
            "fixed_site_min",
            "within_before",
            "newly_within",
            "bus_stop_of",
            "travel_model",
        ],
        rows,
    )
}

/// National indices of the communes the answer's stops bring within reach.
fn newly_within(national: &National) -> std::collections::HashSet<usize> {
    let mut covered = std::collections::HashSet::new();
    for (area, solved) in national.chosen_fleets() {
        for bus in &solved.fleet.buses {
            for &s in &bus.stops {
                covered.extend(
                    area.area.stops[s]
                        .covers
                        .iter()
                        .flat_map(|&d| area.area.demands[d].communes.iter().copied()),
                );
            }
        }
    }
    covered
}

/// Bases, stops, and the communes that were beyond reach (covered now or
/// not), as one FeatureCollection.
fn geojson(national: &National, tours: &[Tour]) -> String {
    let communes = &national.table.communes;
    let mut features = Vec::new();
    let covered = newly_within(national);
    for t in tours {
        let base = &communes[t.base];
        features.push(point(
            base.at,
            json!({"kind": "base", "bus": t.id, "insee": base.insee, "name": base.name}),
        ));
        for &s in &t.stops {
            let c = &communes[s];
            features.push(point(
                c.at,
                json!({"kind": "stop", "bus": t.id, "insee": c.insee, "name": c.name}),
            ));
        }
    }
    for area in &national.areas {
        for &commune in area.area.demands.iter().flat_map(|d| &d.communes) {
            let c = &communes[commune];
            features.push(point(
                c.at,
                json!({
                    "kind": "beyond_fixed_site",
                    "insee": c.insee,
                    "name": c.name,
                    "population": c.population,
                    "now_within": covered.contains(&commune),
                }),
            ));
        }
    }
    collection(features)
}

/// The summary page: key figures and the curve of share covered against
/// buses (found and bound), where more buses stop paying.
fn html(national: &National, tours: &[Tour], figures: &[TourFigures], scenario: &Scenario) -> String {
    let split = national.split();
    let per_year = cycles_per_year(scenario);
    let km: f64 = figures.iter().map(|f| f.km).sum::<f64>() * per_year;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Couverture nationale</title><style>{STYLE}</style></head><body>\n<h1>Couverture — {} communes, {} habitants</h1>\n",
        grouped(national.selected.len() as u64),
        grouped(national.population())
    );
    let _ = writeln!(
        out,
        "<p>À moins de {} min d'un espace France Services fixe : <b>{}</b> de la population. Avec <b>{} bus</b> ({} arrêts, {} passages par cycle de {} semaines) : <b>{}</b> (borne supérieure {}, écart d'optimalité {}). {} km par an, {:.0} t de CO2.</p>",
        national.settings.minutes,
        percent(share_of(national, 0), 1),
        tours.len(),
        tours.iter().map(|t| t.stops.len()).sum::<usize>(),
        national.settings.visits,
        scenario.cycle.weeks,
        percent(national.share(split), 1),
        percent(share_of(national, split.bound), 1),
        percent(gap(split), 2),
        grouped(km.round() as u64),
        km * scenario.coverage.bus_kg_co2_per_km / 1000.0
    );
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        esc(&travel_note_fr(national, scenario))
    );
    chart(national, &mut out);
    out.push_str("</body></html>\n");
    out
}

/// An SVG line chart: share within reach (found, solid; bound, dashed)
/// against the number of buses.
fn chart(national: &National, out: &mut String) {
    let (w, h, m) = (720.0, 360.0, 50.0);
    // Up to a little past the first fleet that covers all buses can: the
    // flat tail says nothing more.
    let top = national.splits.last().map_or(0, |s| s.covered);
    let saturated = national.splits.iter().position(|s| s.covered >= top).unwrap_or(0);
    let shown = (saturated + saturated / 10 + 1)
        .max(national.chosen + 1)
        .min(national.splits.len());
    let splits = &national.splits[..shown.max(1)];
    let n = splits.len().max(2) - 1;
    let low = share_of(national, 0);
    let high = splits
        .last()
        .map_or(1.0, |s| share_of(national, s.bound))
        .max(low + 1e-6);
    let x = |k: usize| m + (w - 2.0 * m) * k as f64 / n as f64;
    let y = |s: f64| h - m - (h - 2.0 * m) * (s - low) / (high - low);
    let line = |value: &dyn Fn(&Split) -> f64| -> String {
        splits
            .iter()
            .enumerate()
            .map(|(k, s)| format!("{:.1},{:.1}", x(k), y(value(s))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = writeln!(
        out,
        "<h2>Part de la population à portée selon le nombre de bus</h2>\n<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">"
    );
    let _ = writeln!(
        out,
        "<polyline fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"{}\"/><polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"{}\"/>",
        line(&|s| share_of(national, s.bound)),
        line(&|s| national.share(s))
    );
    let chosen = national.chosen;
    let _ = writeln!(
        out,
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#c0392b\"/>",
        x(chosen),
        y(national.share(&national.splits[chosen]))
    );
    let _ = writeln!(
        out,
        "<line x1=\"{m}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#333\"/><line x1=\"{m}\" y1=\"{m}\" x2=\"{m}\" y2=\"{b}\" stroke=\"#333\"/>\
<text x=\"{m}\" y=\"{t}\" font-size=\"12\">0</text><text x=\"{r}\" y=\"{t}\" font-size=\"12\" text-anchor=\"end\">{n} bus</text>\
<text x=\"{l}\" y=\"{b}\" font-size=\"12\" text-anchor=\"end\">{}</text><text x=\"{l}\" y=\"{m}\" font-size=\"12\" text-anchor=\"end\">{}</text></svg>",
        percent(low, 1),
        percent(high, 1),
        b = h - m,
        r = w - m,
        t = h - m + 18.0,
        l = m - 4.0,
    );
    out.push_str("<p>Trait plein : meilleure répartition trouvée ; pointillés : borne supérieure ; point rouge : la réponse.</p>\n");
}

/// What the terminal shows: the question, the answer, and the curve at a
/// few fleet sizes.
pub fn text(national: &National, tours: &[Tour], mobile_skipped: usize) -> String {
    let split = national.split();
    let settings = &national.settings;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "National coverage — {} communes, {} inhabitants, {} département(s); {} mobile services set aside (their base is not a desk)",
        national.selected.len(),
        national.population(),
        national.areas.len(),
        mobile_skipped
    );
    let _ = writeln!(
        out,
        "Within {} min of a fixed site: {:.2} %",
        settings.minutes,
        share_of(national, 0) * 100.0
    );
    let proven = national.chosen_fleets().filter(|(_, s)| s.optimal).count();
    let _ = writeln!(
        out,
        "With {} buses ({} stops, {} visits a cycle each): {:.2} % — at most {:.2} % with any {} buses (gap {:.2} %); {proven} of {} départements proven optimal",
        tours.len(),
        tours.iter().map(|t| t.stops.len()).sum::<usize>(),
        settings.visits,
        national.share(split) * 100.0,
        share_of(national, split.bound) * 100.0,
        split.total(),
        gap(split) * 100.0,
        national.areas.len()
    );
    let step = (national.splits.len() / 8).max(1);
    let _ = writeln!(out, "  buses   share within   bound");
    for (n, s) in national
        .splits
        .iter()
        .enumerate()
        .filter(|(n, _)| n % step == 0 || *n == national.chosen)
    {
        let _ = writeln!(
            out,
            "  {n:>5}   {:>10.2} %   {:>5.2} %{}",
            national.share(s) * 100.0,
            share_of(national, s.bound) * 100.0,
            if n == national.chosen { "   ← the answer" } else { "" }
        );
    }
    out
}
