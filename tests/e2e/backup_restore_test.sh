#!/usr/bin/env bash
# Backups that restore (issue 18): a real instance (its own MariaDB under a DATA_DIR, the real
# portal binary) takes complaints from a client that keeps submitting; scripts/backup runs in
# the middle of that; scripts/restore puts the backup into a fresh DATA_DIR; every complaint
# acknowledged (HTTP 200 with a registration number) before the backup began must be there,
# the instance's files must be back, and the search index must be rebuilt and answer.
# Usage: backup_restore_test.sh PORTAL_BIN
set -euo pipefail
PORTAL_BIN=$1
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$PORTAL_ROOT/scripts/lib.sh"
command -v mariadb-backup >/dev/null || die "mariadb-backup missing (scripts/lib.sh)"

TMP=$(mktemp -d /tmp/portal-backup.XXXXXX)
A="$TMP/a" B="$TMP/b"
PORTAL_PID="" CLIENT_PID="" PID_A="" PID_B=""
cleanup() {
  [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null && wait "$CLIENT_PID" 2>/dev/null
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null && wait "$PORTAL_PID" 2>/dev/null
  for d in "$A" "$B"; do
    [ -S "$d/mariadb/mysqld.sock" ] &&
      mariadb-admin --no-defaults --socket="$d/mariadb/mysqld.sock" -uroot shutdown 2>/dev/null
  done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  for f in "$TMP"/*.log "$A"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  exit 1
}

# The instance, as scripts/run lays it out.
mkdir -p "$A"
start_mariadb "$A/mariadb" 2>"$TMP/start-a.log"
PID_A=$MARIADB_PID
(umask 077 && echo "pw-$RANDOM-$RANDOM" >"$A/db-password" && echo "admin-secret" >"$A/admin-password")
echo "sms.signature = 备份测试" >"$A/portal.conf"
mkdir -p "$A/uploads" && echo "evidence" >"$A/uploads/photo-1.txt"
ensure_db_user portal portal "$(cat "$A/db-password")"
export PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_DB_USER=portal PORTAL_DB_SCHEMA=portal
export PORTAL_DB_PASSWORD="$(cat "$A/db-password")" PORTAL_SERVER_LOG_REQUESTS=false
export PORTAL_SEARCH_INDEX_DIR="$A/index" PORTAL_ACCOUNTS_HASH_COST=minimum
"$PORTAL_BIN" --config "$A/portal.conf" migrate 2>/dev/null
PORT=$(free_port)
PORTAL_SERVER_PORT=$PORT PORTAL_DEMO_LOAD=true PORTAL_HOTLINE_INTAKE_PER_ADDRESS=0 \
  "$PORTAL_BIN" --config "$A/portal.conf" serve 2>"$TMP/portal.log" &
PORTAL_PID=$!
wait_http "http://127.0.0.1:$PORT/healthz" 30 || fail "portal did not start"

# A client that keeps filing complaints and writes down each acknowledged number.
client() {
  local i=0
  while [ $i -lt 400 ]; do
    i=$((i + 1))
    local body
    body=$(curl -s "http://127.0.0.1:$PORT/complaints/new" \
      --data-urlencode "idempotency_key=backup-test-$$-$i-xxxxxxxxxx" \
      --data-urlencode "department_id=unsure" --data-urlencode "category=noise" \
      --data-urlencode "description=备份期间提交的第${i}件投诉" -w '\n%{http_code}') || continue
    [ "${body##*$'\n'}" = 200 ] || continue
    local number
    number=$(sed -n 's/.*class="registration-no">\([^<]*\)<.*/\1/p' <<<"$body" | head -1)
    [ -n "$number" ] && echo "$number" >>"$TMP/acked"
  done
}
: >"$TMP/acked"
client &
CLIENT_PID=$!
for _ in $(seq 1 100); do
  [ "$(wc -l <"$TMP/acked")" -ge 20 ] && break
  sleep 0.1
done
[ "$(wc -l <"$TMP/acked")" -ge 20 ] || fail "the client got no acknowledgments"

cp "$TMP/acked" "$TMP/acked-before"  # acknowledged before the backup began
BACKUP=$(DATA_DIR="$A" "$PORTAL_ROOT/scripts/backup" "$TMP/backups" 2>"$TMP/backup.log" | tail -1) ||
  fail "scripts/backup failed"
after=$(wc -l <"$TMP/acked")
[ "$after" -gt "$(wc -l <"$TMP/acked-before")" ] || fail "no complaint came in during the backup"
kill "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID" 2>/dev/null || true
CLIENT_PID=""
kill "$PORTAL_PID"; wait "$PORTAL_PID" 2>/dev/null || true
PORTAL_PID=""
mariadb-admin --no-defaults --socket="$A/mariadb/mysqld.sock" -uroot shutdown
wait "$PID_A" 2>/dev/null || true
MARIADB_PID=""

# Elsewhere: a fresh DATA_DIR.
PORTAL_BIN="$PORTAL_BIN" "$PORTAL_ROOT/scripts/restore" "$BACKUP" "$B" 2>"$TMP/restore.log" ||
  fail "scripts/restore failed"
[ ! -S "$B/mariadb/mysqld.sock" ] || fail "restore left MariaDB running"
cmp -s "$A/db-password" "$B/db-password" || fail "db-password not restored"
cmp -s "$A/portal.conf" "$B/portal.conf" || fail "portal.conf not restored"
cmp -s "$A/uploads/photo-1.txt" "$B/uploads/photo-1.txt" || fail "uploads not restored"
[ -e "$B/index" ] || fail "no search index rebuilt in $B/index"
grep -q "documents indexed" "$TMP/restore.log" || fail "reindex did not run"

start_mariadb "$B/mariadb" 2>"$TMP/start-b.log"
PID_B=$MARIADB_PID
export PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_SEARCH_INDEX_DIR="$B/index"
export PORTAL_DB_PASSWORD="$(cat "$B/db-password")"
q() { mariadb --no-defaults --socket="$MARIADB_SOCKET" -uportal -p"$PORTAL_DB_PASSWORD" -N -B portal -e "$1"; }
restored=$(q "SELECT registration_no FROM complaints" | sort)
missing=$(sort "$TMP/acked-before" | comm -23 - <(echo "$restored"))
[ -z "$missing" ] || fail "acknowledged before the backup but not restored: $missing"
doubles=$(q "SELECT COUNT(*) - COUNT(DISTINCT registration_no) FROM complaints")
[ "$doubles" = 0 ] || fail "$doubles registration numbers doubled"
# The restored instance serves, its index answers from MariaDB's content.
PORT=$(free_port)
PORTAL_SERVER_PORT=$PORT "$PORTAL_BIN" --config "$B/portal.conf" serve 2>"$TMP/portal-b.log" &
PORTAL_PID=$!
wait_http "http://127.0.0.1:$PORT/healthz" 30 || fail "restored portal did not start"
# (Not `curl | grep -q` under pipefail: grep leaves at the first match, and curl, still writing
# a page that arrived in several reads, dies of SIGPIPE and fails the pipeline.)
search_page=$(curl -s "http://127.0.0.1:$PORT/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A")
grep -q "户外广告" <<<"$search_page" || fail "the rebuilt index finds nothing"
echo "ok: $(wc -l <"$TMP/acked-before") complaints acknowledged before the backup all restored ($(echo "$restored" | wc -l) in the backup)"
