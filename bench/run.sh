#!/usr/bin/env bash
# Barcode-resolution benchmark (DESIGN §10) and the report in docs/benchmarks.md.
#
#   bench/run.sh [--mariadb]
#
# Builds lims-server and lims-bench (Release), starts a bare gRPC echo server and lims-server as
# separate processes (SQLite in a temporary directory; with --mariadb then also a second
# lims-server on a throw-away MariaDB from tests/mariadb.sh), seeds each with BENCH_SAMPLES
# samples as the admin (with the token each lims-server writes on its first start), then for 1, 8
# and 32 clients alternates echo and ResolveBarcode runs of BENCH_SECONDS each, BENCH_REPEATS
# times, keeping the best run of each (highest throughput, with that run's latencies). Every call
# carries the admin's token, echo calls too. Everything runs on this machine: the load generator
# shares the cores with the servers.
#
# Environment: BENCH_SAMPLES (10000), BENCH_SECONDS (3), BENCH_REPEATS (2), BENCH_CLIENTS
# ("1 8 32"), BENCH_REPORT (docs/benchmarks.md), LIMS_BUILD_DIR (build/), LIMS_BUILD_JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}
SAMPLES=${BENCH_SAMPLES:-10000}
SECONDS_EACH=${BENCH_SECONDS:-3}
REPEATS=${BENCH_REPEATS:-2}
CLIENTS=${BENCH_CLIENTS:-1 8 32}
REPORT=${BENCH_REPORT:-$ROOT/docs/benchmarks.md}
COMMAND_LINE="bench/run.sh${*:+ $*}"

with_mariadb=0
for arg in "$@"; do
  case $arg in
    --mariadb) with_mariadb=1 ;;
    *) echo "usage: bench/run.sh [--mariadb]" >&2; exit 2 ;;
  esac
done

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

# --- dependencies and build ---------------------------------------------------------------
if ((with_mariadb)); then
  "$ROOT/deploy/install-deps.sh" --tests
else
  "$ROOT/deploy/install-deps.sh"
fi
# A new build directory is configured for Release; an existing one keeps its build type (the
# project default, RelWithDebInfo, is optimised too), so as not to rebuild everything.
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
log "building lims-server and lims-bench (-j$JOBS)"
flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS" --target lims-server lims-bench
SERVER=$BUILD/services/server/lims-server
BENCH=$BUILD/bench/lims-bench
[[ -x $SERVER ]] || die "no $SERVER after the build"
[[ -x $BENCH ]] || die "no $BENCH after the build"

# Other work on the machine skews the numbers: record how busy it was before we start.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- processes: started here, stopped here (by pid) ---------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lims-bench.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ -f $TMP/mariadb.env ]]; then
    LIMS_MARIADB_STATE=$TMP/mariadb.env "$ROOT/tests/mariadb.sh" stop || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Starts a server in the background, records its pid, waits until it accepts connections.
start_server() { # NAME TARGET COMMAND...
  local name=$1 target=$2
  shift 2
  "$@" >"$TMP/$name.log" 2>&1 &
  pids+=($!)
  if ! "$BENCH" wait --target "$target" --seconds 20; then
    tail -n 20 "$TMP/$name.log" >&2
    die "$name did not start"
  fi
  log "$name up on $target (pid ${pids[-1]})"
}

