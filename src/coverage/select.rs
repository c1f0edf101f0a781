//! Choosing where the bus should stop: a maximal-covering location model.
//! Under a budget of half-days a month, pick stops and their frequencies
//! so as to bring the most inhabitants, not yet within reach of a fixed
//! site, within reach of a bus stop. Solved exactly with good_lp.
//!
//! A commune counts as covered by a stop only if the stop is visited at
//! least as often as the commune's own size calls for (the scenario's
//! frequency rule): a town of 3,000 is not served by a monthly stop.

use crate::csv_out::CsvOut;
use crate::error::{Error, Result};
use good_lp::{Expression, Solution, SolverModel, Variable, constraint, microlp, variable, variables};

/// The visit frequencies a stop can have, in half-days a month.
const FREQUENCIES: [u8; 3] = [1, 2, 4];

/// A commune whose residents are not yet within reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncovered {
    /// Index of the commune in the territory.
    pub commune: usize,
    pub population: u64,
    /// Visits a month a stop needs to count as serving this commune.
    pub need: u8,
}

/// The covering problem.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverProblem {
    pub demands: Vec<Uncovered>,
    /// Communes that may host the bus, by territory index.
    pub candidates: Vec<usize>,
    /// For each candidate, the demands (indices) within reach of its stop.
    pub reach: Vec<Vec<usize>>,
    /// Half-days a month available.
    pub budget: u32,
}

/// A chosen stop: candidate index and visits a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub candidate: usize,
    pub visits: u8,
}

/// The optimal selection and the evidence of its optimality.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub choices: Vec<Choice>,
    pub covered_population: u64,
    pub half_days: u32,
    /// The LP relaxation's bound on the covered population: the optimum
    /// can be no higher.
    pub lp_bound: f64,
}

impl CoverProblem {
    /// Inhabitants covered by a set of choices.
    pub fn covered(&self, choices: &[Choice]) -> u64 {
        let mut covered = vec![false; self.demands.len()];
        for c in choices {
            for &d in &self.reach[c.candidate] {
                covered[d] |= c.visits >= self.demands[d].need;
            }
        }
        covered
            .iter()
            .zip(&self.demands)
            .filter(|(c, _)| **c)
            .map(|(_, d)| d.population)
            .sum()
    }
}

/// Solves the covering problem to optimality. Among selections covering
/// the same population, the one using fewest half-days wins.
pub fn solve(problem: &CoverProblem) -> Result<Selection> {
    let (choices, _) = optimise(problem, true)?;
    let (_, lp_bound) = optimise(problem, false)?;
    let half_days = choices.iter().map(|c| u32::from(c.visits)).sum();
    Ok(Selection {
        covered_population: problem.covered(&choices),
        choices,
        half_days,
        lp_bound,
    })
}

/// The model, with binary stop choices (`integer`) or their relaxation;
/// returns the choices read from the solution and the covered population
/// the objective promises.
fn optimise(problem: &CoverProblem, integer: bool) -> Result<(Vec<Choice>, f64)> {
    let mut vars = variables!();
    let y: Vec<Vec<Variable>> = problem
        .candidates
        .iter()
        .map(|_| {
            FREQUENCIES
                .iter()
                .map(|_| {
                    let v = variable().min(0.0).max(1.0);
                    vars.add(if integer { v.integer() } else { v })
                })
                .collect()
        })
        .collect();
    let x: Vec<Variable> = problem
        .demands
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let half_days: Expression = y
        .iter()
        .flat_map(|row| row.iter().zip(FREQUENCIES).map(|(v, f)| f64::from(f) * *v))
        .sum();
    let population: Expression = x
        .iter()
        .zip(&problem.demands)
        .map(|(x, d)| d.population as f64 * *x)
        .sum();
    // Less than one inhabitant for the whole budget: a tie-breaker only.
    let epsilon = 0.5 / f64::from(problem.budget.max(1));
    let mut model = vars
        .maximise(population.clone() - epsilon * half_days.clone())
        .using(microlp)
        .with(constraint!(half_days <= problem.budget));
    for row in &y {
        model = model.with(constraint!(row.iter().copied().sum::<Expression>() <= 1));
    }
    for (d, demand) in problem.demands.iter().enumerate() {
        let serving: Expression = problem
            .reach
            .iter()
            .enumerate()
            .filter(|(_, reach)| reach.contains(&d))
            .flat_map(|(c, _)| {
                FREQUENCIES
                    .iter()
                    .zip(&y[c])
                    .filter(|(f, _)| **f >= demand.need)
                    .map(|(_, v)| *v)
            })
            .sum();
        model = model.with(constraint!(x[d] <= serving));
    }
    let solution = model
        .solve()
        .map_err(|e| Error::infeasible(format!("stop selection: {e}")))?;
    let choices = y
        .iter()
        .enumerate()
        .filter_map(|(c, row)| {
            let k = row.iter().position(|v| solution.value(*v) > 0.5)?;
            Some(Choice {
                candidate: c,
                visits: FREQUENCIES[k],
            })
        })
        .collect();
    Ok((choices, solution.eval(&population)))
}

