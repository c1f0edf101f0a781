//! The contraction hierarchy answers exactly what plain Dijkstra over the
//! turn graph answers, on generated networks (so it runs without any
//! extract): grids of streets with random speeds, one-way streets in both
//! senses, bollards, traffic signals (some facing one way), turn restrictions via
//! nodes and via ways (`no_*` and `only_*`) and a few long diagonal roads,
//! between random points. Streets bend through shape nodes on some grids,
//! so most turn-graph nodes are on chains (one turn in, one out), which the
//! hierarchy leaves out and a query walks; points come in pairs on one
//! street, so some pairs sit on the same chain, one ahead of the other.

use geo::{Distance, Haversine, Point};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use road::{CarProfile, Facing, WayRule};
use road::{Hierarchy, Order};
use road::{LatLon, dijkstra_matrix, snap_points};
use road::{RawNetwork, RawNode, RawObstacle, RawRestriction, RawWay, Via};
use road::{RoadGraph, UNREACHABLE};

/// A `side × side` grid about 150 m apart near Apt, each block's street
/// bent through `shape` nodes, as the reader would deliver it (nodes
/// sorted by id).
fn grid(rng: &mut ChaCha8Rng, side: usize, shape: usize) -> RawNetwork {
    let id = |r: usize, c: usize| (r * side + c + 1) as i64;
    let mut nodes: Vec<RawNode> = (0..side)
        .flat_map(|r| (0..side).map(move |c| (r, c)))
        .map(|(r, c)| RawNode {
            id: id(r, c),
            lat: 438_700_000 + (r as i32) * 13_500 + rng.random_range(-2_000..2_000),
            lon: 53_900_000 + (c as i32) * 18_700 + rng.random_range(-2_000..2_000),
        })
        .collect();
    // A block's street from intersection `a` to `b`, through its shape
    // nodes (a few metres off the straight line).
    let mut street = |a: i64, b: i64, rng: &mut ChaCha8Rng| -> Vec<i64> {
        let (p, q) = (nodes[a as usize - 1], nodes[b as usize - 1]);
        let mut ids = vec![a];
        for k in 1..=shape {
            let f = k as f64 / (shape + 1) as f64;
            let mut along = |x: i32, y: i32| x + (f * f64::from(y - x)) as i32 + rng.random_range(-300..300);
            let node = RawNode {
                id: nodes.len() as i64 + 1,
                lat: along(p.lat, q.lat),
                lon: along(p.lon, q.lon),
            };
            ids.push(node.id);
            nodes.push(node);
        }
        ids.push(b);
        ids
    };
    let mut ways = Vec::new();
    let mut way = |nodes: Vec<i64>, rng: &mut ChaCha8Rng| {
        let speed = [30.0, 50.0, 70.0, 90.0][rng.random_range(0..4)];
        let (forward, backward) = match rng.random_range(0..10) {
            0 => (Some(speed), None),
            1 => (None, Some(speed)),
            _ => (Some(speed), Some(speed)),
        };
        ways.push(RawWay {
            id: ways.len() as i64 + 1,
            nodes,
            rule: WayRule {
                forward_kmh: forward,
                backward_kmh: backward,
                ferry_seconds: None,
                roundabout: false,
                ferry: false,
            },
        });
        ways.len() as i64
    };
    let (mut across, mut down) = (std::collections::HashMap::new(), std::collections::HashMap::new());
    for r in 0..side {
        for c in 0..side {
            if c + 1 < side {
                let nodes = street(id(r, c), id(r, c + 1), rng);
                across.insert((r, c), way(nodes, rng));
            }
            if r + 1 < side {
                let nodes = street(id(r, c), id(r + 1, c), rng);
                down.insert((r, c), way(nodes, rng));
            }
        }
    }
    for _ in 0..side / 2 {
        let (r, c) = (rng.random_range(0..side - 3), rng.random_range(0..side - 3));
        way((0..4).map(|k| id(r + k, c + k)).collect(), rng);
    }
    let facings = [Facing::Both, Facing::Forward, Facing::Backward];
    let mut obstacles: Vec<RawObstacle> = (0..side)
        .map(|_| RawObstacle {
            node: id(rng.random_range(0..side), rng.random_range(0..side)),
            seconds: 2.0,
            facing: facings[rng.random_range(0..3)],
        })
        .collect();
    obstacles.sort_unstable_by_key(|o| o.node);
    obstacles.dedup_by_key(|o| o.node);
    // From the street entering (r, c) from the west: a turn south at the
    // node, or on along the next block and then south.
    let restrictions = (0..side as i64)
        .map(|k| {
            let (r, c) = (rng.random_range(0..side - 2), rng.random_range(1..side - 2));
            let via = if k % 2 == 0 {
                Via::Node(id(r, c))
            } else {
                Via::Ways(vec![across[&(r, c)]])
            };
            let to = if k % 2 == 0 { down[&(r, c)] } else { down[&(r, c + 1)] };
            RawRestriction {
                id: k + 1,
                from: across[&(r, c - 1)],
                via,
                to,
                only: rng.random_range(0..3) == 0,
            }
        })
        .collect();
    let mut barriers: Vec<i64> = (0..side / 3)
        .map(|_| id(rng.random_range(0..side), rng.random_range(0..side)))
        .collect();
    barriers.sort_unstable();
    barriers.dedup();
    RawNetwork {
        nodes,
        obstacles,
        barriers,
        ways,
        restrictions,
    }
}

