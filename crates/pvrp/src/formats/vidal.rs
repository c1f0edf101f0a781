//! Vidal et al.'s multi-depot periodic instances ("type 8", the format of
//! `../shared/pvrp/mdpvrp/README.md`) and their `.res` solutions.
//!
//! Each depot has `m` vehicles a day; a customer is served from one depot,
//! all its visits (the stricter reading of the definition: a cost can come
//! out above the table, never falsely below). Here a pattern is a day
//! combination and one vehicle, which fixes the depot; the time windows of
//! the file are ignored, as its note requires.

use super::Error;
use super::cordeau::from_code;
use crate::{Customer, Pattern, Problem, Solution, Vehicle};
use std::fmt::Write as _;
use std::path::Path;

type Result<T> = std::result::Result<T, Error>;

/// Depots, vehicles per depot and customers read at most.
const MAX_DEPOTS: usize = 1_000;
const MAX_PER_DEPOT: usize = 1_000;
const MAX_CUSTOMERS: usize = 20_000;

/// Parses a type-8 instance; `path` is only used in messages.
pub fn parse(text: &str, name: &str, path: &Path) -> Result<Problem> {
    let mut records = super::records::Records::new(text, path);
    let (_, head) = records.next("the header `8 m n t d`", 5)?;
    if head[0] != 8.0 {
        return Err(Error::new(
            path,
            Some(1),
            format!("problem type {}: expected 8 (MDPVRP)", head[0]),
        ));
    }
    let whole = head[1..5].iter().all(|v| v.fract() == 0.0 && *v >= 1.0);
    let (per_depot, n, days, depots) = (head[1] as usize, head[2] as usize, head[3] as usize, head[4] as usize);
    if !whole || per_depot > MAX_PER_DEPOT || n > MAX_CUSTOMERS || days > 31 || depots > MAX_DEPOTS {
        return Err(Error::new(
            path,
            Some(1),
            format!(
                "expected whole numbers 1 ≤ m ≤ {MAX_PER_DEPOT}, 1 ≤ n ≤ {MAX_CUSTOMERS}, 1 ≤ t ≤ 31, 1 ≤ d ≤ {MAX_DEPOTS}"
            ),
        ));
    }
    // One `D Q` line per (depot, day); the core has one limit a day.
    let mut limits: Vec<Option<(f64, f64, u64)>> = vec![None; days];
    for k in 0..depots * days {
        let (line, dq) = records.next("a `D Q` line per depot and day", 2)?;
        let day = k % days;
        match limits[day] {
            Some((d, q, first)) if (d, q) != (dq[0], dq[1]) => {
                return Err(Error::new(
                    path,
                    Some(line),
                    format!(
                        "day {}: D Q = {} {} here, {d} {q} on line {first}: depots with different limits on one day are not supported",
                        day + 1,
                        dq[0],
                        dq[1]
                    ),
                ));
            }
            Some(_) => {}
            None => limits[day] = Some((dq[0], dq[1], line)),
        }
    }
    let limits: Vec<(f64, f64, u64)> = limits.into_iter().flatten().collect();
    let mut coords = Vec::with_capacity(depots + n);
    for _ in 0..depots {
        let (_, v) = records.next("one line per depot: i x y 0 0 0 0 e l", 3)?;
        coords.push((v[1], v[2]));
    }
    let vehicles: Vec<Vehicle> = (0..depots)
        .flat_map(|depot| {
            (0..per_depot).map(move |_| Vehicle {
                depot,
                days: (1 << days) - 1,
                ..Vehicle::default()
            })
        })
        .collect();
    let mut customers = Vec::with_capacity(n);
    for c in 0..n {
        let (line, v) = records.next("one line per customer: i x y s q f a c1 … ca e l", 7)?;
        coords.push((v[1], v[2]));
        let (frequency, count) = (v[5] as u32, v[6] as usize);
        if count == 0 || v.len() < 7 + count {
            return Err(Error::new(
                path,
                Some(line),
                format!(
                    "{count} day combinations announced, {} given: expected at least one",
                    v.len().saturating_sub(7)
                ),
            ));
        }
        let mut patterns = Vec::with_capacity(count * vehicles.len());
        for &code in &v[7..7 + count] {
            let set = from_code(code as u32, days);
            if set.count_ones() != frequency {
                return Err(Error::new(
                    path,
                    Some(line),
                    format!("combination {code} does not have {frequency} day(s) within {days}"),
                ));
            }
            patterns.extend((0..depots).map(|depot| Pattern {
                depot: Some(depot),
                ..Pattern::days(set)
            }));
        }
        customers.push(Customer {
            node: depots + c,
            service: v[3],
            demand: v[4],
            frequency,
            patterns,
            ..Customer::default()
        });
    }
    let nodes = coords.len();
    let mut dist = vec![0.0; nodes * nodes];
    for (i, a) in coords.iter().enumerate() {
        for (j, b) in coords.iter().enumerate() {
            dist[i * nodes + j] = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        }
    }
    Ok(Problem {
        name: name.to_string(),
        days,
        vehicles,
        capacity: limits.iter().map(|l| l.1).collect(),
        max_duration: limits.iter().map(|l| (l.0 > 0.0).then_some(l.0)).collect(),
        customers,
        dist,
        nodes,
        ..Problem::default()
    })
}

/// The solution as `.res`: the total cost, then one line per non-empty
/// route `day depot vehicle duration load depot … depot`, customers by
/// their ids in the instance file.
pub fn write_res(problem: &Problem, solution: &Solution) -> String {
    let depots = problem.vehicles.iter().map(|v| v.depot).max().map_or(1, |d| d + 1);
    let per_depot = problem.vehicles.len() / depots.max(1);
    let mut out = format!("{:.2}\n", solution.travel(problem));
    for (day, routes) in solution.routes.iter().enumerate() {
        for (k, route) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            let depot = problem.vehicles[k].depot;
            let load: f64 = route.iter().map(|&c| problem.customers[c].demand).sum();
            let service: f64 = route.iter().map(|&c| problem.customers[c].service).sum();
            let _ = write!(
                out,
                "{} {depot} {} {:.2} {:.0} {depot}",
                day + 1,
                k % per_depot.max(1) + 1,
                problem.route_cost(k, route) + service,
                load
            );
            for &c in route {
                let _ = write!(out, " {}", problem.customers[c].node);
            }
            let _ = writeln!(out, " {depot}");
        }
    }
    out
}
