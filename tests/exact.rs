//! Exact mode: the MILP optimum equals brute-force enumeration on a tiny
//! case, and the heuristic solver reaches the MILP optimum on bus
//! instances of up to 12 communes.

mod common;

use tournee::schedule::check::check;
use tournee::schedule::exact;

use tournee::schedule::as_pvrp::{SolveOptions, solve};

/// The heuristic's effort when it is held to the optimum.
const THOROUGH: SolveOptions = SolveOptions {
    seed: 1,
    iterations: 20_000,
};

#[test]
fn milp_optimum_equals_enumeration() {
    // Five monthly communes, Mondays only: 8 slots, 6,720 placements.
    let instance = common::apt_subset(3, 5, &[1], "\"Mon\"");
    let slots = common::monday_slots();
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
        let instance = common::apt_subset(skip, count, &visits, days);
        let optimum = exact::solve(&instance).unwrap();
        assert!(check(&instance, &optimum.plan).is_empty());
        let plan = solve(&instance, THOROUGH, &()).unwrap();
        let found = exact::objective(&instance, &plan);
        let bound = exact::lower_bound(&instance).unwrap();
        assert!(
            bound <= optimum.objective + 1e-6,
            "LP bound {bound} above the MILP optimum {}",
            optimum.objective
        );
        let forgetful = exact::pairing_bound(&instance).unwrap();
        assert!(
            forgetful <= optimum.objective + 1e-6 && forgetful > 0.0,
            "bound with the calendar forgotten {forgetful}, MILP optimum {}",
            optimum.objective
        );
        assert!(
            (found - optimum.objective).abs() < 1e-3,
            "{count} communes on {days}: solver {found:.1} s, optimum {:.1} s",
            optimum.objective
        );
    }
}

#[test]
fn the_milp_holds_rolling_cycles_and_whole_days() {
    // Ruffecois: a 2-week rotation on ISO parity with four whole days. The
    // MILP plan keeps every rule, its objective is its plan's, and the
    // heuristic is not below it (nor, here, above).
    use tournee::input::territory::{Territory, Unlocated};
    let root = common::root();
    let scenario =
        tournee::input::scenario::Scenario::from_path(&root.join("data/published/ruffecois/scenario.toml")).unwrap();
    let territory = Territory::read(&root.join("data/published/ruffecois/communes.csv"), Unlocated::Refuse).unwrap();
    let instance = tournee::schedule::model::Instance::straight_line(territory, &scenario).unwrap();
    let optimum = exact::solve(&instance).unwrap();
    assert_eq!(check(&instance, &optimum.plan), Vec::<String>::new());
    assert!((exact::objective(&instance, &optimum.plan) - optimum.objective).abs() < 1e-3);
    let plan = solve(&instance, THOROUGH, &()).unwrap();
    let heuristic = exact::objective(&instance, &plan);
    assert!(
        heuristic >= optimum.objective - 1e-3,
        "heuristic {heuristic} below the optimum {}",
        optimum.objective
    );
    assert!(
        heuristic <= optimum.objective + 1e-3,
        "heuristic {heuristic} above the optimum {}",
        optimum.objective
    );
}

/// Two monthly communes and one bus: the calendar cannot matter (any
/// free day takes them), so forgetting it loses nothing and the bound is
/// the optimum: one day through both, or two round trips if cheaper.
#[test]
fn with_two_communes_the_calendar_free_bound_is_the_optimum() {
    for skip in [0, 4, 9] {
        let instance = common::apt_subset(skip, 2, &[1], "\"Mon\", \"Thu\"");
        let optimum = exact::solve(&instance).unwrap().objective;
        let bound = exact::pairing_bound(&instance).unwrap();
        assert!(
            (bound - optimum).abs() < 1e-6,
            "communes {skip}–{}: bound {bound}, optimum {optimum}",
            skip + 1
        );
    }
}
