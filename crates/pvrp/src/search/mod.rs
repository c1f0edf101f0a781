//! Ruin and recreate with simulated annealing, adapted to periodic visits
//! (after Christiaens & Vanden Berghe's SISR for the CVRP).
//!
//! A customer is always removed from *all* its days at once, and put back
//! with the allowed pattern whose days give the cheapest total insertion:
//! so every move can change patterns, and patterns stay valid by
//! construction. [`ruin`] removes strings of consecutive customers from
//! routes near a random seed, or a seed's neighbourhood, or random
//! customers; [`recreate`] inserts them in a random order (random, by
//! demand, by distance to the depot) or by regret, with blinks;
//! [`exchange`] swaps two
//! customers' patterns; [`day`] improves each day a move changed with
//! patterns kept ([`relocate`], [`swap`], [`cross`]); [`two_opt`] reorders
//! the routes a move changed (where reversing changes only travel);
//! [`anneal`] runs the chains. Where the day's local search applies,
//! [`genetic`] runs beside the annealing: a population bred by crossover
//! of days and routes, each child educated by the day's local search and
//! pattern improvement ([`Method`](crate::Method) says which chain runs
//! which). Excess load (and, without windows, excess
//! time) is penalised at a rate the search adapts to how many candidates
//! keep the limit, so it may cross infeasible ground on tight instances;
//! with windows, excess duration and time warp are priced out whenever a
//! feasible position exists. The best *feasible* solution is returned.
//!
//! Each day has one route slot per vehicle, so the fleet limit, each
//! vehicle's depot and working days hold by construction and route indices
//! stay stable. A pattern may name its vehicle or its depot, and a time
//! window.

mod anneal;
pub(crate) mod chain;
mod cross;
mod day;
mod exchange;
mod genetic;
mod meeting;
pub(crate) mod portfolio;
mod recreate;
mod relocate;
mod ruin;
mod swap;
mod two_opt;

use crate::constraints::{Excess, Measures, duration, load, time_warp};
use crate::{DaySet, Penalties, Problem, Tactics, Window, days_in};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Tolerance on excess, for floating-point sums.
const EPS: f64 = 1e-7;
/// Neighbours kept per customer for ruin and exchange.
const NEIGHBOURS: usize = 40;

/// A route: its customers in visiting order and what the constraints
/// measure of it.
#[derive(Debug, Default)]
struct Route {
    customers: Vec<usize>,
    measures: Measures,
    /// With windows: its prefixes and suffixes, so that an insertion's
    /// time warp is priced without replaying the route.
    warps: time_warp::Insertions,
}

/// A solution under construction: customers may be out (between ruin and
/// recreate).
#[derive(Debug)]
struct State {
    /// Per customer: the index of its pattern, `None` while it is out.
    patterns: Vec<Option<usize>>,
    /// `routes[day][vehicle]`; a vehicle's route stays empty on days it
    /// does not work.
    routes: Vec<Vec<Route>>,
}

// Clone by hand so that `clone_from` reuses the target's buffers: the
// annealing copies its current solution into one candidate per
// iteration, and allocating it afresh each time took a fifth of a bus
// plan's time.
impl Clone for Route {
    fn clone(&self) -> Route {
        Route {
            customers: self.customers.clone(),
            measures: self.measures,
            warps: self.warps.clone(),
        }
    }

    fn clone_from(&mut self, source: &Route) {
        self.customers.clone_from(&source.customers);
        self.measures = source.measures;
        self.warps.clone_from(&source.warps);
    }
}

impl Clone for State {
    fn clone(&self) -> State {
        State {
            patterns: self.patterns.clone(),
            routes: self.routes.clone(),
        }
    }

    fn clone_from(&mut self, source: &State) {
        self.patterns.clone_from(&source.patterns);
        self.routes.clone_from(&source.routes);
    }
}

