#!/usr/bin/env bash
# A client that asks for a large answer and then reads nothing (a phone on a bad line), and
# what it costs the portal: CPU seconds the portal burns while the client stalls for
# BENCH_STALL_S seconds (default 3), straight at the portal and through nginx, beside the cost
# of the same answer downloaded at once. The answer is a department's CSV export made large
# (BENCH_CLONES copies of each demo item with a 4.5 KB remark: about 11 MB at the default 100).
#
# Why: Pistache 0.0.5 retries a write the socket cannot take in a busy loop (pistache#949), so
# an answer larger than the socket buffers (several MB on loopback) holds a reactor thread at
# 100% CPU, and every connection on that thread waits, until the client has read it. nginx
# therefore takes whole answers from the portal and feeds slow clients itself
# (proxy_max_temp_file_size in scripts/nginx.conf.in). Expected: the nginx figure close to the
# fast download's, the direct one about BENCH_STALL_S seconds above it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup
CLONES=${BENCH_CLONES:-100}
STALL_S=${BENCH_STALL_S:-3}
start_portal true

mariadb --no-defaults --socket="$MARIADB_SOCKET" -uportal -pbench_pw portal \
  -e "$(grown_department_sql zhzf "$CLONES")"

URL_PATH=/departments/zhzf/export.csv
ticks() { awk '{print $14 + $15}' "/proc/$PORTAL_PID/stat"; }
hz=$(getconf CLK_TCK)
cpu_since() { awk -v now="$(ticks)" -v then="$1" -v hz="$hz" 'BEGIN { printf "%.2f", (now - then) / hz }'; }

size=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$DIRECT_PORT$URL_PATH")
echo "answer: $URL_PATH, $size bytes"
before=$(ticks)
curl -sS -o /dev/null "http://127.0.0.1:$EDGE_PORT$URL_PATH"
printf '%-44s %6s s of portal CPU\n' "downloaded at once through nginx" "$(cpu_since "$before")"
for target in "direct $DIRECT_PORT" "through nginx $EDGE_PORT"; do
  port=${target##* }
  before=$(ticks)
  python3 - "$port" "$URL_PATH" "$STALL_S" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % sys.argv[2]).encode())
time.sleep(float(sys.argv[3]))
PY
  printf '%-44s %6s s of portal CPU\n' "stalled ${STALL_S} s, ${target% *}" "$(cpu_since "$before")"
done
