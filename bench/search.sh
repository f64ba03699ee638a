#!/usr/bin/env bash
# The search benchmark: generates a corpus of BENCH_ITEMS list items (default 100,000), times a
# full reindex, then runs wrk (keep-alive, 32 connections) against the search API with a fixed
# list of queries, and reports the server's resident memory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
ITEMS=${BENCH_ITEMS:-100000}
"$PORTAL_ROOT/build-release/bench/bench_corpus" "$ITEMS"
start=$(date +%s.%N)
"$PORTAL_BIN" reindex 2>"$BENCH_TMP/reindex.log"
end=$(date +%s.%N)
printf 'full reindex of %s items: %.1f s (%s)\n' "$ITEMS" "$(echo "$end - $start" | bc)" \
  "$(tail -1 "$BENCH_TMP/reindex.log")"
du -sh "$(readlink -f "$BENCH_TMP/index")" | awk '{print "index size on disk: " $1}'
start_portal false
run_wrk "search API (direct)" "http://127.0.0.1:$DIRECT_PORT/" -s "$PORTAL_ROOT/bench/search_queries.lua"
run_wrk "search API (nginx)" "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/search_queries.lua"
awk '/VmRSS/ {printf "portal resident memory after the load: %.0f MiB\n", $2/1024}' "/proc/$PORTAL_PID/status"
