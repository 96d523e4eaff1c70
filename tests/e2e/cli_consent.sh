#!/usr/bin/env bash
# End-to-end: `lims consent record|withdraw|show` and the consent line of `lims resolve`, against
# a real lims-server (temporary SQLite database, free loopback port, private XDG_CONFIG_HOME).
#
#   tests/e2e/cli_consent.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_consent.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_consent.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" consent
expect 0 lims login --token-file "$TMP/lims.db.admin-token"
today=$(date -u +%F)
expect 0 lims site create PSL Paris Saint-Louis
expect 0 lims site create LYO Lyon
expect 0 lims patient create MATHEC-0042 --site PSL
cat >"$TMP/protocol.json" <<'JSON'
{"code": "CONS", "name": "Consent e2e",
 "timepoints": [{"code": "D0", "expected_samples": [{"sample_type": "SER", "count": 1}]}]}
JSON
expect 0 lims protocol import "$TMP/protocol.json"
expect 0 lims --json enroll MATHEC-0042 CONS --anchor 2026-01-15
enrollment=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["enrollment"]["id"])' <"$TMP/out")
expect 0 lims --json collect "$enrollment" D0 SER 4mL --at 2026-01-15T09:00
tube=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sample"]["barcode"])' <"$TMP/out")

expect 0 lims resolve "$tube"
grep -q "Consent.*none recorded" "$TMP/out" || fail "resolve shows no consent yet"
ok "resolve before any consent"

expect 0 lims consent record MATHEC-0042 --scopes storage,research,genetic --signed 2026-01-10 --version v2.1
grep -q "Granted.*storage, research, genetic" "$TMP/out" || { cat "$TMP/out" >&2; fail "record"; }
ok "consent record"

expect 0 lims resolve "$tube"
grep -q "Consent.*storage, research, genetic" "$TMP/out" || { cat "$TMP/out" >&2; fail "resolve"; }
ok "resolve shows the granted scopes"

expect 0 lims consent withdraw MATHEC-0042 --scopes genetic --on 2026-02-01 --reason "no sequencing"
grep -q "Withdrawn.*genetic" "$TMP/out" || { cat "$TMP/out" >&2; fail "partial withdrawal"; }
expect 0 lims resolve "$tube"
grep -q "Consent.*storage, research (some scopes withdrawn)" "$TMP/out" || { cat "$TMP/out" >&2; fail "resolve after partial"; }
ok "partial withdrawal"

expect 2 lims consent withdraw MATHEC-0042 --on 2026-03-01
expect 2 lims consent withdraw MATHEC-0042 --on 2026-03-01 --reason " "
expect 2 lims consent record MATHEC-0042 --scopes storage,genomic --signed 2026-01-10 --version v1
expect 2 lims consent record MATHEC-0042 --scopes storage --signed 10/01/2026 --version v1
expect 4 lims consent record MATHEC-0042 --scopes storage --signed 2999-01-01 --version v1
expect 5 lims consent withdraw MATHEC-0042 --scopes commercial --on 2026-03-01 --reason x
ok "bad input refused (exit 2, 4, 5)"

expect 0 lims --json user create tech.lyo --role technician --site LYO
python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$TMP/out" >"$TMP/lyo.token"
chmod 600 "$TMP/lyo.token"
expect 10 lims --token-file "$TMP/lyo.token" consent show 1
ok "another site's technician is refused (exit 10)"

expect 0 lims consent withdraw MATHEC-0042 --on "$today" --reason "left the study"
expect 0 lims --json consent show MATHEC-0042
python3 - "$TMP/out" <<'PY' || fail "consent show --json"
import json, sys
c = json.load(open(sys.argv[1]))["consent"]
assert c["granted"] == [], c["granted"]
assert len(c["history"]) == 6, len(c["history"])
assert [e["withdrawn"] for e in c["history"]] == [False] * 3 + [True] * 3
assert c["history"][3]["reason"] == "no sequencing"
PY
expect 0 lims resolve "$tube"
grep -q "Consent.*WITHDRAWN" "$TMP/out" || { cat "$TMP/out" >&2; fail "resolve after full withdrawal"; }
expect 0 lims consent show MATHEC-0042
grep -q "left the study" "$TMP/out" || fail "history table shows the reason"
expect 0 lims consent show MATHEC-0042 --as-of 2026-01-20
grep -q "Granted.*storage, research, genetic" "$TMP/out" || { cat "$TMP/out" >&2; fail "--as-of"; }
ok "full withdrawal keeps the history"

echo "1..$passed"
