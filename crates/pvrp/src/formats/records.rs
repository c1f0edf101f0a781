//! Numeric records of the benchmark formats: one per non-blank line,
//! whitespace-separated finite numbers, every error with its line.

use super::Error;
use std::path::Path;

/// The non-blank lines of a file, read as numbers one line at a time.
pub(super) struct Records<'a> {
    lines: Box<dyn Iterator<Item = (usize, &'a str)> + 'a>,
    path: &'a Path,
}

impl<'a> Records<'a> {
    pub(super) fn new(text: &'a str, path: &'a Path) -> Records<'a> {
        Records {
            lines: Box::new(text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty())),
            path,
        }
    }

    /// The next line as at least `min` finite numbers, and its 1-based
    /// number; `what` names the record in messages.
    pub(super) fn next(&mut self, what: &str, min: usize) -> Result<(u64, Vec<f64>), Error> {
        let (i, line) = self
            .lines
            .next()
            .ok_or_else(|| Error::new(self.path, None, format!("file ends early: expected {what}")))?;
        let at = Some(i as u64 + 1);
        let values: Vec<f64> = line
            .split_whitespace()
            .map(|t| t.parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| Error::new(self.path, at, format!("expected numbers ({what})")))?;
        if values.len() < min || values.iter().any(|v| !v.is_finite()) {
            return Err(Error::new(
                self.path,
                at,
                format!(
                    "expected at least {min} finite numbers ({what}), found {}",
                    values.len()
                ),
            ));
        }
        Ok((i as u64 + 1, values))
    }
}
