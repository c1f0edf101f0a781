//! Ruin and recreate with simulated annealing, adapted to periodic visits
//! (after Christiaens & Vanden Berghe's SISR for the CVRP).
//!
//! A customer is always removed from *all* its days at once, and put back
//! with the allowed pattern whose days give the cheapest total insertion:
//! so every move can change patterns, and patterns stay valid by
//! construction. Ruin removes strings of consecutive customers from routes
//! near a random seed, or a seed's neighbourhood, or random customers;
//! recreate inserts them in a random order (random, by demand, by distance
//! to the depot) with blinks. Capacity and duration are kept whenever a
//! feasible position exists and otherwise penalised, so the search never
//! gets stuck; the best *feasible* solution is returned.
//!
//! Each day has exactly `vehicles` route slots, so the fleet limit holds by
//! construction and route indices stay stable.

use super::{DaySet, Problem, Solution};
use indicatif::ProgressBar;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

/// When to stop and how to draw random numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub seed: u64,
    /// Iteration budget: with it alone, a run is reproducible bit for bit.
    pub iterations: Option<u64>,
    /// Wall-clock budget: the run uses it fully, so the result depends on
    /// the machine's speed.
    pub time_limit: Option<Duration>,
    /// Independent annealing chains run in parallel (seeds `seed`,
    /// `seed + 1`, …); the best is kept.
    pub threads: usize,
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub solution: Solution,
    pub cost: f64,
    pub feasible: bool,
    pub iterations: u64,
}

/// Cost per unit of excess load or duration.
const PENALTY: f64 = 1.0e4;
const EPS: f64 = 1e-7;
/// Probability of skipping an insertion position (SISR's blinks).
const BLINK: f64 = 0.01;
/// Neighbours kept per customer for ruin.
const NEIGHBOURS: usize = 40;

#[derive(Debug, Clone, Default)]
struct Route {
    customers: Vec<usize>,
    load: f64,
    travel: f64,
    service: f64,
}

#[derive(Debug, Clone)]
struct State {
    patterns: Vec<DaySet>,
    /// `days × vehicles` route slots.
    routes: Vec<Vec<Route>>,
}

struct Search<'a> {
    p: &'a Problem,
    neighbours: Vec<Vec<usize>>,
    rng: ChaCha8Rng,
}

impl<'a> Search<'a> {
    fn refresh(&self, route: &mut Route) {
        route.travel = self.p.route_cost(&route.customers);
        route.load = route.customers.iter().map(|&c| self.p.customers[c].demand).sum();
        route.service = route.customers.iter().map(|&c| self.p.customers[c].service).sum();
    }

    fn excess(&self, day: usize, load: f64, duration: f64) -> f64 {
        let over_load = (load - self.p.capacity[day]).max(0.0);
        let over_time = self.p.max_duration[day].map_or(0.0, |d| (duration - d).max(0.0));
        over_load + over_time
    }

    fn route_cost(&self, day: usize, r: &Route) -> f64 {
        r.travel + PENALTY * self.excess(day, r.load, r.travel + r.service)
    }

    fn cost(&self, s: &State) -> f64 {
        s.routes
            .iter()
            .enumerate()
            .flat_map(|(d, rs)| rs.iter().map(move |r| (d, r)))
            .map(|(d, r)| self.route_cost(d, r))
            .sum()
    }

    fn feasible(&self, s: &State) -> bool {
        s.routes
            .iter()
            .enumerate()
            .all(|(d, rs)| rs.iter().all(|r| self.excess(d, r.load, r.travel + r.service) <= EPS))
            && s.patterns.iter().all(|p| *p != 0)
    }

    /// Cheapest position for customer `c` on `day`: (cost, route, index).
    fn best_insertion(&mut self, s: &State, c: usize, day: usize) -> (f64, usize, usize) {
        let cust = &self.p.customers[c];
        let v = cust.node;
        let mut best = (f64::INFINITY, usize::MAX, 0);
        let mut empty_tried = false;
        for (ri, r) in s.routes[day].iter().enumerate() {
            if r.customers.is_empty() {
                if empty_tried {
                    continue;
                }
                empty_tried = true;
            }
            let before = self.excess(day, r.load, r.travel + r.service);
            let mut prev = 0;
            for i in 0..=r.customers.len() {
                let next = r.customers.get(i).map_or(0, |&n| self.p.customers[n].node);
                let delta = self.p.d(prev, v) + self.p.d(v, next) - self.p.d(prev, next);
                prev = next;
                if self.rng.random::<f64>() < BLINK && best.1 != usize::MAX {
                    continue;
                }
                let after = self.excess(day, r.load + cust.demand, r.travel + delta + r.service + cust.service);
                let cost = delta + PENALTY * (after - before);
                if cost < best.0 {
                    best = (cost, ri, i);
                }
            }
        }
        best
    }

