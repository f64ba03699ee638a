#!/usr/bin/env bash
# The public edge as a citizen meets it: nginx (scripts/nginx.conf.in) in front of the real
# portal binary, against a fresh database on the test MariaDB. Usage: nginx_edge_test.sh PORTAL_BIN
set -euo pipefail
PORTAL_BIN=$1
PORTAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTANCE_TEST=edge
source "$PORTAL_ROOT/tests/e2e/instance_support.sh"
start_portal
start_edge

passed=0 failed=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
has() { grep -q -- "$2" "$1"; }

curl -s -D "$TMP/h1" -o "$TMP/b1" "http://127.0.0.1:$EDGE/items/zhzf/CF-ZHZF-0001"
check "item page through nginx" has "$TMP/h1" "HTTP/1.1 200"
check "Chinese content" has "$TMP/b1" "对擅自设置大型户外广告的行政处罚"
check "security headers pass through" has "$TMP/h1" "Content-Security-Policy"
check "no nginx version" bash -c "! grep -qi 'Server: nginx/' '$TMP/h1'"
check "request id from nginx" grep -qiE "X-Request-Id: [0-9a-f]{32}" "$TMP/h1"

head -c 700000 /dev/zero | tr '\0' 'x' >"$TMP/big"
curl -s -D "$TMP/h2" -o "$TMP/b2" -X POST --data-binary "@$TMP/big" \
  -H "Content-Type: application/x-www-form-urlencoded" "http://127.0.0.1:$EDGE/admin/login"
check "oversized body refused by nginx" has "$TMP/h2" "HTTP/1.1 413"
check "413 page in Chinese" has "$TMP/b2" "提交的内容过大"

# Open311 clients read nginx's refusals too: in the format of the path (.xml: the spec's XML
# error list, it was JSON) and readable by other origins (the header was missing).
curl -s -D "$TMP/h2x" -o "$TMP/b2x" -X POST --data-binary "@$TMP/big" \
  -H "Content-Type: application/x-www-form-urlencoded" "http://127.0.0.1:$EDGE/open311/v2/requests.xml"
check "Open311 .xml: nginx's 413" has "$TMP/h2x" "HTTP/1.1 413"
check "Open311 .xml: the 413 is the spec's XML error list" has "$TMP/b2x" "<errors><error><code>413</code>"
check "Open311 .xml: the 413 is text/xml" grep -qi "Content-Type: text/xml" "$TMP/h2x"
check "Open311: the 413 is readable by other origins" grep -qi "Access-Control-Allow-Origin: \*" "$TMP/h2x"
curl -s -D "$TMP/h2j" -o "$TMP/b2j" -X POST --data-binary "@$TMP/big" \
  -H "Content-Type: application/x-www-form-urlencoded" "http://127.0.0.1:$EDGE/open311/v2/requests.json"
check "Open311 .json: the 413 is the JSON error list" grep -qF '[{"code":413' "$TMP/b2j"
check "the site's own 413 page has no CORS header" bash -c "! grep -qi 'Access-Control-Allow-Origin' '$TMP/h2'"

# A department's published list (often 0.5-3 MB) on the import form (audit H3): it reaches the
# portal (here refused for want of a login, not for its size); beyond 10 MB nginx answers with a
# page that says the list file's limit.
head -c 2500000 /dev/urandom | base64 >"$TMP/list.csv"
curl -s -D "$TMP/h13" -o /dev/null -F "file=@$TMP/list.csv;type=text/csv" \
  "http://127.0.0.1:$EDGE/admin/departments/zhzf/import/preview"
check "a 3 MB list reaches the import form" bash -c "grep -q 'HTTP/1.1' '$TMP/h13' && ! grep -q 'HTTP/1.1 413' '$TMP/h13'"
head -c 12000000 /dev/zero | tr '\0' 'x' >"$TMP/huge.csv"
curl -s -D "$TMP/h14" -o "$TMP/b14" -F "file=@$TMP/huge.csv;type=text/csv" \
  "http://127.0.0.1:$EDGE/admin/departments/zhzf/import/preview"
check "a 12 MB list refused by nginx" has "$TMP/h14" "HTTP/1.1 413"
check "its 413 page names the list file's limit" has "$TMP/b14" "清单文件超过了 10 MB 的上限"
check "the import's 413 page is a page" grep -qi "Content-Type: text/html" "$TMP/h14"

curl -s -D "$TMP/h3" -o "$TMP/b3" "http://127.0.0.1:$EDGE/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A"
check "search through nginx" has "$TMP/b3" "户外广告"

curl -s -D "$TMP/h4" -o /dev/null -H "Accept-Encoding: gzip" "http://127.0.0.1:$EDGE/static/site.css"
check "static CSS compressed" has "$TMP/h4" "Content-Encoding: gzip"

