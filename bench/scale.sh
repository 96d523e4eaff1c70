#!/usr/bin/env bash
# Scale benchmark (issue 22): the same work on a small and a large generated database in one
# run, on SQLite and on a throw-away MariaDB: ResolveBarcode at 1 and 8 clients, a tube's
# history, a box's contents, a page of a protocol's completeness and a researcher's criteria
# preview, then lims-server's resident memory. Targets: ResolveBarcode's p99 on the large
# database within 1.2x of the small one's, resident memory within 10 %. Writes
# docs/benchmarks-scale.md. Not part of bench/run.sh (generating 10 million samples takes
# minutes).
#
#   bench/scale.sh
#
# Environment: BENCH_SCALE_SIZES ("10000 10000000"), BENCH_SCALE_BACKENDS ("sqlite mariadb"),
# BENCH_SCALE_SECONDS (5 per figure), BENCH_SCALE_ROUNDS (3 runs of each figure, alternating),
# BENCH_SCALE_BUFFER_POOL (MariaDB's InnoDB buffer pool, 4G), BENCH_SCALE_REPORT
# (docs/benchmarks-scale.md), LIMS_BUILD_DIR (build/), LIMS_BUILD_JOBS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT=${BENCH_SCALE_REPORT:-$ROOT/docs/benchmarks-scale.md}
SIZES=${BENCH_SCALE_SIZES:-10000 10000000}
BACKENDS=${BENCH_SCALE_BACKENDS:-sqlite mariadb}
SECONDS_EACH=${BENCH_SCALE_SECONDS:-5}
ROUNDS=${BENCH_SCALE_ROUNDS:-3}
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
"$ROOT/deploy/install-deps.sh" --tests
for target in lims-server lims-bench lims-scale-gen; do bench_build "$target"; done
SERVER=$BUILD/services/server/lims-server
BENCH=$BUILD/bench/lims-bench
GEN=$BUILD/bench/lims-scale-gen
bench_tmp scale
server_pids=
# The servers of a failed step are stopped too.
# shellcheck disable=SC2086 # a list of pids
trap '[[ -n $server_pids ]] && kill $server_pids 2>/dev/null; bench_tmp_cleanup' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
RESULTS=$TMP/results.jsonl
: >"$RESULTS"
log() { echo "bench/scale.sh: $*" >&2; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Appends one JSON line to the results: {"backend", "samples", "figure", ...fields}.
record() { # BACKEND SAMPLES FIGURE JSON
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[4]); d.update(backend=sys.argv[1], samples=int(sys.argv[2]), figure=sys.argv[3]); print(json.dumps(d))' \
    "$@" >>"$RESULTS"
}

declare -A target_of pid_of token_of keys_of

