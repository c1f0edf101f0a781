//! Coverage hot path: nearest France Services site for French communes
//! (../shared), the R*-tree on the unit sphere against a brute-force scan
//! of every site on the same communes (the peer measured in the same run).

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{Distance, Haversine, Point};
use std::hint::black_box;
use std::path::PathBuf;
use tournee::coverage::access::Access;
use tournee::input::scenario::StraightLine;
use tournee::input::territory::{LatLon, Territory, Unlocated};

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

fn nearest_site(c: &mut Criterion) {
    let (Some(communes), Some(sites)) = (
        shared("fr_communes_2026.csv"),
        shared("fr_france_services_20240801.csv"),
    ) else {
        return;
    };
    let territory = Territory::read(&communes, Unlocated::SetAside).unwrap();
    let sites: Vec<LatLon> = tournee::input::sites::read_sites(&sites, false)
        .unwrap()
        .points
        .iter()
        .map(|s| s.at)
        .collect();
    let origins: Vec<LatLon> = territory.communes.iter().map(|c| c.centre).collect();
    let sample: Vec<LatLon> = origins.iter().step_by(35).copied().collect();
    let travel = Access::StraightLine(StraightLine::default());
    let mut group = c.benchmark_group("nearest_site");
    group.sample_size(10);
    group.bench_function("rtree_1000_communes", |b| {
        b.iter(|| black_box(travel.nearest(&sample, &sites)))
    });
    group.bench_function("brute_force_1000_communes", |b| {
        b.iter(|| {
            let nearest: Vec<f64> = sample
                .iter()
                .map(|o| {
                    sites
                        .iter()
                        .map(|s| Haversine.distance(Point::new(o.lon, o.lat), Point::new(s.lon, s.lat)))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            black_box(nearest)
        })
    });
    group.bench_function("rtree_national", |b| {
        b.iter(|| black_box(travel.nearest(&origins, &sites)))
    });
    group.finish();
}

criterion_group!(benches, nearest_site);
criterion_main!(benches);
