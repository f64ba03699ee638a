#!/usr/bin/env bash
# scripts/portal against a running instance (issue 11, item 8): an instance laid out as
# scripts/run makes it (its own MariaDB under a temporary DATA_DIR, db-password, the real
# portal binary serving the demo data); a real published list (白城市市场监督管理局, from
# tests/data/real-lists) handed over as an .xlsx; `scripts/portal import DEPT file.xlsx
# --dry-run` and then `--reason ...`, with no database settings in the environment (the script
# must find them in DATA_DIR) and no terminal (stdin closed). Checks that the mapping is
# printed, that the dry run writes nothing, and that the items then appear on the running
# portal's API; a second run of the same file changes nothing.
# Usage: portal_script_test.sh PORTAL_BIN CSV_TO_XLSX
set -euo pipefail
PORTAL_BIN=$1
CSV_TO_XLSX=$2
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$PORTAL_ROOT/scripts/lib.sh"

TMP=$(mktemp -d /tmp/portal-script.XXXXXX)
D="$TMP/data"
PORTAL_PID=""
cleanup() {
  local rc=$?
  # A step that stopped the script without fail() (start_mariadb dies with its message in
  # mariadb.log) still leaves its reason in the test's output.
  if [ "$rc" -ne 0 ]; then
    for f in "$TMP"/*.log "$D"/mariadb/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -30 "$f"; }; done
  fi
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null && wait "$PORTAL_PID" 2>/dev/null
  stop_mariadb
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  for f in "$TMP"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -30 "$f"; }; done
  exit 1
}

mkdir -p "$D"
start_mariadb "$D/mariadb" 2>"$TMP/mariadb.log"
(umask 077 && echo "pw-$RANDOM-$RANDOM" >"$D/db-password")
ensure_db_user portal portal "$(cat "$D/db-password")"
(
  export PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_DB_USER=portal PORTAL_DB_SCHEMA=portal
  export PORTAL_DB_PASSWORD="$(cat "$D/db-password")" PORTAL_SEARCH_INDEX_DIR="$D/index"
  "$PORTAL_BIN" migrate 2>"$TMP/migrate.log"
) || fail "migrate"
PORT=$(free_port)
PORTAL_DB_SOCKET="$MARIADB_SOCKET" PORTAL_DB_USER=portal PORTAL_DB_SCHEMA=portal \
  PORTAL_DB_PASSWORD="$(cat "$D/db-password")" PORTAL_SEARCH_INDEX_DIR="$D/index" \
  PORTAL_SERVER_PORT=$PORT PORTAL_DEMO_LOAD=true PORTAL_SERVER_LOG_REQUESTS=false \
  "$PORTAL_BIN" serve 2>"$TMP/portal.log" &
PORTAL_PID=$!
wait_http "http://127.0.0.1:$PORT/healthz" 30 || fail "portal did not start"

# The department whose list it is, new to the portal (its list is empty until the import).
mariadb_root portal <<'SQL' || fail "could not add the department"
INSERT INTO departments (slug, name, short_name, description, main_duties, complaint_scope,
  hotline_phone, complaint_email, postal_address, office_hours)
VALUES ('bcsj', '白城市市场监督管理局', '市场监管局', '', '', '', '', '', '', '');
SQL

FILE="$TMP/白城市市场监督管理局权力清单.xlsx"
"$CSV_TO_XLSX" "$PORTAL_ROOT/tests/data/real-lists/tune/12_baicheng_power.csv" "$FILE" "权力清单" ||
  fail "could not write the workbook"
items() {  # the names in the "items" array of the department's list (keys come sorted)
  curl -s "http://127.0.0.1:$PORT/api/v1/departments/bcsj/items?page_size=100" |
    sed -n 's/.*"items":\(\[.*\]\),"page":.*/\1/p' | grep -o '"name":"[^"]*"' | sort || true
}
before=$(items)
[ -z "$before" ] || fail "the new department already has items"

run_portal() {  # no database settings from outside: scripts/portal must find them in DATA_DIR
  env -u PORTAL_DB_SOCKET -u PORTAL_DB_PASSWORD -u PORTAL_DB_USER DATA_DIR="$D" \
    PORTAL_BIN="$PORTAL_BIN" "$PORTAL_ROOT/scripts/portal" "$@" </dev/null
}

