#!/usr/bin/env bash
# End-to-end: the LIMS on a 3-node Galera cluster (deploy/galera/galera.sh) loses a node, then
# its own process.
#  1. lims-server is given every node in its URL. Eight clients collect, place, move and
#     aliquot tubes, each call with its own request_id and retried with the same id while it
#     answers UNAVAILABLE or ABORTED. The node lims-server is connected to is killed -9 in the
#     middle, and started again later (it rejoins and catches up).
#  2. The same clients again; lims-server itself is killed -9 in the middle and restarted.
# Then on every node: every acknowledged tube, place and aliquot is there exactly once, every
# request_id kept has its audit events (nothing half-written), the audit chain verifies, and the
# clients' retries absorbed the outage (no call failed for good).
#   tests/e2e/galera_failover.sh LIMS_SERVER_BIN LIMS_BIN
set -euo pipefail
SERVER_BIN=$1
LIMS_BIN=$2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GALERA=$ROOT/deploy/galera/galera.sh
CLIENTS=8
TUBES=40  # per client and round

CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lims-galera.XXXXXX")
verifier_pid=
e2e_cleanup() {
  [[ -n $verifier_pid ]] && { kill -TERM "$verifier_pid" 2>/dev/null; wait "$verifier_pid" 2>/dev/null; }
  "$GALERA" down "$CLUSTER_DIR" >/dev/null 2>&1 || true
  rm -rf "$CLUSTER_DIR"
}
E2E_DB_URL=$("$GALERA" up "$CLUSTER_DIR" 2>"$CLUSTER_DIR/up.log" | tail -n 1) ||
  { cat "$CLUSTER_DIR/up.log" >&2; exit 1; }
export E2E_DB_URL
# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" galera
node_sql() { "$GALERA" client "$CLUSTER_DIR" "$1" -N -B -e "$2" lims; }
ok "3-node Galera cluster up; lims-server on $(sed 's/:[^:@]*@/:***@/' <<<"$E2E_DB_URL")"

seed_enrollment
unit='import json,sys; print(json.load(sys.stdin)["unit"]["id"])'
expect 0 lims --json storage create site PSL
site_unit=$(python3 -c "$unit" <"$TMP/out")
expect 0 lims --json storage create freezer F1 --parent "$site_unit"
freezer=$(python3 -c "$unit" <"$TMP/out")
boxes=()
for n in $(seq 2 $((2 * CLIENTS + 1))); do
  expect 0 lims --json storage create box "B$n" --parent "$freezer" --rows 9 --columns 9
  boxes[n]=$(python3 -c "$unit" <"$TMP/out")
done

# `call LOG ID ARGS...`: lims --request-id ID ARGS until it succeeds; UNAVAILABLE (7) and
# ABORTED (8) are retried with the same id for up to a minute, each retry counted in LOG.retries;
# another answer is a failure for good (LOG.failed).
call() {
  local log=$1 id=$2 rc
  shift 2
  for _ in $(seq 120); do
    rc=0
    "$LIMS_BIN" --server "$address" --request-id "$id" "$@" >/dev/null 2>"$log.err" || rc=$?
    ((rc == 0)) && return 0
    if ((rc != 7 && rc != 8)); then
      echo "$rc $id $* : $(tr '\n' ' ' <"$log.err")" >>"$log.failed"
      return 1
    fi
    echo "$rc $id" >>"$log.retries"
    sleep 0.5
  done
  echo "gave up $id" >>"$log.failed"
  return 1
}
# Client N of round R: tube i is collected, every fifth aliquoted into 2 tubes, placed at
# position i of its own box, every third moved to position i+40; each acknowledged call is
# written to its log as "KIND BARCODE [BOX POSITION]".
client() {
  local round=$1 n=$2 log=$TMP/client.$1.$2 i bc
  local box=${boxes[$((2 * n + round - 1))]}
  for i in $(seq "$TUBES"); do
    [[ -f $TMP/stop.$round ]] && break
    bc=$(printf '5%d%02d%06d' "$round" "$n" "$i")
    call "$log" "c-$bc" collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "$bc" ||
      continue
    echo "collect $bc" >>"$log"
    if ((i % 5 == 0)); then
      call "$log" "d-$bc" sample derive "$bc" SER 2 100uL && echo "derive $bc" >>"$log"
    fi
    call "$log" "p-$bc" place "$bc" "$box" "$i" || continue
    echo "place $bc $box $i" >>"$log"
    if ((i % 3 == 0)); then
      call "$log" "m-$bc" move "$bc" "$box" $((i + 40)) && echo "move $bc $box $((i + 40))" >>"$log"
    fi
  done
}
# Starts the clients of round $1 in the background; their pids in $pids.
run_round() {
  local n
  pids=()
  for n in $(seq "$CLIENTS"); do
    client "$1" "$n" &
    pids+=($!)
  done
}