# Generates SIZE samples into DB_URL and serves them with a lims-server of their own.
serve() { # BACKEND SIZE DB_URL [SERVER_ARGS...]
  local backend=$1 size=$2 db=$3 keys=$TMP/keys-$1-$2 target started
  shift 3
  log "[$backend $size] generating"
  record "$backend" "$size" generate "$("$GEN" "$db" "$size" "$keys")"
  echo "CART-SLE" >"$keys.protocols"
  echo "CART-SLE M3 SER S01" >"$keys.criteria"
  target=127.0.0.1:$(free_port)
  started=$(date +%s%N)
  "$SERVER" --listen "$target" --db "$db" "$@" >"$TMP/server-$backend-$size.log" 2>&1 &
  pid_of[$size]=$!
  server_pids="$server_pids ${pid_of[$size]}"
  if ! "$BENCH" wait --target "$target" --seconds 600; then
    tail -n 20 "$TMP/server-$backend-$size.log" >&2
    return 1
  fi
  record "$backend" "$size" start "{\"ms\": $((($(date +%s%N) - started) / 1000000))}"
  target_of[$size]=$target keys_of[$size]=$keys
  token_of[$size]=${db#sqlite:}.admin-token
  [[ $backend == mariadb ]] && token_of[$size]=$TMP/mariadb-$size.admin-token
  return 0
}

run() { # BACKEND SIZE ROUND FIGURE RPC CLIENTS KEYS_SUFFIX [LOAD_ARGS...]
  local size=$2
  record "$1" "$size" "$4" "$("$BENCH" load --target "${target_of[$size]}" --rpc "$5" \
    --clients "$6" --seconds "$SECONDS_EACH" --token-file "${token_of[$size]}" \
    --barcodes "${keys_of[$size]}.$7" --label "$1" "${@:8}" |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); d["round"]=int(sys.argv[1]); print(json.dumps(d))' "$3")"
}

# Every figure on the small and the large database in turn, ROUNDS times (the report takes the
# medians): the machine's noise falls on both alike. Then each server's resident memory.
measure() { # BACKEND
  local backend=$1 size round
  # The first run over the keys reads their pages from disk (MariaDB reads past the operating
  # system's cache) or from the file cache: recorded on its own, the figures after it are those
  # of a server in use.
  for size in $SIZES; do run "$backend" "$size" 1 resolve-first resolve 1 barcodes --warmup 0; done
  for round in $(seq "$ROUNDS"); do
    log "[$backend] round $round of $ROUNDS"
    for size in $SIZES; do
      run "$backend" "$size" "$round" resolve-1 resolve 1 barcodes
      run "$backend" "$size" "$round" resolve-8 resolve 8 barcodes
      run "$backend" "$size" "$round" history history 1 barcodes
      run "$backend" "$size" "$round" box box 1 boxes
      run "$backend" "$size" "$round" completeness completeness 1 protocols
      run "$backend" "$size" "$round" criteria criteria 1 criteria
    done
  done
  # Memory once lims-server has been idle long enough to give freed memory back (memory_trim.h).
  sleep 31
  for size in $SIZES; do
    record "$backend" "$size" memory "$(/usr/bin/python3 -c 'import json, sys
print(json.dumps({l.split(":")[0]: int(l.split()[1]) for l in open(sys.argv[1])
                  if l.startswith(("VmRSS", "VmHWM", "RssAnon", "RssFile"))}))' "/proc/${pid_of[$size]}/status")"
    kill -TERM "${pid_of[$size]}"
    wait "${pid_of[$size]}" 2>/dev/null || true
  done
  server_pids=  # stopped: the exit trap has nothing to kill (a failed kill there ended the run with 1)
  log "[$backend] done"
}

for backend in $BACKENDS; do
  for size in $SIZES; do
    if [[ $backend == sqlite ]]; then
      serve sqlite "$size" "sqlite:$TMP/scale-$size.db"
    else
      [[ -n ${mariadb_url:-} ]] || {
        LIMS_MARIADB_ARGS="--innodb-buffer-pool-size=${BENCH_SCALE_BUFFER_POOL:-4G}" \
          bench_start_mariadb lims_scale_setup
      }
      "$ROOT/tests/mariadb.sh" client -e "CREATE DATABASE lims_scale_$size"
      serve mariadb "$size" "${mariadb_url%lims_scale_setup}lims_scale_$size" \
        --admin-token-file "$TMP/mariadb-$size.admin-token" --signing-key "$TMP/mariadb.signing-key"
    fi
  done
  measure "$backend"
  for size in $SIZES; do
    if [[ $backend == sqlite ]]; then
      rm -f "$TMP/scale-$size.db"*
    else
      "$ROOT/tests/mariadb.sh" client -e "DROP DATABASE lims_scale_$size"
    fi
  done
done

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
revision="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' with local changes')"
{
  /usr/bin/python3 "$ROOT/bench/scale_report.py" "$RESULTS" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$revision" "$(nproc) cores ($cpu); load average before: $load_before" "$SECONDS_EACH"
  # The explanation is written by people, not measured: kept in bench/.
  echo
  cat "$ROOT/bench/scale_analysis.md"
} >"$REPORT"
log "wrote $REPORT"
