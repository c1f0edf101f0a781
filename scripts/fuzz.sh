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
for target in territory_csv sites_csv scenario_toml cordeau osm_xml osm_pbf plan_csv car_profile points manifest; do
  echo "== $target ($seconds s)"
  # Findings land in fuzz/artifacts/<target>/; new inputs in a scratch
  # corpus so the committed seeds stay small and reviewed.
  scratch="$(mktemp -d)"
  cargo +nightly fuzz run "$target" "$scratch" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048
  rm -rf "$scratch"
done
