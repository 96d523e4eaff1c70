#!/usr/bin/env bash
# End-to-end: a CAR-T therapy through the CLI (`lims product ...`) against a real lims-server
# (temporary SQLite database, free loopback port): the apheresis registered by its printed DIN
# and shipped, the bag made from it registered and received against its papers (a wrong COI
# refused), stored in a slot of an LN2 canister, thawed, issued for infusion (the wrong patient
# refused), confirmed by a second person (not the issuer), infused, and the chain of identity.
#
#   tests/e2e/cli_products.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_products.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_products.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" products
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }

seed_enrollment
expect 0 lims --json patient show MATHEC-0042
patient=$(json '["patient"]["id"]')
make_box B-1
freezer=$(json '["unit"]["parent_id"]')
expect 0 lims --json storage create canister C-1 --parent "$freezer" --slots 6
canister=$(json '["unit"]["id"]')
ok "an LN2 canister with 6 numbered slots"

expect 0 lims --json product register apheresis "G1234 98 654321 H" --patient "$patient" --enrollment "$enrollment" --code E0713V00 --volume 250mL
coi=$(json '["coi"]')
[[ $coi == COI-PSL-000001-* ]] || fail "the COI: $coi"
expect 4 lims product register apheresis "G1234 98 654321 J" --patient "$patient" --enrollment "$enrollment"
grep -q "mistyped" "$TMP/err" || fail "a mistyped DIN: $(cat "$TMP/err")"
expect 6 lims product register apheresis "=G12349865432100" --patient "$patient" --enrollment "$enrollment"
expect 0 lims product ship "G123498654321" --to "CellFab Leiden"
grep -q "shipped" "$TMP/out" || fail "shipped: $(cat "$TMP/out")"
ok "the apheresis registered by its printed DIN (a mistyped one and a second registration refused), shipped"

# ISO 7064 MOD 37-2, written here from the standard.
mod37() {
  python3 -c 'import sys
a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"; p = 0
for c in sys.argv[1]: p = ((p + a.index(c)) * 2) % 37
print(a[(38 - p) % 37])' "$1"
}
# The CAR-T bag: W1234 26 000001 with its check character.
din="W123426000001"
check=$(mod37 "$din")
expect 0 lims --json product register car-t "W1234 26 000001 $check" --patient "$patient" --enrollment "$enrollment" --from "G1234 98 654321 H" --expires 2099-12-31 --timepoint M3
[[ $(json '["coi"]') == "$coi" ]] || fail "the bag carries its source's COI: $(cat "$TMP/out")"
expect 5 lims product receive "$din" --coi "COI-PSL-000002-$(mod37 COIPSL000002)"
expect 5 lims product receive "$din" --patient MATHEC-0099
grep -q "WRONG BAG" "$TMP/err" || fail "a bag of another patient received: $(cat "$TMP/err")"
expect 0 lims product receive "$din" --coi "$coi" --patient MATHEC-0042
expect 0 lims product store "$din" "$canister" --slot 2
grep -q "slot 2" "$TMP/out" || fail "stored: $(cat "$TMP/out")"
expect 0 lims product list --status stored
grep -q "W1234 26 000001" "$TMP/out" || fail "the LN2 stock: $(cat "$TMP/out")"
expect 0 lims --json product retain "$din" --type CEL --count 2 --each 0.5mL
retained=$(json '["samples"][0]["barcode"]')
expect 0 lims --json resolve "$retained"
[[ $(json '["sample"]["coi"]') == "$coi" ]] || fail "a retention tube carries the COI: $(cat "$TMP/out")"
expect 0 lims label preview --din "$din" --dpi 300 --png "$TMP/bag.png"
zbarimg -q --raw "$TMP/bag.png" 2>/dev/null | grep -qx "=${din}00" || fail "the bag label's Code 128 (zbar)"
/usr/bin/python3 - "$TMP/bag.png" "=${din}00" <<'PY' || fail "the bag label's DataMatrix (libdmtx)"
import sys
from PIL import Image
from pylibdmtx.pylibdmtx import decode
found = [d.data.decode() for d in decode(Image.open(sys.argv[1]).convert("L"), timeout=5000)]
sys.exit(0 if sys.argv[2] in found else 1)
PY
expect 0 lims product thaw "$din"
ok "the bag registered from the apheresis, received against its papers (another patient refused), stored in slot 2, listed, two retention tubes taken (with its COI), its label read back by zbar and libdmtx, thawed"

expect 5 lims product issue "$din" MATHEC-0099
grep -q "DO NOT INFUSE" "$TMP/err" || fail "the wrong patient: $(cat "$TMP/err")"
expect 0 lims --json product issue "=${din}00" MATHEC-0042
issue=$(json '["issue_id"]')
expect 5 lims product infuse "$din"
expect 10 lims product confirm "$issue"
expect 0 lims --json user create nurse.psl --role technician --site PSL
python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$TMP/out" >"$TMP/nurse.token"
expect 0 env LIMS_TOKEN="$(cat "$TMP/nurse.token")" "$LIMS_BIN" --server "$address" product confirm "$issue"
expect 0 lims product infuse "$din"
grep -q "infused" "$TMP/out" || fail "infused: $(cat "$TMP/out")"
ok "issued to the wrong patient: refused; to the right one, confirmed by a second person (not the issuer), infused"

expect 0 lims product chain --patient MATHEC-0042
for event in collected "shipped to manufacturer" registered "receipt refused" received stored thawed "issue refused" issued "issue confirmed" infused; do
  grep -q "$event" "$TMP/out" || fail "the chain lacks '$event': $(cat "$TMP/out")"
done
grep -q "nurse.psl" "$TMP/out" && grep -q "CellFab Leiden" "$TMP/out" || fail "who and where: $(cat "$TMP/out")"
expect 0 lims --json product chain --din "$din"
[[ $(json '["coi"]') == "$coi" ]] || fail "chain by DIN"
ok "the chain of identity: both materials, every event with who, where and why"
