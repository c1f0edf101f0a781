//! A contraction hierarchy with bucket many-to-many queries.
//!
//! Written here rather than taken from `fast_paths` because the matrix
//! needs what that crate does not expose: bucket many-to-many over the
//! upward and downward graphs, start and end points in the middle of road
//! segments (several seed nodes each, with their own weights), and packed
//! (time, distance) weights so that distances come with times without
//! unpacking shortcuts. It contracts the turn graph ([`crate::turns`]),
//! whose nodes are directed segments, so turn costs and restrictions are
//! in every shortcut.
//!
//! Preprocessing sets the chains of the turn graph aside (a directed
//! segment with one turn in and one out: nine in ten nodes of a rural
//! network), leaving one arc that bypasses each chain, then contracts the
//! core ([`Order`]): a small one in order of edge difference plus deleted
//! neighbours, with lazy priority updates and a bounded witness search; a
//! large one in a nested-dissection order without witness searches
//! (`dissection`), because on a grid-like network the greedy order ends in
//! a dense top that costs more than all the rest. Chain nodes are not in
//! the hierarchy at all: a query walks from a point's chain to the core
//! along the turn graph (forward) or a predecessor array (backward), and a
//! target on the source's own chain ahead is reached on the walk. That
//! keeps the hierarchy's arrays at the core's size, a tenth of the graph.
//! Queries run an upward search from every target into per-node buckets,
//! then an upward search from every source that scans the buckets; both
//! stall on demand, and both run in parallel with rayon.

use super::dissection::Contracted;
use super::graph::{RoadGraph, Snap};
use super::search::Workspace;
use super::turns::TurnGraph;
use super::weight::{Arc, UNREACHABLE, Weight, ceiling, csr_listed};
use crate::progress::Meter;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Nodes a witness search may settle before giving up (a missing witness
/// only adds a superfluous shortcut, never a wrong distance). The greedy
/// order now only serves cores below [`DISSECTION_FROM`] nodes, where short
/// searches pay: on Malta's core (62,000 nodes) 20 contracts in 0.41 s
/// against 0.74 s at 100, and its 1,000 × 1,000 table takes 0.024 s
/// against 0.022 s; at 10 the table slows to 0.034 s.
const WITNESS_LIMIT: usize = 20;

/// Compressed upward graphs of the contracted core of a turn graph, and
/// the way from a chain node to the core.
pub struct Hierarchy {
    /// The core's nodes in the turn graph's numbering, ascending: the
    /// hierarchy's node `i` is `core[i]`.
    core: Vec<u32>,
    /// Per turn-graph node on a chain: the node its one turn in comes
    /// from ([`NONE`] in the core).
    pred: Vec<u32>,
    /// For each core node, arcs to higher-ranked nodes (forward searches).
    up_first: Vec<u32>,
    up: Vec<Arc>,
    /// For each node `v`, arcs `u → v` from higher-ranked `u`, stored as
    /// `(u, w)` (backward searches).
    down_first: Vec<u32>,
    down: Vec<Arc>,
    /// Shortcut arcs added by the contraction.
    pub shortcuts: usize,
}

fn slice<'a>(first: &[u32], arcs: &'a [Arc], v: u32) -> &'a [Arc] {
    &arcs[first[v as usize] as usize..first[v as usize + 1] as usize]
}

/// The graph during contraction: adjacency among uncontracted nodes.
struct Contractor {
    out: Vec<Vec<(u32, Weight)>>,
    inn: Vec<Vec<(u32, Weight)>>,
    deleted_neighbours: Vec<i64>,
    witness: Workspace,
}

impl Contractor {
    /// The core graph of `nodes` nodes with `arcs` `(from, to, weight)`,
    /// parallel arcs merged. Lists are sized exactly: millions of small
    /// vectors at their default growth would hold several times the arcs.
    fn new(nodes: usize, arcs: impl Iterator<Item = (u32, u32, Weight)> + Clone) -> Contractor {
        let (mut out_degree, mut in_degree) = (vec![0u32; nodes], vec![0u32; nodes]);
        for (u, x, _) in arcs.clone() {
            out_degree[u as usize] += 1;
            in_degree[x as usize] += 1;
        }
        let mut c = Contractor {
            out: out_degree.iter().map(|&d| Vec::with_capacity(d as usize)).collect(),
            inn: in_degree.iter().map(|&d| Vec::with_capacity(d as usize)).collect(),
            deleted_neighbours: vec![0; nodes],
            witness: Workspace::new(nodes),
        };
        for (u, x, w) in arcs {
            c.add_arc(u, x, w);
        }
        c
    }

