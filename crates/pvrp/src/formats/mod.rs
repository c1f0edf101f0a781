//! Benchmark file formats, beside the core rather than inside it: the
//! core's types know nothing of any file. [`cordeau`] reads Cordeau's PVRP
//! instances (type 1) and writes his `.res` solutions.

pub mod cordeau;

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
