//! Reads an OpenStreetMap extract into the raw pieces a car graph needs:
//! node coordinates, the nodes that delay or stop cars (signals, stop
//! signs, gates, bollards), the ways a car may use (already evaluated by
//! the profile, so no tags are kept) and the turn restrictions.
//!
//! The format is detected from the content, not the name: PBF (decoded
//! blob by blob in parallel with osmpbf and rayon, in two passes: the ways,
//! then only the nodes they use), OSM XML, or gzipped OSM XML. Only the
//! nodes of car ways are kept, whatever the format.

use super::profile::{CarProfile, Facing, WayRule};
use crate::error::{Error, Result};
use crate::progress::Meter;
use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// A node position in 1e-7 degrees, as stored in OSM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawNode {
    /// OSM node id.
    pub id: i64,
    /// Latitude in 1e-7 degrees.
    pub lat: i32,
    /// Longitude in 1e-7 degrees.
    pub lon: i32,
}

impl RawNode {
    /// (lat, lon) in degrees.
    pub fn lat_lon(&self) -> (f64, f64) {
        self.position().lat_lon()
    }

    /// Where it is, without its id.
    pub fn position(&self) -> Position {
        Position {
            lat: self.lat,
            lon: self.lon,
        }
    }
}

/// A position as OSM stores it, in 1e-7 degrees: 8 bytes, where (lat, lon)
/// in `f64` take 16, for the ten million nodes of a région.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Latitude in 1e-7 degrees.
    pub lat: i32,
    /// Longitude in 1e-7 degrees.
    pub lon: i32,
}

impl Position {
    /// (lat, lon) in degrees.
    pub fn lat_lon(self) -> (f64, f64) {
        (f64::from(self.lat) * 1e-7, f64::from(self.lon) * 1e-7)
    }
}

/// A way a car may use, with its node references and rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWay {
    /// OSM way id.
    pub id: i64,
    /// Its node ids, in order.
    pub nodes: Vec<i64>,
    /// How a car may use it.
    pub rule: WayRule,
}

/// A node that costs time to pass: traffic signals, a stop or give-way
/// sign, a gate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawObstacle {
    /// OSM node id.
    pub node: i64,
    /// Seconds lost passing it.
    pub seconds: f64,
    /// Which travel direction along the way it applies to.
    pub facing: Facing,
}

/// The middle of a turn restriction: one node, or one or more ways driven
/// in sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// `via` is a node.
    Node(i64),
    /// `via` is a chain of ways, in order from `from` to `to`.
    Ways(Vec<i64>),
}

/// A `type=restriction` relation that applies to cars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRestriction {
    /// OSM relation id, for messages.
    pub id: i64,
    /// The way driven before the turn.
    pub from: i64,
    /// Where the turn happens.
    pub via: Via,
    /// The way turned into.
    pub to: i64,
    /// `only_*` (the one turn allowed) rather than `no_*` (the one forbidden).
    pub only: bool,
}

/// Everything read from the file, sorted by id so that the result does not
/// depend on the order parallel decoding finished in.
#[derive(Debug, Default)]
pub struct RawNetwork {
    /// Nodes used by car ways, sorted by id.
    pub nodes: Vec<RawNode>,
    /// Nodes that delay cars, sorted by node id.
    pub obstacles: Vec<RawObstacle>,
    /// Nodes whose barrier or access tags stop cars, sorted by id.
    pub barriers: Vec<i64>,
    /// Ways a car may use.
    pub ways: Vec<RawWay>,
    /// Turn restrictions for cars, sorted by relation id.
    pub restrictions: Vec<RawRestriction>,
}

impl RawNetwork {
    fn merge(mut self, mut other: RawNetwork) -> RawNetwork {
        if self.nodes.len() < other.nodes.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.nodes.append(&mut other.nodes);
        self.obstacles.append(&mut other.obstacles);
        self.barriers.append(&mut other.barriers);
        self.ways.append(&mut other.ways);
        self.restrictions.append(&mut other.restrictions);
        self
    }

