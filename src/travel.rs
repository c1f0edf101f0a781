//! Travel times and distances between the points of a plan
//! (depots and stops), as a dense matrix. Without a road network the times
//! are straight-line estimates, and every output says so.

use crate::input::scenario::StraightLine;
use crate::input::territory::LatLon;
use std::path::PathBuf;

/// Stops farther than this from the road network are refused (planning)
/// or left unreached (coverage): the extract most likely does not cover
/// them.
pub(crate) const MAX_STOP_SNAP_M: f64 = 5_000.0;

/// How the matrix was obtained; shown to the user next to every total.
#[derive(Debug, Clone, PartialEq)]
pub enum TravelSource {
    /// Great-circle distance × detour ÷ speed: an estimate.
    StraightLine(StraightLine),
    /// Car times on the roads of an OSM extract.
    Road(std::path::PathBuf),
}

impl TravelSource {
    pub(crate) fn is_estimate(&self) -> bool {
        matches!(self, TravelSource::StraightLine(_))
    }

    /// One sentence for warnings and reports.
    pub(crate) fn describe(&self) -> String {
        match self {
            TravelSource::StraightLine(m) => format!(
                "travel times are straight-line estimates (distance × {:.2} detour ÷ {:.0} km/h), not road times",
                m.detour, m.speed_kmh
            ),
            TravelSource::Road(file) => format!("travel times by road from {} (car profile)", file.display()),
        }
    }
}

/// The road crate's settings, from this application's environment: the
/// matrix cache in `$TOURNEE_CACHE`, else `$XDG_CACHE_HOME/tournee`, else
/// `~/.cache/tournee` (none when `cache` is false), and a memory limit in
/// MB from `TOURNEE_MEMORY_LIMIT_MB` (for tests and shared machines).
pub fn road_settings(cache: bool) -> road::Settings {
    let folder = || {
        if let Some(d) = std::env::var_os("TOURNEE_CACHE") {
            return Some(PathBuf::from(d));
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("tournee"))
    };
    road::Settings {
        cache: if cache { folder() } else { None },
        memory_limit: std::env::var("TOURNEE_MEMORY_LIMIT_MB")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|mb| mb.saturating_mul(1 << 20)),
    }
}

/// Row-major N×N travel seconds and metres; `f64::INFINITY` = unreachable.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelMatrix {
    n: usize,
    seconds: Vec<f64>,
    metres: Vec<f64>,
    pub source: TravelSource,
}

impl TravelMatrix {
    /// Estimates all pairs from coordinates with a straight-line model.
    pub fn straight_line(points: &[LatLon], model: StraightLine) -> TravelMatrix {
        let n = points.len();
        let mut seconds = vec![0.0; n * n];
        let mut metres = vec![0.0; n * n];
        for (i, a) in points.iter().enumerate() {
            for (j, b) in points.iter().enumerate() {
                (seconds[i * n + j], metres[i * n + j]) = model.estimate(*a, *b);
            }
        }
        TravelMatrix {
            n,
            seconds,
            metres,
            source: TravelSource::StraightLine(model),
        }
    }

    /// Wraps a road matrix; unreachable pairs become infinite.
    pub(crate) fn from_road(m: &road::RoadMatrix, file: &std::path::Path) -> TravelMatrix {
        let cells = |f: fn(&road::RoadMatrix, usize, usize) -> Option<f64>| {
            (0..m.n * m.n)
                .map(|k| f(m, k / m.n, k % m.n).unwrap_or(f64::INFINITY))
                .collect()
        };
        TravelMatrix {
            n: m.n,
            seconds: cells(road::RoadMatrix::seconds),
            metres: cells(road::RoadMatrix::metres),
            source: TravelSource::Road(file.to_path_buf()),
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn seconds(&self, from: usize, to: usize) -> f64 {
        self.seconds[from * self.n + to]
    }

    pub fn metres(&self, from: usize, to: usize) -> f64 {
        self.metres[from * self.n + to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_matches_hand_computed_distance() {
        // Apt → Gargas: 3.332 km on the sphere (R = 6371 km, computed by hand
        // from the haversine formula); × 1.35 ÷ 55 km/h.
        let apt = LatLon {
            lat: 43.88148,
            lon: 5.38138,
        };
        let gargas = LatLon {
            lat: 43.89386,
            lon: 5.34352,
        };
        let m = TravelMatrix::straight_line(
            &[apt, gargas],
            StraightLine {
                detour: 1.35,
                speed_kmh: 55.0,
            },
        );
        let crow = m.metres(0, 1) / 1.35;
        assert!((crow - 3332.0).abs() < 10.0, "crow distance {crow}");
        assert!((m.seconds(0, 1) - m.metres(0, 1) / (55.0 / 3.6)).abs() < 1e-9);
        assert_eq!(m.seconds(0, 0), 0.0);
        assert_eq!(m.seconds(0, 1), m.seconds(1, 0));
    }
}
