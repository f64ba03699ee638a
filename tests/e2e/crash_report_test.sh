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

# kill(1) delivers to the main thread (it waits in sigwait with these signals open); a crash
# under load is in another thread (a reactor or a worker, without the main thread's
# alternate stack): SEGV@thread sends it to the last thread the process started, by tgkill.
for case in SEGV ABRT SEGV@thread; do
  sig=${case%@*}
  start_portal
  # Busy, as under load.
  for _ in 1 2 3 4; do curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM/search?q=%E5%99%AA%E9%9F%B3" & done
  if [ "$case" = "$sig" ]; then
    kill -"$sig" "$PORTAL_PID"
  else
    tid=$(ls /proc/"$PORTAL_PID"/task | sort -n | tail -1)
    [ "$tid" != "$PORTAL_PID" ] || { echo "FAIL: no thread besides the main one"; exit 1; }
    python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).tgkill(*map(int, sys.argv[1:])))' \
      "$PORTAL_PID" "$tid" "$(kill -l "$sig")"
  fi
  status=0
  wait "$PORTAL_PID" 2>/dev/null || status=$?
  PORTAL_PID=""
  wait  # the curls
  number=$(kill -l "$sig")
  log=$(cat "$TMP/portal.log")
  check "$case: the portal died by the signal (exit status $status)" "[ $status -eq $((128 + number)) ]"
  check "$case: the log names the signal" "grep -q '^fatal signal $number ' <<<\"\$log\""
  check "$case: the log ends the call stack" "grep -q '^end of call stack' <<<\"\$log\""
  resolved=0
  while read -r offset; do
    name=$(addr2line -f -e "$PORTAL_BIN" "$offset" | head -1)
    [ -n "$name" ] && [ "$name" != "??" ] && resolved=$((resolved + 1))
  done < <(sed -n 's/^[^ ]*portal(+\(0x[0-9a-f]*\)).*/\1/p' <<<"$log")
  check "$case: $resolved frames of the binary resolve to functions" "[ $resolved -ge 1 ]"
done
[ "$failures" -eq 0 ]