    /// Sorts what the blocks gave.
    fn finish(mut self) -> RawNetwork {
        self.nodes.par_sort_unstable_by_key(|n| n.id);
        self.nodes.dedup_by_key(|n| n.id);
        self.obstacles.par_sort_unstable_by_key(|o| o.node);
        self.obstacles.dedup_by_key(|o| o.node);
        self.barriers.par_sort_unstable();
        self.barriers.dedup();
        self.ways.par_sort_unstable_by_key(|w| w.id);
        self.restrictions.par_sort_unstable_by_key(|r| r.id);
        self
    }

    /// Keeps only the nodes (and their signals and barriers) that some car
    /// way uses: what the PBF reader's second pass does as it reads, for
    /// the XML reader, which reads in one pass.
    fn on_ways_only(mut self) -> RawNetwork {
        let used = used_nodes(&self.ways);
        let mut on_ways = Cursor::new(&used);
        self.nodes.retain(|n| on_ways.contains(n.id));
        self.nodes.shrink_to_fit();
        self.obstacles.retain(|o| on_ways.contains(o.node));
        self.barriers.retain(|&b| on_ways.contains(b));
        self
    }

    /// Position of way `id` in `ways`, if the extract holds it for cars.
    pub fn way_index(&self, id: i64) -> Option<usize> {
        self.ways.binary_search_by_key(&id, |w| w.id).ok()
    }

    /// Position of node `id` in `nodes`, if the extract holds it.
    pub fn node_index(&self, id: i64) -> Option<usize> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok()
    }

    /// Adds a node and what its tags say about cars passing it.
    fn add_node<'t>(
        &mut self,
        id: i64,
        lat: f64,
        lon: f64,
        tags: impl Iterator<Item = (&'t str, &'t str)> + Clone,
        profile: &CarProfile,
    ) {
        let e7 = |v: f64| (v * 1e7).round() as i32;
        self.nodes.push(RawNode {
            id,
            lat: e7(lat),
            lon: e7(lon),
        });
        if tags.clone().next().is_none() {
            return;
        }
        if profile.node_blocks(tags.clone()) {
            self.barriers.push(id);
        } else if let Some((seconds, facing)) = profile.node_delay(tags) {
            self.obstacles.push(RawObstacle {
                node: id,
                seconds,
                facing,
            });
        }
    }

    /// Adds a relation if it is a turn restriction for cars whose members
    /// make sense (one `from` way, a `via` node or ways, one `to` way).
    fn add_relation<'t>(
        &mut self,
        id: i64,
        tags: impl Iterator<Item = (&'t str, &'t str)> + Clone,
        members: impl Iterator<Item = (&'t str, Member, i64)>,
        profile: &CarProfile,
    ) {
        let Some(only) = profile.restriction(tags) else {
            return;
        };
        let (mut from, mut to, mut via_node, mut via_ways) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (role, kind, member) in members {
            match (role, kind) {
                ("from", Member::Way) => from.push(member),
                ("to", Member::Way) => to.push(member),
                ("via", Member::Node) => via_node.push(member),
                ("via", Member::Way) => via_ways.push(member),
                _ => {}
            }
        }
        let via = match (via_node.as_slice(), via_ways.is_empty()) {
            ([node], true) => Via::Node(*node),
            ([], false) => Via::Ways(via_ways),
            _ => return,
        };
        if let ([from], [to]) = (from.as_slice(), to.as_slice()) {
            self.restrictions.push(RawRestriction {
                id,
                from: *from,
                via,
                to: *to,
                only,
            });
        }
    }
}

/// The file formats told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pbf,
    Xml,
    GzipXml,
}

