//! One area's covering problem (a département): which bases get a bus and
//! which stops each bus serves, to bring the most inhabitants within reach.
//!
//! A maximal-covering location model with capacities. A demand (a commune
//! farther than the threshold from every fixed site) counts as covered when
//! a chosen stop lies within the threshold; a stop is served by one bus,
//! whose base must be within reach of it; a bus has `capacity` units (its
//! half-days over the visits each stop gets): a stop near its base takes
//! one, a far one takes two (its days carry no other stop, see
//! [`super::tours::BaseReach`]). Solved by a greedy construction, then by
//! microlp's branch and bound warm-started from it, under a node limit so
//! that the result never depends on the clock.
//!
//! microlp is good_lp's own backend, called directly: good_lp offers only
//! a wall-clock limit, and a result that depends on the machine's load
//! would not reproduce.

use crate::error::{Error, Result};
use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions, SolveOutcome, Variable};

/// Communes not yet within reach of a fixed site that the same stops
/// would bring within reach (merged: the model needs only one row).
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Indices of the communes in the national table.
    pub communes: Vec<usize>,
    pub population: u64,
}

/// A commune where a bus may stop.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the commune in the national table.
    pub commune: usize,
    /// Demands (indices into [`Area::demands`]) within reach of the stop.
    pub covers: Vec<usize>,
    /// Bases (indices into [`Area::bases`], ascending) close enough to
    /// serve it, with the capacity units it takes from a bus there.
    pub bases: Vec<(usize, u8)>,
}

/// The covering problem of one area.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Département code.
    pub code: String,
    pub demands: Vec<Demand>,
    pub stops: Vec<Candidate>,
    /// Communes (national indices) that may base a bus.
    pub bases: Vec<usize>,
    /// Capacity units of one bus: stops near the base take one, far ones two.
    pub capacity: usize,
}

/// One bus: its base and its stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusStops {
    /// Index into [`Area::bases`].
    pub base: usize,
    /// Indices into [`Area::stops`], ascending.
    pub stops: Vec<usize>,
}

/// A fleet for the area and the inhabitants it brings within reach.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fleet {
    pub buses: Vec<BusStops>,
    pub covered: u64,
}

/// The best fleet found for a number of buses, and what no fleet can beat.
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    pub fleet: Fleet,
    /// An upper bound on the inhabitants any fleet of that size covers.
    pub bound: u64,
    /// The branch and bound proved the fleet optimal.
    pub optimal: bool,
}

impl Area {
    /// Inhabitants within reach of the given stops.
    pub fn covered(&self, stops: impl IntoIterator<Item = usize>) -> u64 {
        let mut seen = vec![false; self.demands.len()];
        for s in stops {
            for &d in &self.stops[s].covers {
                seen[d] = true;
            }
        }
        seen.iter()
            .zip(&self.demands)
            .filter(|(s, _)| **s)
            .map(|(_, d)| d.population)
            .sum()
    }

    /// Inhabitants of the demands that some stop served from some base
    /// reaches: what an unlimited fleet would cover.
    pub fn coverable(&self) -> u64 {
        self.covered((0..self.stops.len()).filter(|&s| !self.stops[s].bases.is_empty()))
    }

    fn fleet(&self, buses: Vec<BusStops>) -> Fleet {
        let covered = self.covered(buses.iter().flat_map(|b| b.stops.iter().copied()));
        Fleet { buses, covered }
    }

    /// Greedy fleets for 0, 1, … buses, each one bus more than the last:
    /// the next bus goes to the base whose best stops (picked one by one for
    /// the inhabitants they add per capacity unit) add the most. Stops once
    /// the next bus would add no one or no base is left.
    pub fn greedy(&self, max_buses: usize) -> Vec<Fleet> {
        let mut fleets = vec![Fleet::default()];
        let mut buses: Vec<BusStops> = Vec::new();
        while buses.len() < max_buses {
            let Some(bus) = self.best_bus(&buses) else { break };
            buses.push(bus);
            fleets.push(self.fleet(buses.clone()));
        }
        fleets
    }

