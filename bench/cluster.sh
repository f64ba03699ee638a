#!/usr/bin/env bash
# The cluster through the balancer (issue 13): a three-node Galera cluster, nginx over one and
# then two portal nodes. Prints complaints/s (Open311 POST, durable: every 201 a row committed
# and certified by Galera) and pages/s (item page, department page, search API) with wrk, then
# the time from kill -9 of the Galera node taking writes to the next acknowledged complaint.
# The machine may be shared and loaded: the figures are rough. PORTAL_BIN to skip the build.
set -euo pipefail
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$PORTAL_ROOT/scripts/lib.sh"
# shellcheck source=scripts/cluster_lib.sh
source "$PORTAL_ROOT/scripts/cluster_lib.sh"

install_deps
if [ -z "${PORTAL_BIN:-}" ]; then
  build_portal "$PORTAL_ROOT/build-release" Release -DPORTAL_BUILD_TESTS=OFF
  PORTAL_BIN="$PORTAL_ROOT/build-release/portal/portal"
fi
DATA_DIR=$(mktemp -d /tmp/portal-cluster-bench.XXXXXX)
PORT=$(free_port)
CONFIG_ARGS=()
NGINX_PID=""
cleanup() {
  trap - EXIT INT TERM
  cluster_stop_all
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PORTAL_SERVER_LOG_REQUESTS=false PORTAL_DB_POOL_SIZE=16 PORTAL_SERVER_WORKERS=16
export PORTAL_OPEN311_API_KEYS=benchkey PORTAL_HOTLINE_INTAKE_PER_ADDRESS=0
export PORTAL_HOTLINE_INTAKE_PER_API_KEY=0 PORTAL_HOTLINE_INTAKE_PER_PHONE=0
export PORTAL_DB_CONNECT_TIMEOUT_S=2

run_wrk() {
  local label=$1 url=$2
  shift 2
  local out rps p50 p99 errors
  out=$(wrk -t2 -c32 -d"${BENCH_SECONDS:-10}"s --latency "$@" "$url" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr "\n" " " || true)
  printf '%-40s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$rps" "$p50" "$p99" "$errors"
}

start_nginx() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  cluster_nginx "$PORT" "$@"
  sed -i 's|access_log .*;|access_log off;|' "$DATA_DIR/nginx/nginx.conf"
  nginx -c "$DATA_DIR/nginx/nginx.conf" -p "$DATA_DIR/nginx" 2>>"$DATA_DIR/nginx/logs/error.log" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$PORT/healthz" 10 || die "nginx did not start"
}

cluster_ports
galera_start_all
cluster_prepare_db 2>/dev/null
portal_start 1
portal_start 2
echo "rough figures: $(nproc) cores shared with other work (load $(cut -d' ' -f1-3 /proc/loadavg)); 3 Galera nodes on this machine"
for nodes in "1" "1 2"; do
  # shellcheck disable=SC2086
  start_nginx $nodes
  n=$(wc -w <<<"$nodes")
  run_wrk "complaint POST, $n portal node(s)" "http://127.0.0.1:$PORT/" -s "$PORTAL_ROOT/bench/complaint_post.lua"
  run_wrk "item page, $n portal node(s)" "http://127.0.0.1:$PORT/items/zhzf/CF-ZHZF-0001"
  run_wrk "department page, $n portal node(s)" "http://127.0.0.1:$PORT/departments/zhzf"
  run_wrk "search API, $n portal node(s)" "http://127.0.0.1:$PORT/api/v1/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A"
done
galera_client 2 -N portal -e "SELECT CONCAT('complaints stored: ', COUNT(*), ', numbers ', MIN(reg_seq), '..', MAX(reg_seq), IF(COUNT(*) = MAX(reg_seq) - MIN(reg_seq) + 1, ' (no gaps)', ' (GAPS!)')) FROM complaints"

# Failover: complaints under way, the write node killed; the gap until the next acknowledgment.
python3 "$PORTAL_ROOT/bench/cluster_load.py" "http://127.0.0.1:$PORT" 25 4 0 "$DATA_DIR/load.json" >/dev/null &
LOAD=$!
sleep 8
KILLED=$(date +%s.%N)
kill -9 "${GALERA_PID[1]}"
wait "${GALERA_PID[1]}" 2>/dev/null || true
unset "GALERA_PID[1]"
wait "$LOAD"
python3 - "$DATA_DIR/load.json" "$KILLED" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); killed = float(sys.argv[2])
before = [a["at"] for a in d["acknowledged"] if a["at"] <= killed]
after = sorted(a["at"] for a in d["acknowledged"] if a["at"] > killed)
print(f"kill -9 of the write node -> next acknowledged complaint: "
      f"{after[0] - killed:.2f} s" if after else "no complaint acknowledged after the kill")
print(f"({len(before)} acknowledged before the kill, {len(after)} after, {len(d['given_up'])} given up)")
PY
