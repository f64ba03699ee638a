#!/usr/bin/env bash
# Durable complaint submissions per second through the HTTP API (Open311 POST requests), wrk
# with 32 keep-alive connections: every 201 is a committed row (innodb_flush_log_at_trx_commit=1)
# with its registration number, deadlines and event. Prints req/s, p50/p99, and checks the
# numbers are gap-free afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
export PORTAL_OPEN311_API_KEYS=benchkey
start_portal true
run_wrk "complaint POST (direct)" "http://127.0.0.1:$DIRECT_PORT/" -s "$PORTAL_ROOT/bench/complaint_post.lua"
run_wrk "complaint POST (nginx)" "http://127.0.0.1:$EDGE_PORT/" -s "$PORTAL_ROOT/bench/complaint_post.lua"
mariadb_root portal -N -e "SELECT CONCAT('complaints stored: ', COUNT(*), ', numbers ', MIN(reg_seq), '..', MAX(reg_seq), IF(COUNT(*) = MAX(reg_seq) - MIN(reg_seq) + 1, ' (no gaps)', ' (GAPS!)')) FROM complaints"
