#!/usr/bin/env bash
# Freezer monitoring benchmark (issue 19): a month of per-minute readings recorded (with the
# excursion found and its exposure computed), an excursion's exposure in a freezer of 50,000
# tubes that moved often, that freezer's evacuation plan, and a year of per-minute readings of
# 50 probes pushed a day at a time, on a generated SQLite database and then on a throw-away
# MariaDB (tests/mariadb.sh), each figure next to a baseline in the same process; writes
# docs/benchmarks-monitoring.md.
#
#   bench/monitoring.sh
#
# Environment: BENCH_MONITORING_REPORT (docs/benchmarks-monitoring.md), BENCH_READINGS_PROBES
# (50), BENCH_READINGS_DAYS (365 on SQLite), BENCH_READINGS_DAYS_MARIADB (30), LIMS_BUILD_DIR
# (build/), LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_MONITORING_REPORT:-$ROOT/docs/benchmarks-monitoring.md}
PROBES=${BENCH_READINGS_PROBES:-50}
DAYS=${BENCH_READINGS_DAYS:-365}
DAYS_MARIADB=${BENCH_READINGS_DAYS_MARIADB:-30}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
"$ROOT/deploy/install-deps.sh" --tests
bench_build lims-monitoring-bench

bench_tmp monitoring-bench

export BENCH_READINGS_PROBES=$PROBES
BENCH_READINGS_DAYS=$DAYS bench_run_pinned lims-monitoring-bench
sqlite_table=$table
sqlite_load=$load_before
bench_start_mariadb lims_monitoring_bench
BENCH_READINGS_DAYS=$DAYS_MARIADB bench_run_pinned lims-monitoring-bench "$mariadb_url"
mariadb_table=$table
mariadb_load=$load_before
{
  cat <<MD
# Freezer monitoring benchmark

What freezer monitoring costs where it is heaviest, on a generated database: one freezer
holding 50,000 tubes in 618 boxes, every box having been in a backup freezer and back (four
stays), every tube having been in two other boxes before its own (three stays); a month of
per-minute readings from the freezer's probe with one 4-hour excursion; then a park of $PROBES
freezers read every minute for a year ($DAYS days on SQLite, $DAYS_MARIADB on MariaDB), pushed
as a monitoring bridge does: one call per probe and day (1,440 readings). Each figure is one
run (the exposure: the median of 3) next to a baseline measured in the same process on the same
database — the least any implementation must do.

- Command: \`bench/monitoring.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
- Machine: $(nproc) cores ($cpu), pinned to core 0. Build type: $build_type.

### sqlite

Load average before the run: $sqlite_load.

$sqlite_table

### mariadb

A throw-away MariaDB from tests/mariadb.sh on the same machine. Load average before the run:
$mariadb_load.

$mariadb_table

Reading the figures:
- Recording readings includes storing them (duplicates skipped: the same probe and instant
  once), summing again the hours they fall in, looking for excursions from the batch's first
  reading on (and computing the exposure of the one found), pruning raw readings older than the
  retention period, and one audit event per call. On SQLite each row is one execution of a
  statement prepared once (SQLite looks up named parameters one by one, so a 750-parameter
  statement was three times slower); on MariaDB 250 rows go in one statement, one round trip.
- The baselines of the month are SOCI's bulk binding, which its MySQL backend sends one row at
  a time (slower than the LIMS's multi-row statements: ratios under 1 on MariaDB); the year's
  baseline is one multi-row statement of literal values per probe and day, on both databases.
- The year of readings: SQLite records the issue's 26 million readings in one run (about 4 µs
  a reading, three times the bare multi-row insert); MariaDB ran a month of the same park
  (about 14 µs a reading: a year would take about six minutes, twelve times that month).
- MariaDB's slow figure is the exposure (seconds, not the SQLite's 0.2 s): it walks the stays
  with many small statements, each a round trip. It is left for issue 22 (MariaDB's hot paths).
- The exposure walks the freezer's boxes through their stays and the tubes through theirs, then
  writes one row per exposed tube; it runs again each time a reading changes an excursion.
- The evacuation plan counts each box's tubes, its critical ones (reserved, or the last of a
  patient's timepoint and type) and those of withdrawn consent. This benchmark once found it
  quadratic (68 s: the planner used the criteria index, whose one timepoint held every tube);
  finding a patient's other tubes by enrollment brought it to the figure above.
- Not measured: freezers of several hundred thousand tubes.
MD
} >"$REPORT"
echo "bench/monitoring.sh: wrote $REPORT" >&2
