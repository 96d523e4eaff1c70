#!/usr/bin/env bash
# Label rendering benchmark (issue 5): 96 cryotube labels to ZPL and to PNG at 203/300/600 dpi,
# next to a ZXing-only baseline measured in the same process; writes docs/benchmarks-labels.md.
#
#   bench/labels.sh
#
# Environment: BENCH_LABELS_REPORT (docs/benchmarks-labels.md), LIMS_BUILD_DIR (build/),
# LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}
REPORT=${BENCH_LABELS_REPORT:-$ROOT/docs/benchmarks-labels.md}

"$ROOT/deploy/install-deps.sh"
[[ -f $BUILD/CMakeCache.txt ]] || cmake -S "$ROOT" -B "$BUILD" -G Ninja
flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS" --target lims-label-bench

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(taskset -c 0 "$BUILD/bench/lims-label-bench" 2>/dev/null || "$BUILD/bench/lims-label-bench")
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
build_type=${build_type:-RelWithDebInfo, the project default}
{
  cat <<MD
# Label rendering benchmark

Rendering a rack's worth (96) of \`cryotube\` labels (32 × 13 mm, DataMatrix of a minted id and
four text lines, "Sérum" in UTF-8) to ZPL II and to PNG previews, in one process on one core.
The baseline, measured in the same process and run, is ZXing-cpp encoding the same 96 DataMatrix
symbols and nothing else: the least any label renderer has to do. Each figure is the best of 15
runs; the ratio to the baseline is what to compare between machines.

- Command: \`bench/labels.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')
- Machine: $(nproc) cores ($cpu), pinned to core 0; load average before the run: $load_before.
  Build type: $build_type.

$table

Printing sends the ZPL only (one job per request, 96 labels in one job): a rack's job is ready
in about a millisecond, far below what the printer needs to print it. Previews are drawn one at
a time on request (\`lims label preview\`), so the per-label PNG time is what a screen waits
for. It grows with the number of dots (a 600 dpi label has 9× the dots of a 203 dpi one);
where the time goes inside cairo (text, PNG compression) has not been profiled yet.
MD
} >"$REPORT"
echo "bench/labels.sh: wrote $REPORT" >&2
