#pragma once

#include <string>

#include "db/pool.h"

namespace portal::publishing {

struct DemoLoadResult {
  bool loaded = false;  // false: the database already had departments, nothing was touched
  int departments = 0;
  int items = 0;
  int officers = 0;  // set by portal::demo::loadDemoData (portal/demo/demo_data.h)
};

// Loads the demo departments and items compiled in from db/seed/demo.json, all in one
// transaction, only into a database without departments. The whole demo data set (with the
// officers) is portal::demo::loadDemoData. Throws std::runtime_error when the demo data itself
// is invalid (a build mistake), db::DbError on database failure.
DemoLoadResult loadDemoLists(db::Pool& pool);

// The same from JSON text (for tests and for other data sets of the same shape).
DemoLoadResult loadDemoJson(db::Pool& pool, const std::string& json_text);

}  // namespace portal::publishing
