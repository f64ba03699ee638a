# Shared by scripts/cluster and scripts/test-cluster: a MariaDB Galera cluster on loopback
# (one folder per node under $DATA_DIR/galera), portal nodes ($DATA_DIR/portalN) and nginx in
# front of them. Source after scripts/lib.sh with PORTAL_ROOT, DATA_DIR and PORTAL_BIN set.
# Defines functions only. Ports are chosen once and kept in $DATA_DIR/ports, so a restarted
# node comes back where the others look for it.

GALERA_NODES=${GALERA_NODES:-3}
GALERA_PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
declare -A GALERA_PID=() PORTAL_NODE_PID=()

# cluster_ports: SQL_PORT[i], GCOMM_PORT[i], IST_PORT[i], SST_PORT[i] for each Galera node and
# PORTAL_PORT[i] for portal nodes 1..5, from $DATA_DIR/ports (chosen on first use).
cluster_ports() {
  local f="$DATA_DIR/ports"
  if [ ! -s "$f" ]; then
    local used=" " p
    : >"$f.new"
    for name in $(for i in $(seq 1 "$GALERA_NODES"); do echo "SQL_PORT_$i GCOMM_PORT_$i IST_PORT_$i SST_PORT_$i"; done) \
      PORTAL_PORT_1 PORTAL_PORT_2 PORTAL_PORT_3 PORTAL_PORT_4 PORTAL_PORT_5; do
      while :; do
        p=$(free_port)
        case "$used" in *" $p "*) continue ;; esac
        used="$used$p "
        break
      done
      echo "$name=$p" >>"$f.new"
    done
    mv "$f.new" "$f"
  fi
  # shellcheck disable=SC1090
  source "$f"
  GCOMM_ADDRESS="gcomm://"
  local sep=""
  for i in $(seq 1 "$GALERA_NODES"); do
    local g="GCOMM_PORT_$i"
    GCOMM_ADDRESS="$GCOMM_ADDRESS${sep}127.0.0.1:${!g}"
    sep=","
  done
  DB_HOSTS=""
  sep=""
  for i in $(seq 1 "$GALERA_NODES"); do
    local s="SQL_PORT_$i"
    DB_HOSTS="$DB_HOSTS${sep}127.0.0.1:${!s}"
    sep=","
  done
}

galera_dir() { echo "$DATA_DIR/galera/node$1"; }

# galera_config I: the node's my.cnf (a file, not --no-defaults: the SST scripts read it).
galera_config() {
  local i=$1 d
  d=$(galera_dir "$i")
  local sql="SQL_PORT_$i" gcomm="GCOMM_PORT_$i" ist="IST_PORT_$i" sst="SST_PORT_$i"
  mkdir -p "$d"
  cat >"$d/my.cnf" <<CNF
[mysqld]
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
log-error=$d/error.log
port=${!sql}
bind-address=127.0.0.1
user=$(id -un)
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
skip-name-resolve
max-connections=300
innodb-flush-log-at-trx-commit=1
innodb-buffer-pool-size=128M
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2
# Galera logs row events, so triggers created by the migrations (portal account, no SUPER)
# need this.
log-bin-trust-function-creators=1
wsrep-on=ON
wsrep-provider=$GALERA_PROVIDER
wsrep-cluster-name=portal
wsrep-cluster-address=$GCOMM_ADDRESS
wsrep-node-name=node$i
wsrep-node-address=127.0.0.1:${!gcomm}
wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${!gcomm};ist.recv_addr=127.0.0.1:${!ist};gcache.size=256M"
wsrep-sst-method=mariabackup
wsrep-sst-auth=root:
wsrep-sst-receive-address=127.0.0.1:${!sst}
CNF
}

galera_client() {
  local i=$1
  shift
  mariadb --no-defaults --socket="$(galera_dir "$i")/mysqld.sock" -uroot "$@"
}

