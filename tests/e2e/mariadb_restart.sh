#!/usr/bin/env bash
# End-to-end: lims-server rides through its MariaDB going away. A MariaDB of its own (tests/
# mariadb.sh with a private state file), clients calling in parallel while it is stopped and
# started again, and its connections killed under it: calls fail with UNAVAILABLE (exit 7) only
# while it is down, succeed again without restarting lims-server, no acknowledged tube is lost,
# and no error message carries SQL, bound values or hashes.
#   tests/e2e/mariadb_restart.sh LIMS_SERVER_BIN LIMS_BIN
set -euo pipefail
SERVER_BIN=$1
LIMS_BIN=$2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

export LIMS_MARIADB_STATE
LIMS_MARIADB_STATE=$(mktemp -d "${TMPDIR:-/tmp}/lims-restart-db.XXXXXX")/mariadb.env
mariadb_sh() { "$ROOT/tests/mariadb.sh" "$@"; }
e2e_cleanup() {
  mariadb_sh stop >/dev/null 2>&1 || true
  rm -rf "$(dirname "$LIMS_MARIADB_STATE")"
}
eval "$(mariadb_sh start 2>/dev/null)"
mariadb_sh client -e "CREATE DATABASE lims_restart"
export E2E_DB_URL="${LIMS_TEST_MARIADB_URL}lims_restart"
# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" mariadb-restart

seed_enrollment
# A client collecting tubes one after another; each tube acknowledged (exit 0) is written to
# $TMP/acked.N, each failure's exit code and message to $TMP/failed.N.
collector() {
  local n=$1 i=0 rc
  while [[ ! -f $TMP/stop ]]; do
    i=$((i + 1))
    local barcode
    barcode=$(printf '3%02d%07d' "$n" "$i")
    rc=0
    lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$barcode" \
      >/dev/null 2>"$TMP/err.$n" || rc=$?
    if ((rc == 0)); then
      echo "$barcode" >>"$TMP/acked.$n"
    else
      echo "$rc $(tr '\n' ' ' <"$TMP/err.$n")" >>"$TMP/failed.$n"
    fi
  done
}
collectors=()
for n in 1 2 3; do
  collector "$n" &
  collectors+=($!)
done
sleep 2
mariadb_sh down 2>/dev/null
sleep 4
mariadb_sh up 2>/dev/null
sleep 4
touch "$TMP/stop"
wait "${collectors[@]}"
acked=$(cat "$TMP"/acked.* | wc -l)
failed=$(cat "$TMP"/failed.* 2>/dev/null | wc -l)
((acked >= 6)) || fail "too few tubes acknowledged around the restart ($acked)"
if ((failed > 0)); then
  # Only UNAVAILABLE (exit 7), and nothing of the SQL, its values or a hash in the message.
  if grep -v '^7 ' "$TMP"/failed.*; then fail "a call failed otherwise than UNAVAILABLE"; fi
  if grep -Eiq 'select |insert |update |token_hash|with :|[0-9a-f]{64}' "$TMP"/failed.*; then
    cat "$TMP"/failed.* >&2
    fail "an error message carries SQL or a value"
  fi
fi
# The last calls of every client, after the restart, succeeded.
for n in 1 2 3; do
  last=$(tail -n 1 "$TMP/acked.$n")
  [[ -n $last ]] || fail "client $n never succeeded"
done
expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode 3990000001
# Nothing acknowledged was lost.
while read -r barcode; do
  expect 0 lims resolve "$barcode"
done < <(cat "$TMP"/acked.*)
ok "MariaDB stopped and started under three clients: $acked tubes acknowledged, all there; $failed calls failed with UNAVAILABLE while it was down; served again without a restart of lims-server"

# Its connections killed under it (a network blip, wait_timeout): the next calls just work.
mariadb_sh client -N -e "SELECT id FROM information_schema.processlist WHERE user = 'lims_test'" \
  >"$TMP/ids"
while read -r id; do mariadb_sh client -e "KILL $id" 2>/dev/null || true; done <"$TMP/ids"
[[ -s $TMP/ids ]] || fail "no server connections seen to kill"
expect 0 lims resolve 3990000001
expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode 3990000002
ok "killed connections are reopened by the next call ($(wc -l <"$TMP/ids") killed)"

# /metrics saw it: connections reopened, and the UNAVAILABLE answers of the outage counted.
curl -fsS "http://$http_address/metrics" >"$TMP/metrics" || fail "GET /metrics failed"
reconnects=$(awk '$1 == "lims_db_reconnects_total" { print $2 }' "$TMP/metrics")
((reconnects > 0)) || fail "lims_db_reconnects_total is '$reconnects' after the restart"
unavailable=$(awk -F' ' '/^lims_rpc_calls_total\{.*code="UNAVAILABLE"/ { n += $NF } END { print n + 0 }' \
  "$TMP/metrics")
((failed == 0 || unavailable > 0)) || fail "$failed calls failed but no UNAVAILABLE was counted"
ok "/metrics counted $reconnects reconnections and $unavailable UNAVAILABLE answers"
echo "1..$passed"
