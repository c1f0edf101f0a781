//! Contraction of the core of the turn graph in a nested-dissection
//! order, as a customizable contraction hierarchy (Dibbelt, Strasser and
//! Wagner 2016) computes it: no witness search at all.
//!
//! The order cuts the core in two by a straight line (the one, among ten
//! across either axis near the middle, that the fewest nodes touch), ranks
//! the nodes touching the cut above both parts, and does the same in each
//! part. Contracting in that order, a
//! node's upper neighbours are joined pairwise (the fill), and the weight
//! of every arc is then the least over the triangles below it. On a grid
//! of streets and lanes a greedy order by edge difference leaves a dense
//! top of thousands of nodes whose witness searches cost more than all the
//! rest; a straight cut through such a grid crosses few roads, so the top
//! here is small and the work is one pass over the triangles.

use super::weight::{Arc, UNREACHABLE, Weight};

/// Nodes below which a part is not cut further: they are ranked in any
/// order, their fill being at most this many squared.
const LEAF: usize = 16;

/// The core's arcs, in its own numbering, contracted: listed by the
/// greedy contraction, in rows of the fill by the dissection (where a
/// list of pairs would be the largest thing a load holds).
pub(crate) enum Contracted {
    Listed {
        /// Per core node, arcs up to higher ranks.
        up: Vec<(u32, Arc)>,
        /// Per core node, arcs from higher ranks, as `(from, weight)`.
        down: Vec<(u32, Arc)>,
        /// Arcs that are not arcs of the core.
        shortcuts: usize,
    },
    Rows {
        /// Per core node, its upper neighbours.
        fill: Fill,
        /// Per slot of the fill, the weight up to the neighbour
        /// (`UNREACHABLE`: no arc).
        up_w: Vec<Weight>,
        /// Per slot, the weight down from it.
        down_w: Vec<Weight>,
        shortcuts: usize,
    },
}

impl Contracted {
    /// Arcs that are not arcs of the core.
    pub fn shortcuts(&self) -> usize {
        match self {
            Contracted::Listed { shortcuts, .. } | Contracted::Rows { shortcuts, .. } => *shortcuts,
        }
    }

    /// Frees the upward (`upward`) or downward weights once their arcs
    /// are placed: the other direction's arrays then take their room.
    pub fn release(&mut self, upward: bool) {
        match self {
            Contracted::Listed { up, down, .. } => *(if upward { up } else { down }) = Vec::new(),
            Contracted::Rows { up_w, down_w, .. } => *(if upward { up_w } else { down_w }) = Vec::new(),
        }
    }

    /// Calls `emit(tail, arc)` on each upward arc (`upward`), else on each
    /// downward one (listed at its lower end, heading to the higher).
    pub fn each(&self, upward: bool, emit: &mut dyn FnMut(u32, Arc)) {
        match self {
            Contracted::Listed { up, down, .. } => {
                for &(v, a) in if upward { up } else { down } {
                    emit(v, a);
                }
            }
            Contracted::Rows { fill, up_w, down_w, .. } => {
                let weights = if upward { up_w } else { down_w };
                for v in 0..fill.nodes() {
                    let slots = fill.slots(v);
                    for (&head, &weight) in fill.heads[slots.clone()].iter().zip(&weights[slots]) {
                        if weight != UNREACHABLE {
                            emit(v as u32, Arc { head, weight });
                        }
                    }
                }
            }
        }
    }
}

/// Contracts a core of `xy.len()` nodes (planar coordinates) with `arcs`
/// `(from, to, weight)`. Each working list is dropped as soon as it has
/// served: this is the peak of memory of a whole load.
pub(crate) fn contract(xy: Vec<[f64; 2]>, arcs: Vec<(u32, u32, Weight)>) -> Contracted {
    let n = xy.len();
    let neighbours = undirected(n, &arcs);
    let order = dissect(&xy, &neighbours);
    drop(xy);
    let mut rank = vec![0u32; n];
    for (r, &v) in order.iter().enumerate() {
        rank[v as usize] = r as u32;
    }
    let fill = Fill::new(&order, rank, &neighbours);
    drop(neighbours);
    let (mut up_w, mut down_w) = weights(&fill, &arcs);
    drop(arcs);
    // Parallel arcs share a slot: the core's arcs are the slots set now.
    let original = finite(&up_w) + finite(&down_w);
    customize(&order, &fill, &mut up_w, &mut down_w);
    let shortcuts = finite(&up_w) + finite(&down_w) - original;
    Contracted::Rows {
        fill,
        up_w,
        down_w,
        shortcuts,
    }
}

/// The fill in compressed rows, by rank: node `v`'s upper neighbours, by
/// rank, are `heads[first[rank[v]]..first[rank[v] + 1]]`, and each (node,
/// neighbour) pair is a slot for weights. One allocation, not one per
/// node: the fill is the largest structure of a contraction.
pub(crate) struct Fill {
    rank: Vec<u32>,
    first: Vec<u32>,
    heads: Vec<u32>,
}

