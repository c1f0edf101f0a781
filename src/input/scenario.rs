//! The planning rules: buses, sessions, frequency rule, month, driving
//! limit and travel model, read from a TOML file in which every field is
//! optional. `docs/scenario.md` documents each field; the defaults here are
//! the ones it states.

use crate::calendar::{self, Anchor, Cycle, HalfDay, MAX_CYCLE_WEEKS, Month, WEEKS, parse_weekday};
use crate::error::{Error, Location, Result};
use crate::input::territory::{LatLon, Territory};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

// The parts of a scenario, each stage's settings in its own file.
pub use crate::settings::coverage::CoverageSettings;
use crate::settings::coverage::{PRESENCE_MINUTES, thresholds_ok};
use crate::settings::service::DEFAULT_WEEKDAYS;
pub use crate::settings::service::{BusSpec, Depot, FrequencyRule, Session, Sessions};
pub use crate::settings::solver::{SolverSettings, refuse_zero_iterations};
pub use crate::settings::travel::StraightLine;

/// A fully resolved scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: Option<String>,
    /// The commune table, resolved relative to the scenario file.
    pub territory: Option<PathBuf>,
    /// The cycle and its anchor (`month` or `[cycle]`).
    pub cycle: Cycle,
    /// Empty means "one bus at the most populous commune", decided once the
    /// territory is known.
    pub buses: Vec<BusSpec>,
    pub sessions: Sessions,
    pub frequency: FrequencyRule,
    pub max_drive_minutes: u32,
    pub travel: StraightLine,
    /// Road network for real travel times; straight lines without it.
    pub osm: Option<PathBuf>,
    pub profile: road::CarProfile,
    pub solver: SolverSettings,
    pub coverage: CoverageSettings,
    /// What open data needs and tournee cannot know; `None`: no
    /// `[publish]` section, no open-data file.
    pub publish: Option<Publish>,
}

/// The `[publish]` section: the operator and the contact details of the
/// places of service, for `lieux-mediation-numerique.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Publish {
    /// SIRET or SIREN of the operating structure (9 to 14 letters or digits).
    pub pivot: String,
    /// The service's name; each stop is "nom — commune".
    pub nom: String,
    /// The stop's address where the commune table gives no `stop_name`.
    pub adresse: Option<String>,
    pub telephone: Option<String>,
    pub courriels: Option<String>,
    pub site_web: Option<String>,
    /// Date of the data; default: the cycle's first day.
    pub date_maj: Option<NaiveDate>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: None,
            territory: None,
            cycle: Cycle::monthly(None),
            buses: Vec::new(),
            sessions: Sessions::default(),
            frequency: FrequencyRule::default(),
            max_drive_minutes: DEFAULT_MAX_DRIVE_MINUTES,
            travel: StraightLine::default(),
            osm: None,
            profile: road::CarProfile::default(),
            solver: SolverSettings::default(),
            coverage: CoverageSettings::default(),
            publish: None,
        }
    }
}

/// A driving day of 3 hours leaves the agents 5 hours of opening.
const DEFAULT_MAX_DRIVE_MINUTES: u32 = 180;

impl Scenario {
    /// The name outputs give the territory: the scenario's `name`, else
    /// the commune table's file stem.
    pub(crate) fn name_for(&self, territory: &Territory) -> String {
        self.name.clone().unwrap_or_else(|| {
            territory
                .source
                .file_stem()
                .map_or("territory".into(), |s| s.to_string_lossy().into_owned())
        })
    }

