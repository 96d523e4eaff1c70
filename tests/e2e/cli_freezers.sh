#!/usr/bin/env bash
# End-to-end: a freezer's alarms and probe (`lims storage update`), a monitoring system's CSV log
# (`lims readings import`, a bad line refused with its number), the excursion and the tubes it
# reached (`lims excursions`, `lims excursion show`), the exposure on the tube's record
# (`lims resolve --json`), a box evacuated into a backup freezer (`lims storage move`), where
# the tube was (`lims storage history`) and the investigation (`lims excursion ack`), against a
# real lims-server (temporary SQLite database, free loopback port).
#
#   tests/e2e/cli_freezers.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
set -euo pipefail

SERVER_BIN=${1:?usage: cli_freezers.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_freezers.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" freezers
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$TMP/out"; }

seed_enrollment
expect 0 lims --json collect "$enrollment" M3 SER 4mL --at 2026-04-16T09:30
tube=$(json '["sample"]["barcode"]')
make_box B-1
freezer=$(json '["unit"]["parent_id"]')   # F1, the box's freezer
expect 0 lims place "$tube" "$box" A1
expect 0 lims storage update "$freezer" --set-point -80 --low -95 --high -70 --probe ULT-7 --reason "commissioned"
expect 2 lims storage update "$freezer" --high warm
expect 4 lims storage update "$freezer" --low -60 --high -70
ok "a freezer's set point, alarms and probe; bad values refused"

# A log in local Paris time with a decimal comma: the freezer warms past -70 °C a minute from now.
fmt() { TZ=Europe/Paris date -d "@$1" '+%d/%m/%Y %H:%M'; }
now=$(date +%s)
{
  echo "Sensor;Date;Temperature"
  echo "ULT-7;$(fmt $((now - 300)));-80,2"
  echo "ULT-7;$(fmt $((now + 60)));-61,5"
  echo "ULT-7;$(fmt $((now + 180)));-55,0"
} >"$TMP/log.csv"
cp "$TMP/log.csv" "$TMP/bad.csv"
echo "ULT-7;yesterday;-80" >>"$TMP/bad.csv"
expect 4 lims readings import "$TMP/bad.csv" --tz Europe/Paris
grep -q "line 5: 'yesterday' is not a time" "$TMP/out" || fail "the bad line named: $(cat "$TMP/out")"
expect 0 lims readings import "$TMP/log.csv" --tz Europe/Paris
grep -q "3 readings read, 3 new; 1 excursions open" "$TMP/out" || fail "import: $(cat "$TMP/out")"
ok "a monitoring export imported (a bad line refused with its number first)"

expect 0 lims --json excursions --open
excursion=$(json '["excursions"][0]["id"]')
[[ $(json '["excursions"][0]["peak_celsius"]') == -55* ]] || fail "peak: $(cat "$TMP/out")"
expect 0 lims excursion show "$excursion"
grep -q "$tube" "$TMP/out" || fail "the tube is exposed: $(cat "$TMP/out")"
expect 0 lims --json resolve "$tube"
python3 -c 'import json,sys; e=json.load(sys.stdin)["sample"]["exposures"]; assert len(e)==1 and e[0]["minutes_exposed"] > 0, e' <"$TMP/out" ||
  fail "the exposure on the tube's record: $(cat "$TMP/out")"
ok "the excursion found; the tube it reached, with its minutes, also on its record"

expect 0 lims --json storage list
site=$(json '["units"][0]["id"]')
expect 0 lims --json storage create freezer F-BACKUP2 --parent "$site"
backup=$(json '["unit"]["id"]')
expect 0 lims storage move "$box" "$backup" --reason "evacuation"
grep -q "with 1 tubes" "$TMP/out" || fail "move: $(cat "$TMP/out")"
expect 0 lims storage history "$tube"
grep -q "F-BACKUP2" "$TMP/out" && grep -q "A1" "$TMP/out" || fail "history: $(cat "$TMP/out")"
expect 0 lims excursion show "$excursion"
grep -q "$tube" "$TMP/out" || fail "still exposed after the move"
expect 0 lims excursion ack "$excursion" --cause "door left open" --impact "1 tube, minutes" --action "door alarm"
expect 5 lims excursion ack "$excursion" --cause x --impact y --action z
ok "the box evacuated with its tube in place; the exposure stays; the investigation recorded once"

expect 0 lims storage capacity "$site" --csv
grep -q "^$backup,Site PSL / Freezer F-BACKUP2,freezer,81,1,80" "$TMP/out" || fail "capacity CSV: $(cat "$TMP/out")"
expect 0 lims storage capacity "$site"
grep -Eq "Box B-1 +81 +1 +80 +1%" "$TMP/out" || fail "capacity table: $(cat "$TMP/out")"
expect 0 lims storage free --site PSL --layout 9x9 --count 3
grep -q "3 free positions, all in one box" "$TMP/out" && grep -q "A2" "$TMP/out" || fail "free: $(cat "$TMP/out")"
expect 2 lims storage free --site PSL --layout nine --count 3
ok "capacity at every level (table and CSV); free positions together"

# F1 is repaired: B-1 goes back from the backup freezer, by a plan.
expect 0 lims --json evacuation plan "$backup" "$freezer"
plan=$(json '["plan_id"]')
python3 -c 'import json,sys; m=json.load(sys.stdin)["moves"]; assert len(m)==1 and m[0]["unit_name"]=="Box B-1" and m[0]["critical_tubes"]==1, m' <"$TMP/out" ||
  fail "the plan: $(cat "$TMP/out")"
expect 4 lims evacuation move "$plan" "PSL26-000001"
grep -q "BOX-<number>" "$TMP/err" || fail "a tube's code scanned as a box: $(cat "$TMP/err")"
expect 3 lims evacuation move "$plan" "BOX-$freezer"
expect 0 lims evacuation show "$plan" --pdf "$TMP/pick.pdf"
pdftotext -layout "$TMP/pick.pdf" - | grep -Eq "BOX-$box +B-1" || fail "the pick list PDF: $(pdftotext "$TMP/pick.pdf" -)"
echo "BOX-$box" | expect 0 lims evacuation move "$plan"
grep -q "(1 of 1 done)" "$TMP/out" || fail "the scanned move: $(cat "$TMP/out")"
expect 5 lims evacuation move "$plan" "BOX-$box"
expect 0 lims evacuation show "$plan"
grep -Eq "Box B-1 .* 1 +1 +0 +yes" "$TMP/out" || fail "progress: $(cat "$TMP/out")"
expect 0 lims --json evacuation put-back "$plan"
[[ $(json '["moves"][0]["to_parent_id"]') == "$backup" ]] || fail "put-back: $(cat "$TMP/out")"
ok "an evacuation plan (the last tube of its timepoint counted critical), its PDF pick list, carried out by scanning the box label (a wrong label refused), its put-back plan"
