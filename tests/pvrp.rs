//! The periodic VRP solver on Cordeau's instances, judged by a checker
//! written here from the format's description, sharing no code with the
//! library: patterns, capacity, duration, fleet per day, and the cost.

mod common;

use pvrp::Budget;
use pvrp::formats::cordeau;
use std::collections::HashMap;
use std::path::Path;

/// An instance as the checker reads it.
struct Instance {
    m: usize,
    t: usize,
    limits: Vec<(f64, f64)>, // (D, Q) per day
    xy: Vec<(f64, f64)>,
    service: Vec<f64>,
    demand: Vec<f64>,
    combos: Vec<Vec<u32>>, // allowed codes per node
}

fn read_instance(text: &str) -> Instance {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let nums = |l: &str| {
        l.split_whitespace()
            .map(|t| t.parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    };
    let head = nums(lines.next().unwrap());
    let (m, n, t) = (head[1] as usize, head[2] as usize, head[3] as usize);
    let limits = (0..t)
        .map(|_| nums(lines.next().unwrap()))
        .map(|v| (v[0], v[1]))
        .collect();
    let mut inst = Instance {
        m,
        t,
        limits,
        xy: vec![],
        service: vec![],
        demand: vec![],
        combos: vec![],
    };
    for _ in 0..=n {
        let v = nums(lines.next().unwrap());
        inst.xy.push((v[1], v[2]));
        inst.service.push(v[3]);
        inst.demand.push(v[4]);
        let a = v[6] as usize;
        inst.combos.push(v[7..7 + a].iter().map(|c| *c as u32).collect());
    }
    inst
}

/// Checks a `.res` text; returns the problems found and the recomputed cost.
fn check_res(inst: &Instance, res: &str) -> (Vec<String>, f64) {
    let dist = |a: usize, b: usize| {
        let (p, q) = (inst.xy[a], inst.xy[b]);
        ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
    };
    let mut lines = res.lines().filter(|l| !l.trim().is_empty());
    let claimed: f64 = lines.next().unwrap().trim().parse().unwrap();
    let mut problems = Vec::new();
    let mut total = 0.0;
    let mut days_of: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut routes_per_day = vec![0; inst.t + 1];
    for line in lines {
        let v: Vec<f64> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
        let day = v[0] as usize;
        let nodes: Vec<usize> = v[4..].iter().map(|x| *x as usize).collect();
        let inner: Vec<usize> = nodes.iter().copied().filter(|&x| x != 0).collect();
        if inner.is_empty() {
            continue;
        }
        routes_per_day[day] += 1;
        let travel: f64 = nodes.windows(2).map(|w| dist(w[0], w[1])).sum();
        let load: f64 = inner.iter().map(|&c| inst.demand[c]).sum();
        let duration = travel + inner.iter().map(|&c| inst.service[c]).sum::<f64>();
        let (d_max, q) = inst.limits[day - 1];
        if load > q + 1e-6 {
            problems.push(format!("day {day}: load {load} > {q}"));
        }
        if d_max > 0.0 && duration > d_max + 1e-6 {
            problems.push(format!("day {day}: duration {duration:.2} > {d_max}"));
        }
        total += travel;
        for c in inner {
            days_of.entry(c).or_default().push(day);
        }
    }
    // README quirk (p01): a customer at the depot whose demand fills a
    // vehicle may be left out of the routes; it then takes one vehicle on
    // its only allowed day.
    for c in 1..inst.xy.len() {
        let dummy = inst.xy[c] == inst.xy[0] && inst.demand[c] >= inst.limits[0].1 && inst.combos[c].len() == 1;
        if dummy && !days_of.contains_key(&c) {
            let day = (1..=inst.t).find(|d| inst.combos[c][0] == 1 << (inst.t - d)).unwrap();
            routes_per_day[day] += 1;
            days_of.insert(c, vec![day]);
        }
    }
    for (day, &count) in routes_per_day.iter().enumerate().skip(1) {
        if count > inst.m {
            problems.push(format!("day {day}: {count} routes > {} vehicles", inst.m));
        }
    }
    for c in 1..inst.xy.len() {
        let mut days = days_of.remove(&c).unwrap_or_default();
        days.sort_unstable();
        let code: u32 = days.iter().map(|d| 1 << (inst.t - d)).sum();
        let repeated = days.windows(2).any(|w| w[0] == w[1]);
        if repeated || !inst.combos[c].contains(&code) {
            problems.push(format!("customer {c}: days {days:?} match no allowed combination"));
        }
    }
    if (claimed - total).abs() > 0.01 + 1e-6 * total {
        problems.push(format!("first line {claimed} ≠ recomputed cost {total:.2}"));
    }
    (problems, total)
}

/// One search chain, a seed and an iteration budget: reproducible.
fn one_chain(seed: u64, iterations: u64) -> pvrp::Options {
    pvrp::Options {
        seed,
        ..pvrp::Options::new(Budget::Iterations(iterations))
    }
}

fn instance_text(name: &str) -> Option<String> {
    common::shared(&format!("pvrp/instances/{name}.txt")).map(|p| std::fs::read_to_string(p).unwrap())
}

#[test]
fn the_checker_accepts_the_reference_solutions_and_catches_broken_ones() {
    for name in ["p01", "p02", "p14", "p24"] {
        let (Some(text), Some(res)) = (
            instance_text(name),
            common::shared(&format!("pvrp/solutions/neo/{name}.res")),
        ) else {
            return;
        };
        let inst = read_instance(&text);
        let res = std::fs::read_to_string(res).unwrap();
        assert_eq!(check_res(&inst, &res).0, Vec::<String>::new(), "{name}");
        // Drop the last route: some customers lose their visits.
        let cut: Vec<&str> = res.lines().filter(|l| !l.trim().is_empty()).collect();
        let broken = cut[..cut.len() - 1].join("\n");
        assert!(
            !check_res(&inst, &broken).0.is_empty(),
            "{name}: a missing route must be caught"
        );
    }
}

#[test]
fn the_kept_p13_solution_is_feasible_and_below_the_table_value() {
    // docs/pvrp.md claims a p13 solution below the table's 3492.89.
    let Some(text) = instance_text("p13") else { return };
    let res = std::fs::read_to_string(common::root().join("docs/solutions/p13.res")).unwrap();
    let (problems, cost) = check_res(&read_instance(&text), &res);
    assert_eq!(problems, Vec::<String>::new());
    assert!(cost < 3492.89, "{cost}");
}

#[test]
fn solutions_are_feasible_and_close_to_the_best_known() {
    // BKS from ../shared/pvrp/bks.csv (p01 and p24 are verified by a
    // reference solution there).
    for (name, bks) in [("p01", 524.61), ("p02", 1322.87), ("p14", 954.81), ("p24", 3687.46)] {
        let Some(text) = instance_text(name) else { return };
        let problem = cordeau::parse(&text, name, Path::new(name)).unwrap();
        let options = one_chain(3, 150_000);
        let outcome = pvrp::solve(&problem, options, &|_| {}).unwrap();
        let res = cordeau::write_res(&problem, &outcome.solution);
        let (problems, cost) = check_res(&read_instance(&text), &res);
        assert_eq!(problems, Vec::<String>::new(), "{name}");
        assert!(outcome.feasible);
        assert!(
            cost <= bks * 1.03,
            "{name}: {cost:.2} is more than 3 % above the best known {bks}"
        );
        // The best-known values are rounded to 0.01.
        assert!(
            cost >= bks - 0.005 - 1e-9,
            "{name}: {cost:.4} beats the best known {bks}: check the evaluation"
        );
    }
}

/// p23 (Chao et al.'s rings): the best known serves the six inner
/// customers on a route of their own each day, and a search that spread
/// them over full outer routes must cross the capacities for a while to
/// gather them again. The genetic search alone, seed 1, 40,000 iterations
/// (4,000 children) reaches within 1 % of the best known because it
/// prices excess load at the instance's scale from the start; started at
/// the price's bound, the same run ended 3.12 % above (docs/pvrp.md).
#[test]
fn the_genetic_search_crosses_full_routes_from_its_first_children() {
    let Some(text) = instance_text("p23") else { return };
    let problem = cordeau::parse(&text, "p23", Path::new("p23")).unwrap();
    let options = pvrp::Options {
        method: pvrp::Method::Genetic,
        ..one_chain(1, 40_000)
    };
    let outcome = pvrp::solve(&problem, options, &|_| {}).unwrap();
    assert!(outcome.feasible);
    let best_known = 6420.71;
    assert!(
        outcome.cost <= best_known * 1.01,
        "{:.2} is more than 1 % above the best known {best_known}",
        outcome.cost
    );
}

#[test]
fn a_seed_and_an_iteration_budget_give_one_solution() {
    let Some(text) = instance_text("p02") else { return };
    let problem = cordeau::parse(&text, "p02", Path::new("p02")).unwrap();
    let options = one_chain(9, 20_000);
    let a = pvrp::solve(&problem, options, &|_| {}).unwrap();
    let b = pvrp::solve(&problem, options, &|_| {}).unwrap();
    assert_eq!(a.solution, b.solution);
}

#[test]
fn duration_limits_and_service_times_are_honoured() {
    // p02 with service time 5 and a duration limit of 155 added: the limit
    // binds, since two routes of the reference solution would take 157.7
    // and 159.7 (travel + service).
    let Some(text) = instance_text("p02") else { return };
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for line in lines.iter_mut().skip(1).take(5) {
        *line = "155 160".into();
    }
    for line in lines.iter_mut().skip(7).take(50) {
        let mut v: Vec<String> = line.split_whitespace().map(String::from).collect();
        v[3] = "5".into();
        *line = v.join(" ");
    }
    let text = lines.join("\n");
    let problem = cordeau::parse(&text, "p02d", Path::new("p02d")).unwrap();
    let options = one_chain(1, 60_000);
    let outcome = pvrp::solve(&problem, options, &|_| {}).unwrap();
    let (problems, _) = check_res(&read_instance(&text), &cordeau::write_res(&problem, &outcome.solution));
    assert!(outcome.feasible);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn malformed_instances_are_rejected_with_their_line() {
    let err = cordeau::parse("1 3 2 2\n0 160\n", "x", Path::new("x.txt")).unwrap_err();
    assert!(err.to_string().contains("file ends early"), "{err}");
    let err = cordeau::parse("1 3 2 2\n0 160\n0 abc\n", "x", Path::new("x.txt")).unwrap_err();
    assert_eq!(err.line, Some(3));
    let err = cordeau::parse("4 3 2 2\n", "x", Path::new("x.txt")).unwrap_err();
    assert!(err.to_string().contains("expected 1 (PVRP)"));
}

#[test]
fn parallel_chains_are_reproducible_and_no_worse_than_one() {
    let Some(text) = instance_text("p02") else { return };
    let problem = cordeau::parse(&text, "p02", Path::new("p02")).unwrap();
    let one = one_chain(5, 20_000);
    let two = pvrp::Options { threads: 2, ..one };
    let single = pvrp::solve(&problem, one, &|_| {}).unwrap();
    let (a, b) = (
        pvrp::solve(&problem, two, &|_| {}).unwrap(),
        pvrp::solve(&problem, two, &|_| {}).unwrap(),
    );
    assert_eq!(a.solution, b.solution);
    // Chain 0 of the parallel run is the single run (same seed, same budget).
    assert!(a.cost <= single.cost + 1e-9);
}

/// p24's routes are short, so both chains of the portfolio anneal and
/// meet (`search/meeting.rs`): each waits for the other, and the run by
/// iterations stays the same bit for bit, whichever thread runs faster.
#[test]
fn annealing_chains_that_meet_are_reproducible() {
    let Some(text) = instance_text("p24") else { return };
    let problem = cordeau::parse(&text, "p24", Path::new("p24")).unwrap();
    assert!(problem.visits_per_full_route() <= pvrp::SHORT_ROUTE);
    let options = pvrp::Options {
        threads: 2,
        ..one_chain(3, 4_000)
    };
    let runs: Vec<_> = (0..3)
        .map(|_| pvrp::solve(&problem, options, &|_| {}).unwrap())
        .collect();
    assert!(runs.iter().all(|r| r.feasible && r.solution == runs[0].solution));
}

/// Genetic islands (`Method::Genetic` on two threads) add the leader's best
/// to their populations at the meetings: on an iteration budget the
/// meetings fall at the same children, so the migrants, and the result,
/// are the same in every run, whichever thread gets there first.
#[test]
fn genetic_islands_that_meet_are_reproducible() {
    let Some(path) = common::shared("pvrp/pr/instances/pr01.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let problem = cordeau::parse(&text, "pr01", Path::new("pr01")).unwrap();
    let options = pvrp::Options {
        threads: 2,
        method: pvrp::Method::Genetic,
        ..one_chain(5, 6_000)
    };
    assert!(options.method.all_genetic(2, &problem));
    let runs: Vec<_> = (0..3)
        .map(|_| pvrp::solve(&problem, options, &|_| {}).unwrap())
        .collect();
    assert!(runs.iter().all(|r| r.feasible && r.solution == runs[0].solution));
}

#[test]
fn absurd_sizes_are_input_errors_not_overflows() {
    // Found by `scripts/fuzz.sh`: a customer count beyond usize overflowed.
    for text in [
        "1 1 377777777777777777777777777777 2\n0 50\n0 50\n",
        "1 1 2.5 2\n0 50\n0 50\n",
        "1 1 1 2\n0 50\n0 50\n0 0 0 0 0 0 0\n1 3 4 0 10 1 1e30 2\n",
    ] {
        let err = pvrp::formats::cordeau::parse(text, "bad", std::path::Path::new("bad.txt")).unwrap_err();
        assert!(err.to_string().contains("bad.txt"), "{err}");
    }
}

/// A small instance with what Cordeau's files lack: two depots, a vehicle
/// that works two days of three and may drive only so far, patterns tied
/// to one vehicle, time windows and pattern costs. Both the windows and
/// the driving limit bind: relaxing either in the enumeration below lowers
/// its optimum.
fn multi_depot_instance() -> pvrp::Problem {
    use pvrp::{Customer, Pattern, Problem, Vehicle, Window};
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64 * 50.0
    };
    let xy: Vec<(f64, f64)> = (0..8).map(|_| (next(), next())).collect();
    let nodes = xy.len();
    let dist = (0..nodes * nodes)
        .map(|i| {
            let (a, b) = (xy[i / nodes], xy[i % nodes]);
            ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
        })
        .collect();
    let early = Some(Window { open: 0.0, close: 5.0 });
    let late = Some(Window {
        open: 30.0,
        close: 35.0,
    });
    let pattern = |days, vehicle, window, cost| Pattern {
        days,
        vehicle,
        depot: None,
        window,
        cost,
    };
    let customers = (2..8)
        .map(|node| {
            let patterns = match node % 3 {
                // Any day, any vehicle, any time.
                0 => (0..3).map(|d| pattern(1 << d, None, None, 0.0)).collect(),
                // Early or late on day 1 or 2, late costs 5.
                1 => vec![
                    pattern(0b010, None, early, 0.0),
                    pattern(0b010, None, late, 5.0),
                    pattern(0b100, None, early, 0.0),
                    pattern(0b100, None, late, 5.0),
                ],
                // Twice (days 0+2 or 1+2), always by vehicle 1 or always by 0.
                _ => vec![
                    pattern(0b101, Some(0), None, 0.0),
                    pattern(0b110, Some(1), early, 0.0),
                    pattern(0b110, Some(0), late, 3.0),
                ],
            };
            let frequency = patterns[0].days.count_ones();
            Customer {
                node,
                service: 10.0,
                demand: 0.0,
                frequency,
                patterns,
                ..Customer::default()
            }
        })
        .collect();
    Problem {
        name: "multi-depot".into(),
        days: 3,
        vehicles: vec![
            Vehicle {
                depot: 0,
                days: 0b111,
                ..Vehicle::default()
            },
            Vehicle {
                depot: 1,
                days: 0b110,
                limits: pvrp::Limits {
                    travel: Some(15.0),
                    ..Default::default()
                },
            },
        ],
        capacity: vec![f64::INFINITY; 3],
        max_duration: vec![None; 3],
        customers,
        dist,
        nodes,
        ..Problem::default()
    }
}

/// Travel of a route and whether it keeps its windows and driving limit,
/// computed here from the definitions: leave the depot at any time, wait
/// at a window not yet open, never arrive after one has closed.
fn route_ok(p: &pvrp::Problem, vehicle: usize, stops: &[(usize, Option<pvrp::Window>)]) -> Option<f64> {
    let depot = p.vehicles[vehicle].depot;
    let mut path = vec![depot];
    path.extend(stops.iter().map(|(c, _)| p.customers[*c].node));
    path.push(depot);
    let travel: f64 = path.windows(2).map(|l| p.dist[l[0] * p.nodes + l[1]]).sum();
    if p.vehicles[vehicle].limits.travel.is_some_and(|m| travel > m + 1e-9) {
        return None;
    }
    let mut clock: Option<f64> = None;
    let mut at = depot;
    for &(c, window) in stops {
        let node = p.customers[c].node;
        let arrive = clock.map_or(f64::NEG_INFINITY, |t| t + p.dist[at * p.nodes + node]);
        let start = window.map_or(arrive, |w| arrive.max(w.open));
        if window.is_some_and(|w| start > w.close + 1e-9) {
            return None;
        }
        clock = Some(start + p.customers[c].service);
        at = node;
    }
    Some(if stops.is_empty() { 0.0 } else { travel })
}

/// Cheapest feasible routing of one day's visits `(customer, window,
/// allowed vehicles)`, by trying every vehicle choice and every order.
fn best_day(p: &pvrp::Problem, day: usize, visits: &[(usize, Option<pvrp::Window>, Vec<usize>)]) -> Option<f64> {
    fn orders(items: Vec<(usize, Option<pvrp::Window>)>) -> Vec<Vec<(usize, Option<pvrp::Window>)>> {
        if items.len() <= 1 {
            return vec![items];
        }
        (0..items.len())
            .flat_map(|i| {
                let mut rest = items.clone();
                let first = rest.remove(i);
                orders(rest).into_iter().map(move |mut o| {
                    o.insert(0, first);
                    o
                })
            })
            .collect()
    }
    let fleet = p.vehicles.len();
    let mut best: Option<f64> = None;
    let choices: usize = visits.iter().map(|v| v.2.len()).product();
    for code in 0..choices {
        let (mut rest, mut routes) = (code, vec![Vec::new(); fleet]);
        for (c, w, allowed) in visits {
            routes[allowed[rest % allowed.len()]].push((*c, *w));
            rest /= allowed.len();
        }
        let mut total = 0.0;
        for (k, route) in routes.into_iter().enumerate() {
            if !route.is_empty() && p.vehicles[k].days & (1 << day) == 0 {
                total = f64::INFINITY;
                break;
            }
            total += orders(route)
                .iter()
                .filter_map(|o| route_ok(p, k, o))
                .fold(f64::INFINITY, f64::min);
        }
        if total.is_finite() && best.is_none_or(|b| total < b) {
            best = Some(total);
        }
    }
    best
}

/// One place served by two lines (two customers at the same node, one
/// group): each line alone is cheapest on day 0, where a neighbour is
/// visited anyway, but the two may not share a day, so one line takes
/// day 1. The checker refuses the solution that puts both on day 0.
#[test]
fn customers_of_one_group_never_share_a_day() {
    use pvrp::{Customer, Pattern, Problem, Vehicle};
    // Depot 0; nodes 1 and 2 one unit apart, 10 from the depot.
    let dist = vec![0.0, 10.0, 10.0, 10.0, 0.0, 1.0, 10.0, 1.0, 0.0];
    let any_day = |extra: f64| {
        (0..2)
            .map(|d| Pattern {
                cost: if d == 0 { 0.0 } else { extra },
                ..Pattern::days(1 << d)
            })
            .collect::<Vec<_>>()
    };
    let line = |group| Customer {
        node: 1,
        frequency: 1,
        patterns: any_day(5.0),
        group,
        ..Customer::default()
    };
    let neighbour = Customer {
        node: 2,
        frequency: 1,
        patterns: vec![Pattern::days(1)],
        ..Customer::default()
    };
    let problem = |group| Problem {
        name: "group".into(),
        days: 2,
        vehicles: vec![Vehicle {
            depot: 0,
            days: 0b11,
            ..Vehicle::default()
        }],
        capacity: vec![f64::INFINITY; 2],
        max_duration: vec![None; 2],
        customers: vec![line(group), line(group), neighbour.clone()],
        dist: dist.clone(),
        nodes: 3,
        ..Problem::default()
    };
    let free = pvrp::solve(&problem(None), one_chain(1, 200), &|_| ()).unwrap();
    assert_eq!(free.solution.patterns[..2], [0, 0], "alone, both lines take day 0");
    let tied = problem(Some(0));
    let outcome = pvrp::solve(&tied, one_chain(1, 200), &|_| ()).unwrap();
    assert!(outcome.feasible);
    let mut days = outcome.solution.patterns[..2].to_vec();
    days.sort();
    assert_eq!(days, [0, 1], "the group's two lines on different days");
    assert!(pvrp::check(&tied, &outcome.solution).is_empty());
    assert!(
        pvrp::check(&tied, &free.solution)
            .iter()
            .any(|b| b.contains("of one group")),
        "the checker refuses both lines on day 0"
    );
}

#[test]
fn several_depots_vehicle_patterns_and_windows_reach_the_enumerated_optimum() {
    let p = multi_depot_instance();
    // Every assignment of patterns, each day routed at its best.
    let counts: Vec<usize> = p.customers.iter().map(|c| c.patterns.len()).collect();
    let mut optimum = f64::INFINITY;
    for code in 0..counts.iter().product::<usize>() {
        let mut rest = code;
        let chosen: Vec<usize> = counts
            .iter()
            .map(|&n| {
                let i = rest % n;
                rest /= n;
                i
            })
            .collect();
        let mut total: f64 = chosen.iter().zip(&p.customers).map(|(&i, c)| c.patterns[i].cost).sum();
        for day in 0..p.days {
            let visits: Vec<_> = chosen
                .iter()
                .enumerate()
                .map(|(c, &i)| (c, p.customers[c].patterns[i]))
                .filter(|(_, pat)| pat.days & (1 << day) != 0)
                .map(|(c, pat)| (c, pat.window, pat.vehicle.map_or(vec![0, 1], |k| vec![k])))
                .collect();
            match best_day(&p, day, &visits) {
                Some(cost) => total += cost,
                None => total = f64::INFINITY,
            }
        }
        optimum = optimum.min(total);
    }
    assert!(optimum.is_finite(), "the instance must have a feasible solution");

    let options = one_chain(2, 5_000);
    let outcome = pvrp::solve(&p, options, &|_| {}).unwrap();
    assert!(outcome.feasible);
    // Check the solution from the definitions: each customer on its
    // pattern's days, once, with the pattern's vehicle and window.
    let s = &outcome.solution;
    let mut cost: f64 = s
        .patterns
        .iter()
        .zip(&p.customers)
        .map(|(&i, c)| c.patterns[i].cost)
        .sum();
    for (day, routes) in s.routes.iter().enumerate() {
        for (k, route) in routes.iter().enumerate() {
            let stops: Vec<_> = route
                .iter()
                .map(|&c| (c, p.customers[c].patterns[s.patterns[c]].window))
                .collect();
            assert!(
                route.is_empty() || p.vehicles[k].days & (1 << day) != 0,
                "vehicle {k} does not work day {day}"
            );
            cost += route_ok(&p, k, &stops).unwrap_or_else(|| panic!("day {day} vehicle {k}: window or limit broken"));
            for &c in route {
                let pattern = p.customers[c].patterns[s.patterns[c]];
                assert!(
                    pattern.days & (1 << day) != 0,
                    "customer {c} on day {day} outside its pattern"
                );
                assert!(
                    pattern.vehicle.is_none_or(|v| v == k),
                    "customer {c} on the wrong vehicle"
                );
            }
        }
    }
    for (c, customer) in p.customers.iter().enumerate() {
        let seen = s.routes.iter().flatten().flatten().filter(|&&x| x == c).count();
        assert_eq!(seen as u32, customer.frequency, "customer {c}");
    }
    assert!(
        (cost - outcome.cost).abs() < 1e-6,
        "reported {} vs recomputed {cost}",
        outcome.cost
    );
    assert!(
        (cost - optimum).abs() < 1e-6,
        "solver {cost:.3} vs enumerated optimum {optimum:.3}"
    );
}

/// `tournee bench pvrp` end to end: a short run on two instances writes
/// `.res` files through the output folder, and every one passes the
/// checker above. `PVRP_RES_DIR=DIR` also checks the `--out` folder of a
/// longer run (ours `p01.res`, the peer's `p01.peer.res`).
#[test]
fn a_benchmark_run_passes_the_checker() {
    let (Some(p01), Some(p02)) = (
        common::shared("pvrp/instances/p01.txt"),
        common::shared("pvrp/instances/p02.txt"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let instances = dir.path().join("instances");
    std::fs::create_dir(&instances).unwrap();
    for file in [&p01, &p02] {
        std::fs::copy(file, instances.join(file.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args([
            "bench",
            "pvrp",
            "--iterations",
            "20000",
            "--time-limit",
            "600",
            "--threads",
            "1",
        ])
        .arg("--instances")
        .arg(&instances)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(check_res_folder(&out), 2);
    if let Ok(extra) = std::env::var("PVRP_RES_DIR") {
        assert!(
            check_res_folder(std::path::Path::new(&extra)) > 0,
            "no .res file in {extra}"
        );
    }
}

/// Checks every `.res` of a folder against its instance; how many.
fn check_res_folder(dir: &std::path::Path) -> usize {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "res"));
    files.sort();
    for res in &files {
        let file = res.file_name().unwrap().to_str().unwrap();
        let name = file.split('.').next().unwrap();
        let text = instance_text(name).unwrap_or_else(|| panic!("no instance {name} in ../shared/pvrp"));
        let (problems, _) = check_res(&read_instance(&text), &std::fs::read_to_string(res).unwrap());
        assert_eq!(problems, Vec::<String>::new(), "{file}");
    }
    files.len()
}

/// Checks a type-8 `.res` against its instance, read here from the
/// format's note: depot ids 0…d−1 open and close each route, each
/// customer's visits fall on one allowed combination and all leave from
/// one depot, loads, durations (travel + service) and vehicles per depot
/// and day within the limits, and the first line is the Euclidean total.
fn check_md_res(instance: &str, res: &str) -> (Vec<String>, f64) {
    let nums = |l: &str| {
        l.split_whitespace()
            .map(|t| t.parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    };
    let mut lines = instance.lines().filter(|l| !l.trim().is_empty());
    let head = nums(lines.next().unwrap());
    let (m, n, t, d) = (head[1] as usize, head[2] as usize, head[3] as usize, head[4] as usize);
    let limits: Vec<Vec<f64>> = (0..t * d).map(|_| nums(lines.next().unwrap())).collect();
    assert!(
        limits.iter().all(|l| l[..2] == limits[0][..2]),
        "one D Q for all depots and days"
    );
    let (d_max, q) = (limits[0][0], limits[0][1]);
    let mut xy = Vec::new();
    let (mut service, mut demand, mut combos) = (vec![0.0; d], vec![0.0; d], vec![Vec::new(); d]);
    for _ in 0..d + n {
        let v = nums(lines.next().unwrap());
        xy.push((v[1], v[2]));
        if xy.len() > d {
            service.push(v[3]);
            demand.push(v[4]);
            combos.push(v[7..7 + v[6] as usize].iter().map(|c| *c as u32).collect::<Vec<u32>>());
        }
    }
    let dist = |a: usize, b: usize| ((xy[a].0 - xy[b].0).powi(2) + (xy[a].1 - xy[b].1).powi(2)).sqrt();
    let mut res_lines = res.lines().filter(|l| !l.trim().is_empty());
    let claimed: f64 = res_lines.next().unwrap().trim().parse().unwrap();
    let (mut problems, mut total) = (Vec::new(), 0.0);
    let mut visits: HashMap<usize, Vec<(usize, usize)>> = HashMap::new(); // customer → (day, depot)
    let mut routes: HashMap<(usize, usize), usize> = HashMap::new();
    for line in res_lines {
        let v: Vec<usize> = line
            .split_whitespace()
            .enumerate()
            .filter(|(i, _)| *i != 3)
            .map(|(_, x)| x.parse::<f64>().unwrap() as usize)
            .collect();
        let (day, depot, route) = (v[0], v[1], &v[4..]);
        if route.first() != Some(&depot) || route.last() != Some(&depot) || depot >= d {
            problems.push(format!("day {day}: a route not from and to its depot {depot}"));
        }
        let inner = &route[1..route.len() - 1];
        *routes.entry((day, depot)).or_default() += 1;
        let travel: f64 = route.windows(2).map(|w| dist(w[0], w[1])).sum();
        let load: f64 = inner.iter().map(|&c| demand[c]).sum();
        let duration = travel + inner.iter().map(|&c| service[c]).sum::<f64>();
        if load > q + 1e-6 {
            problems.push(format!("day {day}: load {load} > {q}"));
        }
        if d_max > 0.0 && duration > d_max + 1e-6 {
            problems.push(format!("day {day}: duration {duration:.2} > {d_max}"));
        }
        total += travel;
        for &c in inner {
            visits.entry(c).or_default().push((day, depot));
        }
    }
    for ((day, depot), count) in &routes {
        if *count > m {
            problems.push(format!("day {day}, depot {depot}: {count} routes > {m} vehicles"));
        }
    }
    for (c, allowed) in combos.iter().enumerate().skip(d) {
        let mut seen = visits.remove(&c).unwrap_or_default();
        seen.sort_unstable();
        let code: u32 = seen.iter().map(|(day, _)| 1 << (t - day)).sum();
        let one_depot = seen.windows(2).all(|w| w[0].1 == w[1].1);
        let repeated = seen.windows(2).any(|w| w[0].0 == w[1].0);
        if repeated || !one_depot || !allowed.contains(&code) {
            problems.push(format!(
                "customer {c}: visits {seen:?} match no allowed combination from one depot"
            ));
        }
    }
    if (claimed - total).abs() > 0.01 + 1e-6 * total {
        problems.push(format!("first line {claimed} ≠ recomputed cost {total:.2}"));
    }
    (problems, total)
}

#[test]
fn multi_depot_instances_are_read_solved_written_and_checked() {
    // Best-known values from ../shared/pvrp/mdpvrp/bks.csv (not verified
    // by a solution file, hence no lower-bound assertion).
    for (name, bks) in [("pr01", 2019.07), ("pr02", 3547.45)] {
        let Some(path) = common::shared(&format!("pvrp/mdpvrp/instances/{name}.txt")) else {
            return;
        };
        let problem = pvrp::formats::read(&path).unwrap();
        assert_eq!(problem.name, format!("mdpvrp_{name}"));
        let options = one_chain(1, 60_000);
        let outcome = pvrp::solve(&problem, options, &|_| {}).unwrap();
        assert!(outcome.feasible, "{name}");
        let res = pvrp::formats::write_res(&problem, &outcome.solution);
        let (problems, cost) = check_md_res(&std::fs::read_to_string(&path).unwrap(), &res);
        assert_eq!(problems, Vec::<String>::new(), "{name}");
        assert!(
            cost <= bks * 1.05,
            "{name}: {cost:.2} is more than 5 % above the best known {bks}"
        );
    }
    // A file of another type, or a depot line missing, is refused with its line.
    let err = pvrp::formats::vidal::parse("1 2 3 4 5\n", "x", Path::new("x.txt")).unwrap_err();
    assert!(err.to_string().contains("expected 8"), "{err}");
    let err = pvrp::formats::vidal::parse("8 1 1 1 1\n500 200\n", "x", Path::new("x.txt")).unwrap_err();
    assert!(err.to_string().contains("depot"), "{err}");
}

#[test]
fn the_record_of_improvements_ends_at_the_solution_and_only_improves() {
    let Some(text) = instance_text("p01") else { return };
    let problem = cordeau::parse(&text, "p01", Path::new("p01")).unwrap();
    let options = pvrp::Options {
        threads: 2,
        ..one_chain(5, 20_000)
    };
    let outcome = pvrp::solve(&problem, options, &|_| {}).unwrap();
    assert!(outcome.feasible);
    let record = &outcome.improvements;
    assert!(!record.is_empty());
    assert!(
        record.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 > w[1].1),
        "{record:?}"
    );
    // The last improvement is the solution returned (the best chain's).
    assert!((record.last().unwrap().1 - outcome.cost).abs() < 1e-6);
}
