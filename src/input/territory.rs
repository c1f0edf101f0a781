//! The territory — communes, their populations, coordinates and
//! per-commune constraints, read from the CSV tables French users actually
//! have (comma or semicolon, BOM or not, decimal comma).
//!
//! Every rejection names the file, the line, the field and what was
//! expected, because these tables are edited by hand in spreadsheets.

use crate::calendar::{self, HalfDay, fold, parse_weekday};
use crate::error::{Error, Location, Result};
use crate::input::table::{decode, misplaced, parse_number, sniff_delimiter};
use chrono::{NaiveDate, Weekday};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use road::LatLon;

/// How a commune constrains the half-day of its visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HalfDayRule {
    /// Only this half-day is acceptable (`AM`, `PM`).
    Require(HalfDay),
    /// This half-day is preferred; the other costs a penalty (`AM?`, `PM?`).
    Prefer(HalfDay),
    /// The whole day, morning and afternoon, in this commune (`FULL`,
    /// `journée`).
    Full,
}

/// One commune of the territory, as read from one line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    /// The commune centre, used for coverage.
    pub centre: LatLon,
    /// Where the bus parks; the centre unless `stop_lat,stop_lon` are given.
    pub stop: LatLon,
    /// Where the bus parks, in words ("place de la Mairie"), if given.
    pub stop_name: Option<String>,
    /// Its postal code (five digits), for open data; `None` if not given.
    pub code_postal: Option<String>,
    pub population: u32,
    /// Explicit monthly frequency overriding the scenario rule (0 = not served).
    pub visits_per_month: Option<u8>,
    /// Allowed weekdays; `None` means any day a bus works.
    pub weekdays: Option<Vec<Weekday>>,
    /// Market days: a visit on one of them draws more people, so other
    /// weekdays cost a penalty (empty: no preference).
    pub market_days: Vec<Weekday>,
    pub half_day: Option<HalfDayRule>,
    /// Dates when the commune cannot host the bus (market, fête…).
    pub unavailable: Vec<NaiveDate>,
    /// Length of its stop when shorter than a session, in minutes: two or
    /// three short stops may then share a session.
    pub minutes: Option<u32>,
    /// Its published rule (`horaires`, opening_hours syntax), which pins
    /// the weekday, the weeks and the hours.
    pub published: Option<crate::input::horaires::Published>,
    /// The weeks of the cycle and the opening time its published rule
    /// pins, once resolved against the scenario (`schedule::build`).
    pub pinned: Option<Pinned>,
    /// Which line of service this row is, when the commune is served at
    /// several slots ("mardi", "vendredi"): one row per line, each with its
    /// own frequency, weekdays and half-day, all with this label set.
    pub slot: Option<String>,
    /// 1-based line in the source file, for later messages.
    pub line: u64,
}

impl Commune {
    /// A commune known only by its code, name, centre and population (the
    /// bus stops at the centre, any weekday, any half-day); `line` 0 says
    /// it was not read from a table.
    pub fn at(insee: &str, name: &str, centre: LatLon, population: u32, visits_per_month: Option<u8>) -> Commune {
        Commune {
            insee: insee.to_string(),
            name: name.to_string(),
            centre,
            stop: centre,
            stop_name: None,
            code_postal: None,
            population,
            visits_per_month,
            weekdays: None,
            market_days: Vec::new(),
            half_day: None,
            unavailable: Vec::new(),
            minutes: None,
            published: None,
            pinned: None,
            slot: None,
            line: 0,
        }
    }
}

/// What a published rule pins beyond the weekday, half-day and length
/// (which it sets in the commune's own fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pinned {
    /// The weeks of the cycle.
    pub weeks: crate::calendar::WeekSet,
    /// When a stop shorter than its session opens, minutes since midnight.
    pub start: Option<u32>,
    /// A whole day's own published hours (09:30–15:30), opening and
    /// closing, where they are not the bus's sessions.
    pub day_hours: Option<(u32, u32)>,
}

/// The communes of one territory.
#[derive(Debug, Clone)]
pub struct Territory {
    /// Where the table came from (a path or `embedded:…`).
    pub source: PathBuf,
    pub communes: Vec<Commune>,
    /// Non-fatal remarks for the user (ignored columns, …).
    pub notes: Vec<String>,
}

