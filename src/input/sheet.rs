//! A commune table kept in a spreadsheet (`.xlsx`, `.xls`, `.ods`), read
//! with calamine: one sheet (the first, or the one named) becomes the same
//! text the CSV reader takes, row for row, so that every column and check
//! is the CSV's; a refusal then names the sheet, the row and the column
//! as the spreadsheet shows them ("sheet Communes, row 14, column F").

use crate::error::{Error, Location, Result};
use calamine::{Data, DataType, Reader};
use std::path::Path;

/// The extensions read as spreadsheets.
const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Whether `path` names a spreadsheet (by its extension).
pub fn is_sheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// One sheet as CSV text, and where its cells sit.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Comma-separated, line `n` holding row `n` of the sheet.
    pub text: String,
    /// The header row's cells, by column from `first_column`.
    pub headers: Vec<String>,
    /// The index of the sheet's first used column (0 for A).
    pub first_column: u32,
}

/// The first sheet of the workbook at `path` whose header row holds every
/// one of `columns` (a plan beside a sheet of notes), else its first sheet;
/// `codes` as in [`read`]. The workbook is opened once.
pub fn read_with(path: &Path, columns: &[&str], codes: &dyn Fn(&str) -> bool) -> Result<Sheet> {
    let mut book = open(path)?;
    for name in book.sheet_names() {
        let sheet = convert(&mut book, path, &name, codes)?;
        if columns
            .iter()
            .all(|c| sheet.headers.iter().any(|h| h.eq_ignore_ascii_case(c)))
        {
            return Ok(sheet);
        }
    }
    let first = first_sheet(&book, path)?;
    convert(&mut book, path, &first, codes)
}

/// Reads sheet `name` (the first when `None`) of the workbook at `path`;
/// `codes` says which headers name codes written with leading zeros (an
/// INSEE code typed as a number drops them: 1001 for 01001).
pub fn read(path: &Path, name: Option<&str>, codes: &dyn Fn(&str) -> bool) -> Result<Sheet> {
    let mut book = open(path)?;
    let names = book.sheet_names();
    let name = match name {
        Some(n) if names.iter().any(|s| s == n) => n.to_string(),
        Some(n) => {
            return Err(fail(
                path,
                format!("no sheet `{n}`: expected one of {}", names.join(", ")),
            ));
        }
        None => first_sheet(&book, path)?,
    };
    convert(&mut book, path, &name, codes)
}

type Book = calamine::Sheets<std::io::BufReader<std::fs::File>>;

fn fail(path: &Path, message: String) -> Error {
    Error::input(Location::file(path), message)
}

fn open(path: &Path) -> Result<Book> {
    calamine::open_workbook_auto(path).map_err(|e| {
        fail(
            path,
            format!("cannot read the spreadsheet: {e}: expected an .xlsx, .xls or .ods workbook"),
        )
    })
}

fn first_sheet(book: &Book, path: &Path) -> Result<String> {
    book.sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| fail(path, "the workbook has no sheet".into()))
}

/// Sheet `name` of `book` as CSV text, line `n` holding row `n`.
fn convert(book: &mut Book, path: &Path, name: &str, codes: &dyn Fn(&str) -> bool) -> Result<Sheet> {
    let fail = |message: String| fail(path, message);
    let range = book
        .worksheet_range(name)
        .map_err(|e| fail(format!("sheet {name}: {e}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let blank = csv::StringRecord::from(vec![""]);
    for _ in 0..first_row {
        out.write_record(&blank).map_err(|e| fail(e.to_string()))?;
    }
    let mut headers = Vec::new();
    let mut insee_like = Vec::new();
    for (k, row) in range.rows().enumerate() {
        if k == 0 {
            headers = row.iter().map(text).collect();
            insee_like = headers.iter().map(|h| codes(h)).collect();
        }
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| match (k > 0 && insee_like.get(i) == Some(&true), cell) {
                // A code typed as a number loses its leading zero (01001 → 1001).
                (true, Data::Int(_) | Data::Float(_)) => format!("{:0>5}", text(cell)),
                _ => text(cell),
            })
            .collect();
        out.write_record(if cells.is_empty() { vec![String::new()] } else { cells })
            .map_err(|e| fail(e.to_string()))?;
    }
    let bytes = out.into_inner().map_err(|e| fail(e.to_string()))?;
    Ok(Sheet {
        name: name.to_string(),
        text: String::from_utf8(bytes).map_err(|e| fail(e.to_string()))?,
        headers,
        first_column,
    })
}

/// A cell as the CSV reader would see it typed: whole numbers without a
/// decimal point, dates as `YYYY-MM-DD`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => cell.as_date().map_or_else(|| cell.to_string(), |d| d.to_string()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

impl Sheet {
    /// `error` (from reading [`Sheet::text`]) with its place as the
    /// spreadsheet shows it: the sheet, the row, the column's letter.
    pub fn locate(&self, mut error: Error, column_of: impl Fn(&str) -> Option<usize>) -> Error {
        if let Some(at) = &mut error.location {
            let column = at
                .field
                .as_deref()
                .and_then(|f| column_of(f).or_else(|| self.headers.iter().position(|h| h == f)))
                .map(|i| letters(self.first_column + i as u32));
            at.sheet = Some(Box::new(crate::error::SheetCell {
                sheet: self.name.clone(),
                column,
            }));
        }
        error
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`: a column as spreadsheets name it.
pub fn letters(index: u32) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(5), "F");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
