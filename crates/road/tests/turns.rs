//! Turns and barriers as OSRM's car profile prices them, on villages
//! written by hand whose routes are worked out on paper (the fastest,
//! turns included, is also the shortest in each trip, so lengths tell the
//! route). The first has nine crossroads about 200 m apart, every street
//! two-way and residential (25 km/h):
//!
//! ```text
//!   N1 -105- N2 -106- N3
//!   |        |        |
//!  110 (gate G)  108  112
//!   |        |        |
//!   W1 -103- C  -104- E1
//!   |        |        |
//!  109      107  111 (bollard B)
//!   |        |        |
//!   S1 ----101----- S3   (through S2)
//! ```
//!
//! Relations: `no_left_turn` from 107 (northbound) via node C onto 103;
//! `only_straight_on` from 105 via way 108 onto 107; a `no_left_turn` from
//! 104 via C onto 107 with `except=motorcar`, which cars ignore.

use road::CarProfile;
use road::{LatLon, RoadMatrix, Timings};

const D_LAT: f64 = 0.0018;
const D_LON: f64 = 0.00254;

/// Crossroads (column, row) from the south-west, and their node ids.
const CROSSROADS: [(&str, i64, (f64, f64)); 9] = [
    ("S1", 1, (0.0, 0.0)),
    ("S2", 2, (1.0, 0.0)),
    ("S3", 3, (2.0, 0.0)),
    ("W1", 4, (0.0, 1.0)),
    ("C", 5, (1.0, 1.0)),
    ("E1", 6, (2.0, 1.0)),
    ("N1", 7, (0.0, 2.0)),
    ("N2", 8, (1.0, 2.0)),
    ("N3", 9, (2.0, 2.0)),
];

/// (lat, lon) of a position in grid units.
fn at((x, y): (f64, f64)) -> (f64, f64) {
    (45.0 + y * D_LAT, 5.0 + x * D_LON)
}

fn node(name: &str) -> (f64, f64) {
    let (_, _, grid) = CROSSROADS.iter().find(|(n, _, _)| *n == name).unwrap();
    at(*grid)
}

/// The point a `fraction` of the way from crossroads `a` to `b`.
fn between(a: &str, b: &str, fraction: f64) -> (f64, f64) {
    let (p, q) = (node(a), node(b));
    (p.0 + fraction * (q.0 - p.0), p.1 + fraction * (q.1 - p.1))
}

/// The length of a polyline, metres.
fn length(points: &[(f64, f64)]) -> f64 {
    points
        .windows(2)
        .map(|w| {
            LatLon {
                lat: w[0].0,
                lon: w[0].1,
            }
            .metres_to(LatLon {
                lat: w[1].0,
                lon: w[1].1,
            })
        })
        .sum()
}

fn village(relations: bool) -> String {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n");
    for (_, id, grid) in CROSSROADS {
        let (lat, lon) = at(grid);
        xml += &format!("<node id=\"{id}\" lat=\"{lat}\" lon=\"{lon}\"/>\n");
    }
    let (b, g) = (between("S3", "E1", 0.5), between("W1", "N1", 0.5));
    xml += &format!(
        "<node id=\"10\" lat=\"{}\" lon=\"{}\"><tag k=\"barrier\" v=\"bollard\"/></node>\n",
        b.0, b.1
    );
    xml += &format!(
        "<node id=\"11\" lat=\"{}\" lon=\"{}\"><tag k=\"barrier\" v=\"gate\"/></node>\n",
        g.0, g.1
    );
    let ways: [(i64, &[i64]); 11] = [
        (101, &[1, 2, 3]),
        (103, &[4, 5]),
        (104, &[5, 6]),
        (105, &[7, 8]),
        (106, &[8, 9]),
        (107, &[2, 5]),
        (108, &[8, 5]),
        (109, &[1, 4]),
        (110, &[4, 11, 7]),
        (111, &[3, 10, 6]),
        (112, &[6, 9]),
    ];
    for (id, refs) in ways {
        let nds: String = refs.iter().map(|r| format!("<nd ref=\"{r}\"/>")).collect();
        xml += &format!("<way id=\"{id}\">{nds}<tag k=\"highway\" v=\"residential\"/></way>\n");
    }
    if relations {
        xml += r#"<relation id="201"><member type="way" ref="107" role="from"/><member type="node" ref="5" role="via"/><member type="way" ref="103" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="no_left_turn"/></relation>
<relation id="202"><member type="way" ref="105" role="from"/><member type="way" ref="108" role="via"/><member type="way" ref="107" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="only_straight_on"/></relation>
<relation id="203"><member type="way" ref="104" role="from"/><member type="node" ref="5" role="via"/><member type="way" ref="107" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="no_left_turn"/><tag k="except" v="motorcar"/></relation>
"#;
    }
    xml + "</osm>\n"
}

