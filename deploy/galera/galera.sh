#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback for tests and trials, no systemd, no system
# config: all in one directory DIR, with DIR/cluster.env (ports, pids, password, URL; bash to
# source) and DIR/node1..node3, each with data/, my.cnf (from node.cnf.in next to this
# script, which also says why state transfers use mariabackup), mariadbd.sock, error.log and
# mariadbd.pid. The nodes run as the invoking user.
#
#   galera.sh up DIR        start the cluster, return once all three nodes are Synced in a
#                           cluster of 3, print the URL (the only line on stdout):
#                           mariadb://lims:PW@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/lims
#                           (lims owns the database lims and may take backups). On a running
#                           cluster it just prints the URL; a stopped one is started again.
#   galera.sh down DIR      stop every node (SIGTERM; SIGKILL after 60 s)
#   galera.sh status DIR    a line per node; exit 0 only if all three are Synced
#   galera.sh kill DIR N    kill -9 node N (1..3); returns once the others have dropped it
#   galera.sh start DIR N   start node N again; returns once it has rejoined and is Synced
#   galera.sh url DIR       print the URL
#   galera.sh client DIR N [ARGS...]   the mariadb client as the superuser on node N's socket
# GALERA_TIMEOUT (seconds, default 180) bounds each wait for a node.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# mariadbd and mariadb-install-db live in /usr/sbin, which is not on every user's PATH.
PATH=$PATH:/usr/sbin:/usr/bin
TIMEOUT=${GALERA_TIMEOUT:-180}
OSUSER=$(id -un)
declare -a PORT GCOMM IST SST PID
CLUSTER='' PASSWORD='' URL=''

log() { echo "galera.sh: $*" >&2; }
die() { log "$*"; exit 1; }

save_state() {
  declare -p PORT GCOMM IST SST PID CLUSTER PASSWORD URL >"$DIR/cluster.env.new"
  chmod 600 "$DIR/cluster.env.new"
  mv "$DIR/cluster.env.new" "$DIR/cluster.env"
}

# Whether something listens on loopback port $1 (a connect that is not refused).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# New ports for nodes $@ (MariaDB, group communication, IST, SST), free and below the ephemeral
# range, distinct from the cluster's other ports; rewrites the configurations and the URL.
pick_ports() {
  local used=" ${PORT[*]} ${GCOMM[*]} ${IST[*]} ${SST[*]} " n v p
  for n in "$@"; do
    for v in PORT GCOMM IST SST; do
      for _ in $(seq 200); do
        p=$((20000 + RANDOM % 12000))
        [[ $used != *" $p "* ]] && ! port_busy "$p" && break
        p=
      done
      [[ -n $p ]] || die "no free loopback port found"
      used+="$p "
      declare -g "${v}[$n]=$p"
    done
  done
  URL="mariadb://lims:$PASSWORD@127.0.0.1:${PORT[1]},127.0.0.1:${PORT[2]},127.0.0.1:${PORT[3]}/lims"
  for n in 1 2 3; do write_cnf "$n"; done
  save_state
}

