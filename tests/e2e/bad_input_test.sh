#!/usr/bin/env bash
# The bad-input corpus (bad_input_corpus.cpp) against the real portal binary on its own port
# and through nginx with the project's configuration, on a fresh database.
# Usage: bad_input_test.sh PORTAL_BIN CORPUS_BIN
set -euo pipefail
PORTAL_BIN=$1
CORPUS_BIN=$2
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$PORTAL_ROOT/scripts/lib.sh"
: "${PORTAL_TEST_DB_SOCKET:?run through scripts/test}"

TMP=$(mktemp -d /tmp/portal-badinput.XXXXXX)
SCHEMA="badinput_$$_$RANDOM"
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
# Short framing timeouts, so the slow cases are answered quickly.
export PORTAL_SERVER_HEADER_TIMEOUT_S=2 PORTAL_SERVER_BODY_TIMEOUT_S=3
"$PORTAL_BIN" migrate 2>/dev/null
UPSTREAM=$(free_port)
PORTAL_SERVER_PORT=$UPSTREAM PORTAL_DEMO_LOAD=true "$PORTAL_BIN" serve 2>"$TMP/portal.log" &
PORTAL_PID=$!
wait_http "http://127.0.0.1:$UPSTREAM/healthz" 30 || { cat "$TMP/portal.log"; exit 1; }
EDGE=$(free_port)
write_nginx_conf "$TMP/nginx" "$EDGE" "$UPSTREAM"
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>"$TMP/nginx.err" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$EDGE/healthz" 10 || { cat "$TMP/nginx.err"; exit 1; }

status=0
"$CORPUS_BIN" "$UPSTREAM" direct || status=1
"$CORPUS_BIN" "$EDGE" nginx || status=1

# Every refusal was counted: /metrics shows the framing refusals, and the portal lived.
metrics=$(curl -s "http://127.0.0.1:$UPSTREAM/metrics")
if ! grep -q 'portal_http_requests_total{route="invalid",status="400"}' <<<"$metrics"; then
  echo "FAILED: framing refusals not counted in /metrics"
  status=1
fi
if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
  echo "FAILED: the portal died"
  status=1
fi
if grep -qE "basic_string|stoull|terminate called" "$TMP/portal.log"; then
  echo "FAILED: exception text in the portal's log"
  status=1
fi
exit $status
