#!/usr/bin/env python3
"""OR-Tools as a peer for periodic VRP: the exact-pattern model of
../shared/pvrp/PEERS.md, run on a Cordeau instance with a time limit.

Start: each customer takes the pattern that keeps the heaviest day lightest
(customers by decreasing demand), then each day's customers are swept by
angle around the depot into routes that respect capacity, as PEERS.md
describes; guided local search improves from there.

One vehicle per (day, k); one optional copy of each customer per allowed day,
pinned to that day's vehicles; per customer a Boolean per pattern, exactly
one chosen, and a copy active iff a chosen pattern contains its day.
Distances are scaled by 100 and rounded for the solver; the cost reported is
recomputed in double precision from the routes.

Usage: scripts/ortools-pvrp.py INSTANCE.txt SECONDS [OUT.res]
Prints one JSON line: instance, cost, seconds, feasible.
"""
import json, math, sys, time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2


def read(path):
    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
    _, m, n, t = map(int, rows[0][:4])
    limits = [(r[0], r[1]) for r in rows[1:1 + t]]
    nodes = rows[1 + t:2 + t + n]
    xy = [(r[1], r[2]) for r in nodes]
    cust = []
    for r in nodes[1:]:
        a = int(r[6])
        pats = [[d for d in range(t) if int(code) & (1 << (t - 1 - d))] for code in r[7:7 + a]]
        cust.append({"node": int(r[0]), "service": r[3], "demand": r[4], "patterns": pats})
    return m, t, limits, xy, cust


def sweep_start(m, t, limits, xy, cust, by_customer, manager):
    """Routes (lists of routing node indices) per vehicle: balanced
    patterns, then a capacity-respecting sweep per day."""
    load = [0.0] * t
    chosen = {}
    for c in sorted(range(len(cust)), key=lambda c: -cust[c]["demand"]):
        best = min(cust[c]["patterns"], key=lambda p: (max(load[d] + (cust[c]["demand"] if d in p else 0) for d in range(t)), sum(load[d] for d in p)))
        chosen[c] = best
        for d in best:
            load[d] += cust[c]["demand"]
    routes = [[] for _ in range(m * t)]
    x0, y0 = xy[0]
    for d in range(t):
        members = sorted((c for c in chosen if d in chosen[c]), key=lambda c: math.atan2(xy[cust[c]["node"]][1] - y0, xy[cust[c]["node"]][0] - x0))
        k, used = 0, 0.0
        for c in members:
            if used + cust[c]["demand"] > limits[d][1] and k < m - 1 and routes[d * m + k]:
                k, used = k + 1, 0.0
            routes[d * m + k].append(manager.IndexToNode(by_customer[c][d]))
            used += cust[c]["demand"]
    return routes


def main():
    path, seconds = sys.argv[1], float(sys.argv[2])
    m, t, limits, xy, cust = read(path)
    dist = lambda a, b: math.dist(xy[a], xy[b])
    copies = []  # (customer index, day)
    for c, info in enumerate(cust):
        for d in sorted({d for p in info["patterns"] for d in p}):
            copies.append((c, d))
    n_nodes = 1 + len(copies)
    node_of = lambda i: 0 if i == 0 else cust[copies[i - 1][0]]["node"]
    vehicles = m * t
    day_of_vehicle = [v // m for v in range(vehicles)]
    manager = pywrapcp.RoutingIndexManager(n_nodes, vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    scale = 100

    def transit(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return int(round(dist(node_of(a), node_of(b)) * scale))

    cb = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(cb)

    def demand(i):
        a = manager.IndexToNode(i)
        return 0 if a == 0 else int(cust[copies[a - 1][0]]["demand"])

    dcb = routing.RegisterUnaryTransitCallback(demand)
    routing.AddDimensionWithVehicleCapacity(dcb, 0, [int(limits[day_of_vehicle[v]][1]) for v in range(vehicles)], True, "load")
    if any(l[0] > 0 for l in limits):
        def duration(i, j):
            a = manager.IndexToNode(i)
            s = 0 if a == 0 else cust[copies[a - 1][0]]["service"]
            return transit(i, j) + int(round(s * scale))
        tcb = routing.RegisterTransitCallback(duration)
        caps = [int(limits[day_of_vehicle[v]][0] * scale) if limits[day_of_vehicle[v]][0] > 0 else 10**12 for v in range(vehicles)]
        routing.AddDimensionWithVehicleCapacity(tcb, 0, caps, True, "time")
    solver = routing.solver()
    penalty = 10**9
    by_customer = {}
    for i, (c, d) in enumerate(copies, start=1):
        idx = manager.NodeToIndex(i)
        routing.VehicleVar(idx).SetValues([-1] + [v for v in range(vehicles) if day_of_vehicle[v] == d])
        by_customer.setdefault(c, {})[d] = idx
    for c, info in enumerate(cust):
        sel = [solver.BoolVar(f"p{c}_{k}") for k in range(len(info["patterns"]))]
        solver.Add(solver.Sum(sel) == 1)
        for d, idx in by_customer[c].items():
            routing.AddDisjunction([idx], penalty)
            solver.Add(routing.ActiveVar(idx) == solver.Sum([s for s, p in zip(sel, info["patterns"]) if d in p]))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    start = time.time()
    initial = routing.ReadAssignmentFromRoutes(sweep_start(m, t, limits, xy, cust, by_customer, manager), True)
    sol = routing.SolveFromAssignmentWithParameters(initial, params) if initial else None
    if sol is None:
        sol = routing.SolveWithParameters(params)
    elapsed = time.time() - start
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if sol is None:
        print(json.dumps({"instance": name, "cost": None, "seconds": elapsed, "feasible": False}))
        return
    routes, cost, dropped = [], 0.0, 0
    for v in range(vehicles):
        idx, seq = routing.Start(v), []
        while not routing.IsEnd(idx):
            a = manager.IndexToNode(idx)
            if a:
                seq.append(node_of(a))
            idx = sol.Value(routing.NextVar(idx))
        if seq:
            path_nodes = [0] + seq + [0]
            c = sum(dist(a, b) for a, b in zip(path_nodes, path_nodes[1:]))
            cost += c
            routes.append((day_of_vehicle[v] + 1, v % m + 1, c, path_nodes))
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            f.write(f"{cost:.2f}\n")
            for day, k, c, nodes in routes:
                load = sum(cust[[x["node"] for x in cust].index(n)]["demand"] for n in nodes if n)
                f.write(f"{day} {k} {c:.2f} {load:.0f} " + " ".join(map(str, nodes)) + "\n")
    print(json.dumps({"instance": name, "cost": round(cost, 2), "seconds": round(elapsed, 2), "feasible": True}))


if __name__ == "__main__":
    main()
