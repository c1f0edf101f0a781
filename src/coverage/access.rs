//! Access times from where residents live to service points, for the
//! coverage analysis: straight-line estimates through an R*-tree (exact
//! nearest neighbour on the sphere), or road times through one reversed
//! multi-source search over an OSM network.

use crate::input::scenario::StraightLine;
use crate::input::territory::LatLon;
use rayon::prelude::*;
use road::{CarProfile, Network};
use road::{Reversed, Snap};
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// Mean Earth radius, as `geo`'s haversine uses it.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The fastest car on any road: points farther than this allows are not
/// searched for when bounding by time.
const FASTEST_KMH: f64 = 130.0;

/// One trip from an origin to a service point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    /// Index of the service point.
    pub point: usize,
    pub seconds: f64,
    pub metres: f64,
}

/// How access times are obtained.
pub enum Access<'a> {
    StraightLine(StraightLine),
    Road {
        network: &'a Network,
        reversed: Reversed,
        profile: &'a CarProfile,
    },
}

impl<'a> Access<'a> {
    /// Road access over a loaded network.
    pub fn road(network: &'a Network, profile: &'a CarProfile) -> Access<'a> {
        Access::Road {
            network,
            reversed: Reversed::new(&network.graph),
            profile,
        }
    }

    /// For each origin, its nearest point by travel time (`None`: none
    /// reachable).
    pub fn nearest(&self, origins: &[LatLon], points: &[LatLon]) -> Vec<Option<Reach>> {
        match self {
            Access::StraightLine(model) => {
                let tree = sphere_tree(points);
                origins
                    .par_iter()
                    .map(|o| {
                        let near = tree.nearest_neighbor(unit_vector(*o))?;
                        Some(straight(model, *o, points[near.data], near.data))
                    })
                    .collect()
            }
            Access::Road {
                network,
                reversed,
                profile,
            } => {
                let (points, origins) = (snaps(network, points, profile), snaps(network, origins, profile));
                let found = road::nearest(&network.graph, reversed, &points, &origins, road::UNREACHABLE);
                found.into_iter().map(|f| f.map(road_reach)).collect()
            }
        }
    }

    /// For each origin, every point reachable within `seconds`.
    pub fn within(&self, origins: &[LatLon], points: &[LatLon], seconds: f64) -> Vec<Vec<Reach>> {
        match self {
            Access::StraightLine(model) => {
                let tree = sphere_tree(points);
                let crow_m = model.crow_metres(seconds);
                let chord = 2.0 * (crow_m / (2.0 * EARTH_RADIUS_M)).min(std::f64::consts::FRAC_PI_2).sin();
                origins
                    .par_iter()
                    .map(|o| {
                        let mut found: Vec<Reach> = tree
                            .locate_within_distance(unit_vector(*o), chord * chord)
                            .map(|p| straight(model, *o, points[p.data], p.data))
                            .filter(|r| r.seconds <= seconds)
                            .collect();
                        found.sort_by_key(|r| r.point);
                        found
                    })
                    .collect()
            }
            Access::Road {
                network,
                reversed,
                profile,
            } => {
                let origin_snaps = snaps(network, origins, profile);
                let point_snaps = snaps(network, points, profile);
                let limit = road::reach_limit(seconds);
                let reach_m = seconds * FASTEST_KMH / 3.6;
                let per_point: Vec<Vec<Option<Reach>>> = (0..points.len())
                    .into_par_iter()
                    .map(|p| {
                        let close = origins.iter().any(|o| o.metres_to(points[p]) <= reach_m);
                        if !close || point_snaps[p].is_none() {
                            return vec![None; origins.len()];
                        }
                        let single = [point_snaps[p]];
                        road::nearest(&network.graph, reversed, &single, &origin_snaps, limit)
                            .into_iter()
                            .map(|f| f.map(|(_, w)| road_reach((p, w))))
                            .collect()
                    })
                    .collect();
                (0..origins.len())
                    .map(|o| per_point.iter().filter_map(|column| column[o]).collect())
                    .collect()
            }
        }
    }
}

fn straight(model: &StraightLine, from: LatLon, to: LatLon, point: usize) -> Reach {
    let (seconds, metres) = model.estimate(from, to);
    Reach { point, seconds, metres }
}

fn road_reach((point, w): (usize, road::Weight)) -> Reach {
    Reach {
        point,
        seconds: road::seconds(w),
        metres: road::metres(w),
    }
}

/// Points on the unit sphere: the straight chord between them grows with
/// the great-circle distance, so the R*-tree's nearest neighbour in 3D is
/// the nearest on the Earth, with no projection error anywhere in France.
fn unit_vector(p: LatLon) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn sphere_tree(points: &[LatLon]) -> RTree<GeomWithData<[f64; 3], usize>> {
    RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(unit_vector(*p), i))
            .collect(),
    )
}

/// Which points the network covers: a road within the pipeline's snapping
/// limit.
pub(crate) fn on_network(network: &Network, points: &[LatLon], profile: &CarProfile) -> Vec<bool> {
    snaps(network, points, profile).iter().map(Option::is_some).collect()
}

/// Snaps points onto the network; points beyond the pipeline's limit are
/// left out, as the extract does not cover them.
fn snaps(network: &Network, points: &[LatLon], profile: &CarProfile) -> Vec<Option<Snap>> {
    road::snap_points(&network.graph, points, profile)
        .snaps
        .into_iter()
        .map(|s| s.filter(|s| s.distance_m <= crate::travel::MAX_STOP_SNAP_M))
        .collect()
}
