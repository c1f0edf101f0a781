//! The checker: verifies a solution against the problem from the solution
//! alone, without anything the search computed. Each rule of
//! the search's constraints is checked here too, plus what the search keeps
//! by construction (each customer on its pattern's days, once a day, on
//! vehicles that work then).

use crate::{Problem, Solution, Window, days_in};

/// Tolerance on limits, for floating-point sums.
const EPS: f64 = 1e-6;

/// One sentence per broken rule; empty when the solution is feasible.
pub fn check(problem: &Problem, solution: &Solution) -> Vec<String> {
    let mut broken = Vec::new();
    if solution.patterns.len() != problem.customers.len() || solution.routes.len() != problem.days {
        broken.push(format!(
            "the solution has {} patterns and {} days; the problem has {} customers and {} days",
            solution.patterns.len(),
            solution.routes.len(),
            problem.customers.len(),
            problem.days
        ));
        return broken;
    }
    check_visits(problem, solution, &mut broken);
    check_groups(problem, solution, &mut broken);
    for (day, routes) in solution.routes.iter().enumerate() {
        for (vehicle, route) in routes.iter().enumerate() {
            check_route(problem, solution, day, vehicle, route, &mut broken);
        }
    }
    broken
}

/// Each customer is visited on exactly its pattern's days, once each, by
/// the pattern's vehicle when it names one.
fn check_visits(p: &Problem, s: &Solution, broken: &mut Vec<String>) {
    let mut seen = vec![Vec::new(); p.customers.len()];
    for (day, routes) in s.routes.iter().enumerate() {
        if routes.len() > p.vehicles.len() {
            broken.push(format!(
                "day {day}: {} routes for {} vehicles",
                routes.len(),
                p.vehicles.len()
            ));
        }
        for (vehicle, route) in routes.iter().enumerate() {
            for &c in route {
                match seen.get_mut(c) {
                    Some(visits) => visits.push((day, vehicle)),
                    None => broken.push(format!("day {day}: unknown customer {c}")),
                }
            }
        }
    }
    for (c, visits) in seen.iter().enumerate() {
        let customer = &p.customers[c];
        let Some(pattern) = customer.patterns.get(s.patterns[c]) else {
            broken.push(format!(
                "customer {c}: pattern {} of {}",
                s.patterns[c],
                customer.patterns.len()
            ));
            continue;
        };
        let days: Vec<usize> = visits.iter().map(|v| v.0).collect();
        let expected: Vec<usize> = days_in(pattern.days).collect();
        if days != expected || days.len() > customer.frequency as usize {
            broken.push(format!(
                "customer {c}: visited on days {days:?}, its pattern has {expected:?} for {} visits",
                customer.frequency
            ));
        }
        if let Some(&(day, other)) = visits.iter().find(|v| {
            p.vehicles
                .get(v.1)
                .is_some_and(|vehicle| !pattern.allows(v.1, vehicle.depot))
        }) {
            broken.push(format!(
                "customer {c}: day {day} on vehicle {other} (depot {}), its pattern names vehicle {:?}, depot {:?}",
                p.vehicles[other].depot, pattern.vehicle, pattern.depot
            ));
        }
    }
}

/// No two customers of one group are visited on the same day.
fn check_groups(p: &Problem, s: &Solution, broken: &mut Vec<String>) {
    let days = |c: usize| {
        p.customers[c]
            .patterns
            .get(s.patterns[c])
            .map_or(0, |pattern| pattern.days)
    };
    for (c, mates) in p.groupmates().iter().enumerate() {
        for &o in mates.iter().filter(|&&o| o > c) {
            let shared: Vec<usize> = days_in(days(c) & days(o)).collect();
            if !shared.is_empty() {
                broken.push(format!(
                    "customers {c} and {o}, of one group, are both visited on days {shared:?}"
                ));
            }
        }
    }
}

/// A route keeps its vehicle's days, the capacity, the duration and
/// driving limits, and its windows.
fn check_route(p: &Problem, s: &Solution, day: usize, vehicle: usize, route: &[usize], broken: &mut Vec<String>) {
    let (Some(v), false) = (p.vehicles.get(vehicle), route.is_empty()) else {
        return;
    };
    if route.iter().any(|&c| c >= p.customers.len()) {
        return;
    }
    let at = format!("day {day}, vehicle {vehicle}");
    if v.days & (1 << day) == 0 {
        broken.push(format!("{at}: the vehicle does not work that day"));
    }
    let load: f64 = route.iter().map(|&c| p.customers[c].demand).sum();
    if load > p.capacity[day] + EPS {
        broken.push(format!("{at}: load {load} above the capacity {}", p.capacity[day]));
    }
    let window = |c: usize| -> Option<Window> { p.customers[c].patterns.get(s.patterns[c])?.window };
    let timing = p.timing(vehicle, route.iter().map(|&c| (c, window(c))));
    if let Some(limit) = p.max_duration[day]
        && timing.travel + timing.service > limit + EPS
    {
        broken.push(format!(
            "{at}: duration {:.2} above the limit {limit}",
            timing.travel + timing.service
        ));
    }
    if let Some(limit) = v.limits.travel
        && timing.travel > limit + EPS
    {
        broken.push(format!("{at}: travel {:.2} above the limit {limit}", timing.travel));
    }
    if let Some(limit) = v.limits.length {
        let length = p.route_length(vehicle, route);
        if length > limit + EPS {
            broken.push(format!("{at}: length {length:.2} above the limit {limit}"));
        }
    }
    if timing.warp > EPS {
        broken.push(format!("{at}: {:.2} late at closed windows", timing.warp));
    }
}