impl Fill {
    /// The chordal fill: contracting `v` joins its upper neighbours
    /// pairwise, which is the same as giving them all to the lowest of
    /// them, that one passing them on in turn. A node's row is final once
    /// every lower node is passed, so rows are moved into the compressed
    /// array in rank order as they are done, and the working lists shrink
    /// as the array grows.
    fn new(order: &[u32], rank: Vec<u32>, neighbours: &[Vec<u32>]) -> Fill {
        let by_rank = |list: &mut Vec<u32>| {
            list.sort_unstable_by_key(|&w| rank[w as usize]);
            list.dedup();
        };
        let mut rows: Vec<Vec<u32>> = neighbours
            .iter()
            .enumerate()
            .map(|(v, list)| {
                let mut up: Vec<u32> = list.iter().copied().filter(|&w| rank[w as usize] > rank[v]).collect();
                by_rank(&mut up);
                up
            })
            .collect();
        let mut first = Vec::with_capacity(order.len() + 1);
        first.push(0u32);
        let mut heads = Vec::new();
        for &v in order {
            let row = std::mem::take(&mut rows[v as usize]);
            if let Some((&parent, rest)) = row.split_first() {
                let target = &mut rows[parent as usize];
                let before = target.len();
                target.extend_from_slice(rest);
                if target.len() > before {
                    by_rank(target);
                }
            }
            heads.extend_from_slice(&row);
            first.push(heads.len() as u32);
        }
        Fill { rank, first, heads }
    }

    fn nodes(&self) -> usize {
        self.rank.len()
    }

    /// The slots of `v`'s upper neighbours.
    fn slots(&self, v: usize) -> std::ops::Range<usize> {
        let r = self.rank[v] as usize;
        self.first[r] as usize..self.first[r + 1] as usize
    }

    fn row(&self, v: usize) -> &[u32] {
        &self.heads[self.slots(v)]
    }
}

/// Slots that hold an arc.
fn finite(weights: &[Weight]) -> usize {
    weights.iter().filter(|&&w| w != UNREACHABLE).count()
}

