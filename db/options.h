#pragma once

#include <string>

namespace db {

// Where and how to reach MariaDB. Loaded once by the caller (portal's configuration) and
// handed down; the db module never reads the environment itself.
struct Options {
  std::string host = "127.0.0.1";  // ignored when `socket` is set
  int port = 3306;
  std::string socket;  // unix socket path; preferred over TCP when non-empty
  std::string user = "portal";
  std::string password;
  std::string schema = "portal";
  int pool_size = 8;  // connections at most; opened lazily
  int connect_timeout_s = 3;
  int read_timeout_s = 30;
  int acquire_timeout_ms = 2000;  // how long acquire() waits for a free connection
};

}  // namespace db
