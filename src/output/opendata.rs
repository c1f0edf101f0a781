//! `lieux-mediation-numerique.csv`: the plan's stops as places of service
//! in France's national table schema ("lieux de médiation numérique",
//! Frictionless), one row per stop, `itinerance` = `Itinérant`, the
//! published slot in OpenStreetMap `opening_hours` syntax (`horaires`).
//! What tournee cannot know comes from the scenario's `[publish]`.

use crate::calendar::{Anchor, format_clock};
use crate::csv_out::CsvOut;
use crate::error::{Error, Location, Result};
use crate::input::scenario::Publish;
use crate::schedule::model::Instance;
use crate::schedule::plan::{Plan, Stop};
use chrono::{Datelike, NaiveDate, Weekday};

/// The file's name in a plan folder.
pub const FILE: &str = "lieux-mediation-numerique.csv";

/// The schema's columns, in its order.
const COLUMNS: [&str; 32] = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
];

fn day(weekday: Weekday) -> &'static str {
    ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][weekday.num_days_from_monday() as usize]
}

fn month_name(month: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][month as usize - 1]
}

/// `2027 Mar 05`: one date, as opening_hours writes it.
fn date(d: NaiveDate) -> String {
    format!("{} {} {:02}", d.year(), month_name(d.month()), d.day())
}

/// The stop's hours in OpenStreetMap `opening_hours` syntax: `Th[2]
/// 09:30-12:00; PH off` under the month anchor (the n-th weekday of every
/// month; `Th 09:30-12:00` weekly, 5th Thursdays included), `week 01-53/2 Mo 09:30-12:00; PH off` on odd ISO weeks, and for
/// other rolling cycles, which no weekly rule follows across a turn of
/// year, each open date of the calendars' horizon. The commune's
/// unavailable dates close.
pub fn horaires(instance: &Instance, stop: &Stop) -> String {
    horaires_of(instance, &[stop])
}

/// The hours of all of one commune's `stops` (its lines of service) as one
/// `opening_hours` value: each stop's rules, then the closures once.
pub fn horaires_of(instance: &Instance, stops: &[&Stop]) -> String {
    let mut rules: Vec<String> = stops.iter().flat_map(|stop| open_rules(instance, stop)).collect();
    rules.push("PH off".to_string());
    if let (true, Some(stop)) = (instance.cycle.has_dates(), stops.first()) {
        let unavailable = &instance.territory.communes[stop.commune].unavailable;
        rules.extend(unavailable.iter().map(|d| format!("{} off", date(*d))));
    }
    rules.join("; ")
}

/// The `opening_hours` rules when `stop` is open.
fn open_rules(instance: &Instance, stop: &Stop) -> Vec<String> {
    let times: Vec<String> = stop
        .hours(instance)
        .iter()
        .map(|s| format!("{}-{}", format_clock(s.start), format_clock(s.end)))
        .collect();
    let times = times.join(",");
    let wd = day(stop.weekday);
    // Every week of the cycle is every week, a 5th weekday of the month
    // included.
    if stop.weeks.len() == usize::from(instance.cycle.weeks) {
        return vec![format!("{wd} {times}")];
    }
    match instance.cycle.anchor {
        Anchor::Month(_) => {
            let weeks: Vec<String> = stop.weeks.iter().map(u8::to_string).collect();
            vec![format!("{wd}[{}] {times}", weeks.join(","))]
        }
        Anchor::Weeks(monday) if instance.cycle.weeks == 2 && stop.weeks.len() == 1 => {
            let iso = monday.iso_week().week() + u32::from(stop.weeks[0]) - 1;
            let first = if iso % 2 == 1 { "01" } else { "02" };
            vec![format!("week {first}-53/2 {wd} {times}")]
        }
        Anchor::Weeks(_) | Anchor::Dated(_) => crate::output::ical::open_dates(stop, instance)
            .unwrap_or_default()
            .into_iter()
            .map(|d| format!("{} {times}", date(d)))
            .collect(),
    }
}

/// `presentation_resume`: the stop's sentence ("Bus … s'arrête à Gignac le
/// 1er lundi du mois, de 9h30 à 12h00."), within the schema's 280
/// characters.
fn summary(instance: &Instance, stops: &[&Stop]) -> String {
    let sentences: Vec<String> = stops
        .iter()
        .map(|stop| crate::output::wording::sentence(instance, stop))
        .collect();
    sentences.join(" ").chars().take(280).collect()
}

