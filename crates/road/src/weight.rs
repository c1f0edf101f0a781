//! The pieces every graph of the crate is made of: packed weights, arcs,
//! road segments and compressed adjacency arrays.
//!
//! Weights pack (milliseconds, centimetres) into one `u64`, time in the
//! high half: adding packed weights adds both parts (distance sums stay far
//! below 2³² cm = 42,950 km), and comparing them compares time first, then
//! distance. So every shortest-path algorithm here minimises time and
//! breaks ties by distance, and all of them agree on both numbers exactly.

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

/// The weight at least as large as each of `offsets` in both its time and
/// its distance, so that `ceiling - offset` never borrows.
pub fn ceiling(offsets: &[(u32, Weight)]) -> Weight {
    let ms = offsets.iter().map(|(_, w)| w >> 32).max().unwrap_or(0);
    let cm = offsets.iter().map(|(_, w)| w & 0xffff_ffff).max().unwrap_or(0);
    pack(ms, cm)
}

/// A directed arc of the CSR graph: 12 bytes, not the 16 a `u64` after a
/// `u32` would align to. Hierarchies and turn graphs hold tens of
/// millions of arcs, and x86 and ARM read an unaligned `u64` at full speed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct Arc {
    /// The node the arc leads to.
    pub head: u32,
    /// Its time and length, packed.
    pub weight: Weight,
}

/// A road segment between two graph nodes, with its weight in each
/// direction (`UNREACHABLE` where closed). Snapping targets segments.
/// 28 bytes, not the 32 its `u64`s would align it to: a région has ten
/// million of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct Segment {
    /// One end node.
    pub a: u32,
    /// The other end node.
    pub b: u32,
    /// Weight from `a` to `b` (`UNREACHABLE` if one-way against).
    pub forward: Weight,
    /// Weight from `b` to `a`.
    pub backward: Weight,
    /// Index of its way in the raw network's ways (for turn restrictions and
    /// the way's direction).
    pub way: u32,
}

/// Compressed adjacency arrays over `n` nodes from the arcs `each` lists
/// (it is called twice: to count the arcs of each tail, with `false`, then
/// to place them, with `true`; a caller whose arcs cost to weigh may list
/// them unweighed the first time), without an intermediate list of pairs:
/// at a hierarchy's size that list was the peak of memory. Parallel arcs
/// are all kept, and a tail's arcs keep the order they are listed in.
pub(crate) fn csr_listed<T: Copy + Default>(
    n: usize,
    each: impl Fn(bool, &mut dyn FnMut(u32, T)),
) -> (Vec<u32>, Vec<T>) {
    let mut first = vec![0u32; n + 1];
    each(false, &mut |u, _| first[u as usize + 1] += 1);
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut next = first.clone();
    let mut arcs = vec![T::default(); first[n] as usize];
    each(true, &mut |u, a| {
        arcs[next[u as usize] as usize] = a;
        next[u as usize] += 1;
    });
    (first, arcs)
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
