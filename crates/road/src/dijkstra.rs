//! Plain Dijkstra over the turn graph between snapped points: the exact
//! reference the contraction hierarchy is tested against, and the route
//! lines drawn on maps.

use super::graph::{RoadGraph, Snap};
use super::search::Workspace;
use super::weight::{UNREACHABLE, Weight, ceiling};
use rayon::prelude::*;

/// The weight of the best arrival at a target after a search: each
/// arrival node's distance less the part of its segment beyond the point.
fn arrive(ws: &Workspace, arrivals: &[(u32, Weight)]) -> Weight {
    arrivals
        .iter()
        .filter(|(x, _)| ws.dist[*x as usize] != UNREACHABLE)
        .map(|(x, off)| ws.dist[*x as usize] - off)
        .min()
        .unwrap_or(UNREACHABLE)
}

/// Row-major `sources × targets` weights; `UNREACHABLE` where no path or
/// no snap.
pub fn matrix(graph: &RoadGraph, sources: &[Option<Snap>], targets: &[Option<Snap>]) -> Vec<Weight> {
    let arrivals: Vec<Vec<(u32, Weight)>> = targets
        .iter()
        .map(|t| t.as_ref().map_or_else(Vec::new, |s| graph.arrivals(s)))
        .collect();
    sources
        .par_iter()
        .map_init(
            || Workspace::new(graph.turns.node_count()),
            |ws, source| {
                let Some(source) = source else {
                    return vec![UNREACHABLE; targets.len()];
                };
                ws.start(&graph.departures(source));
                while let Some((u, d)) = ws.pop() {
                    for arc in graph.turns.out_arcs(u) {
                        ws.relax(arc.head, d + arc.weight);
                    }
                }
                targets
                    .iter()
                    .zip(&arrivals)
                    .map(|(target, arrivals)| {
                        let Some(target) = target else { return UNREACHABLE };
                        arrive(ws, arrivals).min(graph.along(source, target))
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect()
}

/// The road geometry from one snapped point to another, as (lat, lon)
/// points: the point, the start of every segment driven, the point.
/// `None` if unreachable.
pub fn path(graph: &RoadGraph, from: &Snap, to: &Snap) -> Option<Vec<(f64, f64)>> {
    let along = graph.along(from, to);
    let turns = &graph.turns;
    let mut ws = Workspace::new(turns.node_count());
    let mut parent = vec![u32::MAX; turns.node_count()];
    let arrivals = graph.arrivals(to);
    let top = ceiling(&arrivals);
    // Once the search frontier is past the best arrival found (by more than
    // an arrival can take off), nothing nearer can appear: stop, so that a
    // short leg explores a small area.
    let mut best = (UNREACHABLE, u32::MAX);
    ws.start(&graph.departures(from));
    while let Some((u, d)) = ws.pop() {
        if best.0 != UNREACHABLE && d >= best.0 + top {
            break;
        }
        for (x, off) in &arrivals {
            if *x == u {
                best = best.min((d - off, u));
            }
        }
        for arc in turns.out_arcs(u) {
            if d + arc.weight < ws.dist[arc.head as usize] {
                parent[arc.head as usize] = u;
            }
            ws.relax(arc.head, d + arc.weight);
        }
    }
    let point = |s: &Snap| {
        let seg = graph.segments[s.segment as usize];
        let (a, b) = (
            graph.coords[seg.a as usize].lat_lon(),
            graph.coords[seg.b as usize].lat_lon(),
        );
        (a.0 + s.t * (b.0 - a.0), a.1 + s.t * (b.1 - a.1))
    };
    if along <= best.0 && along != UNREACHABLE {
        return Some(vec![point(from), point(to)]);
    }
    if best.0 == UNREACHABLE {
        return None;
    }
    let mut nodes = vec![best.1];
    while let Some(&last) = nodes.last() {
        let p = parent[last as usize];
        if p == u32::MAX {
            break;
        }
        nodes.push(p);
    }
    nodes.reverse();
    let tail = |x: u32| {
        let (s, forward) = turns.segment(x);
        let seg = graph.segments[s as usize];
        graph.coords[if forward { seg.a } else { seg.b } as usize].lat_lon()
    };
    let mut line = vec![point(from)];
    line.extend(nodes.iter().map(|&x| tail(x)));
    line.push(point(to));
    Some(line)
}
