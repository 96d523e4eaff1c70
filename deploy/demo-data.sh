#!/usr/bin/env bash
# Loads demonstration data into a running lims-server, through the `lims` command-line client
# only (so it also exercises the public API), and creates one demo user per role with their token
# in var/tokens/<user> (mode 0600). Idempotent: the data is loaded only if site PSL does not exist
# yet; a demo user is created only if missing, and gets a new token only when its token file is
# missing or no longer accepted (e.g. after a new database).
#
#   deploy/demo-data.sh [PATH_TO_LIMS [HOST:PORT]]
#   LIMS_TOKEN=$(cat var/lims.db.admin-token) \
#     deploy/demo-data.sh build/services/cli/lims 127.0.0.1:50051
#
# It acts as whoever the `lims` client is logged in as (LIMS_TOKEN, else the token `lims login`
# stored), which must be an admin: deploy/run.sh passes the admin token lims-server wrote on its
# first start. Environment: LIMS_DEMO_TOKENS (directory of the users' token files, var/tokens).
#
# Everything here is fictitious: pseudonymous registry ids, example protocols, 2026 dates.
set -euo pipefail
shopt -s inherit_errexit  # a failed `lims` inside $(...) stops the script with its exit code

LIMS_BIN=${1:-build/services/cli/lims}
SERVER=${2:-${LIMS_SERVER:-127.0.0.1:50051}}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOKENS_DIR=${LIMS_DEMO_TOKENS:-$(dirname "$HERE")/var/tokens}

if [[ ! -x "$LIMS_BIN" ]]; then
  echo "usage: $0 [PATH_TO_LIMS [HOST:PORT]]  ($LIMS_BIN is not an executable)" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "$0 needs python3 (to read --json output)" >&2; exit 1; }

lims() { "$LIMS_BIN" --server "$SERVER" "$@"; }

# Reads one JSON document on stdin and prints the value at a path of keys; "*" maps over a list
# (one value per line). Example: jget samples '*' barcode
jget() {
  python3 -c '
import json, sys
def walk(value, keys):
    if not keys:
        return [value]
    key, rest = keys[0], keys[1:]
    if key == "*":
        return [v for item in value for v in walk(item, rest)]
    return walk(value[int(key)] if isinstance(value, list) else value[key], rest)
for v in walk(json.load(sys.stdin), sys.argv[1:]):
    print(v)
' "$@"
}

# lj KEY... -- ARGS...: runs `lims --json ARGS...` and prints the value at KEY... of its answer.
lj() {
  local keys=() answer
  while [[ $1 != -- ]]; do
    keys+=("$1")
    shift
  done
  shift
  answer=$(lims --json "$@")
  jget "${keys[@]}" <<<"$answer"
}

# --- demo users: one per role, their tokens in var/tokens/<user> --------------------------------
# Tokens are secrets: never echoed, written only to files of mode 0600 in a directory of mode 0700.
write_token() {  # write_token FILE TOKEN: the token and a newline, replacing FILE atomically
  local temp
  temp=$(mktemp "$1.XXXXXX")  # mode 0600
  printf '%s\n' "$2" >"$temp"
  mv -f "$temp" "$1"
}

# Whether FILE holds a token the server accepts for USER.
token_works() {  # token_works FILE USER
  local who
  [[ -s $1 ]] || return 1
  who=$("$LIMS_BIN" --server "$SERVER" --token-file "$1" --json whoami 2>/dev/null |
    jget user username 2>/dev/null) || return 1
  [[ $who == "$2" ]]
}

# The demo users' browser password: "<name>-demo" (fictitious users on a loopback demo only).
demo_password() { printf '%s-demo\n' "$1"; }

demo_user() {  # demo_user NAME ROLE SITE (site PSL must exist)
  local name=$1 role=$2 site=$3 file=$TOKENS_DIR/$1 token
  if ! grep -qx -- "$name" <<<"$existing_users"; then
    token=$(lj token -- user create "$name" --role "$role" --site "$site")
    write_token "$file" "$token"
    echo "user $name ($role at $site) created; token in $file"
  elif token_works "$file" "$name"; then
    echo "user $name ($role) exists; token in $file"
  else
    token=$(lj token -- user token "$name")
    write_token "$file" "$token"
    echo "user $name ($role) exists; new token in $file"
  fi
  demo_password "$name" | lims user password "$name" >/dev/null
}

demo_users() {
  mkdir -p "$TOKENS_DIR"
  chmod 700 "$TOKENS_DIR"
  existing_users=$(lj users '*' username -- user list)
  demo_user tech.psl technician PSL
  demo_user manager.psl manager PSL
  demo_user coord.psl coordinator PSL
  # Every role but admin works for at least one site; researchers see no tubes yet (sample
  # requests arrive with a later issue).
  demo_user researcher researcher PSL
  cat <<END

Log in as one of them (token files are secrets, mode 0600):
  $LIMS_BIN --server $SERVER login --token-file $TOKENS_DIR/tech.psl      # technician at PSL
  $LIMS_BIN --server $SERVER login --token-file $TOKENS_DIR/manager.psl   # manager at PSL
  $LIMS_BIN --server $SERVER login --token-file $TOKENS_DIR/coord.psl     # coordinator at PSL
  $LIMS_BIN --server $SERVER login --token-file $TOKENS_DIR/researcher    # researcher
END
}

