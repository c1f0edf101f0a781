//! File output shared by every stage that writes: atomically, so that an
//! interrupted run never leaves a half-written file behind.

use crate::error::{Error, ErrorKind, Result};
use std::io::Write as _;
use std::path::Path;

/// Writes through a temporary file in the same directory, then renames it
/// over `path`: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| Error::io(path, e, ErrorKind::Input);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    // Temporary files are private (0600); outputs are meant to be shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Writes named files (`name` may contain `sub/` folders) into `dir`,
/// creating the folders first, each file atomically. Returns the paths.
pub fn write_folder(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<std::path::PathBuf>> {
    let folder_error = |path: &Path, e: std::io::Error| {
        Error::input(
            crate::error::Location::file(path),
            format!("cannot create the output folder: {e}"),
        )
    };
    for (name, _) in &files {
        let folder = dir.join(name);
        let folder = folder.parent().unwrap_or(dir);
        std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| folder_error(dir, e))?;
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            write_atomic(&path, &bytes)?;
            Ok(path)
        })
        .collect()
}
