//! A hybrid genetic search (after Vidal, Crainic, Gendreau, Lahrichi & Rei
//! 2012, for the periodic and multi-depot VRP): a population of locally
//! optimal solutions, parents drawn by a fitness that rewards both cost
//! and distance to the others, a child made of their routes day by day
//! (a simplified PIX crossover), educated by the day's local search and
//! pattern improvement, and the population thinned by the same fitness so
//! that it stays diverse.
//!
//! Used where the day's local search runs (no windows, several vehicles
//! free to serve a visit): there, one annealing chain from one solution
//! stalls on the duration-limited pr-series, where capacity and duration
//! both bind and a good solution differs from a near one by whole routes.

use super::{EPS, Route, Search, State, chain::Chain, meeting::Seat};
use crate::days_in;
use rand::RngExt;

/// Iterations of the budget one child counts for: breeding and educating
/// it costs about as much as ten annealing candidates (pr05: some 100
/// children and 1,000 candidates a second on one core), so a budget buys
/// the two methods alike.
const CHILD: u64 = 10;

/// How much dearer excess is while repairing.
const REPAIR: f64 = 10.0;

/// Tuning of the genetic search (Vidal et al.'s values unless said).
#[derive(Debug, Clone, Copy)]
pub(super) struct Genetic {
    /// Individuals kept after each thinning (μ).
    pub size: usize,
    /// Children bred before the population is thinned back (λ).
    pub generation: usize,
    /// Best individuals whose rank counts for the fitness in full.
    pub elite: usize,
    /// Nearest individuals averaged for an individual's diversity.
    pub close: usize,
    /// Children without a better solution before the population restarts
    /// from new individuals (the best is kept aside).
    pub restart: u64,
}

impl Default for Genetic {
    fn default() -> Genetic {
        Genetic {
            size: 25,
            generation: 40,
            elite: 4,
            close: 5,
            restart: 5_000,
        }
    }
}

impl Genetic {
    /// The tuning for `p`: where a route-duration limit binds, a smaller
    /// population (16 kept, 30 bred): there a run breeds few children, and
    /// ends before a larger population converges. Without a duration limit
    /// Vidal et al.'s 25 and 40 did better (docs/pvrp-journal.md,
    /// "Population size").
    fn for_problem(p: &crate::Problem) -> Genetic {
        if p.limits_duration() {
            Genetic {
                size: 16,
                generation: 30,
                ..Genetic::default()
            }
        } else {
            Genetic::default()
        }
    }
}

/// A member of the population: a complete solution, its cost at the
/// prices it was last measured with, and what its distance reads.
struct Individual {
    state: State,
    cost: f64,
    feasible: bool,
    /// Per (day, customer): the next customer that day (`u32::MAX` for
    /// the depot, `u32::MAX - 1` when not visited).
    successor: Vec<u32>,
}

impl Individual {
    fn new(search: &Search, state: State) -> Individual {
        let n = search.p.customers.len();
        let mut successor = vec![u32::MAX - 1; search.p.days * n];
        for (day, routes) in state.routes.iter().enumerate() {
            for r in routes {
                for (i, &c) in r.customers.iter().enumerate() {
                    successor[day * n + c] = r.customers.get(i + 1).map_or(u32::MAX, |&x| x as u32);
                }
            }
        }
        Individual {
            cost: search.cost(&state),
            feasible: search.feasible(&state),
            state,
            successor,
        }
    }

    /// Broken pairs over all days, with a different pattern counting as
    /// one more break: 0 for clones, 1 for solutions sharing nothing.
    fn distance(&self, other: &Individual) -> f64 {
        let broken = self
            .successor
            .iter()
            .zip(&other.successor)
            .filter(|(a, b)| a != b && **a != u32::MAX - 1)
            .count();
        let patterns = self
            .state
            .patterns
            .iter()
            .zip(&other.state.patterns)
            .filter(|(a, b)| a != b)
            .count();
        let visits = self.successor.iter().filter(|&&s| s != u32::MAX - 1).count();
        (broken + patterns) as f64 / (visits + self.state.patterns.len()).max(1) as f64
    }
}

