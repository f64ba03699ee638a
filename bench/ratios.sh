#!/usr/bin/env bash
# The portal against what the machine itself can do, pair by pair, each pair alternated three
# times (BENCH_SECONDS each run, default 10), medians and ratios printed:
#   - the item page through nginx  vs  nginx serving a static 20 KB page (wrk, keep-alive, 32
#     connections);
#   - durable complaint intake by Open311 POST  vs  raw commits of a sequence-row update and a
#     1 KB insert over 16 connections with Connector/C++ (bench_raw_commit), the same MariaDB.
# (The raw Xapian searcher pair is left out until the search benchmark has a raw searcher.)
# Builds everything itself (Release). BENCH_ITEMS=100000 first loads that many list items
# (bench_corpus) and indexes them, then also crawls random item pages and runs the search load,
# and reports the portal's resident memory at the end (page cache included).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECONDS_EACH=${BENCH_SECONDS:-10}
ITEMS=${BENCH_ITEMS:-0}
bench_setup
cmake --build "$PORTAL_ROOT/build-release" -j"$(nproc)" --target bench_raw_commit bench_corpus >/dev/null
BIN_DIR="$PORTAL_ROOT/build-release/bench"

ITEM=/items/zhzf/CF-ZHZF-0001
if [ "$ITEMS" -gt 0 ]; then
  "$BIN_DIR/bench_corpus" "$ITEMS" >/dev/null 2>&1
  "$PORTAL_BIN" reindex >/dev/null 2>&1
  # An item's address names its department (/items/<slug>/<code>), which bench_corpus draws at
  # random: the crawl's paths and the search load's queries (the items' own names) come from
  # the database.
  bench_sql() { mariadb --no-defaults --socket="$MARIADB_SOCKET" -uportal -pbench_pw portal -N -B -r -e "$1"; }
  bench_sql "SELECT CONCAT('/items/', d.slug, '/', i.code) FROM list_items i
               JOIN departments d ON d.id = i.department_id ORDER BY i.id" >"$BENCH_TMP/item-paths.txt"
  bench_sql "SELECT DISTINCT v.name FROM list_items i
               JOIN list_item_versions v ON v.item_id = i.id AND v.version = i.current_version
              ORDER BY v.name LIMIT 2000" >"$BENCH_TMP/queries.txt"
  ITEM=$(bench_sql "SELECT CONCAT('/items/', d.slug, '/', i.code) FROM list_items i
                      JOIN departments d ON d.id = i.department_id WHERE i.code = 'BN-1'")
fi
export PORTAL_OPEN311_API_KEYS=benchkey
start_portal true

# nginx alone, a static 20 KB page, the same worker settings as the edge.
STATIC_PORT=$(free_port)
STATIC_DIR="$BENCH_TMP/static"
mkdir -p "$STATIC_DIR/www" "$STATIC_DIR/logs" "$STATIC_DIR/tmp"
# nginx's workers run as nobody: the page and the folders above it must be readable.
chmod 755 "$BENCH_TMP" "$STATIC_DIR" "$STATIC_DIR/www"
head -c 15000 /dev/urandom | base64 -w 100 | head -c 20480 >"$STATIC_DIR/www/page.html"
chmod 644 "$STATIC_DIR/www/page.html"
cat >"$STATIC_DIR/nginx.conf" <<CONF
worker_processes auto;
pid $STATIC_DIR/nginx.pid;
error_log $STATIC_DIR/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $STATIC_DIR/tmp;
  sendfile on;
  keepalive_timeout 65;
  server {
    listen 127.0.0.1:$STATIC_PORT;
    root $STATIC_DIR/www;
  }
}
CONF
nginx -c "$STATIC_DIR/nginx.conf" -p "$STATIC_DIR" &
STATIC_PID=$!
trap 'kill $STATIC_PID 2>/dev/null; wait $STATIC_PID 2>/dev/null; bench_cleanup' EXIT
wait_http "http://127.0.0.1:$STATIC_PORT/page.html" 10 || die "static nginx did not start"

# rps URL [wrk args...]: requests per second; warns on non-2xx answers.
rps() {
  local url=$1
  shift
  local out
  out=$(wrk -t2 -c32 -d"${SECONDS_EACH}"s "$@" "$url" 2>&1)
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    grep -E "Non-2xx|Socket errors" <<<"$out" | sed 's/^/    warning: /' >&2
    # Refused or failed answers are not throughput: such a run counts as zero.
    grep -q "Non-2xx" <<<"$out" && { echo 0; return; }
  fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# Warm-up: the first requests fill the pool and the page cache.
rps "http://127.0.0.1:$EDGE_PORT$ITEM" >/dev/null
static=() item=() raw=() post=()
for round in 1 2 3; do
  static+=("$(rps "http://127.0.0.1:$STATIC_PORT/page.html")")
  item+=("$(rps "http://127.0.0.1:$EDGE_PORT$ITEM")")
  echo "  round $round: nginx static ${static[-1]} req/s, item page via nginx ${item[-1]} req/s" >&2
done
for round in 1 2 3; do
  raw+=("$("$BIN_DIR/bench_raw_commit" "$MARIADB_SOCKET" portal bench_pw portal 16 "$SECONDS_EACH")")
  post+=("$(rps "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/complaint_post.lua")")
  echo "  round $round: raw commits ${raw[-1]} /s, Open311 POST via nginx ${post[-1]} /s" >&2
done

if [ "$ITEMS" -gt 0 ]; then
  BENCH_ITEM_PATHS="$BENCH_TMP/item-paths.txt" rps "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/item_pages.lua" >/dev/null
  BENCH_QUERY_FILE="$BENCH_TMP/queries.txt" rps "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/search_queries.lua" >/dev/null
fi

echo
echo "machine: $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c32 keep-alive, ${SECONDS_EACH}s runs; items: $([ "$ITEMS" -gt 0 ] && echo "$ITEMS from bench_corpus" || echo "the demo data")"
m_static=$(median "${static[@]}") m_item=$(median "${item[@]}")
m_raw=$(median "${raw[@]}") m_post=$(median "${post[@]}")
printf '%-44s %10s req/s\n' "nginx static 20 KB page (median of 3)" "$m_static"
printf '%-44s %10s req/s   ratio %s x (goal >= 0.25)\n' "item page $ITEM via nginx" "$m_item" "$(ratio "$m_item" "$m_static")"
printf '%-44s %10s /s\n' "raw commits, 16 connections (median of 3)" "$m_raw"
printf '%-44s %10s /s      ratio %s x (goal >= 0.5)\n' "Open311 POST via nginx" "$m_post" "$(ratio "$m_post" "$m_raw")"
mariadb_root portal -N -e "SELECT CONCAT('complaints stored: ', COUNT(*), IF(COUNT(*) = MAX(reg_seq) - MIN(reg_seq) + 1, ', numbers without gaps', ', GAPS in the numbers!')) FROM complaints WHERE reg_year = YEAR(NOW())"
curl -s "http://127.0.0.1:$DIRECT_PORT/metrics" | grep -E '^portal_page_cache_(bytes|entries|hits|misses) ' | sed 's/^/  /'
awk '/VmRSS/ {printf "portal resident memory at the end: %.0f MiB\n", $2/1024}' "/proc/$PORTAL_PID/status"
