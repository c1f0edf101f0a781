//! The car graph: road segments over the largest strongly connected
//! component, their [`TurnGraph`] (where routes are searched, turns
//! priced), and snapping of points onto the segments.

use super::osm::{Position, RawNetwork};
use super::profile::CarProfile;
use super::turns::TurnGraph;
use super::weight::{Segment, UNREACHABLE, Weight, csr_listed, pack, scale};
use crate::LatLon;
use geo::{Distance, Haversine, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

/// Where a point lands on the graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The segment the point was snapped onto.
    pub segment: u32,
    /// Position along the segment from `a` (0) to `b` (1).
    pub t: f64,
    /// Straight-line metres from the point to the road.
    pub distance_m: f64,
}

/// Equirectangular projection to metres around the extract's mean
/// latitude: accurate enough for nearest-road search within a region.
#[derive(Debug, Clone, Copy)]
struct Projection {
    kx: f64,
    ky: f64,
    /// The mean position, projected: the R-tree's `f32` metres are taken
    /// from there, small enough numbers to hold the centimetre 100 km away.
    origin: [f64; 2],
}

impl Projection {
    /// The projection centred on `coords`' mean position.
    fn around(coords: &[Position]) -> Projection {
        let n = coords.len().max(1) as f64;
        let (lat, lon) = coords
            .iter()
            .map(|c| c.lat_lon())
            .fold((0.0, 0.0), |(a, b), c| (a + c.0, b + c.1));
        let (lat, lon) = (lat / n, lon / n);
        let (kx, ky) = (111_320.0 * lat.to_radians().cos(), 110_574.0);
        Projection {
            kx,
            ky,
            origin: [lon * kx, lat * ky],
        }
    }

    fn project(&self, lat: f64, lon: f64) -> [f64; 2] {
        [lon * self.kx, lat * self.ky]
    }

    /// [`Projection::project`] from the origin, in `f32`, as the R-tree
    /// holds it.
    fn project_f32(&self, lat: f64, lon: f64) -> [f32; 2] {
        let [x, y] = self.project(lat, lon);
        [(x - self.origin[0]) as f32, (y - self.origin[1]) as f32]
    }
}

/// A run's box in the snapping index, with its first segment and length.
type RunBox = GeomWithData<Rectangle<[f32; 2]>, (u32, u32)>;

/// The routable car graph.
pub struct RoadGraph {
    /// Position per node.
    pub coords: Vec<Position>,
    /// The road segments, for snapping and route lines; a direction left
    /// out of the turn graph is closed (`UNREACHABLE`).
    pub segments: Vec<Segment>,
    /// Where routes are searched: directed segments and the turns between
    /// them.
    pub turns: TurnGraph,
    /// The snapping index: the bounding box of each run of at most
    /// [`RUN`] consecutive open segments of one way, with the run's first
    /// segment and length. Boxes of runs, not lines of segments: a tenth
    /// of the entries, so a région's index takes a second and a few
    /// megabytes to build where one of segments took eight seconds and
    /// twenty bytes a segment; the exact distance is then measured on the
    /// segments of the nearest boxes.
    tree: RTree<RunBox>,
    projection: Projection,
}

