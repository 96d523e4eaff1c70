# Sourced by the CLI end-to-end scripts. start_lims_server SERVER_BIN DB_URL LOG_FILE starts
# lims-server on a port the kernel picks (--listen 127.0.0.1:0), so no other process can take
# the port between choosing and binding it, and sets server_pid and address from the port the
# server logs. Returns non-zero if the server exits or does not say where it listens.
start_lims_server() {
  local bin=$1 db=$2 log=$3 port=
  env -u LIMS_LISTEN -u LIMS_DB "$bin" --listen 127.0.0.1:0 --db "$db" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 200); do
    port=$(sed -n 's/.*serving on .*(port \([0-9][0-9]*\)).*/\1/p' "$log" | head -n 1)
    [[ -n $port ]] && break
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  [[ -n $port ]] || return 1
  address=127.0.0.1:$port
}
