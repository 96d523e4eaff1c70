#!/usr/bin/env bash
# The technician's day in the browser app, in a real headless Chromium (Debian's, driven by
# playwright-core) against real lims-servers: this script builds the world with the `lims` CLI
# (Paris: tubes, boxes, a printer, an approved request, a dispatched shipment; Lyon: a second
# installation that trusts Paris and receives it), then bench_flows.mjs does the bench work
# through the browser only, and role_flows.mjs the other roles' (manager, coordinator,
# researcher, admin).
#
#   tests/web/bench_flows.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE
# Environment: LIMS_UI_SCREENSHOTS=DIR also writes a screenshot of each screen there (docs/ui).
set -euo pipefail

SERVER_BIN=${1:?usage: bench_flows.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
LIMS_BIN=${2:?usage: bench_flows.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
PICTURE_BIN=${3:?usage: bench_flows.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS PATH_TO_LIMS_RACK_PICTURE}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/tests/e2e/cli_harness.sh" web

[[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium: deploy/install-deps.sh --tests installs it"
[[ -f $ROOT/tests/tools/node_modules/playwright-core/package.json ]] ||
  fail "no playwright-core: deploy/install-deps.sh --tests installs it"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }
as() { local who=$1; shift; env LIMS_TOKEN="$(cat "$TMP/$who.token")" "$LIMS_BIN" --server "$address" "$@"; }
unit_id() { json '["unit"]["id"]'; }

# --- Paris ----------------------------------------------------------------------------------
seed_enrollment
expect 0 lims consent record MATHEC-0042 --scopes storage,research --signed 2026-01-10 --version v2
tubes=(4000000001 4000000002 4000000003 4000000004 4000000005 4000000006 4000000007 4000000008
       4000000011 4000000012 4000000013)
for t in "${tubes[@]}"; do
  expect 0 lims collect "$enrollment" M3 SER 500uL --at 2026-04-16T09:30 --barcode "$t"
done
make_box B-FILL
fill_box=$box
freezer=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"]["parent_id"])' <"$TMP/out")
expect 0 lims --json storage create box B-RACK --parent "$freezer" --rows 8 --columns 12
rack_box=$(unit_id)
expect 0 lims storage update "$freezer" --set-point -80 --low -95 --high -70 --probe ULT-F1 --reason "commissioned"
expect 0 lims --json storage list
expect 0 lims storage create freezer F-BACKUP --parent "$(json '["units"][0]["id"]')"
expect 0 lims storage find b-fill --kind box   # any case, at any level
grep -q "B-FILL" "$TMP/out" && ! grep -q "B-RACK" "$TMP/out" || fail "storage find: $(cat "$TMP/out")"
expect 2 lims storage find b --kind boks
expect 0 lims --json storage create box B-PICK --parent "$freezer" --rows 9 --columns 9
pick_box=$(unit_id)
expect 0 lims place 4000000006 "$pick_box" A1
expect 0 lims place 4000000007 "$pick_box" B3
expect 0 lims --json storage create box B-SHIP --parent "$freezer" --rows 9 --columns 9
ship_box=$(unit_id)
for i in 0 1 2; do expect 0 lims place "${tubes[$((8 + i))]}" "$ship_box" "A$((i + 1))"; done

# The rack as a camera sees it: 4000000004 where the LIMS has it (A1), 4000000005 one well to
# the right of where it is recorded (A3 instead of A2), and 4000000099, unknown to the LIMS, in B1.
"$PICTURE_BIN" "$TMP/rack.png" 8 12 0 1=4000000004 3=4000000005 13=4000000099

for who in tech:technician manager:manager researcher:researcher coord:coordinator; do
  expect 0 lims --json user create "${who%%:*}" --role "${who##*:}" --site PSL
  json '["token"]' >"$TMP/${who%%:*}.token"
  echo "${who%%:*}-password-1" | expect 0 lims user password "${who%%:*}"
done
# A CAR-T therapy: the apheresis, and the bag made from it awaiting receipt; an LN2 canister.
mod37() {
  python3 -c 'import sys
a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"; p = 0
for c in sys.argv[1]: p = ((p + a.index(c)) * 2) % 37
print(a[(38 - p) % 37])' "$1"
}
expect 0 lims --json storage create canister C-LN2 --parent "$freezer" --slots 10
canister=$(unit_id)
expect 0 lims --json patient show MATHEC-0042
patient_id=$(json '["patient"]["id"]')
expect 0 lims --json product register apheresis "G1234 98 654321 H" --patient "$patient_id" \
  --enrollment "$enrollment" --code E0713V00 --volume 250mL
coi=$(json '["coi"]')
expect 0 lims product register car-t "W1234 26 000001 $(mod37 W123426000001)" --patient "$patient_id" \
  --enrollment "$enrollment" --from "G1234 98 654321 H" --expires 2099-12-31 --volume 70mL
other_coi="COI-PSL-000002-$(mod37 COIPSL000002)"

mkdir -p "$TMP/labels"
expect 0 lims printer register bench-1 "file://$TMP/labels" --dpi 300 --stock cryotube

expect 0 lims --json ship create --from PSL --to "Lyon Sud biobank" --packaging dry-ice
shipment=$(json '["shipment"]["id"]')
expect 0 lims ship add "$shipment" --box "$ship_box"
expect 0 lims ship dispatch "$shipment"
expect 0 lims ship export "$shipment" --json "$TMP/manifest.json"

# An approved request: it reserves from the tubes stored now (one of B-PICK's two: one per
# patient and timepoint); the others are stored after it, or shipped.
expect 0 as researcher --json request submit --title "IL-6 panel" --ethics CPP-2026-118 \
  --protocol CART-SLE --timepoint M3 --type SER --min 200uL
request=$(json '["sample_request"]["id"]')
request_code=$(json '["sample_request"]["code"]')
expect 0 as manager request approve "$request" --reason "ethics approval on file"
expect 0 lims --json request picklist "$request"
reserved=$(json '["items"][0]["barcode"]')
case $reserved in 4000000006) not_reserved=4000000007 ;; 4000000007) not_reserved=4000000006 ;;
  *) fail "the request reserved $reserved, not a B-PICK tube" ;; esac
