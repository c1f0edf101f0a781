//! The largest strongly connected component of a graph held as compressed
//! arrays, found by petgraph's Kosaraju over a borrowed view of them.
//!
//! petgraph's own `Graph` would copy the arrays at 8 bytes a node and 16 an
//! arc, and a région's turn graph has some 20 million of each: that copy
//! was the largest block of memory of a road load. The view borrows the
//! forward arrays and adds only the reverse ones, 4 bytes a node and an
//! arc, which Kosaraju's backward pass needs.

use fixedbitset::FixedBitSet;
use petgraph::Direction;
use petgraph::visit::{GraphBase, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers, Visitable};

/// What a forward array holds per arc: at least the node it leads to.
pub(crate) trait Head: Copy {
    fn head(&self) -> u32;
}

impl Head for u32 {
    fn head(&self) -> u32 {
        *self
    }
}

impl Head for crate::weight::Arc {
    fn head(&self) -> u32 {
        self.head
    }
}

/// A directed graph over nodes `0..n`: node `v`'s arcs are
/// `out[first_out[v]..first_out[v + 1]]`, and the reverse arrays beside.
struct View<'a, T> {
    first_out: &'a [u32],
    out: &'a [T],
    first_in: Vec<u32>,
    tails: Vec<u32>,
}

impl<'a, T: Head> View<'a, T> {
    fn new(first_out: &'a [u32], out: &'a [T]) -> View<'a, T> {
        let n = first_out.len() - 1;
        let mut first_in = vec![0u32; n + 1];
        for a in out {
            first_in[a.head() as usize + 1] += 1;
        }
        for v in 0..n {
            first_in[v + 1] += first_in[v];
        }
        let mut next = first_in.clone();
        let mut tails = vec![0u32; out.len()];
        for v in 0..n {
            for a in &out[first_out[v] as usize..first_out[v + 1] as usize] {
                let slot = &mut next[a.head() as usize];
                tails[*slot as usize] = v as u32;
                *slot += 1;
            }
        }
        View {
            first_out,
            out,
            first_in,
            tails,
        }
    }

    fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }
}

/// The neighbours of a node, one way or the other.
enum Neighbours<'a, T> {
    Out(std::slice::Iter<'a, T>),
    In(std::slice::Iter<'a, u32>),
}

impl<T: Head> Iterator for Neighbours<'_, T> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            Neighbours::Out(arcs) => arcs.next().map(Head::head),
            Neighbours::In(tails) => tails.next().copied(),
        }
    }
}

impl<T> GraphBase for View<'_, T> {
    type EdgeId = ();
    type NodeId = u32;
}

impl<'v, T: Head> IntoNeighbors for &'v View<'_, T> {
    type Neighbors = Neighbours<'v, T>;

    fn neighbors(self, v: u32) -> Neighbours<'v, T> {
        self.neighbors_directed(v, Direction::Outgoing)
    }
}

impl<'v, T: Head> IntoNeighborsDirected for &'v View<'_, T> {
    type NeighborsDirected = Neighbours<'v, T>;

    fn neighbors_directed(self, v: u32, d: Direction) -> Neighbours<'v, T> {
        let v = v as usize;
        match d {
            Direction::Outgoing => {
                Neighbours::Out(self.out[self.first_out[v] as usize..self.first_out[v + 1] as usize].iter())
            }
            Direction::Incoming => {
                Neighbours::In(self.tails[self.first_in[v] as usize..self.first_in[v + 1] as usize].iter())
            }
        }
    }
}

impl<T: Head> IntoNodeIdentifiers for &View<'_, T> {
    type NodeIdentifiers = std::ops::Range<u32>;

    fn node_identifiers(self) -> std::ops::Range<u32> {
        0..self.node_count() as u32
    }
}

impl<T: Head> Visitable for View<'_, T> {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.node_count())
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.node_count());
    }
}

/// Per node of the graph `first_out`/`out` (compressed arrays over nodes
/// `0..first_out.len() - 1`): whether it is in the largest strongly
/// connected component (one of them, if several are as large).
pub(crate) fn largest<T: Head>(first_out: &[u32], out: &[T]) -> Vec<bool> {
    let view = View::new(first_out, out);
    let largest = petgraph::algo::kosaraju_scc(&view)
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    let mut keep = vec![false; view.node_count()];
    for v in largest {
        keep[v as usize] = true;
    }
    keep
}
