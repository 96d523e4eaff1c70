#!/usr/bin/env bash
# End-to-end: lims import samples — an OpenSpecimen-style export (its column names, a type
# written as a name, a parent before its aliquots, box labels and wells) checked with --dry-run,
# loaded, then found by lims resolve; a file with wrong lines exits 4 listing each line and
# changes nothing.
#   tests/e2e/cli_import.sh LIMS_SERVER_BIN LIMS_BIN
set -euo pipefail
SERVER_BIN=$1
LIMS_BIN=$2
# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" import

seed_enrollment
make_box LEGACY-1
cat >"$TMP/export.csv" <<CSV
Specimen Label,Parent Specimen Label,PPID,Site,Collection Protocol,Registration Date,Event Label,Specimen Type,Initial Quantity,Collection Date,Container,Position
OS-0001,,MATHEC-0042,PSL,CART-SLE,,M3,Serum,2 mL,2026-04-16 09:30,,
OS-0002,OS-0001,MATHEC-0042,PSL,CART-SLE,,M3,Serum,0.5 mL,2026-04-16 09:30,BOX-$box,A1
OS-0003,OS-0001,MATHEC-0042,PSL,CART-SLE,,M3,Serum,0.5 mL,2026-04-16 09:30,BOX-$box,A2
"OS-0004",,MATHEC-0777,PSL,CART-SLE,2026-02-02,M3,Whole Blood,9 mL,2026-05-05T08:00,$box,B1
CSV
expect 0 lims import samples "$TMP/export.csv" --dry-run --time-zone Europe/Paris
grep -q "Dry run" "$TMP/out" || fail "the dry run does not say so: $(cat "$TMP/out")"
expect 3 lims resolve OS-0001
ok "--dry-run checks and counts, creates nothing"

expect 0 lims --json import samples "$TMP/export.csv" --time-zone Europe/Paris
summary=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["rows_accepted"], r["patients_created"], r["primary_tubes_created"], r["derived_tubes_created"], r["tubes_placed"])' <"$TMP/out")
[[ $summary == "4 1 2 2 3" ]] || fail "import summary: $summary"
expect 0 lims --json resolve OS-0003
python3 - "$TMP/out" <<'PY' || fail "OS-0003 as resolved: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["sample"]["parent_barcode"] == "OS-0001", r
assert r["sample"]["status"] == "SAMPLE_STATUS_STORED", r
assert r["location"]["position"] == "A2", r
assert r["sample"]["collected_at"] == "2026-04-16T07:30:00Z", r  # 09:30 in Paris
PY
expect 0 lims --json resolve OS-0004
grep -q '"patient_registry_id": "MATHEC-0777"' "$TMP/out" || fail "OS-0004's patient: $(cat "$TMP/out")"
ok "loaded: 4 tubes, a new patient enrolled, parents linked, wells taken, Paris times"

cat >"$TMP/wrong.csv" <<CSV
barcode,parent_barcode,registry_id,site_code,protocol_code,anchor_date,timepoint_code,sample_type,quantity,collected_at,box,position
NEW-1,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,BOX-$box,A1
NEW-2,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,16/04/2026 09:30,,
OS-0001,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,
CSV
expect 4 lims import samples "$TMP/wrong.csv"
grep -q "^line 2: box BOX-$box position A1 holds OS-0002" "$TMP/out" || fail "line 2: $(cat "$TMP/out")"
grep -q "^line 4: barcode OS-0001 is already registered" "$TMP/out" || fail "line 4: $(cat "$TMP/out")"
grep -q "nothing was changed" "$TMP/out" || fail "no word that nothing changed"
expect 3 lims resolve NEW-2
ok "a file with wrong lines exits 4, names each line, and loads nothing (not even its good lines)"
echo "1..$passed"
