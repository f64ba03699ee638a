# Shared by the bench scripts: a private MariaDB, a Release build, the portal and nginx, all on
# loopback in a temporary folder, torn down on exit.
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$PORTAL_ROOT/scripts/lib.sh"

BENCH_TMP=$(mktemp -d /tmp/portal-bench.XXXXXX)
PORTAL_PID="" NGINX_PID=""
bench_cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null && wait "$PORTAL_PID" 2>/dev/null
  stop_mariadb
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT

bench_setup() {
  install_deps
  build_portal "$PORTAL_ROOT/build-release" Release -DPORTAL_BUILD_TESTS=OFF
  PORTAL_BIN="$PORTAL_ROOT/build-release/portal/portal"
  start_mariadb "$BENCH_TMP/mariadb"
  ensure_db_user portal portal bench_pw
  export PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_DB_USER=portal PORTAL_DB_PASSWORD=bench_pw
  export PORTAL_DB_SCHEMA=portal PORTAL_SEARCH_INDEX_DIR="$BENCH_TMP/index"
  export PORTAL_SERVER_LOG_REQUESTS=false PORTAL_DB_POOL_SIZE=16 PORTAL_SERVER_WORKERS=16
  # Intake limits stay on (their counting is part of every complaint's cost) but out of reach:
  # every load comes from one address, and a cheap 429 would make an intake rate meaningless.
  export PORTAL_HOTLINE_INTAKE_PER_ADDRESS=1000000000 PORTAL_HOTLINE_INTAKE_PER_API_KEY=1000000000
  "$PORTAL_BIN" migrate 2>/dev/null
}

# start_portal [demo]: the portal on a free port (DIRECT_PORT), nginx in front (EDGE_PORT).
start_portal() {
  DIRECT_PORT=$(free_port)
  PORTAL_SERVER_PORT=$DIRECT_PORT PORTAL_DEMO_LOAD=${1:-false} "$PORTAL_BIN" serve \
    2>"$BENCH_TMP/portal.log" &
  PORTAL_PID=$!
  wait_http "http://127.0.0.1:$DIRECT_PORT/healthz" 600 || die "portal did not start"
  EDGE_PORT=$(free_port)
  write_nginx_conf "$BENCH_TMP/nginx" "$EDGE_PORT" "$DIRECT_PORT"
  sed -i 's|access_log .*;|access_log off;|' "$BENCH_TMP/nginx/nginx.conf"
  nginx -c "$BENCH_TMP/nginx/nginx.conf" -p "$BENCH_TMP/nginx" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$EDGE_PORT/healthz" 10 || die "nginx did not start"
}

# run_wrk LABEL URL [wrk args...]: prints one line of figures.
run_wrk() {
  local label=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c32 -d"${BENCH_SECONDS:-10}"s --latency "$@" "$url" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr "\n" " " || true)
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$rps" "$p50" "$p99" "$errors"
}
