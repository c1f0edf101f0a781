//! Car travel times from OpenStreetMap.
//!
//! An extract (`.osm.pbf`, OSM XML or `.osm.gz`) becomes a car graph under a
//! [`CarProfile`] (the reader keeps the largest strongly connected component
//! of a [`RoadGraph`] in compact arrays); points are snapped onto it, and a
//! contraction hierarchy ([`Hierarchy`]) answers many-to-many travel-time
//! queries in parallel. Matrices are cached on disk in the folder the
//! caller's [`Settings`] name, keyed by the file's content, the profile and
//! the points, so a second run with the same inputs is instant. [`nearest`]
//! finds the nearest of many points from many origins, and [`RoadGeometry`]
//! draws a route's line. The crate knows nothing of who uses it: progress
//! goes through [`Progress`], settings come in through [`Settings`], errors
//! carry the file and line.
//!
//! ```no_run
//! use road::{CarProfile, LatLon, Settings, Timings};
//!
//! let points = [LatLon { lat: 43.7384, lon: 7.4246 }, LatLon { lat: 43.7311, lon: 7.4197 }];
//! let settings = Settings { cache: Some(".cache".into()), ..Settings::default() };
//! let (matrix, _network) = road::matrix(
//!     "monaco.osm.pbf".as_ref(), &CarProfile::default(), &points, &(), &settings, &mut Timings::default(),
//! )?;
//! println!("{:?} s, {:?} m", matrix.seconds(0, 1), matrix.metres(0, 1));
//! # Ok::<(), road::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cache;
mod ch;
mod component;
mod dijkstra;
mod dissection;
mod error;
mod graph;
mod memory;
mod osm;
mod profile;
mod progress;
mod reach;
mod search;
mod turns;
mod weight;

// The face of the crate. For the application: a network, its matrices and
// route lines, the car profile, the nearest-point search, the settings it
// is given, progress and errors.
pub use error::{Error, ErrorKind, Result};
pub use graph::Snap;
pub use memory::{ensure_matrix_fits, peak_rss_bytes};
pub use profile::CarProfile;
pub use progress::{Meter, Progress};
pub use reach::{Reversed, limit as reach_limit, nearest};
pub use weight::{UNREACHABLE, Weight, metres, seconds};
// For the crate's own tests and benchmarks, which build networks by hand
// and compare the hierarchy with plain Dijkstra.
pub use ch::{Hierarchy, Order};
pub use dijkstra::{matrix as dijkstra_matrix, path as dijkstra_path};
pub use graph::RoadGraph;
pub use osm::{Position, RawNetwork, RawNode, RawObstacle, RawRestriction, RawWay, Via, read as read_osm};
pub use profile::{Facing, WayRule};
pub use search::Workspace;

/// What the application lets the crate use. The crate reads no
/// environment variable: where matrices are cached and how much memory a
/// matrix may take are the caller's settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The folder of cached matrices; `None`: compute every time, store
    /// nothing.
    pub cache: Option<PathBuf>,
    /// Bytes a matrix may take; `None`: the kernel's `MemAvailable`.
    pub memory_limit: Option<u64>,
}

use geo::{Distance, Haversine, Point};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A geographic point in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Latitude, north positive.
    pub lat: f64,
    /// Longitude, east positive.
    pub lon: f64,
}

impl LatLon {
    /// Great-circle distance in metres (haversine on the mean Earth radius).
    pub fn metres_to(self, other: LatLon) -> f64 {
        Haversine.distance(Point::new(self.lon, self.lat), Point::new(other.lon, other.lat))
    }
}

/// Seconds spent in each stage, for `--timings` and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading the file and building the graph.
    pub load_s: f64,
    /// Snapping the points onto the roads.
    pub snap_s: f64,
    /// Building the contraction hierarchy.
    pub preprocess_s: f64,
    /// The many-to-many queries.
    pub matrix_s: f64,
    /// The process's peak resident memory at the end of each stage, bytes
    /// (`None` where the kernel does not say): which stage sets the peak.
    pub peak_after_load: Option<u64>,
    /// After contraction.
    pub peak_after_preprocess: Option<u64>,
    /// After the matrix.
    pub peak_after_matrix: Option<u64>,
}

