#!/usr/bin/env bash
# Try the LIMS on this machine: installs what it needs, builds lims-server and the `lims` client
# (Release), starts lims-server in the background on the embedded SQLite database in var/, loads
# the demo data and demo users (as the admin whose token lims-server writes on its first start)
# and tells how to log in and use it.
#
#   deploy/run.sh           build, start (or keep / restart) and load the demo data
#   deploy/run.sh status    is it running, where, with which database
#   deploy/run.sh stop      stop it (SIGTERM, then SIGKILL after 15 s)
#
# A second run with the server already running keeps it running when the build left lims-server
# unchanged, and restarts it when the build produced a new binary. The demo data loader is
# idempotent, so it runs every time.
#
# Environment: LIMS_LISTEN (127.0.0.1:50051), LIMS_DB (sqlite:var/lims.db), LIMS_BUILD_DIR
# (build/), LIMS_BUILD_JOBS (2). The admin token goes to <database file>.admin-token for SQLite
# (var/lims.db.admin-token), to var/lims.admin-token for MariaDB (LIMS_DB=mariadb://...).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LIMS_BUILD_DIR:-$ROOT/build}
JOBS=${LIMS_BUILD_JOBS:-2}
VAR=$ROOT/var
PID_FILE=$VAR/lims-server.pid
LOG_FILE=$VAR/lims-server.log
# What the running server was started with: listen address, database, binary stamp.
STATE_FILE=$VAR/lims-server.state
SERVER=$BUILD/services/server/lims-server
CLI=$BUILD/services/cli/lims
LISTEN=${LIMS_LISTEN:-127.0.0.1:50051}
# The browser app and the JSON door.
HTTP=${LIMS_HTTP:-127.0.0.1:8080}
DB=${LIMS_DB:-sqlite:$VAR/lims.db}
# Where lims-server writes the admin user's token when it starts on an empty database: next to
# an SQLite file (its own default), else where we tell it.
case $DB in
  sqlite:*)
    sqlite_path=${DB#sqlite:}
    ADMIN_TOKEN_FILE=${sqlite_path#//}.admin-token
    ADMIN_TOKEN_ARGS=()
    ;;
  *)
    ADMIN_TOKEN_FILE=$VAR/lims.admin-token
    ADMIN_TOKEN_ARGS=(--admin-token-file "$ADMIN_TOKEN_FILE")
    ;;
esac
TOKENS_DIR=$VAR/tokens
ADMIN_PASSWORD_FILE=${ADMIN_TOKEN_FILE%.admin-token}.admin-password

log() { echo "run.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# The pid of the running lims-server started by this script, or nothing.
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  # The pid must still be a lims-server (not a reused pid).
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    [[ $(ps -o comm= -p "$pid" 2>/dev/null) == lims-server ]] || return 1
  echo "$pid"
}

# Whether something already accepts connections on the listen address.
listen_in_use() {
  local host=${LISTEN%:*} port=${LISTEN##*:}
  host=${host#[}
  host=${host%]}
  case $host in '' | 0.0.0.0 | '*') host=127.0.0.1 ;; '::') host=::1 ;; esac
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

binary_stamp() { stat -c '%Y %s' "$SERVER"; }

# A database URL as it may be shown: without its password.
redacted() { # URL
  sed -E 's#^([a-z]+://[^:/@]*):.*@#\1:***@#' <<<"$1"
}

state_value() { # KEY
  [[ -f $STATE_FILE ]] && sed -n "s/^$1=//p" "$STATE_FILE"
}

stop_server() {
  local pid
  if ! pid=$(running_pid); then
    log "lims-server is not running"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping lims-server (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "lims-server did not stop in 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "lims-server is running: pid $pid, listening on $(state_value listen)," \
      "database $(redacted "$(state_value db)")"
    echo "admin token: $(state_value admin_token); demo users' tokens: $TOKENS_DIR/" \
      "(lims login --token-file FILE)"
    echo "log: $LOG_FILE"
  else
    echo "lims-server is not running (start it with deploy/run.sh)"
    return 3
  fi
}

build() {
  "$ROOT/deploy/install-deps.sh"
  # A new build directory is configured for Release; an existing one keeps its build type (the
  # project default, RelWithDebInfo, is optimised too), so as not to rebuild everything.
  if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  log "building lims-server and lims (-j$JOBS)"
  # Several people may share the machine's cores: one build at a time.
  flock /tmp/lims-build.lock cmake --build "$BUILD" -j"$JOBS" --target lims-server lims
  [[ -x $SERVER ]] || die "no $SERVER after the build"
  [[ -x $CLI ]] || die "no $CLI after the build"
}

start_server() {
  mkdir -p "$VAR"
  # var/ holds only machine-local files (database, log, pid, tokens): keep it out of git.
  [[ -f $VAR/.gitignore ]] || echo '*' >"$VAR/.gitignore"
  # Otherwise the readiness check below would talk to that other server.
  if listen_in_use; then
    die "something else already listens on $LISTEN: stop it or choose another address with LIMS_LISTEN"
  fi
  log "starting lims-server on $LISTEN with $(redacted "$DB") (log: $LOG_FILE)"
  # setsid: the server outlives this script and the terminal it was started from.
  setsid "$SERVER" --listen "$LISTEN" --http "$HTTP" --db "$DB" "${ADMIN_TOKEN_ARGS[@]}" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  printf 'listen=%s\nhttp=%s\ndb=%s\nadmin_token=%s\nbinary=%s\n' "$LISTEN" "$HTTP" "$DB" \
    "$ADMIN_TOKEN_FILE" "$(binary_stamp)" >"$STATE_FILE"

  # Ready when the server answers a call: without a token (no LIMS_TOKEN, no stored login) it
  # refuses it with UNAUTHENTICATED, exit code 9. Give up after about 20 s. (The client retries
  # an unavailable server by itself, hence the time limit on each try.)
  local deadline=$((SECONDS + 20)) rc
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      die "lims-server exited at start (see the log lines above)"
    fi
    rc=0
    env -u LIMS_TOKEN XDG_CONFIG_HOME="$VAR/no-login" timeout 5 "$CLI" --server "$LISTEN" whoami \
      >/dev/null 2>&1 || rc=$?
    if [[ $rc == 0 || $rc == 9 ]] && kill -0 "$pid" 2>/dev/null; then
      log "lims-server is up (pid $pid)"
      return 0
    fi
    sleep 0.25
  done
  tail -n 20 "$LOG_FILE" >&2
  die "lims-server (pid $pid) did not answer on $LISTEN within 20 s; stop it with deploy/run.sh stop"
}

# A database made before passwords existed has an admin without one: give it one, written
# where lims-server writes the first admin's (mode 0600).
ensure_admin_password() {  # ensure_admin_password ADMIN_TOKEN
  [[ -s $ADMIN_PASSWORD_FILE ]] && return 0
  local password
  password=$(head -c 15 /dev/urandom | base64 | tr '+/' 'xy')
  (umask 077 && printf '%s\n' "$password" >"$ADMIN_PASSWORD_FILE")
  printf '%s\n' "$password" | LIMS_TOKEN=$1 "$CLI" --server "$LISTEN" user password admin >/dev/null
  log "set a password for admin (in $ADMIN_PASSWORD_FILE)"
}

start() {
  build
  local pid
  if pid=$(running_pid); then
    if [[ $(state_value binary) != "$(binary_stamp)" ]]; then
      log "lims-server was rebuilt: restarting it"
      stop_server
      start_server
    elif [[ $(state_value listen) != "$LISTEN" || $(state_value db) != "$DB" ||
            $(state_value http) != "$HTTP" ]]; then
      die "lims-server is already running on $(state_value listen) with $(redacted "$(state_value db)"); stop it first (deploy/run.sh stop)"
    else
      log "lims-server is already running (pid $pid, unchanged binary): leaving it as it is"
    fi
  else
    start_server
  fi

  # The demo loader acts as the admin: with the token lims-server wrote on the database's first
  # start, else with the caller's LIMS_TOKEN.
  local admin_token=${LIMS_TOKEN:-}
  if [[ -s $ADMIN_TOKEN_FILE ]]; then
    admin_token=$(<"$ADMIN_TOKEN_FILE")
  fi
  if [[ ! -x $ROOT/deploy/demo-data.sh ]]; then
    log "deploy/demo-data.sh is missing: no demo data loaded"
  elif [[ -z $admin_token ]]; then
    log "no admin token in $ADMIN_TOKEN_FILE (the database had users before lims-server first"
    log "started with it) and no LIMS_TOKEN: no demo data loaded. Run again with LIMS_TOKEN set to"
    log "an admin's token."
  else
    log "loading the demo data and demo users"
    LIMS_TOKEN=$admin_token LIMS_DEMO_TOKENS=$TOKENS_DIR LIMS_DEMO_LABEL_SPOOL=$VAR/labels \
      "$ROOT/deploy/demo-data.sh" "$CLI" "$LISTEN"
    ensure_admin_password "$admin_token"
  fi

  cat <<EOF

The LIMS is running on $LISTEN (database $(redacted "$DB")).

Open the browser app: http://$HTTP/
  technician:  tech.psl     password tech.psl-demo
  manager:     manager.psl  password manager.psl-demo
  coordinator: coord.psl    password coord.psl-demo
  admin:       admin        password in $ADMIN_PASSWORD_FILE

Log in (every call needs a token) as the admin, or as a demo user (tech.psl, manager.psl,
coord.psl or researcher, tokens in $TOKENS_DIR/):
  export PATH="$BUILD/services/cli:\$PATH" LIMS_SERVER=$LISTEN
  lims login --token-file $ADMIN_TOKEN_FILE
  lims login --token-file $TOKENS_DIR/tech.psl    # instead: a technician at PSL
  lims whoami

Try it:
  lims site list
  lims storage tree              # freezers, racks and boxes, with their ids
  lims box show BOX_ID           # a box drawn as a grid, with its tubes
  lims resolve BARCODE           # a barcode listed above: which tube, where, whose
  lims history BARCODE           # who did what to it, when
  lims completeness CART-SLE     # who is due, overdue or missing samples (--svg FILE draws it)
  lims label preview BARCODE --png label.png   # the tube's label as it will print
  lims label print BARCODE --printer demo-spool  # ZPL into $VAR/labels/
  lims --help

Any gRPC client works too (server reflection and grpc.health.v1 are on).
Log: $LOG_FILE
Status: deploy/run.sh status
Stop:   deploy/run.sh stop
EOF
}

case ${1:-start} in
  start) start ;;
  stop) stop_server ;;
  status) status ;;
  *)
    echo "usage: deploy/run.sh [start|status|stop]" >&2
    exit 2
    ;;
esac