/// The communes each choice brings within reach (that need no more visits
/// than it gets), as territory indices.
fn served_by(problem: &CoverProblem, choice: &Choice) -> Vec<usize> {
    problem.reach[choice.candidate]
        .iter()
        .filter(|&&d| choice.visits >= problem.demands[d].need)
        .map(|&d| problem.demands[d].commune)
        .collect()
}

/// The selection as text: what was out of reach, what is chosen, and the
/// proof of optimality.
pub fn report(
    problem: &CoverProblem,
    selection: &Selection,
    territory: &crate::input::territory::Territory,
    minutes: f64,
    travel: &str,
) -> String {
    use std::fmt::Write as _;
    let names = |communes: &[usize]| -> String {
        communes
            .iter()
            .map(|&c| territory.communes[c].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let far: u64 = problem.demands.iter().map(|d| d.population).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nStop selection — budget {} half-days a month, within {minutes} min\n{travel}\n{} inhabitants in {} communes live more than {minutes} min from a fixed site or a commune served otherwise (visits_per_month = 0).",
        problem.budget,
        far,
        problem.demands.len()
    );
    let share = selection.covered_population as f64 / far.max(1) as f64 * 100.0;
    let _ = writeln!(
        out,
        "Chosen: {} stops, {} half-days, bringing {} of them ({share:.1} %) within reach. Optimal: proven by the MILP (good_lp, microlp branch and bound); the LP relaxation bounds it at {:.0}.",
        selection.choices.len(),
        selection.half_days,
        selection.covered_population,
        selection.lp_bound
    );
    for choice in &selection.choices {
        let commune = &territory.communes[problem.candidates[choice.candidate]];
        let _ = writeln!(
            out,
            "  {:<24} {} visit(s) a month → {}",
            commune.name,
            choice.visits,
            names(&served_by(problem, choice))
        );
    }
    out
}

/// `selection.csv`: one row per chosen stop.
pub fn csv(
    problem: &CoverProblem,
    selection: &Selection,
    territory: &crate::input::territory::Territory,
) -> Result<Vec<u8>> {
    let mut w = CsvOut::new("selection.csv");
    w.row(["insee", "name", "visits_per_month", "serves_insee", "serves_population"])?;
    for choice in &selection.choices {
        let commune = &territory.communes[problem.candidates[choice.candidate]];
        let served = served_by(problem, choice);
        let codes: Vec<&str> = served.iter().map(|&c| territory.communes[c].insee.as_str()).collect();
        let population: u64 = served
            .iter()
            .map(|&c| u64::from(territory.communes[c].population))
            .sum();
        w.row([
            commune.insee.clone(),
            commune.name.clone(),
            choice.visits.to_string(),
            codes.join(";"),
            population.to_string(),
        ])?;
    }
    w.finish()
}
