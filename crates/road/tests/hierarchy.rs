//! The contraction hierarchy answers exactly what plain Dijkstra over the
//! turn graph answers, on generated networks (so it runs without any
//! extract): grids of streets with random speeds, one-way streets in both
//! senses, bollards, traffic signals (some facing one way), turn restrictions via
//! nodes and via ways (`no_*` and `only_*`) and a few long diagonal roads,
//! between random points.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use road::{CarProfile, Facing, WayRule};
use road::{Hierarchy, Order};
use road::{LatLon, dijkstra_matrix, snap_points};
use road::{RawNetwork, RawNode, RawObstacle, RawRestriction, RawWay, Via};
use road::{RoadGraph, UNREACHABLE};

/// A `side × side` grid about 150 m apart near Apt, as the reader would
/// deliver it (nodes sorted by id).
fn grid(rng: &mut ChaCha8Rng, side: usize) -> RawNetwork {
    let id = |r: usize, c: usize| (r * side + c + 1) as i64;
    let nodes = (0..side)
        .flat_map(|r| (0..side).map(move |c| (r, c)))
        .map(|(r, c)| RawNode {
            id: id(r, c),
            lat: 438_700_000 + (r as i32) * 13_500 + rng.random_range(-2_000..2_000),
            lon: 53_900_000 + (c as i32) * 18_700 + rng.random_range(-2_000..2_000),
        })
        .collect();
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
                across.insert((r, c), way(vec![id(r, c), id(r, c + 1)], rng));
            }
            if r + 1 < side {
                down.insert((r, c), way(vec![id(r, c), id(r + 1, c)], rng));
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
        let graph = RoadGraph::build(&grid(&mut rng, side), &profile);
        assert!(
            graph.node_count() > side * side / 2,
            "seed {seed}: most of the grid is kept"
        );
        assert!(
            graph.turns.restrictions.applied > side / 2,
            "seed {seed}: the restrictions shape the graph ({:?})",
            graph.turns.restrictions
        );
        let points: Vec<LatLon> = (0..25)
            .map(|_| LatLon {
                lat: 43.87 + rng.random_range(0.0..0.00135 * side as f64),
                lon: 5.39 + rng.random_range(0.0..0.00187 * side as f64),
            })
            .collect();
        let snaps = snap_points(&graph, &points, &profile).snaps;
        let exact = dijkstra_matrix(&graph, &snaps, &snaps);
        for order in [Order::Greedy, Order::Dissection] {
            let hierarchy = Hierarchy::build_ordered(&graph, order, &());
            let fast = hierarchy.matrix(&graph, &snaps, &snaps);
            assert_eq!(fast, exact, "seed {seed}, {side}×{side} grid, {order:?} order");
        }
        let routable = exact.iter().filter(|w| **w != UNREACHABLE).count();
        assert_eq!(
            routable,
            points.len() * points.len(),
            "seed {seed}: one strong component"
        );
    }
}
