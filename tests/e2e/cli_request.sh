#!/usr/bin/env bash
# End-to-end: `lims request` from criteria to picked tubes: a researcher previews and submits,
# cannot approve (exit 10); a manager approves; the researcher sees request codes only; the bench
# gets the pick list box by box and picks by scanning, a wrong tube refused (exit 5); the manager
# prints research labels and ships the picked tubes; labels and the dispatched manifest name them
# by request code only.
#
#   tests/e2e/cli_request.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_request.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_request.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/e2e/cli_harness.sh
source "$HERE/cli_harness.sh" request

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }
as() { local who=$1; shift; env LIMS_TOKEN="$(cat "$TMP/$who.token")" "$LIMS_BIN" --server "$address" "$@"; }

seed_enrollment
expect 0 lims consent record MATHEC-0042 --scopes storage,research --signed 2026-01-10 --version v2
tubes=(3000000001 3000000002 3000000003)
for t in "${tubes[@]}"; do
  expect 0 lims collect "$enrollment" M3 SER 500uL --at 2026-04-16T09:30 --barcode "$t"
done
make_box B-1
for i in 0 1 2; do expect 0 lims place "${tubes[$i]}" "$box" "C$((i + 1))"; done
for who in researcher:researcher manager:manager tech:technician; do
  expect 0 lims --json user create "${who%%:*}" --role "${who##*:}" --site PSL
  json '["token"]' >"$TMP/${who%%:*}.token"
done

expect 0 as researcher request preview --protocol CART-SLE --timepoint M3 --type SER
grep -q "2 tubes of 1 patients" "$TMP/out" || { cat "$TMP/out" >&2; fail "preview"; }
expect 0 as researcher --json request submit --title "IL-6 panel" --ethics CPP-2026-118 \
  --protocol CART-SLE --timepoint M3 --type SER --min 200uL
request=$(json '["sample_request"]["id"]')
code=$(json '["sample_request"]["code"]')
expect 10 as researcher request approve "$request" --reason "self-approval"
expect 0 as manager request approve "$request" --reason "ethics approval on file"
grep -q "2 tubes reserved" "$TMP/out" || { cat "$TMP/out" >&2; fail "approve"; }
expect 0 as researcher request show "$request"
grep -q "$code-S00" "$TMP/out" && grep -q "$code-P01" "$TMP/out" || { cat "$TMP/out" >&2; fail "codes"; }
for t in "${tubes[@]}"; do grep -q "$t" "$TMP/out" && fail "the researcher sees barcode $t"; done
grep -q MATHEC "$TMP/out" && fail "the researcher sees the registry id"
ok "lims request preview, submit, approve (researcher refused, exit 10), show under request codes only"

expect 0 as tech --json request picklist "$request"
mapfile -t picks < <(python3 -c 'import json,sys; [print(i["barcode"]) for i in json.load(sys.stdin)["items"]]' <"$TMP/out")
[[ ${#picks[@]} == 2 ]] || fail "two tubes to pick"
expect 5 as tech request pick "$request" 9999999999
grep -q "next on the list: ${picks[0]}" "$TMP/err" || { cat "$TMP/err" >&2; fail "wrong tube"; }
printf '%s\n' "${picks[@]}" | expect 0 as tech request pick "$request"
grep -q "0 to go" "$TMP/out" || { cat "$TMP/out" >&2; fail "picked"; }
expect 0 as researcher request show "$request"
grep -q "PICKED" "$TMP/out" || { cat "$TMP/out" >&2; fail "request picked"; }
ok "lims request picklist and pick by scanning (a wrong tube names the expected one, exit 5)"

mkdir -p "$TMP/spool"
expect 0 lims printer register spool-1 "file://$TMP/spool" --dpi 203
expect 0 as tech label print --request "$request" --printer spool-1
labels=$(find "$TMP/spool" -name 'lims-*.zpl')
[[ $(grep -o '\^XA' $labels | wc -l) == 2 ]] || fail "two research labels"
grep -q "\^FD$code-S00" $labels || fail "the research labels carry the request codes"
for t in "${tubes[@]}"; do grep -q "$t" $labels && fail "a research label carries barcode $t"; done
grep -q MATHEC $labels && fail "a research label carries the registry id"
expect 0 as tech label preview --request-tube "$code-S001" --png "$TMP/research-label.png"
expect 0 lims decode "$TMP/research-label.png"
grep -q "$code-S001" "$TMP/out" || { cat "$TMP/out" >&2; fail "the research label's DataMatrix"; }
ok "lims label print --request and preview --request-tube: research labels under request codes only"

expect 10 as researcher request ship "$request" --to "Immunology lab, Paris" --packaging dry-ice
expect 0 as manager --json request ship "$request" --to "Immunology lab, Paris" --packaging dry-ice
shipment=$(json '["shipments"][0]["id"]')
[[ $(json '["sample_request"]["status"]') == SAMPLE_REQUEST_STATUS_PACKED ]] || fail "request packed"
expect 0 as manager ship dispatch "$shipment"
expect 0 as manager ship export "$shipment" --json "$TMP/research.json" --csv "$TMP/research.csv" --pdf "$TMP/research.pdf"
head -n 1 "$TMP/research.csv" | grep -q "^request_code,patient_code" || { cat "$TMP/research.csv" >&2; fail "csv"; }
grep -q "$code-S00" "$TMP/research.json" && pdftotext "$TMP/research.pdf" - | grep -q "$code-S00" || fail "the manifest and packing list name the request codes"
for t in "${tubes[@]}"; do grep -q "$t" "$TMP/research.json" "$TMP/research.csv" && fail "the manifest names barcode $t"; done
grep -q MATHEC "$TMP/research.json" "$TMP/research.csv" && fail "the manifest names the registry id"
expect 0 as researcher request show "$request"
grep -q "SHIPPED" "$TMP/out" || { cat "$TMP/out" >&2; fail "request shipped"; }
ok "lims request ship (researcher refused), dispatched manifest under request codes only"

echo "1..$passed"
