//! A solution: each customer's pattern and each day's routes.

use crate::Problem;

/// A solution: the pattern chosen for each customer (an index into its
/// `patterns`) and each day's routes, one per vehicle (empty when unused).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Solution {
    /// Per customer: the index of its pattern in its `patterns`.
    pub patterns: Vec<usize>,
    /// `routes[day][vehicle]`: customer indices in visiting order.
    pub routes: Vec<Vec<Vec<usize>>>,
}

impl Solution {
    /// Total travel cost over all days, each day by its weight.
    pub fn travel(&self, problem: &Problem) -> f64 {
        self.routes
            .iter()
            .enumerate()
            .flat_map(|(d, day)| day.iter().enumerate().map(move |(k, r)| (d, k, r)))
            .map(|(d, k, r)| problem.weight(d) * problem.route_cost(k, r))
            .sum()
    }

    /// The objective: travel plus the chosen patterns' own costs.
    pub fn cost(&self, problem: &Problem) -> f64 {
        let patterns: f64 = self
            .patterns
            .iter()
            .zip(&problem.customers)
            .map(|(&p, c)| c.patterns[p].cost)
            .sum();
        self.travel(problem) + patterns
    }
}
