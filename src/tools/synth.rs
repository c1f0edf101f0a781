//! Synthetic territories for benchmarks and scaling curves: a fictional
//! département (code 99) with communes of a realistic population spread
//! and a road hierarchy, written as a real `.osm.pbf` (pbf-craft's writer)
//! that the normal loader and OSRM read, plus the commune table and a
//! scenario. Everything follows from the seed.
//!
//! The roads: a residential grid in every commune (one-way streets in the
//! bourgs), a mesh of unclassified country lanes (its shape-node spacing
//! set to reach the requested node count), tertiary roads to the nearest
//! neighbours, secondary roads between the larger communes, primary roads
//! joining the bourgs, an island of two communes reached by ferry, and a
//! few private estates connected to nothing (dropped by the loader as not
//! strongly connected).

use crate::csv_out::CsvOut;
use crate::error::{Error, Location, Result};
use pbf_craft::models::{Element, Node, Tag, Way, WayNode};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    pub seed: u64,
    pub communes: usize,
    /// Road nodes to reach, at least (the lanes' node spacing adapts).
    pub road_nodes: usize,
    /// Buses of the scenario written beside the data.
    pub buses: usize,
}

impl Default for SynthOptions {
    /// A rural département: 320 communes, a million road nodes.
    fn default() -> Self {
        SynthOptions {
            seed: 1,
            communes: 320,
            road_nodes: 1_000_000,
            buses: 4,
        }
    }
}

/// A commune of the synthetic territory.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthCommune {
    pub insee: String,
    pub name: String,
    pub population: u32,
    /// Metres east and north of the south-west corner.
    pub x: f64,
    pub y: f64,
}