    /// Removes `v` from the graph, adding the shortcuts that bypass it.
    fn contract(&mut self, v: u32, shortcuts: Vec<(u32, u32, Weight)>) {
        for (u, x, w) in shortcuts {
            self.add_arc(u, x, w);
        }
        for (x, _) in std::mem::take(&mut self.out[v as usize]) {
            self.inn[x as usize].retain(|(y, _)| *y != v);
            self.deleted_neighbours[x as usize] += 1;
        }
        for (u, _) in std::mem::take(&mut self.inn[v as usize]) {
            self.out[u as usize].retain(|(y, _)| *y != v);
            self.deleted_neighbours[u as usize] += 1;
        }
    }

    /// Shortcuts needed to contract `v`: `(from, to, weight)`.
    fn shortcuts(&mut self, v: u32) -> Vec<(u32, u32, Weight)> {
        let Contractor { out, inn, witness, .. } = self;
        let mut needed = Vec::new();
        let outs = &out[v as usize];
        for &(u, w1) in &inn[v as usize] {
            let Some(limit) = outs.iter().filter(|(x, _)| *x != u).map(|(_, w2)| w1 + w2).max() else {
                continue;
            };
            witness.start(&[(u, 0)]);
            let mut settled = 0;
            while let Some((a, d)) = witness.pop() {
                if d > limit || settled >= WITNESS_LIMIT {
                    break;
                }
                settled += 1;
                for &(b, w) in &out[a as usize] {
                    if b != v {
                        witness.relax(b, d + w);
                    }
                }
            }
            for &(x, w2) in outs {
                if x != u && witness.dist[x as usize] > w1 + w2 {
                    needed.push((u, x, w1 + w2));
                }
            }
        }
        needed
    }

    fn priority(&self, v: u32, shortcuts: usize) -> i64 {
        let degree = (self.out[v as usize].len() + self.inn[v as usize].len()) as i64;
        2 * shortcuts as i64 - degree + self.deleted_neighbours[v as usize]
    }

    fn add_arc(&mut self, u: u32, x: u32, w: Weight) {
        upsert(&mut self.out[u as usize], x, w);
        upsert(&mut self.inn[x as usize], u, w);
    }
}

fn upsert(list: &mut Vec<(u32, Weight)>, head: u32, w: Weight) {
    match list.iter_mut().find(|(h, _)| *h == head) {
        Some(entry) => entry.1 = entry.1.min(w),
        None => list.push((head, w)),
    }
}

/// No node: a core node has no chain predecessor.
const NONE: u32 = u32::MAX;

/// The turn graph split for contraction: the nodes on chains (one turn
/// in, one turn out: most directed segments between junctions) and the
/// core left, where each chain is bypassed by one arc. Chain nodes stay out
/// of the hierarchy: a query walks its chain to the core instead, forward
/// by the turn graph's one arc out, backward by `pred`.
struct Chains {
    /// Per node: on a chain, the node its one turn in comes from; in the
    /// core, [`NONE`].
    pred: Vec<u32>,
    /// Core arcs bypassing each chain, from the node it leaves to the node
    /// it reaches.
    bypasses: Vec<(u32, Arc)>,
}

impl Chains {
    fn find(turns: &TurnGraph) -> Chains {
        let n = turns.node_count();
        let outs = |v: u32| turns.out_arcs(v).iter().filter(move |a| a.head != v);
        let mut in_degree = vec![0u32; n];
        for v in 0..n as u32 {
            for a in outs(v) {
                in_degree[a.head as usize] += 1;
            }
        }
        let on_chain: Vec<bool> = (0..n as u32)
            .map(|v| in_degree[v as usize] == 1 && outs(v).count() == 1)
            .collect();
        drop(in_degree);
        let mut pred = vec![NONE; n];
        let mut bypasses = Vec::new();
        for start in (0..n as u32).filter(|&v| !on_chain[v as usize]) {
            for first in outs(start).filter(|a| on_chain[a.head as usize]) {
                // A chain node has one way in: this walk is the only one to
                // reach it, and it cannot come back to a node it passed.
                let (mut v, mut reached) = (first.head, first.weight);
                pred[v as usize] = start;
                loop {
                    let next = *outs(v).next().expect("a chain node has one way out");
                    reached += next.weight;
                    if !on_chain[next.head as usize] {
                        if next.head != start {
                            bypasses.push((
                                start,
                                Arc {
                                    head: next.head,
                                    weight: reached,
                                },
                            ));
                        }
                        break;
                    }
                    pred[next.head as usize] = v;
                    v = next.head;
                }
            }
        }
        // A ring of chain nodes reached from no junction keeps no
        // predecessor: it stays in the core.
        Chains { pred, bypasses }
    }
}

