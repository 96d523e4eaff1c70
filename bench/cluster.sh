#!/usr/bin/env bash
# Deployment benchmarks (issue 21), each against its baseline in the same run on this machine:
#  1. ResolveBarcode through nginx to two SampleService processes (deploy/cluster.sh) against
#     one all-in-one lims-server, on the same seeded SQLite database, the two loads alternating
#     at 1, 8 and 32 clients;
#  2. tubes collected and placed per second (two write transactions each, 8 writers) by a
#     lims-server on a 3-node Galera cluster (deploy/galera/galera.sh) against one on a single
#     MariaDB (tests/mariadb.sh);
# and writes docs/benchmarks-cluster.md.
#
#   bench/cluster.sh
#
# Environment: BENCH_CLUSTER_REPORT (docs/benchmarks-cluster.md), BENCH_SAMPLES (10000),
# BENCH_SECONDS (5), BENCH_CLIENTS ("1 8 32"), BENCH_PLACEMENTS (3000), LIMS_BUILD_DIR (build/),
# LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_CLUSTER_REPORT:-$ROOT/docs/benchmarks-cluster.md}
SAMPLES=${BENCH_SAMPLES:-10000}
SECONDS_EACH=${BENCH_SECONDS:-5}
CLIENTS=${BENCH_CLIENTS:-1 8 32}
PLACEMENTS=${BENCH_PLACEMENTS:-3000}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
log() { echo "cluster bench: $*" >&2; }
"$ROOT/deploy/install-deps.sh" --tests
bench_build lims-server
bench_build lims-bench
SERVER=$BUILD/services/server/lims-server
BENCH=$BUILD/bench/lims-bench
bench_tmp cluster-bench
pids=()
stop_all() {
  [[ ${#pids[@]} == 0 ]] || kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  [[ ! -f $TMP/cluster/procs ]] || "$ROOT/deploy/cluster.sh" down "$TMP/cluster" >/dev/null 2>&1 || true
  [[ ! -f $TMP/galera/cluster.env ]] || "$ROOT/deploy/galera/galera.sh" down "$TMP/galera" >/dev/null 2>&1 || true
  bench_tmp_cleanup
}
trap stop_all EXIT

free_port() { # a port nobody listens on
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}
start_server() { # LOG TARGET SERVER_ARGS...
  local log=$1 target=$2
  shift 2
  "$SERVER" --listen "$target" "$@" >"$TMP/$log" 2>&1 &
  pids+=($!)
  "$BENCH" wait --target "$target" --seconds 30 || { tail "$TMP/$log" >&2; exit 1; }
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
RESULTS=$TMP/results.jsonl
: >"$RESULTS"

# --- 1. nginx and two SampleService processes, against one all-in-one ------------------------
single=127.0.0.1:$(free_port)
start_server single.log "$single" --db "sqlite:$TMP/bench.db"
log "seeding $SAMPLES samples"
"$BENCH" seed --target "$single" --token-file "$TMP/bench.db.admin-token" --samples "$SAMPLES" \
  --out "$TMP/barcodes.txt" >/dev/null
front=127.0.0.1:$(free_port)
LIMS_SERVER_BIN=$SERVER LIMS_CLUSTER_REPLICAS=sample=2 "$ROOT/deploy/cluster.sh" up \
  "$TMP/cluster" --db "sqlite:$TMP/bench.db" --grpc "$front" --http "127.0.0.1:$(free_port)" \
  >/dev/null
for clients in $CLIENTS; do
  for label in all-in-one nginx-2-sample; do
    target=$single
    [[ $label == all-in-one ]] || target=$front
    "$BENCH" load --target "$target" --rpc resolve --clients "$clients" \
      --seconds "$SECONDS_EACH" --token-file "$TMP/bench.db.admin-token" \
      --barcodes "$TMP/barcodes.txt" --label "$label" | tee -a "$RESULTS" >&2
  done
done
"$ROOT/deploy/cluster.sh" down "$TMP/cluster" >/dev/null

# --- 2. collect + place per second: Galera against a single MariaDB --------------------------
# Seeds PLACEMENTS tubes, each collected then placed (8 writers), on a fresh lims-server on URL;
# prints tubes per second.
placements() { # LABEL SITE URL
  local target=127.0.0.1:$(free_port) started elapsed
  start_server "$1.log" "$target" --db "$3" --admin-token-file "$TMP/$1.admin-token" \
    --services registry,sample,storage,user
  started=$EPOCHREALTIME
  "$BENCH" seed --target "$target" --token-file "$TMP/$1.admin-token" --samples "$PLACEMENTS" \
    --patients 20 --place-every 1 --threads 8 --site "$2" --out "$TMP/$1.txt" >/dev/null
  elapsed=$(awk -v s="$started" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.3f", e - s }')
  kill -TERM "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
  echo "$1 $elapsed $(awk -v n="$PLACEMENTS" -v t="$elapsed" 'BEGIN { printf "%.1f", n / t }')" |
    tee -a "$TMP/placements" >&2
}
bench_start_mariadb lims_placements
placements mariadb PMAR "$mariadb_url"
galera_url=$("$ROOT/deploy/galera/galera.sh" up "$TMP/galera" 2>"$TMP/galera.log" | tail -n 1)
placements galera PGAL "$galera_url"

# --- report ---------------------------------------------------------------------------------
revision="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' with local changes')"
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
python3 - "$RESULTS" "$TMP/placements" >"$TMP/tables.md" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {(r["label"], r["clients"]): r for r in runs}
print("| clients | all-in-one calls/s | p99 µs | nginx + 2 sample processes calls/s | p99 µs | throughput ratio | p99 ratio |")
print("|--:|--:|--:|--:|--:|--:|--:|")
for clients in sorted({r["clients"] for r in runs}):
    a, n = by[("all-in-one", clients)], by[("nginx-2-sample", clients)]
    print(f"| {clients} | {a['calls_per_s']:.0f} | {a['p99_us']:.0f} | {n['calls_per_s']:.0f} | "
          f"{n['p99_us']:.0f} | {n['calls_per_s'] / a['calls_per_s']:.2f} | "
          f"{n['p99_us'] / a['p99_us']:.2f} |")
print()
rates = {line.split()[0]: (float(line.split()[1]), float(line.split()[2]))
         for line in open(sys.argv[2])}
print("| database | seconds | tubes collected and placed per second | ratio to the single MariaDB |")
print("|:--|--:|--:|--:|")
for name, label in (("mariadb", "one MariaDB"), ("galera", "3-node Galera (loopback)")):
    seconds, rate = rates[name]
    print(f"| {label} | {seconds:.1f} | {rate:.0f} | {rate / rates['mariadb'][1]:.2f} |")
PY
{
  cat <<MD
# Deployment benchmarks

Two questions an operator asks before splitting the LIMS: what does the front door cost a bench
scan, and what does a Galera cluster cost the writes. Each answer is measured against its
baseline in the same run on the same machine.

- Command: \`bench/cluster.sh\` (BENCH_SAMPLES=$SAMPLES, BENCH_SECONDS=$SECONDS_EACH, BENCH_CLIENTS="$CLIENTS", BENCH_PLACEMENTS=$PLACEMENTS)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $revision
- Machine: $(nproc) cores ($cpu); the load generator, nginx, every lims-server and every
  database node share them. Load average before the run: $load_before.

## ResolveBarcode: nginx and two SampleService processes against one all-in-one lims-server

The same SQLite database seeded with $SAMPLES samples; closed-loop gRPC clients (lims-bench
load, one connection each); each client count runs the all-in-one server then the cluster
(\`deploy/cluster.sh\`: nginx's \`grpc_pass\` to two \`--services sample\` processes), ${SECONDS_EACH} s each
after 1 s of warm-up. Ratios are the cluster's over the all-in-one's.

MD
  sed -n '1,/^$/p' "$TMP/tables.md"
  cat <<MD

What limits it: on two cores the front door is one more process on the same cores. Each call
crosses nginx (HTTP/2 parsed and framed twice, a second TCP hop) and both sample processes
compete with nginx and the load generator for the same two cores, so the split costs throughput
here instead of adding it. It pays where the sample processes run on their own cores or hosts:
each process is stateless and the database (SQLite here, read-only load) is shared.

## Tubes collected and placed per second: a 3-node Galera cluster against one MariaDB

A fresh lims-server (registry, sample, storage and user services) on each database; lims-bench
seed makes 20 patients and then $PLACEMENTS tubes with 8 concurrent writers, each tube one
CollectSample and one PlaceSample transaction (with their audit events and request_id records).

MD
  sed -n '/^$/,$p' "$TMP/tables.md" | sed '1d'
  cat <<MD

What limits it: every Galera commit is certified by all three nodes before it returns (a
group-communication round trip and the write set applied on each node); on loopback the round
trip is cheap but the three nodes and their InnoDB logs share the same two cores and disk with
lims-server and the load. The audit chain's head is one row every write updates, so concurrent
writers queue on it on either database; on Galera a conflict on it is found at certification and
the transaction is retried by lims-server (\`lims_db_transaction_retries_total\`). Galera buys
availability (a node can die: tests/e2e/galera_failover.sh), not write throughput.
MD
} >"$TMP/report.md"
mkdir -p "$(dirname "$REPORT")"
cp "$TMP/report.md" "$REPORT"
log "wrote $REPORT"
cat "$TMP/tables.md" >&2
