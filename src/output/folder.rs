//! File output shared by every stage that writes: atomically, so that an
//! interrupted run never leaves a half-written file behind.

use crate::error::{Error, ErrorKind, Location, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes through a temporary file in the same directory, then renames it
/// over `path`: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    staged(path, bytes)?
        .persist(path)
        .map_err(|e| Error::io(path, e.error, ErrorKind::Input))?;
    Ok(())
}

/// `bytes` written and synced to a temporary file beside `path`, not yet
/// in place; dropped, it disappears. Closed, so that a run writing
/// thousands of calendars holds no more than one file open at a time.
fn staged(path: &Path, bytes: &[u8]) -> Result<tempfile::TempPath> {
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
    Ok(tmp.into_temp_path())
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
/// else is refused unless `existing` says to write beside it. Files of the
/// earlier run that this one does not write are removed. Returns the paths.
///
/// The folder may come from anyone (an archive, an e-mail): a manifest
/// line that climbs out of it, or a symbolic link inside it, is refused
/// before anything is written or removed, so a run never touches a file
/// outside `dir`.
pub fn write_folder(dir: &Path, files: Vec<(String, Vec<u8>)>, existing: Existing) -> Result<Vec<PathBuf>> {
    for (name, _) in &files {
        if let Err(why) = safe_relative(name) {
            return Err(Error::internal(format!("output file name `{name}`: {why}")));
        }
    }
    let previous = check_folder(dir, existing)?;
    for name in previous.iter().chain(files.iter().map(|(name, _)| name)) {
        refuse_links(dir, name)?;
    }
    let folder_error = |path: &Path, e: std::io::Error| {
        Error::input(Location::file(path), format!("cannot create the output folder: {e}"))
    };
    std::fs::create_dir_all(dir).map_err(|e| folder_error(dir, e))?;
    for (name, _) in &files {
        let folder = dir.join(name);
        let folder = folder.parent().unwrap_or(dir);
        std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, e))?;
    }
    remove_leftovers(dir, &files)?;
    let mut names: Vec<String> = previous.into_iter().filter(|p| dir.join(p).is_file()).collect();
    names.extend(files.iter().map(|(name, _)| name.clone()));
    names.sort();
    names.dedup();
    // Every file is written in full before any is put in place: a write
    // that fails (a full disk, a folder gone) leaves the previous outputs
    // as they were, and the temporary files vanish with `staged`.
    let staged = files
        .iter()
        .map(|(name, bytes)| Ok((dir.join(name), staged(&dir.join(name), bytes)?)))
        .collect::<Result<Vec<_>>>()?;
    // The manifest first names old and new files, so that an interrupted
    // run leaves a folder the next run still recognises as its own.
    write_atomic(&dir.join(MANIFEST), names.join("\n").as_bytes())?;
    let written = staged
        .into_iter()
        .map(|(path, tmp)| {
            tmp.persist(&path)
                .map_err(|e| Error::io(&path, e.error, ErrorKind::Input))?;
            Ok(path)
        })
        .collect::<Result<Vec<_>>>()?;
    for stale in names.iter().filter(|n| !files.iter().any(|(f, _)| f == *n)) {
        let path = dir.join(stale);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(&path, e, ErrorKind::Input));
            }
            _ => prune_empty_parents(dir, &path),
        }
    }
    let current: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    write_atomic(&dir.join(MANIFEST), current.join("\n").as_bytes())?;
    Ok(written)
}

/// Removes the sub-folders of `dir` that held `removed` and are now empty
/// (a bus of the last national run that this run no longer has); a
/// folder that still holds anything stays.
fn prune_empty_parents(dir: &Path, removed: &Path) {
    let mut folder = removed.parent();
    while let Some(f) = folder.filter(|f| *f != dir && f.starts_with(dir)) {
        if std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
}

/// Removes the temporary files a killed run left in the folders this run
/// writes to (`.tmp` and six characters, as `tempfile` names them): they
/// never held a finished output.
fn remove_leftovers(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .map(|(name, _)| dir.join(name).parent().unwrap_or(dir).to_path_buf())
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        let entries = std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e, ErrorKind::Input))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let temporary =
                name.len() == 10 && name.starts_with(".tmp") && name[4..].chars().all(|c| c.is_ascii_alphanumeric());
            if temporary && entry.file_type().is_ok_and(|t| t.is_file()) {
                std::fs::remove_file(entry.path()).map_err(|e| Error::io(&entry.path(), e, ErrorKind::Input))?;
            }
        }
    }
    Ok(())
}

