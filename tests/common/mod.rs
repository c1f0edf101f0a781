//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of `../shared`, or `None` (with a note) when it is absent on a
/// developer machine. Under `CI=true` a missing file fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the shared data file {} is missing", path.display());
    }
    eprintln!("skipping: {} is missing", path.display());
    None
}
