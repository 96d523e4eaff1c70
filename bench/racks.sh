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
REPORT=${BENCH_RACKS_REPORT:-$ROOT/docs/benchmarks-racks.md}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
bench_build lims-rack-bench
bench_run_pinned lims-rack-bench
{
  cat <<MD
# Rack picture benchmark

Pictures of an SBS rack of 96 tubes seen from below (1332 × 973 pixels at rotation 0, a 90 px
well pitch, 10-digit codes as 12 × 12 DataMatrix symbols, about 3.6 px a module), drawn with
known truth by \`tests/support/rack_picture.cc\` and read by the rack reader
(\`scanning/rack_reader.h\`: rack found, grid fitted, A1 from the chamfered corner, each well
decoded on its own) into an A1..H12 map. The baseline, measured in the same process on the same
pictures, is plain ZXing-cpp 1.4 \`ReadBarcodes\` (DataMatrix, try harder, try rotate) over the
whole picture: it assigns nothing to wells, so its column counts the rack's codes it found and
any text that is none of them. One core, every picture timed once.

- Command: \`bench/racks.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
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