/// What to do with a row whose latitude and longitude are both empty
/// (8 communes of the national table, merged or created too recently to
/// have a centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unlocated {
    /// A plan must place every commune: refuse the table.
    #[default]
    Refuse,
    /// An analysis can go on without them: leave them out, with a note.
    SetAside,
}

impl Territory {
    /// Reads and validates a commune table from disk.
    pub fn from_path(path: &Path) -> Result<Territory> {
        Territory::read(path, Unlocated::Refuse)
    }

    /// Reads a commune table, with a policy for rows without coordinates.
    pub fn read(path: &Path, unlocated: Unlocated) -> Result<Territory> {
        Territory::read_sheet(path, unlocated, None)
    }

    /// [`Territory::read`], from sheet `sheet` when `path` is a spreadsheet
    /// (`.xlsx`, `.xls`, `.ods`; the first sheet when `None`): the same
    /// columns and checks as a CSV file, refusals naming the sheet, row and
    /// column.
    pub fn read_sheet(path: &Path, unlocated: Unlocated, sheet: Option<&str>) -> Result<Territory> {
        use crate::input::sheet;
        if sheet::is_sheet(path) {
            let sheet = sheet::read(path, sheet, &is_code_column)?;
            let column_of = |field: &str| sheet.headers.iter().position(|h| canonical(h) == Some(field));
            return Territory::parse_with(&sheet.text, path, unlocated).map_err(|e| sheet.locate(e, column_of));
        }
        if let Some(name) = sheet {
            return Err(Error::input(
                Location::file(path),
                format!("sheet `{name}` given, but this is no spreadsheet: expected an .xlsx, .xls or .ods file"),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
        let (text, note) = decode(bytes, path)?;
        let mut territory = Territory::parse_with(&text, path, unlocated)?;
        territory.notes.extend(note);
        Ok(territory)
    }

    /// Parses a commune table; `source` is only used in messages.
    pub fn parse(text: &str, source: &Path) -> Result<Territory> {
        Territory::parse_with(text, source, Unlocated::Refuse)
    }

    fn parse_with(text: &str, source: &Path, unlocated: Unlocated) -> Result<Territory> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file = Location::file(source);
        let header_line = text.lines().find(|l| !l.trim().is_empty()).ok_or_else(|| {
            Error::input(
                file.clone(),
                format!("the file is empty: expected a header line `{}`", REQUIRED.join(",")),
            )
        })?;
        let delimiter = sniff_delimiter(header_line);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| csv_error(&file, e))?.clone();
        let (columns, mut notes) = map_columns(&headers, &file)?;
        let mut set_aside: Vec<String> = Vec::new();
        let mut communes: Vec<Commune> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(&file, e))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(str::is_empty) {
                continue;
            }
            let row = Row {
                record: &record,
                columns: &columns,
                at: file.clone().line(line),
            };
            if unlocated == Unlocated::SetAside && row.get("lat").is_empty() && row.get("lon").is_empty() {
                set_aside.push(format!("{} {} (line {line})", row.get("insee"), row.get("name")));
                continue;
            }
            let commune = row.commune()?;
            if let Some(&first) = seen.get(&commune.insee) {
                let earlier = communes.iter().filter(|c| c.insee == commune.insee);
                another_slot(&row, &commune, first, earlier)?;
            } else {
                seen.insert(commune.insee.clone(), line);
            }
            communes.push(commune);
        }
        if communes.is_empty() {
            return Err(Error::input(
                file,
                "no commune rows after the header: expected at least one commune",
            ));
        }
        if !set_aside.is_empty() {
            notes.push(format!(
                "{} communes without coordinates left out: {}",
                set_aside.len(),
                set_aside.join(", ")
            ));
        }
        Ok(Territory {
            source: source.to_path_buf(),
            communes,
            notes,
        })
    }

    /// The most populous commune (ties: first in the file); the default depot.
    pub fn most_populous(&self) -> &Commune {
        self.communes
            .iter()
            .reduce(|best, c| if c.population > best.population { c } else { best })
            .expect("a territory has at least one commune")
    }

    pub fn find(&self, insee: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.insee == insee)
    }

    /// Inhabitants, each commune once however many slots it has.
    pub fn population(&self) -> u64 {
        self.communes
            .iter()
            .enumerate()
            .filter(|(c, _)| !self.is_extra_slot(*c))
            .map(|(_, c)| u64::from(c.population))
            .sum()
    }

    /// Whether row `c` is a second (third…) line of service of a commune
    /// an earlier row already gives: counted once in populations.
    pub fn is_extra_slot(&self, c: usize) -> bool {
        self.head(c) != c
    }

    /// How many communes the table holds, each once however many lines
    /// of service it has.
    pub fn commune_count(&self) -> usize {
        (0..self.communes.len()).filter(|&c| !self.is_extra_slot(c)).count()
    }

    /// The first row of the commune of row `c`: where its calendar, poster
    /// and open-data row gather all its lines of service.
    pub fn head(&self, c: usize) -> usize {
        self.slots_of(c).next().unwrap_or(c)
    }

    /// The rows of the commune of row `c` (its lines of service), `c`
    /// among them.
    pub fn slots_of(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        let insee = &self.communes[c].insee;
        (0..self.communes.len()).filter(move |&o| &self.communes[o].insee == insee)
    }
}

