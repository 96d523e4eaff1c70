# Sourced by the CLI end-to-end scripts once SERVER_BIN and LIMS_BIN are set:
#   source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" NAME
# Gives a private temporary directory ($TMP) and XDG_CONFIG_HOME (the caller's login and
# LIMS_TOKEN take no part), TAP-style ok/fail, `expect CODE command...` (output in $TMP/out and
# $TMP/err), `lims ...` bound to the server, and a lims-server on a temporary SQLite database and
# a port the kernel picks (--listen 127.0.0.1:0: no other process can take it between choosing and
# binding), with its HTTP port ($http_address) likewise. Returns once the server answers
# (lims exits 9, not logged in). On exit the server is
# stopped (then `e2e_cleanup`, if the script defines it); on failure its log tail is shown and
# $TMP kept. E2E_DB_URL: another database for the server (e.g. a MariaDB); E2E_SERVER_ARGS:
# more lims-server flags (split on spaces).

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lims-cli-$1.XXXXXX")
admin_token_file=$TMP/lims.db.admin-token
server_pid=
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if declare -F e2e_cleanup >/dev/null; then e2e_cleanup || true; fi
  if ((rc == 0)); then
    rm -rf "$TMP"
  else
    echo "--- lims-server log ($TMP/server.log) ---" >&2
    tail -n 20 "$TMP/server.log" >&2 || true
  fi
  exit "$rc"
}
trap cleanup EXIT

unset LIMS_TOKEN LIMS_SERVER
export XDG_CONFIG_HOME=$TMP/config NO_COLOR=1

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
lims() { "$LIMS_BIN" --server "$address" "$@"; }

env -u LIMS_LISTEN -u LIMS_DB -u LIMS_SIGNING_KEY -u LIMS_HTTP "$SERVER_BIN" --listen 127.0.0.1:0 \
  --http 127.0.0.1:0 \
  --db "${E2E_DB_URL:-sqlite:$TMP/lims.db}" --admin-token-file "$admin_token_file" \
  --signing-key "$TMP/lims.db.signing-key" ${E2E_SERVER_ARGS:-} >"$TMP/server.log" 2>&1 &
server_pid=$!
address=
for _ in $(seq 200); do
  port=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/server.log" | head -n 1)
  [[ -n $port ]] && address=127.0.0.1:$port && break
  kill -0 "$server_pid" 2>/dev/null || fail "lims-server exited at start"
  sleep 0.05
done
[[ -n $address ]] || fail "lims-server did not say where it listens"
rc=0
for _ in $(seq 200); do
  rc=0
  lims whoami >/dev/null 2>&1 || rc=$?
  [[ $rc == 9 ]] && break
  sleep 0.05
done
[[ $rc == 9 ]] || fail "lims-server did not answer on $address"
# The browser app and the JSON door ($http_address).
http_port=$(sed -n 's/.*JSON door on http:\/\/127.0.0.1:\([0-9][0-9]*\)\/.*/\1/p' "$TMP/server.log" | head -n 1)
http_address=127.0.0.1:$http_port

# The world the bench scripts start from: logged in as the admin, site PSL, patient MATHEC-0042
# enrolled (anchor 2026-01-15) in CART-SLE with one timepoint M3 (day 90 ± 14); sets
# $enrollment.
seed_enrollment() {
  expect 0 lims login --token-file "$admin_token_file"
  expect 0 lims site create PSL Paris Saint-Louis
  expect 0 lims patient create MATHEC-0042 --site PSL
  cat >"$TMP/protocol.json" <<'JSON'
{"code": "CART-SLE", "name": "Bench e2e",
 "timepoints": [{"code": "M3", "offset_days": 90, "window_before_days": 14, "window_after_days": 14}]}
JSON
  expect 0 lims protocol import "$TMP/protocol.json"
  expect 0 lims --json enroll MATHEC-0042 CART-SLE --anchor 2026-01-15
  enrollment=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["enrollment"]["id"])' <"$TMP/out")
}

# Site PSL's storage root, a freezer F1 in it and a 9×9 box NAME in that; sets $box.
make_box() {
  local unit='import json,sys; print(json.load(sys.stdin)["unit"]["id"])'
  expect 0 lims --json storage create site PSL
  expect 0 lims --json storage create freezer F1 --parent "$(python3 -c "$unit" <"$TMP/out")"
  expect 0 lims --json storage create box "$1" --parent "$(python3 -c "$unit" <"$TMP/out")" --rows 9 --columns 9
  box=$(python3 -c "$unit" <"$TMP/out")
}