impl RoadGraph {
    /// Builds the graph from raw OSM data: segments between consecutive way
    /// nodes, the largest strongly connected component of them, then the
    /// turn graph over it (turn costs, signals, restrictions).
    pub fn build(raw: &RawNetwork, profile: &CarProfile) -> RoadGraph {
        let (coords, mut segments, origin) = largest_component(raw_segments(raw));
        let turns = TurnGraph::build(raw, profile, &coords, &origin, &mut segments);
        let projection = Projection::around(&coords);
        let snappable = |s: &Segment| {
            (s.forward != UNREACHABLE || s.backward != UNREACHABLE) && !raw.ways[s.way as usize].rule.ferry
        };
        let boxes = runs(&segments, snappable)
            .map(|(first, len)| {
                let ends = segments[first as usize..(first + len) as usize]
                    .iter()
                    .flat_map(|s| [s.a, s.b])
                    .map(|v| {
                        let (lat, lon) = coords[v as usize].lat_lon();
                        projection.project_f32(lat, lon)
                    });
                let (lower, upper) = ends.fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), p| {
                    ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
                });
                GeomWithData::new(Rectangle::from_corners(lower, upper), (first, len))
            })
            .collect();
        RoadGraph {
            coords,
            segments,
            turns,
            tree: RTree::bulk_load(boxes),
            projection,
        }
    }

    /// Road nodes of the graph (its largest strongly connected component).
    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    /// Node `v`'s planar position in metres (the projection snapping uses).
    pub(crate) fn planar(&self, v: u32) -> [f64; 2] {
        let (lat, lon) = self.coords[v as usize].lat_lon();
        self.projection.project(lat, lon)
    }

    /// The nearest road segment to `point`, wherever it is.
    pub fn snap(&self, point: LatLon) -> Option<Snap> {
        let (segment, t) = self.nearest_segment(point)?;
        let s = self.segments[segment as usize];
        let (a, b) = (self.coords[s.a as usize].lat_lon(), self.coords[s.b as usize].lat_lon());
        let on_road = Point::new(a.1 + t * (b.1 - a.1), a.0 + t * (b.0 - a.0));
        let distance_m = Haversine.distance(on_road, Point::new(point.lon, point.lat));
        Some(Snap { segment, t, distance_m })
    }

    /// The segment nearest `point`, and the position along it nearest the
    /// point: the runs' boxes in order of distance, each run's segments
    /// measured in `f64`, until a box is farther than the nearest segment
    /// found. A box is never farther than a segment inside it, give or take
    /// its `f32` rounding (centimetres): hence a metre's margin.
    fn nearest_segment(&self, point: LatLon) -> Option<(u32, f64)> {
        let p = self.projection.project(point.lat, point.lon);
        let query = self.projection.project_f32(point.lat, point.lon);
        let mut best: Option<(f64, u32, f64)> = None;
        for run in self.tree.nearest_neighbor_iter_with_distance_2(query) {
            let (boxed, (first, len)) = (f64::from(run.1).sqrt(), run.0.data);
            if best.is_some_and(|(d, _, _)| boxed > d + 1.0) {
                break;
            }
            for i in first..first + len {
                let s = &self.segments[i as usize];
                let (d, t) = to_segment(p, self.planar(s.a), self.planar(s.b));
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, i, t));
                }
            }
        }
        best.map(|(_, i, t)| (i, t))
    }

    /// Where a car at a snapped point may be: the turn-graph node of each
    /// open direction of its segment, with the cost of the rest of the
    /// segment in that direction. A car starting there reaches the end of
    /// that node's segment at that cost.
    pub fn starts(&self, snap: &Snap) -> Vec<(u32, Weight)> {
        let segment = &self.segments[snap.segment as usize];
        self.turns.on_segment(segment, snap.segment, snap.t).collect()
    }

    /// Turn-graph nodes a search may start from at a snapped point: the
    /// turns out of its segment's directions, each with the cost of the
    /// rest of the segment, the turn and the next segment (a search from the
    /// point itself would reach a point behind it on the same segment
    /// without going round).
    pub fn departures(&self, snap: &Snap) -> Vec<(u32, Weight)> {
        self.starts(snap)
            .into_iter()
            .flat_map(|(x, rest)| self.turns.out_arcs(x).iter().map(move |a| (a.head, rest + a.weight)))
            .collect()
    }

    /// Turn-graph nodes a search arrives at a snapped point by, with the
    /// weight to take off a distance found there: a node's distance counts
    /// its whole segment, the point is before the end.
    pub fn arrivals(&self, snap: &Snap) -> Vec<(u32, Weight)> {
        self.starts(snap)
            .into_iter()
            .flat_map(|(x, rest)| self.turns.with_copies(x).map(move |c| (c, rest)))
            .collect()
    }

    /// The cost of driving along one segment between two points on it,
    /// when the direction allows; `UNREACHABLE` otherwise.
    pub fn along(&self, from: &Snap, to: &Snap) -> Weight {
        if from.segment != to.segment {
            return UNREACHABLE;
        }
        let s = self.segments[from.segment as usize];
        if to.t >= from.t && s.forward != UNREACHABLE {
            scale(s.forward, to.t - from.t)
        } else if to.t <= from.t && s.backward != UNREACHABLE {
            scale(s.backward, from.t - to.t)
        } else {
            UNREACHABLE
        }
    }
}

/// Planar distance from `p` to the segment `a`–`b`, and the position
/// along it (0 at `a`, 1 at `b`) of the nearest point.
fn to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> (f64, f64) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    (x.hypot(y), t)
}