/// Contracts the core by least priority, lazily updated.
fn greedy(mut c: Contractor, progress: &dyn Meter) -> Contracted {
    let m = c.out.len();
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = (0..m as u32)
        .map(|v| {
            let s = c.shortcuts(v).len();
            Reverse((c.priority(v, s), v))
        })
        .collect();
    progress.set_length(m as u64);
    let (mut up, mut down, mut shortcuts) = (Vec::new(), Vec::new(), 0);
    let mut done = 0u64;
    while let Some(Reverse((_, v))) = heap.pop() {
        let needed = c.shortcuts(v);
        let priority = c.priority(v, needed.len());
        if heap.peek().is_some_and(|Reverse((top, _))| priority > *top) {
            heap.push(Reverse((priority, v)));
            continue;
        }
        let arc = |&(head, weight): &(u32, Weight)| (v, Arc { head, weight });
        up.extend(c.out[v as usize].iter().map(arc));
        down.extend(c.inn[v as usize].iter().map(arc));
        shortcuts += needed.len();
        c.contract(v, needed);
        done += 1;
        if done.is_multiple_of(4096) {
            progress.set_position(done);
        }
    }
    Contracted::Listed { up, down, shortcuts }
}

/// One direction's arrays of the hierarchy over the core's `n` nodes;
/// the contraction's lists for that direction are freed once placed.
fn arrays(n: usize, core: &mut Contracted, upward: bool) -> (Vec<u32>, Vec<Arc>) {
    let arrays = csr_listed(n, |_, emit| core.each(upward, emit));
    core.release(upward);
    arrays
}

/// Planar position (metres) of the middle of turn-graph node `x`'s segment.
fn middle(graph: &RoadGraph, x: u32) -> [f64; 2] {
    let segment = &graph.segments[graph.turns.segment(x).0 as usize];
    let (a, b) = (graph.planar(segment.a), graph.planar(segment.b));
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
}

/// How the core (what is left once the chains are contracted) is ordered
/// and contracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// [`Order::Greedy`] for a core below `DISSECTION_FROM` nodes,
    /// [`Order::Dissection`] from there on.
    Auto,
    /// Least edge difference first, with witness searches: fewer arcs and
    /// queries 5× faster, but on a large grid-like core its dense top
    /// costs more than all the rest.
    Greedy,
    /// Nested dissection, without witness searches (`dissection`).
    Dissection,
}

/// Core nodes from which [`Order::Auto`] dissects. Measured (PBF to a
/// 1,000 × 1,000 matrix, 2 cores): Malta's core (about 40,000 nodes)
/// contracts in 1.6 s greedily and 0.5 s by dissection, but its queries take
/// 0.06 s against 0.29 s; the synthetic département's (169,000) takes
/// 50 s greedily against 3.9 s, its queries 0.7 s against 1.2 s.
pub const DISSECTION_FROM: usize = 100_000;

impl Hierarchy {
    /// Contracts every node of `graph`'s turn graph: the chains first, then
    /// the core in the order [`Order::Auto`] picks.
    pub fn build(graph: &RoadGraph, progress: &dyn Meter) -> Hierarchy {
        Hierarchy::build_ordered(graph, Order::Auto, progress)
    }

