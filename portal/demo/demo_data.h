#pragma once

#include "db/pool.h"
#include "portal/publishing/demo_data.h"

namespace portal::demo {

// The demo data set's first part, over the domains: the departments and items of
// db/seed/demo.json (publishing::loadDemoLists, one transaction, only into a database without
// departments), then, only when those were just loaded, the officers of db/seed/officers.json
// in a second transaction. Throws std::runtime_error when the demo data itself is invalid (a
// build mistake), db::DbError on database failure.
publishing::DemoLoadResult loadDemoData(db::Pool& pool);

}  // namespace portal::demo