write_cnf() {
  local n=$1 t
  t=$(<"$HERE/node.cnf.in")
  t=${t//@NODE_DIR@/"$DIR/node$n"} t=${t//@NAME@/"node$n"} t=${t//@OSUSER@/"$OSUSER"}
  t=${t//@CLUSTER@/"$CLUSTER"} t=${t//@PORT@/"${PORT[n]}"} t=${t//@GCOMM@/"${GCOMM[n]}"}
  t=${t//@IST@/"${IST[n]}"} t=${t//@SST@/"${SST[n]}"}
  t=${t//@GCOMM1@/"${GCOMM[1]}"} t=${t//@GCOMM2@/"${GCOMM[2]}"} t=${t//@GCOMM3@/"${GCOMM[3]}"}
  printf '%s\n' "$t" >"$DIR/node$n/my.cnf"
}

# The pid of node $1's mariadbd, found by its command line (never a stale pid or a zombie).
node_pid() {
  local want="--defaults-file=$DIR/node$1/my.cnf" p args
  for p in /proc/[0-9]*; do
    mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
    [[ ${args[0]:-} == *mariadbd && ${args[1]:-} == "$want" ]] && { echo "${p#/proc/}"; return 0; }
  done
  return 1
}

live_count() {
  local n c=0
  for n in 1 2 3; do node_pid "$n" >/dev/null && c=$((c + 1)); done
  echo "$c"
}

client() { mariadb --no-defaults --socket="$DIR/node$1/mariadbd.sock" --user="$OSUSER" "${@:2}"; }

# Sets SIZE, STATE and READY from node $1's wsrep status; fails if it does not answer.
probe() {
  local out name value
  SIZE=0 STATE=unknown READY=OFF
  out=$(client "$1" --connect-timeout=5 -N -B -e "SHOW GLOBAL STATUS WHERE Variable_name IN
    ('wsrep_cluster_size', 'wsrep_local_state_comment', 'wsrep_ready')" 2>/dev/null) || return 1
  while read -r name value; do
    case $name in
      wsrep_cluster_size) SIZE=$value ;;
      wsrep_local_state_comment) STATE=$value ;;
      wsrep_ready) READY=$value ;;
    esac
  done <<<"$out"
}

# Waits until node $1 is Synced and ready in a cluster of $2 nodes ($3=more: or more); or
# fails with the end of its error log.
wait_synced() {
  local n=$1 size=$2 max=$2 deadline=$((SECONDS + TIMEOUT))
  [[ ${3:-} != more ]] || max=3
  while ((SECONDS < deadline)) && node_pid "$n" >/dev/null; do
    if probe "$n" && [[ $STATE == Synced && $READY == ON ]] && ((SIZE >= size && SIZE <= max)); then
      return 0
    fi
    sleep 1
  done
  node_pid "$n" >/dev/null || log "node$n died"
  log "node$n not Synced in a cluster of $size (state $STATE, size $SIZE); its error.log ends:"
  tail -n 25 "$DIR/node$n/error.log" >&2 || true
  exit 1
}

# After a crash grastate.dat says seqno -1, and the node would need a full SST: the position
# InnoDB recovers (mariadbd --wsrep-recover, as galera_recovery does under systemd) goes into
# grastate.dat instead, and the node catches up through IST. Prints node $1's seqno.
recover() {
  local d=$DIR/node$1 pos
  if grep -qs '^seqno: *-1' "$d/data/grastate.dat"; then
    mariadbd --defaults-file="$d/my.cnf" --wsrep-recover --log-error="$d/recover.log" \
      </dev/null >/dev/null 2>&1 || true
    pos=$(sed -n 's/.*WSREP: Recovered position: *//p' "$d/recover.log" | tail -n 1)
    log "node$1 recovered position ${pos:-none}"
    if [[ $pos =~ ^([0-9a-f-]{36}):([0-9]+)$ ]]; then
      sed -i "s/^uuid:.*/uuid:    ${BASH_REMATCH[1]}/; s/^seqno:.*/seqno:   ${BASH_REMATCH[2]}/" \
        "$d/data/grastate.dat"
    fi
  fi
  sed -n 's/^seqno: *//p' "$d/data/grastate.dat" 2>/dev/null || echo -1
}

# Starts node $1's mariadbd in its own session (it outlives us and a ^C in our terminal), its
# output away from our stdout; extra arguments are passed on.
launch() {
  local n=$1 d=$DIR/node$1 pid p
  # Other programs pick ports at random too: while the cluster is being created, a port taken
  # since it was picked is replaced; later it cannot be (the URL is out).
  for p in "${PORT[n]}" "${GCOMM[n]}" "${IST[n]}" "${SST[n]}"; do
    port_busy "$p" || continue
    [[ -n ${CREATING:-} ]] || die "node$n's port $p is taken by another program (ss -tlnp)"
    log "node$n's port $p has been taken since; picking others"
    pick_ports "$n"
    break
  done
  recover "$n" >/dev/null
  rm -f "$d/mariadbd.pid"
  setsid mariadbd --defaults-file="$d/my.cnf" "${@:2}" </dev/null >>"$d/error.log" 2>&1 &
  pid=$! PID[n]=$!
  save_state
  # Until the forked shell has become mariadbd, node_pid does not see it.
  for _ in $(seq 100); do
    if node_pid "$n" >/dev/null || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
}

# Stops node $1 with SIGTERM (waiting up to 60 s) or at once with $2=KILL: SIGKILL to its
# process group (setsid made it; an SST's helpers are in it too). Returns once it is reaped.
stop_node() {
  local n=$1 pid
  pid=$(node_pid "$n") || return 0
  if [[ ${2:-} != KILL ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 120); do node_pid "$n" >/dev/null || break; sleep 0.5; done
    ! node_pid "$n" >/dev/null || log "node$n did not stop in 60 s; killing it"
  fi
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 100); do [[ -e /proc/$pid ]] || break; sleep 0.1; done
  ! node_pid "$n" >/dev/null || die "node$n (pid $pid) survives SIGKILL"
  PID[n]=
  [[ -z $URL ]] || save_state
}

# Starts the nodes not running, one at a time (bootstrapping from node $1 if none runs), and
# waits until all three are Synced in a cluster of three.
bring_up() {
  local n live
  live=$(live_count)
  if ((live == 0)); then
    log "bootstrapping the cluster from node$1"
    launch "$1" --wsrep-new-cluster
    wait_synced "$1" 1
    live=1
  fi
  for n in 1 2 3; do
    node_pid "$n" >/dev/null && continue
    log "starting node$n"
    launch "$n"
    live=$((live + 1))
    wait_synced "$n" "$live" more
  done
  for n in 1 2 3; do wait_synced "$n" 3; done
}

create() {
  [[ ! -e $DIR/node1 ]] || die "$DIR holds nodes but no cluster.env: remove it or use another"
  type -P mariadbd mariabackup socat >/dev/null ||
    die "needs mariadbd, mariabackup and socat (mariadb-server, mariadb-backup, galera-4, socat)"
  local n CREATING=1
  PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  CLUSTER=lims-$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
  mkdir -p "$DIR"/node{1,2,3}/data
  pick_ports 1 2 3
  log "initialising node1"
  mariadb-install-db --no-defaults --datadir="$DIR/node1/data" --user="$OSUSER" \
    --auth-root-socket-user="$OSUSER" --skip-test-db >"$DIR/node1/install.log" 2>&1 ||
    { tail -n 25 "$DIR/node1/install.log" >&2; die "mariadb-install-db failed"; }
  launch 1 --wsrep-new-cluster
  wait_synced 1 1
  client 1 <<SQL
CREATE DATABASE lims;
CREATE USER 'lims'@'127.0.0.1' IDENTIFIED BY '$PASSWORD', 'lims'@'localhost' IDENTIFIED BY '$PASSWORD';
GRANT ALL ON lims.* TO 'lims'@'127.0.0.1', 'lims'@'localhost';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, REPLICATION CLIENT ON *.*
  TO 'lims'@'127.0.0.1', 'lims'@'localhost';
SQL
  # node2 and node3 start from a copy of node1 stopped cleanly (so at a known position): they
  # join with nothing to transfer, where an SST would take 10 s more each (see node.cnf.in).
  stop_node 1
  grep -qs '^safe_to_bootstrap: *1' "$DIR/node1/data/grastate.dat" ||
    die "node1 did not stop cleanly; see $DIR/node1/error.log"
  for n in 2 3; do
    cp -a "$DIR/node1/data/." "$DIR/node$n/data/"
    rm -f "$DIR/node$n/data/gvwstate.dat"
    sed -i 's/^safe_to_bootstrap: *1/safe_to_bootstrap: 0/' "$DIR/node$n/data/grastate.dat"
  done
  bring_up 1
}

# A stopped cluster: the node that stopped last (safe_to_bootstrap: 1) starts a new one; if
# none did (all crashed), the one furthest on is made to.
resume() {
  local n seqno best=-2 boot=1
  for n in 1 2 3; do
    grep -qs '^safe_to_bootstrap: *1' "$DIR/node$n/data/grastate.dat" && { bring_up "$n"; return; }
  done
  for n in 1 2 3; do
    seqno=$(recover "$n")
    if ((${seqno:--1} > best)); then best=${seqno:--1} boot=$n; fi
  done
  log "no node stopped last cleanly; node$boot has gone furthest (seqno $best) and bootstraps"
  sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' "$DIR/node$boot/data/grastate.dat"
  bring_up "$boot"
}

cmd_status() {
  local n pid ok=0
  for n in 1 2 3; do
    if ! pid=$(node_pid "$n"); then
      echo "node$n port ${PORT[n]} dead"
    elif ! probe "$n"; then
      echo "node$n port ${PORT[n]} pid $pid unreachable"
    else
      [[ $STATE == Synced && $READY == ON ]] && ok=$((ok + 1))
      [[ $READY == ON ]] || SIZE+=" not ready"
      echo "node$n port ${PORT[n]} pid $pid $STATE size=$SIZE"
    fi
  done
  ((ok == 3))
}

node_arg() { [[ ${1:-} =~ ^[123]$ ]] || die "no node '${1:-}': 1, 2 or 3"; }

cmd=${1:-}
case $cmd in
  up | down | status | kill | start | url | client) [[ -n ${2:-} ]] || die "$cmd: which DIR?" ;;
  *) log "usage: galera.sh up|down|status|url DIR, kill|start DIR N, client DIR N [ARGS...]"
    exit 2 ;;