fn sniff(path: &Path) -> Result<Format> {
    let mut head = [0u8; 64];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    let head = &head[..n];
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Format::GzipXml);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return Ok(Format::Xml);
    }
    // PBF: a 4-byte big-endian header length, then a BlobHeader whose first
    // field is the string "OSMHeader".
    if n >= 8 && head[4..].windows(9).any(|w| w == b"OSMHeader") {
        return Ok(Format::Pbf);
    }
    Err(Error::input(
        path,
        "not an OpenStreetMap file: expected .osm.pbf (starting with an OSMHeader blob), OSM XML or gzipped OSM XML",
    ))
}

/// Reads the extract at `path` with `profile`.
pub fn read(path: &Path, profile: &CarProfile, progress: &dyn Meter) -> Result<RawNetwork> {
    let raw = match sniff(path)? {
        Format::Pbf => read_pbf(path, profile, progress)?.finish(),
        Format::Xml => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            read_xml(Markup::new(BufReader::new(file)), path, profile)?
                .finish()
                .on_ways_only()
        }
        Format::GzipXml => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let gunzip = flate2::read::MultiGzDecoder::new(file);
            read_xml(Markup::new(BufReader::new(gunzip)), path, profile)?
                .finish()
                .on_ways_only()
        }
    };
    progress.finish();
    if raw.ways.is_empty() {
        return Err(Error::input(path, "no road a car may use was found in this extract"));
    }
    Ok(raw)
}

/// Reads a PBF in two passes, so that a country's file is never held
/// whole: the ways and relations first, then only the nodes those ways
/// use (a road node is one in ten of a file's nodes, the rest being
/// buildings and the like).
fn read_pbf(path: &Path, profile: &CarProfile, progress: &dyn Meter) -> Result<RawNetwork> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    progress.set_length(2 * size);
    let mut raw = scan_pbf(path, progress, 0, |block, raw| {
        for group in block.groups() {
            decode_ways(&group, raw, profile);
        }
    })?;
    let used = used_nodes(&raw.ways);
    let nodes = scan_pbf(path, progress, size, |block, raw| {
        let mut on_ways = Cursor::new(&used);
        for group in block.groups() {
            for n in group.dense_nodes().filter(|n| on_ways.contains(n.id())) {
                raw.add_node(n.id(), n.lat(), n.lon(), n.tags(), profile);
            }
            for n in group.nodes().filter(|n| on_ways.contains(n.id())) {
                raw.add_node(n.id(), n.lat(), n.lon(), n.tags(), profile);
            }
        }
    })?;
    raw.nodes = nodes.nodes;
    raw.obstacles = nodes.obstacles;
    raw.barriers = nodes.barriers;
    Ok(raw)
}

/// One pass over a PBF's blocks, decoded in parallel, each by `decode`;
/// the progress bar shows the furthest block read, from `offset`.
fn scan_pbf(
    path: &Path,
    progress: &dyn Meter,
    offset: u64,
    decode: impl Fn(&PrimitiveBlock, &mut RawNetwork) + Sync,
) -> Result<RawNetwork> {
    let corrupt = |e: osmpbf::Error| Error::input(path, format!("truncated or corrupt PBF: {e}"));
    let reader = BlobReader::from_path(path).map_err(corrupt)?;
    // Blocks are decoded out of order: the bar shows the furthest read.
    let furthest = AtomicU64::new(0);
    reader
        .par_bridge()
        .map(|blob| {
            let blob = blob.map_err(corrupt)?;
            let mut raw = RawNetwork::default();
            if let BlobDecode::OsmData(block) = blob.decode().map_err(corrupt)? {
                decode(&block, &mut raw);
            }
            if let Some(at) = blob.offset()
                && at.0 > furthest.fetch_max(at.0, Ordering::Relaxed)
            {
                progress.set_position(offset + at.0);
            }
            Ok(raw)
        })
        .try_reduce(RawNetwork::default, |a, b| Ok(a.merge(b)))
}

