#!/usr/bin/env bash
# End-to-end: `lims rack scan PICTURE --box [--apply]` on a synthetic rack picture, and a bench
# session `lims scan --into BOX --offline-queue FILE` that loses its server halfway, queues the
# rest and replays it later exactly once (a second replay of the same scans changes nothing).
#
#   tests/e2e/cli_scan.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE
set -euo pipefail

SERVER_BIN=${1:?usage: cli_scan.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
LIMS_BIN=${2:?usage: cli_scan.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
PICTURE_BIN=${3:?usage: cli_scan.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/e2e/cli_harness.sh
source "$HERE/cli_harness.sh" scan

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }

seed_enrollment
tubes=(1000000001 1000000002 1000000003 1000000004 1000000005 1000000006)
for t in "${tubes[@]}"; do
  expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$t"
done
make_box B-9
expect 0 lims place "${tubes[0]}" "$box" A1
expect 0 lims place "${tubes[1]}" "$box" A2

# The box from below, turned half round: tube 0 in place, tube 1 moved to B5, tube 2 at C1.
"$PICTURE_BIN" "$TMP/rack.png" 9 9 180 1="${tubes[0]}" 14="${tubes[1]}" 19="${tubes[2]}"
expect 0 lims rack scan "$TMP/rack.png" --box "$box"
grep -q "3 tubes read, 0 unreadable (?), 78 empty wells" "$TMP/out" || { cat "$TMP/out" >&2; fail "rack picture"; }
grep -q "Rack turned 180 degrees; orientation mark" "$TMP/out" || { cat "$TMP/out" >&2; fail "orientation"; }
grep -q "B5 *${tubes[1]} *A2 of box B-9" "$TMP/out" || { cat "$TMP/out" >&2; fail "misplaced"; }
ok "lims rack scan PICTURE --box: wells read from a turned rack, reconciled"

expect 0 lims rack scan "$TMP/rack.png" --box "$box" --apply
grep -q "Applied (2 changes" "$TMP/out" || { cat "$TMP/out" >&2; fail "apply"; }
expect 0 lims --json box show "$box"
python3 - "$TMP/out" "${tubes[@]}" <<'PY' || fail "box after apply"
import json, sys
slots = {s["position"]: s["barcode"] for s in json.load(open(sys.argv[1]))["slots"]}
t = sys.argv[2:]
assert slots == {"A1": t[0], "B5": t[1], "C1": t[2]}, slots
PY
ok "lims rack scan --apply: the box's records now match the picture"

# A bench session that loses its server after two tubes.
mkfifo "$TMP/scanner"
lims scan --into "$box" --from D1 --offline-queue "$TMP/queue.jsonl" <"$TMP/scanner" \
  >"$TMP/session.out" 2>"$TMP/session.err" &
session=$!
exec 3>"$TMP/scanner"
printf '%s\n' "${tubes[3]}" "${tubes[4]}" >&3
for _ in $(seq 100); do
  [[ $(grep -c '^placed' "$TMP/session.out" 2>/dev/null) == 2 ]] && break
  sleep 0.1
done
[[ $(grep -c '^placed' "$TMP/session.out") == 2 ]] || { cat "$TMP/session.out" "$TMP/session.err" >&2; fail "online scans"; }
kill -TERM "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=
printf '%s\n' "${tubes[5]}" " ${tubes[2]} " >&3
exec 3>&-
rc=0
wait "$session" || rc=$?
[[ $rc == 7 ]] || { cat "$TMP/session.out" "$TMP/session.err" >&2; fail "session exit $rc, expected 7 (queued)"; }
grep -q "queued ${tubes[5]} for D3" "$TMP/session.out" || { cat "$TMP/session.out" >&2; fail "queued"; }
grep -q "cannot be reached" "$TMP/session.err" || fail "offline notice"
[[ $(wc -l <"$TMP/queue.jsonl") == 2 ]] || fail "two scans queued"
cp "$TMP/queue.jsonl" "$TMP/queue-copy.jsonl"
ok "lims scan --offline-queue: placed two, queued two when the server went away (exit 7)"

# The server back on the same database and port.
env -u LIMS_LISTEN -u LIMS_DB "$SERVER_BIN" --listen "$address" --db "sqlite:$TMP/lims.db" \
  >>"$TMP/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do
  lims whoami >/dev/null 2>&1 && break
  sleep 0.05
done
expect 1 lims scan --replay "$TMP/queue.jsonl"
grep -q "placed ${tubes[5]} in box B-9 .* position D3" "$TMP/out" || { cat "$TMP/out" "$TMP/err" >&2; fail "replay"; }
grep -q "1 sent, 1 refused, 0 still queued" "$TMP/out" || { cat "$TMP/out" >&2; fail "replay summary"; }
grep -q "${tubes[2]}.*FAILED_PRECONDITION" "$TMP/err" || { cat "$TMP/err" >&2; fail "refused scan"; }
[[ ! -s $TMP/queue.jsonl ]] || fail "queue emptied"
[[ $(wc -l <"$TMP/queue.jsonl.refused") == 1 ]] || fail "refused scan kept aside"
ok "lims scan --replay: the queued placement made, the refused one kept in FILE.refused"

# Replaying the same scans again (a crash before the queue was rewritten): no second placement.
expect 1 lims scan --replay "$TMP/queue-copy.jsonl"
grep -q "placed ${tubes[5]} in box B-9 .* position D3" "$TMP/out" || { cat "$TMP/out" "$TMP/err" >&2; fail "replayed again"; }
expect 0 lims --json history "${tubes[5]}"
[[ $(grep -o '"storage.placed"' "$TMP/out" | wc -l) == 1 ]] || { cat "$TMP/out" >&2; fail "placed once"; }
expect 0 lims --json box show "$box"
[[ $(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["slots"]))' <"$TMP/out") == 6 ]] || fail "six tubes in the box"
ok "a second replay of the same scans is answered from the first outcome: placed once"

echo "1..$passed"
