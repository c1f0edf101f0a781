//! A CSV table read whole, its columns looked up by name (lower-cased,
//! cells trimmed), whose cells parse with the file, line and field in
//! every error: the one reader under site lists and saved plans.

use crate::calendar::parse_clock;
use crate::error::{Error, Location, Result};
use std::path::Path;

/// A table's bytes as text. UTF-8 when they are; UTF-16 when a byte-order
/// mark says so (Excel's "Unicode text"); otherwise Windows-1252, which is
/// what French Excel writes for "CSV (séparateur : point-virgule)"; with a
/// note naming the encoding read (`None` for UTF-8). Bytes no spreadsheet
/// writes (NUL and other controls) are refused: the file is not a table.
pub(crate) fn decode(bytes: Vec<u8>, path: &Path) -> Result<(String, Option<String>)> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e.into_bytes(),
    };
    // `decode` follows a byte-order mark, and says which encoding it read.
    let (text, encoding, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    if let Some(offset) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        return Err(Error::input(
            Location::file(path),
            format!("not a text table (a control byte near character {offset}); save it as CSV UTF-8"),
        ));
    }
    let note = if encoding == encoding_rs::WINDOWS_1252 {
        "not UTF-8: read as Windows-1252, the encoding of French Excel's \"CSV (séparateur : point-virgule)\"; check accented names".to_string()
    } else {
        format!("not UTF-8: read as {}, as its byte-order mark says", encoding.name())
    };
    Ok((text.into_owned(), Some(note)))
}

/// Picks the delimiter that splits the header into the most fields.
pub(crate) fn sniff_delimiter(header: &str) -> u8 {
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// Parses a number written the French or the English way: decimal comma
/// (`43,88`) or point, spaces (including non-breaking) as thousands separators.
pub(crate) fn parse_number(raw: &str) -> Option<f64> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let cleaned = if !cleaned.contains('.') && cleaned.matches(',').count() == 1 {
        cleaned.replace(',', ".")
    } else {
        cleaned
    };
    cleaned.parse().ok()
}

/// A rough bounding box of the part of France an INSEE code belongs to, to
/// catch swapped or misplaced coordinates.
struct Area {
    name: &'static str,
    lat: (f64, f64),
    lon: (f64, f64),
}

impl Area {
    fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.lat.0..=self.lat.1).contains(&lat) && (self.lon.0..=self.lon.1).contains(&lon)
    }
}

/// The area of a French INSEE code, or `None` for codes that are not
/// French commune codes (the tool also plans abroad).
fn country_area(insee: &str) -> Option<Area> {
    let valid = insee.len() == 5 && insee.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return None;
    }
    let area = |name, lat, lon| Some(Area { name, lat, lon });
    match &insee[..3] {
        "971" => area("Guadeloupe", (15.8, 16.6), (-61.9, -60.9)),
        "972" => area("Martinique", (14.3, 15.0), (-61.3, -60.7)),
        "973" => area("Guyane", (2.0, 6.0), (-54.7, -51.5)),
        "974" => area("La Réunion", (-21.5, -20.8), (55.1, 56.0)),
        "976" => area("Mayotte", (-13.1, -12.5), (44.9, 45.4)),
        "977" | "978" => area("Saint-Barthélemy / Saint-Martin", (17.8, 18.2), (-63.2, -62.7)),
        prefix
            if prefix.starts_with("2A")
                || prefix.starts_with("2B")
                || prefix[..2].parse::<u8>().is_ok_and(|d| (1..=95).contains(&d)) =>
        {
            area("metropolitan France", (41.2, 51.2), (-5.3, 9.7))
        }
        _ => None,
    }
}

/// Why a commune with INSEE code `insee` cannot lie at `at` (read as
/// `raw`), by the rough box of the part of France the code belongs to:
/// swapped columns, or a point elsewhere; `None` when it can, or when the
/// code is not a French commune's (the tool also plans abroad). The one
/// coordinate check of every commune table.
pub(crate) fn misplaced(insee: &str, at: (f64, f64), raw: (&str, &str)) -> Option<String> {
    let area = country_area(insee)?;
    let ((lat, lon), (lat_raw, lon_raw)) = (at, raw);
    if area.contains(lat, lon) {
        return None;
    }
    Some(if area.contains(lon, lat) {
        format!(
            "lat {lat_raw}, lon {lon_raw} look swapped: INSEE {insee} is in {}, which \
                 lat {lon_raw}, lon {lat_raw} would fit; exchange the two columns",
            area.name
        )
    } else {
        format!(
            "lat {lat_raw}, lon {lon_raw} lie outside {} (lat {}…{}, lon {}…{}) where INSEE {insee} is",
            area.name, area.lat.0, area.lat.1, area.lon.0, area.lon.1
        )
    })
}

/// A CSV table read whole, with columns looked up by name: the shared
/// reader for site lists and plans.
pub(crate) struct Table<'a> {
    source: &'a Path,
    headers: Vec<String>,
    records: Vec<std::result::Result<csv::StringRecord, csv::Error>>,
}

impl<'a> Table<'a> {
    pub(crate) fn parse(text: &str, source: &'a Path) -> Result<Table<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .ok_or_else(|| Error::input(Location::file(source), "the file is empty: expected a header line"))?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(header))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::input(Location::file(source), e.to_string()))?
            .iter()
            .map(str::to_lowercase)
            .collect();
        Ok(Table {
            source,
            headers,
            records: reader.records().collect(),
        })
    }

    pub(crate) fn has(&self, column: &str) -> bool {
        self.headers.iter().any(|h| h == column)
    }

    pub(crate) fn require(&self, column: &str, expected: &str) -> Result<()> {
        if self.has(column) {
            return Ok(());
        }
        Err(Error::input(
            Location::file(self.source).line(1).field(column),
            format!("missing column `{column}`: expected {expected}"),
        ))
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = Result<TableRow<'_>>> {
        self.records.iter().filter_map(move |r| match r {
            Err(e) => Some(Err(Error::input(Location::file(self.source), e.to_string()))),
            Ok(record) if record.iter().all(str::is_empty) => None,
            Ok(record) => Some(Ok(TableRow { table: self, record })),
        })
    }
}

pub(crate) struct TableRow<'a> {
    table: &'a Table<'a>,
    record: &'a csv::StringRecord,
}

impl TableRow<'_> {
    pub(crate) fn get(&self, column: &str) -> &str {
        self.table
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    pub(crate) fn error(&self, column: &str, message: String) -> Error {
        Error::input(
            Location::file(self.table.source).line(self.line()).field(column),
            message,
        )
    }

    pub(crate) fn number(&self, column: &str, range: std::ops::RangeInclusive<f64>, expected: &str) -> Result<f64> {
        let raw = self.get(column);
        parse_number(raw)
            .filter(|v| range.contains(v))
            .ok_or_else(|| self.error(column, format!("`{raw}`: expected a {expected}")))
    }

    /// Minutes since midnight of a time `HH:MM`.
    pub(crate) fn clock(&self, column: &str) -> Result<u32> {
        let raw = self.get(column);
        parse_clock(raw).ok_or_else(|| self.error(column, format!("`{raw}`: expected a time HH:MM")))
    }

    /// 1-based line of the row in its file.
    pub(crate) fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_french_and_english_forms() {
        assert_eq!(parse_number("43,88148"), Some(43.88148));
        assert_eq!(parse_number("10 143"), Some(10143.0));
        assert_eq!(parse_number("5.38"), Some(5.38));
        assert_eq!(parse_number("1,234,5"), None);
        assert_eq!(parse_number("abc"), None);
    }
}