/// Accepts a second row for a commune already read (first on line
/// `first`) only as another line of service: every row of the commune has
/// its own `slot` label, and the rows agree on the commune's name and
/// population.
fn another_slot<'a>(
    row: &Row,
    commune: &Commune,
    first: u64,
    mut earlier: impl Iterator<Item = &'a Commune>,
) -> Result<()> {
    let at = row.at.clone();
    let head = earlier.next().expect("a first row");
    let Some(slot) = &commune.slot else {
        return Err(Error::input(
            at.field("insee"),
            format!(
                "duplicate INSEE code {} (first seen on line {first}): a commune appears once, or once per line of service with a distinct `slot` label on each of its rows (e.g. `mardi`, `vendredi`)",
                commune.insee
            ),
        ));
    };
    if head.slot.is_none() {
        return Err(Error::input(
            Location {
                line: Some(first),
                field: Some("slot".into()),
                ..row.at.clone()
            },
            format!(
                "{} ({}) has several rows (another on line {}): each needs its own `slot` label, and this one has none",
                head.name,
                commune.insee,
                row.at.line.unwrap_or(0)
            ),
        ));
    }
    if let Some(twin) = std::iter::once(head)
        .chain(earlier)
        .find(|c| c.slot.as_ref() == Some(slot))
    {
        return Err(Error::input(
            at.field("slot"),
            format!(
                "{} ({}): slot `{slot}` is already the label of line {}: expected a distinct label per line of service",
                commune.name, commune.insee, twin.line
            ),
        ));
    }
    for (field, here, there) in [
        ("name", commune.name.clone(), head.name.clone()),
        (
            "population",
            commune.population.to_string(),
            head.population.to_string(),
        ),
    ] {
        if here != there {
            return Err(Error::input(
                at.clone().field(field),
                format!(
                    "{} ({}): {field} `{here}` contradicts line {first} (`{there}`): the rows of one commune's slots describe the same commune",
                    commune.name, commune.insee
                ),
            ));
        }
    }
    Ok(())
}

/// Reads points for a matrix: a plain file of `lon,lat` lines (no header,
/// as OSRM takes them) or a commune table (its stops, in table order).
pub fn read_points(path: &Path) -> Result<Vec<LatLon>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, crate::ErrorKind::Input))?;
    parse_points(&text, path)
}

/// Parses a points file's text (see [`read_points`]); `path` names it in
/// messages.
pub fn parse_points(text: &str, path: &Path) -> Result<Vec<LatLon>> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.split(',').count() != 2 || parse_number(first.split(',').next().unwrap_or("")).is_none() {
        return Ok(Territory::parse(text, path)?.communes.iter().map(|c| c.stop).collect());
    }
    let at = |line: usize| Location::file(path).line(line as u64 + 1);
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let (lon, lat) = line
                .split_once(',')
                .ok_or_else(|| Error::input(at(i), format!("`{line}`: expected `lon,lat`")))?;
            let value = |raw: &str, what: &str, limit: f64| {
                parse_number(raw)
                    .filter(|v| v.is_finite() && v.abs() <= limit)
                    .ok_or_else(|| {
                        Error::input(
                            at(i).field(what),
                            format!("`{}`: expected a {what} in degrees", raw.trim()),
                        )
                    })
            };
            Ok(LatLon {
                lon: value(lon, "longitude", 180.0)?,
                lat: value(lat, "latitude", 90.0)?,
            })
        })
        .collect()
}

/// The columns a table must have.
const REQUIRED: [&str; 5] = ["insee", "name", "lat", "lon", "population"];