/// `horaires` of every visit, keyed by (bus, commune, week, weekday): the
/// plan.csv column.
pub(crate) fn horaires_by_visit(
    instance: &Instance,
    plan: &Plan,
) -> std::collections::HashMap<(usize, usize, u8, Weekday), String> {
    let mut out = std::collections::HashMap::new();
    for stop in plan.stops() {
        let text = horaires(instance, &stop);
        for &week in &stop.weeks {
            out.insert((stop.bus, stop.commune, week, stop.weekday), text.clone());
        }
    }
    out
}

/// The `[publish]` section, or an error that names it.
fn publish(instance: &Instance) -> Result<&Publish> {
    instance.publish.as_ref().ok_or_else(|| {
        Error::input(
            Location::default().field("publish"),
            format!("{FILE}: the scenario has no [publish] section (pivot, nom, adresse): see docs/scenario.md"),
        )
    })
}

/// The date of the data: `[publish] date_maj`, else the cycle's first day.
fn date_maj(instance: &Instance, publish: &Publish) -> Result<NaiveDate> {
    publish
        .date_maj
        .or_else(|| match instance.cycle.anchor {
            Anchor::Month(m) => m.and_then(|m| NaiveDate::from_ymd_opt(m.year, m.month, 1)),
            Anchor::Weeks(monday) => Some(monday),
            Anchor::Dated(dated) => Some(dated.start),
        })
        .ok_or_else(|| {
            Error::input(
                Location::default().field("publish.date_maj"),
                format!(
                    "{FILE}: date_maj is required: set it under [publish] (YYYY-MM-DD) or give the scenario a month"
                ),
            )
        })
}

/// The file: one row per stop of the plan. A required value tournee does
/// not have (a stop's postal code, an address) is an error naming the
/// commune and where to give it.
pub fn csv(instance: &Instance, plan: &Plan) -> Result<Vec<u8>> {
    let publish = publish(instance)?;
    let date_maj = date_maj(instance, publish)?.to_string();
    let mut w = CsvOut::new(FILE);
    w.row(COLUMNS)?;
    let stops = plan.stops();
    let territory = &instance.territory;
    // One row per commune, with every line of service it has.
    for (c, mine) in crate::schedule::plan::stops_by_commune(&stops, territory) {
        let commune = &territory.communes[c];
        let missing = |field: &str, how: &str| {
            Error::input(
                Location::file(&instance.territory.source)
                    .line(commune.line)
                    .field(field),
                format!(
                    "{FILE}: {} ({}) has no {field}, which the national schema requires: {how}",
                    commune.name, commune.insee
                ),
            )
        };
        let code_postal = commune
            .code_postal
            .clone()
            .ok_or_else(|| missing("code_postal", "add a `code_postal` column to the commune table"))?;
        let adresse = commune
            .stop_name
            .clone()
            .or_else(|| publish.adresse.clone())
            .ok_or_else(|| {
                missing(
                    "adresse",
                    "give a `stop_name` in the commune table or `adresse` under [publish]",
                )
            })?;
        let id = format!("{}-{}", publish.pivot, commune.insee);
        let record = [
            id,
            publish.pivot.clone(),
            format!("{} — {}", publish.nom, commune.name),
            commune.name.clone(),
            code_postal,
            commune.insee.clone(),
            adresse,
            String::new(),
            format!("{:.6}", commune.stop.lat),
            format!("{:.6}", commune.stop.lon),
            String::new(),
            publish.telephone.clone().unwrap_or_default(),
            publish.courriels.clone().unwrap_or_default(),
            publish.site_web.clone().unwrap_or_default(),
            horaires_of(instance, &mine),
            summary(instance, &mine),
            String::new(),
            "tournee".to_string(),
            "Itinérant".to_string(),
            String::new(),
            date_maj.clone(),
            "Aide aux démarches administratives".to_string(),
            String::new(),
            String::new(),
            "Gratuit".to_string(),
            "France Services".to_string(),
            String::new(),
            String::new(),
            "Se présenter".to_string(),
            "Accompagnement individuel".to_string(),
            String::new(),
            String::new(),
        ];
        w.row(&record)?;
    }
    w.finish()
}