    /// Local search on a fleet: take each bus out in turn and put back the
    /// best bus given the others (it may move to another base); repeat while
    /// the fleet covers more.
    pub fn improve(&self, fleet: &Fleet) -> Fleet {
        let mut best = self.swap_stops(fleet);
        loop {
            let mut better = false;
            for i in 0..best.buses.len() {
                let mut others = best.buses.clone();
                others.remove(i);
                if let Some(bus) = self.best_bus(&others) {
                    others.insert(i, bus);
                    let candidate = self.fleet(others);
                    if candidate.covered > best.covered {
                        best = candidate;
                        better = true;
                    }
                }
            }
            if !better {
                return best;
            }
            best = self.swap_stops(&best);
        }
    }

    /// Swaps a bus's stop for an unused one within its reach and capacity
    /// whenever that covers more, until no swap does.
    fn swap_stops(&self, fleet: &Fleet) -> Fleet {
        let mut buses = fleet.buses.clone();
        let mut count = vec![0u32; self.demands.len()];
        let mut taken = vec![false; self.stops.len()];
        for &s in buses.iter().flat_map(|b| &b.stops) {
            taken[s] = true;
            for &d in &self.stops[s].covers {
                count[d] += 1;
            }
        }
        let pop = |d: usize| self.demands[d].population;
        let mut improved = true;
        while improved {
            improved = false;
            for bus in &mut buses {
                let used: usize = bus.stops.iter().filter_map(|&s| self.units(s, bus.base)).sum();
                for k in 0..bus.stops.len() {
                    let out = bus.stops[k];
                    let out_units = self.units(out, bus.base).unwrap_or(0);
                    let loss: u64 = self.stops[out]
                        .covers
                        .iter()
                        .filter(|&&d| count[d] == 1)
                        .map(|&d| pop(d))
                        .sum();
                    let best = (0..self.stops.len())
                        .filter(|&t| !taken[t])
                        .filter_map(|t| self.units(t, bus.base).map(|u| (t, u)))
                        .filter(|&(_, u)| used - out_units + u <= self.capacity)
                        .map(|(t, _)| {
                            let gain: u64 = self.stops[t]
                                .covers
                                .iter()
                                .filter(|&&d| count[d] == u32::from(self.stops[out].covers.binary_search(&d).is_ok()))
                                .map(|&d| pop(d))
                                .sum();
                            (t, gain)
                        })
                        .filter(|&(_, gain)| gain > loss)
                        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
                    if let Some((t, _)) = best {
                        for &d in &self.stops[out].covers {
                            count[d] -= 1;
                        }
                        for &d in &self.stops[t].covers {
                            count[d] += 1;
                        }
                        taken[out] = false;
                        taken[t] = true;
                        bus.stops[k] = t;
                        improved = true;
                        break;
                    }
                }
                bus.stops.sort_unstable();
            }
        }
        self.fleet(buses)
    }

    /// The bus that adds the most to `buses`, at a base none of them uses;
    /// `None` when no bus adds anyone.
    fn best_bus(&self, buses: &[BusStops]) -> Option<BusStops> {
        let mut covered = vec![false; self.demands.len()];
        let mut taken = vec![false; self.stops.len()];
        let mut used = vec![false; self.bases.len()];
        for bus in buses {
            used[bus.base] = true;
            for &s in &bus.stops {
                taken[s] = true;
                for &d in &self.stops[s].covers {
                    covered[d] = true;
                }
            }
        }
        let (base, (stops, gain)) = (0..self.bases.len())
            .filter(|&b| !used[b])
            .map(|b| (b, self.fill(b, &covered, &taken)))
            .max_by(|(a, (_, ga)), (b, (_, gb))| ga.cmp(gb).then(b.cmp(a)))?;
        (gain > 0).then_some(BusStops { base, stops })
    }

