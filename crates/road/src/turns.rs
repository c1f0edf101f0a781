//! The turn graph: the road graph expanded so that turns have a price.
//!
//! OSRM routes cars on an edge-based graph, and so does this crate: a node
//! here is a *directed road segment* (a direction of a [`Segment`] that is
//! open), and an arc `e → f` is the turn from segment `e` onto segment `f`
//! at the node they share. The arc's weight is the turn's cost plus the
//! whole of `f`, so the distance of a node is the cost of arriving at the
//! end of its segment. That is what lets a turn cost depend on where the
//! car came from:
//!
//! - **turn angle**: OSRM's car profile sigmoid (`turn_penalty_s`, biased
//!   by `turn_bias` towards the side traffic keeps to), plus
//!   `oncoming_turn_penalty_s` for a turn across oncoming traffic outside
//!   roundabouts, at junctions of three roads or more;
//! - **u-turns**, allowed only where the road ends, at `u_turn_penalty_s`;
//! - **barriers** cars cannot pass (bollards…): the only turn there is back,
//!   so a point beside one is still reached from its own side;
//! - **signals, stop and give-way signs, gates**, with their `direction`;
//! - **turn restrictions**: `no_*` and `only_*`, via a node or via ways.
//!   A restriction via ways (from `F` along `W` onto `T`) cannot be said
//!   with single turns: the segments of `W` are copied, the turn from `F`
//!   leads onto the copies, and only the last copy loses (or keeps only)
//!   the turn onto `T`. A car that joined `W` elsewhere is not bound.
//!
//! Only the largest strongly connected part of the expanded graph is kept
//! (a segment left only by a forbidden turn would otherwise be a trap), and
//! the directions of segments outside it are closed for snapping.

use super::osm::{Position, RawNetwork, RawRestriction, Via};
use super::profile::{CarProfile, Facing};
use super::weight::{Arc, Segment, UNREACHABLE, Weight, csr_listed, pack, scale};
use std::collections::{HashMap, HashSet};

/// No node (a closed or dropped direction).
const NONE: u32 = u32::MAX;

/// How far along a road its direction at a junction is read, metres: the
/// first few metres of a mapped road are often a kink, not its heading.
const LOOKAHEAD_M: f64 = 10.0;

/// Whether directed segment `2s + direction` runs forward, from `a` to `b`.
fn forward(d: u32) -> bool {
    d & 1 == 0
}

/// The expanded graph, with the map between its nodes and road segments.
#[derive(PartialEq)]
pub struct TurnGraph {
    /// Per node, `segment * 2 + direction` (a copy maps to its original).
    /// The directed segments come first, in ascending order, so a segment's
    /// node is found by binary search rather than kept in a second array.
    segment_of: Vec<u32>,
    /// How many nodes are directed segments (the copies follow).
    directed: usize,
    first_out: Vec<u32>,
    arcs: Vec<Arc>,
    /// Copies of a node made for restrictions via ways: a car may also
    /// arrive on the segment as one of these.
    copies: HashMap<u32, Vec<u32>>,
    /// How many turn restrictions were applied, and how many could not be
    /// (members missing from the extract, or not meeting).
    pub restrictions: RestrictionCount,
}

/// Turn restrictions applied and left aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestrictionCount {
    /// Restrictions that now shape the graph.
    pub applied: usize,
    /// Restrictions whose ways or node are not in the graph, or do not meet.
    pub ignored: usize,
}

impl TurnGraph {
    /// Expands `segments` (of the node graph whose node `v` is the raw node
    /// at `origin[v]`), closing the directions left out of the largest
    /// strongly connected part.
    pub fn build(
        raw: &RawNetwork,
        profile: &CarProfile,
        coords: &[Position],
        origin: &[u32],
        segments: &mut [Segment],
    ) -> TurnGraph {
        let junctions = Junctions::new(coords, segments);
        let mut node_at = vec![NONE; raw.nodes.len()];
        for (v, &pos) in origin.iter().enumerate() {
            node_at[pos as usize] = v as u32;
        }
        let node_at = |id: i64| raw.node_index(id).map(|p| node_at[p]).filter(|v| *v != NONE);
        let pricing = Pricing::new(raw, profile, &node_at);
        let mut count = RestrictionCount::default();
        let rules = TurnRules::new(raw, &junctions, &node_at, &mut count);
        let expanded = Expanded::new(2 * segments.len(), &junctions, &pricing, &rules);
        let expanded = expanded.with_via_ways(raw, &junctions, &mut count);
        expanded.strongly_connected(segments, count)
    }

