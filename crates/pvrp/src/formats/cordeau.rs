//! Cordeau's PVRP file format (type 1), as in `../shared/pvrp/README.md`,
//! and his solution format (`.res`).

use super::Error;
use crate::{Customer, DaySet, Pattern, Problem, Solution, Vehicle};
use std::fmt::Write as _;
use std::path::Path;

type Result<T> = std::result::Result<T, Error>;

/// Largest instance read: its dense distance matrix takes 3.2 GB.
const MAX_CUSTOMERS: usize = 20_000;
/// Vehicles a day, far above any benchmark's.
const MAX_VEHICLES: usize = 10_000;

/// Reads a type-1 (PVRP) instance; distances are Euclidean in double
/// precision, as the literature uses them.
pub fn read(path: &Path) -> Result<Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(path, None, e.to_string()))?;
    let name = path
        .file_stem()
        .map_or("instance".into(), |s| s.to_string_lossy().into_owned());
    parse(&text, &name, path)
}

/// Parses instance text; `path` is only used in messages.
pub fn parse(text: &str, name: &str, path: &Path) -> Result<Problem> {
    parse_instance(text, name, path).map(|instance| instance.problem)
}

/// An instance as the file gives it: the problem, and the coordinates its
/// distances come from (which the problem itself does not keep).
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The problem, distances Euclidean between `coords`.
    pub problem: Problem,
    /// Node coordinates: the depot, then the customers.
    pub coords: Vec<(f64, f64)>,
}

/// Parses instance text, keeping the coordinates (for [`write()`]).
pub fn parse_instance(text: &str, name: &str, path: &Path) -> Result<Instance> {
    let mut records = super::records::Records::new(text, path);
    let (_, head) = records.next("the header `type m n t`", 4)?;
    let (kind, vehicles, n, days) = (head[0] as u32, head[1] as usize, head[2] as usize, head[3] as usize);
    if kind != 1 {
        return Err(Error::new(
            path,
            Some(1),
            format!("problem type {kind}: expected 1 (PVRP)"),
        ));
    }
    let whole = head[1..4].iter().all(|v| v.fract() == 0.0);
    if !whole
        || !(1..=31).contains(&days)
        || !(1..=MAX_VEHICLES).contains(&vehicles)
        || !(1..=MAX_CUSTOMERS).contains(&n)
    {
        return Err(Error::new(
            path,
            Some(1),
            format!("expected whole numbers 1 ≤ m ≤ {MAX_VEHICLES}, 1 ≤ n ≤ {MAX_CUSTOMERS} and 1 ≤ t ≤ 31"),
        ));
    }
    let mut capacity = Vec::with_capacity(days);
    let mut max_duration = Vec::with_capacity(days);
    for _ in 0..days {
        let (_, dq) = records.next("a `D Q` line per day", 2)?;
        max_duration.push((dq[0] > 0.0).then_some(dq[0]));
        capacity.push(dq[1]);
    }
    let mut coords = Vec::with_capacity(n + 1);
    let mut customers = Vec::with_capacity(n);
    for node in 0..=n {
        let (line, v) = records.next("one line per node, depot first: i x y d q f a c1 … ca", 7)?;
        let at = Some(line);
        coords.push((v[1], v[2]));
        if node == 0 {
            continue;
        }
        let (frequency, count) = (v[5] as u32, v[6] as usize);
        if count == 0 {
            return Err(Error::new(
                path,
                at,
                "0 patterns announced: expected at least one pattern per customer",
            ));
        }
        if v.len() - 7 < count {
            return Err(Error::new(
                path,
                at,
                format!("{count} patterns announced, {} given", v.len() - 7),
            ));
        }
        let patterns: Vec<Pattern> = v[7..7 + count]
            .iter()
            .map(|&code| Pattern::days(from_code(code as u32, days)))
            .collect();
        if let Some(bad) = patterns
            .iter()
            .find(|p| p.days.count_ones() != frequency || p.days >> days != 0)
        {
            return Err(Error::new(
                path,
                at,
                format!(
                    "pattern {:#b} does not have {frequency} day(s) within {days} days",
                    bad.days
                ),
            ));
        }
        customers.push(Customer {
            node,
            service: v[3],
            demand: v[4],
            frequency,
            patterns,
            ..Customer::default()
        });
    }
    let nodes = n + 1;
    let mut dist = vec![0.0; nodes * nodes];
    for (i, a) in coords.iter().enumerate() {
        for (j, b) in coords.iter().enumerate() {
            dist[i * nodes + j] = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        }
    }
    let problem = Problem {
        name: name.to_string(),
        days,
        vehicles: vec![
            Vehicle {
                depot: 0,
                days: (1 << days) - 1,
                ..Vehicle::default()
            };
            vehicles
        ],
        capacity,
        max_duration,
        customers,
        dist,
        nodes,
        ..Problem::default()
    };
    Ok(Instance { problem, coords })
}

/// The instance in Cordeau's format, as [`parse_instance`] reads it back:
/// numbers in Rust's shortest round-trip form, so read → write → read
/// gives the same problem bit for bit.
pub fn write(instance: &Instance) -> String {
    let p = &instance.problem;
    let mut out = format!("1 {} {} {}\n", p.vehicles.len(), p.customers.len(), p.days);
    for day in 0..p.days {
        let _ = writeln!(out, "{} {}", p.max_duration[day].unwrap_or(0.0), p.capacity[day]);
    }
    let (x, y) = instance.coords[0];
    let _ = writeln!(out, "0 {x} {y} 0 0 0 0");
    for (c, customer) in p.customers.iter().enumerate() {
        let (x, y) = instance.coords[customer.node];
        let _ = write!(
            out,
            "{} {x} {y} {} {} {} {}",
            c + 1,
            customer.service,
            customer.demand,
            customer.frequency,
            customer.patterns.len()
        );
        for pattern in &customer.patterns {
            let _ = write!(out, " {}", to_code(pattern.days, p.days));
        }
        out.push('\n');
    }
    out
}

/// The inverse of [`from_code`].
fn to_code(set: DaySet, days: usize) -> u32 {
    (0..days)
        .filter(|d| set & (1 << d) != 0)
        .fold(0, |code, d| code | (1 << (days - 1 - d)))
}

/// Cordeau's codes read the t-bit string left to right: the most
/// significant bit is day 1.
pub(super) fn from_code(code: u32, days: usize) -> DaySet {
    (0..days)
        .filter(|d| code & (1 << (days - 1 - d)) != 0)
        .fold(0, |set, d| set | (1 << d))
}

/// The solution in Cordeau's `.res` format: the total cost, then one line
/// per route `day vehicle duration load 0 … 0`.
pub fn write_res(problem: &Problem, solution: &Solution) -> String {
    let mut out = format!("{:.2}\n", solution.travel(problem));
    for (day, routes) in solution.routes.iter().enumerate() {
        let used = routes.iter().enumerate().filter(|(_, r)| !r.is_empty());
        for (number, (k, route)) in used.enumerate() {
            let load: f64 = route.iter().map(|&c| problem.customers[c].demand).sum();
            let _ = write!(
                out,
                "{} {} {:.2} {:.0} 0",
                day + 1,
                number + 1,
                problem.route_cost(k, route),
                load
            );
            for &c in route {
                let _ = write!(out, " {}", problem.customers[c].node);
            }
            out.push_str(" 0\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_codes_read_left_to_right() {
        // README: with t=5, code 10 = 01010 means days 2 and 4.
        assert_eq!(from_code(10, 5), (1 << 1) | (1 << 3));
        assert_eq!(from_code(16, 5), 1);
    }
}