run_portal import bcsj "$FILE" --dry-run >"$TMP/dry.out" 2>"$TMP/dry.log" || fail "dry run failed"
grep -q '工作表“权力清单”' "$TMP/dry.log" || fail "the dry run does not name the sheet"
grep -q '事项名称(主项) -> 事项名称' "$TMP/dry.log" || fail "the dry run does not print the mapping"
grep -q '事项类别 -> 事项类型' "$TMP/dry.log" || fail "the mapping misses the type column"
grep -q '未写入' "$TMP/dry.log" || fail "the dry run does not say it wrote nothing"
grep -q '检验检测机构资质认定' "$TMP/dry.out" || fail "the dry run does not list the new items"
stored() {
  mariadb_root -N portal -e "SELECT COUNT(*) FROM list_items i JOIN departments d
    ON d.id = i.department_id WHERE d.slug = 'bcsj'"
}
[ "$(stored)" = 0 ] || fail "the dry run wrote items"

run_portal import bcsj "$FILE" --reason "2024年清单调整" >"$TMP/apply.out" 2>"$TMP/apply.log" ||
  fail "the import failed"
grep -q '事项名称(主项) -> 事项名称' "$TMP/apply.log" || fail "the import does not print the mapping"
grep -q '新增 25，变更 0，取消 0' "$TMP/apply.log" || fail "expected 25 new items: $(tail -1 "$TMP/apply.log")"
grep -q '已写入' "$TMP/apply.log" || fail "the import does not say it wrote the list"
[ "$(stored)" = 25 ] || fail "expected 25 items stored, found $(stored)"
# The API is answered from the node's page cache, emptied when the node's index applies the
# import's change-log entries (a console import is no staff POST): wait for that, up to 30 s.
for _ in $(seq 1 60); do
  after=$(items)
  grep -qF '"name":"检验检测机构资质认定"' <<<"$after" && break
  sleep 0.5
done
for name in "企业设立、变更、注销登记" "检验检测机构资质认定" "食品(含保健食品)经营许可"; do
  grep -qF "\"name\":\"$name\"" <<<"$after" || fail "$name is not on the portal after the import"
done

run_portal import bcsj "$FILE" --reason "再次导入" >"$TMP/again.out" 2>"$TMP/again.log" ||
  fail "the second import failed"
grep -q '新增 0，变更 0，取消 0，下放 0，无变化 25' "$TMP/again.log" ||
  fail "the same file again changed something: $(tail -1 "$TMP/again.log")"

# A real published .xls (BIFF8, 克拉玛依市医疗保障局) into a second department, then the same
# file as a supplement (every row matches its item: nothing changes), then another
# department's list as a supplement (no row matches: each is named, nothing is written).
mariadb_root portal <<'SQL' || fail "could not add the second department"
INSERT INTO departments (slug, name, short_name, description, main_duties, complaint_scope,
  hotline_phone, complaint_email, postal_address, office_hours)
VALUES ('klmyyb', '克拉玛依市医疗保障局', '医保局', '', '', '', '', '', '', '');
SQL
XLS="$PORTAL_ROOT/tests/data/real-lists/xls/33_karamay-medical-security_both.xls"
run_portal import klmyyb "$XLS" --reason "2024年权责清单" >"$TMP/xls.out" 2>"$TMP/xls.log" ||
  fail "the .xls import failed: $(tail -3 "$TMP/xls.log")"
grep -q 'Excel 97-2003 工作簿（.xls）' "$TMP/xls.log" || fail "the .xls is not named as such"
grep -q '新增 17，变更 0，取消 0' "$TMP/xls.log" || fail "expected 17 new items: $(tail -1 "$TMP/xls.log")"
run_portal import klmyyb "$XLS" --supplement --reason "补充责任清单" >"$TMP/sup.out" 2>"$TMP/sup.log" ||
  fail "the supplement failed: $(tail -3 "$TMP/sup.log")"