    /// [`Hierarchy::build`] with the core contracted in a given order (the
    /// answers are the same; tests and benchmarks compare the orders).
    pub fn build_ordered(graph: &RoadGraph, order: Order, progress: &dyn Meter) -> Hierarchy {
        let turns = &graph.turns;
        let n = turns.node_count();
        let Chains { pred, bypasses } = Chains::find(turns);
        let core: Vec<u32> = (0..n as u32).filter(|&v| pred[v as usize] == NONE).collect();
        let mut local = vec![NONE; n];
        for (i, &v) in core.iter().enumerate() {
            local[v as usize] = i as u32;
        }
        let mut shortcuts = bypasses.len();
        if std::env::var_os("MEMTRACE").is_some() {
            eprintln!("core {} of {n}, bypasses {}", core.len(), bypasses.len());
        }
        let core_arcs = core
            .iter()
            .flat_map(|&v| turns.out_arcs(v).iter().map(move |a| (v, *a)))
            .chain(bypasses)
            .filter(|(v, a)| local[a.head as usize] != NONE && a.head != *v)
            .map(|(v, a)| (local[v as usize], local[a.head as usize], a.weight));
        let dissect = match order {
            Order::Auto => core.len() >= DISSECTION_FROM,
            Order::Greedy => false,
            Order::Dissection => true,
        };
        let mut contracted = if dissect {
            let arcs: Vec<(u32, u32, Weight)> = core_arcs.collect();
            drop(local);
            let xy: Vec<[f64; 2]> = core.iter().map(|&v| middle(graph, v)).collect();
            super::dissection::contract(xy, arcs)
        } else {
            let c = Contractor::new(core.len(), core_arcs);
            drop(local);
            greedy(c, progress)
        };
        progress.finish();
        shortcuts += contracted.shortcuts();
        let (up_first, up) = arrays(core.len(), &mut contracted, true);
        let (down_first, down) = arrays(core.len(), &mut contracted, false);
        Hierarchy {
            core,
            pred,
            up_first,
            up,
            down_first,
            down,
            shortcuts,
        }
    }

    /// The core node a search from the end of turn-graph node `x` (reached
    /// at `w`) enters the hierarchy by, and the weight there: along `x`'s
    /// chain to its end, if it is on one. `passed` gets each chain node on
    /// the way with the weight at its end: a target on the same chain ahead
    /// is reached there, not through the core.
    fn enter_forward(
        &self,
        turns: &TurnGraph,
        (mut x, mut w): (u32, Weight),
        passed: &mut Vec<(u32, Weight)>,
    ) -> (u32, Weight) {
        while self.pred[x as usize] != NONE {
            passed.push((x, w));
            let next = turns
                .out_arcs(x)
                .iter()
                .find(|a| a.head != x)
                .expect("a chain node has one turn out");
            (x, w) = (next.head, w + next.weight);
        }
        (self.local(x), w)
    }

    /// The core node a backward search from turn-graph node `y` (seeded at
    /// `w`) enters the hierarchy by: back along `y`'s chain to the node it
    /// leaves, each turn's weight added.
    fn enter_backward(&self, turns: &TurnGraph, (mut y, mut w): (u32, Weight)) -> (u32, Weight) {
        loop {
            let p = self.pred[y as usize];
            if p == NONE {
                break;
            }
            let turn = turns
                .out_arcs(p)
                .iter()
                .find(|a| a.head == y)
                .expect("a chain node's one turn in");
            (y, w) = (p, w + turn.weight);
        }
        (self.local(y), w)
    }

    /// The hierarchy's number for core node `x`.
    fn local(&self, x: u32) -> u32 {
        self.core.binary_search(&x).expect("a core node") as u32
    }

    /// An upward search from `seeds` over `arcs`, stalling on demand with
    /// the opposite direction's arcs; calls `visit` on each settled,
    /// unstalled node.
    fn upward(&self, ws: &mut Workspace, seeds: &[(u32, Weight)], forward: bool, mut visit: impl FnMut(u32, Weight)) {
        let (first, arcs, stall_first, stall_arcs) = if forward {
            (&self.up_first, &self.up, &self.down_first, &self.down)
        } else {
            (&self.down_first, &self.down, &self.up_first, &self.up)
        };
        ws.start(seeds);
        while let Some((u, d)) = ws.pop() {
            let stalled = slice(stall_first, stall_arcs, u)
                .iter()
                .any(|a| ws.dist[a.head as usize] != UNREACHABLE && ws.dist[a.head as usize] + a.weight < d);
            if stalled {
                continue;
            }
            visit(u, d);
            for a in slice(first, arcs, u) {
                ws.relax(a.head, d + a.weight);
            }
        }
    }