/// Segments per run in the snapping index: long enough that the index
/// holds a tenth of the entries, short enough that a run's box stays
/// tight around a winding road.
const RUN: u32 = 16;

/// Runs of consecutive `wanted` segments of one way, at most [`RUN`] long:
/// (first segment, length).
fn runs<'s>(segments: &'s [Segment], wanted: impl Fn(&Segment) -> bool + 's) -> impl Iterator<Item = (u32, u32)> + 's {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < segments.len() && !wanted(&segments[i]) {
            i += 1;
        }
        let first = i;
        let way = segments.get(first)?.way;
        while i < segments.len() && i - first < RUN as usize && segments[i].way == way && wanted(&segments[i]) {
            i += 1;
        }
        Some((first as u32, (i - first) as u32))
    })
}

/// Road nodes (coordinates and position in the raw nodes) and segments.
type Pieces = (Vec<Position>, Vec<Segment>, Vec<u32>);

/// Cuts ways into segments between consecutive nodes present in the
/// extract, weighted by their speed; compacts node ids, remembering each
/// node's raw position.
fn raw_segments(raw: &RawNetwork) -> Pieces {
    let mut index = vec![u32::MAX; raw.nodes.len()];
    let mut coords = Vec::new();
    let mut origin = Vec::new();
    let mut node_of = |pos: usize| -> u32 {
        if index[pos] == u32::MAX {
            index[pos] = coords.len() as u32;
            coords.push(raw.nodes[pos].position());
            origin.push(pos as u32);
        }
        index[pos]
    };
    let mut segments = Vec::new();
    for (way_index, way) in raw.ways.iter().enumerate() {
        let positions: Vec<Option<usize>> = way.nodes.iter().map(|&id| raw.node_index(id)).collect();
        let length = |p: usize, q: usize| {
            let (a, b) = (raw.nodes[p].lat_lon(), raw.nodes[q].lat_lon());
            Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0))
        };
        let way_length: f64 = positions.windows(2).filter_map(|w| Some(length(w[0]?, w[1]?))).sum();
        for pair in positions.windows(2) {
            let (Some(p), Some(q)) = (pair[0], pair[1]) else {
                continue;
            };
            if p == q {
                continue;
            }
            let metres = length(p, q);
            let weight = |kmh: Option<f64>| match (kmh, way.rule.ferry_seconds) {
                (None, _) => UNREACHABLE,
                (Some(_), Some(total)) if way_length > 0.0 => pack(
                    (total * metres / way_length * 1000.0).round() as u64,
                    (metres * 100.0).round() as u64,
                ),
                (Some(kmh), _) => pack(
                    (metres / (kmh / 3.6) * 1000.0).round() as u64,
                    (metres * 100.0).round() as u64,
                ),
            };
            segments.push(Segment {
                a: node_of(p),
                b: node_of(q),
                forward: weight(way.rule.forward_kmh),
                backward: weight(way.rule.backward_kmh),
                way: way_index as u32,
            });
        }
    }
    (coords, segments, origin)
}

/// Keeps the largest strongly connected component and renumbers its nodes
/// densely, in their original order, in place.
fn largest_component((mut coords, mut segments, mut origin): Pieces) -> Pieces {
    let open = |w: Weight| w != UNREACHABLE;
    let (first_out, heads) = csr_listed(coords.len(), |_, emit: &mut dyn FnMut(u32, u32)| {
        for s in &segments {
            if open(s.forward) {
                emit(s.a, s.b);
            }
            if open(s.backward) {
                emit(s.b, s.a);
            }
        }
    });
    let keep = super::component::largest(&first_out, &heads);
    drop((first_out, heads));
    let mut renumber = vec![u32::MAX; coords.len()];
    let mut kept = 0;
    for (i, &k) in keep.iter().enumerate() {
        if k {
            renumber[i] = kept;
            coords[kept as usize] = coords[i];
            origin[kept as usize] = origin[i];
            kept += 1;
        }
    }
    coords.truncate(kept as usize);
    origin.truncate(kept as usize);
    segments.retain_mut(|s| {
        (s.a, s.b) = (renumber[s.a as usize], renumber[s.b as usize]);
        s.a != u32::MAX && s.b != u32::MAX
    });
    coords.shrink_to_fit();
    origin.shrink_to_fit();
    segments.shrink_to_fit();
    (coords, segments, origin)
}
