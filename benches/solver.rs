//! Solver hot path: the embedded default territory and the largest shipped
//! one (Comminges, 104 communes, 3 buses), straight-line times.

use criterion::{Criterion, criterion_group, criterion_main};
use tournee::pipeline::BUILTINS;
use tournee::schedule::as_pvrp::{SolveOptions, solve};
use tournee::schedule::model::Instance;

fn solver(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    for (name, builtin) in [("apt_luberon", &BUILTINS[0]), ("comminges", &BUILTINS[3])] {
        let (territory, scenario) = builtin.load().unwrap();
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