/// The matrix between `points` (lat, lon) on the OSM XML `xml`.
fn matrix_of(xml: &str, points: &[(f64, f64)]) -> RoadMatrix {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("village.osm");
    std::fs::write(&path, xml).unwrap();
    let points: Vec<LatLon> = points.iter().map(|&(lat, lon)| LatLon { lat, lon }).collect();
    let profile = CarProfile::default();
    road::matrix(
        &path,
        &profile,
        &points,
        &(),
        &Default::default(),
        &mut Timings::default(),
    )
    .unwrap()
    .0
}

/// The matrix between `points` on the village, with or without its
/// restriction relations.
fn matrix(points: &[(f64, f64)], relations: bool) -> RoadMatrix {
    matrix_of(&village(relations), points)
}

/// One trip of the village, with the road it must take.
struct Trip {
    what: &'static str,
    from: (f64, f64),
    to: (f64, f64),
    /// The route worked out by hand, as the points it passes.
    route: Vec<(f64, f64)>,
}

fn trips() -> Vec<Trip> {
    let p1 = between("S2", "C", 0.5);
    let p2 = between("C", "W1", 0.5);
    let p3 = between("N1", "N2", 0.5);
    let p4 = between("E1", "C", 0.25);
    let p5 = between("N2", "N3", 0.125);
    let p6 = between("C", "E1", 0.25);
    let (q1, q2) = (between("E1", "S3", 0.25), between("E1", "S3", 0.75));
    let (g1, g2) = (between("N1", "W1", 0.25), between("N1", "W1", 0.75));
    vec![
        Trip {
            what: "no left turn from 107 onto 103: back to S2, round by S1 and W1",
            from: p1,
            to: p2,
            route: vec![p1, node("S2"), node("S1"), node("W1"), p2],
        },
        Trip {
            what: "the right turn the other way is free",
            from: p2,
            to: p1,
            route: vec![p2, node("C"), p1],
        },
        Trip {
            what: "only straight on from 105 along 108: round by N3 and E1",
            from: p3,
            to: p4,
            route: vec![p3, node("N2"), node("N3"), node("E1"), p4],
        },
        Trip {
            what: "a car joining 108 from 106 is not bound",
            from: p5,
            to: p6,
            route: vec![p5, node("N2"), node("C"), p6],
        },
        Trip {
            what: "a restriction with except=motorcar binds no car",
            from: p4,
            to: p1,
            route: vec![p4, node("C"), p1],
        },
        Trip {
            what: "the bollard closes 111: round by C, S2 and S3",
            from: q1,
            to: q2,
            route: vec![q1, node("E1"), node("C"), node("S2"), node("S3"), q2],
        },
        Trip {
            what: "the gate on 110 is opened (60 s) rather than going round",
            from: g1,
            to: g2,
            route: vec![g1, g2],
        },
    ]
}

#[test]
fn turn_restrictions_bollards_and_gates_give_the_routes_worked_out_by_hand() {
    let trips = trips();
    let points: Vec<(f64, f64)> = trips.iter().flat_map(|t| [t.from, t.to]).collect();
    let m = matrix(&points, true);
    for (k, trip) in trips.iter().enumerate() {
        let expected = length(&trip.route);
        let got = m
            .metres(2 * k, 2 * k + 1)
            .unwrap_or_else(|| panic!("{}: no route", trip.what));
        assert!(
            (got - expected).abs() < 1.0,
            "{}: {got:.1} m, expected {expected:.1} m",
            trip.what
        );
    }
    // Through the gate: its 100 m at 25 km/h and the 60 s of opening it,
    // and no turn (two roads meet there).
    let gate = trips.len() - 1;
    let seconds = m.seconds(2 * gate, 2 * gate + 1).unwrap();
    let expected = length(&trips[gate].route) / (25.0 / 3.6) + 60.0;
    assert!(
        (seconds - expected).abs() < 0.5,
        "gate: {seconds:.1} s, expected {expected:.1} s"
    );
}

#[test]
fn without_the_relations_the_restricted_trips_take_the_short_way() {
    let trips = trips();
    let points: Vec<(f64, f64)> = trips[..4].iter().flat_map(|t| [t.from, t.to]).collect();
    let m = matrix(&points, false);
    let direct = [
        vec![trips[0].from, node("C"), trips[0].to],
        vec![trips[2].from, node("N2"), node("C"), trips[2].to],
    ];
    for (k, route) in [(0, &direct[0]), (2, &direct[1])] {
        let got = m.metres(k * 2, k * 2 + 1).unwrap();
        assert!(
            (got - length(route)).abs() < 1.0,
            "{}: {got:.1} m unrestricted",
            trips[k].what
        );
    }
}

