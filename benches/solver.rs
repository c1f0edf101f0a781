//! Solver hot path: the embedded default territory and the largest shipped
//! one (Comminges, 104 communes, 3 buses), straight-line times.

use criterion::{Criterion, criterion_group, criterion_main};
use indicatif::ProgressBar;
use tournee::model::Instance;
use tournee::pipeline::BUILTINS;
use tournee::solver::{SolveOptions, solve};

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
        group.bench_function(name, |b| {
            b.iter(|| solve(&instance, options, &ProgressBar::hidden()).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, solver);
criterion_main!(benches);
