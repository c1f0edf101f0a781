//! Stage 2: the road network. An OSM extract becomes a car graph
//! ([`graph::RoadGraph`]), points are snapped onto it, and a contraction
//! hierarchy ([`ch::Hierarchy`]) answers many-to-many travel-time queries.
//! Matrices are cached on disk, keyed by the file's content, the profile
//! and the points, so re-planning is instant.

pub mod cache;
pub mod ch;
pub mod dijkstra;
pub mod graph;
pub mod osm;
pub mod profile;
pub mod reach;
pub mod search;

use crate::error::Result;
use crate::progress::Progress;
use crate::territory::LatLon;
use graph::{RoadGraph, Snap, UNREACHABLE, Weight};
use profile::CarProfile;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Seconds spent in each stage, for `--timings` and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading the file and building the graph.
    pub load_s: f64,
    pub snap_s: f64,
    pub preprocess_s: f64,
    pub matrix_s: f64,
}

/// A loaded, preprocessed road network.
pub struct Network {
    pub source: PathBuf,
    pub graph: RoadGraph,
    pub hierarchy: ch::Hierarchy,
}

impl Network {
    /// Reads `path`, builds the car graph and contracts it.
    pub fn load(path: &Path, profile: &CarProfile, progress: Progress, timings: &mut Timings) -> Result<Network> {
        let start = Instant::now();
        let raw = osm::read(path, profile, &progress.bar("reading OSM"))?;
        let graph = RoadGraph::build(&raw, profile);
        drop(raw);
        timings.load_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let hierarchy = ch::Hierarchy::build(&graph, &progress.bar("contracting"));
        timings.preprocess_s = start.elapsed().as_secs_f64();
        Ok(Network {
            source: path.to_path_buf(),
            graph,
            hierarchy,
        })
    }
}

/// Points placed on the graph, and what the user must hear about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapped {
    /// `None`: farther than `max_snap_m` from any road.
    pub snaps: Vec<Option<Snap>>,
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
    pub n: usize,
    pub weights: Vec<Weight>,
    /// Metres from each point to its road; `None` when not snapped.
    pub snap_m: Vec<Option<f64>>,
    pub warnings: Vec<String>,
}

impl RoadMatrix {
    pub fn seconds(&self, i: usize, j: usize) -> Option<f64> {
        let w = self.weights[i * self.n + j];
        (w != UNREACHABLE).then(|| graph::seconds(w))
    }

    pub fn metres(&self, i: usize, j: usize) -> Option<f64> {
        let w = self.weights[i * self.n + j];
        (w != UNREACHABLE).then(|| graph::metres(w))
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
    progress: Progress,
    use_cache: bool,
    timings: &mut Timings,
) -> Result<(RoadMatrix, Option<Network>)> {
    crate::io::ensure_matrix_fits(points.len())?;
    let key = if use_cache {
        Some(cache::key(path, profile, points)?)
    } else {
        None
    };
    if let Some(hit) = key.as_ref().and_then(|k| cache::load(k, points.len())) {
        return Ok((hit, None));
    }
    let network = Network::load(path, profile, progress, timings)?;
    let start = Instant::now();
    let snapped = snap_points(&network.graph, points, profile);
    timings.snap_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let weights =
        network
            .hierarchy
            .matrix_with_progress(&network.graph, &snapped.snaps, &snapped.snaps, &progress.bar("matrix"));
    timings.matrix_s = start.elapsed().as_secs_f64();
    let result = RoadMatrix {
        n: points.len(),
        weights,
        snap_m: snapped.snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
        warnings: snapped.warnings,
    };
    if let Some(k) = key {
        cache::store(&k, &result);
    }
    Ok((result, Some(network)))
}

/// A loaded network with the plan's points snapped, to draw route legs
/// along the roads.
pub struct RoadGeometry {
    network: Network,
    snaps: Vec<Option<Snap>>,
}

impl RoadGeometry {
    pub fn load(path: &Path, profile: &CarProfile, points: &[LatLon], progress: Progress) -> Result<RoadGeometry> {
        Ok(RoadGeometry::new(
            Network::load(path, profile, progress, &mut Timings::default())?,
            profile,
            points,
        ))
    }

    /// Geometry over an already loaded network.
    pub fn new(network: Network, profile: &CarProfile, points: &[LatLon]) -> RoadGeometry {
        let snaps = snap_points(&network.graph, points, profile).snaps;
        RoadGeometry { network, snaps }
    }

    /// The road line from point `i` to point `j`, as (lat, lon) pairs.
    pub fn leg(&self, i: usize, j: usize) -> Option<Vec<(f64, f64)>> {
        let (Some(a), Some(b)) = (&self.snaps[i], &self.snaps[j]) else {
            return None;
        };
        dijkstra::path(&self.network.graph, a, b)
    }
}
