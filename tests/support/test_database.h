#pragma once

#include <string>

#include "db/options.h"

namespace test_support {

// A fresh database on the test MariaDB that scripts/test started (PORTAL_TEST_DB_* in the
// environment), migrated to the latest schema, dropped when this object is destroyed.
// Construct it on the main thread before starting servers: it initialises the driver.
class TestDatabase {
 public:
  explicit TestDatabase(bool migrate = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const db::Options& options() const { return options_; }
  const std::string& name() const { return options_.schema; }

 private:
  db::Options options_;
};

// Runs one statement as the administrative account (no parameters; test set-up only).
void adminExecute(const std::string& sql);

}  // namespace test_support
