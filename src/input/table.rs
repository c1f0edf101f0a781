//! A CSV table read whole, its columns looked up by name (lower-cased,
//! cells trimmed), whose cells parse with the file, line and field in
//! every error: the one reader under site lists and saved plans.

use crate::calendar::parse_clock;
use crate::error::{Error, Location, Result};
use crate::input::territory::{parse_number, sniff_delimiter};
use std::path::Path;

/// A table's bytes as text. UTF-8 when they are; otherwise Windows-1252,
/// which is what French Excel writes for "CSV (séparateur : point-virgule)",
/// with a note saying so (`None` for UTF-8). Bytes no spreadsheet writes
/// (NUL and other controls) are refused: the file is not a table.
pub(crate) fn decode(bytes: Vec<u8>, path: &Path) -> Result<(String, Option<String>)> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e.into_bytes(),
    };
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    if let Some(offset) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        return Err(Error::input(
            Location::file(path),
            format!("not a text table (a control byte near character {offset}); save it as CSV UTF-8"),
        ));
    }
    Ok((
        text.into_owned(),
        Some("not UTF-8: read as Windows-1252, the encoding of French Excel's \"CSV (séparateur : point-virgule)\"; check accented names".to_string()),
    ))
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