/// Every column the reader understands, with the other spellings found in
/// French open-data files (INSEE, data.gouv, La Poste).
const COLUMNS: [(&str, &[&str]); 18] = [
    (
        "insee",
        &[
            "insee",
            "code_insee",
            "insee_com",
            "code_commune_insee",
            "codgeo",
            "code",
        ],
    ),
    ("name", &["name", "nom", "commune", "nom_commune", "libelle"]),
    ("lat", &["lat", "latitude"]),
    ("lon", &["lon", "lng", "long", "longitude"]),
    ("population", &["population", "pop", "pmun", "ptot"]),
    (
        "visits_per_month",
        &[
            "visits_per_month",
            "visites_par_mois",
            "visits_per_cycle",
            "passages_par_cycle",
        ],
    ),
    ("weekdays", &["weekdays", "jours"]),
    ("market_day", &["market_day", "jour_marche", "marche"]),
    ("half_day", &["half_day", "demi_journee"]),
    ("unavailable", &["unavailable", "indisponible"]),
    ("minutes", &["minutes", "duree", "durée"]),
    ("stop_lat", &["stop_lat"]),
    ("stop_lon", &["stop_lon"]),
    ("stop_name", &["stop_name", "lieu", "emplacement"]),
    ("code_postal", &["code_postal", "postal_code", "cp"]),
    ("slot", &["slot", "creneau", "ligne_de_service"]),
    ("horaires", &["horaires", "opening_hours"]),
    // Free text for people (where a row came from, what was assumed):
    // known, so that it is neither refused as a misspelling nor noted as
    // ignored, and never read.
    ("provenance", &["provenance", "source"]),
];

/// Whether a header names a code written with leading zeros (the INSEE
/// code, the postal code), which a spreadsheet typed as a number drops.
fn is_code_column(header: &str) -> bool {
    matches!(canonical(header), Some("insee" | "code_postal"))
}

/// The canonical name of a header cell, if it is a known column.
fn canonical(header: &str) -> Option<&'static str> {
    let h = normalise_header(header);
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(canonical, _)| *canonical)
}

fn normalise_header(h: &str) -> String {
    fold(h).replace([' ', '-'], "_")
}

