#!/usr/bin/env bash
# Rack picture benchmark (issue 14): the rack reader swept over two independently written
# generators (tests/support/rack_picture.cc: cairo + ZXing's encoder; tests/tools/rack_scene.py:
# PIL + libdmtx's encoder, perspective, glare), three difficulties, well pitches 50-300 px and
# the four turns (skew up to 8 degrees), side by side with plain ZXing over the whole picture:
# this build's ZXing-cpp 1.4 in the same process, and a current ZXing-cpp (zxing-wasm 2.x, the
# tests' npm tools) on the same files. Writes docs/benchmarks-racks.md.
#
#   bench/racks.sh
#
# Environment: BENCH_RACKS_REPORT (docs/benchmarks-racks.md), BENCH_RACKS_PER_CELL (2),
# BENCH_RACKS_PITCHES ("50 100 175 300"), LIMS_BUILD_DIR (build/), LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_RACKS_REPORT:-$ROOT/docs/benchmarks-racks.md}
PER_CELL=${BENCH_RACKS_PER_CELL:-2}
PITCHES=${BENCH_RACKS_PITCHES:-50 100 175 300}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
"$ROOT/deploy/install-deps.sh" --tests
bench_build lims-rack-check
bench_build lims-rack-sweep
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# One directory per cell: generator/level/pitch/rotation.
seed=1
for pitch in $PITCHES; do
  for rotation in 0 90 180 270; do
    for level in easy medium hard; do
      dir=$TMP/own/$level/$pitch/$rotation
      mkdir -p "$dir"
      "$BUILD/tests/support/lims-rack-sweep" "$dir" "$level" "$pitch" "$rotation" "$PER_CELL" "$seed"
      seed=$((seed + 1))
    done
    for level in clean medium hard; do
      dir=$TMP/independent/$level/$pitch/$rotation
      /usr/bin/python3 "$ROOT/tests/tools/rack_scene.py" --batch "$PER_CELL" --out-dir "$dir" \
        --seed "$seed" --pitch "$pitch" --rotation "$rotation" --max-skew 8 --difficulty "$level" \
        --max-perspective 0.02
      seed=$((seed + 1))
    done
  done
done
echo "bench/racks.sh: $(find "$TMP" -name '*.png' | wc -l) pictures drawn; reading them" >&2

for png in $(find "$TMP" -name '*.png' | sort); do
  result=$(taskset -c 0 "$BUILD/tests/support/lims-rack-check" --baseline "$png" 2>/dev/null ||
    "$BUILD/tests/support/lims-rack-check" --baseline "$png")
  current=$(node "$ROOT/tests/tools/rack_scene_check.mjs" "$png" "${png%.png}.json")
  echo "{\"reader\": $result, \"current_zxing\": $current, \"cell\": \"${png#"$TMP"/}\"}"
done >"$TMP/results.jsonl"

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
revision="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' with local changes')"
/usr/bin/python3 "$ROOT/bench/rack_report.py" "$TMP/results.jsonl" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$revision" "$(nproc) cores ($cpu), reader pinned to core 0; load average before: $load_before" \
  "$PER_CELL" >"$REPORT"
echo "bench/racks.sh: wrote $REPORT" >&2