# --- who we are, idempotence --------------------------------------------------------------------
need_admin() {  # need_admin EXIT_CODE
  echo "$0: this needs an admin's token, such as the one lims-server wrote on its first start:" >&2
  echo "  LIMS_TOKEN=\$(cat var/lims.db.admin-token) $0 $LIMS_BIN $SERVER" >&2
  exit "$1"
}
lims whoami >/dev/null || need_admin $?
loader=$(lj user username -- whoami)
if [[ $(lj user role -- whoami) != ROLE_ADMIN ]]; then
  echo "$0: lims is logged in as $loader, who is not an admin." >&2
  need_admin 10
fi

site_codes=$(lj sites '*' code -- site list)
if grep -qx PSL <<<"$site_codes"; then
  echo "demo data already loaded (site PSL exists) on $SERVER"
  demo_users
  exit 0
fi

echo "Loading demo data into lims-server at $SERVER as $loader ..."

# --- sites and protocols ------------------------------------------------------------------------
lims site create PSL "Paris Saint-Louis biobank"
lims site create LYO "Lyon Hôpital Édouard-Herriot"
for protocol in cart-sle ahsct-ssc msc-ssc; do
  code=$(lj protocol code -- protocol import "$HERE/protocols/$protocol.json")
  echo "protocol imported: $code"
done

# --- storage: Site PSL / Room 1 / Freezer F-01 (-80C) / Rack R1, R2 / boxes ----------------------
# (The server names each level "Kind name" in paths, so the room is named "1" to read "Room 1".)
unit() {  # unit KIND NAME [options...] -> prints the new unit's id
  local kind=$1 name=$2
  shift 2
  lj unit id -- storage create "$kind" "$name" "$@"
}
site_psl=$(unit site PSL)
room1=$(unit room 1 --parent "$site_psl")
freezer=$(unit freezer "F-01 (-80C)" --parent "$room1")
rack1=$(unit rack R1 --parent "$freezer")
rack2=$(unit rack R2 --parent "$freezer")
box1=$(unit box B-0001 --parent "$rack1" --rows 9 --columns 9)
box2=$(unit box B-0002 --parent "$rack1" --rows 9 --columns 9)
sbs1=$(unit box SBS-0001 --parent "$rack2" --rows 8 --columns 12)
echo "storage: freezer F-01 with boxes B-0001 (#$box1), B-0002 (#$box2), SBS-0001 (#$sbs1)"

# --- patients and enrollments -------------------------------------------------------------------
patient() {  # patient REGISTRY_ID SITE -> prints the patient id
  lj patient id -- patient create "$1" --site "$2"
}
enroll() {  # enroll PATIENT_ID PROTOCOL ANCHOR -> prints the enrollment id
  lj enrollment id -- enroll "$1" "$2" --anchor "$3"
}
p1=$(patient MATHEC-0001 PSL)
p2=$(patient MATHEC-0002 PSL)
p3=$(patient MATHEC-0003 PSL)
p4=$(patient MATHEC-0004 LYO)
e1=$(enroll "$p1" CART-SLE 2026-03-02)
e2=$(enroll "$p2" AHSCT-SSC 2026-02-16)
e3=$(enroll "$p3" MSC-SSC 2026-01-19)
enroll "$p4" CART-SLE 2026-09-07 >/dev/null
echo "patients: MATHEC-0001..0004 enrolled (CART-SLE, AHSCT-SSC, MSC-SSC, CART-SLE)"

# --- consent: signed forms, and one partial withdrawal (the history keeps both) -----------------
lims consent record "$p1" --scopes storage,research,genetic --signed 2026-02-01 --version v2.1 >/dev/null
lims consent record "$p2" --scopes storage,research --signed 2026-01-20 --version v2.1 >/dev/null
lims consent record "$p3" --scopes storage,research,genetic,sharing_outside_eu \
  --signed 2026-01-10 --version v2.0 >/dev/null
lims consent withdraw "$p3" --scopes genetic --on 2026-06-01 \
  --reason "patient declined genetic research" >/dev/null
echo "consent: MATHEC-0001..0003 (MATHEC-0003 withdrew genetic research; MATHEC-0004 none yet)"