/// Reads a manifest: one relative path per line, none climbing out of the
/// folder. `Err` names the first bad line (1-based) and why.
pub fn parse_manifest(text: &str) -> std::result::Result<Vec<String>, (u64, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| match safe_relative(line) {
            Ok(()) => Ok(line.to_string()),
            Err(why) => Err((i as u64 + 1, format!("`{line}`: {why}"))),
        })
        .collect()
}

/// Whether `name` stays inside the folder it is joined to: relative, made
/// of plain names separated by `/`, without `.`, `..`, `\\` or NUL.
fn safe_relative(name: &str) -> std::result::Result<(), &'static str> {
    if name.starts_with('/') || name.contains(['\\', '\0']) || name.contains(':') {
        return Err("expected a relative path inside the folder");
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("expected plain names separated by `/`, without `.` or `..`");
    }
    Ok(())
}

/// Refuses a symbolic link on the way from `dir` to `name`: writing or
/// removing through it would reach outside the folder.
fn refuse_links(dir: &Path, name: &str) -> Result<()> {
    let mut path = dir.to_path_buf();
    for part in name.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::input(
                    Location::file(&path),
                    "is a symbolic link inside the output folder: tournee writes only plain files and folders; remove it or choose another --out",
                ));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// The files an earlier run wrote into `dir` (empty for a new or empty
/// folder), or an error if `dir` holds files that no manifest lists, or a
/// manifest that names a path outside it.
pub(crate) fn check_folder(dir: &Path, existing: Existing) -> Result<Vec<String>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir),
            "exists and is a file: expected an output folder",
        ));
    }
    let manifest = dir.join(MANIFEST);
    let listed = match std::fs::read_to_string(&manifest) {
        _ if !dir.is_dir() => Vec::new(),
        Ok(text) => parse_manifest(&text).map_err(|(line, why)| {
            Error::input(
                Location::file(&manifest).line(line),
                format!("{why}; this folder's manifest was not written by tournee: choose another --out"),
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(&manifest, e, ErrorKind::Input)),
    };
    if existing == Existing::LeaveForeign || !dir.exists() {
        return Ok(listed);
    }
    let mut foreign = Vec::new();
    collect_foreign(dir, dir, &listed, &mut foreign)?;
    if let Some(first) = foreign.first() {
        return Err(Error::input(
            Location::file(dir),
            format!(
                "the output folder already holds {} file(s) tournee did not write (e.g. {first}): choose another --out, or pass --force to write into it anyway",
                foreign.len()
            ),
        ));
    }
    Ok(listed)
}

/// Files under `dir` that the manifest does not list, as relative paths;
/// a symbolic link is always foreign, and a sub-folder that cannot be read
/// is an error, not a clean folder.
fn collect_foreign(root: &Path, dir: &Path, listed: &[String], out: &mut Vec<String>) -> Result<()> {
    let unreadable = |e: std::io::Error| Error::io(dir, e, ErrorKind::Input);
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(unreadable)?;
        if kind.is_dir() {
            collect_foreign(root, &path, listed, out)?;
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let leftover = kind.is_file() && entry.file_name().to_string_lossy().starts_with(".tmp");
        if kind.is_symlink() || (relative != MANIFEST && !leftover && !listed.contains(&relative)) {
            out.push(relative);
        }
    }
    out.sort();
    Ok(())
}

/// One line for the terminal about what a run wrote: `wrote 31 files to
/// out/: plan.csv, summary.json, map.geojson, report.html, 27 in
/// calendars/`. Files in sub-folders are counted per folder, not listed.
pub fn summary(dir: &Path, written: &[std::path::PathBuf], lang: super::lang::Lang) -> String {
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
    let within = lang.pick("in", "dans");
    parts.extend(folders.into_iter().map(|(name, n)| format!("{n} {within} {name}/")));
    let files = match (written.len() == 1, lang) {
        (true, super::lang::Lang::En) => "file",
        (false, super::lang::Lang::En) => "files",
        (true, super::lang::Lang::Fr) => "fichier",
        (false, super::lang::Lang::Fr) => "fichiers",
    };
    format!(
        "{} {} {files} {} {}{} {}",
        lang.pick("wrote", "écrit"),
        written.len(),
        lang.pick("to", "dans"),
        dir.display(),
        lang.pick(":", " :"),
        parts.join(", ")
    )
}
