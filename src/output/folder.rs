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

/// The list of files a run wrote into its output folder, kept there so
/// that the next run may replace them and remove the ones it no longer
/// writes (a bus taken away leaves no stale calendar behind).
const MANIFEST: &str = ".tournee-files";

/// Whether to write into a folder that holds files tournee did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: the folder may be the user's own.
    Refuse,
    /// Write anyway (`--force`); foreign files are left untouched.
    LeaveForeign,
}

/// Writes named files (`name` may contain `sub/` folders) into `dir`, each
/// atomically, after checking the folder: new, empty, or written by an
/// earlier run (its manifest lists every file there) are fine; anything
/// else is refused unless `existing` says overwrite. Files of the earlier
/// run that this one does not write are removed. Returns the paths.
pub fn write_folder(dir: &Path, files: Vec<(String, Vec<u8>)>, existing: Existing) -> Result<Vec<std::path::PathBuf>> {
    let previous = check_folder(dir, existing)?;
    let folder_error = |path: &Path, e: std::io::Error| {
        Error::input(
            crate::error::Location::file(path),
            format!("cannot create the output folder: {e}"),
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| folder_error(dir, e))?;
    for (name, _) in &files {
        let folder = dir.join(name);
        let folder = folder.parent().unwrap_or(dir);
        std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, e))?;
    }
    let mut names: Vec<String> = previous.into_iter().filter(|p| dir.join(p).is_file()).collect();
    names.extend(files.iter().map(|(name, _)| name.clone()));
    names.sort();
    names.dedup();
    // The manifest first names old and new files, so that an interrupted
    // run leaves a folder the next run still recognises as its own.
    write_atomic(&dir.join(MANIFEST), names.join("\n").as_bytes())?;
    let written = files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            write_atomic(&path, bytes)?;
            Ok(path)
        })
        .collect::<Result<Vec<_>>>()?;
    for stale in names.iter().filter(|n| !files.iter().any(|(f, _)| f == *n)) {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    let current: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    write_atomic(&dir.join(MANIFEST), current.join("\n").as_bytes())?;
    Ok(written)
}

/// The files an earlier run wrote into `dir` (empty for a new or empty
/// folder), or an error if `dir` holds files that no manifest lists.
fn check_folder(dir: &Path, existing: Existing) -> Result<Vec<String>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            crate::error::Location::file(dir),
            "exists and is a file: expected an output folder",
        ));
    }
    let listed: Vec<String> = std::fs::read_to_string(dir.join(MANIFEST))
        .map(|text| text.lines().filter(|l| !l.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    if existing == Existing::LeaveForeign || !dir.exists() {
        return Ok(listed);
    }
    let mut foreign = Vec::new();
    collect_foreign(dir, dir, &listed, &mut foreign);
    if let Some(first) = foreign.first() {
        return Err(Error::input(
            crate::error::Location::file(dir),
            format!(
                "the output folder already holds {} file(s) tournee did not write (e.g. {first}): choose another --out, or pass --force to write into it anyway",
                foreign.len()
            ),
        ));
    }
    Ok(listed)
}

/// Files under `dir` that the manifest does not list, as relative paths.
fn collect_foreign(root: &Path, dir: &Path, listed: &[String], out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_foreign(root, &path, listed, out);
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let leftover = entry.file_name().to_string_lossy().starts_with(".tmp");
        if relative != MANIFEST && !leftover && !listed.contains(&relative) {
            out.push(relative);
        }
    }
    out.sort();
}

/// One line for the terminal about what a run wrote: `wrote 31 files to
/// out/: plan.csv, summary.json, map.geojson, report.html, 27 in
/// calendars/`. Files in sub-folders are counted per folder, not listed.
pub fn summary(dir: &Path, written: &[std::path::PathBuf]) -> String {
    let mut top = Vec::new();
    let mut folders: Vec<(String, usize)> = Vec::new();
    for path in written {
        let relative = path.strip_prefix(dir).unwrap_or(path);
        let mut parts = relative.components();
        let first = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        match (first, parts.next()) {
            (Some(sub), Some(_)) => match folders.iter_mut().find(|(name, _)| *name == sub) {
                Some((_, n)) => *n += 1,
                None => folders.push((sub, 1)),
            },
            (Some(name), None) => top.push(name),
            (None, _) => {}
        }
    }
    let mut parts = top;
    parts.extend(folders.into_iter().map(|(name, n)| format!("{n} in {name}/")));
    let files = if written.len() == 1 { "file" } else { "files" };
    format!(
        "wrote {} {files} to {}: {}",
        written.len(),
        dir.display(),
        parts.join(", ")
    )
}