/// The car ways and turn restrictions of one group of a block.
fn decode_ways(group: &osmpbf::PrimitiveGroup, raw: &mut RawNetwork, profile: &CarProfile) {
    for r in group.relations() {
        let members = r.members().filter_map(|m| {
            let kind = match m.member_type {
                osmpbf::RelMemberType::Node => Member::Node,
                osmpbf::RelMemberType::Way => Member::Way,
                osmpbf::RelMemberType::Relation => return None,
            };
            Some((m.role().ok()?, kind, m.member_id))
        });
        raw.add_relation(r.id(), r.tags(), members, profile);
    }
    for w in group.ways() {
        if let Some(rule) = profile.way_rule(w.tags()) {
            let nodes: Vec<i64> = w.refs().collect();
            if nodes.len() >= 2 {
                raw.ways.push(RawWay {
                    id: w.id(),
                    nodes,
                    rule,
                });
            }
        }
    }
}

/// The ids of the nodes `ways` use, sorted, once each.
fn used_nodes(ways: &[RawWay]) -> Vec<i64> {
    let mut ids: Vec<i64> = ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
    ids.par_sort_unstable();
    ids.dedup();
    ids
}

/// Membership in a sorted list of ids, for ids asked mostly in ascending
/// order (as a file's nodes come): a gallop forward from the last answer,
/// a binary search when an id goes back.
struct Cursor<'a> {
    ids: &'a [i64],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(ids: &'a [i64]) -> Cursor<'a> {
        Cursor { ids, at: 0 }
    }

    fn contains(&mut self, id: i64) -> bool {
        if self.at > 0 && self.ids.get(self.at - 1).is_some_and(|&x| x >= id) {
            self.at = self.ids.partition_point(|&x| x < id);
        } else {
            let mut step = 1;
            while self.ids.get(self.at + step).is_some_and(|&x| x < id) {
                step *= 2;
            }
            let end = (self.at + step + 1).min(self.ids.len());
            self.at += self.ids[self.at..end].partition_point(|&x| x < id);
        }
        self.ids.get(self.at) == Some(&id)
    }
}

/// The kind of element a relation member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Node,
    Way,
}

/// The element being read in an XML stream.
#[derive(Default)]
struct Pending {
    kind: Option<&'static str>,
    id: i64,
    lat: f64,
    lon: f64,
    refs: Vec<i64>,
    tags: Vec<(String, String)>,
    members: Vec<(String, Member, i64)>,
}

/// Longest run of bytes without `<` or `>` that OSM XML may hold: its
/// longest element or text is a few kilobytes.
const MAX_MARKUP_RUN: u64 = 16 << 20;

/// A reader that refuses input with no markup for [`MAX_MARKUP_RUN`]
/// bytes. The XML parser holds a whole element or text in memory, so a
/// gzip bomb of zeros (1 MB that inflates to gigabytes) would otherwise be
/// read into memory whole before being found not to be OSM.
struct Markup<R> {
    inner: R,
    run: u64,
}

impl<R: BufRead> Markup<R> {
    fn new(inner: R) -> Markup<R> {
        Markup { inner, run: 0 }
    }
}

impl<R: BufRead> std::io::Read for Markup<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Markup<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let run = self.run;
        let available = self.inner.fill_buf()?;
        let until_markup = available
            .iter()
            .position(|b| matches!(b, b'<' | b'>'))
            .unwrap_or(available.len());
        if run + until_markup as u64 > MAX_MARKUP_RUN {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} MB without any `<` or `>`: not OSM XML", MAX_MARKUP_RUN >> 20),
            ));
        }
        Ok(available)
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            let taken = &available[..amount.min(available.len())];
            self.run = match taken.iter().rposition(|b| matches!(b, b'<' | b'>')) {
                Some(last) => (taken.len() - last - 1) as u64,
                None => self.run + taken.len() as u64,
            };
        }
        self.inner.consume(amount);
    }
}

