#!/usr/bin/env bash
# Records every output of the shipped scenarios, exact mode, export,
# coverage, select, a road matrix and a fixed-iteration `bench pvrp` into
# DEST, so that two builds can be compared byte for byte (`diff -r`)
# before and after a change meant to keep behaviour:
#   scripts/snapshot.sh DEST [BINARY]      (BINARY: default target/release/tournee)
# Needs ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$(realpath -m "$1")"; bin="$(realpath "${2:-target/release/tournee}")"
shared=../shared
rm -rf "$dest"; mkdir -p "$dest"
pvrp="$(mktemp -d)"
for f in p01 p04 p11 p23; do ln -s "$(realpath $shared/pvrp/instances/$f.txt)" "$pvrp/"; done
ln -s "$(realpath $shared/pvrp/pr/instances/pr01.txt)" "$pvrp/"
for s in pays_apt_luberon thierache_sambre_oise grand_cahors coeur_coteaux_comminges; do
  "$bin" plan --scenario data/$s.toml --out "$dest/$s" > "$dest/$s.stdout" 2> "$dest/$s.stderr"
done
"$bin" plan --scenario data/pays_apt_luberon.toml --exact --out "$dest/exact" > "$dest/exact.stdout" 2> "$dest/exact.stderr"
"$bin" export --plan "$dest/pays_apt_luberon/plan.csv" --out "$dest/export" > "$dest/export.stdout" 2> /dev/null
"$bin" coverage --scenario data/pays_apt_luberon.toml --sites $shared/data/fr_france_services_20240801.csv \
  --plan "$dest/pays_apt_luberon" --out "$dest/coverage" > "$dest/coverage.stdout" 2> "$dest/coverage.stderr"
"$bin" select --scenario data/grand_cahors.toml --sites $shared/data/fr_france_services_20240801.csv \
  --budget 12 --out "$dest/select" > "$dest/select.stdout" 2> "$dest/select.stderr"
"$bin" matrix --osm $shared/data/malta.osm.pbf --points $shared/data/malta.pts100.txt --no-cache \
  --out "$dest/malta.csv" --distances "$dest/malta_m.csv" 2> /dev/null
# Timings and memory vary from run to run: kept out of the comparison.
"$bin" bench pvrp --instances "$pvrp" --iterations 3000 --time-limit 1000 --threads 2 --out "$dest/pvrp" \
  | sed 's/"seconds":[0-9.e-]*//; s/"peak_rss_mb":[0-9.]*//' > "$dest/pvrp.jsonl"
rm -rf "$pvrp"
echo "snapshot in $dest"