stop_last_server() {
  local pid=${pids[-1]}
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

RESULTS=$TMP/results.jsonl
: >"$RESULTS"

echo_target=127.0.0.1:$(free_port)
start_server echo-server "$echo_target" "$BENCH" echo-server --listen "$echo_target"

# Seeds one lims-server and measures it against the echo server, alternating the two. The server
# starts on an empty database, so it creates the admin user and writes its token to TOKEN_FILE
# (SQLite: <database file>.admin-token; other databases: the --admin-token-file among the extra
# server arguments); seed and load send that token, the echo load too (the same metadata on
# both sides).
bench_backend() { # LABEL DB_URL TOKEN_FILE [SERVER_ARGS...]
  local label=$1 db=$2 token_file=$3 target
  shift 3
  target=127.0.0.1:$(free_port)
  start_server "lims-server-$label" "$target" "$SERVER" --listen "$target" --db "$db" "$@"
  [[ -s $token_file ]] || die "[$label] lims-server wrote no admin token to $token_file"
  log "[$label] seeding $SAMPLES samples"
  local seed_started=$SECONDS
  "$BENCH" seed --target "$target" --token-file "$token_file" --samples "$SAMPLES" \
    --out "$TMP/barcodes-$label.txt" >/dev/null
  log "[$label] seeded in $((SECONDS - seed_started)) s"
  for clients in $CLIENTS; do
    for ((rep = 1; rep <= REPEATS; rep++)); do
      for rpc in echo resolve; do
        local t=$echo_target
        [[ $rpc == resolve ]] && t=$target
        "$BENCH" load --target "$t" --rpc "$rpc" --clients "$clients" --seconds "$SECONDS_EACH" \
          --token-file "$token_file" --barcodes "$TMP/barcodes-$label.txt" --label "$label" |
          tee -a "$RESULTS" >&2
      done
    done
  done
  stop_last_server
}

bench_backend sqlite "sqlite:$TMP/bench.db" "$TMP/bench.db.admin-token"

if ((with_mariadb)); then
  export LIMS_MARIADB_STATE=$TMP/mariadb.env
  eval "$("$ROOT/tests/mariadb.sh" start)"
  # The lims database itself is made here; the URL from mariadb.sh names none.
  "$ROOT/tests/mariadb.sh" client -e 'CREATE DATABASE IF NOT EXISTS lims_bench'
  bench_backend mariadb "${LIMS_TEST_MARIADB_URL}lims_bench" "$TMP/mariadb.admin-token" \
    --admin-token-file "$TMP/mariadb.admin-token" --signing-key "$TMP/mariadb.signing-key"
fi

# --- report -------------------------------------------------------------------------------
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
build_type=${build_type:-RelWithDebInfo (project default)}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
{
  cat <<EOF
# Benchmarks

Barcode resolution against a bare gRPC echo service (DESIGN §10): \`ResolveBarcode\` should reach
at least half the echo service's throughput (ratio ≥ 0.5) with a p99 latency at most twice the
echo's (p99 ratio ≤ 2), at 1, 8 and 32 clients.

- Command: \`$COMMAND_LINE\` (BENCH_SAMPLES=$SAMPLES, BENCH_SECONDS=$SECONDS_EACH, BENCH_REPEATS=$REPEATS, BENCH_CLIENTS="$CLIENTS")
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')
- Machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB; the load generator, the echo server and
  lims-server all run on it and share those cores, so the absolute numbers are low and the
  ratios are what counts. Load average (1/5/15 min) just before the run: $load_before (other
  work on the machine during a run makes the numbers noisier).
- Method: each lims-server is a separate process on a fresh database, seeded through the API
  with $SAMPLES samples (250 patients, every second sample placed in a 9×9 box). For each client
  count, echo and resolve runs of ${SECONDS_EACH} s (after 1 s of uncounted warm-up) alternate,
  $REPEATS times each; the table shows the best run of each kind by throughput, with the
  p50/p99 of that same run. Each client is a thread with its own channel and connection doing
  closed-loop synchronous calls; both services get the same \`authorization: Bearer\` metadata
  (the admin's token; lims-server checks it on every call, the echo service ignores it); the echo
  payload is a barcode. Build type: $build_type.

Label rendering (96 cryotube labels to ZPL and PNG) has its own figures:
[benchmarks-labels.md](benchmarks-labels.md), written by \`bench/labels.sh\`.

Rack pictures (96-tube racks read into wells at three difficulty levels, against plain ZXing-cpp
\`ReadBarcodes\` over the whole picture) have theirs: [benchmarks-racks.md](benchmarks-racks.md),
written by \`bench/racks.sh\`.

Researcher criteria queries on a generated database of about a million samples (against a SQL
\`COUNT(*)\` over the same rows): [benchmarks-requests.md](benchmarks-requests.md), written by
\`bench/requests.sh\`.

The deployment's figures (ResolveBarcode through nginx to two SampleService processes against
one all-in-one lims-server, and tubes placed per second on a 3-node Galera cluster against one
MariaDB): [benchmarks-cluster.md](benchmarks-cluster.md), written by \`bench/cluster.sh\`.

The browser's figures (ResolveBarcode over the HTTP/JSON door against gRPC in the same run, and
a scanner's Enter to the tube on screen in Chromium): [benchmarks-http.md](benchmarks-http.md),
written by \`bench/http.sh\`.

Ten million samples next to ten thousand in the same run (ResolveBarcode's p99, a tube's
history, a box, a page of completeness, a criteria preview, and lims-server's memory):
[benchmarks-scale.md](benchmarks-scale.md), written by \`bench/scale.sh\`.

Loading an existing collection (a million aliquots from a CSV export):
[benchmarks-import.md](benchmarks-import.md), written by \`bench/import.sh\`.

EOF
  "$BENCH" report "$RESULTS"
  # The profile-based explanation is written by people, not measured: kept in bench/.
  cat "$ROOT/bench/analysis.md"
  echo
  echo "## Raw results"
  echo
  echo "One JSON line per run (latencies in µs):"
  echo
  echo '```'
  cat "$RESULTS"
  echo '```'
} >"$TMP/report.md"
mkdir -p "$(dirname "$REPORT")"
cp "$TMP/report.md" "$REPORT"
log "wrote $REPORT"
"$BENCH" report "$RESULTS" >&2
