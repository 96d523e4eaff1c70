# Sourced by the single-process benchmarks (labels.sh, racks.sh) after ROOT is set: builds one
# target, runs it pinned to core 0 and describes the machine for the report.
#
# Environment: LIMS_BUILD_DIR (build/), LIMS_BUILD_JOBS (2).
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}

# Installs what is missing, configures if needed and builds TARGET (one build at a time).
bench_build() {
  "$ROOT/deploy/install-deps.sh"
  [[ -f $BUILD/CMakeCache.txt ]] || cmake -S "$ROOT" -B "$BUILD" -G Ninja
  flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS" --target "$1"
}

# Runs bench/BINARY [ARGS...] on core 0 (unpinned where taskset is refused) and sets $table to its
# output and $load_before, $cpu, $build_type, $revision for the report.
bench_run_pinned() {
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  table=$(taskset -c 0 "$BUILD/bench/$1" "${@:2}" 2>/dev/null || "$BUILD/bench/$1" "${@:2}")
  cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
  build_type=${build_type:-RelWithDebInfo, the project default}
  revision="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
}
