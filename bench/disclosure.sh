#!/usr/bin/env bash
# Load on the enforcement disclosure pages (direct, wrk keep-alive, 32 connections,
# BENCH_SECONDS each, default 10): the decisions list, one decision, the certificate check, a
# department's before-enforcement page and the statistics with its charts. Prints req/s and
# latency percentiles.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
start_portal true
echo "machine: $(nproc) cores; portal workers 16, pool 16; wrk -t2 -c32 keep-alive"
base="http://127.0.0.1:$DIRECT_PORT"
run_wrk "decisions list" "$base/decisions"
run_wrk "decision page" "$base/decisions/1"
run_wrk "certificate check" "$base/certificates/check?number=%E5%90%89220101210031"
run_wrk "before-enforcement page" "$base/departments/zhzf/disclosures"
run_wrk "statistics (SVG charts)" "$base/enforcement/statistics"
