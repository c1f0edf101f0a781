//! The car graph: road segments over the largest strongly connected
//! component, their [`TurnGraph`] (where routes are searched, turns
//! priced), and snapping of points onto the segments.

use super::osm::RawNetwork;
use super::profile::CarProfile;
use super::turns::TurnGraph;
use super::weight::{Segment, UNREACHABLE, Weight, pack, scale};
use crate::LatLon;
use geo::{Distance, Haversine, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

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
    fn around(coords: &[(f64, f64)]) -> Projection {
        let n = coords.len().max(1) as f64;
        let (lat, lon) = coords.iter().fold((0.0, 0.0), |(a, b), c| (a + c.0, b + c.1));
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

/// The routable car graph.
pub struct RoadGraph {
    /// (lat, lon) per node.
    pub coords: Vec<(f64, f64)>,
    /// The road segments, for snapping and route lines; a direction left
    /// out of the turn graph is closed (`UNREACHABLE`).
    pub segments: Vec<Segment>,
    /// Where routes are searched: directed segments and the turns between
    /// them.
    pub turns: TurnGraph,
    /// Every open segment as a planar line in `f32` (20 bytes a segment,
    /// against 40 in `f64`): the R-tree only finds the nearest segment,
    /// whose position along is then measured in `f64`.
    tree: RTree<GeomWithData<Line<[f32; 2]>, u32>>,
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
        let lines = segments
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                (s.forward != UNREACHABLE || s.backward != UNREACHABLE) && !raw.ways[s.way as usize].rule.ferry
            })
            .map(|(i, s)| {
                let (a, b) = (coords[s.a as usize], coords[s.b as usize]);
                let line = Line::new(projection.project_f32(a.0, a.1), projection.project_f32(b.0, b.1));
                GeomWithData::new(line, i as u32)
            })
            .collect();
        RoadGraph {
            coords,
            segments,
            turns,
            tree: RTree::bulk_load(lines),
            projection,
        }
    }

    /// Road nodes of the graph (its largest strongly connected component).
    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    /// Node `v`'s planar position in metres (the projection snapping uses).
    pub(crate) fn planar(&self, v: u32) -> [f64; 2] {
        let (lat, lon) = self.coords[v as usize];
        self.projection.project(lat, lon)
    }

    /// The nearest road segment to `point`, wherever it is.
    pub fn snap(&self, point: LatLon) -> Option<Snap> {
        let p = self.projection.project(point.lat, point.lon);
        let nearest = self
            .tree
            .nearest_neighbor(self.projection.project_f32(point.lat, point.lon))?;
        let s = self.segments[nearest.data as usize];
        let ([ax, ay], [bx, by]) = (self.planar(s.a), self.planar(s.b));
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((p[0] - ax) * dx + (p[1] - ay) * dy) / len2).clamp(0.0, 1.0)
        };
        let (a, b) = (self.coords[s.a as usize], self.coords[s.b as usize]);
        let on_road = Point::new(a.1 + t * (b.1 - a.1), a.0 + t * (b.0 - a.0));
        let distance_m = Haversine.distance(on_road, Point::new(point.lon, point.lat));
        Some(Snap {
            segment: nearest.data,
            t,
            distance_m,
        })
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

/// Road nodes (coordinates and position in the raw nodes) and segments.
type Pieces = (Vec<(f64, f64)>, Vec<Segment>, Vec<u32>);

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
            coords.push(raw.nodes[pos].lat_lon());
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
/// densely, in their original order. Kosaraju, not Tarjan: petgraph's
/// Tarjan recurses once per node of a path and overflows the stack on a
/// département-sized network, where its Kosaraju walks with explicit stacks.
fn largest_component((coords, segments, origin): Pieces) -> Pieces {
    let mut graph = petgraph::graph::DiGraph::<(), ()>::with_capacity(coords.len(), segments.len() * 2);
    for _ in 0..coords.len() {
        graph.add_node(());
    }
    for s in &segments {
        let (a, b) = (
            petgraph::graph::NodeIndex::new(s.a as usize),
            petgraph::graph::NodeIndex::new(s.b as usize),
        );
        if s.forward != UNREACHABLE {
            graph.add_edge(a, b, ());
        }
        if s.backward != UNREACHABLE {
            graph.add_edge(b, a, ());
        }
    }
    let largest = petgraph::algo::kosaraju_scc(&graph)
        .into_iter()
        .max_by_key(|c| c.len())
        .unwrap_or_default();
    let mut keep = vec![false; coords.len()];
    for node in largest {
        keep[node.index()] = true;
    }
    let mut renumber = vec![u32::MAX; coords.len()];
    let mut kept_coords = Vec::new();
    let mut kept_origin = Vec::new();
    for (i, (c, o)) in coords.into_iter().zip(origin).enumerate() {
        if keep[i] {
            renumber[i] = kept_coords.len() as u32;
            kept_coords.push(c);
            kept_origin.push(o);
        }
    }
    let kept_segments = segments
        .into_iter()
        .filter(|s| keep[s.a as usize] && keep[s.b as usize])
        .map(|s| Segment {
            a: renumber[s.a as usize],
            b: renumber[s.b as usize],
            ..s
        })
        .collect();
    (kept_coords, kept_segments, kept_origin)
}