# --- samples: collect a primary tube, derive aliquots, place them --------------------------------
collect() {  # collect ENROLLMENT TIMEPOINT TYPE QUANTITY AT -> prints the minted barcode
  lj sample barcode -- collect "$1" "$2" "$3" "$4" --at "$5"
}
derive() {  # derive PARENT TYPE COUNT QUANTITY_EACH -> prints the new barcodes, one per line
  lj samples '*' barcode -- sample derive "$1" "$2" "$3" "$4"
}
place_all() {  # place_all BOX POSITION... < barcodes (one per line)
  local box=$1 barcode
  shift
  while read -r barcode; do
    lims place "$barcode" "$box" "$1" >/dev/null
    echo "  $barcode -> box $box $1"
    shift
  done
}

# MATHEC-0001, CART-SLE screening: serum 4 mL -> 4 x 500 uL; EDTA plasma 3 mL -> 4 x 500 uL.
ser1=$(collect "$e1" SCREENING SER 4mL 2026-02-03T09:15)
pl1=$(collect "$e1" SCREENING PL1 3mL 2026-02-03T09:20)
derive "$ser1" SER 4 500uL | place_all "$box1" A1 A2 A3 A4
derive "$pl1" PL1 4 500uL | place_all "$box1" A5 A6 A7 A8
# MATHEC-0001, D7 collected a day after its window closed: flagged out of window.
ser_d7=$(collect "$e1" D7 SER 4mL 2026-03-12T10:30)
derive "$ser_d7" SER 4 500uL | place_all "$box1" B1 B2 B3 B4
# MATHEC-0002, AHSCT-SSC baseline: bone marrow aspirate 2 mL -> 4 x 250 uL in the SBS rack.
bma=$(collect "$e2" BASELINE BMA 2mL 2025-11-20T11:00)
derive "$bma" BMA 4 250uL | place_all "$sbs1" A1 A2 A3 A4
# MATHEC-0003, MSC-SSC day 0: MSC batch retention, 1e7 cells -> 4 vials of 2.5e6 cells.
cel=$(collect "$e3" D0 CEL 1e7cells 2026-01-19T14:00)
derive "$cel" CEL 4 2.5e6cells | place_all "$box2" A1 A2 A3 A4

# One aliquot taken out for a QC test and put back after thawing: it shows in its history.
first=$(lj slots 0 barcode -- box show "$box1")
lims retrieve "$first" --reason "QC: haemolysis check" >/dev/null
lims return "$first" "$box1" A1 --thawed >/dev/null

# --- freezer monitoring: F-01's probe, a backup freezer, the last 24 hours of readings -----------
# Every 5 minutes at -80 °C over the last day, then a door left open just now: -64.5 °C for a
# few minutes (stamped up to 6 minutes ahead, which the server accepts as clock skew), so the
# excursion reaches the demo tubes placed above.
lims storage update "$freezer" --set-point -80 --low -95 --high -70 --probe ULT-PSL-01 \
  --reason "commissioned" >/dev/null
backup=$(unit freezer "F-02 (backup)" --parent "$room1")
lims storage update "$backup" --set-point -80 --high -70 --probe ULT-PSL-02 --state backup \
  --reason "backup freezer" >/dev/null
log=$(mktemp)
now=$(date +%s)
{
  echo "time,probe_id,celsius"
  for ((minutes = 24 * 60; minutes >= -6; minutes -= 2)); do
    celsius=-80.2
    ((minutes <= -2 && minutes >= -4)) && celsius=-64.5
    at=$(date -u -d "@$((now - minutes * 60))" '+%Y-%m-%dT%H:%M:%SZ')
    echo "$at,ULT-PSL-01,$celsius"
    echo "$at,ULT-PSL-02,-79.8"
  done
} >"$log"
lims readings import "$log" >/dev/null
rm -f "$log"
echo "freezers: F-01 (probe ULT-PSL-01, a short excursion that reached its tubes), F-02 backup"

# A label printer for trying `lims label print` without hardware: a spool directory.
label_spool=${LIMS_DEMO_LABEL_SPOOL:-}
if [[ -n $label_spool ]]; then
  mkdir -p "$label_spool"
  lims printer register demo-spool "file://$label_spool" --dpi 300 --stock cryotube >/dev/null
fi

demo_users

cat <<END

Demo data loaded. Once logged in, try (quote barcodes: a check character can be '*'):
  $LIMS_BIN --server $SERVER storage tree
  $LIMS_BIN --server $SERVER box show $box1
  $LIMS_BIN --server $SERVER resolve '$first'
  $LIMS_BIN --server $SERVER history '$first'
  $LIMS_BIN --server $SERVER resolve '$ser_d7'   (collected after its D7 window: flagged)
  $LIMS_BIN --server $SERVER patient show MATHEC-0001
  $LIMS_BIN --server $SERVER protocol show CART-SLE
  $LIMS_BIN --server $SERVER label preview '$first' --png tube-label.png
  $LIMS_BIN --server $SERVER label print '$first' --printer demo-spool   (ZPL file in ${label_spool:-the spool})
END
