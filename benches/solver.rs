//! Solver hot path: the embedded default territory, the largest shipped
//! one (Comminges, 104 communes, 3 buses), and a rolling cycle (Pasquale
//! Paoli, 42 communes on a 5-week rotation: 35 days in the core instead of
//! 28), straight-line times.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use tournee::input::scenario::Scenario;
use tournee::input::territory::{Territory, Unlocated};
use tournee::pipeline::BUILTINS;
use tournee::schedule::as_pvrp::{SolveOptions, solve};
use tournee::schedule::model::Instance;

fn solver(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rotation = Scenario::from_path(&root.join("data/pasquale_paoli.toml")).unwrap();
    let rotation_territory = Territory::read(&root.join("data/pasquale_paoli.csv"), Unlocated::Refuse).unwrap();
    let cases = [
        ("apt_luberon", BUILTINS[0].load().unwrap()),
        ("comminges", BUILTINS[3].load().unwrap()),
        ("pasquale_paoli_5_weeks", (rotation_territory, rotation)),
    ];
    for (name, (territory, scenario)) in cases {
        let instance = Instance::straight_line(territory, &scenario).unwrap();
        let options = SolveOptions {
            seed: 1,
            iterations: scenario.solver.iterations,
        };
        group.bench_function(name, |b| b.iter(|| solve(&instance, options, &()).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, solver);
criterion_main!(benches);