/// A loaded, preprocessed road network.
pub struct Network {
    /// The file it was read from.
    pub source: PathBuf,
    /// The car graph.
    pub graph: RoadGraph,
    /// Its contraction hierarchy.
    pub hierarchy: ch::Hierarchy,
}

impl Network {
    /// Reads `path`, builds the car graph and contracts it.
    pub fn load(path: &Path, profile: &CarProfile, progress: &dyn Progress, timings: &mut Timings) -> Result<Network> {
        let start = Instant::now();
        let raw = osm::read(path, profile, &*progress.stage("reading OSM"))?;
        let graph = RoadGraph::build(&raw, profile);
        drop(raw);
        timings.load_s = start.elapsed().as_secs_f64();
        timings.peak_after_load = peak_rss_bytes();
        let start = Instant::now();
        let hierarchy = ch::Hierarchy::build(&graph, &*progress.stage("contracting"));
        timings.preprocess_s = start.elapsed().as_secs_f64();
        timings.peak_after_preprocess = peak_rss_bytes();
        Ok(Network {
            source: path.to_path_buf(),
            graph,
            hierarchy,
        })
    }

    /// The all-pairs matrix between `points` over this network: one
    /// loaded network serves many small matrices (one per bus).
    pub fn matrix(
        &self,
        points: &[LatLon],
        profile: &CarProfile,
        meter: &dyn Meter,
        settings: &Settings,
        timings: &mut Timings,
    ) -> Result<RoadMatrix> {
        ensure_matrix_fits(points.len(), settings.memory_limit)?;
        let start = Instant::now();
        let snapped = snap_points(&self.graph, points, profile);
        timings.snap_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let weights = self
            .hierarchy
            .matrix_with_progress(&self.graph, &snapped.snaps, &snapped.snaps, meter);
        timings.matrix_s = start.elapsed().as_secs_f64();
        timings.peak_after_matrix = peak_rss_bytes();
        Ok(RoadMatrix {
            n: points.len(),
            weights,
            snap_m: snapped.snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
            warnings: snapped.warnings,
        })
    }
}

/// Points placed on the graph, and what the user must hear about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapped {
    /// `None`: farther than `max_snap_m` from any road.
    pub snaps: Vec<Option<Snap>>,
    /// Far snaps, for the user.
    pub warnings: Vec<String>,
}

/// Snaps every point to the nearest road, warning about far snaps and
/// refusing points beyond `max_snap_m`.
pub fn snap_points(graph: &RoadGraph, points: &[LatLon], profile: &CarProfile) -> Snapped {
    let mut warnings = Vec::new();
    let snaps = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let snap = graph.snap(*p)?;
            let at = format!("point {} ({:.5}, {:.5})", i + 1, p.lat, p.lon);
            if let Some(limit) = profile.max_snap_m
                && snap.distance_m > limit
            {
                warnings.push(format!(
                    "{at} is {:.0} m from the nearest road (limit {limit:.0} m): left unreachable",
                    snap.distance_m
                ));
                return None;
            }
            if snap.distance_m > profile.warn_snap_m {
                warnings.push(format!("{at} is {:.0} m from the nearest road", snap.distance_m));
            }
            Some(snap)
        })
        .collect();
    Snapped { snaps, warnings }
}

/// A square road matrix between points, as packed weights.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrix {
    /// Number of points (the matrix is `n × n`).
    pub n: usize,
    /// Row-major packed weights; `graph::UNREACHABLE` where no road leads.
    pub weights: Vec<Weight>,
    /// Metres from each point to its road; `None` when not snapped.
    pub snap_m: Vec<Option<f64>>,
    /// Far snaps, for the user.
    pub warnings: Vec<String>,
}

impl RoadMatrix {
    /// Seconds from point `i` to point `j`; `None` if unreachable.
    pub fn seconds(&self, i: usize, j: usize) -> Option<f64> {
        let w = self.weights[i * self.n + j];
        (w != UNREACHABLE).then(|| seconds(w))
    }

    /// Metres from point `i` to point `j`; `None` if unreachable.
    pub fn metres(&self, i: usize, j: usize) -> Option<f64> {
        let w = self.weights[i * self.n + j];
        (w != UNREACHABLE).then(|| metres(w))
    }
}