impl Search<'_> {
    /// A random complete solution: every customer inserted in a random
    /// order, then educated.
    fn random_individual(&mut self) -> State {
        let mut s = self.blank();
        self.recreate(&mut s, (0..self.p.customers.len()).collect());
        self.educate(&mut s);
        s
    }

    /// The local search to a local optimum: the day's moves on every day,
    /// 2-opt within routes, then each customer's best pattern, until the
    /// last changes nothing. (Vidal et al. improve the routes, the
    /// patterns and the routes once each: that bred more children in the
    /// same time but did no better, docs/pvrp-journal.md.)
    fn educate(&mut self, s: &mut State) {
        let mut before = self.blank();
        loop {
            self.improve_routes(s, &before);
            let settled = s.clone();
            if !self.improve_patterns(s, &before) {
                break;
            }
            before = settled;
        }
    }

    /// Per (day, vehicle): whether the route holds one of `c`'s nearest
    /// neighbours, given each visit's vehicle per (day, customer).
    fn near_routes(&self, s: &State, c: usize, vehicle_of: &[usize]) -> Vec<bool> {
        let (n, fleet) = (self.p.customers.len(), self.p.vehicles.len());
        let mut near = vec![false; self.p.days * fleet];
        for &o in self.neighbours[c].iter().take(super::day::GRANULAR) {
            for day in days_in(self.days_of(s, o)) {
                near[day * fleet + vehicle_of[day * n + o]] = true;
            }
        }
        near
    }

    /// A copy of `s` educated again with excess priced ten times higher
    /// (Vidal et al.'s repair), so that an infeasible child near feasible
    /// ground yields a feasible one half the time it is tried.
    fn repair(&mut self, s: &State) -> State {
        let (load, time) = (self.load_penalty, self.time_penalty);
        self.load_penalty *= REPAIR;
        self.time_penalty *= REPAIR;
        let mut repaired = s.clone();
        self.educate(&mut repaired);
        (self.load_penalty, self.time_penalty) = (load, time);
        repaired
    }

    /// Takes each customer on a route that changed since `before` out, in
    /// a random order, and puts it back with its cheapest pattern and
    /// places, looking only at the routes that hold one of its nearest
    /// neighbours or held it (granular, as the day's moves); keeps the
    /// change only if it lowers the cost. Returns whether some customer
    /// moved.
    fn improve_patterns(&mut self, s: &mut State, before: &State) -> bool {
        let mut order: Vec<usize> = Vec::new();
        for (routes, old) in s.routes.iter().zip(&before.routes) {
            for (r, o) in routes.iter().zip(old) {
                if r.customers != o.customers {
                    order.extend(&r.customers);
                }
            }
        }
        order.sort_unstable();
        order.dedup();
        super::recreate::shuffle(&mut order, &mut self.rng);
        let (n, fleet) = (self.p.customers.len(), self.p.vehicles.len());
        // Per (day, customer): the vehicle visiting it that day.
        let mut vehicle_of = vec![usize::MAX; self.p.days * n];
        for (day, routes) in s.routes.iter().enumerate() {
            for (k, r) in routes.iter().enumerate() {
                r.customers.iter().for_each(|&c| vehicle_of[day * n + c] = k);
            }
        }
        let mut moved = false;
        for c in order {
            let pattern = s.patterns[c];
            let kept: Vec<(usize, usize, Route)> = days_in(self.days_of(s, c))
                .map(|day| {
                    let k = vehicle_of[day * n + c];
                    (day, k, s.routes[day][k].clone())
                })
                .collect();
            let mut near = self.near_routes(s, c, &vehicle_of);
            kept.iter().for_each(|&(day, k, _)| near[day * fleet + k] = true);
            let with: f64 = kept.iter().map(|(day, k, r)| self.route_cost(*day, *k, r)).sum();
            let own = pattern.map_or(0.0, |i| self.p.customers[c].patterns[i].cost);
            self.remove(s, c);
            let without: f64 = kept
                .iter()
                .map(|(day, k, _)| self.route_cost(*day, *k, &s.routes[*day][*k]))
                .sum();
            self.near = Some(near);
            let price = self.insert(s, c);
            self.near = None;
            kept.iter()
                .for_each(|&(day, _, _)| vehicle_of[day * n + c] = usize::MAX);
            if price < with - without + own - EPS {
                moved = true;
            } else {
                self.remove(s, c);
                s.patterns[c] = pattern;
                for (day, k, route) in kept {
                    s.routes[day][k] = route;
                }
            }
            for day in days_in(self.days_of(s, c)) {
                vehicle_of[day * n + c] = s.routes[day]
                    .iter()
                    .position(|r| r.customers.contains(&c))
                    .expect("placed");
            }
        }
        moved
    }

    /// A child of `a` and `b`: each day's routes come from `a` with a
    /// probability drawn per day (so some days are `a`'s, some `b`'s, some
    /// mixed, as in PIX); on a day, a customer already placed from one
    /// parent is skipped in the other's routes. Each customer then keeps
    /// the pattern that keeps most of its inherited visits, and the visits
    /// it lacks are inserted at their cheapest places (PIX's completion);
    /// one that keeps none is put back by the recreate.
    fn crossover(&mut self, a: &State, b: &State) -> State {
        let n = self.p.customers.len();
        let mut child = self.blank();
        let mut placed = vec![false; n];
        for day in 0..self.p.days {
            let share: f64 = self.rng.random();
            placed.iter_mut().for_each(|p| *p = false);
            let from_a: Vec<bool> = (0..self.p.vehicles.len())
                .map(|_| self.rng.random::<f64>() < share)
                .collect();
            for (k, &take_a) in from_a.iter().enumerate() {
                if take_a {
                    child.routes[day][k].customers = a.routes[day][k].customers.clone();
                    a.routes[day][k].customers.iter().for_each(|&c| placed[c] = true);
                }
            }
            for (k, &take_a) in from_a.iter().enumerate() {
                if !take_a {
                    let route = &b.routes[day][k].customers;
                    child.routes[day][k].customers = route.iter().copied().filter(|&c| !placed[c]).collect();
                }
            }
        }
        let (missing, leavers) = self.settle_patterns(&mut child, a, b);
        for day in 0..self.p.days {
            for k in 0..self.p.vehicles.len() {
                let mut route = std::mem::take(&mut child.routes[day][k]);
                self.refresh(k, &mut route, &child.patterns);
                child.routes[day][k] = route;
            }
        }
        for (c, day) in missing {
            self.insert_on(&mut child, c, day);
        }
        self.recreate(&mut child, leavers);
        child
    }

    /// Gives each customer of `child` the pattern that keeps most of its
    /// inherited visits (a parent's on a tie), drops the visits on other
    /// days, and returns the (customer, day) visits its pattern still
    /// lacks; a customer no pattern keeps a visit of leaves all its days
    /// and is returned among the leavers.
    fn settle_patterns(&self, child: &mut State, a: &State, b: &State) -> (Vec<(usize, usize)>, Vec<usize>) {
        let n = self.p.customers.len();
        let mut visits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (day, routes) in child.routes.iter().enumerate() {
            for (k, r) in routes.iter().enumerate() {
                r.customers.iter().for_each(|&c| visits[c].push((day, k)));
            }
        }
        let (mut missing, mut leavers) = (Vec::new(), Vec::new());
        for (c, visits) in visits.iter().enumerate() {
            let patterns = &self.p.customers[c].patterns;
            let kept = |i: usize| {
                let x = &patterns[i];
                let on = visits.iter().filter(|&&(day, _)| x.days & (1 << day) != 0);
                let allowed = on.clone().all(|&(_, k)| x.allows(k, self.p.vehicles[k].depot));
                if allowed { on.count() } else { 0 }
            };
            let parents = [a.patterns[c], b.patterns[c]].into_iter().flatten();
            let best = parents
                .chain(0..patterns.len())
                .map(|i| (kept(i), i))
                .reduce(|best, next| if next.0 > best.0 { next } else { best });
            let Some((_, i)) = best.filter(|&(count, _)| count > 0) else {
                leavers.push(c);
                child.patterns[c] = None;
                for &(day, k) in visits {
                    child.routes[day][k].customers.retain(|&x| x != c);
                }
                continue;
            };
            child.patterns[c] = Some(i);
            let days = patterns[i].days;
            for &(day, k) in visits.iter().filter(|&&(day, _)| days & (1 << day) == 0) {
                child.routes[day][k].customers.retain(|&x| x != c);
            }
            let visited = visits.iter().fold(0, |set, &(day, _)| set | (1 << day));
            missing.extend(days_in(days & !visited).map(|day| (c, day)));
        }
        (missing, leavers)
    }

    /// Inserts customer `c`, whose pattern is set, on `day` at the cheapest
    /// place among the vehicles its pattern allows that work that day.
    fn insert_on(&mut self, s: &mut State, c: usize, day: usize) {
        let pattern = &self.p.customers[c].patterns[s.patterns[c].expect("a pattern")];
        let window = pattern.window;
        let allowed: Vec<usize> = (0..self.p.vehicles.len())
            .filter(|&k| self.works(k, day) && pattern.allows(k, self.p.vehicles[k].depot))
            .collect();
        let Some((k, (_, at))) = allowed
            .into_iter()
            .map(|k| (k, self.best_insertion(s, c, day, k, window)))
            .min_by(|x, y| x.1.0.total_cmp(&y.1.0))
        else {
            return;
        };
        let mut route = std::mem::take(&mut s.routes[day][k]);
        route.customers.insert(at.min(route.customers.len()), c);
        self.refresh(k, &mut route, &s.patterns);
        s.routes[day][k] = route;
    }
}

