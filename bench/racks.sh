#!/usr/bin/env bash
# Rack picture benchmark (issue 6): synthetic 96-tube rack pictures at three difficulty levels
# read into wells, next to plain ZXing-cpp ReadBarcodes over the whole picture measured in the
# same process on the same pictures; writes docs/benchmarks-racks.md.
#
#   bench/racks.sh
#
# Environment: BENCH_RACKS_REPORT (docs/benchmarks-racks.md), LIMS_BUILD_DIR (build/),
# LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}
REPORT=${BENCH_RACKS_REPORT:-$ROOT/docs/benchmarks-racks.md}

"$ROOT/deploy/install-deps.sh"
[[ -f $BUILD/CMakeCache.txt ]] || cmake -S "$ROOT" -B "$BUILD" -G Ninja
flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS" --target lims-rack-bench

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(taskset -c 0 "$BUILD/bench/lims-rack-bench" 2>/dev/null || "$BUILD/bench/lims-rack-bench")
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
build_type=${build_type:-RelWithDebInfo, the project default}
{
  cat <<MD
# Rack picture benchmark

Pictures of an SBS rack of 96 tubes seen from below (1332 × 973 pixels at rotation 0, a 90 px
well pitch, 10-digit DataMatrix codes of 14 × 14 modules, about 3.6 px a module), drawn with
known truth by \`tests/support/rack_picture.cc\` and read by the rack reader
(\`scanning/rack_reader.h\`: rack found, grid fitted, A1 from the chamfered corner, each well
decoded on its own) into an A1..H12 map. The baseline, measured in the same process on the same
pictures, is plain ZXing-cpp 1.4 \`ReadBarcodes\` (DataMatrix, try harder, try rotate) over the
whole picture: it assigns nothing to wells, so its column counts the rack's codes it found and
any text that is none of them. One core, every picture timed once.

- Command: \`bench/racks.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')
- Machine: $(nproc) cores ($cpu), pinned to core 0; load average before the run: $load_before.
  Build type: $build_type.

$table

Frosted tubes cannot be read by anyone; the reader reports them UNREADABLE, which is what it
must do. Debian's ZXing-cpp 1.4 finds almost no DataMatrix in a picture this size in one pass,
which is why the reader decodes each well's crop (a crop of one well is also the reason a code
can never land in its neighbour's well). The pictures are synthetic: real rack photographs
(lighting, tube-bottom reflections, label print quality) have not been measured here.
MD
} >"$REPORT"
echo "bench/racks.sh: wrote $REPORT" >&2