    pub fn from_path(path: &Path) -> Result<Scenario> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
        Scenario::parse(&text, path)
    }

    /// Parses scenario text; relative paths inside resolve against the
    /// directory of `source`.
    pub fn parse(text: &str, source: &Path) -> Result<Scenario> {
        let file: ScenarioFile = toml::from_str(text).map_err(|e| {
            let mut at = Location::file(source);
            if let Some(span) = e.span() {
                at = at.line(line_of(text, span.start));
                if let Some(key) = key_at(text, span.start) {
                    at = at.field(key);
                }
            }
            Error::input(at, e.message().to_string())
        })?;
        Resolver { text, source }.resolve(file)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

/// The dotted key (`section.key`) written on the line holding `offset`,
/// so that type errors name the field even when TOML's message does not.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    let key = line.split_once('=')?.0.trim();
    let section = before[..line_start].lines().rev().find_map(|l| {
        l.trim()
            .strip_prefix('[')
            .map(|s| s.trim_matches(['[', ']', ' ']).to_string())
    });
    Some(match section {
        Some(section) => format!("{section}.{key}"),
        None => key.to_string(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: Option<String>,
    territory: Option<PathBuf>,
    month: Option<Spanned<String>>,
    cycle: Option<CycleFile>,
    max_drive_minutes: Option<Spanned<u32>>,
    #[serde(default)]
    bus: Vec<BusFile>,
    sessions: Option<SessionsFile>,
    frequency: Option<FrequencyFile>,
    travel: Option<TravelFile>,
    osm: Option<PathBuf>,
    profile: Option<road::CarProfile>,
    solver: Option<SolverFile>,
    coverage: Option<CoverageFile>,
    publish: Option<PublishFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishFile {
    pivot: Option<Spanned<String>>,
    nom: Option<Spanned<String>>,
    adresse: Option<String>,
    telephone: Option<Spanned<String>>,
    courriels: Option<String>,
    site_web: Option<String>,
    date_maj: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CycleFile {
    weeks: Option<Spanned<u8>>,
    anchor: Option<Spanned<String>>,
    first_monday: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageFile {
    sites: Option<PathBuf>,
    plan: Option<PathBuf>,
    thresholds_minutes: Option<Spanned<Vec<f64>>>,
    presence_minutes: Option<Spanned<f64>>,
    include_mobile_sites: Option<bool>,
    visits_per_inhabitant_year: Option<Spanned<f64>>,
    bus_capture: Option<Spanned<f64>>,
    car_kg_co2_per_km: Option<Spanned<f64>>,
    bus_kg_co2_per_km: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BusFile {
    name: Option<String>,
    depot: Option<Spanned<DepotFile>>,
    weekdays: Option<Spanned<Vec<String>>>,
    range_km: Option<Spanned<f64>>,
    half_days: Option<Spanned<Vec<String>>>,
    /// Its own session hours on some weekdays: `hours = { Wed = { pm =
    /// { start = "13:30", end = "17:00" } } }`.
    hours: Option<Spanned<std::collections::BTreeMap<String, SessionsFile>>>,
}

/// Daily ranges `range_km` accepts: an electric bus's 40 km city loop
/// to a diesel's 2,000 km tank.
const RANGE_KM: std::ops::RangeInclusive<f64> = 1.0..=2000.0;

#[derive(Deserialize)]
#[serde(untagged)]
enum DepotFile {
    Insee(String),
    Point { lat: f64, lon: f64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionsFile {
    am: Option<SessionFile>,
    pm: Option<SessionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionFile {
    start: Spanned<String>,
    end: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrequencyFile {
    monthly_from: Option<u32>,
    twice_from: Option<u32>,
    weekly_from: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TravelFile {
    detour: Option<Spanned<f64>>,
    speed_kmh: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SolverFile {
    seed: Option<u64>,
    iterations: Option<Spanned<u64>>,
}

/// Turns the raw file into a [`Scenario`], checking values that TOML's
/// types cannot (times, weekday names, orderings).
struct Resolver<'a> {
    text: &'a str,
    source: &'a Path,
}

impl Resolver<'_> {
    fn err<T>(&self, span: std::ops::Range<usize>, field: &str, message: String) -> Result<T> {
        let at = Location::file(self.source)
            .line(line_of(self.text, span.start))
            .field(field);
        Err(Error::input(at, message))
    }

    /// The `[cycle]` section with the top-level `month`: the month anchor
    /// (four weeks, dated when a month is set) unless `anchor = "weeks"`,
    /// which needs `first_monday` and no `month`.
    fn cycle(
        &self,
        file: Option<CycleFile>,
        month: Option<Month>,
        month_span: Option<std::ops::Range<usize>>,
    ) -> Result<Cycle> {
        let Some(file) = file else {
            return Ok(Cycle::monthly(month));
        };
        let weeks = match &file.weeks {
            Some(w) if !(1..=MAX_CYCLE_WEEKS).contains(w.get_ref()) => {
                return self.err(
                    w.span(),
                    "cycle.weeks",
                    format!("{}: expected 1 to {MAX_CYCLE_WEEKS} weeks", w.get_ref()),
                );
            }
            Some(w) => Some(*w.get_ref()),
            None => None,
        };
        let anchor = file.anchor.as_ref().map_or("month", |a| a.get_ref().as_str());
        match anchor {
            "month" => {
                if let (Some(w), Some(span)) = (weeks.filter(|w| *w != WEEKS), file.weeks.as_ref().map(Spanned::span)) {
                    return self.err(span, "cycle.weeks", format!("{w}: a cycle anchored on the month has {WEEKS} weeks (the 1st to 4th weekday of the month); for another length use anchor = \"weeks\""));
                }
                if let Some(f) = &file.first_monday {
                    return self.err(
                        f.span(),
                        "cycle.first_monday",
                        "only a cycle with anchor = \"weeks\" has a first Monday".into(),
                    );
                }
                Ok(Cycle::monthly(month))
            }
            "weeks" => {
                if let Some(span) = month_span {
                    return self.err(span, "month", "a rolling cycle (anchor = \"weeks\") starts on `cycle.first_monday`, not on a month: remove `month`".into());
                }
                let Some(first) = &file.first_monday else {
                    return self.err(
                        0..0,
                        "cycle.first_monday",
                        "a rolling cycle needs first_monday = \"YYYY-MM-DD\", the Monday its week 1 starts".into(),
                    );
                };
                let monday = crate::calendar::parse_date(first.get_ref())
                    .filter(|d| d.weekday() == chrono::Weekday::Mon)
                    .ok_or(())
                    .or_else(|()| {
                        self.err(
                            first.span(),
                            "cycle.first_monday",
                            format!(
                                "`{}`: expected a Monday as YYYY-MM-DD, {}",
                                first.get_ref(),
                                calendar::years_text()
                            ),
                        )
                    })?;
                let weeks = weeks.unwrap_or(WEEKS);
                if weeks == 2 && monday.iso_week().week() == 53 {
                    return self.err(
                        first.span(),
                        "cycle.first_monday",
                        format!("{monday} starts ISO week 53, after which week 1 has the same parity: start a 2-week cycle on another Monday"),
                    );
                }
                Ok(Cycle {
                    weeks,
                    anchor: Anchor::Weeks(monday),
                })
            }
            other => {
                let span = file.anchor.as_ref().map_or(0..0, Spanned::span);
                self.err(
                    span,
                    "cycle.anchor",
                    format!("`{other}`: expected \"month\" or \"weeks\""),
                )
            }
        }
    }

    fn resolve(&self, file: ScenarioFile) -> Result<Scenario> {
        let defaults = Scenario::default();
        let month = match &file.month {
            Some(m) => match m.get_ref().parse::<Month>() {
                Ok(month) => Some(month),
                Err(msg) => return self.err(m.span(), "month", msg),
            },
            None => None,
        };
        let cycle = self.cycle(file.cycle, month, file.month.as_ref().map(Spanned::span))?;
        let max_drive_minutes = match file.max_drive_minutes {
            Some(v) if *v.get_ref() == 0 => {
                return self.err(
                    v.span(),
                    "max_drive_minutes",
                    "expected a positive number of minutes".into(),
                );
            }
            Some(v) => v.into_inner(),
            None => defaults.max_drive_minutes,
        };
        let sessions = self.sessions(file.sessions, Sessions::default(), "sessions")?;
        let buses = file
            .bus
            .into_iter()
            .enumerate()
            .map(|(i, b)| self.bus(i, b, sessions))
            .collect::<Result<Vec<_>>>()?;
        Ok(Scenario {
            name: file.name,
            territory: file.territory.map(|p| self.relative(p)),
            cycle,
            buses,
            sessions,
            frequency: self.frequency(file.frequency)?,
            max_drive_minutes,
            travel: self.travel(file.travel)?,
            osm: file.osm.map(|p| self.relative(p)),
            profile: file.profile.unwrap_or_default(),
            solver: self.solver(file.solver)?,
            coverage: self.coverage(file.coverage)?,
            publish: file.publish.map(|p| self.publish(p)).transpose()?,
        })
    }

    /// The `[publish]` section: required fields present, values in the
    /// national schema's forms.
    fn publish(&self, file: PublishFile) -> Result<Publish> {
        let required =
            |v: Option<Spanned<String>>, field: &str, what: &str| -> Result<(String, std::ops::Range<usize>)> {
                match v {
                    Some(v) if !v.get_ref().trim().is_empty() => {
                        let span = v.span();
                        Ok((v.into_inner().trim().to_string(), span))
                    }
                    Some(v) => self.err(v.span(), field, format!("empty: expected {what}")),
                    None => self.err(0..0, field, format!("required in [publish]: {what}")),
                }
            };
        let (pivot, span) = required(
            file.pivot,
            "publish.pivot",
            "the SIRET or SIREN of the operating structure",
        )?;
        if !(9..=14).contains(&pivot.len()) || !pivot.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return self.err(
                span,
                "publish.pivot",
                format!("`{pivot}`: expected a SIRET or SIREN, 9 to 14 letters or digits"),
            );
        }
        let (nom, _) = required(file.nom, "publish.nom", "the service's name")?;
        let telephone = match file.telephone {
            Some(t) => {
                let digits: String = t
                    .get_ref()
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '.')
                    .collect();
                let national = digits
                    .strip_prefix('0')
                    .filter(|d| d.len() == 9)
                    .map(|d| format!("+33{d}"));
                let number = national.unwrap_or(digits);
                if !(number.starts_with('+')
                    && (8..=13).contains(&number.len())
                    && number[1..].bytes().all(|b| b.is_ascii_digit()))
                {
                    return self.err(
                        t.span(),
                        "publish.telephone",
                        format!(
                            "`{}`: expected a phone number such as 04 90 74 00 00 or +33490740000",
                            t.get_ref()
                        ),
                    );
                }
                Some(number)
            }
            None => None,
        };
        let date_maj = match file.date_maj {
            Some(d) => Some(crate::calendar::parse_date(d.get_ref()).ok_or(()).or_else(|()| {
                self.err(
                    d.span(),
                    "publish.date_maj",
                    format!(
                        "`{}`: expected a date YYYY-MM-DD, {}",
                        d.get_ref(),
                        calendar::years_text()
                    ),
                )
            })?),
            None => None,
        };
        Ok(Publish {
            pivot,
            nom,
            adresse: file.adresse.filter(|a| !a.trim().is_empty()),
            telephone,
            courriels: file.courriels.filter(|c| !c.trim().is_empty()),
            site_web: file.site_web.filter(|c| !c.trim().is_empty()),
            date_maj,
        })
    }

    fn coverage(&self, file: Option<CoverageFile>) -> Result<CoverageSettings> {
        let d = CoverageSettings::default();
        let Some(file) = file else { return Ok(d) };
        let number = |v: Option<Spanned<f64>>, field: &str, range: std::ops::RangeInclusive<f64>, default: f64| {
            let Some(v) = v else { return Ok(default) };
            if range.contains(v.get_ref()) {
                return Ok(v.into_inner());
            }
            self.err(
                v.span(),
                &format!("coverage.{field}"),
                format!(
                    "{}: expected a value between {} and {}",
                    v.get_ref(),
                    range.start(),
                    range.end()
                ),
            )
        };
        let thresholds_minutes = match file.thresholds_minutes {
            Some(t) if !thresholds_ok(t.get_ref()) => {
                return self.err(
                    t.span(),
                    "coverage.thresholds_minutes",
                    "expected a non-empty list of minutes between 0 and 600, e.g. [10, 20, 30]".into(),
                );
            }
            Some(t) => t.into_inner(),
            None => d.thresholds_minutes,
        };
        Ok(CoverageSettings {
            sites: file.sites.map(|p| self.relative(p)),
            plan: file.plan.map(|p| self.relative(p)),
            thresholds_minutes,
            presence_minutes: number(
                file.presence_minutes,
                "presence_minutes",
                PRESENCE_MINUTES,
                d.presence_minutes,
            )?,
            include_mobile_sites: file.include_mobile_sites.unwrap_or(d.include_mobile_sites),
            visits_per_inhabitant_year: number(
                file.visits_per_inhabitant_year,
                "visits_per_inhabitant_year",
                0.0..=100.0,
                d.visits_per_inhabitant_year,
            )?,
            bus_capture: number(file.bus_capture, "bus_capture", 0.0..=1.0, d.bus_capture)?,
            car_kg_co2_per_km: number(
                file.car_kg_co2_per_km,
                "car_kg_co2_per_km",
                0.0..=10.0,
                d.car_kg_co2_per_km,
            )?,
            bus_kg_co2_per_km: number(
                file.bus_kg_co2_per_km,
                "bus_kg_co2_per_km",
                0.0..=10.0,
                d.bus_kg_co2_per_km,
            )?,
        })
    }

    fn relative(&self, path: PathBuf) -> PathBuf {
        match self.source.parent() {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path,
        }
    }

    fn bus(&self, index: usize, bus: BusFile, sessions: Sessions) -> Result<BusSpec> {
        let name = bus.name.unwrap_or_else(|| format!("Bus {}", index + 1));
        let depot = match bus.depot {
            Some(d) => {
                let span = d.span();
                Some(match d.into_inner() {
                    DepotFile::Insee(code) => Depot::Commune(code),
                    DepotFile::Point { lat, lon } => {
                        if !(lat.abs() <= 90.0 && lon.abs() <= 180.0) {
                            return self.err(
                                span,
                                "depot",
                                format!("lat {lat}, lon {lon}: expected lat −90…90, lon −180…180"),
                            );
                        }
                        Depot::Point(LatLon { lat, lon })
                    }
                })
            }
            None => None,
        };
        let half_days = match bus.half_days {
            Some(list) => {
                if bus.weekdays.is_some() {
                    return self.err(
                        list.span(),
                        "half_days",
                        format!(
                            "bus `{name}`: give `weekdays` or `half_days`, not both: the half-days name their weekdays"
                        ),
                    );
                }
                Some(self.half_days(&name, list)?)
            }
            None => None,
        };
        let weekdays = match bus.weekdays {
            Some(days) => {
                let span = days.span();
                let mut out = Vec::new();
                for d in days.into_inner() {
                    match parse_weekday(&d) {
                        Some(day) if !out.contains(&day) => out.push(day),
                        Some(_) => {}
                        None => {
                            return self.err(span, "weekdays", format!("unknown weekday `{d}`: expected Mon, Tue, Wed, Thu, Fri, Sat, Sun or lundi…dimanche"));
                        }
                    }
                }
                if out.is_empty() {
                    return self.err(
                        span,
                        "weekdays",
                        format!("bus `{name}` works no day: expected at least one weekday"),
                    );
                }
                out
            }
            None => match &half_days {
                Some(list) => {
                    let mut days: Vec<Weekday> = Vec::new();
                    for (d, _) in list {
                        if !days.contains(d) {
                            days.push(*d);
                        }
                    }
                    days
                }
                None => DEFAULT_WEEKDAYS.to_vec(),
            },
        };
        let range_km = match bus.range_km {
            Some(r) if !RANGE_KM.contains(r.get_ref()) => {
                return self.err(
                    r.span(),
                    "range_km",
                    format!(
                        "bus `{name}`: {}: expected a daily range between {} and {} km",
                        r.get_ref(),
                        RANGE_KM.start(),
                        RANGE_KM.end()
                    ),
                );
            }
            r => r.map(Spanned::into_inner),
        };
        let mut hours = Vec::new();
        if let Some(table) = bus.hours {
            let span = table.span();
            for (day, file) in table.into_inner() {
                let field = format!("bus.hours.{day}");
                let Some(weekday) = parse_weekday(&day) else {
                    return self.err(
                        span,
                        &field,
                        format!("bus `{name}`: `{day}`: expected a weekday such as Wed for its hours"),
                    );
                };
                hours.push((weekday, self.sessions(Some(file), sessions, &field)?));
            }
        }
        Ok(BusSpec {
            name,
            depot,
            weekdays,
            half_days,
            range_km,
            hours,
        })
    }

    /// `["Wed PM", "Fri AM"]`: the half-days a bus works, each a weekday
    /// and `AM` or `PM` (a Saturday has its morning only).
    fn half_days(&self, name: &str, list: Spanned<Vec<String>>) -> Result<Vec<(Weekday, HalfDay)>> {
        let span = list.span();
        let mut out = Vec::new();
        for item in list.into_inner() {
            let parsed = item.split_once(char::is_whitespace).and_then(|(d, h)| {
                let day = parse_weekday(d.trim())?;
                let half: HalfDay = h.trim().parse().ok()?;
                crate::calendar::halves(day).contains(&half).then_some((day, half))
            });
            match parsed {
                Some(h) if !out.contains(&h) => out.push(h),
                Some(_) => {}
                None => {
                    return self.err(
                        span,
                        "half_days",
                        format!("bus `{name}`: `{item}`: expected a weekday and a half-day such as \"Wed PM\" (Saturday: AM only)"),
                    );
                }
            }
        }
        if out.is_empty() {
            return self.err(
                span,
                "half_days",
                format!("bus `{name}` works no half-day: expected at least one"),
            );
        }
        Ok(out)
    }

    fn session(&self, file: Option<SessionFile>, default: Session, which: &str) -> Result<Session> {
        // `which` is the field's path: `sessions.am`, `bus.hours.Wed.pm`.
        let Some(file) = file else { return Ok(default) };
        let clock = |s: &Spanned<String>, field: &str| -> Result<u32> {
            match calendar::parse_clock(s.get_ref()) {
                Some(m) => Ok(m),
                None => self.err(
                    s.span(),
                    &format!("{which}.{field}"),
                    format!("`{}`: expected a time as HH:MM", s.get_ref()),
                ),
            }
        };
        let session = Session {
            start: clock(&file.start, "start")?,
            end: clock(&file.end, "end")?,
        };
        if session.end <= session.start {
            return self.err(
                file.end.span(),
                &format!("{which}.end"),
                format!(
                    "session ends at {} but starts at {}: expected the end after the start",
                    file.end.get_ref(),
                    file.start.get_ref()
                ),
            );
        }
        Ok(session)
    }

    /// `file` over `defaults`; `path` names the table in messages.
    fn sessions(&self, file: Option<SessionsFile>, defaults: Sessions, path: &str) -> Result<Sessions> {
        let Some(file) = file else { return Ok(defaults) };
        let pm_span = file.pm.as_ref().map(|s| s.start.span());
        let sessions = Sessions {
            am: self.session(file.am, defaults.am, &format!("{path}.am"))?,
            pm: self.session(file.pm, defaults.pm, &format!("{path}.pm"))?,
        };
        if sessions.pm.start < sessions.am.end {
            return self.err(
                pm_span.unwrap_or(0..0),
                &format!("{path}.pm.start"),
                format!(
                    "the afternoon session starts at {} before the morning one ends at {}: expected PM after AM",
                    calendar::format_clock(sessions.pm.start),
                    calendar::format_clock(sessions.am.end)
                ),
            );
        }
        Ok(sessions)
    }

    fn frequency(&self, file: Option<FrequencyFile>) -> Result<FrequencyRule> {
        let d = FrequencyRule::default();
        let Some(file) = file else { return Ok(d) };
        let rule = FrequencyRule {
            monthly_from: file.monthly_from.unwrap_or(d.monthly_from),
            twice_from: file.twice_from.unwrap_or(d.twice_from),
            weekly_from: file.weekly_from.as_ref().map_or(d.weekly_from, |w| *w.get_ref()),
        };
        if !(rule.monthly_from <= rule.twice_from && rule.twice_from <= rule.weekly_from) {
            let span = file.weekly_from.map_or(0..0, |w| w.span());
            return self.err(
                span,
                "frequency",
                format!(
                    "thresholds monthly_from={} twice_from={} weekly_from={}: expected them in increasing order",
                    rule.monthly_from, rule.twice_from, rule.weekly_from
                ),
            );
        }
        Ok(rule)
    }

    fn travel(&self, file: Option<TravelFile>) -> Result<StraightLine> {
        let d = StraightLine::default();
        let Some(file) = file else { return Ok(d) };
        let detour = match file.detour {
            Some(v) if !(1.0..=5.0).contains(v.get_ref()) => {
                return self.err(
                    v.span(),
                    "travel.detour",
                    format!("{}: expected a road/straight-line ratio between 1 and 5", v.get_ref()),
                );
            }
            Some(v) => v.into_inner(),
            None => d.detour,
        };
        let speed_kmh = match file.speed_kmh {
            Some(v) if !(5.0..=130.0).contains(v.get_ref()) => {
                return self.err(
                    v.span(),
                    "travel.speed_kmh",
                    format!("{}: expected an average speed between 5 and 130 km/h", v.get_ref()),
                );
            }
            Some(v) => v.into_inner(),
            None => d.speed_kmh,
        };
        Ok(StraightLine { detour, speed_kmh })
    }

    fn solver(&self, file: Option<SolverFile>) -> Result<SolverSettings> {
        let d = SolverSettings::default();
        let Some(file) = file else { return Ok(d) };
        let iterations = match file.iterations {
            Some(v) if *v.get_ref() == 0 => {
                return self.err(v.span(), "solver.iterations", "expected a positive number".into());
            }
            Some(v) => v.into_inner(),
            None => d.iterations,
        };
        Ok(SolverSettings {
            seed: file.seed.unwrap_or(d.seed),
            iterations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_frequency_rule_matches_the_published_thresholds() {
        let rule = FrequencyRule::default();
        assert_eq!(rule.visits_for(1999), 1);
        assert_eq!(rule.visits_for(2000), 2);
        assert_eq!(rule.visits_for(4999), 2);
        assert_eq!(rule.visits_for(5000), 4);
    }

    #[test]
    fn empty_scenario_is_all_defaults() {
        let s = Scenario::parse("", Path::new("s.toml")).unwrap();
        assert_eq!(s, Scenario::default());
    }
}