    /// Nodes of the graph (directed segments, and their copies).
    pub fn node_count(&self) -> usize {
        self.segment_of.len()
    }

    /// The turns out of node `x`.
    pub fn out_arcs(&self, x: u32) -> &[Arc] {
        &self.arcs[self.first_out[x as usize] as usize..self.first_out[x as usize + 1] as usize]
    }

    /// The segment of node `x` and whether it is driven forward (from `a`
    /// to `b`).
    pub fn segment(&self, x: u32) -> (u32, bool) {
        let s = self.segment_of[x as usize];
        (s / 2, forward(s))
    }

    /// The node of each open direction of segment `s`, with the cost of the
    /// part of it beyond position `t` in that direction.
    pub fn on_segment(&self, segment: &Segment, s: u32, t: f64) -> impl Iterator<Item = (u32, Weight)> + '_ {
        let node = |d: u32| {
            self.segment_of[..self.directed]
                .binary_search(&d)
                .map_or(NONE, |x| x as u32)
        };
        let (forward, backward) = (node(2 * s), node(2 * s + 1));
        let parts = [
            (forward, scale(segment.forward, 1.0 - t)),
            (backward, scale(segment.backward, t)),
        ];
        parts.into_iter().filter(|(x, _)| *x != NONE)
    }

    /// Node `x` and the copies of it, all of which end on its segment.
    pub fn with_copies(&self, x: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(x).chain(self.copies.get(&x).into_iter().flatten().copied())
    }
}

/// Which segments meet at each node, read off the segment list.
struct Junctions<'a> {
    coords: &'a [Position],
    segments: &'a [Segment],
    first: Vec<u32>,
    incident: Vec<u32>,
}

