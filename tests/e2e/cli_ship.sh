#!/usr/bin/env bash
# End-to-end: `lims ship` between two independent lims-servers (two SQLite databases): Paris
# packs, dispatches and exports (JSON, CSV, PDF packing list); Lyon refuses a tampered manifest,
# imports the real one, receives tube by tube, and closes once every discrepancy is resolved.
#
#   tests/e2e/cli_ship.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_ship.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_ship.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/e2e/cli_harness.sh
source "$HERE/cli_harness.sh" ship

# The second installation, on its own database.
env -u LIMS_LISTEN -u LIMS_DB "$SERVER_BIN" --listen 127.0.0.1:0 --db "sqlite:$TMP/lyon.db" \
  >"$TMP/lyon.log" 2>&1 &
lyon_pid=$!
trap 'rc=$?; kill "$lyon_pid" 2>/dev/null || true; wait "$lyon_pid" 2>/dev/null || true; (exit $rc); cleanup' EXIT
lyon_address=
for _ in $(seq 200); do
  port=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/lyon.log" | head -n 1)
  [[ -n $port ]] && lyon_address=127.0.0.1:$port && break
  sleep 0.05
done
[[ -n $lyon_address ]] || fail "the second lims-server did not start"
for _ in $(seq 200); do
  [[ -s $TMP/lyon.db.admin-token ]] && break
  sleep 0.05
done
lyon() { LIMS_TOKEN=$(cat "$TMP/lyon.db.admin-token") "$LIMS_BIN" --server "$lyon_address" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }

seed_enrollment
tubes=(2000000001 2000000002 2000000003)
for t in "${tubes[@]}" 2000000009; do
  expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$t"
done
make_box B-1
for i in 0 1 2; do expect 0 lims place "${tubes[$i]}" "$box" "A$((i + 1))"; done

expect 0 lims --json ship create --from PSL --to "Lyon Sud biobank" --packaging dry-ice \
  --courier "World Courier" --tracking WC-1 --logger LOG-7
shipment=$(json '["shipment"]["id"]')
expect 5 lims ship add "$shipment" "${tubes[0]}" 2000000009
grep -q "2000000009 is COLLECTED" "$TMP/err" || { cat "$TMP/err" >&2; fail "refused tube named"; }
expect 0 lims ship add "$shipment" --box "$box"
grep -q "Added 3 tubes" "$TMP/out" || { cat "$TMP/out" >&2; fail "add box"; }
expect 0 lims ship dispatch "$shipment"
grep -q "DISPATCHED, 3 tubes" "$TMP/out" || { cat "$TMP/out" >&2; fail "dispatch"; }
expect 0 lims ship export "$shipment" --json "$TMP/manifest.json" --csv "$TMP/manifest.csv" \
  --pdf "$TMP/packing.pdf"
[[ $(wc -l <"$TMP/manifest.csv") == 4 ]] || fail "one CSV line per tube"
grep -q "^${tubes[2]},SER,1 mL,MATHEC-0042,CART-SLE,M3,B-1,A3$" "$TMP/manifest.csv" || { cat "$TMP/manifest.csv" >&2; fail "csv line"; }
[[ $(head -c 5 "$TMP/packing.pdf") == "%PDF-" ]] || fail "packing list is a PDF"
ok "lims ship create, add (a refused tube named, exit 5), dispatch, export JSON + CSV + PDF"

expect 0 lyon site create LYO Lyon Sud
# Lyon does not know Paris's key yet: refused, saying whose key it is.
expect 0 lims --json trust show
paris_key=$(json '["public_key"]')
paris_fingerprint=$(json '["fingerprint"]')
expect 4 lyon ship import "$TMP/manifest.json" --site LYO
grep -q "signed by an unknown key (fingerprint $paris_fingerprint, it says it comes from PSL)" \
  "$TMP/err" || { cat "$TMP/err" >&2; fail "unknown signer"; }
expect 0 lyon trust add PSL "$paris_key" --reason "fingerprint read over the phone with Paris"
expect 0 lyon trust list
grep -q "PSL .*$paris_fingerprint .*trusted" "$TMP/out" || { cat "$TMP/out" >&2; fail "trust list"; }
python3 - "$TMP/manifest.json" "$TMP/tampered.json" "$TMP/resealed.json" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
m["tubes"][0]["freeze_thaw_count"] += 1
json.dump(m, open(sys.argv[2], "w"))
# The forger's way: commercial use granted, the digest recomputed over the sorted keys.
m = json.load(open(sys.argv[1]))
m["patients"][0]["consent"].append({"scope": "commercial", "since": "2026-01-10"})
signature = m.pop("signature")
m.pop("digest")
m["digest"] = hashlib.sha256(json.dumps(m, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
m["signature"] = signature
json.dump(m, open(sys.argv[3], "w"))
PY
expect 4 lyon ship import "$TMP/tampered.json" --site LYO
grep -q "does not match its digest" "$TMP/err" || { cat "$TMP/err" >&2; fail "tampering"; }
expect 4 lyon ship import "$TMP/resealed.json" --site LYO
grep -q "signature does not match its content" "$TMP/err" || { cat "$TMP/err" >&2; fail "resealed"; }
expect 0 lyon --json ship import "$TMP/manifest.json" --site LYO
incoming=$(json '["shipment"]["id"]')
[[ $(json '["signer_fingerprint"]') == "$paris_fingerprint" ]] || fail "import names its signer"
expect 6 lyon ship import "$TMP/manifest.json" --site LYO
expect 0 lyon resolve "${tubes[0]}"
grep -q "MATHEC-0042" "$TMP/out" && grep -q "M3" "$TMP/out" || { cat "$TMP/out" >&2; fail "receiver knows the tube"; }
ok "the second installation refuses an unknown signer, a tampered and a resealed manifest (exit 4), trusts the key (lims trust add), imports the real one once (exit 6 again)"

expect 0 lyon ship receive "$incoming" "${tubes[0]}" "${tubes[1]}:thawed"
grep -q "PARTLY_RECEIVED" "$TMP/out" || { cat "$TMP/out" >&2; fail "partial receipt"; }
printf '%s\n' "${tubes[0]}" | expect 0 lyon ship receive "$incoming"
grep -q "${tubes[0]}: received before, unchanged" "$TMP/out" || { cat "$TMP/out" >&2; fail "second scan"; }
expect 5 lyon ship close "$incoming"
grep -q "${tubes[2]} (missing)" "$TMP/err" && grep -q "${tubes[1]} (thawed)" "$TMP/err" || { cat "$TMP/err" >&2; fail "close refused"; }
expect 0 lyon ship resolve "$incoming" "${tubes[2]}" --reason "not in the box; sender informed"
expect 0 lyon ship resolve "$incoming" "${tubes[1]}" --reason "dry ice ran out; logger shows -20 C"
expect 0 lyon ship close "$incoming"
grep -q "CLOSED" "$TMP/out" || { cat "$TMP/out" >&2; fail "closed"; }
expect 0 lyon --json history "${tubes[1]}"
grep -q '"sample.receive"' "$TMP/out" || { cat "$TMP/out" >&2; fail "receipt audited"; }
ok "lims ship receive (partial, repeated), close refused until resolved (exit 5), then closed"

echo "1..$passed"
