#!/usr/bin/env bash
# The GeoReport v2 probe (tests/open311/georeport_probe.py: a client written from the Open311
# specification, not from the portal's code) against the real portal binary with the demo data,
# straight and through nginx. Usage: open311_probe_test.sh PORTAL_BIN
set -euo pipefail
PORTAL_BIN=$1
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTANCE_TEST=open311
source "$PORTAL_ROOT/tests/e2e/instance_support.sh"
export PORTAL_OPEN311_API_KEYS=probe-key
# Every probe POST comes from one address: the per-address intake limit would refuse the 11th.
export PORTAL_HOTLINE_INTAKE_PER_ADDRESS=1000
start_portal
start_edge
status=0
python3 "$PORTAL_ROOT/tests/open311/georeport_probe.py" \
  "http://127.0.0.1:$UPSTREAM/open311/v2" probe-key || status=1
python3 "$PORTAL_ROOT/tests/open311/georeport_probe.py" \
  "http://127.0.0.1:$EDGE/open311/v2" probe-key || status=1
exit $status
