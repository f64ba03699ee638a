#!/usr/bin/env bash
# The bad-input corpus (bad_input_corpus.cpp) against the real portal binary on its own port
# and through nginx with the project's configuration, on a fresh database.
# Usage: bad_input_test.sh PORTAL_BIN CORPUS_BIN
set -euo pipefail
PORTAL_BIN=$1
CORPUS_BIN=$2
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTANCE_TEST=badinput
source "$PORTAL_ROOT/tests/e2e/instance_support.sh"
# Short framing timeouts, so the slow cases are answered quickly.
export PORTAL_SERVER_HEADER_TIMEOUT_S=2 PORTAL_SERVER_BODY_TIMEOUT_S=3
# Started with the open-file limit many systems give a process (1,024), and a connection limit
# below the corpus's flood of idle connections: the portal must stay reachable.
export PORTAL_SERVER_MAX_CONNECTIONS=1000
files=$(ulimit -Sn)
ulimit -Sn 1024
start_portal
ulimit -Sn "$files"
start_edge

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
