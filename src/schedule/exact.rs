//! Exact mode: the bus schedule as a mixed-integer program (good_lp with
//! the pure-Rust microlp backend), for small instances and as a yardstick
//! for the heuristic solver.
//!
//! One binary per (commune, allowed pattern). Every visit is first priced
//! as a depot round trip; a bus day that pairs a morning stop `a` with an
//! afternoon stop `b` then earns the saving `d(a, depot) + d(depot, b) −
//! d(a, b)`, which is never negative (triangle inequality), through a
//! continuous pairing variable bounded by both occupancies. Pairs that a
//! rule forbids (`rules::Rule::day_allows`: the lunch gap, the daily
//! driving limit, the bus's range) are forbidden outright.

use crate::calendar::{HalfDay, Slot};
use crate::error::{Error, Result};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use crate::schedule::rules;
use good_lp::{Expression, Solution, SolverModel, Variable, constraint, microlp, variable, variables};
use std::collections::BTreeMap;

/// The exact plan and its objective (drive seconds plus preference
/// penalties), proven optimal by the MILP solver.
#[derive(Debug, Clone)]
pub struct ExactResult {
    pub plan: Plan,
    pub objective: f64,
}

/// Communes up to which `plan --exact` runs the MILP; above, branch and
/// bound in pure Rust takes minutes to hours (25 communes ran for more than
/// two minutes), so only the LP bound is computed.
pub(crate) const MILP_MAX_COMMUNES: usize = 14;

/// Pairing variables (morning stop, afternoon stop, bus day) above which
/// the LP bound is not attempted. The pure-Rust simplex took 4 s for
/// Apt-Luberon (11,636 pairings), 23 s and 60 MB for Thiérache (24,553),
/// and was still running after minutes, past 1 GB, for Comminges
/// (614,034).
pub(crate) const LP_MAX_PAIRS: usize = 30_000;

/// How many pairing variables the program would have: one per bus day
/// and (morning, afternoon) pair of communes that may both take it.
pub(crate) fn pairings(instance: &Instance) -> usize {
    let mut users: BTreeMap<(DayKey, HalfDay), usize> = BTreeMap::new();
    for demand in &instance.needs {
        let mut slots: Vec<(DayKey, HalfDay)> = demand
            .patterns
            .iter()
            .flat_map(|p| p.slots().map(move |s| (day_key(p.bus, &s), s.half)))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        for slot in slots {
            *users.entry(slot).or_default() += 1;
        }
    }
    users
        .iter()
        .filter(|((_, half), _)| *half == HalfDay::Am)
        .map(|((day, _), am)| am * users.get(&(*day, HalfDay::Pm)).copied().unwrap_or(0))
        .sum()
}

/// The LP relaxation's optimum: no plan costs less.
pub fn lower_bound(instance: &Instance) -> Result<f64> {
    let model = Model::build(instance, false);
    let solution = model.solve(instance)?;
    Ok(solution.eval(&model.objective))
}

