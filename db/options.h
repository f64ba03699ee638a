#pragma once

#include <string>
#include <vector>

namespace db {

// Where and how to reach MariaDB. Loaded once by the caller (portal's configuration) and
// handed down; the db module never reads the environment itself.
struct Options {
  std::string host = "127.0.0.1";  // ignored when `socket` is set
  int port = 3306;
  std::string socket;  // unix socket path; preferred over TCP when non-empty
  // Several nodes of one MariaDB Galera cluster, "host:port" each, in order of preference.
  // When set, host/port/socket are ignored: every connection of the pool goes to one node
  // at a time (single writer: numbering and outbox claims stay simple), the first that
  // answers and is synced (wsrep_ready); when it stops answering, the next. Empty: one server.
  std::vector<std::string> hosts;
  // With hosts: how often a pool that moved away from an earlier host checks whether it
  // answers (and is synced) again, and moves back. All portal nodes then converge on the
  // first healthy host, so the cluster keeps one writer after a node rejoins.
  int failback_check_ms = 5000;
  std::string user = "portal";
  std::string password;
  std::string schema = "portal";
  int pool_size = 8;  // connections at most; opened lazily
  int connect_timeout_s = 3;
  int read_timeout_s = 30;
  int acquire_timeout_ms = 2000;  // how long acquire() waits for a free connection
  // How long a statement waits for a row lock before the server gives up (1205, retried by
  // withRetry for writes that run in one transaction). 0: the server's setting (50 s by
  // default, longer than read_timeout_s: a shorter one is kinder to a waiting request).
  int lock_wait_timeout_s = 0;

  // REQUIRES: pool_size >= 1; schema not empty; failback_check_ms >= 100;
  // 0 <= lock_wait_timeout_s <= 3600; every entry of hosts a unix socket path ("/...") or
  // "host:port" with a port up to 65535.
  // Returns "" when those hold, else one line per breach naming its configuration key (db.*).
  std::string validate() const;
};

}  // namespace db
