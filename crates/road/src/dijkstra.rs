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

/// The road geometry from one snapped point to another, as (lat, lon)
/// points: the partial segment out of `from`, the shortest path between
/// graph nodes, and the partial segment into `to`. `None` if unreachable.
pub fn path(graph: &RoadGraph, from: &Snap, to: &Snap) -> Option<Vec<(f64, f64)>> {
    let along = graph.along(from, to);
    let mut ws = Workspace::new(graph.node_count());
    let mut parent = vec![u32::MAX; graph.node_count()];
    let targets = graph.arrive(to);
    // Once the search frontier is past the best arrival found, nothing
    // nearer can appear: stop, so that a short leg explores a small area.
    let mut best = UNREACHABLE;
    ws.start(&graph.leave(from));
    while let Some((u, d)) = ws.pop() {
        if d >= best {
            break;
        }
        for (v, w) in &targets {
            if *v == u {
                best = best.min(d + w);
            }
        }
        for arc in graph.out_arcs(u) {
            if d + arc.weight < ws.dist[arc.head as usize] {
                parent[arc.head as usize] = u;
            }
            ws.relax(arc.head, d + arc.weight);
        }
    }
    let (end, via_graph) = targets
        .into_iter()
        .filter(|(v, _)| ws.dist[*v as usize] != UNREACHABLE)
        .map(|(v, w)| (v, ws.dist[v as usize] + w))
        .min_by_key(|(_, w)| *w)
        .map_or((u32::MAX, UNREACHABLE), |x| x);
    let point = |s: &Snap| {
        let seg = graph.segments[s.segment as usize];
        let (a, b) = (graph.coords[seg.a as usize], graph.coords[seg.b as usize]);
        (a.0 + s.t * (b.0 - a.0), a.1 + s.t * (b.1 - a.1))
    };
    if along <= via_graph && along != UNREACHABLE {
        return Some(vec![point(from), point(to)]);
    }
    if via_graph == UNREACHABLE {
        return None;
    }
    let mut nodes = vec![end];
    while let Some(&last) = nodes.last() {
        let p = parent[last as usize];
        if p == u32::MAX {
            break;
        }
        nodes.push(p);
    }
    nodes.reverse();
    let mut line = vec![point(from)];
    line.extend(nodes.iter().map(|&v| graph.coords[v as usize]));
    line.push(point(to));
    Some(line)
}
