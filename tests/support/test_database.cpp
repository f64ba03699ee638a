#include "tests/support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "db/connection.h"
#include "db/migrator.h"

namespace test_support {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    throw std::runtime_error(std::string(name) +
                             " is not set: run the tests through scripts/test, which starts "
                             "the test MariaDB");
  }
  return v;
}

db::Options baseOptions() {
  db::Options o;
  o.socket = env("PORTAL_TEST_DB_SOCKET");
  o.user = env("PORTAL_TEST_DB_USER");
  o.password = env("PORTAL_TEST_DB_PASSWORD");
  o.schema = "";
  o.pool_size = 4;
  return o;
}
}  // namespace

void adminExecute(const std::string& sql) {
  db::initDriver();
  db::Connection conn(baseOptions());
  conn.executeRaw(sql);
}

TestDatabase::TestDatabase(bool migrate) {
  db::initDriver();
  static std::atomic<int> counter{0};
  std::random_device rd;
  options_ = baseOptions();
  const std::string name = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                           std::to_string(rd() % 100000);
  adminExecute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  options_.schema = name;
  if (migrate) {
    db::Connection conn(options_);
    db::migrate(conn);
  }
}

TestDatabase::~TestDatabase() {
  try {
    adminExecute("DROP DATABASE IF EXISTS `" + options_.schema + "`");
  } catch (const std::exception&) {
    // The server is gone; scripts/test removes the whole instance afterwards.
  }
}

}  // namespace test_support