    /// Inserts `c` with its cheapest allowed pattern.
    fn insert(&mut self, s: &mut State, c: usize) {
        let days = self.p.days;
        let mut per_day = vec![(f64::INFINITY, usize::MAX, 0); days];
        let union = self.p.customers[c].patterns.iter().fold(0, |u, p| u | p);
        for (day, slot) in per_day.iter_mut().enumerate() {
            if union & (1 << day) != 0 {
                *slot = self.best_insertion(s, c, day);
            }
        }
        let patterns = &self.p.customers[c].patterns;
        let pattern_cost = |p: DaySet| {
            (0..days)
                .filter(|d| p & (1 << d) != 0)
                .map(|d| per_day[d].0)
                .sum::<f64>()
        };
        let best = *patterns
            .iter()
            .min_by(|a, b| pattern_cost(**a).total_cmp(&pattern_cost(**b)))
            .expect("every customer has a pattern");
        s.patterns[c] = best;
        for (day, &(_, ri, i)) in per_day.iter().enumerate() {
            if best & (1 << day) != 0 {
                let route = &mut s.routes[day][ri];
                route.customers.insert(i, c);
                self.refresh(route);
            }
        }
    }

    fn remove(&self, s: &mut State, c: usize) {
        let pattern = std::mem::take(&mut s.patterns[c]);
        for day in (0..self.p.days).filter(|d| pattern & (1 << d) != 0) {
            if let Some(route) = s.routes[day].iter_mut().find(|r| r.customers.contains(&c)) {
                route.customers.retain(|&x| x != c);
                self.refresh(route);
            }
        }
    }

    /// Picks customers to remove (without removing them yet).
    fn ruin(&mut self, s: &State) -> Vec<usize> {
        let n = self.p.customers.len();
        let target = self.rng.random_range(1..=(n / 4).clamp(10, 30)).min(n);
        let seed = self.rng.random_range(0..n);
        let mut removed = vec![seed];
        let take = |c: usize, removed: &mut Vec<usize>| {
            if removed.len() < target && !removed.contains(&c) {
                removed.push(c);
            }
        };
        match self.rng.random_range(0..10) {
            0..6 => {
                // Strings from the routes of the seed's neighbours.
                for k in 0..self.neighbours[seed].len() {
                    let c = self.neighbours[seed][k];
                    if removed.len() >= target {
                        break;
                    }
                    let days: Vec<usize> = (0..self.p.days).filter(|d| s.patterns[c] & (1 << d) != 0).collect();
                    if days.is_empty() {
                        continue;
                    }
                    let day = days[self.rng.random_range(0..days.len())];
                    let Some(route) = s.routes[day].iter().find(|r| r.customers.contains(&c)) else {
                        continue;
                    };
                    let at = route.customers.iter().position(|&x| x == c).expect("found above");
                    let len = self.rng.random_range(1..=route.customers.len().min(10));
                    let start = at
                        .saturating_sub(self.rng.random_range(0..len))
                        .min(route.customers.len() - len);
                    for &x in &route.customers[start..start + len] {
                        take(x, &mut removed);
                    }
                }
            }
            6..9 => {
                for k in 0..self.neighbours[seed].len() {
                    take(self.neighbours[seed][k], &mut removed);
                }
            }
            _ => {
                while removed.len() < target {
                    let c = self.rng.random_range(0..n);
                    take(c, &mut removed);
                }
            }
        }
        removed
    }

    fn recreate(&mut self, s: &mut State, mut removed: Vec<usize>) {
        match self.rng.random_range(0..10) {
            0..4 => shuffle(&mut removed, &mut self.rng),
            4..8 => removed.sort_by(|a, b| self.p.customers[*b].demand.total_cmp(&self.p.customers[*a].demand)),
            8 => removed.sort_by(|a, b| {
                let far = |c: &usize| self.p.d(0, self.p.customers[*c].node);
                far(b).total_cmp(&far(a))
            }),
            _ => removed.sort_by(|a, b| {
                let near = |c: &usize| self.p.d(0, self.p.customers[*c].node);
                near(a).total_cmp(&near(b))
            }),
        }
        for c in removed {
            self.insert(s, c);
        }
    }
}

