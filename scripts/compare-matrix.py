#!/usr/bin/env python3
"""Agreement between two travel-time matrices (CSV, empty cell = unreachable).

Usage: scripts/compare-matrix.py OURS.csv PEER.csv
Prints one JSON line: pairs compared, median |ours/peer - 1|, share of pairs
within ±10 % and ±25 %, and pairs unreachable in one matrix only.
"""
import json, statistics, sys


def read(path):
    with open(path) as f:
        return [[None if c.strip() == "" else float(c) for c in line.rstrip("\n").split(",")] for line in f]


ours, peer = read(sys.argv[1]), read(sys.argv[2])
assert len(ours) == len(peer), "matrices differ in size"
ratios, only_ours, only_peer, total = [], 0, 0, 0
for i, (ro, rp) in enumerate(zip(ours, peer)):
    for j, (a, b) in enumerate(zip(ro, rp)):
        if i == j:
            continue
        total += 1
        if a is None and b is None:
            continue
        if a is None:
            only_ours += 1
        elif b is None:
            only_peer += 1
        elif b > 0:
            ratios.append(a / b)
dev = sorted(abs(r - 1) for r in ratios)
print(json.dumps({
    "pairs": total,
    "compared": len(ratios),
    "median_abs_dev": round(statistics.median(dev), 4),
    "p90_abs_dev": round(dev[len(dev) * 9 // 10], 4),
    "median_ratio": round(statistics.median(ratios), 4),
    "within_10pct": round(sum(d <= 0.10 for d in dev) / len(dev), 4),
    "within_25pct": round(sum(d <= 0.25 for d in dev) / len(dev), 4),
    "unreachable_only_ours": only_ours,
    "unreachable_only_peer": only_peer,
    "unreachable_mismatch_share": round((only_ours + only_peer) / total, 5),
}))