esac
[[ $cmd != up ]] || mkdir -p "$2"
[[ -d $2 ]] || { [[ $cmd == down ]] && exit 0; die "no directory $2"; }
DIR=$(cd "$2" && pwd)
# DIR goes into my.cnf, and a socket path has a length limit.
[[ $DIR =~ ^[A-Za-z0-9_./+-]+$ ]] || die "$DIR: only letters, digits and _./+- please"
((${#DIR} < 80)) || die "$DIR: too long for the nodes' socket paths"
if [[ -f $DIR/cluster.env ]]; then
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
elif [[ $cmd != up && $cmd != down ]]; then
  die "$DIR holds no cluster (no cluster.env): galera.sh up $DIR"
fi
t0=$SECONDS
case $cmd in
  up)
    if [[ -z $URL ]]; then create; else
      case $(live_count) in
        3) log "already running" ;;
        0) resume ;;
        *) bring_up 1 ;;
      esac
    fi
    log "up in $((SECONDS - t0)) s: ports ${PORT[*]}, data in $DIR"
    echo "$URL"
    ;;
  down)
    # Also the nodes of a directory whose cluster.env is lost; the last one stopped is the one
    # safe to bootstrap from.
    for n in 3 2 1; do stop_node "$n"; done
    log "down (data kept in $DIR)"
    ;;
  status) cmd_status ;;
  url) echo "$URL" ;;
  kill)
    node_arg "${3:-}"
    stop_node "$3" KILL
    # The others suspect it for some seconds (and stall writes) before they drop it; a node
    # left alone has lost the quorum and stays non-primary.
    live=$(live_count)
    for n in 1 2 3; do
      ((live < 2)) || ! node_pid "$n" >/dev/null || wait_synced "$n" "$live"
    done
    log "node$3 killed$( ((live != 1)) || echo '; the node left has no quorum')"
    ;;
  start)
    node_arg "${3:-}"
    ! node_pid "$3" >/dev/null || { log "node$3 is already running"; exit 0; }
    live=0
    for n in 1 2 3; do probe "$n" && [[ $STATE == Synced ]] && live=$((live + 1)); done
    ((live > 0)) || die "no Synced node for node$3 to join: galera.sh down $DIR; galera.sh up $DIR"
    launch "$3"
    wait_synced "$3" $((live + 1)) more
    log "node$3 Synced again in $((SECONDS - t0)) s"
    ;;
  client) node_arg "${3:-}" && client "$3" "${@:4}" ;;
esac