# Round 1: the node lims-server uses (the URL's first) is killed -9 mid-way.
run_round 1
sleep 2
acked_count() { { cat "$TMP"/client.?.? 2>/dev/null || true; } | wc -l; }
before_kill=$(acked_count)
"$GALERA" kill "$CLUSTER_DIR" 1 2>>"$TMP/galera.log"
killed_at=$(date +%s)
sleep 4
"$GALERA" start "$CLUSTER_DIR" 1 2>>"$TMP/galera.log"
during_kill=$(acked_count)
wait "${pids[@]}"
"$GALERA" status "$CLUSTER_DIR" >"$TMP/status" 2>&1 || { cat "$TMP/status" >&2; fail "the cluster is not whole again"; }
after_round=$(acked_count)
((during_kill > before_kill)) ||
  fail "the clients did not work through the outage ($before_kill, $during_kill, $after_round calls)"
ok "node 1 killed -9 under $CLIENTS clients after $before_kill calls, $((during_kill - before_kill)) calls while it was down, started again $(($(date +%s) - killed_at)) s later: $(grep -c Synced "$TMP/status") nodes Synced"

# Round 2: lims-server itself is killed -9 mid-way and started again on the same port.
run_round 2
sleep 2
before_kill=$(acked_count)
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
sleep 1
env -u LIMS_LISTEN -u LIMS_DB -u LIMS_SIGNING_KEY -u LIMS_HTTP "$SERVER_BIN" --listen "$address" \
  --db "$E2E_DB_URL" --admin-token-file "$admin_token_file" \
  --signing-key "$TMP/lims.db.signing-key" >>"$TMP/server.log" 2>&1 &
server_pid=$!
wait "${pids[@]}"
((before_kill < after_round + 10 || $(acked_count) <= before_kill)) &&
  fail "round 2 did not run across the kill"
ok "lims-server killed -9 under $CLIENTS clients ($((before_kill - after_round)) calls of the round before it, $(($(acked_count) - before_kill)) after) and started again"

# A node up but cut off from the others (a network partition): it still answers, but not for
# data. lims-server leaves it for a node of the primary component; calls go on.
isolate() { "$GALERA" client "$CLUSTER_DIR" "$1" -e "SET GLOBAL wsrep_provider_options='gmcast.isolate=$2'"; }
for node in 1 2; do
  isolate "$node" 1
  for _ in $(seq 40); do
    "$GALERA" status "$CLUSTER_DIR" 2>/dev/null | grep -q "^node$node .*not ready" && break
    sleep 0.5
  done
  for i in $(seq 5); do
    expect 0 lims site list
    expect 0 lims collect "$enrollment" M3 SER 1mL --at 2026-04-16T09:30 --barcode "69${node}00000$i"
  done
  isolate "$node" 0
  for _ in $(seq 60); do
    "$GALERA" status "$CLUSTER_DIR" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
"$GALERA" status "$CLUSTER_DIR" >"$TMP/status" 2>&1 || { cat "$TMP/status" >&2; fail "the cluster did not heal"; }
ok "nodes 1 and 2 cut off from the others in turn: every call went on through a node that serves"

if { cat "$TMP"/client.*.failed 2>/dev/null || true; } | grep .; then
  fail "calls failed for good"
fi
retries=$({ cat "$TMP"/client.*.retries 2>/dev/null || true; } | wc -l)
acked=$(cat "$TMP"/client.?.? | wc -l)
((acked >= CLIENTS * TUBES)) || fail "only $acked calls acknowledged"
ok "$acked calls acknowledged, none failed for good; $retries retries absorbed the outages"

# What the clients were told, as the database must hold it.
cat "$TMP"/client.?.? >"$TMP/acked"
awk '$1 == "collect" { print $2 }' "$TMP/acked" | sort >"$TMP/want.tubes"
# The last acknowledged place of each tube (a move after its place).
awk '$1 == "place" || $1 == "move" { where[$2] = $3 " " $4 } END { for (b in where) print b, where[b] }' \
  "$TMP/acked" | sort >"$TMP/want.places"
awk '$1 == "derive" { print $2, 2 }' "$TMP/acked" | sort >"$TMP/want.aliquots"
awk '{ print substr($1, 1, 1) "-" $2 }' "$TMP/acked" | sort -u >"$TMP/want.rids"
python3 -c '
import hashlib, sys
for rid in sys.stdin.read().split():
    print(hashlib.sha256(("admin\x1f" + rid).encode()).hexdigest())' <"$TMP/want.rids" |
  sort >"$TMP/want.keys"
