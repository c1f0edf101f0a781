//! Nearest-facility searches for the coverage analysis: one Dijkstra over
//! the reversed turn graph, seeded at every service point at once, gives
//! each origin the time of its fastest trip *to* the nearest point. A
//! national run is one search, not one per commune.

use super::graph::{RoadGraph, Snap};
use super::search::Workspace;
use super::weight::{Arc, UNREACHABLE, Weight, csr, pack};
use std::collections::HashMap;

/// The turn graph with every arc turned around: searching it from a point
/// finds who can drive *to* that point.
pub struct Reversed {
    first_out: Vec<u32>,
    arcs: Vec<Arc>,
}

impl Reversed {
    /// The reversed turn graph of `graph`.
    pub fn new(graph: &RoadGraph) -> Reversed {
        let n = graph.turns.node_count();
        let turned = (0..n as u32)
            .flat_map(|u| {
                graph.turns.out_arcs(u).iter().map(move |a| {
                    (
                        a.head,
                        Arc {
                            head: u,
                            weight: a.weight,
                        },
                    )
                })
            })
            .collect();
        let (first_out, arcs) = csr(n, turned);
        Reversed { first_out, arcs }
    }

    fn in_arcs(&self, v: u32) -> &[Arc] {
        &self.arcs[self.first_out[v as usize] as usize..self.first_out[v as usize + 1] as usize]
    }
}

/// The weight limit of a search bounded to `seconds` of driving.
pub fn limit(seconds: f64) -> Weight {
    pack((seconds * 1000.0).round() as u64, u64::from(u32::MAX))
}

/// For each origin, the nearest of `points` by driving time from the
/// origin, as `(point index, weight)`; `None` when none is reachable
/// within `limit`. Unsnapped origins or points take no part.
pub fn nearest(
    graph: &RoadGraph,
    reversed: &Reversed,
    points: &[Option<Snap>],
    origins: &[Option<Snap>],
    limit: Weight,
) -> Vec<Option<(usize, Weight)>> {
    let n = graph.turns.node_count();
    let mut ws = Workspace::new(n);
    let mut label = vec![u32::MAX; n];
    // A point is reached by turning onto its segment: the search starts at
    // the nodes before that turn, with the turn and the part of the segment
    // up to the point (an arc's weight less the part beyond the point).
    let mut seeds = Vec::new();
    for (p, snap) in points.iter().enumerate() {
        for (x, beyond) in snap.iter().flat_map(|s| graph.arrivals(s)) {
            for arc in reversed.in_arcs(x) {
                seeds.push((arc.head, arc.weight - beyond, p as u32));
            }
        }
    }
    seeds.sort_unstable();
    ws.start(&[]);
    for &(v, w, p) in &seeds {
        if w < ws.dist[v as usize] {
            ws.relax(v, w);
            label[v as usize] = p;
        }
    }
    while let Some((v, d)) = ws.pop() {
        if d > limit {
            break;
        }
        for arc in reversed.in_arcs(v) {
            let w = d + arc.weight;
            if w < ws.dist[arc.head as usize] {
                ws.relax(arc.head, w);
                label[arc.head as usize] = label[v as usize];
            }
        }
    }
    let mut on_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (p, snap) in points.iter().enumerate() {
        if let Some(s) = snap {
            on_segment.entry(s.segment).or_default().push(p);
        }
    }
    origins
        .iter()
        .map(|origin| {
            let origin = origin.as_ref()?;
            let via_graph = graph
                .starts(origin)
                .into_iter()
                .filter(|(v, _)| ws.dist[*v as usize] != UNREACHABLE)
                .map(|(v, w)| (w + ws.dist[v as usize], label[v as usize] as usize));
            let along = on_segment.get(&origin.segment).into_iter().flatten().filter_map(|&p| {
                let w = graph.along(origin, points[p].as_ref()?);
                (w != UNREACHABLE).then_some((w, p))
            });
            via_graph
                .chain(along)
                .min()
                .filter(|(w, _)| *w <= limit)
                .map(|(w, p)| (p, w))
        })
        .collect()
}