# galera_state I: wsrep_local_state_comment of node I ("" when it does not answer).
galera_state() {
  galera_client "$1" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

# galera_start I [bootstrap]: starts node I (in the background) and waits until it is Synced.
galera_start() {
  local i=$1 mode=${2:-} d
  d=$(galera_dir "$i")
  galera_config "$i"
  if [ ! -d "$d/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$d/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$d/install.log" 2>&1 ||
      { cat "$d/install.log" >&2; die "mariadb-install-db failed for node $i"; }
  fi
  local extra=()
  # After kill -9 the node does not know where it stopped (seqno -1): recover the position
  # from InnoDB first, so it rejoins by IST (the writes it missed) instead of a full SST.
  if [ -f "$d/data/grastate.dat" ] && grep -q '^seqno: *-1' "$d/data/grastate.dat"; then
    mariadbd --defaults-file="$d/my.cnf" --wsrep-recover --log-error="$d/recover.log" >/dev/null 2>&1 || true
    local pos
    pos=$(sed -n 's/.*WSREP: Recovered position: *//p' "$d/recover.log" | tail -1)
    [ -n "$pos" ] && extra+=(--wsrep-start-position="$pos")
    rm -f "$d/recover.log"
  fi
  if [ "$mode" = bootstrap ]; then
    extra+=(--wsrep-new-cluster)
    [ -f "$d/data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d/data/grastate.dat"
  fi
  # Its own session: the SST scripts kill their parent's process group when they clean up.
  setsid mariadbd --defaults-file="$d/my.cnf" "${extra[@]}" >>"$d/stdout.log" 2>&1 &
  GALERA_PID[$i]=$!
  for _ in $(seq 1 600); do
    [ "$(galera_state "$i")" = Synced ] && return 0
    kill -0 "${GALERA_PID[$i]}" 2>/dev/null || { tail -30 "$d/error.log" >&2; die "Galera node $i exited"; }
    sleep 0.1
  done
  tail -30 "$d/error.log" >&2
  die "Galera node $i not synced within 60 s"
}

# galera_bootstrap_node: the node to start the cluster from: the one marked safe to bootstrap
# (the last to stop cleanly), else the one with the highest committed seqno, else node 1.
galera_bootstrap_node() {
  local best=1 best_seq=-2
  for i in $(seq 1 "$GALERA_NODES"); do
    local g
    g="$(galera_dir "$i")/data/grastate.dat"
    [ -f "$g" ] || continue
    if grep -q '^safe_to_bootstrap: 1' "$g"; then
      echo "$i"
      return 0
    fi
    local seq
    seq=$(sed -n 's/^seqno: *//p' "$g")
    if [ -n "$seq" ] && [ "$seq" -gt "$best_seq" ]; then best=$i best_seq=$seq; fi
  done
  echo "$best"
}

galera_start_all() {
  if [ ! -d "$(galera_dir 1)/data/mysql" ]; then
    # A new cluster: node 1 is created and stopped cleanly, the others start from copies of
    # its data (same cluster state, nothing to transfer) instead of a full SST each.
    log "creating the Galera cluster in $DATA_DIR/galera"
    galera_start 1 bootstrap
    galera_stop 1
    for i in $(seq 2 "$GALERA_NODES"); do
      rm -rf "$(galera_dir "$i")/data"
      mkdir -p "$(galera_dir "$i")"
      cp -a "$(galera_dir 1)/data" "$(galera_dir "$i")/data"
      sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$(galera_dir "$i")/data/grastate.dat"
    done
  fi
  local first
  first=$(galera_bootstrap_node)
  galera_start "$first" bootstrap
  for i in $(seq 1 "$GALERA_NODES"); do
    [ "$i" = "$first" ] || galera_start "$i"
  done
}

galera_stop() {
  local i=$1
  [ -n "${GALERA_PID[$i]:-}" ] || return 0
  galera_client "$i" -e "SHUTDOWN" >/dev/null 2>&1 || kill "${GALERA_PID[$i]}" 2>/dev/null
  wait "${GALERA_PID[$i]}" 2>/dev/null
  unset "GALERA_PID[$i]"
}

# The application's account on every node (Galera replicates it) and the schema, migrated once
# for the whole cluster.
cluster_prepare_db() {
  if [ ! -s "$DATA_DIR/db-password" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DATA_DIR/db-password")
  fi
  local pass
  pass=$(cat "$DATA_DIR/db-password")
  local first
  first=$(for i in "${!GALERA_PID[@]}"; do echo "$i"; done | sort -n | head -1)
  galera_client "$first" <<SQL
CREATE DATABASE IF NOT EXISTS portal CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'portal'@'127.0.0.1' IDENTIFIED BY '$pass';
ALTER USER 'portal'@'127.0.0.1' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON portal.* TO 'portal'@'127.0.0.1';
SQL
  export PORTAL_DB_HOSTS="$DB_HOSTS" PORTAL_DB_USER=portal PORTAL_DB_SCHEMA=portal
  export PORTAL_DB_PASSWORD="$pass"
  # Every portal node uses the one tracking key (codes issued by one are checked by another).
  export PORTAL_HOTLINE_TRACKING_KEY_FILE="$DATA_DIR/tracking-code.key"
  "$PORTAL_BIN" "${CONFIG_ARGS[@]}" migrate
  if [ ! -s "$DATA_DIR/admin-password" ]; then
    (umask 077 && head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$DATA_DIR/admin-password")
    PORTAL_NEW_PASSWORD="$(cat "$DATA_DIR/admin-password")" \
      "$PORTAL_BIN" "${CONFIG_ARGS[@]}" create-account admin admin
  fi
}

# portal_start N: portal node N on loopback (PORTAL_PORT_N) with its own DATA_DIR/portalN.
portal_start() {
  local n=$1 port_var="PORTAL_PORT_$1"
  local dir="$DATA_DIR/portal$n"
  mkdir -p "$dir"
  PORTAL_DATA_DIR="$dir" PORTAL_SERVER_PORT=${!port_var} PORTAL_DEMO_LOAD=true \
    "$PORTAL_BIN" "${CONFIG_ARGS[@]}" serve 2>>"$dir/portal.log" &
  PORTAL_NODE_PID[$n]=$!
  wait_http "http://127.0.0.1:${!port_var}/healthz" 60 ||
    { tail -20 "$dir/portal.log" >&2; die "portal node $n did not start"; }
}

portal_stop() {
  local n=$1
  [ -n "${PORTAL_NODE_PID[$n]:-}" ] || return 0
  kill "${PORTAL_NODE_PID[$n]}" 2>/dev/null
  wait "${PORTAL_NODE_PID[$n]}" 2>/dev/null
  unset "PORTAL_NODE_PID[$n]"
}

# cluster_nginx PORT N...: nginx on PORT balancing over portal nodes N...; a request a node
# refuses or answers 502/503/504 goes to the next node, and a node that fails 3 times within
# 5 s is skipped for 5 s. Not after one failure: with one node already dead, the single 503
# a live node may answer when the Galera writer dies would mark it down too, and nginx would
# answer 502 "no live upstreams" to everyone for 5 s (seen as ~3,500 failed page reads).
cluster_nginx() {
  local port=$1
  shift
  local first="PORTAL_PORT_$1" servers=""
  for n in "$@"; do
    local v="PORTAL_PORT_$n"
    servers="${servers}    server 127.0.0.1:${!v} max_fails=3 fail_timeout=5s;\n"
  done
  write_nginx_conf "$DATA_DIR/nginx" "$port" "${!first}"
  sed -i -e "s|^    server 127.0.0.1:${!first};|$servers|" \
    -e 's|^      proxy_connect_timeout 3s;|      proxy_connect_timeout 3s;\n      proxy_next_upstream error timeout http_502 http_503 http_504;\n      proxy_next_upstream_tries 3;|' \
    "$DATA_DIR/nginx/nginx.conf"
}

cluster_stop_all() {
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  NGINX_PID=""
  for n in "${!PORTAL_NODE_PID[@]}"; do portal_stop "$n"; done
  # The last to stop is marked safe to bootstrap: stop node 1 last, so it starts first.
  for i in $(seq "$GALERA_NODES" -1 1); do galera_stop "$i"; done
}