impl<'a> Junctions<'a> {
    fn new(coords: &'a [Position], segments: &'a [Segment]) -> Junctions<'a> {
        let (first, incident) = csr_listed(coords.len(), |_, emit| {
            for (s, seg) in segments.iter().enumerate() {
                emit(seg.a, s as u32);
                emit(seg.b, s as u32);
            }
        });
        Junctions {
            coords,
            segments,
            first,
            incident,
        }
    }

    /// Segments touching node `v`.
    fn incident(&self, v: u32) -> &[u32] {
        &self.incident[self.first[v as usize] as usize..self.first[v as usize + 1] as usize]
    }

    /// Directed segments (`2s + direction`) leaving `v`.
    fn leaving(&self, v: u32) -> impl Iterator<Item = u32> + '_ {
        self.directed_at(v, true)
    }

    /// Directed segments entering `v`.
    fn entering(&self, v: u32) -> impl Iterator<Item = u32> + '_ {
        self.directed_at(v, false)
    }

    /// The open directions of the segments at `v` that leave it (or enter
    /// it): forward where `v` is the segment's start (end), backward where
    /// it is its end (start).
    fn directed_at(&self, v: u32, leaving: bool) -> impl Iterator<Item = u32> + '_ {
        self.incident(v).iter().flat_map(move |&s| {
            let seg = &self.segments[s as usize];
            let (start, end) = if leaving { (seg.a, seg.b) } else { (seg.b, seg.a) };
            let forward = (start == v && seg.forward != UNREACHABLE).then_some(2 * s);
            let backward = (end == v && seg.backward != UNREACHABLE).then_some(2 * s + 1);
            forward.or(backward)
        })
    }

    /// Directed segments of way `way` entering `v`.
    fn entering_on(&self, v: u32, way: u32) -> Vec<u32> {
        self.entering(v).filter(|&d| self.way(d) == way).collect()
    }

    /// Directed segments of way `way` leaving `v`.
    fn leaving_on(&self, v: u32, way: u32) -> Vec<u32> {
        self.leaving(v).filter(|&d| self.way(d) == way).collect()
    }

    /// The weight of a directed segment.
    fn weight(&self, d: u32) -> Weight {
        let seg = &self.segments[(d / 2) as usize];
        if forward(d) { seg.forward } else { seg.backward }
    }

    /// The way a directed segment belongs to.
    fn way(&self, d: u32) -> u32 {
        self.segments[(d / 2) as usize].way
    }

    /// The end of segment `s` that is not `v`.
    fn other_end(&self, s: u32, v: u32) -> u32 {
        let seg = &self.segments[s as usize];
        if seg.a == v { seg.b } else { seg.a }
    }

    /// A point along segment `s` away from `v`, [`LOOKAHEAD_M`] on where
    /// the road goes on without a junction: the road's heading at `v`.
    fn heading_point(&self, v: u32, s: u32) -> (f64, f64) {
        let start = self.coords[v as usize].lat_lon();
        let (mut segment, mut at) = (s, self.other_end(s, v));
        for _ in 0..8 {
            if local_metres(start, self.coords[at as usize].lat_lon()).hypot() >= LOOKAHEAD_M || at == v {
                break;
            }
            let &[x, y] = self.incident(at) else { break };
            segment = if x == segment { y } else { x };
            at = self.other_end(segment, at);
        }
        self.coords[at as usize].lat_lon()
    }

    /// Every allowed turn, as `(from node, arc)` over provisional node ids
    /// `2s + direction`, each node's turns listed together; `priced` false
    /// lists them with a weight of 0, without measuring angles (to count
    /// them).
    fn expand(&self, pricing: &Pricing, rules: &TurnRules, priced: bool, emit: &mut dyn FnMut(u32, Arc)) {
        let (mut ins, mut outs, mut headings) = (Vec::new(), Vec::new(), Vec::new());
        for v in 0..self.coords.len() as u32 {
            ins.clear();
            ins.extend(self.entering(v));
            outs.clear();
            outs.extend(self.leaving(v));
            let roads = self.incident(v).len();
            let blocked = pricing.barriers.contains(&v);
            let here = self.coords[v as usize].lat_lon();
            headings.clear();
            if priced {
                headings.extend(outs.iter().map(|&f| local_metres(here, self.heading_point(v, f / 2))));
            }
            for &e in &ins {
                let before = priced.then(|| local_metres(self.heading_point(v, e / 2), here));
                for (i, &f) in outs.iter().enumerate() {
                    let u_turn = e / 2 == f / 2;
                    let allowed = if u_turn { blocked || outs.len() == 1 } else { !blocked };
                    if !allowed || !rules.allows(e, f) {
                        continue;
                    }
                    let Some(before) = before else {
                        emit(e, Arc { head: f, weight: 0 });
                        continue;
                    };
                    let turn = Turn {
                        angle: if u_turn {
                            180.0
                        } else {
                            before.right_turn_degrees(headings[i])
                        },
                        roads,
                        u_turn,
                        roundabout: pricing.roundabout(self.way(e)) || pricing.roundabout(self.way(f)),
                    };
                    let seconds = pricing.turn_seconds(&turn) + pricing.delay(v, forward(e));
                    let weight = self.weight(f) + pack((seconds * 1000.0).round() as u64, 0);
                    emit(e, Arc { head: f, weight });
                }
            }
        }
    }

    /// The directed segments along the via ways of a restriction, from the
    /// node where `from` meets the first to the node where the last meets
    /// `to`; with the segments entering the chain from `from`, and those
    /// leaving it onto `to`. `None` if the ways do not form such a chain.
    fn via_chain(&self, from: u32, via: &[&[u32]], to: u32) -> Option<(Vec<u32>, Vec<u32>, Vec<u32>)> {
        let first = via.first()?;
        let (a, b) = (
            self.segments[*first.first()? as usize].a,
            self.segments[*first.last()? as usize].b,
        );
        let entry = [a, b]
            .into_iter()
            .find(|&j| self.entering(j).any(|d| self.way(d) == from))?;
        let mut at = entry;
        let mut chain = Vec::new();
        for &segments in via {
            let (start, end) = (
                self.segments[*segments.first()? as usize].a,
                self.segments[*segments.last()? as usize].b,
            );
            let along_way = at == start;
            if !along_way && at != end {
                return None;
            }
            let ordered: Vec<u32> = if along_way {
                segments.iter().map(|&s| 2 * s).collect()
            } else {
                segments.iter().rev().map(|&s| 2 * s + 1).collect()
            };
            for d in ordered {
                let seg = &self.segments[(d / 2) as usize];
                let (tail, head) = if forward(d) { (seg.a, seg.b) } else { (seg.b, seg.a) };
                if tail != at || self.weight(d) == UNREACHABLE {
                    return None;
                }
                chain.push(d);
                at = head;
            }
        }
        let (into, onto) = (self.entering_on(entry, from), self.leaving_on(at, to));
        (!into.is_empty() && !onto.is_empty()).then_some((into, chain, onto))
    }
}

