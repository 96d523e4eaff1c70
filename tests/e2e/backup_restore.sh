#!/usr/bin/env bash
# End-to-end restore drill: `lims-server backup` taken while three clients collect tubes, then
# restored into a fresh directory (SQLite: the copied file; MariaDB: mariadb-backup --copy-back
# into a new data directory, a second mariadbd started on it), a lims-server started on the
# restored copy: the audit chain verifies against the backup's chain-head anchor, and every tube
# acknowledged before the backup started is there.
#   tests/e2e/backup_restore.sh LIMS_SERVER_BIN LIMS_BIN sqlite|mariadb
set -euo pipefail
SERVER_BIN=$1
LIMS_BIN=$2
BACKEND=$3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PATH=$PATH:/usr/sbin

restored_pid=
restored_db_pid=
e2e_cleanup() {
  [[ -n $restored_pid ]] && { kill -TERM "$restored_pid" 2>/dev/null; wait "$restored_pid" 2>/dev/null; }
  [[ -n $restored_db_pid ]] && { kill -TERM "$restored_db_pid" 2>/dev/null; wait "$restored_db_pid" 2>/dev/null; }
  if [[ $BACKEND == mariadb ]]; then
    "$ROOT/tests/mariadb.sh" stop >/dev/null 2>&1 || true
    rm -rf "$(dirname "$LIMS_MARIADB_STATE")"
  fi
  return 0
}
if [[ $BACKEND == mariadb ]]; then
  export LIMS_MARIADB_STATE
  LIMS_MARIADB_STATE=$(mktemp -d "${TMPDIR:-/tmp}/lims-backup-db.XXXXXX")/mariadb.env
  eval "$("$ROOT/tests/mariadb.sh" start 2>/dev/null)"
  "$ROOT/tests/mariadb.sh" client -e "CREATE DATABASE lims_backup"
  export E2E_DB_URL="${LIMS_TEST_MARIADB_URL}lims_backup"
fi
# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" "backup-$BACKEND"
db_url=${E2E_DB_URL:-sqlite:$TMP/lims.db}

seed_enrollment
collector() {
  local n=$1 i=0
  while [[ ! -f $TMP/stop ]]; do
    i=$((i + 1))
    local barcode
    barcode=$(printf '4%02d%07d' "$n" "$i")
    if lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$barcode" \
      >/dev/null 2>&1; then
      echo "$barcode" >>"$TMP/acked.$n"
    fi
  done
}
collectors=()
for n in 1 2 3; do
  collector "$n" &
  collectors+=($!)
done
sleep 2
# What was acknowledged before the backup starts must be in it.
cat "$TMP"/acked.* >"$TMP/before-backup"
expect 0 env -u LIMS_DB "$SERVER_BIN" backup --db "$db_url" --to "$TMP/backup" \
  --signing-key "$TMP/lims.db.signing-key"
sleep 1
touch "$TMP/stop"
wait "${collectors[@]}"
before=$(wc -l <"$TMP/before-backup")
after=$(cat "$TMP"/acked.* | wc -l)
((before >= 5 && after > before)) || fail "too little load around the backup ($before, then $after)"
[[ -s $TMP/backup/chain-head && -s $TMP/backup/backup.txt ]] || fail "no chain-head or backup.txt"
[[ $(stat -c %a "$TMP/backup") == 700 ]] || fail "the backup directory is readable by others"
cmp -s "$TMP/backup/signing-key" "$TMP/lims.db.signing-key" || fail "the signing key was not copied"
[[ $(stat -c %a "$TMP/backup/signing-key") == 600 ]] || fail "the signing key's copy is not 0600"
ok "backup taken under three collecting clients ($before tubes acknowledged before it, $after in all)"

# A second backup into the same directory is refused: it never overwrites one.
expect 1 env -u LIMS_DB "$SERVER_BIN" backup --db "$db_url" --to "$TMP/backup"
grep -q "not empty" "$TMP/err" || fail "the refusal does not say why: $(cat "$TMP/err")"
ok "a backup never overwrites another"

# Restore into a fresh directory.
mkdir "$TMP/restored"
if [[ $BACKEND == sqlite ]]; then
  cp "$TMP/backup/lims.db" "$TMP/restored/lims.db"
  restored_url=sqlite:$TMP/restored/lims.db
else
  mariadb-backup --copy-back --target-dir="$TMP/backup/mariadb" --datadir="$TMP/restored/data" \
    >"$TMP/copy-back.log" 2>&1 || { cat "$TMP/copy-back.log" >&2; fail "copy-back failed"; }
  port=$((20000 + RANDOM % 40000))
  setsid mariadbd --no-defaults --datadir="$TMP/restored/data" --socket="$TMP/restored/sock" \
    --port="$port" --bind-address=127.0.0.1 --user=root --skip-name-resolve \
    --log-error="$TMP/restored/error.log" </dev/null >/dev/null 2>&1 &
  restored_db_pid=$!
  for _ in $(seq 120); do
    mariadb-admin --no-defaults --socket="$TMP/restored/sock" --user=root ping >/dev/null 2>&1 &&
      break
    sleep 0.5
  done
  restored_url=$(sed "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" <<<"$db_url")
fi
env -u LIMS_LISTEN -u LIMS_DB -u LIMS_HTTP "$SERVER_BIN" --listen 127.0.0.1:0 \
  --db "$restored_url" --admin-token-file "$TMP/restored/admin-token" \
  --signing-key "$TMP/backup/signing-key" >"$TMP/restored.log" 2>&1 &
restored_pid=$!
restored=
for _ in $(seq 200); do
  p=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/restored.log" | head -n 1)
  [[ -n $p ]] && restored=127.0.0.1:$p && break
  kill -0 "$restored_pid" 2>/dev/null || { cat "$TMP/restored.log" >&2; fail "no server on the restored copy"; }
  sleep 0.05
done
[[ -n $restored ]] || fail "the server on the restored copy did not start"
restored_lims() { "$LIMS_BIN" --server "$restored" "$@"; }
# The restored copy knows the admin (its token came with the data): the same login works.
expect 0 restored_lims audit verify --anchor "$TMP/backup/chain-head"
grep -q "intact.*the anchor.s event" "$TMP/out" || fail "audit verify did not confirm the anchor: $(cat "$TMP/out")"
ok "the restored copy's audit chain verifies against the backup's chain-head"

missing=0
while read -r barcode; do
  restored_lims resolve "$barcode" >/dev/null 2>&1 || { echo "missing $barcode" >&2; missing=$((missing + 1)); }
done <"$TMP/before-backup"
((missing == 0)) || fail "$missing tubes acknowledged before the backup are not in the restored copy"
ok "all $before tubes acknowledged before the backup are in the restored copy"

# A forged anchor is refused by the restored chain.
sed 's/^hash .*/hash 0000000000000000000000000000000000000000000000000000000000000000/' \
  "$TMP/backup/chain-head" >"$TMP/forged-head"
expect 5 restored_lims audit verify --anchor "$TMP/forged-head"
ok "a chain-head that is not the backup's is refused"
echo "1..$passed"