/// A way: id, node ids, tags.
pub type SynthWay = (i64, Vec<i64>, Vec<(&'static str, String)>);

/// A generated territory: communes, road nodes (id, x, y in metres) and
/// ways (id, node ids, tags).
#[derive(Debug, Clone, Default)]
pub struct Synthetic {
    pub communes: Vec<SynthCommune>,
    pub nodes: Vec<(i64, f64, f64)>,
    pub ways: Vec<SynthWay>,
    /// Random points (metres) for matrix benchmarks.
    pub points: Vec<(f64, f64)>,
    /// Extent of the mainland, metres.
    pub width: f64,
    pub height: f64,
}

/// South-west corner of the fictional département, in the Massif central.
const ORIGIN: (f64, f64) = (44.2, 2.1);
/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_320.0;
/// Spacing of the country-lane mesh, metres: rural France has a small
/// road about every kilometre.
const LANE_SPACING_M: f64 = 900.0;
/// Street spacing inside a commune, metres.
const STREET_M: f64 = 90.0;

impl Synthetic {
    /// (lat, lon) of a point in metres from the origin.
    pub fn lat_lon(x: f64, y: f64) -> (f64, f64) {
        let lat = ORIGIN.0 + y / M_PER_DEG;
        (lat, ORIGIN.1 + x / (M_PER_DEG * ORIGIN.0.to_radians().cos()))
    }
}

/// Builds the territory; the same options give the same territory.
pub fn generate(options: SynthOptions) -> Synthetic {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut b = Builder::default();
    let mainland = options.communes.saturating_sub(2).max(1);
    // About 19 km² a commune, as in rural France.
    let side = (mainland as f64 * 19e6).sqrt();
    let (width, height) = (side * 1.25, side / 1.25);
    let mut communes = place_communes(&mut rng, mainland, width, height);
    let island = (width + 6_000.0, height / 2.0);
    for k in 0..options.communes - mainland {
        communes.push(SynthCommune {
            insee: String::new(),
            name: String::new(),
            population: 150 + rng.random_range(0..300),
            x: island.0 + k as f64 * 2_500.0,
            y: island.1 + k as f64 * 1_200.0,
        });
    }
    for (i, c) in communes.iter_mut().enumerate() {
        c.insee = format!("99{:03}", i + 1);
        c.name = commune_name(&mut rng);
    }
    let centres: Vec<i64> = communes.iter().map(|c| b.town_grid(&mut rng, c)).collect();
    let town_nodes = b.nodes.len();
    let main_roads = main_road_pairs(&communes[..mainland]);
    let main_length: f64 = main_roads
        .iter()
        .map(|(a, c, _)| distance(&communes[*a], &communes[*c]))
        .sum();
    // Nine lanes in ten are built (see `lane_mesh`).
    let mesh_length = 0.9 * 2.0 * width * height / LANE_SPACING_M;
    let budget = (options
        .road_nodes
        .saturating_sub(town_nodes + (main_length / 60.0) as usize) as f64
        * 1.05) as usize;
    let lane_step = (mesh_length / budget.max(1) as f64).clamp(5.0, 250.0);
    let lattice = b.lane_mesh(&mut rng, width, height, lane_step);
    for (k, c) in communes[..mainland].iter().enumerate() {
        let near = lattice.nearest(c.x, c.y);
        b.road(&mut rng, &[centres[k], near], "unclassified", 40.0, &[]);
    }
    for (a, c, class) in main_roads {
        b.road(&mut rng, &[centres[a], centres[c]], class, 60.0, &[]);
    }
    let port = (0..mainland)
        .max_by(|&p, &q| communes[p].x.total_cmp(&communes[q].x))
        .unwrap_or(0);
    for k in mainland..communes.len() {
        let from = if k == mainland { centres[port] } else { centres[k - 1] };
        let tags: &[(&'static str, &str)] = if k == mainland {
            &[("route", "ferry"), ("duration", "00:25")]
        } else {
            &[]
        };
        let class = if k == mainland { "" } else { "tertiary" };
        b.road(&mut rng, &[from, centres[k]], class, 60.0, tags);
    }
    for estate in 0..3 {
        let at = SynthCommune {
            insee: String::new(),
            name: String::new(),
            population: 400,
            x: width * (0.2 + 0.3 * estate as f64),
            y: height * 0.95,
        };
        let centre = b.town_grid(&mut rng, &at);
        let gate = b.node(at.x + 400.0, at.y);
        b.way(vec![centre, gate], &[("highway", "service"), ("access", "private")]);
    }
    let points = (0..SAMPLE_POINTS)
        .map(|_| (rng.random::<f64>() * width, rng.random::<f64>() * height))
        .collect();
    Synthetic {
        communes,
        nodes: b.nodes,
        ways: b.ways,
        points,
        width,
        height,
    }
}

/// Random points over the mainland for matrix benchmarks.
const SAMPLE_POINTS: usize = 5_000;

/// `lon,lat` lines, as `tournee matrix` and OSRM take them.
pub fn points_txt(s: &Synthetic) -> Vec<u8> {
    s.points
        .iter()
        .map(|&(x, y)| {
            let (lat, lon) = Synthetic::lat_lon(x, y);
            format!("{lon:.6},{lat:.6}\n")
        })
        .collect::<String>()
        .into_bytes()
}

/// Jittered-grid positions (no two villages on top of each other) and a
/// log-normal population (median 350) with a few bourgs (4 %, at least 2).
fn place_communes(rng: &mut ChaCha8Rng, n: usize, width: f64, height: f64) -> Vec<SynthCommune> {
    let cols = ((n as f64 * width / height).sqrt().ceil() as usize).max(1);
    let rows = n.div_ceil(cols);
    let (cw, ch) = (width / cols as f64, height / rows as f64);
    let mut cells: Vec<usize> = (0..cols * rows).collect();
    for i in (1..cells.len()).rev() {
        cells.swap(i, rng.random_range(0..=i));
    }
    let mut communes: Vec<SynthCommune> = cells[..n]
        .iter()
        .map(|&cell| {
            let (cx, cy) = ((cell % cols) as f64, (cell / cols) as f64);
            let normal = gaussian(rng);
            let mut population = (350.0 * (0.9 * normal).exp()).round().max(40.0);
            if rng.random_bool(0.04) {
                population = (population * 9.0).min(25_000.0);
            }
            SynthCommune {
                insee: String::new(),
                name: String::new(),
                population: population as u32,
                x: (cx + 0.2 + 0.6 * rng.random::<f64>()) * cw,
                y: (cy + 0.2 + 0.6 * rng.random::<f64>()) * ch,
            }
        })
        .collect();
    // At least two bourgs, so that even a small territory has primary roads.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(communes[i].population));
    for &i in order.iter().take(2) {
        communes[i].population = communes[i].population.max(2_000 + rng.random_range(0..3_000));
    }
    communes
}

/// A standard normal draw (Box–Muller).
fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.random::<f64>().max(1e-12);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn distance(a: &SynthCommune, b: &SynthCommune) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// A French-sounding name from syllables.
fn commune_name(rng: &mut ChaCha8Rng) -> String {
    const START: [&str; 12] = [
        "Mont", "Saint-", "Val", "Roque", "Font", "Mar", "Cam", "Bel", "Vil", "Castel", "Puy", "Lab",
    ];
    const MIDDLE: [&str; 10] = ["ar", "eil", "ou", "en", "ag", "ol", "iv", "ab", "ur", "el"];
    const END: [&str; 10] = ["ac", "ette", "ès", "ville", "bois", "ière", "as", "ieu", "on", "ade"];
    let pick = |rng: &mut ChaCha8Rng, list: &[&'static str]| list[rng.random_range(0..list.len())];
    format!("{}{}{}", pick(rng, &START), pick(rng, &MIDDLE), pick(rng, &END))
}

/// Main roads as (commune, commune, class): tertiary to the 3 nearest
/// neighbours, secondary between communes of 1,000+ inhabitants (2
/// nearest), primary from each bourg (2,000+) to its 2 nearest bourgs.
fn main_road_pairs(communes: &[SynthCommune]) -> Vec<(usize, usize, &'static str)> {
    let mut pairs: BTreeSet<(usize, usize, u8)> = BTreeSet::new();
    let mut link = |min_population: u32, k: usize, rank: u8| {
        let eligible: Vec<usize> = (0..communes.len())
            .filter(|&i| communes[i].population >= min_population)
            .collect();
        for &i in &eligible {
            let mut others: Vec<usize> = eligible.iter().copied().filter(|&j| j != i).collect();
            others.sort_by(|&p, &q| {
                distance(&communes[i], &communes[p]).total_cmp(&distance(&communes[i], &communes[q]))
            });
            for &j in others.iter().take(k) {
                pairs.insert((i.min(j), i.max(j), rank));
            }
        }
    };
    link(0, 3, 3);
    link(1_000, 2, 2);
    link(2_000, 2, 1);
    let mut best: std::collections::BTreeMap<(usize, usize), u8> = Default::default();
    for (a, b, rank) in pairs {
        let r = best.entry((a, b)).or_insert(rank);
        *r = (*r).min(rank);
    }
    best.into_iter()
        .map(|((a, b), rank)| (a, b, ["", "primary", "secondary", "tertiary"][rank as usize]))
        .collect()
}

/// The lane mesh's junctions, to hook communes onto it.
struct Lattice {
    cols: usize,
    rows: usize,
    ids: Vec<i64>,
}

impl Lattice {
    fn nearest(&self, x: f64, y: f64) -> i64 {
        let c = ((x / LANE_SPACING_M).round() as usize).min(self.cols - 1);
        let r = ((y / LANE_SPACING_M).round() as usize).min(self.rows - 1);
        self.ids[r * self.cols + c]
    }
}

#[derive(Default)]
struct Builder {
    nodes: Vec<(i64, f64, f64)>,
    ways: Vec<SynthWay>,
}

impl Builder {
    fn node(&mut self, x: f64, y: f64) -> i64 {
        let id = self.nodes.len() as i64 + 1;
        self.nodes.push((id, x, y));
        id
    }

    fn at(&self, id: i64) -> (f64, f64) {
        let (_, x, y) = self.nodes[id as usize - 1];
        (x, y)
    }

    fn way(&mut self, nodes: Vec<i64>, tags: &[(&'static str, &str)]) {
        let id = self.ways.len() as i64 + 1;
        self.ways
            .push((id, nodes, tags.iter().map(|(k, v)| (*k, v.to_string())).collect()));
    }

    /// A road from node to node with shape nodes every `step` metres on a
    /// gentle curve; `class` empty means the tags say it all (ferry).
    fn road(
        &mut self,
        rng: &mut ChaCha8Rng,
        ends: &[i64; 2],
        class: &'static str,
        step: f64,
        tags: &[(&'static str, &str)],
    ) {
        let ((ax, ay), (bx, by)) = (self.at(ends[0]), self.at(ends[1]));
        let length = (bx - ax).hypot(by - ay);
        let pieces = ((length / step).ceil() as usize).max(1);
        let bend = rng.random_range(-0.06..0.06) * length;
        let (nx, ny) = if length > 0.0 {
            (-(by - ay) / length, (bx - ax) / length)
        } else {
            (0.0, 0.0)
        };
        let mut chain = vec![ends[0]];
        for k in 1..pieces {
            let t = k as f64 / pieces as f64;
            let off = bend * (std::f64::consts::PI * t).sin();
            chain.push(self.node(ax + t * (bx - ax) + off * nx, ay + t * (by - ay) + off * ny));
        }
        chain.push(ends[1]);
        let mut all: Vec<(&'static str, &str)> = tags.to_vec();
        if !class.is_empty() {
            all.push(("highway", class));
        }
        self.way(chain, &all);
    }

    /// A commune's street grid, sized by population; returns its centre
    /// node. Bourgs get alternating one-way streets.
    fn town_grid(&mut self, rng: &mut ChaCha8Rng, c: &SynthCommune) -> i64 {
        let g = ((f64::from(c.population).sqrt() / 2.5).round() as usize).clamp(3, 31);
        let half = (g / 2) as f64 * STREET_M;
        let ids: Vec<i64> = (0..g * g)
            .map(|k| {
                let (i, j) = ((k % g) as f64, (k / g) as f64);
                self.node(c.x - half + i * STREET_M, c.y - half + j * STREET_M)
            })
            .collect();
        let bourg = c.population >= 2_000;
        for line in 0..g {
            let row: Vec<i64> = (0..g).map(|i| ids[line * g + i]).collect();
            let column: Vec<i64> = (0..g).map(|j| ids[j * g + line]).collect();
            for street in [row, column] {
                let oneway = bourg && line % 2 == 1 && rng.random_bool(0.7);
                let mut tags = vec![("highway", "residential")];
                if oneway {
                    tags.push(("oneway", if line % 4 == 1 { "yes" } else { "-1" }));
                }
                self.way(street, &tags);
            }
        }
        ids[(g / 2) * g + g / 2]
    }

    /// The country-lane mesh over the département: junctions every
    /// [`LANE_SPACING_M`] (jittered), one lane per mesh edge with shape
    /// nodes every `step` metres; one edge in ten is missing.
    fn lane_mesh(&mut self, rng: &mut ChaCha8Rng, width: f64, height: f64, step: f64) -> Lattice {
        let cols = (width / LANE_SPACING_M) as usize + 1;
        let rows = (height / LANE_SPACING_M) as usize + 1;
        let jitter = LANE_SPACING_M * 0.25;
        let ids: Vec<i64> = (0..cols * rows)
            .map(|k| {
                let (c, r) = ((k % cols) as f64, (k / cols) as f64);
                let dx = rng.random_range(-jitter..jitter);
                let dy = rng.random_range(-jitter..jitter);
                self.node(c * LANE_SPACING_M + dx, r * LANE_SPACING_M + dy)
            })
            .collect();
        for r in 0..rows {
            for c in 0..cols {
                let here = ids[r * cols + c];
                let right = (c + 1 < cols).then(|| ids[r * cols + c + 1]);
                let up = (r + 1 < rows).then(|| ids[(r + 1) * cols + c]);
                for next in [right, up].into_iter().flatten() {
                    if rng.random_bool(0.9) {
                        self.road(rng, &[here, next], "unclassified", step, &[]);
                    }
                }
            }
        }
        Lattice { cols, rows, ids }
    }
}

/// The commune table (`insee,name,lat,lon,population`).
pub fn communes_csv(s: &Synthetic) -> Result<Vec<u8>> {
    let mut w = CsvOut::new("communes.csv");
    w.row(["insee", "name", "lat", "lon", "population"])?;
    for c in &s.communes {
        let (lat, lon) = Synthetic::lat_lon(c.x, c.y);
        w.row([
            c.insee.clone(),
            c.name.clone(),
            format!("{lat:.6}"),
            format!("{lon:.6}"),
            c.population.to_string(),
        ])?;
    }
    w.finish()
}

/// The roads as an `.osm.pbf`: nodes by id, then ways by id, zlib blobs.
pub fn pbf(s: &Synthetic) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    {
        let mut writer = pbf_craft::writers::PbfWriter::new(&mut bytes, true);
        let nano = |deg: f64| (deg * 1e9).round() as i64;
        for &(id, x, y) in &s.nodes {
            let (lat, lon) = Synthetic::lat_lon(x, y);
            let node = Node {
                id,
                version: 1,
                latitude: nano(lat),
                longitude: nano(lon),
                ..Node::default()
            };
            writer.write(Element::Node(node)).map_err(pbf_error)?;
        }
        for (id, refs, tags) in &s.ways {
            let way = Way {
                id: *id,
                version: 1,
                tags: tags
                    .iter()
                    .map(|(k, v)| Tag {
                        key: k.to_string(),
                        value: v.clone(),
                    })
                    .collect(),
                way_nodes: refs.iter().map(|r| WayNode::new_without_coords(*r)).collect(),
                ..Way::default()
            };
            writer.write(Element::Way(way)).map_err(pbf_error)?;
        }
        writer.finish().map_err(pbf_error)?;
    }
    Ok(bytes)
}

fn pbf_error(e: impl std::fmt::Display) -> Error {
    Error::internal(format!("writing the PBF: {e}"))
}

/// A scenario over the synthetic territory: `buses` buses, each based in
/// the largest commune near the middle of its own strip of the
/// département; the smallest communes left out by a monthly threshold so
/// that the visits fill about 75 % of the buses' half-days; and a daily
/// driving limit of at least 3 h, raised when the farthest commune served
/// needs it from its second-nearest depot (straight-line estimate + 30 %),
/// since a synthetic territory
/// has no published limit.
pub fn scenario_toml(s: &Synthetic, buses: usize) -> String {
    let mainland: Vec<&SynthCommune> = s.communes.iter().filter(|c| c.x <= s.width).collect();
    let strip = s.width / buses as f64;
    let depots: Vec<&SynthCommune> = (0..buses)
        .filter_map(|k| {
            let centre = (strip * (k as f64 + 0.5), s.height / 2.0);
            let inside = |c: &&SynthCommune| (c.x - centre.0).abs() <= strip / 2.0;
            mainland.iter().copied().filter(inside).max_by(|a, b| {
                let score = |c: &SynthCommune| {
                    f64::from(c.population) / (1.0 + (c.x - centre.0).hypot(c.y - centre.1) / 5_000.0)
                };
                score(a).total_cmp(&score(b)).then(b.insee.cmp(&a.insee))
            })
        })
        .collect();
    let mut by_size: Vec<&SynthCommune> = s.communes.iter().collect();
    by_size.sort_by(|a, b| b.population.cmp(&a.population).then(a.insee.cmp(&b.insee)));
    let capacity = buses * 5 * 4 * 2;
    let rule = crate::input::scenario::FrequencyRule::default();
    let (mut visits, mut served) = (0, 0);
    for c in &by_size {
        let v = usize::from(rule.visits_for(c.population));
        if (visits + v) as f64 > capacity as f64 * 0.75 {
            break;
        }
        visits += v;
        served += 1;
    }
    let monthly_from = by_size.get(served).map_or(0, |c| c.population + 1);
    let twice_from = rule.twice_from.max(monthly_from);
    let weekly_from = rule.weekly_from.max(twice_from);
    let model = crate::input::scenario::StraightLine::default();
    // Each commune within reach of two depots (when there are two), so
    // that no bus's zone is boxed in.
    let reach = 2.min(depots.len()) - 1;
    let farthest_round_trip_min = by_size[..served]
        .iter()
        .map(|c| {
            let mut trips: Vec<f64> = depots
                .iter()
                .map(|d| model.seconds(distance(c, d)) / 60.0 * 2.0)
                .collect();
            trips.sort_by(f64::total_cmp);
            trips[reach]
        })
        .fold(0.0, f64::max);
    let max_drive = (farthest_round_trip_min * 1.3).ceil().max(180.0) as u32;
    let mut text = format!(
        "# Synthetic département: {} communes, {buses} bus(es); see `tournee synth --help`.\n\
         name = \"Synthetic {} communes, {buses} buses\"\nterritory = \"communes.csv\"\nosm = \"roads.osm.pbf\"\nmonth = \"2027-01\"\n\
         max_drive_minutes = {max_drive}\n\n[frequency]\nmonthly_from = {monthly_from}\ntwice_from = {twice_from}\nweekly_from = {weekly_from}\n",
        s.communes.len(),
        s.communes.len()
    );
    for (k, depot) in depots.iter().enumerate() {
        text += &format!("\n[[bus]]\nname = \"Bus {}\"\ndepot = \"{}\"\n", k + 1, depot.insee);
    }
    text
}

/// Checks the requested sizes before any work.
pub fn validate(options: &SynthOptions) -> Result<()> {
    if !(3..=5_000).contains(&options.communes) {
        return Err(Error::input(
            Location::default().field("--communes"),
            format!("{}: expected 3 to 5,000 communes", options.communes),
        ));
    }
    if !(1_000..=40_000_000).contains(&options.road_nodes) {
        return Err(Error::input(
            Location::default().field("--road-nodes"),
            format!("{}: expected 1,000 to 40,000,000 road nodes", options.road_nodes),
        ));
    }
    if !(1..=20).contains(&options.buses) {
        return Err(Error::input(
            Location::default().field("--buses"),
            format!("{}: expected 1 to 20 buses", options.buses),
        ));
    }
    Ok(())
}