fn shuffle(v: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
}

/// Solves `problem` with `options.threads` chains; stops at the first of
/// the iteration budget and the time limit (at least one must be set).
/// Ties go to the lowest seed, so the result does not depend on which
/// thread finishes first.
pub fn solve(problem: &Problem, options: Options, progress: &ProgressBar) -> Outcome {
    let threads = options.threads.max(1) as u64;
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let chain = Options {
                    seed: options.seed.wrapping_add(k),
                    ..options
                };
                let bar = if k == 0 {
                    progress.clone()
                } else {
                    ProgressBar::hidden()
                };
                scope.spawn(move || anneal(problem, chain, &bar))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a search thread panicked"))
            .collect()
    });
    let iterations = outcomes.iter().map(|o| o.iterations).sum();
    let best = outcomes
        .into_iter()
        .reduce(|a, b| {
            if (b.feasible, -b.cost) > (a.feasible, -a.cost) {
                b
            } else {
                a
            }
        })
        .expect("at least one chain");
    Outcome { iterations, ..best }
}

/// One annealing chain.
fn anneal(problem: &Problem, options: Options, progress: &ProgressBar) -> Outcome {
    let n = problem.customers.len();
    let neighbours = (0..n)
        .map(|c| {
            let mut others: Vec<usize> = (0..n).filter(|&o| o != c).collect();
            let node = problem.customers[c].node;
            others.sort_by(|a, b| {
                problem
                    .d(node, problem.customers[*a].node)
                    .total_cmp(&problem.d(node, problem.customers[*b].node))
            });
            others.truncate(NEIGHBOURS);
            others
        })
        .collect();
    let mut search = Search {
        p: problem,
        neighbours,
        rng: ChaCha8Rng::seed_from_u64(options.seed),
    };
    let mut current = State {
        patterns: vec![0; n],
        routes: vec![vec![Route::default(); problem.vehicles]; problem.days],
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&c| {
        (
            std::cmp::Reverse(problem.customers[c].frequency),
            problem.customers[c].patterns.len(),
        )
    });
    for c in order {
        search.insert(&mut current, c);
    }
    let mut current_cost = search.cost(&current);
    let mut best = current.clone();
    let mut best_cost = current_cost;
    let mut best_feasible = search.feasible(&current);
    let visits: u32 = problem.customers.iter().map(|c| c.frequency).sum();
    let average_edge = (current_cost.min(1e12) / f64::from(visits.max(1))).max(1e-3);
    let (t0, tf) = (average_edge, average_edge * 0.01);
    let start = Instant::now();
    let iterations = options.iterations.unwrap_or(u64::MAX);
    progress.set_length(1000);
    let mut it = 0;
    while it < iterations {
        let fraction = match options.time_limit {
            Some(limit) => {
                let by_time = start.elapsed().as_secs_f64() / limit.as_secs_f64();
                if by_time >= 1.0 {
                    break;
                }
                by_time.max(it as f64 / iterations as f64)
            }
            None => it as f64 / iterations as f64,
        };
        let temperature = t0 * (tf / t0).powf(fraction);
        let mut candidate = current.clone();
        let removed = search.ruin(&candidate);
        for &c in &removed {
            search.remove(&mut candidate, c);
        }
        search.recreate(&mut candidate, removed);
        let cost = search.cost(&candidate);
        let threshold = current_cost - temperature * search.rng.random::<f64>().max(1e-300).ln();
        if cost < threshold {
            current = candidate;
            current_cost = cost;
            let feasible = search.feasible(&current);
            if (feasible && !best_feasible) || (feasible == best_feasible && cost < best_cost - EPS) {
                best = current.clone();
                best_cost = cost;
                best_feasible = feasible;
            }
        }
        it += 1;
        if it.is_multiple_of(1024) {
            progress.set_position((fraction * 1000.0) as u64);
        }
    }
    progress.finish_and_clear();
    let solution = Solution {
        patterns: best.patterns.clone(),
        routes: best
            .routes
            .iter()
            .map(|rs| {
                rs.iter()
                    .filter(|r| !r.customers.is_empty())
                    .map(|r| r.customers.clone())
                    .collect()
            })
            .collect(),
    };
    let cost = solution.cost(problem);
    Outcome {
        solution,
        cost,
        feasible: best_feasible,
        iterations: it,
    }
}
