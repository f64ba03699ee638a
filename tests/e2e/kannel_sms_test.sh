#!/usr/bin/env bash
# SMS through a real Kannel (Debian's bearerbox and smsbox): the real portal binary files a
# complaint, its dispatcher calls Kannel's sendsms, Kannel hands the message to its fake SMSC
# (kannel-extras' fakesmsc, which prints what it receives), and Kannel's delivery report comes
# back to /sms/dlr/<token>. Everything on 127.0.0.1, a fresh database on the test MariaDB.
# Usage: kannel_sms_test.sh PORTAL_BIN
set -euo pipefail
PORTAL_BIN=$1
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KANNEL_TEST=kannel
# shellcheck source=tests/e2e/kannel_support.sh
source "$PORTAL_ROOT/tests/e2e/kannel_support.sh"
/usr/sbin/smsbox -v 1 "$TMP/kannel.conf" >"$TMP/smsbox.log" 2>&1 &
PIDS+=($!)
wait_smsbox_online

db -e "CREATE DATABASE \`$SCHEMA\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
export PORTAL_DB_SOCKET="$PORTAL_TEST_DB_SOCKET" PORTAL_DB_USER="$PORTAL_TEST_DB_USER"
export PORTAL_DB_PASSWORD="$PORTAL_TEST_DB_PASSWORD" PORTAL_DB_SCHEMA="$SCHEMA"
export PORTAL_SEARCH_INDEX_DIR="$TMP/index" PORTAL_SERVER_LOG_REQUESTS=false
"$PORTAL_BIN" migrate 2>/dev/null
SIGNATURE="新区综合行政执法"
TEMPLATE="您的投诉举报已登记，编号{number}，查询码{code}，请凭编号和查询码查询办理进度。"
PORTAL_SERVER_PORT=$PORTAL PORTAL_DEMO_LOAD=true \
  PORTAL_SMS_ENABLED=true PORTAL_SMS_POLL_MS=50 \
  PORTAL_SMS_SIGNATURE="$SIGNATURE" PORTAL_SMS_TEMPLATE_REGISTERED="$TEMPLATE" \
  PORTAL_SMS_GATEWAY_NAME=kannel PORTAL_SMS_GATEWAY_KIND=kannel \
  PORTAL_SMS_GATEWAY_URL="http://127.0.0.1:$SENDSMS/cgi-bin/sendsms" \
  PORTAL_SMS_GATEWAY_USERNAME=portal PORTAL_SMS_GATEWAY_PASSWORD=sendsms-pw \
  PORTAL_SMS_DLR_BASE_URL="http://127.0.0.1:$PORTAL" \
  "$PORTAL_BIN" serve 2>"$TMP/portal.log" &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORTAL/healthz" 30 || fail "portal did not start"

# A citizen files a complaint with a mobile number on the public form.
curl -s -o "$TMP/form.html" "http://127.0.0.1:$PORTAL/complaints/new"
KEY=$(sed -n 's/.*name="idempotency_key" value="\([^"]*\)".*/\1/p' "$TMP/form.html" | head -1)
[ -n "$KEY" ] || fail "no idempotency key on the form"
curl -s -o "$TMP/filed.html" -w '%{http_code}' "http://127.0.0.1:$PORTAL/complaints/new" \
  --data-urlencode "idempotency_key=$KEY" --data-urlencode "department_id=unsure" \
  --data-urlencode "category=noise" --data-urlencode "description=夜间施工噪声扰民，持续到凌晨两点" \
  --data-urlencode "location=新区创新大街88号" --data-urlencode "complainant_name=张三" \
  --data-urlencode "complainant_phone=138 1234 5678" >"$TMP/filed.status"
[ "$(cat "$TMP/filed.status")" = 200 ] || fail "filing answered $(cat "$TMP/filed.status")"
NUMBER=$(sed -n 's/.*class="registration-no">\([^<]*\)<.*/\1/p' "$TMP/filed.html" | head -1)
CODE=$(sed -n 's/.*class="tracking-code">\([^<]*\)<.*/\1/p' "$TMP/filed.html" | head -1)
{ [ -n "$NUMBER" ] && [ -n "$CODE" ]; } || fail "no registration number or tracking code on the receipt"

# The fake SMSC prints "Got message N: <from to ucs-2 URL-ENCODED-UCS-2BE>": coding=2 reached
# the SMSC as UCS-2, and Kannel converted our UTF-8 (charset=UTF-8) into it.
line=""
for _ in $(seq 1 150); do
  line=$(grep -m1 'Got message' "$TMP/fakesmsc.log" || true)
  [ -n "$line" ] && break
  sleep 0.1
done
[ -n "$line" ] || fail "the fake SMSC received no message"
[[ "$line" == *"<10690000 +8613812345678 ucs-2 "* ]] ||
  fail "not UCS-2 to +8613812345678 from the default sender: $line"
data=${line#*ucs-2 }
data=${data%>}
data=${data//+/ }
text=$(printf '%b' "${data//%/\\x}" | iconv -f UTF-16BE -t UTF-8) || fail "not UCS-2: $data"
expected=${TEMPLATE/\{number\}/$NUMBER}
expected="【$SIGNATURE】${expected/\{code\}/$CODE}"
[ "$text" = "$expected" ] || fail "the handset would read: $text
expected:                     $expected"
[ "$(grep -c 'Got message' "$TMP/fakesmsc.log")" = 1 ] || fail "more than one message sent"

# Kannel reports back (8: SMSC accepted, then 1: delivered) to our token URL.
state=""
for _ in $(seq 1 150); do
  state=$(db -N -B "$SCHEMA" -e "SELECT CONCAT(o.state, ' ', IFNULL(o.dlr_status, '-'), ' ', o.attempts)
    FROM sms_outbox o JOIN complaints c ON c.id = o.complaint_id
    WHERE c.registration_no = '$NUMBER' AND o.event_kind = 'registered'")
  [ "${state%% *}" = delivered ] && break
  sleep 0.1
done
[ "$state" = "delivered delivered 1" ] ||
  fail "outbox row is '$state', expected 'delivered delivered 1' (state, report, attempts)"
echo "ok: $NUMBER reached the fake SMSC intact through Kannel and was reported delivered"