/// The all-pairs road matrix between `points`, from the cache when the
/// same file, profile and points were seen before. Also returns the
/// network when it had to be loaded (`None` on a cache hit), so that a
/// caller needing more from it (route geometry, a second query) does not
/// read the file again.
pub fn matrix(
    path: &Path,
    profile: &CarProfile,
    points: &[LatLon],
    progress: &dyn Progress,
    settings: &Settings,
    timings: &mut Timings,
) -> Result<(RoadMatrix, Option<Network>)> {
    ensure_matrix_fits(points.len(), settings.memory_limit)?;
    let entry = match &settings.cache {
        Some(dir) => Some(cache::Entry::new(dir, path, profile, points)?),
        None => None,
    };
    if let Some(hit) = entry.as_ref().and_then(|e| e.load(points.len())) {
        return Ok((hit, None));
    }
    let network = Network::load(path, profile, progress, timings)?;
    let result = network.matrix(points, profile, &*progress.stage("matrix"), settings, timings)?;
    if let Some(e) = entry {
        e.store(&result);
    }
    Ok((result, Some(network)))
}

/// A route line as (lat, lon) points.
type Line = Vec<(f64, f64)>;

/// A piece of road between two nodes, and its free-flow speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadPiece {
    /// One end, (lat, lon).
    pub from: (f64, f64),
    /// The other end, (lat, lon).
    pub to: (f64, f64),
    /// The faster direction's speed, km/h.
    pub kmh: f64,
}

/// A loaded network with the plan's points snapped, to draw route legs
/// along the roads.
pub struct RoadGeometry {
    network: Network,
    snaps: Vec<Option<Snap>>,
    /// Legs already searched, by (from, to): a commune visited every week
    /// is reached by the same leg each time, and the map and the report
    /// draw the same days; one search on a large turn graph costs tens of
    /// milliseconds.
    legs: std::sync::Mutex<std::collections::HashMap<(usize, usize), Option<Line>>>,
}

impl RoadGeometry {
    /// Reads `path` and snaps `points` for route lines.
    pub fn load(path: &Path, profile: &CarProfile, points: &[LatLon], progress: &dyn Progress) -> Result<RoadGeometry> {
        Ok(RoadGeometry::new(
            Network::load(path, profile, progress, &mut Timings::default())?,
            profile,
            points,
        ))
    }

    /// Geometry over an already loaded network.
    pub fn new(network: Network, profile: &CarProfile, points: &[LatLon]) -> RoadGeometry {
        let snaps = snap_points(&network.graph, points, profile).snaps;
        RoadGeometry {
            network,
            snaps,
            legs: Default::default(),
        }
    }

    /// The road line from point `i` to point `j`, as (lat, lon) pairs.
    pub fn leg(&self, i: usize, j: usize) -> Option<Vec<(f64, f64)>> {
        let (Some(a), Some(b)) = (&self.snaps[i], &self.snaps[j]) else {
            return None;
        };
        if let Some(leg) = self.cached(i, j) {
            return leg;
        }
        let leg = dijkstra::path(&self.network.graph, a, b);
        if let Ok(mut legs) = self.legs.lock() {
            legs.insert((i, j), leg.clone());
        }
        leg
    }

    /// The road segments of the network whose free-flow speed (either way)
    /// is at least `min_kmh`, as (from, to, km/h) with (lat, lon) ends,
    /// fastest first: the main roads a map draws under its stops.
    pub fn fast_roads(&self, min_kmh: f64) -> Vec<RoadPiece> {
        let graph = &self.network.graph;
        let kmh = |w: Weight| (w != UNREACHABLE && seconds(w) > 0.0).then(|| metres(w) / seconds(w) * 3.6);
        let mut pieces: Vec<RoadPiece> = graph
            .segments
            .iter()
            .filter_map(|s| {
                let fastest = kmh(s.forward).into_iter().chain(kmh(s.backward)).reduce(f64::max)?;
                (fastest >= min_kmh).then(|| RoadPiece {
                    from: graph.coords[s.a as usize].lat_lon(),
                    to: graph.coords[s.b as usize].lat_lon(),
                    kmh: fastest,
                })
            })
            .collect();
        pieces.sort_by(|a, b| b.kmh.total_cmp(&a.kmh));
        pieces
    }

    /// The leg from `i` to `j` if it was searched before.
    fn cached(&self, i: usize, j: usize) -> Option<Option<Line>> {
        self.legs.lock().ok()?.get(&(i, j)).cloned()
    }
}
