//! Stage 5: the solver. A greedy construction places the hardest communes
//! first (weekly, then fortnightly, then monthly; fewest options first),
//! then simulated annealing improves the plan with three moves that keep
//! every pattern valid by construction:
//!
//! - *relocate*: give one commune another allowed pattern;
//! - *swap*: exchange the patterns of two communes of the same frequency;
//! - *column swap*: exchange everything a bus does on one (weekday,
//!   half-day) with another (weekday, half-day), across all four weeks.
//!
//! Hard limits (lunch gap, daily driving) are penalised rather than
//! forbidden so the search can cross infeasible regions; the checker
//! decides whether the final plan is valid. The move budget is a number of
//! iterations, not a time, so a seed always gives the same plan.

use crate::calendar::{HalfDay, Slot, WEEKDAYS, WEEKS};
use crate::error::{Error, Result};
use crate::model::{Instance, Pattern};
use crate::plan::{Plan, Visit};
use indicatif::ProgressBar;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Search effort and randomness: the scenario's `[solver]` settings,
/// possibly overridden on the command line.
pub use crate::scenario::SolverSettings as SolveOptions;

/// Cost per second over the lunch gap or the daily driving limit.
const HARD_WEIGHT: f64 = 1000.0;
/// Cost of a visit left unplaced: above any drive saving.
const UNPLACED_COST: f64 = 1.0e9;

const DAYS_PER_BUS: usize = WEEKS as usize * 7;

fn day_index(bus: usize, week: u8, weekday: chrono::Weekday) -> usize {
    bus * DAYS_PER_BUS + usize::from(week - 1) * 7 + weekday.num_days_from_monday() as usize
}

fn slot_index(bus: usize, slot: Slot) -> usize {
    day_index(bus, slot.week, slot.weekday) * 2 + slot.half.index()
}

/// Solves the instance; fails with an explanation if some commune cannot
/// be placed.
pub fn solve(instance: &Instance, options: SolveOptions, progress: &ProgressBar) -> Result<Plan> {
    let mut search = Search::new(instance);
    search.construct();
    search.anneal(options, progress);
    search.descend();
    search.into_plan()
}

/// One reassignment of a demand (index) to a global pattern id or none.
type Change = (usize, Option<usize>);

/// What to restore when a move is rejected.
struct Undo {
    previous: Vec<Change>,
    days: Vec<(usize, f64)>,
    cost: f64,
}

struct Search<'a> {
    instance: &'a Instance,
    patterns: Vec<Pattern>,
    pattern_slots: Vec<Vec<usize>>,
    pattern_ids: HashMap<Pattern, usize>,
    /// Per demand: allowed global pattern ids, and the same as a mask.
    allowed: Vec<Vec<usize>>,
    allowed_mask: Vec<Vec<bool>>,
    occupant: Vec<Option<usize>>,
    assigned: Vec<Option<usize>>,
    day_cost: Vec<f64>,
    cost: f64,
}