/// A vector in local metres (east, north).
#[derive(Debug, Clone, Copy)]
struct Local {
    east: f64,
    north: f64,
}

impl Local {
    fn hypot(self) -> f64 {
        self.east.hypot(self.north)
    }

    /// The angle from this heading to `next`, degrees: 0 straight on,
    /// positive to the right, negative to the left (OSRM's convention).
    fn right_turn_degrees(self, next: Local) -> f64 {
        let cross = self.east * next.north - self.north * next.east;
        let dot = self.east * next.east + self.north * next.north;
        -cross.atan2(dot).to_degrees()
    }
}

/// The vector from `a` to `b`, (lat, lon) degrees, in local metres.
fn local_metres(a: (f64, f64), b: (f64, f64)) -> Local {
    let lat = ((a.0 + b.0) / 2.0).to_radians();
    Local {
        east: (b.1 - a.1) * 111_320.0 * lat.cos(),
        north: (b.0 - a.0) * 110_574.0,
    }
}

/// One turn as the profile prices it.
struct Turn {
    /// Degrees, positive to the right.
    angle: f64,
    /// Roads meeting at the node.
    roads: usize,
    u_turn: bool,
    /// Either leg is part of a roundabout.
    roundabout: bool,
}

/// What a turn and a node cost, from the profile and the extract.
struct Pricing<'p> {
    profile: &'p CarProfile,
    left_hand: bool,
    /// Seconds and facing of the obstacles, per graph node.
    delays: HashMap<u32, (f64, Facing)>,
    /// Graph nodes cars cannot pass.
    barriers: HashSet<u32>,
    /// Per raw way index, whether it is part of a roundabout.
    roundabouts: Vec<bool>,
}

