#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 (or a developer's machine): installs what it needs,
# configures and builds everything, starts a throw-away MariaDB so that the MariaDB tests run too,
# runs every CTest test and stops the database again, also when something fails.
#
# Environment: LIMS_BUILD_DIR (default build/), LIMS_BUILD_JOBS (default 2: the machines are
# shared), CTEST_PARALLEL_LEVEL (default 1), extra ctest arguments are passed on, e.g.
# `tests/run.sh -R e2e`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}
cd "$ROOT"

log() { echo "tests/run.sh: $*" >&2; }

"$ROOT/deploy/install-deps.sh" --tests

if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  log "configuring $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja
fi
log "building (-j$JOBS)"
# Several people share the cores of a machine: one build at a time.
if command -v flock >/dev/null; then
  flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS"
else
  cmake --build "$BUILD" -j"$JOBS"
fi

# A private state file: a MariaDB someone started by hand is neither reused nor stopped here.
export LIMS_MARIADB_STATE
LIMS_MARIADB_STATE=$(mktemp "${TMPDIR:-/tmp}/lims-test-mariadb.XXXXXX.env")
stop_db() {
  local rc=$?
  "$ROOT/tests/mariadb.sh" stop || true
  rm -f "$LIMS_MARIADB_STATE"
  exit "$rc"
}
trap stop_db EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -f "$LIMS_MARIADB_STATE" # mariadb.sh start writes it
eval "$("$ROOT/tests/mariadb.sh" start)"
export LIMS_TEST_MARIADB_URL

log "running ctest"
ctest --test-dir "$BUILD" --output-on-failure --no-tests=error "$@"