impl<'a> Search<'a> {
    fn new(instance: &'a Instance) -> Search<'a> {
        let mut patterns: Vec<Pattern> = instance
            .demands
            .iter()
            .flat_map(|d| d.patterns.iter().copied())
            .collect();
        patterns.sort_by_key(|p| (p.bus, p.weekday.num_days_from_monday(), p.half, p.weeks));
        patterns.dedup();
        let pattern_ids: HashMap<Pattern, usize> = patterns.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let pattern_slots = patterns
            .iter()
            .map(|p| p.slots().map(|s| slot_index(p.bus, s)).collect())
            .collect();
        let allowed: Vec<Vec<usize>> = instance
            .demands
            .iter()
            .map(|d| d.patterns.iter().map(|p| pattern_ids[p]).collect())
            .collect();
        let allowed_mask = allowed
            .iter()
            .map(|ids| {
                let mut mask = vec![false; patterns.len()];
                ids.iter().for_each(|&i| mask[i] = true);
                mask
            })
            .collect();
        let days = instance.buses.len() * DAYS_PER_BUS;
        let cost = instance
            .demands
            .iter()
            .map(|d| f64::from(d.visits) * UNPLACED_COST)
            .sum();
        Search {
            instance,
            patterns,
            pattern_slots,
            pattern_ids,
            allowed,
            allowed_mask,
            occupant: vec![None; days * 2],
            assigned: vec![None; instance.demands.len()],
            day_cost: vec![0.0; days],
            cost,
        }
    }

    fn demand_cost(&self, demand: usize, pattern: Option<usize>) -> f64 {
        let d = &self.instance.demands[demand];
        match pattern {
            None => f64::from(d.visits) * UNPLACED_COST,
            Some(p) => d.penalty(&self.patterns[p]),
        }
    }

    fn compute_day_cost(&self, day: usize) -> f64 {
        let stop = |half: HalfDay| self.occupant[day * 2 + half.index()].map(|d| self.instance.demands[d].commune);
        let (am, pm) = (stop(HalfDay::Am), stop(HalfDay::Pm));
        if am.is_none() && pm.is_none() {
            return 0.0;
        }
        let drive = self.instance.day_drive(day / DAYS_PER_BUS, am, pm);
        let lunch_excess = (drive.lunch_seconds - self.instance.sessions.lunch_gap_seconds()).max(0.0);
        let drive_excess = (drive.seconds - self.instance.max_drive_seconds).max(0.0);
        drive.seconds + HARD_WEIGHT * (lunch_excess + drive_excess)
    }

    /// Applies `changes` if every target slot is free once the moved
    /// demands are lifted; returns how to undo it.
    fn apply(&mut self, changes: &[Change]) -> Option<Undo> {
        let previous: Vec<Change> = changes.iter().map(|&(d, _)| (d, self.assigned[d])).collect();
        for &(d, old) in &previous {
            self.set_slots(old, None);
            self.assigned[d] = None;
        }
        for (i, &(d, new)) in changes.iter().enumerate() {
            let free = new.is_none_or(|p| self.pattern_slots[p].iter().all(|&s| self.occupant[s].is_none()));
            if !free {
                for &(placed, p) in &changes[..i] {
                    self.set_slots(p, None);
                    self.assigned[placed] = None;
                }
                self.restore(&previous);
                return None;
            }
            self.set_slots(new, Some(d));
            self.assigned[d] = new;
        }
        let mut days: Vec<usize> = previous
            .iter()
            .chain(changes)
            .filter_map(|&(_, p)| p)
            .flat_map(|p| self.pattern_slots[p].iter().map(|s| s / 2))
            .collect();
        days.sort_unstable();
        days.dedup();
        let old_cost = self.cost;
        let mut undo_days = Vec::with_capacity(days.len());
        for day in days {
            let new = self.compute_day_cost(day);
            self.cost += new - self.day_cost[day];
            undo_days.push((day, std::mem::replace(&mut self.day_cost[day], new)));
        }
        for (&(d, old), &(_, new)) in previous.iter().zip(changes) {
            self.cost += self.demand_cost(d, new) - self.demand_cost(d, old);
        }
        Some(Undo {
            previous,
            days: undo_days,
            cost: old_cost,
        })
    }

    fn set_slots(&mut self, pattern: Option<usize>, value: Option<usize>) {
        if let Some(p) = pattern {
            for i in 0..self.pattern_slots[p].len() {
                let s = self.pattern_slots[p][i];
                self.occupant[s] = value;
            }
        }
    }

    fn restore(&mut self, previous: &[Change]) {
        for &(d, p) in previous {
            self.set_slots(p, Some(d));
            self.assigned[d] = p;
        }
    }

    fn revert(&mut self, changes: &[Change], undo: Undo) {
        for &(d, new) in changes {
            self.set_slots(new, None);
            self.assigned[d] = None;
        }
        self.restore(&undo.previous);
        for (day, cost) in undo.days {
            self.day_cost[day] = cost;
        }
        self.cost = undo.cost;
    }

    /// Places demands one by one at their cheapest free pattern, the most
    /// constrained first.
    fn construct(&mut self) {
        let mut order: Vec<usize> = (0..self.instance.demands.len()).collect();
        order.sort_by_key(|&d| {
            (
                std::cmp::Reverse(self.instance.demands[d].visits),
                self.allowed[d].len(),
                d,
            )
        });
        for d in order {
            let mut best: Option<(f64, usize)> = None;
            for i in 0..self.allowed[d].len() {
                let p = self.allowed[d][i];
                let change = [(d, Some(p))];
                if let Some(undo) = self.apply(&change) {
                    if best.is_none_or(|(c, _)| self.cost < c) {
                        best = Some((self.cost, p));
                    }
                    self.revert(&change, undo);
                }
            }
            if let Some((_, p)) = best {
                self.apply(&[(d, Some(p))]);
            }
        }
    }

    fn anneal(&mut self, options: SolveOptions, progress: &ProgressBar) {
        if self.instance.demands.is_empty() {
            return;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let busy_days = self.day_cost.iter().filter(|c| **c > 0.0).count().max(1);
        let start_temp = (0.3 * self.day_cost.iter().sum::<f64>() / busy_days as f64).max(60.0);
        let end_temp = 1.0_f64;
        let mut best = (self.cost, self.assigned.clone());
        progress.set_length(options.iterations);
        for it in 0..options.iterations {
            let temp = start_temp * (end_temp / start_temp).powf(it as f64 / options.iterations as f64);
            let changes = match rng.random_range(0..10) {
                0..5 => self.random_relocate(&mut rng),
                5..8 => self.random_swap(&mut rng),
                _ => self.random_column_swap(&mut rng),
            };
            if let Some(changes) = changes
                && let Some(undo) = self.apply(&changes)
            {
                let delta = self.cost - undo.cost;
                if delta <= 0.0 || rng.random::<f64>() < (-delta / temp).exp() {
                    if self.cost < best.0 - 1e-9 {
                        best = (self.cost, self.assigned.clone());
                    }
                } else {
                    self.revert(&changes, undo);
                }
            }
            if it.is_multiple_of(4096) {
                progress.set_position(it);
            }
        }
        progress.finish_and_clear();
        self.load(&best.1);
    }

    /// Rebuilds the state from an assignment (the best one found).
    fn load(&mut self, assigned: &[Option<usize>]) {
        self.occupant.iter_mut().for_each(|o| *o = None);
        self.assigned = assigned.to_vec();
        for (d, p) in assigned.iter().enumerate() {
            self.set_slots(*p, Some(d));
        }
        for day in 0..self.day_cost.len() {
            self.day_cost[day] = self.compute_day_cost(day);
        }
        self.cost = self.day_cost.iter().sum::<f64>()
            + (0..assigned.len())
                .map(|d| self.demand_cost(d, assigned[d]))
                .sum::<f64>();
    }

    fn random_relocate(&self, rng: &mut ChaCha8Rng) -> Option<Vec<Change>> {
        let d = rng.random_range(0..self.allowed.len());
        let p = self.allowed[d][rng.random_range(0..self.allowed[d].len())];
        (self.assigned[d] != Some(p)).then(|| vec![(d, Some(p))])
    }

    fn random_swap(&self, rng: &mut ChaCha8Rng) -> Option<Vec<Change>> {
        let n = self.allowed.len();
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        self.swap(a, b)
    }

    fn swap(&self, a: usize, b: usize) -> Option<Vec<Change>> {
        let (pa, pb) = (self.assigned[a]?, self.assigned[b]?);
        (a != b && self.allowed_mask[a][pb] && self.allowed_mask[b][pa]).then(|| vec![(a, Some(pb)), (b, Some(pa))])
    }

    fn random_column_swap(&self, rng: &mut ChaCha8Rng) -> Option<Vec<Change>> {
        let mut column = || {
            let bus = rng.random_range(0..self.instance.buses.len());
            let days = &self.instance.buses[bus].weekdays;
            let weekday = days[rng.random_range(0..days.len())];
            (bus, weekday, HalfDay::BOTH[rng.random_range(0..2)])
        };
        let (from, to) = (column(), column());
        if from == to {
            return None;
        }
        let mut changes = self.column_moves(from, to)?;
        changes.extend(self.column_moves(to, from)?);
        (!changes.is_empty()).then_some(changes)
    }

    /// Moves for every demand in column `from` to the same weeks in `to`;
    /// `None` if one of them may not go there.
    fn column_moves(
        &self,
        from: (usize, chrono::Weekday, HalfDay),
        to: (usize, chrono::Weekday, HalfDay),
    ) -> Option<Vec<Change>> {
        let (bus, weekday, half) = from;
        let mut demands: Vec<usize> = (1..=WEEKS)
            .filter_map(|week| self.occupant[slot_index(bus, Slot { week, weekday, half })])
            .collect();
        demands.dedup();
        demands
            .into_iter()
            .map(|d| {
                let p = self.patterns[self.assigned[d]?];
                let target = Pattern {
                    bus: to.0,
                    weekday: to.1,
                    half: to.2,
                    weeks: p.weeks,
                };
                let id = *self.pattern_ids.get(&target)?;
                self.allowed_mask[d][id].then_some((d, Some(id)))
            })
            .collect()
    }

    /// First-improvement descent over all relocations and swaps until
    /// neither improves: the final plan is a local optimum.
    fn descend(&mut self) {
        let n = self.allowed.len();
        let mut improved = true;
        while improved {
            improved = false;
            for d in 0..n {
                for i in 0..self.allowed[d].len() {
                    let p = self.allowed[d][i];
                    improved |= self.assigned[d] != Some(p) && self.try_improve(&[(d, Some(p))]);
                }
            }
            for a in 0..n {
                for b in a + 1..n {
                    if let Some(changes) = self.swap(a, b) {
                        improved |= self.try_improve(&changes);
                    }
                }
            }
        }
    }

    fn try_improve(&mut self, changes: &[Change]) -> bool {
        match self.apply(changes) {
            Some(undo) if self.cost < undo.cost - 1e-6 => true,
            Some(undo) => {
                self.revert(changes, undo);
                false
            }
            None => false,
        }
    }

    fn into_plan(self) -> Result<Plan> {
        let unplaced: Vec<usize> = (0..self.assigned.len())
            .filter(|&d| self.assigned[d].is_none())
            .collect();
        if !unplaced.is_empty() {
            return Err(self.explain_unplaced(&unplaced));
        }
        let visits = self
            .assigned
            .iter()
            .enumerate()
            .flat_map(|(d, p)| {
                let pattern = self.patterns[p.expect("all placed")];
                let commune = self.instance.demands[d].commune;
                pattern.slots().map(move |slot| Visit {
                    bus: pattern.bus,
                    slot,
                    commune,
                })
            })
            .collect();
        Ok(Plan::new(visits))
    }

    fn explain_unplaced(&self, unplaced: &[usize]) -> Error {
        let free = self.occupant.iter().enumerate().filter(|(s, o)| {
            let day = s / 2;
            let weekday = WEEKDAYS[day % 7];
            o.is_none() && self.instance.buses[day / DAYS_PER_BUS].weekdays.contains(&weekday)
        });
        let names: Vec<String> = unplaced
            .iter()
            .map(|&d| {
                let demand = &self.instance.demands[d];
                let c = &self.instance.territory.communes[demand.commune];
                format!(
                    "{} ({} visits, {} possible patterns)",
                    c.name,
                    demand.visits,
                    demand.patterns.len()
                )
            })
            .collect();
        Error::infeasible(format!(
            "{}: could not fit {} commune(s) into the cycle: {}. {} half-days remain free, but none in a pattern these communes allow; relax their weekdays, half-day or dates, or add a bus",
            self.instance.name,
            unplaced.len(),
            names.join(", "),
            free.count()
        ))
    }
}