/// Per node, its neighbours either way, without repeats or loops.
fn undirected(n: usize, arcs: &[(u32, u32, Weight)]) -> Vec<Vec<u32>> {
    let mut neighbours = vec![Vec::new(); n];
    for &(u, x, _) in arcs {
        if u != x {
            neighbours[u as usize].push(x);
            neighbours[x as usize].push(u);
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    neighbours
}

/// The nested-dissection order, lowest rank first.
fn dissect(xy: &[[f64; 2]], neighbours: &[Vec<u32>]) -> Vec<u32> {
    let n = xy.len();
    // Per node, which side of the cut being made it is on (0: neither).
    let mut side = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    // Parts still to cut, and separators to rank once the parts below them
    // are ranked: a stack of both, the separator pushed before its parts.
    enum Work {
        Part(Vec<u32>),
        Rank(Vec<u32>),
    }
    let mut stack = vec![Work::Part((0..n as u32).collect())];
    while let Some(work) = stack.pop() {
        let part = match work {
            Work::Rank(separator) => {
                order.extend(separator);
                continue;
            }
            Work::Part(part) if part.len() <= LEAF => {
                order.extend(part);
                continue;
            }
            Work::Part(part) => part,
        };
        let (left, right, separator) = best_cut(xy, neighbours, &mut side, part);
        stack.push(Work::Rank(separator));
        stack.push(Work::Part(right));
        stack.push(Work::Part(left));
    }
    order
}

/// Shares of a part at which it may be cut, along either axis: the
/// cut kept is the one with the fewest nodes touching it (the separator,
/// whose nodes end up joined pairwise), so a cut may follow a river or
/// a gap between communes rather than the exact median.
const CUTS: [f64; 5] = [0.35, 0.42, 0.5, 0.58, 0.65];

/// Cuts `part` in two by a straight line: the left and right parts and
/// the separator (the nodes of one side touching the other, from the side
/// where they are fewer), with `side` left cleared.
fn best_cut(
    xy: &[[f64; 2]],
    neighbours: &[Vec<u32>],
    side: &mut [u8],
    part: Vec<u32>,
) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let by = |axis: usize, nodes: &mut Vec<u32>| {
        nodes.sort_unstable_by(|&a, &b| xy[a as usize][axis].total_cmp(&xy[b as usize][axis]));
    };
    let cut_at = |len: usize, share: f64| ((len as f64 * share) as usize).clamp(1, len - 1);
    let mut sorted = part;
    // (separator size, axis, share, whether the separator is on the left)
    let mut best: Option<(usize, usize, f64, bool)> = None;
    for axis in [0, 1] {
        by(axis, &mut sorted);
        for share in CUTS {
            let (size, left_side) = separator_size(neighbours, side, &sorted, cut_at(sorted.len(), share));
            if best.is_none_or(|b| size < b.0) {
                best = Some((size, axis, share, left_side));
            }
        }
    }
    let (_, axis, share, left_side) = best.expect("two axes");
    by(axis, &mut sorted);
    let mut left = sorted;
    let mut right = left.split_off(cut_at(left.len(), share));
    mark(side, &left, &right);
    let cut_side = if left_side { &mut left } else { &mut right };
    let other = if left_side { 2 } else { 1 };
    let (separator, kept): (Vec<u32>, Vec<u32>) = cut_side.iter().partition(|&&v| touches(neighbours, side, v, other));
    *cut_side = kept;
    left.iter()
        .chain(&right)
        .chain(&separator)
        .for_each(|&v| side[v as usize] = 0);
    (left, right, separator)
}

/// Nodes of `sorted[..k]` touching `sorted[k..]` and the other way round:
/// the fewer, and whether they are on the left.
fn separator_size(neighbours: &[Vec<u32>], side: &mut [u8], sorted: &[u32], k: usize) -> (usize, bool) {
    let (left, right) = sorted.split_at(k);
    mark(side, left, right);
    let touching = |nodes: &[u32], other: u8| nodes.iter().filter(|&&v| touches(neighbours, side, v, other)).count();
    let (on_left, on_right) = (touching(left, 2), touching(right, 1));
    sorted.iter().for_each(|&v| side[v as usize] = 0);
    (on_left.min(on_right), on_left <= on_right)
}

/// Whether `v` has a neighbour on side `other`.
fn touches(neighbours: &[Vec<u32>], side: &[u8], v: u32, other: u8) -> bool {
    neighbours[v as usize].iter().any(|&w| side[w as usize] == other)
}

fn mark(side: &mut [u8], left: &[u32], right: &[u32]) {
    left.iter().for_each(|&v| side[v as usize] = 1);
    right.iter().for_each(|&v| side[v as usize] = 2);
}

/// Per slot of the fill: the weight of the core arc up to the neighbour
/// and of the one down from it (`UNREACHABLE` where the core has none).
fn weights(fill: &Fill, arcs: &[(u32, u32, Weight)]) -> (Vec<Weight>, Vec<Weight>) {
    let rank = &fill.rank;
    let mut up_w = vec![UNREACHABLE; fill.heads.len()];
    let mut down_w = up_w.clone();
    for &(u, x, w) in arcs {
        if u == x {
            continue;
        }
        let (low, high, upward) = if rank[u as usize] < rank[x as usize] {
            (u, x, true)
        } else {
            (x, u, false)
        };
        let slot = fill.slots(low as usize).start + position(fill, low, high);
        let weight = if upward { &mut up_w[slot] } else { &mut down_w[slot] };
        *weight = (*weight).min(w);
    }
    (up_w, down_w)
}

/// Where `high` is among `low`'s upper neighbours.
fn position(fill: &Fill, low: u32, high: u32) -> usize {
    let rank = &fill.rank;
    fill.row(low as usize)
        .binary_search_by_key(&rank[high as usize], |&w| rank[w as usize])
        .expect("an upper neighbour of the fill")
}

/// Lowers each arc to its shortest way through a lower node: bottom up,
/// each node `x` offers every pair of its upper neighbours `a`, `b` the
/// path `a → x → b`; by then every triangle below `x`'s own arcs has been
/// offered to them, so they are final.
fn customize(order: &[u32], fill: &Fill, up_w: &mut [Weight], down_w: &mut [Weight]) {
    for &x in order {
        let slots = fill.slots(x as usize);
        let heads = fill.row(x as usize);
        for (i, &a) in heads.iter().enumerate() {
            let xi = slots.start + i;
            // Into x from a (down arc of x) and out of x to a (up arc).
            let (a_to_x, x_to_a) = (down_w[xi], up_w[xi]);
            // x's upper neighbours above a are a's upper neighbours too
            // (contracting x joined them), in the same order: one walk
            // along a's list finds them all.
            let a_first = fill.slots(a as usize).start;
            let a_heads = fill.row(a as usize);
            let mut k = 0;
            for (j, &b) in heads.iter().enumerate().skip(i + 1) {
                while a_heads[k] != b {
                    k += 1;
                }
                let xj = slots.start + j;
                let (x_to_b, b_to_x) = (up_w[xj], down_w[xj]);
                // a is below b: a → b is a's up arc, b → a its down arc.
                if a_to_x != UNREACHABLE && x_to_b != UNREACHABLE {
                    let w = &mut up_w[a_first + k];
                    *w = (*w).min(a_to_x + x_to_b);
                }
                if b_to_x != UNREACHABLE && x_to_a != UNREACHABLE {
                    let w = &mut down_w[a_first + k];
                    *w = (*w).min(b_to_x + x_to_a);
                }
            }
        }
    }
}
