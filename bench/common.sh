# Sourced by the single-process benchmarks (labels.sh, racks.sh, requests.sh, monitoring.sh)
# after ROOT is set: builds one target, runs it pinned to core 0 and describes the machine for
# the report; gives a temporary directory and, for the database benchmarks, a throw-away MariaDB.
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

# A temporary directory ($TMP) removed on exit, with the throw-away MariaDB that
# bench_start_mariadb may start in it (stopped on exit too).
bench_tmp() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/lims-$1.XXXXXX")
  trap bench_tmp_cleanup EXIT
}
bench_tmp_cleanup() {
  if [[ -f $TMP/mariadb.env ]]; then
    LIMS_MARIADB_STATE=$TMP/mariadb.env "$ROOT/tests/mariadb.sh" stop || true
  fi
  rm -rf "$TMP"
}

# Starts a throw-away MariaDB (tests/mariadb.sh) with database $1; sets $mariadb_url to it.
bench_start_mariadb() {
  export LIMS_MARIADB_STATE=$TMP/mariadb.env
  eval "$("$ROOT/tests/mariadb.sh" start)"
  "$ROOT/tests/mariadb.sh" client -e "CREATE DATABASE IF NOT EXISTS $1"
  mariadb_url="${LIMS_TEST_MARIADB_URL}$1"
}
