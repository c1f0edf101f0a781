//! A reusable Dijkstra workspace: distances are reset through a touched
//! list, so one allocation serves thousands of searches on one thread.

use super::weight::{UNREACHABLE, Weight};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Tentative distances, the nodes whose distance was set, and the heap.
pub struct Workspace {
    /// Per node: the best weight found so far (`UNREACHABLE`: none).
    pub dist: Vec<Weight>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl Workspace {
    /// A workspace for a graph of `nodes` nodes.
    pub fn new(nodes: usize) -> Workspace {
        Workspace {
            dist: vec![UNREACHABLE; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Clears the previous search and seeds the next one.
    pub fn start(&mut self, seeds: &[(u32, Weight)]) {
        for &v in &self.touched {
            self.dist[v as usize] = UNREACHABLE;
        }
        self.touched.clear();
        self.heap.clear();
        for &(v, w) in seeds {
            self.relax(v, w);
        }
    }

    /// Lowers the tentative distance of `v` to `w` if that is shorter.
    pub fn relax(&mut self, v: u32, w: Weight) {
        let d = &mut self.dist[v as usize];
        if w < *d {
            if *d == UNREACHABLE {
                self.touched.push(v);
            }
            *d = w;
            self.heap.push(Reverse((w, v)));
        }
    }

    /// The next node to settle and its final distance, skipping stale
    /// heap entries.
    pub fn pop(&mut self) -> Option<(u32, Weight)> {
        while let Some(Reverse((w, v))) = self.heap.pop() {
            if w == self.dist[v as usize] {
                return Some((v, w));
            }
        }
        None
    }
}
