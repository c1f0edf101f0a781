//! Benchmark file formats, beside the core rather than inside it: the
//! core's types know nothing of any file. [`cordeau`] reads Cordeau's PVRP
//! instances (type 1) and writes his `.res` solutions; [`vidal`] reads
//! Vidal et al.'s multi-depot periodic instances (type 8). [`read`] tells
//! them apart by their first number.

pub mod cordeau;
mod records;
pub mod vidal;

use crate::{Problem, Solution};

/// Reads an instance of either format, by its type: Cordeau's (1) named
/// after the file, Vidal's multi-depot (8) named `mdpvrp_` and the file's
/// name (the best-known table's names).
pub fn read(path: &Path) -> Result<Problem, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(path, None, e.to_string()))?;
    let stem = path
        .file_stem()
        .map_or("instance".into(), |s| s.to_string_lossy().into_owned());
    match text.split_whitespace().next() {
        Some("8") => vidal::parse(&text, &format!("mdpvrp_{stem}"), path),
        _ => cordeau::parse(&text, &stem, path),
    }
}

/// The solution in the `.res` format of its instance's kind: Vidal's when
/// the vehicles leave from more than one depot, Cordeau's otherwise.
pub fn write_res(problem: &Problem, solution: &Solution) -> String {
    let first = problem.vehicles.first().map(|v| v.depot);
    if problem.vehicles.iter().any(|v| Some(v.depot) != first) {
        vidal::write_res(problem, solution)
    } else {
        cordeau::write_res(problem, solution)
    }
}

use std::fmt;
use std::path::{Path, PathBuf};

/// A file that cannot be read or does not follow its format: the file, the
/// 1-based line when known, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file read.
    pub file: PathBuf,
    /// 1-based line, as editors show it.
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Error {
    fn new(file: &Path, line: Option<u64>, message: impl Into<String>) -> Error {
        Error {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
