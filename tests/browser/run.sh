#!/usr/bin/env bash
# The portal in a real browser (issue 15): Debian's chromium driven by puppeteer-core (npm),
# against the real binary with the demo data on a fresh database of the test MariaDB.
#
#   run.sh --install WORK_DIR        install the pinned npm packages into WORK_DIR/node (scripts/test)
#   run.sh PORTAL_BIN WORK_DIR       run the suite (suite.js); screenshots go to WORK_DIR/screenshots
#
# WORK_DIR is in the build directory (never the source tree); ctest passes build-test/browser.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORTAL_ROOT=$(cd "$HERE/../.." && pwd)
source "$PORTAL_ROOT/scripts/lib.sh"

# npm ci into WORK_DIR/node when the lock file changed since the last install.
install_node_modules() {
  local dir=$1/node
  mkdir -p "$dir"
  if [ -d "$dir/node_modules" ] && cmp -s "$HERE/package-lock.json" "$dir/package-lock.json"; then
    return 0
  fi
  log "installing the browser tests' npm packages (puppeteer-core, axe-core) into $dir"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$dir/"
  (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

if [ "${1:-}" = "--install" ]; then
  install_node_modules "$2"
  exit 0
fi

PORTAL_BIN=$1
WORK=$2
: "${PORTAL_TEST_DB_SOCKET:?run through scripts/test}"
install_node_modules "$WORK"
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -x "$CHROMIUM" ] || die "chromium is not installed (scripts/lib.sh installs it)"

INSTANCE_TEST=browser
source "$PORTAL_ROOT/tests/e2e/instance_support.sh"
STAFF_PASSWORD="browser-$RANDOM-$RANDOM-pw"
PORTAL_NEW_PASSWORD="$STAFF_PASSWORD" "$PORTAL_BIN" create-account browser-admin admin 2>/dev/null
start_portal
PORT=$UPSTREAM
# A handler of 新区综合行政执法局 (the journey's complaint goes there); its department exists
# once the demo data is loaded.
PORTAL_NEW_PASSWORD="$STAFF_PASSWORD" "$PORTAL_BIN" create-account browser-zhzf editor zhzf 2>/dev/null
# A department entered without a hotline (departments come from outside the demo data): the
# home page, the complaint channels and its own page must not show it an empty tel: link.
db "$SCHEMA" -e "INSERT INTO departments (slug, name, short_name, description, main_duties,
  complaint_scope, hotline_phone, complaint_email, postal_address, office_hours, sort_order)
  VALUES ('zrzy', '新区自然资源局', '自然资源局', '', '', '土地、矿产、测绘违法行为', '', '', '', '', 99)"

rm -rf "$WORK/screenshots"
mkdir -p "$WORK/screenshots"
BASE_URL="http://127.0.0.1:$PORT" STAFF_USER=browser-admin HANDLER_USER=browser-zhzf \
  STAFF_PASSWORD="$STAFF_PASSWORD" \
  CHROMIUM="$CHROMIUM" SCREENSHOT_DIR="$WORK/screenshots" PROFILE_DIR="$TMP/profile" \
  NODE_PATH="$WORK/node/node_modules" node "$HERE/suite.js"