/// The genetic search's first price of a unit of excess load: the longest
/// leg per unit of the largest demand, as Vidal's HGS starts (within the
/// penalties' bounds). Starting at the bound, the price takes thousands of
/// children to come down far enough for the search to cross a full route.
/// The annealing still starts at the bound: it prices a hundred candidates
/// in a fraction of a second (docs/pvrp-journal.md, "The genetic search's
/// first load price").
pub(super) fn starting_load_penalty(p: &Problem, penalties: &Penalties) -> f64 {
    let longest = p.dist.iter().copied().filter(|d| d.is_finite()).fold(0.0, f64::max);
    let largest = p.customers.iter().map(|c| c.demand).fold(0.0, f64::max);
    if largest <= 0.0 {
        return penalties.load_max;
    }
    (longest / largest).clamp(penalties.load_min, penalties.load_max)
}

/// The genetic search's first price of a unit of excess time, where the
/// time price adapts: 1, as Vidal's HGS starts its duration penalty. Time
/// is counted in the travel's unit, so a unit over the limit first weighs
/// a unit of travel. At the bound (10,000) the price falls by 0.85 only
/// every hundred children, some 5,700 children to reach the instance's
/// scale: a 20 s run on pr05 breeds fewer, and searched only routes that
/// keep their duration.
pub(super) fn starting_time_penalty(penalties: &Penalties) -> f64 {
    1.0_f64.clamp(penalties.time_min, penalties.time)
}

/// A window and depot a customer's patterns use, with the days each
/// vehicle may serve the customer under them.
#[derive(Debug, Clone)]
struct WindowGroup {
    window: Option<Window>,
    depot: Option<usize>,
    /// Per vehicle.
    days: Vec<DaySet>,
}

/// The cheapest place for one visit in one route: (cost, position).
type Insertion = (f64, usize);
const NOWHERE: Insertion = (f64::INFINITY, usize::MAX);

/// One chain's search: the problem, what is precomputed about it, scratch
/// space and the random generator.
struct Search<'a> {
    p: &'a Problem,
    neighbours: Vec<Vec<usize>>,
    rng: ChaCha8Rng,
    windows: bool,
    /// Per vehicle: the first vehicle with the same depot and limits, so
    /// one empty route stands for all its twins.
    twin: Vec<usize>,
    /// Per customer: whether some of its patterns name a vehicle (then no
    /// empty route may stand for another).
    pinned: Vec<bool>,
    /// Per customer: the distance from the nearest depot.
    depot_distance: Vec<f64>,
    /// Per customer: the other customers of its group, never visited on
    /// one of its days ([`crate::Customer::group`]).
    mates: Vec<Vec<usize>>,
    /// Per customer: its patterns' distinct windows.
    groups: Vec<Vec<WindowGroup>>,
    /// Per customer and pattern: the index of its window in `groups`.
    pattern_group: Vec<Vec<usize>>,
    /// Scratch table of insertions, `days × vehicles` per window group.
    table: Vec<Insertion>,
    /// Scratch: which twins' empty route was tried on the current day.
    empty_tried: Vec<bool>,
    /// Scratch: per (window group, day), the cheapest vehicle.
    cheapest: Vec<usize>,
    /// Scratch: one table of insertions per customer a regret insertion
    /// has still to place.
    regret_tables: Vec<Vec<Insertion>>,
    max_ruin: Option<usize>,
    penalties: Penalties,
    /// Current cost per unit of excess load, within the penalties' bounds.
    load_penalty: f64,
    /// Current cost per unit of excess time (adapts only without windows).
    time_penalty: f64,
    /// The travel matrix reads the same both ways.
    symmetric: bool,
    /// The travel and length matrices keep the triangle inequality, so no
    /// insertion has a negative detour ([`triangle_kept`]).
    metric: bool,
    /// While improving patterns: per (day, vehicle), whether `insert` may
    /// look at that route (empty routes always); then it does not blink,
    /// since a move is kept only if it gains. `None`: anywhere, blinking.
    near: Option<Vec<bool>>,
    /// Whether the day's local search runs here: asked for, and
    /// [`day::runs_on`] the problem.
    day_search: bool,
    /// What the caller asked the search to do besides ruin and recreate.
    tactics: Tactics,
}

