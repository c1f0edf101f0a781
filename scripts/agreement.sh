#!/usr/bin/env bash
# Agreement of `tournee matrix` with OSRM on several real extracts, with
# 300 random points inside each extract's header bounding box (seed fixed).
# Usage: scripts/agreement.sh [../shared]   (installs OSRM on first use)
# PROFILE=file.toml overrides the car profile.
set -euo pipefail
shared=${1:-$(dirname "$0")/../../shared}
bin=$(dirname "$0")/../target/release/tournee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# name  lon_min lat_min lon_max lat_max  (PBF header boxes, SOURCES.md)
while read -r name x0 y0 x1 y1; do
  python3 -c "
import random; random.seed(42)
for _ in range(300): print(f'{random.uniform($x0,$x1):.6f},{random.uniform($y0,$y1):.6f}')" >"$work/$name.pts"
  "$shared/tools/osrm-peer.sh" table "$shared/data/$name.osm.pbf" "$work/$name.pts" "$work/$name.osrm.csv" >/dev/null
  "$bin" matrix --osm "$shared/data/$name.osm.pbf" --points "$work/$name.pts" --out "$work/$name.ours.csv" --no-cache ${PROFILE:+--profile "$PROFILE"} 2>/dev/null
  echo "{\"extract\":\"$name\",\"agreement\":$(python3 "$(dirname "$0")/compare-matrix.py" "$work/$name.ours.csv" "$work/$name.osrm.csv")}"
done <<'LIST'
andorra 1.4124 42.4276 1.7875 42.6572
porto -8.621 41.125 -8.594 41.156
monaco 7.349 43.710 7.491 43.770
saint_barthelemy -63.069 17.667 -62.575 18.141
malta 14.18 35.80 14.58 36.09
corsica_matsim_roads 8.575 41.371 9.558 43.008
LIST
