#!/usr/bin/env bash
# The LIMS as separate processes on one machine, for trying the microservice deployment: one
# lims-server per service (`--services NAME`), more for the hot ones, all on one database, behind
# a private nginx as the single front door (config from deploy/nginx/lims.conf.in). Everything
# lives under DIR: cluster.env (settings), procs (a line per process: name service grpc-port
# http-port), log/NAME.log, run/NAME.pid, lims.db (the SQLite default), lims.admin-token,
# signing-key, and nginx/ (its config, pid, logs and temporary files).
#
#   deploy/cluster.sh up DIR [--db URL] [--grpc HOST:PORT] [--http HOST:PORT]
#       start everything; returns once nginx answers and every process's /healthz is OK. The
#       last line of stdout gives the gRPC and HTTP addresses.
#   deploy/cluster.sh status DIR            a line per process and for nginx; exit 0 if all healthy
#   deploy/cluster.sh down DIR              stop everything (SIGTERM; SIGKILL after 20 s)
#   deploy/cluster.sh restart DIR SERVICE   rolling restart of SERVICE's processes, one at a time:
#       marked down in nginx (the reload awaited: the old workers finished their calls), stopped
#       (SIGTERM: its running calls finish), started again on the same ports, healthy, back in
#       nginx. A service with one process is away while it restarts (about a second: nginx
#       answers UNAVAILABLE, which the lims CLI retries).
#
# The first process starts alone: on an empty database it applies the migrations and writes the
# admin token to DIR/lims.admin-token (lims --server GRPC login --token-file DIR/lims.admin-token).
#
# Environment (options win): LIMS_SERVER_BIN (build/services/server/lims-server),
# LIMS_CLUSTER_DB (sqlite:DIR/lims.db), LIMS_CLUSTER_GRPC (127.0.0.1:50051), LIMS_CLUSTER_HTTP
# (127.0.0.1:8080), LIMS_CLUSTER_REPLICAS (processes per service, default sample=2; e.g.
# sample=2,storage=2), LIMS_CLUSTER_PORT_BASE (20000: processes get the first free ports from
# there, below the kernel's ephemeral range, so no outgoing connection holds a port while its
# process restarts), NGINX (/usr/sbin/nginx). lims-server's own variables (LIMS_LOG_LEVEL,
# LIMS_LABEL_TEMPLATES, ...) reach every process.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NGINX=${NGINX:-/usr/sbin/nginx}
TIMEOUT=30      # seconds a process or nginx gets to answer, or an nginx reload to take effect
STOP_TIMEOUT=20 # seconds before SIGKILL (lims-server's shutdown grace is 10 s)
declare -a NAMES=()
declare -A SVC=() GPORT=() HPORT=()

log() { echo "cluster.sh: $*" >&2; }
die() { log "$*"; exit 1; }
usage() { sed -n '9,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
now_us() { echo "${EPOCHREALTIME/./}"; }
ms_since() { echo $((($(now_us) - $1) / 1000)); } # START_US

# --- state ------------------------------------------------------------------------------------

# Sets DIR to $1 made absolute (it goes into nginx's config); `up` makes it.
set_dir() { # DIR [make]
  [[ -n ${1:-} ]] || usage
  [[ -z ${2:-} ]] || mkdir -p "$1"
  [[ -d $1 ]] || die "no directory $1"
  DIR=$(cd "$1" && pwd)
  [[ $DIR =~ ^[A-Za-z0-9_./+-]+$ ]] || die "$DIR: only letters, digits and _./+- please"
}

load_state() {
  [[ -f $DIR/cluster.env && -f $DIR/procs ]] || die "$DIR holds no cluster: cluster.sh up $DIR"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
  local name service gport hport
  while read -r name service gport hport; do
    NAMES+=("$name") SVC[$name]=$service GPORT[$name]=$gport HPORT[$name]=$hport
  done <"$DIR/procs"
}

names_of() { # SERVICE
  local n
  for n in "${NAMES[@]}"; do [[ ${SVC[$n]} != "$1" ]] || echo "$n"; done
}

# Is PID a live (not zombie) process whose command line contains TEXT?
alive() { # PID TEXT
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]] &&
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# The pid of process NAME if it runs (a pid file of a process that is gone says nothing).
process_pid() {
  local pid
  pid=$(cat "$DIR/run/$1.pid" 2>/dev/null) || return 1
  alive "$pid" "--listen 127.0.0.1:${GPORT[$1]} " && echo "$pid"
}

