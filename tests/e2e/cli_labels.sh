#!/usr/bin/env bash
# End-to-end: `lims printer` and `lims label` against a real lims-server, printing through a
# real cupsd started in a temporary directory (a raw queue whose socket device is a loopback
# listener), a spool directory and raw TCP; plus `lims sample process --held-at` (SPREC) and
# `lims decode` (a picture's barcodes).
#
#   tests/e2e/cli_labels.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_labels.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_labels.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# cupsd first, so that lims-server (started by the harness) inherits CUPS_SERVER.
CUPS=$(mktemp -d "${TMPDIR:-/tmp}/lims-cups.XXXXXX")
chmod 755 "$CUPS"
mkdir -p "$CUPS"/{etc,spool,tmp,cache,state,log}
cat >"$CUPS/etc/cupsd.conf" <<CONF
Listen $CUPS/cups.sock
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
CONF
cat >"$CUPS/etc/cups-files.conf" <<CONF
ServerRoot $CUPS/etc
RequestRoot $CUPS/spool
TempDir $CUPS/tmp
CacheDir $CUPS/cache
StateDir $CUPS/state
ServerBin /usr/lib/cups
DataDir /usr/share/cups
AccessLog $CUPS/log/access_log
ErrorLog $CUPS/log/error_log
PageLog $CUPS/log/page_log
CONF
CUPSD=$(command -v cupsd || echo /usr/sbin/cupsd)
"$CUPSD" -f -c "$CUPS/etc/cupsd.conf" -s "$CUPS/etc/cups-files.conf" &
cupsd_pid=$!
python3 "$HERE/print_listener.py" "$CUPS/port" "$CUPS/printed.zpl" &
listener_pid=$!
stop_helpers() {
  kill "$cupsd_pid" "$listener_pid" 2>/dev/null || true
  wait "$cupsd_pid" "$listener_pid" 2>/dev/null || true
  rm -rf "$CUPS"
}
export CUPS_SERVER=$CUPS/cups.sock
for _ in $(seq 100); do
  [[ -S $CUPS_SERVER && -f $CUPS/port ]] && break
  sleep 0.1
done
[[ -S $CUPS_SERVER ]] || { cat "$CUPS/log/error_log" >&2 || true; stop_helpers; echo "cupsd did not start" >&2; exit 1; }
port=$(cat "$CUPS/port")
LPADMIN=$(command -v lpadmin || echo /usr/sbin/lpadmin)
# The socket:// backend comes with the full cups package; without it lpadmin is refused, and
# may then wait for ever: bounded, with the reason.
timeout 20 "$LPADMIN" -p zebra-cups -E -v "socket://127.0.0.1:$port" -m raw 2>/dev/null || {
  tail -n 3 "$CUPS/log/error_log" >&2 || true
  stop_helpers
  echo "lpadmin could not add the raw socket:// queue (is /usr/lib/cups/backend/socket there?)" >&2
  exit 1
}

# shellcheck source=tests/e2e/cli_harness.sh
source "$HERE/cli_harness.sh" labels
trap 'rc=$?; stop_helpers; (exit $rc); cleanup' EXIT

seed_enrollment
tubes=()
for _ in 1 2; do
  expect 0 lims --json collect "$enrollment" M3 SER 4mL --at 2026-04-16T09:30 --container SST
  tubes+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sample"]["barcode"])' <"$TMP/out")")
done

expect 0 lims sample process "${tubes[0]}" --held-at fridge --at 2026-04-16T12:45
grep -q "SPREC SER-SST-D-X-X-X-X" "$TMP/out" || { cat "$TMP/out" >&2; fail "process --held-at"; }
expect 2 lims sample process "${tubes[1]}" --held-at warm
expect 0 lims resolve "${tubes[0]}"
grep -q "SPREC: *SER-SST-D-X-X-X-X" "$TMP/out" || { cat "$TMP/out" >&2; fail "resolve shows SPREC"; }
ok "lims sample process --held-at sets the SPREC pre-centrifugation element; resolve shows it"

expect 0 lims label templates
grep -q "cryotube *32 x 13 mm" "$TMP/out" || { cat "$TMP/out" >&2; fail "templates"; }
expect 0 lims label preview "${tubes[0]}" --dpi 300 --png "$TMP/tube.png" --zpl "$TMP/tube.zpl"
[[ $(head -c 8 "$TMP/tube.png" | od -An -tx1 | tr -d ' ') == 89504e470d0a1a0a ]] || fail "preview PNG"
grep -q "\^FD${tubes[0]}\^FS" "$TMP/tube.zpl" || fail "preview ZPL"
ok "lims label templates, preview --png --zpl"

