#!/usr/bin/env bash
# A crashed portal says where (portal/crash_report.h): the real binary, serving the demo, gets
# a fatal signal; it must die by that signal as before (exit status 128 + signal, so a service
# manager restarts it and a core is written where enabled) and leave in its log the signal and
# a call stack whose frames in the binary resolve to functions with addr2line. Without it a
# crash under load left only "Segmentation fault" in the shell that started the server.
set -euo pipefail
PORTAL_BIN=$1
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTANCE_TEST=crashreport
# shellcheck source=tests/e2e/instance_support.sh
source "$PORTAL_ROOT/tests/e2e/instance_support.sh"

failures=0
check() { if eval "$2"; then printf 'ok: %s\n' "$1"; else printf 'FAIL: %s\n' "$1"; failures=$((failures + 1)); fi; }

for sig in SEGV ABRT; do
  start_portal
  # Busy, as under load: the signal may land in any thread.
  for _ in 1 2 3 4; do curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM/search?q=%E5%99%AA%E9%9F%B3" & done
  kill -"$sig" "$PORTAL_PID"
  status=0
  wait "$PORTAL_PID" 2>/dev/null || status=$?
  PORTAL_PID=""
  wait  # the curls
  number=$(kill -l "$sig")
  log=$(cat "$TMP/portal.log")
  check "SIG$sig: the portal died by the signal (exit status $status)" "[ $status -eq $((128 + number)) ]"
  check "SIG$sig: the log names the signal" "grep -q '^fatal signal $number ' <<<\"\$log\""
  check "SIG$sig: the log ends the call stack" "grep -q '^end of call stack' <<<\"\$log\""
  resolved=0
  while read -r offset; do
    name=$(addr2line -f -e "$PORTAL_BIN" "$offset" | head -1)
    [ -n "$name" ] && [ "$name" != "??" ] && resolved=$((resolved + 1))
  done < <(sed -n 's/^[^ ]*portal(+\(0x[0-9a-f]*\)).*/\1/p' <<<"$log")
  check "SIG$sig: $resolved frames of the binary resolve to functions" "[ $resolved -ge 1 ]"
done
[ "$failures" -eq 0 ]
