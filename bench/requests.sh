#!/usr/bin/env bash
# Researcher criteria query benchmark (issue 8): RequestService.PreviewRequest's work on a
# generated SQLite database of about a million samples, next to a SQL COUNT(*) over the same rows
# in the same process; writes docs/benchmarks-requests.md.
#
#   bench/requests.sh
#
# Environment: BENCH_REQUESTS_REPORT (docs/benchmarks-requests.md), LIMS_BUILD_DIR (build/),
# LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_REQUESTS_REPORT:-$ROOT/docs/benchmarks-requests.md}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
bench_build lims-request-bench
bench_run_pinned lims-request-bench
{
  cat <<MD
# Researcher criteria query benchmark

What a researcher's criteria cost on a database of about a million samples: the candidate query
(stored tubes of the protocol's timepoints and types, with patient, box and reservation), every
candidate patient's consent, the retention rule and the per patient-timepoint limit, i.e.
everything \`PreviewRequest\` and \`ApproveRequest\` do before reserving. The baseline, measured
in the same process on the same database, is one SQL \`COUNT(*)\` over the same joins and
filters: the least any implementation must do. SQLite (the embedded default), one core, each
figure the median of 5 runs. Target (DESIGN §10): under 200 ms.

- Command: \`bench/requests.sh\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
- Machine: $(nproc) cores ($cpu), pinned to core 0; load average before the run: $load_before.
  Build type: $build_type.

$table

The target is met for criteria of the usual size (a timepoint, a sample type, one tube per
patient: tens of thousands of candidate tubes). Broad criteria (every timepoint and type of a
protocol: hundreds of thousands of candidates) take seconds. The time grows with the number of
candidate tubes, about four times the bare SQL count: fetching the rows into C++, loading every
candidate patient's consent, and the selection. Pushing consent and retention into SQL, or
pre-aggregating per patient-timepoint, would cut that; it has not been done. MariaDB has not
been measured here.
MD
} >"$REPORT"
echo "bench/requests.sh: wrote $REPORT" >&2
