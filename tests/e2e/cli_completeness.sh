#!/usr/bin/env bash
# End-to-end: `lims completeness` (table, --json, --svg) and `lims due` against a real
# lims-server (temporary SQLite database, free loopback port, private XDG_CONFIG_HOME).
#
#   tests/e2e/cli_completeness.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_completeness.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_completeness.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" completeness
expect 0 lims login --token-file "$TMP/lims.db.admin-token"

cat >"$TMP/protocol.json" <<'JSON'
{"code": "CMPL", "name": "Completeness e2e",
 "timepoints": [
  {"code": "BASELINE", "offset_days": -14, "window_before_days": 14,
   "expected_samples": [{"sample_type": "SER", "count": 1}]},
  {"code": "D0", "expected_samples": [{"sample_type": "SER", "count": 2}]},
  {"code": "M3", "offset_days": 90, "window_before_days": 14, "window_after_days": 14,
   "expected_samples": [{"sample_type": "SER", "count": 1}]},
  {"code": "M12", "offset_days": 365, "window_before_days": 30, "window_after_days": 30}
 ]}
JSON
expect 0 lims site create PSL Paris Saint-Louis
expect 0 lims site create LYO Lyon
expect 0 lims protocol import "$TMP/protocol.json"
enroll() {  # REGISTRY_ID SITE ANCHOR → prints the enrollment id
  expect 0 lims patient create "$1" --site "$2"
  expect 0 lims --json enroll "$1" CMPL --anchor "$3"
  python3 -c 'import json,sys; print(json.load(sys.stdin)["enrollment"]["id"])' <"$TMP/out"
}
e1=$(enroll MATHEC-0001 PSL 2026-01-15)
enroll MATHEC-0002 PSL 2026-02-01 >/dev/null
enroll LYO-0003 LYO 2026-01-15 >/dev/null
expect 0 lims collect "$e1" BASELINE SER 4mL --at 2025-12-30T09:00Z
expect 0 lims --json collect "$e1" D0 SER 4mL --at 2026-01-15T09:00Z
d0=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sample"]["barcode"])' <"$TMP/out")
expect 0 lims sample derive "$d0" SER 3 500uL
ok "a protocol, three enrollments, samples and aliquots"

# What the matrix's D0 cell of MATHEC-0001 opens: the tube and its three aliquots.
expect 0 lims sample list --patient MATHEC-0001 --protocol CMPL --timepoint D0
grep -q "$d0" "$TMP/out" || fail "sample list shows the D0 tube: $(cat "$TMP/out")"
[ "$(grep -c "D0 " "$TMP/out")" -eq 4 ] || fail "four D0 tubes: $(cat "$TMP/out")"
expect 0 lims --json sample list --patient MATHEC-0001 --protocol CMPL
python3 -c 'import json,sys; s=json.load(sys.stdin)["samples"]; assert len(s) == 5, s' <"$TMP/out" ||
  fail "every timepoint: five tubes"
expect 4 lims sample list --patient MATHEC-0001 --protocol CMPL --timepoint M99
grep -q "BASELINE, D0, M3, M12" "$TMP/err" || fail "an unknown timepoint names the ones there are"
ok "sample list: one enrollment's tubes, by timepoint"

expect 0 lims completeness CMPL --as-of 2026-05-01
out=$(cat "$TMP/out")
grep -q "Completeness of CMPL as of 2026-05-01" <<<"$out" || fail "title with the date: $out"
grep -Eq "MATHEC-0001 +PSL +C 1/1 +P 1/2 +O 0/1 +- 0/1" <<<"$out" || fail "row 1: $out"
grep -Eq "MATHEC-0002 +PSL +O 0/1 +O 0/2 +D 0/1 +- 0/1" <<<"$out" || fail "row 2: $out"
grep -q "LYO-0003" <<<"$out" || fail "all sites for the admin"
grep -q "C complete" <<<"$out" && grep -q "not yet due" <<<"$out" || fail "legend: $out"
ok "completeness prints the matrix with marks, collected/expected and a legend"

