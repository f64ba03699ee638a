#pragma once

#include <string>

#include "db/pool.h"

namespace portal::publishing {

struct DemoLoadResult {
  bool loaded = false;  // false: the database already had departments, nothing was touched
  int departments = 0;
  int items = 0;
  int officers = 0;  // from db/seed/officers.json, loaded after the departments
};

// Loads the demo departments and items compiled in from db/seed/demo.json, all in one
// transaction, only into a database without departments; then, in a second transaction, the
// demo officers from db/seed/officers.json. Throws std::runtime_error when the
// demo data itself is invalid (a build mistake), db::DbError on database failure.
DemoLoadResult loadDemoData(db::Pool& pool);

// The same from JSON text (for tests and for other data sets of the same shape).
DemoLoadResult loadDemoJson(db::Pool& pool, const std::string& json_text);

}  // namespace portal::publishing