expect 0 lims printer register cups-1 cups://zebra-cups --dpi 203
mkdir -p "$TMP/spool"
expect 0 lims printer register spool-1 "file://$TMP/spool" --dpi 300
expect 4 lims printer register bad "lpt://1"
expect 6 lims printer register cups-1 cups://zebra-cups
expect 0 lims printer list
grep -q "spool-1.*file://$TMP/spool.*300" "$TMP/out" || { cat "$TMP/out" >&2; fail "printer list"; }
ok "lims printer register (cups, spool) and list; bad uri exit 4, taken name exit 6"

expect 0 lims label print "${tubes[@]}" --printer cups-1 --copies 2
grep -q "Printed 2 labels x2 on cups-1" "$TMP/out" || { cat "$TMP/out" >&2; fail "print via cups"; }
for _ in $(seq 100); do
  [[ -f $CUPS/printed.zpl ]] && grep -q -- "--- end of job ---" "$CUPS/printed.zpl" && break
  sleep 0.1
done
[[ -f $CUPS/printed.zpl ]] || { tail "$CUPS/log/error_log" >&2; fail "cupsd did not pass the job on"; }
[[ $(grep -c '\^XA' "$CUPS/printed.zpl") == 2 ]] || fail "one label per tube through CUPS"
for t in "${tubes[@]}"; do grep -q "\^FD$t\^FS" "$CUPS/printed.zpl" || fail "$t not printed"; done
ok "lims label print through a real cupsd raw queue: one label per tube"

expect 5 lims label print "${tubes[0]}" --printer spool-1
grep -q "a reprint needs a reason" "$TMP/err" || { cat "$TMP/err" >&2; fail "reprint message"; }
expect 0 lims label print "${tubes[0]}" --printer spool-1 --reason "label smudged"
grep -q "1 reprinted" "$TMP/out" || { cat "$TMP/out" >&2; fail "reprint count"; }
[[ $(find "$TMP/spool" -name 'lims-*.zpl' | wc -l) == 1 ]] || fail "one spool file"
ok "reprint refused without a reason (exit 5), counted with one; spool file written"

expect 0 lims --json label jobs "${tubes[0]}"
python3 - "$TMP/out" <<'PY' || fail "label jobs"
import json, sys
jobs = json.load(open(sys.argv[1]))["jobs"]
assert len(jobs) == 2, jobs
assert jobs[0]["reprints"] == 1 and jobs[0]["reason"] == "label smudged", jobs[0]
assert jobs[1]["printer"] == "cups-1" and jobs[1]["copies"] == 2, jobs[1]
PY
ok "lims label jobs: the ledger, newest first"

# A picture of a code, read by the server (ScanService.DecodeImage).
expect 0 lims decode "$HERE/../data/barcodes/datamatrix-1/0123456789.png"
grep -q "DataMatrix *0123456789" "$TMP/out" || { cat "$TMP/out" >&2; fail "decode"; }
expect 4 lims decode "$TMP/protocol.json"
grep -q "not a PNG, JPEG or BMP" "$TMP/err" || { cat "$TMP/err" >&2; fail "decode a non-image"; }
ok "lims decode: a photo's DataMatrix; a non-image refused (exit 4)"

# A rack scanner's file against a box.
unit() { python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"]["id"])' <"$TMP/out"; }
expect 0 lims --json storage create site PSL
parent=$(unit)
expect 0 lims --json storage create room R1 --parent "$parent"
parent=$(unit)
expect 0 lims --json storage create freezer F1 --parent "$parent"
parent=$(unit)
expect 0 lims --json storage create box B-1 --parent "$parent" --rows 8 --columns 12
box=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"]["id"])' <"$TMP/out")
expect 0 lims place "${tubes[1]}" "$box" A1
printf 'Rack ID;Tube Position;Tube ID\nRK9;A01;%s\nRK9;A02;7777777777\n' "${tubes[1]}" >"$TMP/rack.csv"
expect 0 lims rack scan "$TMP/rack.csv" --box "$box"
grep -q "1 tubes where the LIMS has them" "$TMP/out" || { cat "$TMP/out" >&2; fail "rack scan"; }
grep -q "A2 *7777777777" "$TMP/out" || { cat "$TMP/out" >&2; fail "rack scan unexpected"; }
ok "lims rack scan FILE --box: reconciled with the box"

# A printer that is off: exit 7 with the reason, quickly, and no ledger entry.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
expect 0 lims printer register off "tcp://127.0.0.1:$closed"
expect 7 lims label print "${tubes[1]}" --printer off --reason test
grep -q "cannot be reached" "$TMP/err" || { cat "$TMP/err" >&2; fail "unreachable message"; }
ok "an unreachable printer: exit 7 and why"
echo "1..$passed"
