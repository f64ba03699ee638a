#!/usr/bin/env bash
# Load on the item page and the items API, direct and through nginx (wrk, keep-alive,
# 32 connections, BENCH_SECONDS each, default 10). Prints req/s and latency percentiles.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
start_portal true
echo "machine: $(nproc) cores; portal workers 16, pool 16; wrk -t2 -c32 keep-alive"
for edge in direct nginx; do
  port=$DIRECT_PORT
  [ "$edge" = nginx ] && port=$EDGE_PORT
  run_wrk "item page ($edge)" "http://127.0.0.1:$port/items/zhzf/CF-ZHZF-0001"
  run_wrk "items API ($edge)" "http://127.0.0.1:$port/api/v1/departments/zhzf/items"
  run_wrk "item API ($edge)" "http://127.0.0.1:$port/api/v1/departments/zhzf/items/CF-ZHZF-0001"
done
