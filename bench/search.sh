#!/usr/bin/env bash
# The search benchmark, portal against raw Xapian over the same corpus and the same queries:
# - generates BENCH_ITEMS list items (default 100,000) and times the portal's full reindex;
# - dumps the same items (title, basis, duties, accountability) and builds a raw Xapian index
#   of them with one writer (bench_raw_xapian build);
# - generates BENCH_QUERIES distinct queries (default 2,000) from the corpus's own words;
# - drives the search API with wrk (2 threads, 32 keep-alive connections, every query once
#   before any repeats, BENCH_PAGE_SIZE hits a page: default 10, as many as the raw baseline
#   ranks and snippets); then again while bench_freshness publishes items and times until each
#   is searchable;
# - runs the raw baseline on the same queries: QueryParser with FLAG_CJK_NGRAM, get_mset(0, 10),
#   one snippet per hit, two threads;
# - prints portal q/s, raw q/s, their ratio, p50/p99 of both, and the portal's resident memory;
#   then the same for the baseline with a bigram-OR second pass (when the AND finds fewer than
#   10, an OR of the query's bigrams fills the page: the page the portal's relaxed passes fill).
# - then bench/search_cost.sh: CPU per query in the search module against the baseline, split
#   by whether the baseline (which ANDs every word) finds anything at all.
# BENCH_SECONDS (default 20) per measurement. Run it on a quiet machine: both sides share it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
ITEMS=${BENCH_ITEMS:-100000}
QUERIES=${BENCH_QUERIES:-2000}
SECONDS_EACH=${BENCH_SECONDS:-20}
RAW="$PORTAL_ROOT/build-release/bench/bench_raw_xapian"

"$PORTAL_ROOT/build-release/bench/bench_corpus" "$ITEMS"
start=$(date +%s.%N)
"$PORTAL_BIN" reindex 2>"$BENCH_TMP/reindex.log"
end=$(date +%s.%N)
printf 'portal full reindex of %s items: %.1f s\n' "$ITEMS" "$(echo "$end - $start" | bc)"
du -sh "$(readlink -f "$BENCH_TMP/index")" | awk '{print "portal index size on disk: " $1}'

# The same items as the portal indexes them (current version, legal bases, duties).
mariadb --no-defaults --socket="$MARIADB_SOCKET" -uportal -pbench_pw portal -N -B -r -e "
  SELECT i.code, v.name,
         REPLACE(REPLACE(CONCAT_WS(' ',
           (SELECT GROUP_CONCAT(CONCAT(b.law_name, b.article, b.provision) SEPARATOR ' ')
              FROM list_item_legal_bases b WHERE b.version_id = v.id),
           v.responsibilities, v.accountability), '\t', ' '), '\n', ' ')
    FROM list_items i JOIN list_item_versions v ON v.item_id = i.id AND v.version = i.current_version
   WHERE i.status = 'in_force'" >"$BENCH_TMP/corpus.tsv"
"$RAW" build "$BENCH_TMP/corpus.tsv" "$BENCH_TMP/raw-index"
"$RAW" queries "$BENCH_TMP/corpus.tsv" "$QUERIES" >"$BENCH_TMP/queries.txt"
echo "queries: $(sort -u "$BENCH_TMP/queries.txt" | wc -l) distinct, e.g. $(shuf -n 3 --random-source=<(yes) "$BENCH_TMP/queries.txt" | tr '\n' ' ')"

start_portal false
export BENCH_QUERY_FILE="$BENCH_TMP/queries.txt"
# Warm both sides' page caches with one pass over the queries (the portal's warm-up runs long
# enough to ask each of them at least once, as the raw side's does).
BENCH_SECONDS=${BENCH_WARM_SECONDS:-20} run_wrk "search API warm-up" "http://127.0.0.1:$DIRECT_PORT/" \
  -s "$PORTAL_ROOT/bench/search_queries.lua" >/dev/null
"$RAW" search "$BENCH_TMP/raw-index" "$BENCH_TMP/queries.txt" 3 >/dev/null

export BENCH_PAGE_SIZE=${BENCH_PAGE_SIZE:-10}
# Throughput first, alone: bench_freshness polls the search API every 5 ms while it waits for
# an edit, and those searches (not counted by wrk) would take their share of the two cores.
portal_line=$(BENCH_SECONDS=$SECONDS_EACH run_wrk "search API (direct, $BENCH_PAGE_SIZE a page)" "http://127.0.0.1:$DIRECT_PORT/" \
  -s "$PORTAL_ROOT/bench/search_queries.lua")