/// A bound with the calendar forgotten, for territories whose per-day LP
/// is too large (Comminges: 614,034 pairings): every visit is a depot
/// round trip or shares a bus day with one visit of another commune, on
/// at most as many bus days as the patterns offer, each commune at its
/// cheapest pattern penalty. Weekdays, weeks and which bus takes which
/// day are what it forgets; a day is still one morning and one afternoon
/// within the lunch gap and the driving limit. Its LP has one variable
/// per pair of communes (5,356 for Comminges).
pub fn pairing_bound(instance: &Instance) -> Result<f64> {
    let needs = &instance.needs;
    // Per need: the buses its patterns name, found once for all pairs.
    let buses: Vec<Vec<usize>> = needs
        .iter()
        .map(|need| {
            let mut buses: Vec<usize> = need.patterns.iter().map(|p| p.bus).collect();
            buses.sort_unstable();
            buses.dedup();
            buses
        })
        .collect();
    let alone: Vec<f64> = needs
        .iter()
        .zip(&buses)
        .map(|(need, buses)| {
            buses
                .iter()
                .map(|&bus| instance.day_drive(bus, &[need.commune]).seconds)
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let mut vars = variables!();
    let mut objective = Expression::from(0.0);
    let mut days_used = Expression::from(0.0);
    let mut served: Vec<Expression> = vec![Expression::from(0.0); needs.len()];
    for (d, need) in needs.iter().enumerate() {
        let single = vars.add(variable().min(0.0));
        objective += alone[d] * single;
        objective += need
            .patterns
            .iter()
            .map(|p| need.penalty(p))
            .fold(f64::INFINITY, f64::min);
        days_used += single;
        served[d] += single;
        for e in d + 1..needs.len() {
            if let Some(seconds) = shared_day(instance, d, e, &buses[d], &buses[e]) {
                let pair = vars.add(variable().min(0.0));
                objective += seconds * pair;
                days_used += pair;
                served[d] += pair;
                served[e] += pair;
            }
        }
    }
    let bus_days = bus_days(instance);
    let mut model = vars.minimise(objective.clone()).using(microlp);
    model = model.with(constraint!(days_used <= bus_days as f64));
    for (d, visits) in served.into_iter().enumerate() {
        model = model.with(constraint!(visits == f64::from(needs[d].visits)));
    }
    let solution = model
        .solve()
        .map_err(|e| Error::infeasible(format!("{}: pairing bound: {e}", instance.name)))?;
    Ok(solution.eval(&objective))
}

/// The shortest day a bus both communes allow makes through `d` and `e`
/// (either one in the morning), within the lunch gap and the driving
/// limit; `None` if no bus day holds both (or one is served whole days).
fn shared_day(instance: &Instance, d: usize, e: usize, buses_of_d: &[usize], buses_of_e: &[usize]) -> Option<f64> {
    let (a, b) = (&instance.needs[d], &instance.needs[e]);
    if a.full || b.full {
        return None;
    }
    buses_of_d
        .iter()
        .filter(|bus| buses_of_e.contains(bus))
        .flat_map(|&bus| [(bus, a.commune, b.commune), (bus, b.commune, a.commune)])
        .filter_map(|(bus, am, pm)| paired_day(instance, bus, am, pm))
        .min_by(f64::total_cmp)
}

/// The bus days any pattern offers: (bus, week, weekday) of their slots.
fn bus_days(instance: &Instance) -> usize {
    let mut days: Vec<DayKey> = instance
        .needs
        .iter()
        .flat_map(|n| n.patterns.iter())
        .flat_map(|p| p.slots().map(move |s| day_key(p.bus, &s)))
        .collect();
    days.sort_unstable();
    days.dedup();
    days.len()
}

/// Key of a bus day: (bus, week, weekday index).
type DayKey = (usize, u8, usize);

/// The bus day `bus` serves `slot` on.
fn day_key(bus: usize, slot: &Slot) -> DayKey {
    (bus, slot.week, slot.weekday.num_days_from_monday() as usize)
}

/// The drive of `bus`'s day through `am` then `pm`, if every rule allows
/// that day (the lunch gap, the driving limit, the bus's range…).
fn paired_day(instance: &Instance, bus: usize, am: usize, pm: usize) -> Option<f64> {
    let drive = instance.day_drive(bus, &[am, pm]);
    rules::day_allowed(instance, bus, am, pm, drive).then_some(drive.seconds)
}

/// Solves the instance to optimality.
pub fn solve(instance: &Instance) -> Result<ExactResult> {
    let model = Model::build(instance, true);
    let solution = model.solve(instance)?;
    let mut visits = Vec::new();
    for (d, row) in model.choose.iter().enumerate() {
        let chosen = row
            .iter()
            .position(|x| solution.value(*x) > 0.5)
            .ok_or_else(|| Error::internal("exact solver returned no pattern for a commune"))?;
        let need = &instance.needs[d];
        visits.extend(crate::schedule::plan::visits_of(need, need.patterns[chosen]));
    }
    Ok(ExactResult {
        plan: Plan::new(visits),
        objective: solution.eval(&model.objective),
    })
}

/// A commune's lines of service never meet on one date: per commune and
/// (week, weekday), the patterns of its lines that take it sum to at most 1.
fn lines_apart(instance: &Instance, choose: &[Vec<Variable>]) -> Vec<good_lp::Constraint> {
    let mut on_date: BTreeMap<(usize, u8, u32), Expression> = BTreeMap::new();
    for (d, demand) in instance.needs.iter().enumerate() {
        let Some(group) = instance.slot_group(demand.commune) else {
            continue;
        };
        for (pattern, &x) in demand.patterns.iter().zip(&choose[d]) {
            let mut dates: Vec<(u8, u32)> = pattern
                .slots()
                .map(|s| (s.week, s.weekday.num_days_from_monday()))
                .collect();
            dates.dedup();
            for (week, weekday) in dates {
                *on_date.entry((group, week, weekday)).or_default() += x;
            }
        }
    }
    on_date.into_values().map(|sum| constraint!(sum <= 1)).collect()
}

/// The program: variables, objective and constraints.
struct Model {
    vars: good_lp::ProblemVariables,
    objective: Expression,
    constraints: Vec<good_lp::Constraint>,
    /// Per demand: one variable per allowed pattern.
    choose: Vec<Vec<Variable>>,
}

impl Model {
    /// Builds the program; with `binary` false, the pattern choices are
    /// relaxed to [0, 1] (the LP bound).
    fn build(instance: &Instance, binary: bool) -> Model {
        let mut vars = variables!();
        let mut objective = Expression::from(0.0);
        let mut choose: Vec<Vec<Variable>> = Vec::new();
        // occupancy[(day, half)][demand] = Σ x over the demand's patterns using that slot.
        let mut occupancy: BTreeMap<(DayKey, HalfDay), BTreeMap<usize, Expression>> = BTreeMap::new();
        for (d, demand) in instance.needs.iter().enumerate() {
            let mut row = Vec::new();
            for pattern in &demand.patterns {
                let x = vars.add(if binary {
                    variable().binary()
                } else {
                    variable().min(0.0).max(1.0)
                });
                let round_trip = instance.day_drive(pattern.bus, &[demand.commune]).seconds;
                objective += (f64::from(demand.visits) * round_trip + demand.penalty(pattern)) * x;
                for slot in pattern.slots() {
                    let key = (day_key(pattern.bus, &slot), slot.half);
                    *occupancy.entry(key).or_default().entry(d).or_default() += x;
                }
                row.push(x);
            }
            choose.push(row);
        }
        let mut constraints = lines_apart(instance, &choose);
        for row in &choose {
            constraints.push(constraint!(row.iter().sum::<Expression>() == 1));
        }
        for users in occupancy.values() {
            constraints.push(constraint!(users.values().cloned().sum::<Expression>() <= 1));
        }
        let empty = BTreeMap::new();
        let mut day_keys: Vec<DayKey> = occupancy.keys().map(|(k, _)| *k).collect();
        day_keys.sort_unstable();
        day_keys.dedup();
        for key in day_keys {
            let am = occupancy.get(&(key, HalfDay::Am)).unwrap_or(&empty);
            let pm = occupancy.get(&(key, HalfDay::Pm)).unwrap_or(&empty);
            let mut from_am: BTreeMap<usize, Expression> = BTreeMap::new();
            let mut into_pm: BTreeMap<usize, Expression> = BTreeMap::new();
            for (&a, occ_a) in am {
                for (&b, occ_b) in pm {
                    if a == b {
                        continue;
                    }
                    let (ca, cb) = (instance.needs[a].commune, instance.needs[b].commune);
                    let Some(day) = paired_day(instance, key.0, ca, cb) else {
                        constraints.push(constraint!(occ_a.clone() + occ_b.clone() <= 1));
                        continue;
                    };
                    let alone = instance.day_drive(key.0, &[ca]).seconds + instance.day_drive(key.0, &[cb]).seconds;
                    let saving = alone - day;
                    if saving <= 1e-9 {
                        continue;
                    }
                    let w = vars.add(variable().min(0.0).max(1.0));
                    objective -= saving * w;
                    *from_am.entry(a).or_default() += w;
                    *into_pm.entry(b).or_default() += w;
                    constraints.push(constraint!(w <= occ_a.clone()));
                    constraints.push(constraint!(w <= occ_b.clone()));
                }
            }
            for (a, ws) in from_am {
                constraints.push(constraint!(ws <= am[&a].clone()));
            }
            for (b, ws) in into_pm {
                constraints.push(constraint!(ws <= pm[&b].clone()));
            }
        }
        Model {
            vars,
            objective,
            constraints,
            choose,
        }
    }

    fn solve(&self, instance: &Instance) -> Result<impl Solution> {
        let mut model = self.vars.clone().minimise(self.objective.clone()).using(microlp);
        for c in &self.constraints {
            model = model.with(c.clone());
        }
        model
            .solve()
            .map_err(|e| Error::infeasible(format!("{}: exact solver: {e}", instance.name)))
    }
}

/// The objective of any plan, as the exact model prices it (drive seconds
/// plus soft penalties), to compare heuristic and exact plans.
pub fn objective(instance: &Instance, plan: &Plan) -> f64 {
    let drive = plan.totals(instance).1.drive_seconds;
    // Each commune's soft costs are those of the pattern its visits form.
    let penalties: f64 = instance
        .needs
        .iter()
        .filter_map(|need| {
            let mut visits: Vec<_> = plan.visits.iter().filter(|v| v.commune == need.commune).collect();
            visits.sort_by_key(|v| (v.slot.week, v.slot.half));
            let pattern = need.patterns.iter().find(|p| {
                let slots: Vec<_> = p.slots().collect();
                slots.len() == visits.len()
                    && visits
                        .iter()
                        .all(|v| v.bus == p.bus && slots.contains(&v.slot) && v.time.map(|t| t.0) == p.start)
            })?;
            Some(need.penalty(pattern))
        })
        .sum();
    drive + penalties
}