# /metrics is for monitoring on the server itself, never for the public through nginx (issue 18).
curl -s -D "$TMP/h6" -o "$TMP/b6" "http://127.0.0.1:$EDGE/metrics"
check "metrics refused through nginx" has "$TMP/h6" "HTTP/1.1 403"
check "no metrics leak through nginx" bash -c "! grep -q portal_http_requests_total '$TMP/b6'"

# Uploads at once from one address: each may be 52 MiB buffered to disk, so 4 are let through
# and a 5th is refused 429 with the Chinese page; opening the form is no upload and still works.
for fd in 3 4 5 6; do
  eval "exec $fd<>/dev/tcp/127.0.0.1/$EDGE"
  printf 'POST /complaints/new HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n--b\r\n' >&"$fd"
done
sleep 0.5
curl -s -D "$TMP/h7" -o "$TMP/b7" -F category=noise "http://127.0.0.1:$EDGE/complaints/new"
check "5th upload at once refused" has "$TMP/h7" "HTTP/1.1 429"
check "429 page in Chinese" has "$TMP/b7" "同时上传过多"
check "429 says when to retry" grep -qi "Retry-After: 10" "$TMP/h7"
curl -s -D "$TMP/h8" -o /dev/null "http://127.0.0.1:$EDGE/complaints/new"
check "the form still opens" has "$TMP/h8" "HTTP/1.1 200"
for fd in 3 4 5 6; do eval "exec $fd>&-"; done
sleep 0.5
curl -s -D "$TMP/h9" -o /dev/null -F category=noise "http://127.0.0.1:$EDGE/complaints/new"
check "uploads accepted again once the others end" bash -c "! grep -q 'HTTP/1.1 429' '$TMP/h9' && grep -q 'HTTP/1.1' '$TMP/h9'"

# A phone photo (2 MB) on the complaint form: beyond nginx's 512 KB body buffer it is kept in
# DATA_DIR/nginx/tmp, which this test's folder (mktemp, 0700) hides from user nobody; nginx must
# still hand it to the portal (here the form, refused 422 for its missing fields), never 500.
head -c 2000000 /dev/urandom >"$TMP/photo.jpg"
curl -s -D "$TMP/h10" -o "$TMP/b10" -F category=noise -F "evidence=@$TMP/photo.jpg;type=image/jpeg" \
  "http://127.0.0.1:$EDGE/complaints/new"
check "a 2 MB photo reaches the complaint form" has "$TMP/h10" "HTTP/1.1 422"
check "the form answers it in Chinese" has "$TMP/b10" "我要投诉举报"

# The Origin check behind nginx on a port of its own, without site.base_url: nginx passes Host
# with the port ($http_host), so a form posted from this site's page passes (422: its fields are
# missing) and a page on another port of the same host is another site (403, in Chinese).
curl -s -D "$TMP/h11" -o /dev/null -H "Origin: http://127.0.0.1:$EDGE" -d category=noise \
  "http://127.0.0.1:$EDGE/complaints/new"
check "a form from this site's page passes the Origin check" has "$TMP/h11" "HTTP/1.1 422"
curl -s -D "$TMP/h12" -o "$TMP/b12" -H "Origin: http://127.0.0.1:$((EDGE + 1))" -d category=noise \
  "http://127.0.0.1:$EDGE/complaints/new"
check "a page on another port is another site" has "$TMP/h12" "HTTP/1.1 403"
check "the refusal is in Chinese" has "$TMP/b12" "请求来源不是本网站"

# A large answer to a slow client (a department's CSV export grown to about 11 MB, beyond the
# socket buffers): nginx takes it whole from the portal into DATA_DIR/nginx/tmp and hands it on
# at the client's pace, in full (a temporary file nginx could not open cut it off after its 200).
db "$SCHEMA" -e "$(grown_department_sql zhzf 100)"
export_url=/departments/zhzf/export.csv
whole=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$UPSTREAM$export_url")
slowly=$(curl -s -o /dev/null --limit-rate 5m -w '%{size_download}' \
  "http://127.0.0.1:$EDGE$export_url" || true)
check "a large export reaches a slow client whole ($slowly of $whole bytes)" \
  test "$whole" -gt 8000000 -a "$slowly" = "$whole"

kill "$PORTAL_PID" && wait "$PORTAL_PID" 2>/dev/null || true
PORTAL_PID=""
curl -s -D "$TMP/h5" -o "$TMP/b5" "http://127.0.0.1:$EDGE/"
check "portal down: 502 page in Chinese" has "$TMP/b5" "服务暂时不可用"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
