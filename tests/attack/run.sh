#!/usr/bin/env bash
# Outside attackers against a throwaway instance: Debian's sqlmap on every public parameter and
# wapiti on the public site, through nginx with the project's configuration. Zero findings, or
# a non-zero exit. Slow (several minutes), so not part of scripts/test.
#
# Usage: tests/attack/run.sh [BUILD_DIR]     (builds the portal first when BUILD_DIR lacks it)
# ATTACK_LEVEL / ATTACK_RISK set sqlmap's --level (default 3) and --risk (default 2); at 3/2 the
# whole run takes about half an hour, most of it on the POST endpoints. ATTACK_SKIP_SQLMAP=1
# runs wapiti alone; ATTACK_WAPITI_SECONDS / ATTACK_WAPITI_MODULE_SECONDS bound its scan.
# Needs: apt-get install sqlmap wapiti (both in Debian 12). Reports stay in $ATTACK_OUT
# (default /tmp/portal-attack) for reading.
set -euo pipefail
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/lib.sh
source "$PORTAL_ROOT/scripts/lib.sh"
BUILD_DIR=${1:-$PORTAL_ROOT/build-test}
OUT=${ATTACK_OUT:-/tmp/portal-attack}
command -v sqlmap >/dev/null || die "sqlmap missing: apt-get install sqlmap"
command -v wapiti >/dev/null || die "wapiti missing: apt-get install wapiti"
[ -x "$BUILD_DIR/portal/portal" ] || build_portal "$BUILD_DIR" Debug
PORTAL_BIN="$BUILD_DIR/portal/portal"

rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/portal-attack-run.XXXXXX)
PORTAL_PID="" NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null && wait "$PORTAL_PID" 2>/dev/null
  stop_mariadb || true
  rm -rf "$TMP"
}
trap cleanup EXIT

start_mariadb "$TMP/mariadb"
ensure_db_user portal_attack portal_attack attack_pw
export PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_DB_USER=portal_attack
export PORTAL_DB_PASSWORD=attack_pw PORTAL_DB_SCHEMA=portal_attack
export PORTAL_SEARCH_INDEX_DIR="$TMP/index" PORTAL_SERVER_LOG_REQUESTS=false
export PORTAL_OPEN311_API_KEYS=attack-key
"$PORTAL_BIN" migrate 2>/dev/null
UPSTREAM=$(free_port)
PORTAL_SERVER_PORT=$UPSTREAM PORTAL_DEMO_LOAD=true "$PORTAL_BIN" serve 2>"$OUT/portal.log" &
PORTAL_PID=$!
wait_http "http://127.0.0.1:$UPSTREAM/healthz" 60 || { tail "$OUT/portal.log"; exit 1; }
EDGE=$(free_port)
write_nginx_conf "$TMP/nginx" "$EDGE" "$UPSTREAM"
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>"$OUT/nginx.err" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$EDGE/healthz" 10 || { cat "$OUT/nginx.err"; exit 1; }
BASE="http://127.0.0.1:$EDGE"
findings=0

# 1. sqlmap, one run per public URL with parameters (GET query or POST form).
sqlmap_run() {  # sqlmap_run NAME URL [POST-DATA]
  local name=$1 url=$2 data=${3:-}
  local args=(-u "$url" --batch --level="${ATTACK_LEVEL:-3}" --risk="${ATTACK_RISK:-2}"
    --flush-session --disable-coloring
    --output-dir="$OUT/sqlmap" --timeout=10 --retries=1 --threads=2)
  [ -n "$data" ] && args+=(--data="$data")
  log "sqlmap: $name"
  sqlmap "${args[@]}" >"$OUT/sqlmap-$name.log" 2>&1 || true
  if grep -qiE "identified the following injection point|is vulnerable" "$OUT/sqlmap-$name.log"; then
    echo "FINDING (sqlmap) $name: see $OUT/sqlmap-$name.log"
    findings=$((findings + 1))
  fi
  if grep -A8 "HTTP error codes detected during run" "$OUT/sqlmap-$name.log" | grep -qE "^5[0-9][0-9] "; then
    echo "FINDING (sqlmap) $name: 5xx answers; see $OUT/sqlmap-$name.log"
    findings=$((findings + 1))
  fi
}
if [ -z "${ATTACK_SKIP_SQLMAP:-}" ]; then
sqlmap_run search "$BASE/search?q=%E5%B9%BF%E5%91%8A&department=zhzf&type=CF&page=1"
sqlmap_run department "$BASE/departments/zhzf?type=CF&status=active&page=1"
sqlmap_run item "$BASE/items/zhzf/CF-ZHZF-0001*"
sqlmap_run decisions "$BASE/decisions?department=zhzf&page=1"
sqlmap_run certificate "$BASE/certificates/check?number=12345678"
sqlmap_run api_search "$BASE/api/v1/search?q=abc&page=1&page_size=10"
sqlmap_run api_items "$BASE/api/v1/departments/zhzf/items?type=CF&status=active"
sqlmap_run open311_requests \
  "$BASE/open311/v2/requests.json?service_code=noise&status=open&start_date=2026-01-01T00:00:00Z"
sqlmap_run open311_request_id "$BASE/open311/v2/requests.json?service_request_id=TS-2026-000001"
sqlmap_run open311_post "$BASE/open311/v2/requests.json" \
  "api_key=attack-key&service_code=noise&description=abc&address_string=abc&lat=43.8&long=125.3"
sqlmap_run track "$BASE/track" "registration_no=TS-2026-000001&tracking_code=ABCD2345"
sqlmap_run login "$BASE/admin/login" "username=admin&password=secret&next=%2Fadmin"
fi

# 2. wapiti over the public site (no -x: Debian's 3.0.4 crashes with it; the scope keeps it on
# this host). Modules that look for injections, traversal, CRLF, redirects and XSS.
log "wapiti: the public site"
wapiti -u "$BASE/" --scope folder -m "sql,blindsql,exec,file,xss,permanentxss,crlf,redirect,xxe,ssrf" \
  -d 3 --max-links-per-page 40 --max-scan-time "${ATTACK_WAPITI_SECONDS:-600}" \
  --max-attack-time "${ATTACK_WAPITI_MODULE_SECONDS:-120}" --flush-session -f json \
  -o "$OUT/wapiti.json" >"$OUT/wapiti.log" 2>&1 || true
if [ ! -s "$OUT/wapiti.json" ]; then
  echo "FINDING (wapiti): no report written; see $OUT/wapiti.log"
  findings=$((findings + 1))
else
  # Count vulnerabilities (categories with entries) and 5xx anomalies.
  n=$(python3 - "$OUT/wapiti.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
count = 0
for section in ("vulnerabilities", "anomalies"):
    for name, items in (r.get(section) or {}).items():
        for it in items:
            count += 1
            print(f"FINDING (wapiti) {section}/{name}: {it.get('method')} {it.get('path')} "
                  f"{it.get('parameter')} {it.get('info')}", file=sys.stderr)
print(count)
PY
  )
  findings=$((findings + n))
fi

if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
  echo "FINDING: the portal died"
  findings=$((findings + 1))
fi
echo "attack run: $findings findings (reports in $OUT)"
[ "$findings" -eq 0 ]
