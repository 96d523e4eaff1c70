#!/usr/bin/env bash
# Freezer monitoring benchmark (issue 19): a month of per-minute readings recorded (with the
# excursion found and its exposure computed), an excursion's exposure in a freezer of 50,000
# tubes that moved often, and that freezer's evacuation plan, on a generated SQLite database,
# each next to a baseline in the same process; writes docs/benchmarks-monitoring.md.
#
#   bench/monitoring.sh
#
# Environment: BENCH_MONITORING_REPORT (docs/benchmarks-monitoring.md), LIMS_BUILD_DIR (build/),
# LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_MONITORING_REPORT:-$ROOT/docs/benchmarks-monitoring.md}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
"$ROOT/deploy/install-deps.sh" --tests
bench_build lims-monitoring-bench
bench_run_pinned lims-monitoring-bench
{
  cat <<MD
# Freezer monitoring benchmark

What freezer monitoring costs where it is heaviest, on a generated SQLite database: one freezer
holding 50,000 tubes in 618 boxes, every box having been in a backup freezer and back (four
stays), every tube having been in two other boxes before its own (three stays); a month of
per-minute readings from the freezer's probe with one 4-hour excursion. Each figure is one run
(the exposure: the median of 3) next to a baseline measured in the same process on the same
database — the least any implementation must do.

- Command: \`bench/monitoring.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
- Machine: $(nproc) cores ($cpu), pinned to core 0; load average before the run: $load_before.
  Build type: $build_type.

$table

Reading the figures:
- Recording the readings includes storing them one statement each (duplicates skipped), summing
  the 720 hours they fall in again, finding the excursion in the month's readings and computing
  its exposure (the second row). The issue's 26 million readings (a year of 50 probes) were not
  run: at this rate (under 7 µs a reading, everything included) they would take about three
  minutes in one import; multi-row inserts would be the next step.
- The exposure walks the freezer's boxes through their stays and the tubes through theirs, then
  writes one row per exposed tube; it runs again each time a reading changes an excursion.
- The evacuation plan counts each box's tubes and its critical ones (reserved, or the last of a
  patient's timepoint and type). This benchmark found it quadratic (68 s: the planner used the
  criteria index, whose one timepoint held every tube); finding a patient's other tubes by
  enrollment brought it to the figure above.
- Not measured: MariaDB; freezers of several hundred thousand tubes.
MD
} >"$REPORT"
echo "bench/monitoring.sh: wrote $REPORT" >&2