healthy() { curl -fsS --max-time 2 "http://127.0.0.1:${HPORT[$1]}/healthz" >/dev/null 2>&1; }

any_running() {
  local n
  for n in "${NAMES[@]}"; do process_pid "$n" >/dev/null && return 0; done
  nginx_pid >/dev/null
}

# --- planning ---------------------------------------------------------------------------------

# Sets PORT to the first port from NEXT_PORT on that no socket uses, and moves NEXT_PORT on.
# (Not even a closed connection in TIME-WAIT: another program's may keep us from binding.)
next_port() {
  while [[ -n $(ss -Htan "sport = :$NEXT_PORT") ]]; do NEXT_PORT=$((NEXT_PORT + 1)); done
  PORT=$NEXT_PORT NEXT_PORT=$((NEXT_PORT + 1))
}

# Writes DIR/procs: every service lims-server knows, with its replica count, on free ports.
plan_processes() {
  local services count name i service replicas=${LIMS_CLUSTER_REPLICAS-sample=2}
  services=$("$SERVER_BIN" --help | sed -n 's/.*subset to host (\([a-z,]*\)).*/\1/p')
  [[ -n $services ]] || die "cannot read the service names from $SERVER_BIN --help"
  for service in $(tr ',' '\n' <<<"$replicas" | sed 's/=.*//'); do
    [[ ,$services, == *",$service,"* ]] || die "LIMS_CLUSTER_REPLICAS: no service $service ($services)"
  done
  NEXT_PORT=${LIMS_CLUSTER_PORT_BASE:-20000}
  : >"$DIR/procs"
  for service in ${services//,/ }; do
    grep -q "@grpc $service@" "$ROOT/deploy/nginx/lims.conf.in" ||
      die "deploy/nginx/lims.conf.in has no upstream for the service $service: add one"
    count=$(tr ',' '\n' <<<"$replicas" | sed -n "s/^$service=//p")
    [[ ${count:=1} =~ ^[1-9]$ ]] || die "LIMS_CLUSTER_REPLICAS: $service=$count (1 to 9 please)"
    for ((i = 1; i <= count; i++)); do
      name=$service
      ((count == 1)) || name=$service-$i
      next_port && echo -n "$name $service $PORT " >>"$DIR/procs"
      next_port && echo "$PORT" >>"$DIR/procs"
    done
  done
}

# --- lims-server processes --------------------------------------------------------------------

start_process() { # NAME
  setsid "$SERVER_BIN" --services "${SVC[$1]}" --listen "127.0.0.1:${GPORT[$1]}" \
    --http "127.0.0.1:${HPORT[$1]}" --db "$DB" --admin-token-file "$DIR/lims.admin-token" \
    --signing-key "$DIR/signing-key" --trusted-proxies 127.0.0.1/32 \
    >>"$DIR/log/$1.log" 2>&1 </dev/null &
  echo $! >"$DIR/run/$1.pid"
}

wait_healthy() { # NAME
  local deadline=$((SECONDS + TIMEOUT))
  until healthy "$1"; do
    if ! process_pid "$1" >/dev/null; then
      tail -n 5 "$DIR/log/$1.log" >&2
      die "$1 exited at start (log: $DIR/log/$1.log)"
    fi
    ((SECONDS < deadline)) || die "$1 not healthy on port ${HPORT[$1]} within $TIMEOUT s"
    sleep 0.1
  done
}

# SIGTERM to each PID, then SIGKILL to those still there after STOP_TIMEOUT.
stop_pids() { # PID...
  local pid deadline=$((SECONDS + STOP_TIMEOUT)) left
  kill -TERM "$@" 2>/dev/null || true
  while :; do
    left=()
    for pid in "$@"; do alive "$pid" "" && left+=("$pid"); done
    ((${#left[@]} == 0)) && return 0
    ((SECONDS < deadline)) || break
    sleep 0.1
  done
  log "still running after $STOP_TIMEOUT s, killed: ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
}

# --- nginx ------------------------------------------------------------------------------------

nginx_cmd() { "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" "$@"; }
nginx_pid() {
  local pid
  pid=$(cat "$DIR/nginx/nginx.pid" 2>/dev/null) && alive "$pid" "$DIR/nginx/nginx.conf" && echo "$pid"
}
nginx_workers() { ps -o pid= --ppid "$1" | tr -d ' ' || true; }

# Writes nginx's configuration; process $1 (if any) is marked down in every upstream.
write_nginx_conf() { # [DOWN_NAME]
  local user=''
  mkdir -p "$DIR/nginx/temp"
  [[ $(id -u) != 0 ]] || user="user $(id -un);"
  sed -e "s#@DIR@#$DIR/nginx#g" -e "s#@USER@#$user#" \
    "$ROOT/deploy/nginx/cluster-nginx.conf.in" >"$DIR/nginx/nginx.conf"
  awk -v procs="$DIR/procs" -v down="${1:-}" -v grpc="$GRPC_LISTEN" -v http="$HTTP_LISTEN" '
    BEGIN { while ((getline line < procs) > 0) { n++; split(line, f, " ");
              name[n] = f[1]; svc[n] = f[2]; port["grpc", n] = f[3]; port["http", n] = f[4] } }
    /^[ \t]*@(grpc|http) [a-z]+@[ \t]*$/ {
      indent = $0; sub(/[^ \t].*/, "", indent)
      spec = $0; gsub(/[@ \t]+/, " ", spec); split(spec, s, " ")
      for (i = 1; i <= n; i++)
        if (s[2] == "any" || s[2] == svc[i])
          printf "%sserver 127.0.0.1:%s%s;\n", indent, port[s[1], i], name[i] == down ? " down" : ""
      next }
    { gsub(/@GRPC_LISTEN@/, grpc); gsub(/@HTTP_LISTEN@/, http); print }
  ' "$ROOT/deploy/nginx/lims.conf.in" >"$DIR/nginx/lims.conf"
  nginx_cmd -t -q || die "nginx refuses $DIR/nginx/nginx.conf (see above)"
}

# Does the front door answer on both listeners? A gRPC health check (through a process) on the
# gRPC one: its answer ends in SERVING (field 1 = 1); /healthz on the HTTP one.
front_answers() {
  printf '\0\0\0\0\0' | curl -sS --http2-prior-knowledge --max-time 2 --data-binary @- \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://$GRPC_LISTEN/grpc.health.v1.Health/Check" 2>/dev/null | od -An -tx1 |
    tr -d ' \n' | grep -q '0801$' &&
    curl -fsS --max-time 2 "http://$HTTP_LISTEN/healthz" >/dev/null 2>&1
}

start_nginx() {
  local deadline=$((SECONDS + TIMEOUT))
  write_nginx_conf
  nginx_cmd || die "nginx did not start (see $DIR/nginx/error.log)"
  until front_answers; do
    ((SECONDS < deadline)) || die "nginx does not answer on $GRPC_LISTEN and $HTTP_LISTEN"
    sleep 0.1
  done
}

# Applies the configuration written and returns once only new workers run: the old ones have
# finished the calls they had (worker_shutdown_timeout bounds that) and will route no more.
reload_nginx() {
  local master old deadline=$((SECONDS + TIMEOUT + 10))
  master=$(nginx_pid) || die "nginx is not running (cluster.sh up $DIR)"
  mapfile -t old < <(nginx_workers "$master")
  nginx_cmd -s reload
  until only_new_workers "$master" "${old[@]}"; do
    ((SECONDS < deadline)) || die "nginx's old workers still run $((TIMEOUT + 10)) s after the reload"
    sleep 0.05
  done
}
only_new_workers() { # MASTER OLD_WORKER...
  local now pid
  now=" $(nginx_workers "$1" | tr '\n' ' ')"
  [[ -n ${now// /} ]] || return 1
  for pid in "${@:2}"; do [[ $now != *" $pid "* ]] || return 1; done
}

# --- commands ---------------------------------------------------------------------------------

cmd_up() {
  local db=${LIMS_CLUSTER_DB:-} grpc=${LIMS_CLUSTER_GRPC:-127.0.0.1:50051}
  local http=${LIMS_CLUSTER_HTTP:-127.0.0.1:8080} name listen started
  started=$(now_us)
  while (($#)); do
    case $1 in
      --db | --grpc | --http) (($# >= 2)) || usage; printf -v "${1#--}" %s "$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  if [[ -f $DIR/procs ]] && (load_state && any_running); then
    die "a cluster already runs in $DIR (cluster.sh status $DIR; cluster.sh down $DIR)"
  fi
  SERVER_BIN=$(realpath "${LIMS_SERVER_BIN:-$ROOT/build/services/server/lims-server}")
  [[ -x $SERVER_BIN ]] || die "no lims-server at $SERVER_BIN (set LIMS_SERVER_BIN)"
  [[ -x $NGINX ]] || die "no nginx at $NGINX (apt-get install nginx, or set NGINX)"
  DB=${db:-sqlite:$DIR/lims.db} GRPC_LISTEN=$grpc HTTP_LISTEN=$http
  for listen in "$GRPC_LISTEN" "$HTTP_LISTEN"; do
    [[ -z $(ss -Htln "sport = :${listen##*:}") ]] || die "$listen is taken: choose another (--grpc, --http)"
  done
  mkdir -p "$DIR/log" "$DIR/run" "$DIR/nginx"
  printf 'SERVER_BIN=%q\nDB=%q\nGRPC_LISTEN=%q\nHTTP_LISTEN=%q\n' "$SERVER_BIN" "$DB" \
    "$GRPC_LISTEN" "$HTTP_LISTEN" >"$DIR/cluster.env"
  chmod 600 "$DIR/cluster.env" # the database URL may hold a password
  plan_processes
  load_state
  trap 'log "up failed: stopping what started"; cmd_down' EXIT
  # The first alone: it migrates an empty database and makes the admin.
  start_process "${NAMES[0]}"
  wait_healthy "${NAMES[0]}"
  for name in "${NAMES[@]:1}"; do start_process "$name"; done
  for name in "${NAMES[@]:1}"; do wait_healthy "$name"; done
  start_nginx
  trap - EXIT
  log "up in $(ms_since "$started") ms: ${#NAMES[@]} processes, logs in $DIR/log, admin token in $DIR/lims.admin-token"
  echo "gRPC $GRPC_LISTEN  HTTP http://$HTTP_LISTEN/"
}

cmd_status() {
  local name pid state all=0 master
  row() { printf '%-12s %-11s %-17s %-17s %-8s %s\n' "$@"; }
  row PROCESS SERVICE GRPC HTTP PID STATE
  for name in "${NAMES[@]}"; do
    state=healthy
    if ! pid=$(process_pid "$name"); then pid=- state=stopped all=3
    elif ! healthy "$name"; then state=unhealthy all=3
    fi
    row "$name" "${SVC[$name]}" "127.0.0.1:${GPORT[$name]}" "127.0.0.1:${HPORT[$name]}" "$pid" "$state"
  done
  state=answering
  if ! master=$(nginx_pid); then master=- state=stopped all=3
  elif ! front_answers; then state="not answering" all=3
  fi
  row nginx front "$GRPC_LISTEN" "$HTTP_LISTEN" "$master" "$state"
  return $all
}

cmd_down() {
  local master name pid pids=() workers
  if master=$(nginx_pid); then
    # Its workers too: a killed master leaves them serving.
    mapfile -t workers < <(nginx_workers "$master")
    stop_pids "$master" "${workers[@]}"
  fi
  for name in "${NAMES[@]}"; do
    if pid=$(process_pid "$name"); then pids+=("$pid"); fi
  done
  ((${#pids[@]} == 0)) || stop_pids "${pids[@]}"
  ! any_running || die "processes of the cluster still run: cluster.sh status $DIR"
  log "stopped ${#pids[@]} processes${master:+ and nginx}"
}

cmd_restart() { # SERVICE
  local service=${1:-} names name pid started drain=0
  [[ -n $service ]] || usage
  mapfile -t names < <(names_of "$service")
  ((${#names[@]})) || die "no process of a service '$service' in $DIR (cluster.sh status $DIR)"
  nginx_pid >/dev/null || die "nginx is not running (cluster.sh up $DIR)"
  ((${#names[@]} == 1)) || drain=1
  for name in "${names[@]}"; do
    started=$(now_us)
    # Out of nginx (the one restarted before, healthy again, back in by the same reload).
    if ((drain)); then write_nginx_conf "$name"; reload_nginx; fi
    if pid=$(process_pid "$name"); then stop_pids "$pid"; fi
    start_process "$name"
    wait_healthy "$name"
    log "restarted $name (pid ${pid:--} -> $(process_pid "$name")) in $(ms_since "$started") ms"
  done
  if ((drain)); then write_nginx_conf; reload_nginx; fi
}

case ${1:-} in
  up) set_dir "${2:-}" make; cmd_up "${@:3}" ;;
  status) set_dir "${2:-}"; load_state; cmd_status ;;
  down) set_dir "${2:-}"; load_state; cmd_down ;;
  restart) set_dir "${2:-}"; load_state; cmd_restart "${3:-}" ;;
  *) usage ;;
esac