/// The population and its bookkeeping, for one chain.
pub(super) struct Population {
    tuning: Genetic,
    members: Vec<Individual>,
    /// `distances[i][j]`: between members `i` and `j`, kept as members
    /// come and go so that the fitness costs no distance computation.
    distances: Vec<Vec<f64>>,
}

impl Population {
    /// `size` educated random individuals.
    fn seeded(search: &mut Search, tuning: Genetic, chain: &mut Chain) -> Population {
        let mut population = Population {
            tuning,
            members: Vec::new(),
            distances: Vec::new(),
        };
        for _ in 0..tuning.size * 2 {
            if chain.spent() {
                break;
            }
            chain.tick_by(CHILD);
            let s = search.random_individual();
            population.add(search, s, chain);
        }
        population
    }

    /// Adds an educated child, records it with the chain, and thins the
    /// population once a generation has been bred.
    fn add(&mut self, search: &Search, state: State, chain: &mut Chain) {
        let child = Individual::new(search, state);
        chain.offer(&child.state, child.cost, child.feasible);
        let row: Vec<f64> = self.members.iter().map(|m| m.distance(&child)).collect();
        for (others, &d) in self.distances.iter_mut().zip(&row) {
            others.push(d);
        }
        self.distances.push(row);
        self.distances.last_mut().expect("just pushed").push(0.0);
        self.members.push(child);
        if self.members.len() >= self.tuning.size + self.tuning.generation {
            while self.members.len() > self.tuning.size {
                let worst = self.worst();
                self.members.swap_remove(worst);
                self.distances.swap_remove(worst);
                for others in &mut self.distances {
                    others.swap_remove(worst);
                }
            }
        }
    }