echo "$portal_line"
# Then freshness under the same load: edits published while wrk drives the search API.
"$PORTAL_ROOT/build-release/bench/bench_freshness" "$DIRECT_PORT" 40 >"$BENCH_TMP/freshness.txt" &
FRESH_PID=$!
BENCH_SECONDS=$SECONDS_EACH run_wrk "search API (direct) while editing" "http://127.0.0.1:$DIRECT_PORT/" \
  -s "$PORTAL_ROOT/bench/search_queries.lua"
wait "$FRESH_PID" || true
cat "$BENCH_TMP/freshness.txt"
awk '/VmRSS/ {printf "portal resident memory after the load: %.0f MiB\n", $2/1024}' "/proc/$PORTAL_PID/status"
raw_line=$("$RAW" search "$BENCH_TMP/raw-index" "$BENCH_TMP/queries.txt" "$SECONDS_EACH")
echo "$raw_line"
# The same baseline with the issue's "bigram-OR second pass": when the AND finds fewer than 10,
# an OR of the query's bigrams fills the page, as the portal's relaxed passes do.
raw_or_line=$("$RAW" search "$BENCH_TMP/raw-index" "$BENCH_TMP/queries.txt" "$SECONDS_EACH" or)
echo "$raw_or_line"
qps_of() { awk -v unit="$1" '{for (i = 1; i < NF; i++) if ($(i + 1) == unit) print $i}'; }
portal_qps=$(qps_of req/s <<<"$portal_line")
raw_qps=$(qps_of q/s <<<"$raw_line")
raw_or_qps=$(qps_of q/s <<<"$raw_or_line")
printf 'portal / raw xapian: %s / %s q/s = %.2f x\n' "$portal_qps" "$raw_qps" \
  "$(echo "$portal_qps / $raw_qps" | bc -l)"
printf 'portal / raw xapian with a bigram-OR second pass: %s / %s q/s = %.2f x\n' "$portal_qps" "$raw_or_qps" \
  "$(echo "$portal_qps / $raw_or_qps" | bc -l)"
run_wrk "search API (nginx)" "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/search_queries.lua"

# Bad input against the loaded index: status and server CPU per request (utime+stime of the
# portal process over 20 requests; the server is otherwise idle now).
export LC_ALL=C.UTF-8
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PORTAL_PID/stat"; }
# Chinese text from the corpus itself, N characters of it.
cjk_text() { python3 -c 'import re,sys; t="".join(re.findall("[\u4e00-\u9fff]", open(sys.argv[1], encoding="utf-8").read(200000))); print(t[:int(sys.argv[2])], end="")' "$BENCH_TMP/corpus.tsv" "$1"; }
# The same text as pasted from a list, punctuation and all: each clause a phrase of the query.
pasted_text() { python3 -c 'import sys; rows=[l.split("\t")[2].strip() for l in open(sys.argv[1], encoding="utf-8")]; print("".join(rows)[:int(sys.argv[2])], end="")' "$BENCH_TMP/corpus.tsv" "$1"; }
# The longest query the API accepts is kMaxQueryChars (200) characters; 2,000 are refused by
# the request framing (414) before any search.
for label in empty 2000-chars 200-chars 200-pasted punctuation xapian-syntax; do
  case $label in
    empty) q="" ;;
    2000-chars) q=$(cjk_text 2000) ;;
    200-chars) q=$(cjk_text 200) ;;
    200-pasted) q=$(pasted_text 200) ;;
    punctuation) q="。，！？……%%%" ;;
    xapian-syntax) q='广告 AND (NOT "噪声" OR title:x* NEAR/3 y) +-~' ;;
  esac
  enc=$(printf '%s' "$q" | od -An -tx1 -v | tr -d ' \n' | sed 's/../%&/g')
  before=$(cpu_ticks)
  for _ in $(seq 20); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DIRECT_PORT/api/v1/search?q=$enc")
  done
  after=$(cpu_ticks)
  printf 'bad input %-14s (%4s chars): HTTP %s, %.1f ms server CPU per request\n' "$label" \
    "$(printf '%s' "$q" | wc -m)" "$status" "$(echo "($after - $before) * 1000 / $(getconf CLK_TCK) / 20" | bc -l)"
done

# Where the portal's search costs more than the baseline, query by query (no HTTP, one thread).
"$PORTAL_ROOT/bench/search_cost.sh" "$(readlink -f "$BENCH_TMP/index")" "$BENCH_TMP/raw-index" "$BENCH_TMP/queries.txt"
