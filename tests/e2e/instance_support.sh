# Shared by the shell tests that run a throwaway instance of the real portal binary
# (nginx_edge_test.sh, bad_input_test.sh, tests/browser/run.sh): a fresh schema on the test
# MariaDB, the environment that points the binary at it and at a temporary folder, the
# migrations applied, and cleanup of the schema, the folder and the processes on exit.
# Source it after setting PORTAL_ROOT, PORTAL_BIN and INSTANCE_TEST (a short name for the
# temporary folder and the schema); export any further PORTAL_* settings before start_portal.
# shellcheck source=scripts/lib.sh
source "$PORTAL_ROOT/scripts/lib.sh"
: "${PORTAL_TEST_DB_SOCKET:?run through scripts/test}"

TMP=$(mktemp -d "/tmp/portal-$INSTANCE_TEST.XXXXXX")
SCHEMA="${INSTANCE_TEST}_$$_$RANDOM"
PORTAL_PID="" NGINX_PID=""
db() { mariadb --no-defaults --socket="$PORTAL_TEST_DB_SOCKET" -u"$PORTAL_TEST_DB_USER" -p"$PORTAL_TEST_DB_PASSWORD" "$@"; }
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null && wait "$PORTAL_PID" 2>/dev/null
  db -e "DROP DATABASE IF EXISTS \`$SCHEMA\`" || true
  rm -rf "$TMP"
}
trap cleanup EXIT

db -e "CREATE DATABASE \`$SCHEMA\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
export PORTAL_DB_SOCKET="$PORTAL_TEST_DB_SOCKET" PORTAL_DB_USER="$PORTAL_TEST_DB_USER"
export PORTAL_DB_PASSWORD="$PORTAL_TEST_DB_PASSWORD" PORTAL_DB_SCHEMA="$SCHEMA"
export PORTAL_SEARCH_INDEX_DIR="$TMP/index" PORTAL_SERVER_LOG_REQUESTS=false
"$PORTAL_BIN" migrate 2>/dev/null

# The portal with the demo data on a free loopback port (UPSTREAM, PORTAL_PID), once it
# answers /healthz; its log is $TMP/portal.log.
start_portal() {
  UPSTREAM=$(free_port)
  PORTAL_SERVER_PORT=$UPSTREAM PORTAL_DEMO_LOAD=true "$PORTAL_BIN" serve 2>"$TMP/portal.log" &
  PORTAL_PID=$!
  wait_http "http://127.0.0.1:$UPSTREAM/healthz" 30 || { cat "$TMP/portal.log"; exit 1; }
}

# nginx with the project's configuration (scripts/nginx.conf.in) in front of the portal, on a
# free loopback port (EDGE, NGINX_PID).
start_edge() {
  EDGE=$(free_port)
  write_nginx_conf "$TMP/nginx" "$EDGE" "$UPSTREAM"
  nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>"$TMP/nginx.err" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$EDGE/healthz" 10 || { cat "$TMP/nginx.err"; exit 1; }
}