#[test]
fn a_left_turn_costs_more_than_a_right_turn_and_straight_on_almost_nothing() {
    // From the middle of 107 (northbound into C): straight on to N2's side,
    // right to E1's, left to W1's; the same 300 m each, so the times differ
    // by the turn alone (left is forbidden by relation 201: read without).
    let from = between("S2", "C", 0.5);
    let ends = [
        between("C", "N2", 0.5),
        between("C", "E1", 0.5),
        between("C", "W1", 0.5),
    ];
    let mut points = vec![from];
    points.extend(ends);
    let m = matrix(&points, false);
    let travel = |k: usize| m.seconds(0, k).unwrap() - m.metres(0, k).unwrap() / (25.0 / 3.6);
    let (straight, right, left) = (travel(1), travel(2), travel(3));
    assert!(straight < 0.1, "straight on: {straight:.2} s");
    // OSRM's sigmoid at 90°: 7.5 / (1 + e^(6.5·1.075 − 13/1.075/2)) ≈ 2.1 s to
    // the right; 7.5 / (1 + e^(6.5/1.075 − 13·1.075/2)) ≈ 5.4 s to the left,
    // plus 2 s × 0.96 for crossing oncoming traffic.
    assert!((right - 2.1).abs() < 0.2, "right: {right:.2} s");
    assert!((left - (5.4 + 1.92)).abs() < 0.2, "left: {left:.2} s");
}

// Barriers on their own, four villages side by side: four squares of
// residential streets, each with a node in the middle of its south side.
// From the south-west to the south-east corner a car goes straight through
// (one side, ≈ 788 m) when it may pass the node, or round the three other
// sides (≈ 1,900 m) when it may not.

/// (barrier tags on the middle node, whether a car passes).
const VILLAGES: [(&str, bool); 4] = [
    (r#"<tag k="barrier" v="bollard"/>"#, false),
    (r#"<tag k="barrier" v="gate"/>"#, true),
    (r#"<tag k="barrier" v="gate"/><tag k="access" v="private"/>"#, false),
    (
        r#"<tag k="barrier" v="bollard"/><tag k="motor_vehicle" v="yes"/>"#,
        true,
    ),
];

const LAT: f64 = 45.0;
const NORTH: f64 = 45.005;

/// West and east longitudes of village `k`.
fn sides(k: usize) -> (f64, f64) {
    let west = 5.0 + 0.05 * k as f64;
    (west, west + 0.01)
}

/// The OSM XML: per village, nodes 10k+1 (SW), +2 (middle, tagged), +3
/// (SE), +4 (NW), +5 (NE); the south side as one way through the middle
/// node, the detour as another; a road from each SE corner to the next SW.
fn village_xml() -> String {
    let mut nodes = String::new();
    let mut ways = String::new();
    let road = |id: usize, refs: &[usize]| {
        let nds: String = refs.iter().map(|r| format!(r#"<nd ref="{r}"/>"#)).collect();
        format!(r#"<way id="{id}">{nds}<tag k="highway" v="residential"/></way>"#)
    };
    for (k, (tags, _)) in VILLAGES.iter().enumerate() {
        let (west, east) = sides(k);
        let base = 10 * (k + 1);
        let points = [
            (LAT, west),
            (LAT, (west + east) / 2.0),
            (LAT, east),
            (NORTH, west),
            (NORTH, east),
        ];
        for (i, (lat, lon)) in points.iter().enumerate() {
            let extra = if i == 1 { *tags } else { "" };
            nodes += &format!(r#"<node id="{}" lat="{lat}" lon="{lon}">{extra}</node>"#, base + i + 1);
        }
        ways += &road(100 + base, &[base + 1, base + 2, base + 3]);
        ways += &road(200 + base, &[base + 1, base + 4, base + 5, base + 3]);
        if k + 1 < VILLAGES.len() {
            ways += &road(300 + base, &[base + 3, base + 11]);
        }
    }
    format!("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">{nodes}{ways}</osm>\n")
}

#[test]
fn bollards_block_gates_pass_and_access_tags_decide() {
    let points: Vec<(f64, f64)> = (0..VILLAGES.len())
        .flat_map(|k| {
            let (west, east) = sides(k);
            [(LAT, west), (LAT, east)]
        })
        .collect();
    let m = matrix_of(&village_xml(), &points);
    for (k, (tags, passes)) in VILLAGES.iter().enumerate() {
        let (west, east) = sides(k);
        let straight = length(&[(LAT, west), (LAT, east)]);
        let detour = length(&[(LAT, west), (NORTH, west), (NORTH, east), (LAT, east)]);
        let expected = if *passes { straight } else { detour };
        for (from, to) in [(2 * k, 2 * k + 1), (2 * k + 1, 2 * k)] {
            let got = m.metres(from, to).unwrap_or_else(|| panic!("{tags}: no route"));
            assert!(
                (got - expected).abs() < 1.0,
                "{tags}: {got:.1} m, expected {expected:.1} m (straight {straight:.1}, detour {detour:.1})"
            );
        }
    }
}