/// Maps canonical column names to their index in the file; rejects missing
/// and misspelt columns, and notes the ones it ignores.
fn map_columns(headers: &csv::StringRecord, file: &Location) -> Result<(HashMap<&'static str, usize>, Vec<String>)> {
    let mut columns = HashMap::new();
    let mut ignored = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let h = normalise_header(header);
        let at = file.clone().line(1).field(header);
        match COLUMNS.iter().find(|(_, names)| names.contains(&h.as_str())) {
            Some((canonical, _)) => {
                if columns.insert(*canonical, index).is_some() {
                    return Err(Error::input(
                        at,
                        format!("column `{canonical}` appears twice in the header"),
                    ));
                }
            }
            None => match closest_column(&h) {
                Some(known) => {
                    return Err(Error::input(
                        at,
                        format!(
                            "unknown column `{header}`: did you mean `{known}`? Known columns: {}",
                            known_list()
                        ),
                    ));
                }
                None => ignored.push(header.to_string()),
            },
        }
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !columns.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(Error::input(
            file.clone().line(1),
            format!(
                "missing column(s) {}: expected a header with at least `{}` (found `{}`)",
                missing.join(", "),
                REQUIRED.join(","),
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    let notes = if ignored.is_empty() {
        Vec::new()
    } else {
        vec![format!("ignored columns: {}", ignored.join(", "))]
    };
    Ok((columns, notes))
}

/// A known column name within typo distance of `h`, if any.
fn closest_column(h: &str) -> Option<&'static str> {
    COLUMNS.iter().find_map(|(canonical, names)| {
        names
            .iter()
            .any(|n| {
                let limit = if n.len() <= 5 { 1 } else { 2 };
                strsim::damerau_levenshtein(h, n) <= limit
            })
            .then_some(*canonical)
    })
}

fn known_list() -> String {
    COLUMNS.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

fn csv_error(file: &Location, err: csv::Error) -> Error {
    let line = err.position().map(|p| p.line());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "found {len} fields, expected {expected_len} as in the header \
             (a value containing the delimiter must be quoted)"
        ),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text; save the table as CSV UTF-8".to_string(),
        _ => err.to_string(),
    };
    let at = match line {
        Some(l) => file.clone().line(l),
        None => file.clone(),
    };
    Error::input(at, message)
}

/// One data line, with the column map, turned into a [`Commune`].
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
    at: Location,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns.get(column).and_then(|&i| self.record.get(i)).unwrap_or("")
    }

    fn err(&self, column: &str, message: impl Into<String>) -> Error {
        Error::input(self.at.clone().field(column), message)
    }

    fn required(&self, column: &str, expected: &str) -> Result<&str> {
        let v = self.get(column);
        if v.is_empty() {
            return Err(self.err(column, format!("empty value: expected {expected}")));
        }
        Ok(v)
    }

    fn commune(&self) -> Result<Commune> {
        let insee = self
            .required("insee", "an INSEE commune code such as 84003")?
            .to_string();
        let name = self.required("name", "the commune name")?.to_string();
        let population = self.population()?;
        let centre = self.point("lat", "lon", &insee)?.expect("lat and lon are required");
        let half_day = self.half_day()?;
        let stop = self.point("stop_lat", "stop_lon", &insee)?.unwrap_or(centre);
        Ok(Commune {
            insee,
            name,
            centre,
            stop,
            stop_name: Some(self.get("stop_name")).filter(|n| !n.is_empty()).map(String::from),
            code_postal: self.code_postal()?,
            population,
            visits_per_month: self.visits()?,
            weekdays: self.weekday_list("weekdays")?,
            market_days: self.weekday_list("market_day")?.unwrap_or_default(),
            half_day,
            unavailable: self.unavailable()?,
            minutes: self.minutes(half_day)?,
            published: self.published()?,
            pinned: None,
            slot: Some(self.get("slot")).filter(|s| !s.is_empty()).map(String::from),
            line: self.at.line.unwrap_or(0),
        })
    }

    fn population(&self) -> Result<u32> {
        let raw = self.required("population", "a whole number of inhabitants ≥ 0")?;
        let value = parse_number(raw).ok_or_else(|| {
            self.err(
                "population",
                format!("`{raw}` is not a number: expected a whole number of inhabitants"),
            )
        })?;
        if value < 0.0 {
            return Err(self.err(
                "population",
                format!("negative population {raw}: expected a number ≥ 0"),
            ));
        }
        if value.fract() != 0.0 || value > f64::from(u32::MAX) {
            return Err(self.err("population", format!("`{raw}`: expected a whole number of inhabitants")));
        }
        Ok(value as u32)
    }

    /// Reads a latitude/longitude pair. Both or neither of the optional
    /// stop columns must be filled.
    fn point(&self, lat_col: &str, lon_col: &str, insee: &str) -> Result<Option<LatLon>> {
        let (lat_raw, lon_raw) = (self.get(lat_col), self.get(lon_col));
        match (lat_raw.is_empty(), lon_raw.is_empty()) {
            (true, true) if lat_col == "stop_lat" => return Ok(None),
            (true, _) => return Err(self.err(lat_col, "empty value: expected a latitude in degrees")),
            (_, true) => return Err(self.err(lon_col, "empty value: expected a longitude in degrees")),
            _ => {}
        }
        let lat = self.coordinate(lat_col, lat_raw, 90.0, "latitude")?;
        let lon = self.coordinate(lon_col, lon_raw, 180.0, "longitude")?;
        if let Some(message) = misplaced(insee, (lat, lon), (lat_raw, lon_raw)) {
            return Err(self.err(lat_col, message));
        }
        Ok(Some(LatLon { lat, lon }))
    }

    fn coordinate(&self, column: &str, raw: &str, limit: f64, what: &str) -> Result<f64> {
        let v = parse_number(raw).filter(|v| v.is_finite()).ok_or_else(|| {
            self.err(
                column,
                format!("`{raw}` is not a number: expected a {what} in decimal degrees"),
            )
        })?;
        if v.abs() > limit {
            return Err(self.err(
                column,
                format!("{what} {raw} is out of range: expected −{limit}…{limit}"),
            ));
        }
        Ok(v)
    }

    fn code_postal(&self) -> Result<Option<String>> {
        let raw = self.get("code_postal").trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Some(raw.to_string()))
        } else {
            Err(self.err("code_postal", format!("`{raw}`: expected a postal code of five digits")))
        }
    }

    /// A short stop's length; none for a whole-day commune, which a stop
    /// length would contradict.
    fn minutes(&self, half_day: Option<HalfDayRule>) -> Result<Option<u32>> {
        let raw = self.get("minutes");
        if raw.is_empty() {
            return Ok(None);
        }
        if half_day == Some(HalfDayRule::Full) {
            return Err(self.err(
                "minutes",
                format!("`{raw}` minutes for a whole-day commune (half_day = FULL): expected either a short stop or the whole day, not both"),
            ));
        }
        match raw.parse::<u32>() {
            Ok(m) if (15..=600).contains(&m) => Ok(Some(m)),
            _ => Err(self.err(
                "minutes",
                format!("`{raw}`: expected the stop's length, 15 to 600 minutes"),
            )),
        }
    }

    /// The `horaires` rule, which stands for the weekday, half-day, length
    /// and visit columns: a row giving both is contradictory.
    fn published(&self) -> Result<Option<crate::input::horaires::Published>> {
        let raw = self.get("horaires");
        if raw.is_empty() {
            return Ok(None);
        }
        let published = crate::input::horaires::parse(raw).map_err(|why| self.err("horaires", why))?;
        for column in ["weekdays", "half_day", "minutes", "visits_per_month"] {
            if !self.get(column).is_empty() {
                return Err(self.err(
                    column,
                    format!(
                        "`{}` beside horaires `{raw}`, which already gives the weekday, the weeks and the hours: leave `{column}` empty",
                        self.get(column)
                    ),
                ));
            }
        }
        Ok(Some(published))
    }

    fn visits(&self) -> Result<Option<u8>> {
        let raw = self.get("visits_per_month");
        if raw.is_empty() {
            return Ok(None);
        }
        // Whether the number divides the cycle is the model's to say: the
        // table does not know the scenario's cycle.
        match raw.parse::<u8>() {
            Ok(v) if v <= crate::calendar::MAX_CYCLE_WEEKS => Ok(Some(v)),
            _ => Err(self.err(
                "visits_per_month",
                format!("`{raw}`: expected visits per cycle, 0 (not served) to 12: 1, 2 (weeks 1+3 or 2+4) or 4 (every week) in a month"),
            )),
        }
    }

    /// A `;`-separated list of weekdays in `field`; `None` when empty.
    fn weekday_list(&self, field: &'static str) -> Result<Option<Vec<Weekday>>> {
        let raw = self.get(field);
        if raw.is_empty() {
            return Ok(None);
        }
        let mut days = Vec::new();
        for token in split_list(raw) {
            let day = parse_weekday(token).ok_or_else(|| {
                self.err(
                    field,
                    format!("unknown weekday `{token}`: expected Mon, Tue, Wed, Thu, Fri, Sat, Sun or lundi…dimanche, separated by `;`"),
                )
            })?;
            if !days.contains(&day) {
                days.push(day);
            }
        }
        Ok(Some(days))
    }

    fn half_day(&self) -> Result<Option<HalfDayRule>> {
        let raw = self.get("half_day");
        if raw.is_empty() {
            return Ok(None);
        }
        if ["full", "journee", "journée", "jour"].contains(&raw.to_lowercase().as_str()) {
            return Ok(Some(HalfDayRule::Full));
        }
        let (word, prefer) = match raw.strip_suffix('?') {
            Some(w) => (w, true),
            None => (raw, false),
        };
        let half: HalfDay = word.parse().map_err(|_| {
            self.err(
                "half_day",
                format!("`{raw}`: expected AM or PM (required), AM? or PM? (preferred), or FULL (the whole day)"),
            )
        })?;
        Ok(Some(if prefer {
            HalfDayRule::Prefer(half)
        } else {
            HalfDayRule::Require(half)
        }))
    }

    fn unavailable(&self) -> Result<Vec<NaiveDate>> {
        split_list(self.get("unavailable"))
            .map(|token| {
                calendar::parse_date(token).ok_or_else(|| {
                    self.err(
                        "unavailable",
                        format!(
                            "`{token}` is not a date: expected YYYY-MM-DD or DD/MM/YYYY {}, separated by `;`",
                            calendar::years_text()
                        ),
                    )
                })
            })
            .collect()
    }
}

/// Splits a multi-valued cell on `;`, `|`, `,` or spaces.
fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', '|', ',', ' ', '+'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_detection_spares_unrelated_columns() {
        assert_eq!(closest_column("popultion"), Some("population"));
        assert_eq!(closest_column("weekday"), Some("weekdays"));
        assert_eq!(closest_column("population_2021"), None);
        assert_eq!(closest_column("epci_name"), None);
        assert_eq!(closest_column("departement"), None);
    }
}
