//! On-disk cache of road matrices, keyed by a BLAKE3 hash of the OSM file's
//! bytes, the profile and the points. A damaged or missing entry is simply
//! recomputed; a failed write only costs the next run some time.

use super::RoadMatrix;
use super::profile::CarProfile;
use crate::LatLon;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Bumped whenever the graph, the profile semantics or the layout change.
const VERSION: &[u8] = b"tournee-matrix-v1";

/// One request's place in the cache folder: a file named by the BLAKE3
/// hash of the OSM file's bytes, the profile and the points.
pub(crate) struct Entry {
    path: PathBuf,
}

impl Entry {
    /// The entry of a request in cache folder `dir`.
    pub fn new(dir: &Path, osm: &Path, profile: &CarProfile, points: &[LatLon]) -> Result<Entry> {
        let mut hasher = blake3::Hasher::new();
        hasher.update(VERSION);
        hasher.update_mmap(osm).map_err(|e| Error::io(osm, e))?;
        hasher.update(serde_json::to_string(profile).expect("profile serialises").as_bytes());
        for p in points {
            hasher.update(&p.lat.to_le_bytes());
            hasher.update(&p.lon.to_le_bytes());
        }
        Ok(Entry {
            path: dir.join(format!("{}.matrix", hasher.finalize().to_hex())),
        })
    }

    /// Layout: n (u64), n² weights (u64), n snap distances (f64, NaN = none),
    /// all little-endian; then the warnings as UTF-8 lines.
    pub fn store(&self, m: &RoadMatrix) {
        let path = &self.path;
        let mut bytes = Vec::with_capacity(8 + m.weights.len() * 8 + m.n * 8);
        bytes.extend((m.n as u64).to_le_bytes());
        m.weights.iter().for_each(|w| bytes.extend(w.to_le_bytes()));
        m.snap_m
            .iter()
            .for_each(|s| bytes.extend(s.unwrap_or(f64::NAN).to_le_bytes()));
        bytes.extend(m.warnings.join("\n").as_bytes());
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // Written whole then renamed, so a reader never sees a part.
        let dir = path.parent().unwrap_or(Path::new("."));
        if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
            && std::io::Write::write_all(&mut tmp, &bytes).is_ok()
        {
            let _ = tmp.persist(path);
        }
    }

    /// The cached matrix for `n` points; `None` when missing, damaged or of another size.
    pub fn load(&self, n: usize) -> Option<RoadMatrix> {
        let bytes = std::fs::read(&self.path).ok()?;
        let word = |i: usize| -> Option<[u8; 8]> { bytes.get(i * 8..i * 8 + 8)?.try_into().ok() };
        if u64::from_le_bytes(word(0)?) != n as u64 {
            return None;
        }
        let weights = (1..=n * n)
            .map(|i| word(i).map(u64::from_le_bytes))
            .collect::<Option<Vec<_>>>()?;
        let snap_m = (n * n + 1..=n * n + n)
            .map(|i| word(i).map(|b| Some(f64::from_le_bytes(b)).filter(|v| !v.is_nan())))
            .collect::<Option<Vec<_>>>()?;
        let text = std::str::from_utf8(&bytes[(n * n + n + 1) * 8..]).ok()?;
        let warnings = if text.is_empty() {
            Vec::new()
        } else {
            text.lines().map(String::from).collect()
        };
        Some(RoadMatrix {
            n,
            weights,
            snap_m,
            warnings,
        })
    }
}