    /// The stops a bus at `base` would take, one by one for the most
    /// inhabitants added per capacity unit, and the inhabitants they add.
    fn fill(&self, base: usize, covered: &[bool], taken: &[bool]) -> (Vec<usize>, u64) {
        let mut covered = covered.to_vec();
        let reachable: Vec<(usize, usize)> = (0..self.stops.len())
            .filter(|&s| !taken[s])
            .filter_map(|s| self.units(s, base).map(|u| (s, u)))
            .collect();
        let mut stops = Vec::new();
        let (mut total, mut used) = (0, 0);
        loop {
            let gain = |s: usize| -> u64 {
                self.stops[s]
                    .covers
                    .iter()
                    .filter(|&&d| !covered[d])
                    .map(|&d| self.demands[d].population)
                    .sum()
            };
            // Compared as gain / units without division: g1 * u2 vs g2 * u1.
            let best = reachable
                .iter()
                .filter(|(s, u)| used + u <= self.capacity && !stops.contains(s))
                .map(|&(s, u)| (s, u, gain(s)))
                .filter(|&(_, _, g)| g > 0)
                .max_by(|a, b| (a.2 * b.1 as u64).cmp(&(b.2 * a.1 as u64)).then(b.0.cmp(&a.0)));
            let Some((s, u, g)) = best else { break };
            stops.push(s);
            total += g;
            used += u;
            for &d in &self.stops[s].covers {
                covered[d] = true;
            }
        }
        stops.sort_unstable();
        (stops, total)
    }

    /// Capacity units stop `s` takes from a bus at `base`; `None`: too far.
    fn units(&self, s: usize, base: usize) -> Option<usize> {
        let bases = &self.stops[s].bases;
        let i = bases.binary_search_by_key(&base, |&(b, _)| b).ok()?;
        Some(usize::from(bases[i].1))
    }

    /// The best fleet of at most `buses` buses: branch and bound from
    /// `start` (a feasible fleet of that size), at most `nodes` nodes.
    pub fn solve(&self, buses: usize, start: &Fleet, nodes: u64) -> Result<Solved> {
        let model = Model::new(self, buses);
        let mut options = SolveOptions::default();
        options.node_limit = Some(nodes);
        options.warm_start = Some(model.assignment(self, start));
        let outcome = model
            .problem
            .solve_with(options)
            .map_err(|e| Error::internal(format!("département {}: covering model: {e}", self.code)))?;
        let SolveOutcome::Solution(solution) = outcome else {
            // The warm start is feasible, so an interruption keeps it.
            return Ok(Solved {
                fleet: start.clone(),
                bound: self.coverable(),
                optimal: false,
            });
        };
        let open: Vec<bool> = model.z.iter().map(|&v| solution.var_value(v) > 0.5).collect();
        let mut share = vec![Vec::new(); self.stops.len()];
        for &(b, s, _, v) in &model.w {
            if solution.var_value(model.y[s]) > 0.5 && open[b] {
                share[s].push((b, solution.var_value(v)));
            }
        }
        let fleet = self.assign(share);
        // The objective's tie-breaker takes less than one inhabitant off.
        let bound = solution.stats().best_bound.map_or(self.coverable(), |b| {
            ((b + 0.5).floor().max(0.0) as u64).min(self.coverable())
        });
        let fleet = if fleet.covered >= start.covered {
            fleet
        } else {
            start.clone()
        };
        Ok(Solved {
            optimal: fleet.covered >= bound,
            bound: bound.max(fleet.covered),
            fleet,
        })
    }

    /// Rounds the model's shares: each chosen stop goes to the open base
    /// that serves the largest share of it and still has the capacity
    /// (ties: the first base), else to any open base within reach that
    /// has; a stop no bus can take is left out, and the covered count says
    /// so.
    fn assign(&self, mut share: Vec<Vec<(usize, f64)>>) -> Fleet {
        let mut load = vec![0usize; self.bases.len()];
        let mut stops_of: Vec<Vec<usize>> = vec![Vec::new(); self.bases.len()];
        let open: Vec<usize> = {
            let mut open: Vec<usize> = share.iter().flatten().map(|&(b, _)| b).collect();
            open.sort_unstable();
            open.dedup();
            open
        };
        for (s, options) in share.iter_mut().enumerate().filter(|(_, o)| !o.is_empty()) {
            options.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let preferred = options.iter().map(|&(b, _)| b);
            let fits = |b: usize, load: &[usize]| self.units(s, b).filter(|u| load[b] + u <= self.capacity);
            let chosen = preferred
                .chain(open.iter().copied())
                .find_map(|b| fits(b, &load).map(|u| (b, u)));
            if let Some((b, u)) = chosen {
                load[b] += u;
                stops_of[b].push(s);
            }
        }
        self.fleet(
            stops_of
                .into_iter()
                .enumerate()
                .filter(|(_, stops)| !stops.is_empty())
                .map(|(base, stops)| BusStops { base, stops })
                .collect(),
        )
    }
}