impl<'a> Search<'a> {
    fn new(p: &'a Problem, seed: u64, max_ruin: Option<usize>, penalties: Penalties, tactics: Tactics) -> Search<'a> {
        let (groups, pattern_group) = window_groups(p);
        let day_search = tactics.day_moves && day::runs_on(p);
        Search {
            p,
            neighbours: neighbours(p),
            rng: ChaCha8Rng::seed_from_u64(seed),
            windows: p.has_windows(),
            twin: (0..p.vehicles.len())
                .map(|k| {
                    let v = &p.vehicles[k];
                    p.vehicles
                        .iter()
                        .position(|o| o.depot == v.depot && o.limits == v.limits)
                        .unwrap_or(k)
                })
                .collect(),
            pinned: p
                .customers
                .iter()
                .map(|c| c.patterns.iter().any(|x| x.vehicle.is_some()))
                .collect(),
            depot_distance: p
                .customers
                .iter()
                .map(|c| {
                    p.vehicles
                        .iter()
                        .map(|v| p.travel(v.depot, c.node))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect(),
            mates: p.groupmates(),
            groups,
            pattern_group,
            table: Vec::new(),
            empty_tried: Vec::new(),
            cheapest: Vec::new(),
            regret_tables: Vec::new(),
            max_ruin,
            penalties,
            load_penalty: penalties.load_max,
            time_penalty: penalties.time,
            symmetric: (0..p.nodes).all(|a| (0..a).all(|b| p.travel(a, b) == p.travel(b, a))),
            metric: day_search && triangle_kept(p),
            near: None,
            day_search,
            tactics,
        }
    }

    /// Moves the load price, and the time price where the tactics ask for
    /// it, so that the share of candidates keeping each limit nears
    /// the target, given the last window's counts.
    fn adapt_penalties(&mut self, kept_load: u64, kept_time: u64) {
        let p = self.penalties;
        let factor = |kept: u64| {
            if (kept as f64) < p.feasible_target * p.window as f64 {
                p.up
            } else {
                p.down
            }
        };
        self.load_penalty = (self.load_penalty * factor(kept_load)).clamp(p.load_min, p.load_max);
        if self.tactics.adapt_time_price {
            self.time_penalty = (self.time_penalty * factor(kept_time)).clamp(p.time_min, p.time);
        }
    }

    fn window(&self, patterns: &[Option<usize>], c: usize) -> Option<Window> {
        patterns[c].and_then(|i| self.p.customers[c].patterns[i].window)
    }

    /// Recomputes every measure of `route` after its customers changed.
    fn refresh(&self, vehicle: usize, route: &mut Route, patterns: &[Option<usize>]) {
        let customers = &route.customers;
        let m = &mut route.measures;
        m.travel = self.p.route_cost(vehicle, customers);
        m.length = self.p.route_length(vehicle, customers);
        m.load = load::value(self.p, customers);
        m.service = duration::value(self.p, customers);
        if self.windows {
            let stops = customers.iter().map(|&c| (c, self.window(patterns, c)));
            route.warps.prepare(self.p, stops);
            m.warp = route.warps.warp();
        }
    }

    fn excess(&self, day: usize, vehicle: usize, r: &Route) -> Excess {
        Excess::of_route(self.p, day, vehicle, &r.measures)
    }

    /// Excess at the current prices.
    #[inline]
    fn priced(&self, excess: Excess) -> f64 {
        self.load_penalty * excess.load + self.time_penalty * excess.time
    }

    fn route_cost(&self, day: usize, vehicle: usize, r: &Route) -> f64 {
        self.priced_route(day, vehicle, &r.measures)
    }

    /// Travel and priced excess of a route with measures `m` (a route
    /// measured, or one a move would make).
    #[inline]
    fn priced_route(&self, day: usize, vehicle: usize, m: &Measures) -> f64 {
        self.p.weight(day) * (m.travel + self.priced(Excess::of_route(self.p, day, vehicle, m)))
    }

    /// The travel `here` adds between nodes `u` and `v` (what it saves
    /// when taken out from between them).
    #[inline]
    fn detour(&self, u: usize, v: usize, here: usize) -> f64 {
        crate::constraints::detour(self.p, Problem::travel, u, v, here)
    }

    /// The routes that changed since `before` improved, patterns kept: the
    /// day's moves where they run, then 2-opt where reversing a route
    /// changes only its travel.
    fn improve_routes(&self, s: &mut State, before: &State) {
        if self.day_search() {
            self.improve_days(s, before);
        }
        if self.reversible() {
            self.two_opt(s, before);
        }
    }

    /// Travel, priced excess and the chosen patterns' own costs.
    fn cost(&self, s: &State) -> f64 {
        let routes: f64 = s
            .routes
            .iter()
            .enumerate()
            .flat_map(|(d, rs)| rs.iter().enumerate().map(move |(k, r)| (d, k, r)))
            .map(|(d, k, r)| self.route_cost(d, k, r))
            .sum();
        let patterns: f64 = s
            .patterns
            .iter()
            .zip(&self.p.customers)
            .filter_map(|(p, c)| p.map(|i| c.patterns[i].cost))
            .sum();
        routes + patterns + self.penalties.clash * f64::from(self.clashes(s))
    }

    /// The days `c`'s groupmates are visited on, which its pattern must
    /// leave free.
    fn blocked(&self, s: &State, c: usize) -> DaySet {
        self.mates[c].iter().fold(0, |set, &o| set | self.days_of(s, o))
    }

    /// Days shared by two customers of one group, over all pairs.
    fn clashes(&self, s: &State) -> u32 {
        (0..self.mates.len())
            .flat_map(|c| self.mates[c].iter().filter(move |&&o| o > c).map(move |&o| (c, o)))
            .map(|(c, o)| (self.days_of(s, c) & self.days_of(s, o)).count_ones())
            .sum()
    }

    /// Whether `s` keeps the load limits, and the time limits (duration,
    /// driving, windows), each over all its routes.
    fn kept(&self, s: &State) -> Kept {
        let mut kept = Kept { load: true, time: true };
        for (d, rs) in s.routes.iter().enumerate() {
            for (k, r) in rs.iter().enumerate() {
                let excess = self.excess(d, k, r);
                kept.load &= excess.load <= EPS;
                kept.time &= excess.time <= EPS;
            }
        }
        kept
    }

    fn feasible(&self, s: &State) -> bool {
        self.kept(s).all() && s.patterns.iter().all(Option::is_some) && self.clashes(s) == 0
    }

    fn days_of(&self, s: &State, c: usize) -> DaySet {
        s.patterns[c].map_or(0, |i| self.p.customers[c].patterns[i].days)
    }

    /// A state with no customer placed and every route empty (as a
    /// `before` for the day's local search, every route counts as changed).
    fn blank(&self) -> State {
        State {
            patterns: vec![None; self.p.customers.len()],
            routes: vec![vec![Route::default(); self.p.vehicles.len()]; self.p.days],
        }
    }

    /// Takes `c` out of every route it is in.
    fn remove(&self, s: &mut State, c: usize) {
        let days = self.days_of(s, c);
        s.patterns[c] = None;
        for day in days_in(days) {
            if let Some(k) = s.routes[day].iter().position(|r| r.customers.contains(&c)) {
                let mut route = std::mem::take(&mut s.routes[day][k]);
                route.customers.retain(|&x| x != c);
                self.refresh(k, &mut route, &s.patterns);
                s.routes[day][k] = route;
            }
        }
    }
}

/// Which limit families a solution keeps everywhere.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Kept {
    load: bool,
    time: bool,
}

impl Kept {
    fn all(self) -> bool {
        self.load && self.time
    }
}

/// Whether no leg of the travel (or length) matrix is longer than a
/// detour through a third node, to floating-point tolerance: true of
/// Euclidean and shortest-path matrices. Checked once per chain (nodes³),
/// and only where the day's local search, which relies on it, runs; row
/// by row (from `u`, then through `w`), so that the innermost loop reads
/// two rows in order and the check stays a small share of a short run.
fn triangle_kept(p: &Problem) -> bool {
    let n = p.nodes;
    let kept = |m: &[f64]| {
        (0..n).all(|u| {
            let from_u = &m[u * n..][..n];
            (0..n).all(|w| {
                let (to_w, from_w) = (from_u[w], &m[w * n..][..n]);
                from_u.iter().zip(from_w).fold(true, |kept, (&direct, &onward)| {
                    kept & (direct <= to_w + onward + 1e-9 * direct.abs().max(1.0))
                })
            })
        })
    };
    kept(&p.dist) && p.lengths.as_deref().is_none_or(kept)
}

/// Per customer, its [`NEIGHBOURS`] nearest customers.
fn neighbours(p: &Problem) -> Vec<Vec<usize>> {
    let n = p.customers.len();
    (0..n)
        .map(|c| {
            let mut others: Vec<usize> = (0..n).filter(|&o| o != c).collect();
            let node = p.customers[c].node;
            others.sort_by(|a, b| {
                p.travel(node, p.customers[*a].node)
                    .total_cmp(&p.travel(node, p.customers[*b].node))
            });
            others.truncate(NEIGHBOURS);
            others
        })
        .collect()
}

/// Per customer: its patterns' distinct windows with the days each vehicle
/// may serve it under that window; and per pattern, its window's index.
/// Insertion positions are found once per (window, day, vehicle), then
/// shared by every pattern that uses them.
fn window_groups(p: &Problem) -> (Vec<Vec<WindowGroup>>, Vec<Vec<usize>>) {
    let n = p.customers.len();
    let mut groups = Vec::with_capacity(n);
    let mut pattern_group = Vec::with_capacity(n);
    for customer in &p.customers {
        let mut windows: Vec<WindowGroup> = Vec::new();
        let mut of_pattern = Vec::with_capacity(customer.patterns.len());
        for pattern in &customer.patterns {
            let g = match windows
                .iter()
                .position(|w| (w.window, w.depot) == (pattern.window, pattern.depot))
            {
                Some(g) => g,
                None => {
                    windows.push(WindowGroup {
                        window: pattern.window,
                        depot: pattern.depot,
                        days: vec![0; p.vehicles.len()],
                    });
                    windows.len() - 1
                }
            };
            for (k, days) in windows[g].days.iter_mut().enumerate() {
                if pattern.allows(k, p.vehicles[k].depot) {
                    *days |= pattern.days & p.vehicles[k].days;
                }
            }
            of_pattern.push(g);
        }
        groups.push(windows);
        pattern_group.push(of_pattern);
    }
    (groups, pattern_group)
}

/// Test problems on a line, shared by the search's unit tests.
#[cfg(test)]
pub(super) mod on_a_line {
    use crate::{Customer, Pattern, Problem, Vehicle};

    /// A depot at x = 0 (node 0) and one customer at each of `xs` (nodes
    /// 1…), demand 1, once, on any of `patterns`; two vehicles at the depot
    /// working every day of `days`; distances along the line.
    pub fn problem(xs: &[f64], days: usize, patterns: &[Pattern], capacity: f64, max_duration: Option<f64>) -> Problem {
        let at: Vec<f64> = std::iter::once(0.0).chain(xs.iter().copied()).collect();
        let dist = at.iter().flat_map(|a| at.iter().map(move |b| (a - b).abs())).collect();
        let customer = |node| Customer {
            node,
            service: 0.0,
            demand: 1.0,
            frequency: 1,
            patterns: patterns.to_vec(),
            ..Customer::default()
        };
        let vehicle = Vehicle {
            depot: 0,
            days: (1 << days) - 1,
            ..Vehicle::default()
        };
        Problem {
            name: "line".into(),
            days,
            vehicles: vec![vehicle; 2],
            capacity: vec![capacity; days],
            max_duration: vec![max_duration; days],
            customers: (1..=xs.len()).map(customer).collect(),
            dist,
            nodes: at.len(),
            ..Problem::default()
        }
    }
}
