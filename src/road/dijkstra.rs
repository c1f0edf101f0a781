//! Plain Dijkstra between snapped points: the exact reference the
//! contraction hierarchy is tested against, and a fallback for tiny graphs.

use super::graph::{RoadGraph, Snap, UNREACHABLE, Weight};
use super::search::Workspace;
use rayon::prelude::*;

/// Row-major `sources × targets` weights; `UNREACHABLE` where no path or
/// no snap.
pub fn matrix(graph: &RoadGraph, sources: &[Option<Snap>], targets: &[Option<Snap>]) -> Vec<Weight> {
    let arrivals: Vec<Vec<(u32, Weight)>> = targets
        .iter()
        .map(|t| t.as_ref().map_or_else(Vec::new, |s| graph.arrive(s)))
        .collect();
    sources
        .par_iter()
        .map_init(
            || Workspace::new(graph.node_count()),
            |ws, source| {
                let Some(source) = source else {
                    return vec![UNREACHABLE; targets.len()];
                };
                ws.start(&graph.leave(source));
                while let Some((u, d)) = ws.pop() {
                    for arc in graph.out_arcs(u) {
                        ws.relax(arc.head, d + arc.weight);
                    }
                }
                targets
                    .iter()
                    .zip(&arrivals)
                    .map(|(target, arrive)| {
                        let Some(target) = target else { return UNREACHABLE };
                        let via_graph = arrive
                            .iter()
                            .filter(|(v, _)| ws.dist[*v as usize] != UNREACHABLE)
                            .map(|(v, w)| ws.dist[*v as usize] + w)
                            .min()
                            .unwrap_or(UNREACHABLE);
                        via_graph.min(graph.along(source, target))
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect()
}
