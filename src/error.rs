//! One error type for the whole pipeline, with the three kinds a user (or a
//! script) must be able to tell apart by the exit code: bad input, an
//! infeasible request, and a bug or system fault.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, in the three classes the CLI maps to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input files or options are malformed (exit code 2).
    Input,
    /// The input is well formed but no plan can satisfy it (exit code 3).
    Infeasible,
    /// Anything else: I/O failures, internal invariants (exit code 1).
    Internal,
}

impl ErrorKind {
    /// Process exit code documented in the README.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Internal => 1,
            ErrorKind::Input => 2,
            ErrorKind::Infeasible => 3,
        }
    }
}

/// Where in an input file a problem sits: enough for a user to open the
/// file at the right line and fix the right cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub file: Option<PathBuf>,
    /// 1-based line number, as editors show it.
    pub line: Option<u64>,
    pub field: Option<String>,
    /// In a spreadsheet: the sheet and column, where `line` is its row
    /// (boxed: most errors have none, and errors travel by value).
    pub sheet: Option<Box<SheetCell>>,
}

/// Where in a spreadsheet: the sheet's name and the column's letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetCell {
    pub sheet: String,
    pub column: Option<String>,
}

impl Location {
    pub fn file(path: &Path) -> Self {
        Location {
            file: Some(path.to_path_buf()),
            ..Default::default()
        }
    }

    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.display().to_string());
        }
        if let Some(cell) = &self.sheet {
            let mut at = vec![format!("sheet {}", cell.sheet)];
            at.extend(self.line.map(|line| format!("row {line}")));
            at.extend(cell.column.as_ref().map(|c| format!("column {c}")));
            parts.push(at.join(", "));
            parts.extend(self.field.as_ref().map(|field| format!("field `{field}`")));
            return write!(f, "{}", parts.join(": "));
        }
        if let Some(line) = self.line {
            parts.push(format!("line {line}"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        write!(f, "{}", parts.join(": "))
    }
}

/// An error with its kind, an optional location and a message that says
/// what was expected.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Option<Location>,
    pub message: String,
}

impl Error {
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Input,
            location: Some(location),
            message: message.into(),
        }
    }

    pub fn infeasible(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Infeasible,
            location: None,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Internal,
            location: None,
            message: message.into(),
        }
    }

    /// An I/O failure on `path`, e.g. a missing or unwritable file. Reading a
    /// file the user named is an input problem; writing is a system one.
    pub fn io(path: &Path, err: std::io::Error, kind: ErrorKind) -> Self {
        Error {
            kind,
            location: Some(Location::file(path)),
            message: err.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Road errors keep their file and line; a matrix too large for memory is
/// an infeasible request, not bad input.
impl From<road::Error> for Error {
    fn from(e: road::Error) -> Error {
        let location = Location {
            file: e.file,
            line: e.line,
            ..Location::default()
        };
        match e.kind {
            road::ErrorKind::Input => Error::input(location, e.message),
            road::ErrorKind::TooLarge => Error::infeasible(e.message),
        }
    }
}

/// A benchmark file that does not follow its format is bad input.
impl From<pvrp::formats::Error> for Error {
    fn from(e: pvrp::formats::Error) -> Error {
        let location = Location {
            file: Some(e.file),
            line: e.line,
            ..Location::default()
        };
        Error::input(location, e.message)
    }
}
