#!/usr/bin/env bash
# A throw-away MariaDB server for the tests and benchmarks: its own data directory under a
# mktemp -d directory, its own socket and a free loopback port; no systemd, no system config.
#
#   tests/mariadb.sh start    start it (or reuse the running one); prints
#                             `export LIMS_TEST_MARIADB_URL=mariadb://lims_test:PW@127.0.0.1:PORT/`
#   tests/mariadb.sh url      print the URL of the running server
#   tests/mariadb.sh client   run the mariadb client on it as root (extra args passed on)
#   tests/mariadb.sh down     stop the server, keeping its data and port (a restart's first half)
#   tests/mariadb.sh up       start it again after down, same data, same port
#   tests/mariadb.sh stop     stop it and delete its data
#
# The state (pid, directory, port, URL) is kept in $LIMS_MARIADB_STATE (default
# var/test-mariadb.env under the project root); give each concurrent user its own state file.
# The URL names no database: tests create and drop their own (lims_test has ALL PRIVILEGES).
# LIMS_MARIADB_ARGS: more mariadbd options at start (e.g. a larger InnoDB buffer pool for a
# benchmark); word-split.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${LIMS_MARIADB_STATE:-$ROOT/var/test-mariadb.env}
# mariadbd and mariadb-install-db live in /usr/sbin, which is not on every user's PATH.
PATH=$PATH:/usr/sbin:/usr/bin

log() { echo "mariadb.sh: $*" >&2; }
die() { log "$*"; exit 1; }

is_running() {
  [[ -f $STATE ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE"
  [[ -n ${LIMS_MARIADB_PID:-} ]] && kill -0 "$LIMS_MARIADB_PID" 2>/dev/null
}

# A port nobody listens on now (a refused connect); the server start is retried if another
# process takes it first.
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

mysql_root() {
  mariadb --no-defaults --socket="$LIMS_MARIADB_DIR/sock" --user=root "$@"
}

# Starts mariadbd on $1's data directory and port $2; sets $pid; fails unless it answers.
launch() {
  local dir=$1 port=$2
  # shellcheck disable=SC2086  # LIMS_MARIADB_ARGS is a list of options
  setsid mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
    --bind-address=127.0.0.1 --user=root --pid-file="$dir/mariadbd.pid" \
    --log-error="$dir/error.log" --skip-name-resolve ${LIMS_MARIADB_ARGS:-} </dev/null >/dev/null 2>&1 &
  pid=$!
  # Ready in a few seconds; give it 60 for a loaded machine.
  for _ in $(seq 120); do
    kill -0 "$pid" 2>/dev/null || return 1
    if mariadb-admin --no-defaults --socket="$dir/sock" --user=root ping >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Stops mariadbd $1 cleanly (killed after 30 s).
terminate() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  # A clean InnoDB shutdown takes a second or two; do not leave it behind.
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  log "mariadbd did not stop in 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  is_running || die "not running: tests/mariadb.sh start"
  terminate "$LIMS_MARIADB_PID"
  log "down (data kept in $LIMS_MARIADB_DIR; tests/mariadb.sh up starts it again)"
}

up() {
  [[ -f $STATE ]] || die "never started: tests/mariadb.sh start"
  # shellcheck disable=SC1090
  source "$STATE"
  is_running && { log "already up"; return 0; }
  local pid
  launch "$LIMS_MARIADB_DIR" "$LIMS_MARIADB_PORT" || die "mariadbd did not start again"
  sed -i "s/^LIMS_MARIADB_PID=.*/LIMS_MARIADB_PID=$pid/" "$STATE"
  log "up again: pid $pid, port $LIMS_MARIADB_PORT"
}

start() {
  if is_running; then
    log "already running (pid $LIMS_MARIADB_PID, port $LIMS_MARIADB_PORT)"
    echo "export LIMS_TEST_MARIADB_URL=$LIMS_TEST_MARIADB_URL"
    return 0
  fi
  if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
    die "mariadbd not found: run deploy/install-deps.sh --tests"
  fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/lims-mariadb.XXXXXX")
  LIMS_MARIADB_DIR=$dir
  log "initialising a data directory in $dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user=root \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
    { cat "$dir/install.log" >&2; rm -rf "$dir"; die "mariadb-install-db failed"; }

  local port pid ready=0
  for attempt in 1 2 3 4 5; do
    port=$(free_port) || die "no free port found"
    launch "$dir" "$port" && ready=1
    ((ready)) && break
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    log "mariadbd did not start on port $port (attempt $attempt); last log lines:"
    tail -n 5 "$dir/error.log" >&2 || true
  done
  if ((!ready)); then
    rm -rf "$dir"
    die "could not start mariadbd"
  fi

  local password
  password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  mysql_root <<SQL
CREATE USER 'lims_test'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'lims_test'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'lims_test'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'lims_test'@'localhost';
FLUSH PRIVILEGES;
SQL

  mkdir -p "$(dirname "$STATE")"
  # var/ holds only machine-local files: keep it out of git without touching .gitignore.
  if [[ $(dirname "$STATE") == "$ROOT/var" && ! -f $ROOT/var/.gitignore ]]; then
    echo '*' >"$ROOT/var/.gitignore"
  fi
  local url="mariadb://lims_test:$password@127.0.0.1:$port/"
  cat >"$STATE" <<EOF
LIMS_MARIADB_PID=$pid
LIMS_MARIADB_DIR=$dir
LIMS_MARIADB_PORT=$port
LIMS_TEST_MARIADB_URL=$url
EOF
  chmod 600 "$STATE"
  log "running: pid $pid, port $port, data in $dir"
  echo "export LIMS_TEST_MARIADB_URL=$url"
}

stop() {
  if [[ ! -f $STATE ]]; then
    log "not running (no state file $STATE)"
    return 0
  fi
  # shellcheck disable=SC1090
  source "$STATE"
  if [[ -n ${LIMS_MARIADB_PID:-} ]]; then
    terminate "$LIMS_MARIADB_PID"
  fi
  # Only ever delete a directory this script created.
  if [[ ${LIMS_MARIADB_DIR:-} == */lims-mariadb.* && -d $LIMS_MARIADB_DIR ]]; then
    rm -rf "$LIMS_MARIADB_DIR"
  fi
  rm -f "$STATE"
  log "stopped"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  down) down ;;
  up) up ;;
  url)
    is_running || die "not running: tests/mariadb.sh start"
    echo "$LIMS_TEST_MARIADB_URL"
    ;;
  client)
    is_running || die "not running: tests/mariadb.sh start"
    shift
    mysql_root "$@"
    ;;
  *)
    echo "usage: tests/mariadb.sh start|down|up|stop|url|client [ARGS...]" >&2
    exit 2
    ;;
esac