fn read_xml<R: BufRead>(input: R, path: &Path, profile: &CarProfile) -> Result<RawNetwork> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut raw = RawNetwork::default();
    let mut pending = Pending::default();
    let mut saw_osm = false;
    loop {
        let position = reader.buffer_position();
        let bad = |message: String| Error::input(path, format!("byte {position}: {message}"));
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(format!("malformed OSM XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attr = |name: &str| -> Option<String> {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_string())
                };
                let number = |name: &str| -> Result<f64> {
                    let text = attr(name).unwrap_or_default();
                    text.parse()
                        .map_err(|_| bad(format!("attribute `{name}` = `{text}` is not a number")))
                };
                match e.name().as_ref() {
                    "osm" => saw_osm = true,
                    "node" => {
                        pending = Pending {
                            kind: Some("node"),
                            id: number("id")? as i64,
                            lat: number("lat")?,
                            lon: number("lon")?,
                            ..Pending::default()
                        };
                    }
                    "way" => {
                        pending = Pending {
                            kind: Some("way"),
                            id: number("id")? as i64,
                            ..Pending::default()
                        }
                    }
                    "nd" if pending.kind == Some("way") => pending.refs.push(number("ref")? as i64),
                    "tag" if pending.kind.is_some() => pending
                        .tags
                        .push((attr("k").unwrap_or_default(), attr("v").unwrap_or_default())),
                    "relation" => {
                        pending = Pending {
                            kind: Some("relation"),
                            id: number("id")? as i64,
                            ..Pending::default()
                        }
                    }
                    "member" if pending.kind == Some("relation") => {
                        let kind = match attr("type").as_deref() {
                            Some("node") => Some(Member::Node),
                            Some("way") => Some(Member::Way),
                            _ => None,
                        };
                        if let Some(kind) = kind {
                            let role = attr("role").unwrap_or_default();
                            pending.members.push((role, kind, number("ref")? as i64));
                        }
                    }
                    _ => {}
                }
                if matches!(event, Event::Empty(_)) && matches!(e.name().as_ref(), "node" | "way" | "relation") {
                    flush(&mut pending, &mut raw, profile);
                }
            }
            Event::End(ref e) if matches!(e.name().as_ref(), "node" | "way" | "relation") => {
                flush(&mut pending, &mut raw, profile)
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_osm {
        return Err(Error::input(
            path,
            "XML without an <osm> root element: expected OSM XML",
        ));
    }
    Ok(raw)
}

fn flush(pending: &mut Pending, raw: &mut RawNetwork, profile: &CarProfile) {
    let p = std::mem::take(pending);
    let tags = p.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    match p.kind {
        Some("node") => raw.add_node(p.id, p.lat, p.lon, tags, profile),
        Some("relation") => {
            let members = p.members.iter().map(|(role, kind, id)| (role.as_str(), *kind, *id));
            raw.add_relation(p.id, tags, members, profile);
        }
        Some("way") if p.refs.len() >= 2 => {
            if let Some(rule) = profile.way_rule(tags) {
                raw.ways.push(RawWay {
                    id: p.id,
                    nodes: p.refs,
                    rule,
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    /// Whatever order ids are asked in (ascending runs, jumps back, ids
    /// below, between and above the list), the cursor answers as a binary
    /// search of the whole list does.
    #[test]
    fn a_cursor_answers_as_a_binary_search() {
        let ids: Vec<i64> = (0..500).map(|k| k * 7 + (k % 3)).collect();
        let mut queries: Vec<i64> = (-5..3_600).collect();
        queries.extend((0..3_600).rev().step_by(13));
        queries.extend([3_000, 10, 3_400, -1, 2_000, 2_001, 2_002, 4_000, 0]);
        let mut cursor = Cursor::new(&ids);
        for q in queries {
            assert_eq!(cursor.contains(q), ids.binary_search(&q).is_ok(), "id {q}");
        }
    }
}
