#!/usr/bin/env bash
# The browser's figures (DESIGN §10): ResolveBarcode over the HTTP/JSON door against the same
# call over gRPC, in the same run, on the same lims-server, at 1 and 8 clients (target: the
# JSON door at ≥ 0.5 of gRPC's throughput); and the time from a scanner's Enter to the tube on
# screen, measured in Debian's headless Chromium on the Scan screen (target: p95 < 100 ms).
# Writes docs/benchmarks-http.md.
#
#   bench/http.sh
#
# Environment: BENCH_SAMPLES (10000), BENCH_SECONDS (3), BENCH_REPEATS (2), BENCH_CLIENTS
# ("1 8"), BENCH_SCANS (200), BENCH_REPORT (docs/benchmarks-http.md), LIMS_BUILD_DIR (build/).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
SAMPLES=${BENCH_SAMPLES:-10000}
SECONDS_EACH=${BENCH_SECONDS:-3}
REPEATS=${BENCH_REPEATS:-2}
CLIENTS=${BENCH_CLIENTS:-1 8}
SCANS=${BENCH_SCANS:-200}
REPORT=${BENCH_REPORT:-$ROOT/docs/benchmarks-http.md}

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

"$ROOT/deploy/install-deps.sh" --tests
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
flock /tmp/lims-build.lock cmake --build "$BUILD" -j"${LIMS_BUILD_JOBS:-2}" --target lims-server lims-bench
SERVER=$BUILD/services/server/lims-server
BENCH=$BUILD/bench/lims-bench
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lims-bench-http.XXXXXX")
server_pid=
cleanup() {
  local rc=$?
  [[ -n $server_pid ]] && { kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT

"$SERVER" --listen 127.0.0.1:0 --http 127.0.0.1:0 --db "sqlite:$TMP/bench.db" >"$TMP/server.log" 2>&1 &
server_pid=$!
grpc= http=
for _ in $(seq 200); do
  grpc=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/127.0.0.1:\1/p' "$TMP/server.log" | head -n 1)
  http=$(sed -n 's/.*JSON door on http:\/\/\(127.0.0.1:[0-9][0-9]*\)\/.*/\1/p' "$TMP/server.log" | head -n 1)
  [[ -n $grpc && -n $http ]] && break
  sleep 0.05
done
[[ -n $http ]] || { cat "$TMP/server.log" >&2; die "lims-server did not start"; }
"$BENCH" wait --target "$grpc" --seconds 20
log "seeding $SAMPLES samples"
"$BENCH" seed --target "$grpc" --token-file "$TMP/bench.db.admin-token" --samples "$SAMPLES" \
  --out "$TMP/barcodes.txt" >/dev/null

: >"$TMP/results.jsonl"
for clients in $CLIENTS; do
  for ((rep = 1; rep <= REPEATS; rep++)); do
    "$BENCH" load --target "$grpc" --rpc resolve --clients "$clients" --seconds "$SECONDS_EACH" \
      --token-file "$TMP/bench.db.admin-token" --barcodes "$TMP/barcodes.txt" --label grpc |
      tee -a "$TMP/results.jsonl" >&2
    "$BENCH" load --target "$http" --rpc resolve-json --clients "$clients" --seconds "$SECONDS_EACH" \
      --token-file "$TMP/bench.db.admin-token" --barcodes "$TMP/barcodes.txt" --label json |
      tee -a "$TMP/results.jsonl" >&2
  done
done

log "Enter-to-screen in Chromium ($SCANS scans)"
node "$ROOT/bench/ui_scan.mjs" "http://$http" "$(cat "$TMP/bench.db.admin-password")" \
  "$TMP/barcodes.txt" "$SCANS" >"$TMP/ui.json"

python3 - "$TMP/results.jsonl" "$TMP/ui.json" "$REPORT" "$SAMPLES" "$SECONDS_EACH" "$REPEATS" \
  "$CLIENTS" "$load_before" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'PY'
import json, sys, datetime
results, ui_file, report, samples, seconds, repeats, clients, load, commit = sys.argv[1:]
runs = [json.loads(line) for line in open(results) if line.strip()]
ui = json.load(open(ui_file))
best = {}
for run in runs:
    key = (run["label"], run["clients"])
    if key not in best or run["calls_per_s"] > best[key]["calls_per_s"]:
        best[key] = run
rows = []
for n in sorted({r["clients"] for r in runs}):
    g, j = best[("grpc", n)], best[("json", n)]
    ratio = j["calls_per_s"] / g["calls_per_s"]
    rows.append(f"| {n} | {g['calls_per_s']:.0f} | {j['calls_per_s']:.0f} | **{ratio:.2f}** | "
                f"{g['p50_us']:.0f} / {g['p99_us']:.0f} | {j['p50_us']:.0f} / {j['p99_us']:.0f} | "
                f"{'met' if ratio >= 0.5 else 'missed'} |")
p95 = ui["p95_ms"]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
text = f"""# The browser's figures: the JSON door and Enter-to-screen

- Command: `bench/http.sh` (BENCH_SAMPLES={samples}, BENCH_SECONDS={seconds}, BENCH_REPEATS={repeats}, BENCH_CLIENTS="{clients}", BENCH_SCANS={ui['scans']})
- Date: {now}, commit {commit}
- Machine: 2 cores; the load generator, lims-server and Chromium share them. Load average just before: {load}.
- Method: one lims-server (SQLite, {samples} samples seeded through the API). For each client count,
  `ResolveBarcode` over gRPC and the same call over the HTTP/JSON door (`POST
  /lims.v1.SampleService/ResolveBarcode`, one keep-alive connection per client, the answer parsed
  as JSON) alternate {repeats} times, {seconds} s each after 1 s of warm-up; the best run of each is shown.

## ResolveBarcode: JSON door against gRPC (target: ratio ≥ 0.5)

| clients | gRPC calls/s | JSON calls/s | ratio | gRPC p50 / p99 µs | JSON p50 / p99 µs | target |
|--:|--:|--:|--:|--:|--:|:--|
""" + "\n".join(rows) + f"""

## From the scanner's Enter to the tube on screen (target: p95 < 100 ms)

Debian's Chromium (headless, playwright-core), logged in as the admin, on the Scan screen: each
of {ui['scans']} seeded barcodes typed into the Barcode field and Enter pressed, as a USB scanner
does; the time is measured in the page from the Enter key to the tube's card and its box map
drawn (`document.body.dataset.lastScanMs`, set by the app after both calls returned and the DOM
was updated).

| scans | median ms | p95 ms | max ms | target |
|--:|--:|--:|--:|:--|
| {ui['scans']} | {ui['median_ms']:.1f} | {p95:.1f} | {ui['max_ms']:.1f} | {'met' if p95 < 100 else 'missed'} |

## Raw results

```
""" + "".join(open(results).readlines()) + json.dumps(ui) + "\n```\n"
open(report, "w").write(text)
print(text)
PY
log "wrote $REPORT"