impl<'p> Pricing<'p> {
    fn new(raw: &RawNetwork, profile: &'p CarProfile, node_at: &impl Fn(i64) -> Option<u32>) -> Pricing<'p> {
        let delays = raw
            .obstacles
            .iter()
            .filter_map(|o| Some((node_at(o.node)?, (o.seconds, o.facing))))
            .collect();
        Pricing {
            profile,
            barriers: raw.barriers.iter().filter_map(|&id| node_at(id)).collect(),
            left_hand: profile.left_hand_driving.unwrap_or_else(|| keeps_left(raw)),
            delays,
            roundabouts: raw.ways.iter().map(|w| w.rule.roundabout).collect(),
        }
    }

    fn roundabout(&self, way: u32) -> bool {
        self.roundabouts[way as usize]
    }

    /// Seconds a car entering node `v` forward (along its way) or backward
    /// loses to the node's signal, sign or gate.
    fn delay(&self, v: u32, forward: bool) -> f64 {
        match self.delays.get(&v) {
            Some((s, Facing::Both)) => *s,
            Some((s, Facing::Forward)) if forward => *s,
            Some((s, Facing::Backward)) if !forward => *s,
            _ => 0.0,
        }
    }

    /// OSRM's car profile (`process_turn`): a sigmoid of the angle, lighter
    /// for turns away from oncoming traffic, plus a tapered cost for
    /// crossing it and the u-turn penalty; nothing where a road merely
    /// bends (two roads meet) unless the car turns back.
    fn turn_seconds(&self, turn: &Turn) -> f64 {
        if turn.roads <= 2 && !turn.u_turn {
            return 0.0;
        }
        let p = self.profile;
        let bias = if self.left_hand { 1.0 / p.turn_bias } else { p.turn_bias };
        let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
        let a = turn.angle / 180.0;
        let mut seconds = if turn.angle >= 0.0 {
            p.turn_penalty_s * sigmoid(13.0 / bias * a - 6.5 * bias)
        } else {
            p.turn_penalty_s * sigmoid(-13.0 * bias * a - 6.5 / bias)
        };
        let crosses_oncoming = if self.left_hand {
            turn.angle > 0.0
        } else {
            turn.angle < 0.0
        };
        if crosses_oncoming && !turn.u_turn && turn.roads > 2 && !turn.roundabout {
            seconds += p.oncoming_turn_penalty_s * sigmoid(13.0 * a.abs() - 3.25);
        }
        if turn.u_turn {
            seconds += p.u_turn_penalty_s;
        }
        seconds
    }
}

/// Whether traffic keeps left in this extract: most of its closed
/// roundabouts turn clockwise (they turn anticlockwise where traffic keeps
/// right). Without any, right.
fn keeps_left(raw: &RawNetwork) -> bool {
    let (mut clockwise, mut anticlockwise) = (0usize, 0usize);
    for way in raw.ways.iter().filter(|w| w.rule.roundabout) {
        if way.nodes.len() < 4 || way.nodes.first() != way.nodes.last() {
            continue;
        }
        let points: Option<Vec<(f64, f64)>> = way
            .nodes
            .iter()
            .map(|&id| raw.node_index(id).map(|p| raw.nodes[p].lat_lon()))
            .collect();
        let Some(points) = points else { continue };
        let area: f64 = points.windows(2).map(|w| w[0].1 * w[1].0 - w[1].1 * w[0].0).sum();
        // The way's node order is its direction of travel (implied one-way).
        let forward = way.rule.forward_kmh.is_some();
        match (area > 0.0) == forward {
            true => anticlockwise += 1,
            false => clockwise += 1,
        }
    }
    clockwise > anticlockwise
}

/// Turn restrictions via a node, as the turns they forbid or the only
/// turns they allow, per directed segment entering the node.
#[derive(Default)]
struct TurnRules {
    banned: HashMap<u32, Vec<u32>>,
    only: HashMap<u32, Vec<u32>>,
}

impl TurnRules {
    fn new(
        raw: &RawNetwork,
        junctions: &Junctions,
        node_at: &impl Fn(i64) -> Option<u32>,
        count: &mut RestrictionCount,
    ) -> TurnRules {
        let mut rules = TurnRules::default();
        for r in &raw.restrictions {
            let Via::Node(via) = r.via else { continue };
            let resolved = (|| {
                let (v, from, to) = (node_at(via)?, way_at(raw, r.from)?, way_at(raw, r.to)?);
                let (into, onto) = (junctions.entering_on(v, from), junctions.leaving_on(v, to));
                (!into.is_empty() && !onto.is_empty()).then_some((into, onto))
            })();
            let Some((into, onto)) = resolved else {
                count.ignored += 1;
                continue;
            };
            count.applied += 1;
            let table = if r.only { &mut rules.only } else { &mut rules.banned };
            for e in into {
                table.entry(e).or_default().extend(&onto);
            }
        }
        rules
    }