for node in 1 2 3; do
  node_sql "$node" "SELECT barcode FROM samples WHERE barcode LIKE '5%' AND parent_id IS NULL" |
    sort >"$TMP/tubes.$node"
  comm -23 "$TMP/want.tubes" "$TMP/tubes.$node" >"$TMP/lost"
  [[ ! -s $TMP/lost ]] || fail "node $node lacks $(wc -l <"$TMP/lost") acknowledged tubes"
  node_sql "$node" "SELECT s.barcode, p.box_id, p.position_number FROM placements p
    JOIN samples s ON s.id = p.sample_id WHERE s.barcode LIKE '5%'" | tr '\t' ' ' | sort >"$TMP/places.$node"
  comm -23 "$TMP/want.places" "$TMP/places.$node" >"$TMP/misplaced"
  [[ ! -s $TMP/misplaced ]] || fail "node $node: tubes not where they were acknowledged: $(head -3 "$TMP/misplaced")"
  # Exactly 2 aliquots for each acknowledged derive: a replayed request made none twice.
  node_sql "$node" "SELECT p.barcode, COUNT(*) FROM samples c JOIN samples p ON p.id = c.parent_id
    WHERE p.barcode LIKE '5%' GROUP BY p.barcode" | tr '\t' ' ' | sort >"$TMP/aliquots.$node"
  comm -23 "$TMP/want.aliquots" "$TMP/aliquots.$node" >"$TMP/wrong"
  [[ ! -s $TMP/wrong ]] || fail "node $node: aliquot counts differ: $(head -3 "$TMP/wrong") vs $(grep -F "$(head -1 "$TMP/wrong" | cut -d' ' -f1)" "$TMP/aliquots.$node")"
  [[ $(wc -l <"$TMP/aliquots.$node") == $(wc -l <"$TMP/want.aliquots") ]] ||
    fail "node $node: aliquots of tubes whose derive was never acknowledged"
  # Every acknowledged request_id kept for replay (under its key: SHA-256 of the user and the
  # id) and audited under the same transaction; no audit event of a call never acknowledged;
  # a collect or a place audited exactly once (nothing applied twice, nothing half-written).
  node_sql "$node" "SELECT request_id FROM request_log" | sort >"$TMP/keys.$node"
  comm -23 "$TMP/want.keys" "$TMP/keys.$node" >"$TMP/missing.keys"
  [[ ! -s $TMP/missing.keys ]] || fail "node $node lacks the replay records of $(wc -l <"$TMP/missing.keys") acknowledged calls"
  node_sql "$node" "SELECT request_id, COUNT(*) FROM audit_events WHERE request_id LIKE '_-5%'
    GROUP BY request_id" | tr '\t' ' ' | sort >"$TMP/audited.$node"
  cut -d' ' -f1 "$TMP/audited.$node" | cmp -s - "$TMP/want.rids" ||
    fail "node $node: the audited calls are not the acknowledged ones: $(cut -d' ' -f1 "$TMP/audited.$node" | comm -3 - "$TMP/want.rids" | head -3)"
  twice=$(awk '$1 ~ /^[cp]-/ && $2 != 1' "$TMP/audited.$node" | head -3)
  [[ -z $twice ]] || fail "node $node: calls audited more than once: $twice"
done
ok "every node holds every acknowledged tube, place and aliquot exactly once, with its audit events ($(wc -l <"$TMP/want.tubes") tubes)"

# The audit chain verifies on every node (a lims-server on that node alone).
for node in 1 2 3; do
  port=$(sed -n "s/.*@\(.*\)\/lims/\1/p" <<<"$E2E_DB_URL" | tr ',' '\n' | sed -n "${node}p")
  node_url=$(sed "s/@.*\//@$port\//" <<<"$E2E_DB_URL")
  env -u LIMS_LISTEN -u LIMS_DB -u LIMS_HTTP "$SERVER_BIN" --listen 127.0.0.1:0 --services audit,user --db "$node_url" \
    --admin-token-file "$admin_token_file" >"$TMP/verifier.$node.log" 2>&1 &
  verifier_pid=$!
  verifier=
  for _ in $(seq 200); do
    p=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/verifier.$node.log" | head -n 1)
    [[ -n $p ]] && verifier=127.0.0.1:$p && break
    sleep 0.05
  done
  [[ -n $verifier ]] || { tail -3 "$TMP/verifier.$node.log" >&2; fail "no lims-server on node $node alone"; }
  expect 0 "$LIMS_BIN" --server "$verifier" audit verify
  grep -q intact "$TMP/out" || fail "node $node: $(cat "$TMP/out")"
  kill -TERM "$verifier_pid"
  wait "$verifier_pid" 2>/dev/null || true
  verifier_pid=
  echo "node $node: $(cat "$TMP/out")" >>"$TMP/chains"
done
ok "the audit chain verifies on every node alike: $(cut -d: -f2- "$TMP/chains" | sort -u)"
echo "1..$passed"
