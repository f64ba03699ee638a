# Shared by the tests that drive a real Kannel (kannel_sms_test.sh, kannel_outage_test.sh):
# bearerbox with a fake SMSC on free loopback ports, a fresh schema on the test MariaDB, and
# cleanup of both on exit. Source it after setting PORTAL_ROOT and KANNEL_TEST (a short name
# for the temporary folder and the schema); then start smsbox and call wait_smsbox_online.
# shellcheck source=scripts/lib.sh
source "$PORTAL_ROOT/scripts/lib.sh"
: "${PORTAL_TEST_DB_SOCKET:?run through scripts/test}"
FAKESMSC=/usr/lib/kannel/test/fakesmsc
for bin in /usr/sbin/bearerbox /usr/sbin/smsbox "$FAKESMSC"; do
  [ -x "$bin" ] || die "$bin missing: install kannel and kannel-extras (scripts/lib.sh)"
done

TMP=$(mktemp -d "/tmp/portal-$KANNEL_TEST.XXXXXX")
SCHEMA="${KANNEL_TEST}_$$_$RANDOM"
PIDS=()  # started processes, stopped in reverse order
db() { mariadb --no-defaults --socket="$PORTAL_TEST_DB_SOCKET" -u"$PORTAL_TEST_DB_USER" -p"$PORTAL_TEST_DB_PASSWORD" "$@"; }
stop() {  # stop PID: TERM, then KILL if it is still there after 5 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
  db -e "DROP DATABASE IF EXISTS \`$SCHEMA\`" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  for f in "$TMP"/*.log; do echo "--- $f"; tail -30 "$f"; done
  exit 1
}

# Five distinct free loopback ports.
PORTS=()
while [ ${#PORTS[@]} -lt 5 ]; do
  p=$(free_port)
  [[ " ${PORTS[*]} " == *" $p "* ]] || PORTS+=("$p")
done
ADMIN=${PORTS[0]} BOXES=${PORTS[1]} SMSC=${PORTS[2]} SENDSMS=${PORTS[3]} PORTAL=${PORTS[4]}

cat >"$TMP/kannel.conf" <<EOF
group = core
admin-port = $ADMIN
admin-interface = 127.0.0.1
admin-password = admin-pw
smsbox-port = $BOXES
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "$TMP/bearerbox-file.log"
log-level = 0
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = $SMSC
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $BOXES
sendsms-port = $SENDSMS
sendsms-interface = 127.0.0.1
log-file = "$TMP/smsbox-file.log"
log-level = 0

group = sendsms-user
username = portal
password = sendsms-pw
default-sender = 10690000
max-messages = 5
concatenation = true
user-allow-ip = 127.0.0.1

group = sms-service
keyword = default
text = "unused"
EOF

/usr/sbin/bearerbox -v 1 "$TMP/kannel.conf" >"$TMP/bearerbox.log" 2>&1 &
PIDS+=($!)
status() { curl -s "http://127.0.0.1:$ADMIN/status.txt?password=admin-pw" >"$TMP/status.txt" || true; }
listening=""
for _ in $(seq 1 100); do  # the fake SMSC's listening socket exists once it is listed
  status
  grep -q "FAKE:$SMSC" "$TMP/status.txt" && listening=yes && break
  sleep 0.1
done
[ -n "$listening" ] || fail "bearerbox did not start"
# The fake SMSC connects to bearerbox's smsc port; -m 0: send nothing, print what arrives.
"$FAKESMSC" -H 127.0.0.1 -r "$SMSC" -m 0 '1 2 text unused' >"$TMP/fakesmsc.log" 2>&1 &
PIDS+=($!)

# Until smsbox answers and bearerbox lists both the fake SMSC and smsbox as connected.
wait_smsbox_online() {
  wait_http "http://127.0.0.1:$SENDSMS/" 10 || fail "smsbox did not start"
  online=""
  for _ in $(seq 1 100); do
    status
    if grep -q 'fake.*online' "$TMP/status.txt" && grep -q 'smsbox:' "$TMP/status.txt"; then
      online=yes
      break
    fi
    sleep 0.1
  done
  [ -n "$online" ] || fail "fake SMSC or smsbox not connected: $(cat "$TMP/status.txt")"
}