    fn allows(&self, from: u32, to: u32) -> bool {
        let banned = self.banned.get(&from).is_some_and(|b| b.contains(&to));
        let outside_only = self.only.get(&from).is_some_and(|o| !o.contains(&to));
        !banned && !outside_only
    }
}

/// The raw way index of OSM way `id`, as segments store it.
fn way_at(raw: &RawNetwork, id: i64) -> Option<u32> {
    raw.way_index(id).map(|i| i as u32)
}

/// Sorts a node's turns by the node turned onto (then weight): every row
/// of the turn graph is in this order, whichever way it was built, so the
/// searches break ties alike.
fn by_head(row: &mut [Arc]) {
    row.sort_unstable_by_key(|a| (a.head, a.weight));
}

/// The expanded graph over provisional ids: `2s + direction` for the
/// directed segments, then the copies.
struct Expanded {
    first_out: Vec<u32>,
    arcs: Vec<Arc>,
    /// The original of each copy, in order of id from `2 * segments`.
    copy_of: Vec<u32>,
    directed: u32,
}

impl Expanded {
    /// The turns `junctions` allow between `directed` directed segments,
    /// each one's sorted by the segment turned onto.
    fn new(directed: usize, junctions: &Junctions, pricing: &Pricing, rules: &TurnRules) -> Expanded {
        let (first_out, mut arcs) = csr_listed(directed, |priced, emit| junctions.expand(pricing, rules, priced, emit));
        for x in 0..directed {
            by_head(&mut arcs[first_out[x] as usize..first_out[x + 1] as usize]);
        }
        Expanded {
            first_out,
            arcs,
            copy_of: Vec::new(),
            directed: directed as u32,
        }
    }

    fn out_range(&self, x: u32) -> std::ops::Range<usize> {
        self.first_out[x as usize] as usize..self.first_out[x as usize + 1] as usize
    }

    /// Applies the restrictions via ways by copying their chains.
    fn with_via_ways(mut self, raw: &RawNetwork, junctions: &Junctions, count: &mut RestrictionCount) -> Expanded {
        let wanted: Vec<(&RawRestriction, &[i64])> = raw
            .restrictions
            .iter()
            .filter_map(|r| match &r.via {
                Via::Ways(ways) => Some((r, ways.as_slice())),
                Via::Node(_) => None,
            })
            .collect();
        if wanted.is_empty() {
            return self;
        }
        let via_ways: HashSet<u32> = wanted
            .iter()
            .flat_map(|(_, ways)| ways.iter().filter_map(|&w| way_at(raw, w)))
            .collect();
        let mut segments_of: HashMap<u32, Vec<u32>> = HashMap::new();
        for (s, seg) in junctions.segments.iter().enumerate() {
            if via_ways.contains(&seg.way) {
                segments_of.entry(seg.way).or_default().push(s as u32);
            }
        }
        let mut extra: Vec<(u32, Arc)> = Vec::new();
        for (r, ways) in wanted {
            let chain = (|| {
                let via: Option<Vec<&[u32]>> = ways
                    .iter()
                    .map(|&w| segments_of.get(&way_at(raw, w)?).map(Vec::as_slice))
                    .collect();
                junctions.via_chain(way_at(raw, r.from)?, &via?, way_at(raw, r.to)?)
            })();
            match chain {
                Some((into, chain, onto)) if self.copy_chain(&into, &chain, &onto, r.only, &mut extra) => {
                    count.applied += 1
                }
                _ => count.ignored += 1,
            }
        }
        // The copies' rows follow the originals' (their ids do, and
        // `extra` lists them copy by copy): appended in place, each sorted
        // by head as every row is, rather than all arcs listed again as
        // pairs and sorted.
        let total = self.directed as usize + self.copy_of.len();
        let mut listed = extra.into_iter().peekable();
        for copy in self.directed as usize..total {
            let start = self.arcs.len();
            while let Some((_, arc)) = listed.next_if(|(tail, _)| *tail as usize == copy) {
                self.arcs.push(arc);
            }
            by_head(&mut self.arcs[start..]);
            self.first_out.push(self.arcs.len() as u32);
        }
        self
    }

