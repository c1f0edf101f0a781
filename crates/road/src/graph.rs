//! The car graph: compact adjacency arrays (CSR) over the largest strongly
//! connected component, and snapping of points onto its road segments.
//!
//! Weights pack (milliseconds, centimetres) into one `u64`, time in the
//! high half: adding packed weights adds both parts (distance sums stay far
//! below 2³² cm = 42,950 km), and comparing them compares time first, then
//! distance. So every shortest-path algorithm here minimises time and
//! breaks ties by distance, and all of them agree on both numbers exactly.

use super::osm::RawNetwork;
use super::profile::CarProfile;
use crate::LatLon;
use geo::{Distance, Haversine, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

/// Packed (milliseconds, centimetres); see the module docs.
pub type Weight = u64;

/// No path.
pub const UNREACHABLE: Weight = u64::MAX;

/// Packs milliseconds and centimetres into one weight: time first, so one comparison minimises time then distance.
pub fn pack(ms: u64, cm: u64) -> Weight {
    (ms.min(u64::from(u32::MAX)) << 32) | cm.min(u64::from(u32::MAX))
}

/// The seconds of a packed weight.
pub fn seconds(w: Weight) -> f64 {
    (w >> 32) as f64 / 1000.0
}

/// The metres of a packed weight.
pub fn metres(w: Weight) -> f64 {
    (w & 0xffff_ffff) as f64 / 100.0
}

/// A fraction of a weight, for the part of a segment on one side of a
/// snapped point.
pub fn scale(w: Weight, fraction: f64) -> Weight {
    pack(
        ((w >> 32) as f64 * fraction).round() as u64,
        ((w & 0xffff_ffff) as f64 * fraction).round() as u64,
    )
}

/// A directed arc of the CSR graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    /// The node the arc leads to.
    pub head: u32,
    /// Its time and length, packed.
    pub weight: Weight,
}

/// A road segment between two graph nodes, with its weight in each
/// direction (`UNREACHABLE` where closed). Snapping targets segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// One end node.
    pub a: u32,
    /// The other end node.
    pub b: u32,
    /// Weight from `a` to `b` (`UNREACHABLE` if one-way against).
    pub forward: Weight,
    /// Weight from `b` to `a`.
    pub backward: Weight,
}

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
}

impl Projection {
    fn project(&self, lat: f64, lon: f64) -> [f64; 2] {
        [lon * self.kx, lat * self.ky]
    }
}

/// The routable car graph.
pub struct RoadGraph {
    /// (lat, lon) per node.
    pub coords: Vec<(f64, f64)>,
    /// CSR offsets: node `u`'s arcs are `arcs[first_out[u]..first_out[u + 1]]`.
    pub first_out: Vec<u32>,
    /// Outgoing arcs of every node, grouped by tail.
    pub arcs: Vec<Arc>,
    /// The road segments, for snapping and route lines.
    pub segments: Vec<Segment>,
    tree: RTree<GeomWithData<Line<[f64; 2]>, u32>>,
    projection: Projection,
}