expect 0 lims completeness CMPL --site PSL --as-of 2026-05-01
grep -q "LYO-0003" "$TMP/out" && fail "--site PSL leaves LYO out"
expect 0 lims --json completeness CMPL --as-of 2026-05-01
python3 - "$TMP/out" <<'PY' || fail "--json: three rows, four cells each"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["timepoint_codes"] == ["BASELINE", "D0", "M3", "M12"], m
assert len(m["rows"]) == 3 and all(len(r["cells"]) == 4 for r in m["rows"]), m
assert m["rows"][0]["cells"][1]["status"] == "COMPLETENESS_STATUS_PARTIAL", m
PY
ok "--site filters rows; --json answers the whole matrix"

expect 0 lims completeness CMPL --as-of 2026-05-01 --svg "$TMP/matrix.svg"
grep -q "matrix.svg" "$TMP/out" || fail "says where the SVG went"
python3 - "$TMP/matrix.svg" <<'PY' || fail "the SVG is well-formed with every colour and a legend"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
fills = {r.get("fill") for r in root.iter(ns + "rect")}
for colour in ("#2e9d4f", "#f2a81d", "#2f6fd6", "#d64545", "#cfcfcf"):
    assert colour in fills, (colour, fills)
texts = " ".join(t.text or "" for t in root.iter(ns + "text"))
for word in ("MATHEC-0001", "LYO-0003", "BASELINE", "M12", "2026-05-01", "overdue", "partial",
             "not yet due", "1/2"):
    assert word in texts, word
PY
ok "--svg writes a coloured grid (rows, columns, legend, date)"

rc=0
lims completeness CMPL --as-of 2026-05-01 --png "$TMP/matrix.png" >"$TMP/out" 2>"$TMP/err" || rc=$?
if [[ $rc == 2 ]] && grep -q "without cairo" "$TMP/err"; then
  ok "# SKIP --png: this lims was built without cairo"
else
  [[ $rc == 0 ]] || fail "--png exited with $rc: $(cat "$TMP/err")"
  python3 - "$TMP/matrix.png" <<'PY' || fail "--png writes a PNG with the grid's colours"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert width > 600 and height > 150, (width, height)
# Decode the image rows (8-bit RGB or RGBA, filters undone) and look for the status colours.
pos, idat, depth, ctype = 8, b"", data[24], data[25]
while pos < len(data):
    n = struct.unpack(">I", data[pos:pos + 4])[0]
    kind = data[pos + 4:pos + 8]
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}[ctype]
stride = width * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
seen = {bytes(r[x:x + 3]) for r in rows for x in range(0, stride, bpp)}
for hex_colour in ("2e9d4f", "f2a81d", "2f6fd6", "d64545", "cfcfcf"):
    rgb = bytes.fromhex(hex_colour)
    # cairo stores native-endian BGRX; the PNG writer converts to RGB.
    assert rgb in seen, hex_colour
PY
  ok "--png writes the same grid as a PNG (cairo)"
fi

expect 0 lims due --site PSL --from 2026-04-27 --to 2026-05-03 --as-of 2026-05-01
grep -Eq "2026-04-15 .*MATHEC-0001 +CMPL +M3 +overdue" "$TMP/out" || fail "due: $(cat "$TMP/out")"
grep -Eq "2026-05-02 .*MATHEC-0002 +CMPL +M3 +due" "$TMP/out" || fail "due: $(cat "$TMP/out")"
expect 2 lims due --site PSL --from 2026-04-31 --to 2026-05-03
expect 4 lims due --site PSL --from 2026-05-03 --to 2026-04-27
ok "due lists the week's timepoints; bad dates exit with 2, a reversed range with 4"

expect 0 lims --json user create coord.lyo --role coordinator --site LYO
python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$TMP/out" >"$TMP/lyo.token"
expect 0 env LIMS_TOKEN="$(cat "$TMP/lyo.token")" "$LIMS_BIN" --server "$address" \
  completeness CMPL --as-of 2026-05-01
grep -q "MATHEC" "$TMP/out" && fail "a LYO coordinator sees no PSL rows"
grep -q "LYO-0003" "$TMP/out" || fail "a LYO coordinator sees LYO rows"
expect 10 env LIMS_TOKEN="$(cat "$TMP/lyo.token")" "$LIMS_BIN" --server "$address" \
  due --site PSL --from 2026-04-27 --to 2026-05-03
ok "site scoping: other sites' rows left out, another site's due list refused (10)"

echo "1..$passed"