grep -q '新增 0，变更 0，取消 0，下放 0，无变化 17' "$TMP/sup.log" ||
  fail "the same list as a supplement changed something: $(tail -1 "$TMP/sup.log")"
grep -q '未匹配' "$TMP/sup.log" && fail "rows of the department's own list were not matched"
if run_portal import klmyyb "$FILE" --supplement --reason "补充责任清单" >"$TMP/other.out" 2>"$TMP/other.log"; then
  : # unmatched rows are reported, not errors
else
  fail "a supplement with unmatched rows failed: $(tail -3 "$TMP/other.log")"
fi
grep -q '未匹配 25 行' "$TMP/other.log" || fail "the unmatched rows are not counted: $(cat "$TMP/other.log")"
grep -q '“检验检测机构资质认定”）：本部门没有同名事项，本行未导入' "$TMP/other.log" ||
  fail "an unmatched row is not named"
grep -q '新增 0，变更 0，取消 0' "$TMP/other.log" || fail "the unmatched supplement changed something"

# A member of staff who left (outside audit: accounts could only be created): deactivate-account
# shuts them out at once, their open session too; activate-account lets them back in.
staff_login() {  # USER PASSWORD JAR: the HTTP status of the login form's POST
  local token
  token=$(curl -s -c "$3" -b "$3" "http://127.0.0.1:$PORT/admin/login" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o "$TMP/login.html" -w '%{http_code}' -c "$3" -b "$3" \
    --data-urlencode "username=$1" --data-urlencode "password=$2" \
    --data-urlencode "csrf_token=$token" --data-urlencode "next=/admin" \
    "http://127.0.0.1:$PORT/admin/login"
}
admin_status() { curl -s -o /dev/null -w '%{http_code}' -b "$1" "http://127.0.0.1:$PORT/admin"; }
PORTAL_NEW_PASSWORD=leaver-password-2026 run_portal create-account leaver editor bcsj \
  2>"$TMP/create.log" || fail "create-account failed: $(cat "$TMP/create.log")"
[ "$(staff_login leaver leaver-password-2026 "$TMP/jar1")" = 303 ] || fail "the new account cannot log in"
[ "$(admin_status "$TMP/jar1")" = 200 ] || fail "the new account's session does not open /admin"
run_portal deactivate-account leaver 2>"$TMP/deactivate.log" ||
  fail "deactivate-account failed: $(cat "$TMP/deactivate.log")"
grep -q 'sessions ended: leaver' "$TMP/deactivate.log" || fail "deactivate-account does not say so"
[ "$(admin_status "$TMP/jar1")" = 303 ] || fail "the open session still works after deactivation"
[ "$(staff_login leaver leaver-password-2026 "$TMP/jar2")" = 401 ] ||
  fail "a deactivated account can log in"
grep -q '该账号已停用' "$TMP/login.html" || fail "the login page does not say the account is deactivated"
run_portal activate-account leaver 2>"$TMP/activate.log" || fail "activate-account failed"
[ "$(staff_login leaver leaver-password-2026 "$TMP/jar3")" = 303 ] || fail "the reactivated account cannot log in"
if run_portal deactivate-account nobody 2>"$TMP/nobody.log"; then fail "deactivated an unknown account"; fi
grep -q 'no account nobody' "$TMP/nobody.log" || fail "no clear message for an unknown account"
[ "$(mariadb_root -N portal -e "SELECT COUNT(*) FROM audit_log WHERE action IN
  ('account.deactivate', 'account.activate')")" = 2 ] || fail "the changes are not in the audit log"

# Without a running instance in DATA_DIR the script says so instead of guessing.
if env DATA_DIR="$TMP/nowhere" PORTAL_BIN="$PORTAL_BIN" "$PORTAL_ROOT/scripts/portal" \
  import bcsj "$FILE" --dry-run </dev/null >"$TMP/none.out" 2>"$TMP/none.log"; then
  fail "scripts/portal succeeded without an instance"
fi
grep -q 'no instance in' "$TMP/none.log" || fail "no clear message without an instance"
echo "scripts/portal: dry run, import of 25 rows from .xlsx, unchanged re-import, a real .xls, supplements, deactivate/activate an account: ok"