impl RoadGraph {
    /// Builds the graph from raw OSM data: segments between consecutive way
    /// nodes, penalties at junctions and signals, then the largest strongly
    /// connected component only.
    pub fn build(raw: &RawNetwork, profile: &CarProfile) -> RoadGraph {
        let (coords, segments) = raw_segments(raw, profile);
        let (coords, segments) = largest_component(coords, segments);
        let n = coords.len();
        let arcs: Vec<(u32, Arc)> = segments
            .iter()
            .flat_map(|s| {
                [(s.a, s.b, s.forward), (s.b, s.a, s.backward)]
                    .into_iter()
                    .filter(|(_, _, w)| *w != UNREACHABLE)
                    .map(|(u, v, weight)| (u, Arc { head: v, weight }))
            })
            .collect();
        let (first_out, arcs) = csr(n, arcs);
        let mean_lat = coords.iter().map(|c| c.0).sum::<f64>() / n.max(1) as f64;
        let projection = Projection {
            kx: 111_320.0 * mean_lat.to_radians().cos(),
            ky: 110_574.0,
        };
        let lines = segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (a, b) = (coords[s.a as usize], coords[s.b as usize]);
                let line = Line::new(projection.project(a.0, a.1), projection.project(b.0, b.1));
                GeomWithData::new(line, i as u32)
            })
            .collect();
        RoadGraph {
            coords,
            first_out,
            arcs,
            segments,
            tree: RTree::bulk_load(lines),
            projection,
        }
    }

    /// Nodes of the graph (its largest strongly connected component).
    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    /// The arcs leaving node `u`.
    pub fn out_arcs(&self, u: u32) -> &[Arc] {
        &self.arcs[self.first_out[u as usize] as usize..self.first_out[u as usize + 1] as usize]
    }

    /// The nearest road segment to `point`, wherever it is.
    pub fn snap(&self, point: LatLon) -> Option<Snap> {
        let p = self.projection.project(point.lat, point.lon);
        let nearest = self.tree.nearest_neighbor(p)?;
        let [ax, ay] = nearest.geom().from;
        let [bx, by] = nearest.geom().to;
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((p[0] - ax) * dx + (p[1] - ay) * dy) / len2).clamp(0.0, 1.0)
        };
        let s = self.segments[nearest.data as usize];
        let (a, b) = (self.coords[s.a as usize], self.coords[s.b as usize]);
        let on_road = Point::new(a.1 + t * (b.1 - a.1), a.0 + t * (b.0 - a.0));
        let distance_m = Haversine.distance(on_road, Point::new(point.lon, point.lat));
        Some(Snap {
            segment: nearest.data,
            t,
            distance_m,
        })
    }

    /// Graph nodes reachable from a snapped point, with the cost of the
    /// partial segment to each.
    pub fn leave(&self, snap: &Snap) -> Vec<(u32, Weight)> {
        let s = self.segments[snap.segment as usize];
        let mut out = Vec::with_capacity(2);
        if s.forward != UNREACHABLE {
            out.push((s.b, scale(s.forward, 1.0 - snap.t)));
        }
        if s.backward != UNREACHABLE {
            out.push((s.a, scale(s.backward, snap.t)));
        }
        out
    }

    /// Graph nodes from which a snapped point is reached, with the cost of
    /// the partial segment from each.
    pub fn arrive(&self, snap: &Snap) -> Vec<(u32, Weight)> {
        let s = self.segments[snap.segment as usize];
        let mut out = Vec::with_capacity(2);
        if s.forward != UNREACHABLE {
            out.push((s.a, scale(s.forward, snap.t)));
        }
        if s.backward != UNREACHABLE {
            out.push((s.b, scale(s.backward, 1.0 - snap.t)));
        }
        out
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

/// Compressed adjacency arrays from `(tail, arc)` pairs: the arcs out of
/// `u` are `first[u]..first[u + 1]`. Of parallel arcs only the lightest
/// is kept.
pub(crate) fn csr(n: usize, mut arcs: Vec<(u32, Arc)>) -> (Vec<u32>, Vec<Arc>) {
    arcs.sort_unstable_by_key(|(u, a)| (*u, a.head, a.weight));
    arcs.dedup_by_key(|(u, a)| (*u, a.head));
    let mut first = vec![0u32; n + 1];
    for (u, _) in &arcs {
        first[*u as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    (first, arcs.into_iter().map(|(_, a)| a).collect())
}

/// Cuts ways into segments between consecutive nodes present in the
/// extract, weighted by the profile; compacts node ids.
fn raw_segments(raw: &RawNetwork, profile: &CarProfile) -> (Vec<(f64, f64)>, Vec<Segment>) {
    let mut index = vec![u32::MAX; raw.nodes.len()];
    let mut coords = Vec::new();
    let mut node_of = |pos: usize| -> u32 {
        if index[pos] == u32::MAX {
            index[pos] = coords.len() as u32;
            coords.push(raw.nodes[pos].lat_lon());
        }
        index[pos]
    };
    let mut segments = Vec::new();
    for way in &raw.ways {
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
            // A bollard (or any barrier cars cannot pass) cuts the way there.
            if p == q || !raw.passable(raw.nodes[p].id) || !raw.passable(raw.nodes[q].id) {
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
            });
        }
    }
    add_node_penalties(raw, profile, &coords, &index, &mut segments);
    (coords, segments)
}

/// Adds the junction and traffic-signal penalties to every segment
/// direction that enters such a node.
fn add_node_penalties(
    raw: &RawNetwork,
    profile: &CarProfile,
    coords: &[(f64, f64)],
    index: &[u32],
    segments: &mut [Segment],
) {
    let mut degree = vec![0u8; coords.len()];
    for s in segments.iter() {
        degree[s.a as usize] = degree[s.a as usize].saturating_add(1);
        degree[s.b as usize] = degree[s.b as usize].saturating_add(1);
    }
    let mut penalty_ms = vec![0u64; coords.len()];
    for (node, d) in degree.iter().enumerate() {
        if *d >= 3 {
            penalty_ms[node] += (profile.junction_penalty_s * 1000.0) as u64;
        }
    }
    for id in &raw.signals {
        if let Some(pos) = raw.node_index(*id)
            && index[pos] != u32::MAX
        {
            penalty_ms[index[pos] as usize] += (profile.signal_penalty_s * 1000.0) as u64;
        }
    }
    let add = |w: Weight, node: u32| {
        if w == UNREACHABLE {
            w
        } else {
            w + (penalty_ms[node as usize] << 32)
        }
    };
    for s in segments.iter_mut() {
        s.forward = add(s.forward, s.b);
        s.backward = add(s.backward, s.a);
    }
}

/// Keeps the largest strongly connected component and renumbers its nodes
/// densely, in their original order. Kosaraju, not Tarjan: petgraph's
/// Tarjan recurses once per node of a path and overflows the stack on a
/// département-sized network, where its Kosaraju walks with explicit stacks.
fn largest_component(coords: Vec<(f64, f64)>, segments: Vec<Segment>) -> (Vec<(f64, f64)>, Vec<Segment>) {
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
    for (i, c) in coords.into_iter().enumerate() {
        if keep[i] {
            renumber[i] = kept_coords.len() as u32;
            kept_coords.push(c);
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
    (kept_coords, kept_segments)
}