    /// Re-prices every member after the penalties moved.
    fn reprice(&mut self, search: &Search) {
        for m in &mut self.members {
            m.cost = search.cost(&m.state);
        }
    }

    /// Per member: its biased fitness (lower is better): its rank by cost
    /// plus, weighted down by the elite's share, its rank by distance to
    /// its nearest others (farther is better).
    fn fitness(&self) -> Vec<f64> {
        let n = self.members.len();
        if n <= 1 {
            return vec![0.0; n];
        }
        let diversity: Vec<f64> = (0..n).map(|i| self.diversity(i)).collect();
        let rank = |key: &dyn Fn(usize) -> f64| {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&x, &y| key(x).total_cmp(&key(y)));
            let mut rank = vec![0.0; n];
            for (r, &i) in order.iter().enumerate() {
                rank[i] = r as f64 / (n - 1) as f64;
            }
            rank
        };
        let by_cost = rank(&|i| self.members[i].cost);
        let by_diversity = rank(&|i| -diversity[i]);
        let weight = 1.0 - self.tuning.elite as f64 / n as f64;
        (0..n).map(|i| by_cost[i] + weight * by_diversity[i]).collect()
    }

    /// The average distance from member `i` to its nearest others.
    fn diversity(&self, i: usize) -> f64 {
        let mut d: Vec<f64> = (0..self.members.len())
            .filter(|&j| j != i)
            .map(|j| self.distances[i][j])
            .collect();
        d.sort_by(f64::total_cmp);
        let close = self.tuning.close.min(d.len()).max(1);
        d.iter().take(close).sum::<f64>() / close as f64
    }

    /// The member to drop: a clone of another first, else the worst
    /// biased fitness.
    fn worst(&self) -> usize {
        let n = self.members.len();
        let clone = (0..n).find(|&i| (0..i).any(|j| self.distances[i][j] < 1e-9));
        clone.unwrap_or_else(|| {
            let fitness = self.fitness();
            (0..n)
                .max_by(|&a, &b| fitness[a].total_cmp(&fitness[b]))
                .expect("a population")
        })
    }

    /// A parent by binary tournament on biased fitness.
    fn parent(&self, search: &mut Search, fitness: &[f64]) -> usize {
        let n = self.members.len();
        let a = search.rng.random_range(0..n);
        let b = search.rng.random_range(0..n);
        if fitness[a] <= fitness[b] { a } else { b }
    }
}

