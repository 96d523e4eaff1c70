#!/usr/bin/env bash
# The rack reader on pictures from a generator written independently of it and of the
# project's own generator (tests/tools/rack_scene.py: PIL, libdmtx's encoder, perspective,
# uneven light, glare, light codes on dark tubes, dot-like modules, empty edge rows), drawn
# with fresh seeds at pitches from 50 to 300 px, every turn, skew up to 8 degrees, both views.
#
# Asserts the rule that never bends on every picture: no code in a wrong well (lims-rack-check
# --strict); and that the share of codes read stays above a floor pinned below what the reader
# reaches (a drop is a regression). Refused pictures are misses: printed, counted, never wrong.
# Empty wells called tubes are counted and printed (not yet zero on these pictures: see
# docs/benchmarks-racks.md).
#
#   tests/scanning/independent_racks.sh BUILD_DIR
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:?usage: independent_racks.sh BUILD_DIR}
CHECK=$BUILD/tests/support/lims-rack-check
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "independent_racks: FAIL: $*" >&2; exit 1; }

# Three batches: clean and medium pictures at any pitch; hard ones; special looks.
scene() { /usr/bin/python3 "$ROOT/tests/tools/rack_scene.py" "$@"; }
scene --batch 8 --out-dir "$TMP/a" --seed 101 --pitch-range 50 300 --max-skew 8 --difficulty clean
scene --batch 8 --out-dir "$TMP/b" --seed 202 --pitch-range 60 220 --max-skew 8 --difficulty medium
scene --batch 4 --out-dir "$TMP/c" --seed 303 --pitch-range 90 160 --max-skew 5 --difficulty hard
scene --batch 2 --out-dir "$TMP/d" --seed 404 --pitch-range 100 140 --light-on-dark
scene --batch 2 --out-dir "$TMP/e" --seed 505 --pitch-range 100 140 --dots
scene --batch 2 --out-dir "$TMP/f" --seed 606 --pitch-range 100 140 --empty-edge last-column

"$CHECK" --strict "$TMP"/*/*.png >"$TMP/results.jsonl" ||
  { cat "$TMP/results.jsonl" >&2; fail "a code in a wrong well"; }
/usr/bin/python3 - "$TMP/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
present = sum(r.get("present", 0) for r in rows)
read = sum(r.get("read", 0) for r in rows)
refused = [r for r in rows if "refused" in r]
empty_as_tube = sum(r.get("empty_as_tube", 0) for r in rows)
for r in refused:
    print(f"independent_racks: refused {r['picture']}: {r['refused']}", file=sys.stderr)
share = read / max(present, 1)
print(f"independent_racks: {len(rows)} pictures, {read} of {present} codes read ({100 * share:.1f}%), "
      f"{len(refused)} refused, 0 wrong wells, {empty_as_tube} empty wells called tubes")
FLOOR = 0.35  # pinned below the reader as built; see docs/benchmarks-racks.md
if share < FLOOR:
    sys.exit(f"independent_racks: FAIL: read {100 * share:.1f}% < floor {100 * FLOOR:.0f}%")
PY