    /// Copies `chain` for cars coming from `into`: their turn onto the chain
    /// leads onto the copies, which turn as the originals do except at the
    /// end, where the turns onto `onto` are the only ones kept (`only`) or
    /// the ones dropped. False if no car from `into` could turn onto it.
    fn copy_chain(
        &mut self,
        into: &[u32],
        chain: &[u32],
        onto: &[u32],
        only: bool,
        extra: &mut Vec<(u32, Arc)>,
    ) -> bool {
        let mut applied = false;
        for &e in into {
            let Some(slot) = self.out_range(e).find(|&i| self.arcs[i].head == chain[0]) else {
                continue;
            };
            let base = self.directed + self.copy_of.len() as u32;
            self.arcs[slot].head = base;
            let row = self.out_range(e);
            by_head(&mut self.arcs[row]);
            for (i, &c) in chain.iter().enumerate() {
                let id = base + i as u32;
                self.copy_of.push(c);
                let last = i + 1 == chain.len();
                for arc in &self.arcs[self.out_range(c)] {
                    if !last && arc.head == chain[i + 1] {
                        extra.push((id, Arc { head: id + 1, ..*arc }));
                    } else if !last || onto.contains(&arc.head) == only {
                        extra.push((id, *arc));
                    }
                }
            }
            applied = true;
        }
        applied
    }

    /// Keeps the largest strongly connected part, renumbers it densely and
    /// closes the segment directions left out. Kosaraju (petgraph's walks
    /// with explicit stacks, safe on a département).
    fn strongly_connected(self, segments: &mut [Segment], restrictions: RestrictionCount) -> TurnGraph {
        let total = self.directed as usize + self.copy_of.len();
        let keep = super::component::largest(&self.first_out, &self.arcs);
        let mut renumber: Vec<u32> = keep.iter().map(|&k| if k { 0 } else { NONE }).collect();
        drop(keep);
        let original = |x: u32| {
            if x < self.directed {
                x
            } else {
                self.copy_of[(x - self.directed) as usize]
            }
        };
        let mut segment_of = Vec::new();
        for (x, slot) in renumber.iter_mut().enumerate() {
            if *slot != NONE {
                *slot = segment_of.len() as u32;
                segment_of.push(original(x as u32));
            }
        }
        let directed = renumber[..self.directed as usize]
            .iter()
            .filter(|&&x| x != NONE)
            .count();
        for (s, seg) in segments.iter_mut().enumerate() {
            if renumber[2 * s] == NONE {
                seg.forward = UNREACHABLE;
            }
            if renumber[2 * s + 1] == NONE {
                seg.backward = UNREACHABLE;
            }
        }
        let mut copies: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, &c) in self.copy_of.iter().enumerate() {
            let (copy, of) = (renumber[self.directed as usize + i], renumber[c as usize]);
            if copy != NONE && of != NONE {
                copies.entry(of).or_default().push(copy);
            }
        }
        // Compacted in place: kept nodes keep their order (so each one's
        // arcs stay sorted), and a node's arcs and start move only down,
        // after they were read.
        let Expanded {
            mut first_out,
            mut arcs,
            ..
        } = self;
        let (mut kept, mut placed) = (0, 0);
        for x in 0..total {
            let range = first_out[x] as usize..first_out[x + 1] as usize;
            if renumber[x] == NONE {
                continue;
            }
            first_out[kept] = placed as u32;
            kept += 1;
            for i in range {
                let head = renumber[arcs[i].head as usize];
                if head != NONE {
                    arcs[placed] = Arc {
                        head,
                        weight: arcs[i].weight,
                    };
                    placed += 1;
                }
            }
        }
        first_out[kept] = placed as u32;
        first_out.truncate(kept + 1);
        first_out.shrink_to_fit();
        arcs.truncate(placed);
        arcs.shrink_to_fit();
        TurnGraph {
            segment_of,
            directed,
            first_out,
            arcs,
            copies,
            restrictions,
        }
    }
}