#[test]
fn hierarchy_equals_dijkstra_on_generated_grids() {
    let profile = CarProfile::default();
    for seed in 0..12 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let side = rng.random_range(6..18);
        let shape = [0, 0, 1, 3][seed as usize % 4];
        let graph = RoadGraph::build(&grid(&mut rng, side, shape), &profile);
        assert!(
            graph.node_count() > side * side * (1 + 2 * shape) / 2,
            "seed {seed}: most of the grid is kept"
        );
        assert!(
            graph.turns.restrictions.applied >= side / 2,
            "seed {seed}: the restrictions shape the graph ({:?})",
            graph.turns.restrictions
        );
        let mut points: Vec<LatLon> = (0..15)
            .map(|_| LatLon {
                lat: 43.87 + rng.random_range(0.0..0.00135 * side as f64),
                lon: 5.39 + rng.random_range(0.0..0.00187 * side as f64),
            })
            .collect();
        // Pairs on the street of one block, west to east.
        for _ in 0..10 {
            let lat = 43.87 + 0.00135 * rng.random_range(0..side) as f64;
            let lon = 5.39 + 0.00187 * (rng.random_range(0..side - 1) as f64 + 0.2);
            points.push(LatLon { lat, lon });
            points.push(LatLon {
                lat,
                lon: lon + 0.00187 * 0.6,
            });
        }
        let snaps = snap_points(&graph, &points, &profile).snaps;
        let exact = dijkstra_matrix(&graph, &snaps, &snaps);
        for order in [Order::Greedy, Order::Dissection] {
            let hierarchy = Hierarchy::build_ordered(&graph, order, &());
            let fast = hierarchy.matrix(&graph, &snaps, &snaps);
            let wrong = (0..exact.len())
                .find(|&k| fast[k] != exact[k])
                .map(|k| (k / points.len(), k % points.len(), fast[k], exact[k]));
            assert_eq!(
                wrong, None,
                "seed {seed}, {side}×{side} grid, {order:?} order: (from, to, hierarchy, Dijkstra)"
            );
        }
        let routable = exact.iter().filter(|w| **w != UNREACHABLE).count();
        assert_eq!(
            routable,
            points.len() * points.len(),
            "seed {seed}: one strong component"
        );
    }
}

/// Snapping finds the nearest open segment, as measuring every one would:
/// the index holds boxes of runs of segments, and a box's distance only
/// bounds its segments', so a wrong stopping rule would snap some points
/// to a farther road.
#[test]
fn snapping_finds_the_nearest_segment_of_all() {
    let profile = CarProfile::default();
    for seed in 0..6 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let side = rng.random_range(6..14);
        let graph = RoadGraph::build(&grid(&mut rng, side, [0, 3, 20][seed as usize % 3]), &profile);
        let mean_lat = graph.coords.iter().map(|c| c.lat_lon().0).sum::<f64>() / graph.coords.len() as f64;
        let (kx, ky) = (111_320.0 * mean_lat.to_radians().cos(), 110_574.0);
        for _ in 0..200 {
            // Some points well outside the grid, where boxes far apart
            // are nearly as near.
            let point = LatLon {
                lat: 43.86 + rng.random_range(0.0..0.00135 * side as f64 + 0.02),
                lon: 5.38 + rng.random_range(0.0..0.00187 * side as f64 + 0.02),
            };
            let nearest = graph
                .segments
                .iter()
                .filter(|s| s.forward != UNREACHABLE || s.backward != UNREACHABLE)
                .map(|s| {
                    let (a, b) = (
                        graph.coords[s.a as usize].lat_lon(),
                        graph.coords[s.b as usize].lat_lon(),
                    );
                    let (dx, dy) = ((b.1 - a.1) * kx, (b.0 - a.0) * ky);
                    let (px, py) = ((point.lon - a.1) * kx, (point.lat - a.0) * ky);
                    let t = ((px * dx + py * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
                    let on_road = Point::new(a.1 + t * (b.1 - a.1), a.0 + t * (b.0 - a.0));
                    Haversine.distance(on_road, Point::new(point.lon, point.lat))
                })
                .fold(f64::INFINITY, f64::min);
            let snap = graph.snap(point).expect("a graph with roads snaps every point");
            // Snapping measures in a plane, the check on the sphere: they
            // may pick different segments within a hundredth of a percent.
            assert!(
                (snap.distance_m - nearest).abs() < 0.01 + 1e-4 * nearest,
                "seed {seed}, {point:?}: snapped {:.3} m away, the nearest segment is {nearest:.3} m away",
                snap.distance_m
            );
        }
    }
}