/// The MILP: `z[b]` a bus at base b, `y[s]` stop s served, `w` the share
/// of stop s served from base b (continuous: integral shares would multiply
/// the branching; [`Area::assign`] rounds them), `x[d]` demand d covered.
struct Model {
    problem: Problem,
    z: Vec<Variable>,
    y: Vec<Variable>,
    /// (base, stop, capacity units, variable) for every pair within reach.
    w: Vec<(usize, usize, u8, Variable)>,
    x: Vec<Variable>,
}

impl Model {
    fn new(area: &Area, buses: usize) -> Model {
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        // Fewer stops for the same inhabitants: less than one in all.
        let epsilon = 0.5 / (area.stops.len() + 1) as f64;
        let z: Vec<Variable> = area.bases.iter().map(|_| problem.add_binary_var(0.0)).collect();
        let y: Vec<Variable> = area.stops.iter().map(|_| problem.add_binary_var(-epsilon)).collect();
        let x: Vec<Variable> = area
            .demands
            .iter()
            .map(|d| problem.add_var(d.population as f64, (0.0, 1.0)))
            .collect();
        let mut w = Vec::new();
        for (s, stop) in area.stops.iter().enumerate() {
            for &(b, units) in &stop.bases {
                w.push((b, s, units, problem.add_var(0.0, (0.0, 1.0))));
            }
        }
        let mut by_demand: Vec<LinearExpr> = x
            .iter()
            .map(|&v| {
                let mut e = LinearExpr::empty();
                e.add(v, 1.0);
                e
            })
            .collect();
        for (s, stop) in area.stops.iter().enumerate() {
            for &d in &stop.covers {
                by_demand[d].add(y[s], -1.0);
            }
        }
        for e in by_demand {
            problem.add_constraint(e, ComparisonOp::Le, 0.0);
        }
        let mut by_stop: Vec<LinearExpr> = y
            .iter()
            .map(|&v| {
                let mut e = LinearExpr::empty();
                e.add(v, -1.0);
                e
            })
            .collect();
        let mut by_base: Vec<LinearExpr> = z
            .iter()
            .map(|&v| {
                let mut e = LinearExpr::empty();
                e.add(v, -(area.capacity as f64));
                e
            })
            .collect();
        for &(b, s, units, v) in &w {
            by_stop[s].add(v, 1.0);
            by_base[b].add(v, f64::from(units));
            // Implied by the capacity row in integers; in the relaxation it
            // stops a fraction of a bus from serving whole stops.
            let mut link = LinearExpr::empty();
            link.add(v, 1.0);
            link.add(z[b], -1.0);
            problem.add_constraint(link, ComparisonOp::Le, 0.0);
        }
        for e in by_stop {
            problem.add_constraint(e, ComparisonOp::Eq, 0.0);
        }
        for e in by_base {
            problem.add_constraint(e, ComparisonOp::Le, 0.0);
        }
        let mut fleet = LinearExpr::empty();
        for &v in &z {
            fleet.add(v, 1.0);
        }
        problem.add_constraint(fleet, ComparisonOp::Le, buses as f64);
        Model { problem, z, y, w, x }
    }

    /// The values of every variable for a fleet: the warm start.
    fn assignment(&self, area: &Area, fleet: &Fleet) -> Vec<(Variable, f64)> {
        let mut owner = vec![None; area.stops.len()];
        let mut open = vec![false; area.bases.len()];
        for bus in &fleet.buses {
            open[bus.base] = true;
            for &s in &bus.stops {
                owner[s] = Some(bus.base);
            }
        }
        let mut covered = vec![false; area.demands.len()];
        for (s, o) in owner.iter().enumerate() {
            if o.is_some() {
                for &d in &area.stops[s].covers {
                    covered[d] = true;
                }
            }
        }
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let z = self.z.iter().zip(&open).map(|(&v, &o)| (v, flag(o)));
        let y = self.y.iter().zip(&owner).map(|(&v, o)| (v, flag(o.is_some())));
        let x = self.x.iter().zip(&covered).map(|(&v, &c)| (v, flag(c)));
        let w = self.w.iter().map(|&(b, s, _, v)| (v, flag(owner[s] == Some(b))));
        z.chain(y).chain(x).chain(w).collect()
    }
}
