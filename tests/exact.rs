//! Exact mode: the MILP optimum equals brute-force enumeration on a tiny
//! case, and the heuristic solver reaches the MILP optimum on bus
//! instances of up to 12 communes.

mod common;

use indicatif::ProgressBar;
use std::path::Path;
use tournee::calendar::{HalfDay, Slot};
use tournee::check::check;
use tournee::exact;
use tournee::model::Instance;
use tournee::pipeline::BUILTINS;

use tournee::scenario::Scenario;
use tournee::solver::{SolveOptions, solve};
use tournee::territory::Territory;

/// `count` communes of Apt-Luberon from `skip`, with their own frequency
/// column, one bus working `weekdays`.
fn small_instance(skip: usize, count: usize, visits: &[u8], weekdays: &str) -> Instance {
    let (full, _) = BUILTINS[0].load().unwrap();
    let mut csv = String::from("insee,name,lat,lon,population,visits_per_month\n");
    for (i, c) in full.communes.iter().skip(skip).take(count).enumerate() {
        let f = visits[i % visits.len()];
        csv += &format!(
            "{},{},{},{},{},{f}\n",
            c.insee, c.name, c.centre.lat, c.centre.lon, c.population
        );
    }
    let territory = Territory::parse(&csv, Path::new("t.csv")).unwrap();
    let scenario = Scenario::parse(
        &format!("[[bus]]\ndepot = {{ lat = 43.88148, lon = 5.38138 }}\nweekdays = [{weekdays}]\n"),
        Path::new("s.toml"),
    )
    .unwrap();
    Instance::straight_line(territory, &scenario).unwrap()
}

#[test]
fn milp_optimum_equals_enumeration() {
    // Five monthly communes, Mondays only: 8 slots, 6,720 placements.
    let instance = small_instance(3, 5, &[1], "\"Mon\"");
    let slots: Vec<Slot> = (1..=4)
        .flat_map(|week| {
            HalfDay::BOTH.map(|half| Slot {
                week,
                weekday: chrono::Weekday::Mon,
                half,
            })
        })
        .collect();
    let best = common::best_by_enumeration(&instance, &slots, &|plan| exact::objective(&instance, plan));
    let result = exact::solve(&instance).unwrap();
    assert!(check(&instance, &result.plan).is_empty());
    assert!(
        (result.objective - best).abs() < 1e-3,
        "MILP {} vs enumeration {best}",
        result.objective
    );
    assert!((exact::objective(&instance, &result.plan) - best).abs() < 1e-3);
}

#[test]
fn the_solver_reaches_the_milp_optimum_on_small_bus_instances() {
    let cases = [
        (0, 8, vec![1, 2], "\"Tue\", \"Thu\""),
        (5, 10, vec![1, 1, 2], "\"Mon\", \"Wed\""),
        (10, 12, vec![1], "\"Mon\", \"Fri\""),
        (2, 12, vec![4, 1, 1, 2, 1, 1], "\"Mon\", \"Tue\", \"Thu\""),
    ];
    for (skip, count, visits, days) in cases {
        let instance = small_instance(skip, count, &visits, days);
        let optimum = exact::solve(&instance).unwrap();
        assert!(check(&instance, &optimum.plan).is_empty());
        let plan = solve(
            &instance,
            SolveOptions {
                seed: 1,
                iterations: 200_000,
            },
            &ProgressBar::hidden(),
        )
        .unwrap();
        let found = exact::objective(&instance, &plan);
        assert!(
            (found - optimum.objective).abs() < 1e-3,
            "{count} communes on {days}: solver {found:.1} s, optimum {:.1} s",
            optimum.objective
        );
    }
}
