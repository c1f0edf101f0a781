#!/usr/bin/env bash
# A 150-commune, 3-bus territory for solver timing: Vaucluse (84) without
# Avignon (151 − 1 communes), towns of 10,000+ inhabitants left to their
# fixed France Services (visits_per_month = 0), three buses Monday to
# Saturday from Carpentras, Cavaillon and Apt. Writes DIR/vaucluse.csv and
# DIR/vaucluse.toml, then times `tournee plan` on them.
# Usage: scripts/vaucluse-150.sh DIR [../shared]
set -euo pipefail
dir=$1
shared=${2:-$(dirname "$0")/../../shared}
mkdir -p "$dir"
python3 - "$shared/data/fr_communes_2026.csv" "$dir/vaucluse.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["departement"] == "84" and r["insee"] != "84007"]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["insee", "name", "lat", "lon", "population", "visits_per_month"])
    for r in rows:
        w.writerow([r["insee"], r["name"], r["lat"], r["lon"], r["population"], "0" if int(r["population"]) >= 10000 else ""])
print(len(rows), "communes", file=sys.stderr)
PY
cat >"$dir/vaucluse.toml" <<'TOML'
name = "Vaucluse (150 communes, 3 buses)"
territory = "vaucluse.csv"
max_drive_minutes = 240
# 138 visits: more than 3 buses' 132 half-days in 4 weeks (no Saturday
# afternoon), so a rolling 5-week cycle.
[cycle]
weeks = 5
anchor = "weeks"
first_monday = "2027-03-01"
[frequency]
twice_from = 10000
weekly_from = 100000
[[bus]]
name = "Nord"
depot = "84031"
weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
[[bus]]
name = "Ouest"
depot = "84035"
weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
[[bus]]
name = "Est"
depot = "84003"
weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
TOML
bin=$(dirname "$0")/../target/release/tournee
start=$(date +%s.%N)
"$bin" plan --scenario "$dir/vaucluse.toml" --out "$dir/out" "${@:3}" | tail -6
echo "{\"name\":\"plan/vaucluse150\",\"seconds\":$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),3))" "$start")}"
