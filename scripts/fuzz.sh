#!/usr/bin/env bash
# Bounded fuzzing of every reader (CSV, TOML, PBF, OSM XML, Cordeau, saved
# plans, car profiles, points files, output-folder manifests) with
# cargo-fuzz (libFuzzer), from the seed corpus in fuzz/corpus/.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
# Installs cargo-fuzz and uses the nightly toolchain (rustup) if needed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-30}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
# The OSM seeds are written here, not kept in the repository (no file there
# may look like OpenStreetMap data): a PBF from tournee's own generator, and
# a three-node village as OSM XML.
mkdir -p corpus/osm_pbf corpus/osm_xml
synth="$(mktemp -d)"
cargo run --release --quiet --manifest-path ../Cargo.toml -- synth --communes 3 --road-nodes 1000 --seed 1 --out "$synth" >/dev/null
cp "$synth/roads.osm.pbf" corpus/osm_pbf/synthetic-3-communes.osm.pbf
rm -rf "$synth"
cat >corpus/osm_xml/village.osm <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="43.88" lon="5.38"/>
  <node id="2" lat="43.89" lon="5.39"><tag k="highway" v="traffic_signals"/></node>
  <node id="3" lat="43.90" lon="5.40"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="maxspeed" v="70"/></way>
  <way id="11"><nd ref="3"/><nd ref="1"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
</osm>
XML
for target in territory_csv sites_csv scenario_toml cordeau osm_xml osm_pbf plan_csv car_profile points manifest; do
  echo "== $target ($seconds s)"
  # Findings land in fuzz/artifacts/<target>/; new inputs in a scratch
  # corpus so the committed seeds stay small and reviewed.
  scratch="$(mktemp -d)"
  cargo +nightly fuzz run "$target" "$scratch" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048
  rm -rf "$scratch"
done
