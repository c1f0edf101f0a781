//! Errors of the road stage: a file that cannot be read or is not what it
//! claims to be (with its path and, where known, the line), or a request
//! too large for the machine's memory.

use std::fmt;
use std::path::{Path, PathBuf};

/// The two ways a road request fails, which callers report differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file (OSM extract, profile) is missing, unreadable or malformed.
    Input,
    /// The request is well formed but needs more memory than there is.
    TooLarge,
}

/// What went wrong and where: enough to open the file at the right place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Which of the two failures.
    pub kind: ErrorKind,
    /// The file at fault, when there is one.
    pub file: Option<PathBuf>,
    /// 1-based line, as editors show it.
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Error {
    /// A malformed or unreadable input file.
    pub fn input(file: &Path, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Input,
            file: Some(file.to_path_buf()),
            line: None,
            message: message.into(),
        }
    }

    /// An I/O failure reading `file`.
    pub fn io(file: &Path, err: std::io::Error) -> Error {
        Error::input(file, err.to_string())
    }

    /// The same error at a 1-based line of its file.
    pub fn at_line(mut self, line: u64) -> Error {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The result of every fallible road operation.
pub type Result<T> = std::result::Result<T, Error>;
