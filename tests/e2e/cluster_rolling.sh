#!/usr/bin/env bash
# End-to-end: deploy/cluster.sh's trial cluster (a lims-server per service, two for sample, on
# one SQLite database, behind its nginx) answers the CLI, the JSON door and the browser app
# through nginx, and a rolling restart of the sample service under load loses no call: closed-
# loop ResolveBarcode load over gRPC (lims-bench, which never retries) ends with zero errors,
# CLI loops (resolve, and collect: a mutation) all exit 0 without a retry, nginx answers every
# call OK, and both sample processes are new ones; the same over the JSON door (whose client,
# like a browser, sends a request once more when nginx's reload closed its idle keep-alive
# connection as the request left). `down` then leaves no process behind.
#   tests/e2e/cluster_rolling.sh LIMS_SERVER_BIN LIMS_BIN LIMS_BENCH_BIN
# Environment: CLUSTER_LOAD_SECONDS (20), CLUSTER_LOAD_CLIENTS (4 gRPC; half as many JSON).
set -euo pipefail
SERVER_BIN=$(realpath "$1")
LIMS_BIN=$(realpath "$2")
BENCH_BIN=$(realpath "$3")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER=$ROOT/deploy/cluster.sh
LOAD_SECONDS=${CLUSTER_LOAD_SECONDS:-20}
CLIENTS=${CLUSTER_LOAD_CLIENTS:-4}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lims-cluster-rolling.XXXXXX")
DIR=$TMP/cluster
background=()
cleanup() {
  local rc=$?
  touch "$TMP/stop"
  [[ ${#background[@]} == 0 ]] || kill "${background[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  [[ ! -f $DIR/procs ]] || "$CLUSTER" down "$DIR" >/dev/null 2>&1 || true
  if ((rc == 0)); then
    rm -rf "$TMP"
  else
    echo "--- kept $TMP; nginx's error log: ---" >&2
    tail -n 20 "$DIR/nginx/error.log" >&2 || true
  fi
  exit "$rc"
}
trap cleanup EXIT

unset LIMS_TOKEN LIMS_SERVER
export XDG_CONFIG_HOME=$TMP/config NO_COLOR=1 LIMS_SERVER_BIN=$SERVER_BIN
# One line per call is in nginx's access log already.
export LIMS_LOG_LEVEL=warn

passed=0
ok() { passed=$((passed + 1)); echo "ok $passed - $*"; }
fail() { echo "not ok $((passed + 1)) - $*" >&2; exit 1; }
expect() {
  local want=$1 rc=0
  shift
  "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  if [[ $rc != "$want" ]]; then
    cat "$TMP/out" "$TMP/err" >&2
    fail "$* exited with $rc, expected $want"
  fi
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
since() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }'; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# --- up -----------------------------------------------------------------------------------------
grpc=127.0.0.1:$(free_port)
http=127.0.0.1:$(free_port)
started=$(date +%s.%N)
expect 0 "$CLUSTER" up "$DIR" --grpc "$grpc" --http "$http"
up_seconds=$(since "$started")
[[ $(tail -n 1 "$TMP/out") == "gRPC $grpc  HTTP http://$http/" ]] || fail "up's last line: $(tail -n 1 "$TMP/out")"
expect 0 "$CLUSTER" status "$DIR"
processes=$(grep -c healthy "$TMP/out")
((processes == 12)) || fail "status shows $processes healthy processes, expected 12"
grep -q '^nginx .* answering$' "$TMP/out" || fail "status: nginx is not answering"
ok "cluster up in ${up_seconds} s: $processes processes healthy, nginx answering on $grpc and $http"

# --- through nginx: the CLI, the JSON door, the browser app --------------------------------------
lims() { "$LIMS_BIN" --server "$grpc" "$@"; }
token_file=$DIR/lims.admin-token
expect 0 lims login --token-file "$token_file"
expect 0 lims site create PSL Paris Saint-Louis
expect 0 lims patient create MATHEC-0042 --site PSL
cat >"$TMP/protocol.json" <<'JSON'
{"code": "CART-SLE", "name": "Cluster e2e",
 "timepoints": [{"code": "M3", "offset_days": 90, "window_before_days": 14, "window_after_days": 14}]}
JSON
expect 0 lims protocol import "$TMP/protocol.json"
expect 0 lims --json enroll MATHEC-0042 CART-SLE --anchor 2026-01-15
enrollment=$(json_field '["enrollment"]["id"]' <"$TMP/out")
for i in $(seq 20); do
  barcode=$(printf '40%08d' "$i")
  expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$barcode"
  echo "$barcode" >>"$TMP/barcodes"
done
expect 0 lims --json resolve 4000000007
[[ $(json_field '["sample"]["barcode"]' <"$TMP/out") == 4000000007 ]] || fail "resolve through nginx"
ok "the CLI through nginx: login, site, patient, protocol, enrollment, 20 tubes collected, resolved"

curl -fsS -X POST -H "Authorization: Bearer $(<"$token_file")" -H 'Content-Type: application/json' \
  -d '{"barcode": "4000000007"}' "http://$http/lims.v1.SampleService/ResolveBarcode" >"$TMP/out" ||
  fail "POST /lims.v1.SampleService/ResolveBarcode through nginx"
[[ $(json_field '["sample"]["barcode"]' <"$TMP/out") == 4000000007 ]] || fail "JSON resolve: $(<"$TMP/out")"
curl -fsS -X POST -H "Authorization: Bearer $(<"$token_file")" -H 'Content-Type: application/json' \
  -d '{}' "http://$http/lims.v1.RegistryService/ListSites" | grep -q '"code":"PSL"' ||
  fail "POST /lims.v1.RegistryService/ListSites through nginx"
curl -fsS "http://$http/" | grep -qi '<html' || fail "the browser app is not served at /"
[[ $(curl -fsS "http://$http/healthz") == SERVING ]] || fail "/healthz through nginx"
ok "the JSON door through nginx (sample and registry processes), the browser app at /, /healthz"

# The browser app in headless Chromium through nginx: the admin logs in with the password the
# first process wrote (UserService's process), then scans tubes (SampleService's processes).
node "$ROOT/bench/ui_scan.mjs" "http://$http" "$(<"$DIR/lims.admin-password")" "$TMP/barcodes" 5 \
  >"$TMP/ui.json" 2>"$TMP/ui.err" || { cat "$TMP/ui.err" >&2; fail "the browser app through nginx"; }
[[ $(json_field '["scans"]' <"$TMP/ui.json") == 5 ]] || fail "browser scans: $(<"$TMP/ui.json")"
ok "the browser app through nginx in Chromium: logged in, 15 tubes scanned and shown"

# --- rolling restart of sample under load ------------------------------------------------------
old_pids="$(<"$DIR/run/sample-1.pid") $(<"$DIR/run/sample-2.pid")"
# Until $TMP/stop: one CLI call after another; a failed one (exit code, message) to $TMP/failed.
cli_loop() { # NAME COMMAND...
  local name=$1 n=0 rc
  shift
  while [[ ! -f $TMP/stop ]]; do
    n=$((n + 1)) rc=0
    "$@" "$n" >/dev/null 2>"$TMP/err.$name" || rc=$?
    ((rc == 0)) || echo "$name $n: exit $rc $(tr '\n' ' ' <"$TMP/err.$name")" >>"$TMP/failed"
    echo "$n" >"$TMP/count.$name"
  done
}
resolve_one() { lims resolve "$(sed -n "$(($1 % 20 + 1))p" "$TMP/barcodes")"; }
collect_one() {
  lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$(printf '41%08d' "$1")"
}
"$BENCH_BIN" load --target "$grpc" --rpc resolve --clients "$CLIENTS" --seconds "$LOAD_SECONDS" \
  --warmup 0.5 --barcodes "$TMP/barcodes" --token-file "$token_file" --label grpc \
  >"$TMP/load.grpc" 2>"$TMP/load.grpc.err" &
background+=($!)
json_clients=$((CLIENTS / 2 > 0 ? CLIENTS / 2 : 1))
"$BENCH_BIN" load --target "$http" --rpc resolve-json --clients "$json_clients" \
  --seconds "$LOAD_SECONDS" --warmup 0.5 --barcodes "$TMP/barcodes" --token-file "$token_file" \
  --label json >"$TMP/load.json" 2>"$TMP/load.json.err" &
background+=($!)
cli_loop resolve resolve_one &
background+=($!)
cli_loop collect collect_one &
background+=($!)
sleep 3
started=$(date +%s.%N)
"$CLUSTER" restart "$DIR" sample 2>"$TMP/restart.log" || { cat "$TMP/restart.log" >&2; fail "restart"; }
restart_seconds=$(since "$started")
sed 's/^/# /' "$TMP/restart.log"
sleep 2
touch "$TMP/stop"
for pid in "${background[@]:0:2}"; do
  wait "$pid" || fail "lims-bench load exited with $? ($(cat "$TMP"/load.*.err))"
done
wait "${background[@]:2}"
background=()
((LOAD_SECONDS > 5 + ${restart_seconds%.*})) || fail "the restart (${restart_seconds} s) outlasted the load"

new_pids="$(<"$DIR/run/sample-1.pid") $(<"$DIR/run/sample-2.pid")"
for pid in $old_pids; do
  [[ " $new_pids " != *" $pid "* ]] || fail "sample process $pid was not restarted"
done
reloads=$(grep -c '#[0-9]*: reconfiguring$' "$DIR/nginx/error.log" || true)
summary=
for kind in grpc json; do
  calls=$(json_field '["calls"]' <"$TMP/load.$kind")
  errors=$(json_field '["errors"]' <"$TMP/load.$kind")
  if ((errors != 0)); then
    cat "$TMP/load.$kind" >&2
    fail "$errors of $((calls + errors)) $kind ResolveBarcode calls failed during the restart"
  fi
  ((calls > 0)) || fail "no $kind call succeeded"
  summary+="$kind: $calls calls, $errors failed, p99 $(json_field '["p99_us"]' <"$TMP/load.$kind") µs; "
done
if grep -v '" 200 grpc=' "$DIR/nginx/access.log" | grep -q 'lims.v1'; then
  grep -v '" 200 grpc=' "$DIR/nginx/access.log" | grep 'lims.v1' | head >&2
  fail "nginx answered calls with an error status"
fi
if grep 'grpc=[0-9]' "$DIR/nginx/access.log" | grep -qv 'grpc=0 '; then
  fail "a gRPC call ended with a status other than OK"
fi
if [[ -s $TMP/failed ]]; then
  cat "$TMP/failed" >&2
  fail "$(wc -l <"$TMP/failed") CLI calls failed during the restart"
fi
# Every tube collected during the restart is there (and once: a second would have been refused).
for ((i = 1; i <= $(<"$TMP/count.collect"); i++)); do
  expect 0 lims resolve "$(printf '41%08d' "$i")"
done
summary+="CLI: $(<"$TMP/count.resolve") resolve and $(<"$TMP/count.collect") collect calls, all exit 0"
summary+=" (no call answered UNAVAILABLE, so none retried), every tube collected there"
ok "rolling restart of sample ($old_pids -> $new_pids, $reloads nginx reloads) in ${restart_seconds} s under load: $summary"

# Both sample processes answered: nginx's access log names the upstream of each call.
reloads=$(grep -c '#[0-9]*: reconfiguring$' "$DIR/nginx/error.log" || true)
summary=
for name in sample-1 sample-2; do
  port=$(awk -v n="$name" '$1 == n { print $3 }' "$DIR/procs")
  served=$(grep -c "ResolveBarcode.*upstream=127.0.0.1:$port " "$DIR/nginx/access.log" || true)
  ((served > 0)) || fail "$name (port $port) never answered through nginx"
  summary+="$name $served, "
done
retried=$(grep -c 'upstream=[^ ]*, ' "$DIR/nginx/access.log" || true)
ok "ResolveBarcode calls answered by ${summary}$retried calls passed on to a second process"

# A process started by mistake on a port another one holds fails, instead of silently taking
# half of its calls (no SO_REUSEPORT); the same for the HTTP port.
grpc_port=$(awk '$1 == "sample-1" { print $3 }' "$DIR/procs")
http_port=$(awk '$1 == "sample-1" { print $4 }' "$DIR/procs")
expect 1 timeout 20 "$SERVER_BIN" --services sample --listen "127.0.0.1:$grpc_port" \
  --db "sqlite:$DIR/lims.db" --admin-token-file "$DIR/lims.admin-token"
grep -q "cannot listen on 127.0.0.1:$grpc_port" "$TMP/err" || fail "gRPC port clash: $(tail -1 "$TMP/err")"
expect 1 timeout 20 "$SERVER_BIN" --services sample --listen 127.0.0.1:0 \
  --http "127.0.0.1:$http_port" --db "sqlite:$DIR/lims.db" --admin-token-file "$DIR/lims.admin-token"
grep -q "cannot listen on 127.0.0.1:$http_port" "$TMP/err" || fail "HTTP port clash: $(tail -1 "$TMP/err")"
ok "a second process on a taken gRPC or HTTP port refuses to start"

# --- down ----------------------------------------------------------------------------------------
all_pids=$(cat "$DIR"/run/*.pid "$DIR/nginx/nginx.pid")
all_pids+=" $(ps -o pid= --ppid "$(<"$DIR/nginx/nginx.pid")" || true)"
expect 0 "$CLUSTER" down "$DIR"
for pid in $all_pids; do
  if ps -o stat= -p "$pid" | grep -qv Z; then fail "process $pid is still running after down"; fi
done
expect 3 "$CLUSTER" status "$DIR"
[[ $(grep -c ' stopped$' "$TMP/out") == 13 ]] || fail "status after down: $(<"$TMP/out")"
ok "down stopped all $(wc -w <<<"$all_pids") processes (12 lims-server, nginx's master and worker)"
echo "1..$passed"
