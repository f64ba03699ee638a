# Shared by scripts/run, scripts/test and bench/: dependencies, build, a private MariaDB, nginx.
# Source it; it defines functions only.

PORTAL_PACKAGES=(cmake g++ make pkg-config libpistache-dev libmysqlcppconn-dev mariadb-server
  mariadb-client libkainjow-mustache-dev libcurl4-openssl-dev libxapian-dev xapian-tools
  nlohmann-json3-dev libsodium-dev libgtest-dev libcpp-httplib-dev nginx wrk curl
  kannel kannel-extras libzip-dev libexpat1-dev libfreexl-dev libgsf-1-dev mariadb-backup
  libvips-dev galera-4 socat python3 libopencc-dev libopencc-data)
# The browser tests (tests/browser): Debian's chromium, CJK fonts to render Chinese, node and npm
# for puppeteer-core. A node from elsewhere (NodeSource) bundles its own npm and conflicts with
# Debian's npm package, so npm is only asked for when there is none.
PORTAL_PACKAGES+=(chromium fonts-noto-cjk nodejs)
command -v npm >/dev/null 2>&1 || PORTAL_PACKAGES+=(npm)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of PORTAL_PACKAGES is missing (Debian 12); does nothing when all are there.
install_deps() {
  local missing=()
  for p in "${PORTAL_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR BUILD_TYPE [cmake args...]
build_portal() {
  local dir=$1 type=$2
  shift 2
  log "building ($type) in $dir"
  cmake -S "$PORTAL_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  local out
  out=$(mktemp)
  if ! cmake --build "$dir" -j"$(nproc)" >"$out" 2>&1; then
    grep -vE '^\[ *[0-9]+%\]|^-- |Consolidate compiler|^gmake' "$out" | tail -60 >&2
    rm -f "$out"
    die "build failed"
  fi
  grep -E 'warning:' "$out" >&2 || true
  rm -f "$out"
}

# A free TCP port on loopback (nothing answers on it now), outside the ephemeral range.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768+), where clients bind
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# start_mariadb DIR: a private MariaDB on a unix socket only (no TCP), utf8mb4, durable
# commits. Creates the data directory on first use; sets MARIADB_SOCKET and MARIADB_PID.
start_mariadb() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  MARIADB_SOCKET="$dir/mysqld.sock"
  # Its own temporary directory: bootstrap servers of several instances set up at once in the
  # shared /tmp failed now and then ("Could not remove temporary table '/tmp/#sql-temptable-…'",
  # then mariadb-install-db failed), which made a test of the parallel suite fail at random.
  mkdir -p "$dir/tmp"
  if [ ! -d "$dir/data/mysql" ]; then
    log "creating MariaDB data directory in $dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
      { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  if [ -f "$dir/mysqld.pid" ] && kill -0 "$(cat "$dir/mysqld.pid")" 2>/dev/null; then
    die "MariaDB is already running in $dir (pid $(cat "$dir/mysqld.pid"))"
  fi
  mariadbd --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$MARIADB_SOCKET" \
    --pid-file="$dir/mysqld.pid" --skip-networking --user="$(id -un)" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 --skip-log-bin \
    --skip-name-resolve --max-connections=300 --log-error="$dir/error.log" &
  MARIADB_PID=$!
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -uroot ping >/dev/null 2>&1 && return 0
    kill -0 "$MARIADB_PID" 2>/dev/null || { tail -20 "$dir/error.log" >&2; die "MariaDB did not start"; }
    sleep 0.1
  done
  die "MariaDB did not answer within 30 s"
}

stop_mariadb() {
  [ -n "${MARIADB_PID:-}" ] || return 0
  mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -uroot shutdown >/dev/null 2>&1 ||
    kill "$MARIADB_PID" 2>/dev/null
  wait "$MARIADB_PID" 2>/dev/null
  MARIADB_PID=""
}

mariadb_root() { mariadb --no-defaults --socket="$MARIADB_SOCKET" -uroot "$@"; }

# ensure_db_user SCHEMA USER PASSWORD [GLOBAL]: the application's account. With GLOBAL the
# account may create and drop databases (the test runner's fresh database per suite).
ensure_db_user() {
  local schema=$1 user=$2 pass=$3 global=${4:-}
  mariadb_root <<SQL
CREATE DATABASE IF NOT EXISTS \`$schema\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pass';
ALTER USER '$user'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON \`$schema\`.* TO '$user'@'localhost';
$( [ -n "$global" ] && echo "GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;" )
FLUSH PRIVILEGES;
SQL
}

# write_nginx_conf DIR PUBLIC_PORT UPSTREAM_PORT: renders scripts/nginx.conf.in into DIR.
# nginx started by root runs its workers as nobody, and they keep request bodies over 512 KB
# (the photos of a complaint) and large answers in DIR/tmp, and read the Chinese error pages in
# scripts/nginx-errors: when nobody cannot reach them (a folder under a 0700 one such as /root),
# every such upload failed with nginx's 500. Then the workers run as root, like the portal
# beside them, and a line on stderr says so.
write_nginx_conf() {
  local dir=$1 port=$2 upstream=$3 user_line=""
  mkdir -p "$dir/logs" "$dir/tmp"
  # Not writable by others: nginx's master creates body/, proxy/... in it and, started by root,
  # hands them to its workers' user with chown, which would follow a link planted there.
  chmod 0755 "$dir/tmp"
  if [ "$(id -u)" = 0 ] &&
    ! setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups \
      test -x "$dir/tmp" -a -r "$PORTAL_ROOT/scripts/nginx-errors/html/400.html" 2>/dev/null; then
    user_line="user root;"
    echo "note: nginx workers run as root: user nobody cannot reach $dir/tmp or $PORTAL_ROOT" >&2
  fi
  sed -e "s|@PORT@|$port|g" -e "s|@UPSTREAM_PORT@|$upstream|g" -e "s|@DIR@|$dir|g" \
    -e "s|@USER@|$user_line|g" \
    -e "s|@ERRORS@|$PORTAL_ROOT/scripts/nginx-errors|g" \
    "$PORTAL_ROOT/scripts/nginx.conf.in" >"$dir/nginx.conf"
}

# grown_department_sql SLUG COPIES: SQL that gives the department COPIES more copies of each of
# its items (codes CODE-1, CODE-2...), each with a 4.5 KB remark, straight in the tables (no
# change log, no index): large answers for tests and benches (the demo zhzf at 100: an 11 MB
# CSV export).
grown_department_sql() {
  local slug=$1 copies=$2
  cat <<SQL
INSERT INTO list_items (code, department_id, current_version, name, item_type, status)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $copies)
SELECT CONCAT(li.code, '-', n.i), li.department_id, li.current_version, li.name, li.item_type,
       li.status
FROM list_items li JOIN departments d ON d.id = li.department_id AND d.slug = '$slug' CROSS JOIN n;
INSERT INTO list_item_versions (item_id, version, name, item_type, sub_items, implementing_body,
  exercise_level, responsibilities, accountability, supervision_phone, remarks, status,
  effective_date, change_kind, change_reason, legal_trigger, published_at)
SELECT c.id, v.version, v.name, v.item_type, v.sub_items, v.implementing_body, v.exercise_level,
       v.responsibilities, v.accountability, v.supervision_phone, REPEAT('注', 1500), v.status,
       v.effective_date, v.change_kind, v.change_reason, v.legal_trigger, v.published_at
FROM list_items c
JOIN list_items o ON o.department_id = c.department_id
                 AND c.code = CONCAT(o.code, '-', SUBSTRING_INDEX(c.code, '-', -1))
JOIN list_item_versions v ON v.item_id = o.id AND v.version = o.current_version;
SQL
}

# wait_http URL [seconds]: until the URL answers anything.
wait_http() {
  local url=$1 limit=${2:-30}
  for _ in $(seq 1 $((limit * 10))); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.1
  done
  return 1
}

# require_alive PID LOG BIN WHAT: dies, saying so, when the portal process PID (BIN, logging
# to LOG) is no longer running though nothing here stopped it: prints its exit and its crash
# report from LOG (portal/crash_report.h) with the binary's frames resolved to functions and
# lines, or the log's last lines when it left none.
require_alive() {
  local pid=$1 log=$2 bin=$3 what=$4
  kill -0 "$pid" 2>/dev/null && return 0
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  printf 'FAIL: %s (pid %s) died on its own, exit status %s\n' "$what" "$pid" "$status" >&2
  if grep -q '^fatal signal' "$log" 2>/dev/null; then
    sed -n '/^fatal signal/,/^end of call stack/p' "$log" | while IFS= read -r line; do
      printf '  %s\n' "$(c++filt <<<"$line")"
      if [[ $line =~ ^[^\ ]*portal\(\+(0x[0-9a-f]+)\) ]]; then
        # The return address points after the call: one byte back names the calling line.
        printf '      %s\n' "$(addr2line -f -C -p -e "$bin" \
          "$(printf '0x%x' $((BASH_REMATCH[1] - 1)))" 2>/dev/null)"
      fi
    done >&2
  else
    tail -20 "$log" | sed 's/^/  /' >&2
  fi
  exit 1
}
