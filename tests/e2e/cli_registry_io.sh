#!/usr/bin/env bash
# End-to-end: `lims registry import FILE.csv [--dry-run]` and `lims export fhir`, against a real
# lims-server (temporary SQLite database, free loopback port, private XDG_CONFIG_HOME).
#
#   tests/e2e/cli_registry_io.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_registry_io.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_registry_io.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" registry-io
expect 0 lims login --token-file "$TMP/lims.db.admin-token"
expect 0 lims site create PSL Paris Saint-Louis
cat >"$TMP/protocol.json" <<'JSON'
{"code": "CART-SLE", "name": "Registry e2e",
 "timepoints": [{"code": "D0", "expected_samples": [{"sample_type": "SER", "count": 1}]}]}
JSON
expect 0 lims protocol import "$TMP/protocol.json"

# A file with errors: every one printed as "line N: message", nothing changed, exit 4.
printf '\xef\xbb\xbfregistry_id,site_code,protocol_code,anchor_date,note\r\nR-1,PSL,CART-SLE,2026-01-15,"first, ok"\r\nR-2,PSL,NOPE,2026-01-15,x\r\nR-3,XYZ,CART-SLE,2026-02-30,"two\r\nlines"\r\nR-1,PSL,CART-SLE,2026-01-16,dup\r\n' \
  >"$TMP/bad.csv"
expect 4 lims registry import "$TMP/bad.csv"
grep -q "^line 3: unknown protocol 'NOPE'" "$TMP/out" || fail "no error for line 3: $(cat "$TMP/out")"
grep -q "^line 4: unknown site 'XYZ'" "$TMP/out" || fail "no site error for line 4"
grep -q "^line 4: anchor_date '2026-02-30'" "$TMP/out" || fail "no date error for line 4"
grep -q "^line 6: duplicate row.*line 2" "$TMP/out" || fail "no duplicate error for line 6"
grep -q "nothing was changed" "$TMP/out" || fail "the summary does not say nothing changed"
expect 3 lims patient show R-1
ok "a file with errors: each on its line, nothing imported, exit 4"

printf 'anchor_date,registry_id,protocol_code,site_code\n2026-01-15,R-1,CART-SLE,PSL\n2026-01-20,R-2,CART-SLE,PSL\n' \
  >"$TMP/good.csv"
expect 0 lims registry import "$TMP/good.csv" --dry-run
grep -q "Dry run" "$TMP/out" || fail "dry run not announced"
grep -q "patients created: *2" "$TMP/out" || fail "dry run counts: $(cat "$TMP/out")"
expect 3 lims patient show R-1
expect 0 lims registry import "$TMP/good.csv"
grep -q "enrollments created: *2" "$TMP/out" || fail "import counts: $(cat "$TMP/out")"
expect 0 lims patient show R-2
grep -q "2026-01-20" "$TMP/out" || fail "R-2's anchor date: $(cat "$TMP/out")"
ok "dry run counts and changes nothing; the import creates patients and enrollments"

sed -i 's/2026-01-20/2026-01-27/' "$TMP/good.csv"
expect 0 lims --json registry import "$TMP/good.csv"
python3 - "$TMP/out" <<'PY' || fail "re-import JSON: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["enrollments_updated"] == 1 and r["patients_created"] == 0 and r["rows_accepted"] == 2, r
PY
ok "a re-import moves the changed anchor date (--json)"

expect 0 lims --json enrollment list --protocol CART-SLE
enrollment=$(python3 -c 'import json,sys; print([e for e in json.load(sys.stdin)["enrollments"] if e["patient_registry_id"] == "R-1"][0]["id"])' <"$TMP/out")
expect 0 lims collect "$enrollment" D0 SER 4mL --at 2026-01-15T09:00
expect 0 lims export fhir --protocol CART-SLE --out "$TMP/bundle.json"
python3 - "$TMP/bundle.json" <<'PY' || fail "bundle: $(head -c 400 "$TMP/bundle.json")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["resourceType"] == "Bundle" and b["type"] == "collection", b
(entry,) = b["entry"]
s = entry["resource"]
assert s["subject"] == {"identifier": {"system": "urn:lims:registry-id", "value": "R-1"}}, s
assert s["collection"]["collectedDateTime"] == "2026-01-15T09:00:00Z", s
PY
expect 0 lims export fhir --site PSL
python3 -c 'import json,sys; assert len(json.load(sys.stdin)["entry"]) == 1' <"$TMP/out" || fail "stdout export"
ok "lims export fhir writes the bundle to --out or stdout"
