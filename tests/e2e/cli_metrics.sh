#!/usr/bin/env bash
# End-to-end: lims-server's /metrics on its HTTP port. After calls through both doors (gRPC by
# the CLI, JSON by curl), a refused one and a failing one, the page passes `promtool check
# metrics` (Debian's prometheus package) with no lint warning, and says what happened: calls by
# method and code, the latency histogram, calls in flight, the pool's counters and samples by
# status (read again every second here).
#   tests/e2e/cli_metrics.sh LIMS_SERVER_BIN LIMS_BIN
set -euo pipefail
SERVER_BIN=$1
LIMS_BIN=$2
export E2E_SERVER_ARGS="--metrics-refresh 1"
# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" metrics

command -v promtool >/dev/null || fail "promtool is missing (Debian package prometheus)"
seed_enrollment
for n in 1 2 3; do
  expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "30000000$n"
done
expect 3 lims resolve 399999999  # NOT_FOUND (exit 3)
token=$(<"$admin_token_file")
curl -fsS -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d '{"barcode": "300000001"}' "http://$http_address/lims.v1.SampleService/ResolveBarcode" \
  >"$TMP/resolved.json" || fail "the JSON door did not resolve 300000001"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d '{"barcode": "300000001"}' "http://$http_address/lims.v1.SampleService/ResolveBarcode")
[[ $code == 401 ]] || fail "a call without a token got HTTP $code, expected 401"
sleep 1.5  # one refresh of the installation's figures

curl -fsS -D "$TMP/headers" "http://$http_address/metrics" >"$TMP/metrics" ||
  fail "GET /metrics failed"
grep -qi '^content-type: text/plain; version=0.0.4' "$TMP/headers" ||
  fail "/metrics is not served as the Prometheus text format: $(grep -i content-type "$TMP/headers")"
# promtool prints lint problems and exits non-zero on errors; both must be absent.
promtool check metrics <"$TMP/metrics" >"$TMP/promtool" 2>&1 ||
  { cat "$TMP/promtool" >&2; fail "promtool check metrics found errors"; }
[[ ! -s $TMP/promtool ]] || { cat "$TMP/promtool" >&2; fail "promtool lint warnings"; }
ok "/metrics passes promtool check metrics without a warning"

# `metric LINE-PREFIX` prints the value of the first sample whose line starts so.
metric() { awk -v p="$1" 'index($0, p) == 1 { print $NF; exit }' "$TMP/metrics"; }
collect='lims.v1.SampleService.CollectSample'
resolve='lims.v1.SampleService.ResolveBarcode'
[[ $(metric "lims_rpc_calls_total{method=\"$collect\",code=\"OK\"}") == 3 ]] ||
  fail "3 CollectSample calls not counted: $(grep CollectSample "$TMP/metrics" | head -3)"
[[ $(metric "lims_rpc_calls_total{method=\"$resolve\",code=\"NOT_FOUND\"}") == 1 ]] ||
  fail "the unknown barcode's NOT_FOUND not counted"
[[ $(metric "lims_rpc_calls_total{method=\"$resolve\",code=\"OK\"}") == 1 ]] ||
  fail "the JSON door's resolve not counted"
[[ $(metric "lims_rpc_calls_total{method=\"$resolve\",code=\"UNAUTHENTICATED\"}") == 1 ]] ||
  fail "the call without a token not counted"
[[ $(metric "lims_rpc_duration_seconds_count{method=\"$collect\"}") == 3 ]] ||
  fail "CollectSample's latency histogram does not count 3 calls"
[[ $(metric "lims_rpc_duration_seconds_bucket{method=\"$collect\",le=\"+Inf\"}") == 3 ]] ||
  fail "CollectSample's +Inf bucket is not 3"
ok "calls counted by method and code through both doors, with their latency"

[[ $(metric 'lims_samples{status="COLLECTED"}') == 3 ]] ||
  fail "samples by status: $(grep '^lims_samples' "$TMP/metrics")"
[[ $(metric 'lims_rpc_in_flight') == 0 ]] || fail "calls in flight after all answered"
for counter in lims_db_pool_waits_total lims_db_transaction_retries_total \
  lims_db_reconnects_total; do
  [[ -n $(metric "$counter ") ]] || fail "$counter missing"
done
# Counts only: no barcode, patient or token on the page.
if grep -E '300000001|MATHEC|Bearer' "$TMP/metrics"; then fail "/metrics names a record"; fi
ok "samples by status, calls in flight and the pool's counters; no record named"
echo "1..$passed"
