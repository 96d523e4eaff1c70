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
REPORT=${BENCH_LABELS_REPORT:-$ROOT/docs/benchmarks-labels.md}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
bench_build lims-label-bench
bench_run_pinned lims-label-bench
{
  cat <<MD
# Label rendering benchmark

Rendering a rack's worth (96) of \`cryotube\` labels (32 × 13 mm, DataMatrix of a minted id and
four text lines, "Sérum" in UTF-8) to ZPL II and to PNG previews, in one process on one core.
The baseline, measured in the same process and run, is ZXing-cpp encoding the same 96 DataMatrix
symbols and nothing else: the least any label renderer has to do. Each figure is the best of 15
runs; the ratio to the baseline is what to compare between machines.

- Command: \`bench/labels.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
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