/// One genetic chain: seeds the population, then breeds, educates and
/// thins until the budget is spent. At each meeting it shows its best
/// solution; among `islands` (every chain genetic) it adds the leader's
/// best to its population when that is better than its own, a migrant
/// the crossover then mixes in. Beside annealing chains it takes none:
/// a population does not restart from one solution.
pub(super) fn evolve(search: &mut Search, chain: &mut Chain, mut seat: Seat, islands: bool) {
    let tuning = Genetic::for_problem(search.p);
    search.load_penalty = super::starting_load_penalty(search.p, &search.penalties);
    if search.tactics.adapt_time_price {
        search.time_penalty = super::starting_time_penalty(&search.penalties);
    }
    let mut population = Population::seeded(search, tuning, chain);
    let (mut kept_load, mut kept_time) = (0, 0);
    let mut since_better = 0;
    let mut best = f64::INFINITY;
    loop {
        let fraction = chain.fraction();
        while seat.due(fraction) {
            let (shown, feasible, cost) = chain.best().expect("the seeded population was offered");
            if let Some(leader) = seat.attend(shown, cost, feasible, islands) {
                population.add(search, leader, chain);
            }
        }
        if fraction >= 1.0 {
            break;
        }
        let fitness = population.fitness();
        let a = population.parent(search, &fitness);
        let b = population.parent(search, &fitness);
        let mut child = search.crossover(&population.members[a].state, &population.members[b].state);
        search.educate(&mut child);
        let kept = search.kept(&child);
        kept_load += u64::from(kept.load);
        kept_time += u64::from(kept.time);
        let repaired = (!kept.all() && search.rng.random::<bool>()).then(|| search.repair(&child));
        population.add(search, child, chain);
        if let Some(repaired) = repaired.filter(|r| search.feasible(r)) {
            population.add(search, repaired, chain);
        }
        if chain.best_cost() < best - EPS {
            best = chain.best_cost();
            since_better = 0;
        } else {
            since_better += 1;
        }
        if chain.tick_by(CHILD).is_multiple_of(search.penalties.window * CHILD) {
            search.adapt_penalties(kept_load, kept_time);
            (kept_load, kept_time) = (0, 0);
            population.reprice(search);
        }
        if since_better >= tuning.restart {
            population = Population::seeded(search, tuning, chain);
            since_better = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pattern, Penalties, Problem, Solution};

    /// Two days, two vehicles at the depot (x = 0); customers 0, 1, 2 at
    /// x = 10, 11, −10, demand 1, each visited once, on either day.
    fn two_days() -> Problem {
        let either = [Pattern::days(0b01), Pattern::days(0b10)];
        super::super::on_a_line::problem(&[10.0, 11.0, -10.0], 2, &either, 10.0, None)
    }

    /// A measured state from each day's routes, vehicle by vehicle; each
    /// customer's pattern is the day it is on.
    fn state(search: &Search, days: [[&[usize]; 2]; 2]) -> State {
        let mut s = search.blank();
        for (day, routes) in days.iter().enumerate() {
            for (k, customers) in routes.iter().enumerate() {
                for &c in *customers {
                    s.patterns[c] = Some(day);
                }
                s.routes[day][k].customers = customers.to_vec();
            }
        }
        for day in 0..2 {
            for k in 0..2 {
                let mut route = std::mem::take(&mut s.routes[day][k]);
                search.refresh(k, &mut route, &s.patterns);
                s.routes[day][k] = route;
            }
        }
        s
    }

    fn as_solution(s: &State) -> Solution {
        Solution {
            patterns: s.patterns.iter().map(|p| p.expect("placed")).collect(),
            routes: s
                .routes
                .iter()
                .map(|rs| rs.iter().map(|r| r.customers.clone()).collect())
                .collect(),
        }
    }

    /// 0 alone on day 1 (20), 1 alone on day 2 (22), 2 alone (20): 62.
    /// Either of 0 and 1 joining the other's day makes one trip of 22
    /// instead of two: 42, the optimum (2 must make its own trip).
    #[test]
    fn pattern_improvement_brings_two_neighbours_onto_one_day() {
        let p = two_days();
        let mut search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
        let mut s = state(&search, [[&[0], &[2]], [&[1], &[]]]);
        assert_eq!(search.cost(&s), 62.0);
        let blank = search.blank();
        assert!(search.improve_patterns(&mut s, &blank));
        assert_eq!(search.cost(&s), 42.0);
        assert_eq!(s.patterns[0], s.patterns[1], "0 and 1 share a day");
        assert!(!search.improve_patterns(&mut s, &blank), "a local optimum");
        assert!(crate::check(&p, &as_solution(&s)).is_empty());
    }

    /// Parents that put every customer on different days: whatever days
    /// and routes the child takes from each, each customer ends on one day
    /// of one of its patterns (the checker agrees), none twice or lost.
    #[test]
    fn a_child_of_two_parents_keeps_every_pattern() {
        let p = two_days();
        for seed in 0..40 {
            let mut search = Search::new(&p, seed, None, Penalties::default(), crate::Tactics::default());
            let a = state(&search, [[&[0, 1], &[2]], [&[], &[]]]);
            let b = state(&search, [[&[], &[]], [&[2], &[1, 0]]]);
            let child = search.crossover(&a, &b);
            assert!(child.patterns.iter().all(Option::is_some), "seed {seed}");
            assert!(crate::check(&p, &as_solution(&child)).is_empty(), "seed {seed}");
        }
    }

    /// Three days; customer 0 (x = 10) twice (days 1+2 or 2+3), 1 (x =
    /// −10) and 2 (x = 11) once (any day); a child that inherited 0 on day
    /// 3 only, 1 on days 1 and 3, 2 on day 2.
    #[test]
    fn a_child_keeps_the_pattern_that_keeps_most_visits_and_completes_it() {
        let mut p = two_days();
        p.days = 3;
        p.capacity = vec![10.0; 3];
        p.max_duration = vec![None; 3];
        p.vehicles.iter_mut().for_each(|v| v.days = 0b111);
        p.customers[0].frequency = 2;
        p.customers[0].patterns = vec![Pattern::days(0b011), Pattern::days(0b110)];
        for c in 1..3 {
            p.customers[c].patterns = (0..3).map(|d| Pattern::days(1 << d)).collect();
        }
        (p.customers[1].node, p.customers[2].node) = (3, 2);
        let mut search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
        let mut child = search.blank();
        child.routes[0][0].customers = vec![1];
        child.routes[1][0].customers = vec![2];
        child.routes[2][0].customers = vec![0, 1];
        let mut a = search.blank();
        a.patterns[1] = Some(2);
        let (missing, leavers) = search.settle_patterns(&mut child, &a, &search.blank());
        // 0: days 2+3 keep its one visit, day 2 is missing; 1: days 1 and
        // 3 keep one visit each, the parent's (day 3) wins, day 1 drops.
        assert_eq!(missing, [(0, 1)]);
        assert!(leavers.is_empty());
        assert_eq!(child.patterns, [Some(1), Some(2), Some(1)]);
        assert!(child.routes[0][0].customers.is_empty());
        for (c, day) in missing {
            search.insert_on(&mut child, c, day);
        }
        // On day 2, 0 beside 2 adds nothing (10 + 1 + 11 = 22 as 2 alone);
        // the empty vehicle would add 20.
        assert!(child.routes[1][1].customers.is_empty());
        assert_eq!(child.routes[1][0].measures.travel, 22.0);
        assert!(crate::check(&p, &as_solution(&child)).is_empty());
    }

    /// Broken pairs: a clone shares everything (0); the same routes on the
    /// other day share no successor and no pattern (1); 0 and 1 visited in
    /// the other order break two of three successors (0 → 1 and 1 → depot
    /// become 0 → depot and 1 → 0), patterns kept: 2 / (3 visits + 3
    /// patterns).
    #[test]
    fn distance_counts_broken_successors_and_changed_patterns() {
        let p = two_days();
        let search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
        let a = Individual::new(&search, state(&search, [[&[0, 1], &[2]], [&[], &[]]]));
        let clone = Individual::new(&search, a.state.clone());
        let moved = Individual::new(&search, state(&search, [[&[], &[]], [&[0, 1], &[2]]]));
        let reordered = Individual::new(&search, state(&search, [[&[1, 0], &[2]], [&[], &[]]]));
        assert_eq!(a.distance(&clone), 0.0);
        assert_eq!(a.distance(&moved), 1.0);
        assert_eq!(a.distance(&reordered), 2.0 / 6.0);
    }
}