    /// Row-major `sources × targets` weights between snapped points.
    pub fn matrix(&self, graph: &RoadGraph, sources: &[Option<Snap>], targets: &[Option<Snap>]) -> Vec<Weight> {
        self.matrix_with_progress(graph, sources, targets, &())
    }

    /// [`Hierarchy::matrix`], advancing `progress` by one per source row.
    pub fn matrix_with_progress(
        &self,
        graph: &RoadGraph,
        sources: &[Option<Snap>],
        targets: &[Option<Snap>],
        progress: &dyn Meter,
    ) -> Vec<Weight> {
        let n = self.up_first.len() - 1;
        progress.set_length(sources.len() as u64);
        // A target's arrival nodes take off different weights; weights are
        // unsigned, so each is seeded at `ceiling - offset` and the ceiling
        // taken off the sum at the end.
        let turns = &graph.turns;
        let arrivals: Vec<Vec<(u32, Weight)>> = targets
            .iter()
            .map(|t| t.as_ref().map_or_else(Vec::new, |t| graph.arrivals(t)))
            .collect();
        let ceilings: Vec<Weight> = arrivals.iter().map(|a| ceiling(a)).collect();
        let spaces: Vec<Vec<(u32, Weight)>> = arrivals
            .par_iter()
            .zip(&ceilings)
            .map_init(
                || Workspace::new(n),
                |ws, (arrivals, &top)| {
                    let mut space = Vec::new();
                    let seeds: Vec<(u32, Weight)> = arrivals
                        .iter()
                        .map(|&(y, off)| self.enter_backward(turns, (y, top - off)))
                        .collect();
                    self.upward(ws, &seeds, false, |v, d| space.push((v, d)));
                    space
                },
            )
            .collect();
        let (bucket_first, buckets) = buckets(n, &spaces);
        let matrix = sources
            .par_iter()
            .map_init(
                || (Workspace::new(n), Vec::new()),
                |(ws, passed), source| {
                    let mut row = vec![UNREACHABLE; targets.len()];
                    let Some(s) = source else { return row };
                    passed.clear();
                    let seeds: Vec<(u32, Weight)> = graph
                        .departures(s)
                        .into_iter()
                        .map(|seed| self.enter_forward(turns, seed, passed))
                        .collect();
                    passed.sort_unstable();
                    self.upward(ws, &seeds, true, |u, d| {
                        let range = bucket_first[u as usize] as usize..bucket_first[u as usize + 1] as usize;
                        for &(t, dt) in &buckets[range] {
                            let cell = &mut row[t as usize];
                            *cell = (*cell).min(d + dt);
                        }
                    });
                    for (((cell, target), top), arrivals) in row.iter_mut().zip(targets).zip(&ceilings).zip(&arrivals) {
                        *cell = (*cell).min(along_chain(passed, arrivals, *top));
                        if *cell != UNREACHABLE {
                            *cell -= top;
                        }
                        if let Some(t) = target {
                            *cell = (*cell).min(graph.along(s, t));
                        }
                    }
                    progress.inc(1);
                    row
                },
            )
            .flatten()
            .collect();
        progress.finish();
        matrix
    }
}

/// The best weight (plus `top`, as the buckets hold it) to a target whose
/// arrival nodes are `arrivals`, by the chain nodes a source `passed` on
/// its way to the core (sorted by node, then weight).
fn along_chain(passed: &[(u32, Weight)], arrivals: &[(u32, Weight)], top: Weight) -> Weight {
    arrivals
        .iter()
        .filter_map(|&(y, off)| {
            let i = passed.partition_point(|&(x, _)| x < y);
            passed.get(i).filter(|(x, _)| *x == y).map(|&(_, w)| w + (top - off))
        })
        .min()
        .unwrap_or(UNREACHABLE)
}

/// Groups the targets' search spaces by node: `(target, distance)` lists.
fn buckets(n: usize, spaces: &[Vec<(u32, Weight)>]) -> (Vec<u32>, Vec<(u32, Weight)>) {
    let mut first = vec![0u32; n + 1];
    for space in spaces {
        for (v, _) in space {
            first[*v as usize + 1] += 1;
        }
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut entries = vec![(0u32, 0 as Weight); first[n] as usize];
    for (t, space) in spaces.iter().enumerate() {
        for &(v, d) in space {
            entries[fill[v as usize] as usize] = (t as u32, d);
            fill[v as usize] += 1;
        }
    }
    (first, entries)
}
