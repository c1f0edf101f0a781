//! Matrix hot paths on Malta (../shared): the contraction-hierarchy
//! many-to-many against plain Dijkstra on the same graph and points (the
//! peer measured in the same run), graph loading + contraction, and the
//! two orders of contracting the core (greedy, the one Malta's size gets,
//! against nested dissection) on the same graph, with their queries.

use criterion::{Criterion, criterion_group, criterion_main};
use road::{CarProfile, Network, Timings, dijkstra_matrix, snap_points};
use road::{Hierarchy, Order};
use std::hint::black_box;
use std::path::PathBuf;
use tournee::input::territory::read_points;

fn shared(file: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(file);
    if !p.exists() {
        eprintln!("skipping: {} missing", p.display());
        return None;
    }
    Some(p)
}

fn matrix(c: &mut Criterion) {
    let (Some(pbf), Some(pts)) = (shared("malta.osm.pbf"), shared("malta.pts100.txt")) else {
        return;
    };
    let profile = CarProfile::default();
    let network = Network::load(&pbf, &profile, &(), &mut Timings::default()).unwrap();
    let points = read_points(&pts).unwrap();
    let snaps = snap_points(&network.graph, &points, &profile).snaps;
    let dissected = Hierarchy::build_ordered(&network.graph, Order::Dissection, &());
    let mut group = c.benchmark_group("malta_100x100");
    group.sample_size(10);
    group.bench_function("ch_many_to_many", |b| {
        b.iter(|| black_box(network.hierarchy.matrix(&network.graph, &snaps, &snaps)))
    });
    group.bench_function("dissected_many_to_many", |b| {
        b.iter(|| black_box(dissected.matrix(&network.graph, &snaps, &snaps)))
    });
    group.bench_function("dijkstra", |b| {
        b.iter(|| black_box(dijkstra_matrix(&network.graph, &snaps, &snaps)))
    });
    group.finish();
    let mut group = c.benchmark_group("malta_preprocess");
    group.sample_size(10);
    group.bench_function("load_and_contract", |b| {
        b.iter(|| Network::load(&pbf, &profile, &(), &mut Timings::default()).unwrap())
    });
    for order in [Order::Greedy, Order::Dissection] {
        group.bench_function(format!("contract_{order:?}").to_lowercase(), |b| {
            b.iter(|| black_box(Hierarchy::build_ordered(&network.graph, order, &())))
        });
    }
    group.finish();
}

criterion_group!(benches, matrix);
criterion_main!(benches);