expect 0 lims place 4000000001 "$fill_box" A1
expect 0 lims place 4000000004 "$rack_box" A1
expect 0 lims place 4000000005 "$rack_box" A2
expect 0 lims --json trust show
paris_key=$(json '["public_key"]')
ok "Paris: tubes in four boxes, users with passwords, a printer, request $request_code approved, shipment $shipment dispatched"

# --- Lyon: a second installation with its own HTTP port -------------------------------------
env -u LIMS_LISTEN -u LIMS_DB -u LIMS_HTTP "$SERVER_BIN" --listen 127.0.0.1:0 --http 127.0.0.1:0 \
  --db "sqlite:$TMP/lyon.db" >"$TMP/lyon.log" 2>&1 &
lyon_pid=$!
e2e_cleanup() { kill "$lyon_pid" 2>/dev/null || true; wait "$lyon_pid" 2>/dev/null || true; }
lyon_address= lyon_http=
for _ in $(seq 200); do
  lyon_http=$(sed -n 's/.*JSON door on http:\/\/\(127.0.0.1:[0-9][0-9]*\)\/.*/\1/p' "$TMP/lyon.log" | head -n 1)
  port=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/lyon.log" | head -n 1)
  [[ -n $port && -n $lyon_http && -s $TMP/lyon.db.admin-token ]] && lyon_address=127.0.0.1:$port && break
  sleep 0.05
done
[[ -n $lyon_address ]] || fail "the second lims-server did not start"
lyon() { LIMS_TOKEN=$(cat "$TMP/lyon.db.admin-token") "$LIMS_BIN" --server "$lyon_address" "$@"; }
expect 0 lyon site create LYO Lyon Sud
expect 0 lyon trust add PSL "$paris_key" --reason "fingerprint read over the phone with Paris"
expect 0 lyon user create manager.lyo --role manager --site LYO
echo "lyon-manager-password" | expect 0 lyon user password manager.lyo
ok "Lyon: its own installation, trusting Paris' key, a manager with a password"

# Registry files for the coordinator: one with a line that cannot be imported, one clean.
printf 'registry_id,site_code,protocol_code,anchor_date\nMATHEC-0101,PSL,CART-SLE,2026-02-01\nMATHEC-0102,PSL,NO-SUCH,2026-02-01\n' >"$TMP/registry_bad.csv"
printf 'registry_id,site_code,protocol_code,anchor_date\nMATHEC-0101,PSL,CART-SLE,2026-02-01\n' >"$TMP/registry_good.csv"

# A night's temperature log for the manager: F1 warms past -70 °C a minute from now (UTC).
now=$(date +%s)
{
  echo "time,probe_id,celsius"
  for offset in -600 -300 60 120 180; do
    value=$([[ $offset -lt 0 ]] && echo -80.1 || echo -58.4)
    echo "$(date -u -d "@$((now + offset))" '+%Y-%m-%dT%H:%M:%SZ'),ULT-F1,$value"
  done
} >"$TMP/temperatures.csv"

# --- the browser ----------------------------------------------------------------------------
cat >"$TMP/world.json" <<JSON
{
  "paris": "http://$http_address", "lyon": "http://$lyon_http",
  "fillBox": "$fill_box", "rackBox": "$rack_box", "pickBox": "$pick_box",
  "request": "$request", "requestCode": "$request_code", "shipment": "$shipment",
  "reserved": "$reserved", "notReserved": "$not_reserved",
  "rackPicture": "$TMP/rack.png", "manifest": "$TMP/manifest.json", "labels": "$TMP/labels",
  "screenshots": "${LIMS_UI_SCREENSHOTS:-}", "failureShots": "$TMP",
  "adminPassword": "$(cat "$TMP/lims.db.admin-password")",
  "registryBad": "$TMP/registry_bad.csv", "registryGood": "$TMP/registry_good.csv",
  "temperatures": "$TMP/temperatures.csv",
  "canister": "$canister", "coi": "$coi", "otherCoi": "$other_coi"
}
JSON
node "$HERE/bench_flows.mjs" "$TMP/world.json" || fail "the browser flows (above)"
node "$HERE/role_flows.mjs" "$TMP/world.json" || fail "the other roles' flows (above)"

# What the browser did is what the LIMS recorded.
expect 0 lims --json box show "$fill_box"
python3 - "$TMP/out" <<'PY' || fail "the box filled in the browser"
import json, sys
slots = {s["position"]: s["barcode"] for s in json.load(open(sys.argv[1]))["slots"]}
assert slots == {"A1": "4000000001", "A2": "4000000002", "C5": "4000000003"}, slots
PY
expect 0 lims --json history 4000000002
grep -q '"actor": "tech"' "$TMP/out" || { cat "$TMP/out" >&2; fail "placed by tech"; }
ok "the LIMS holds what the browser did, each change audited under the technician's name"
echo "1..$passed"
