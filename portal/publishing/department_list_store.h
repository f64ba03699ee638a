#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

// SQL that reads a department's whole current list at once, for spreadsheet import and
// export (ItemStore reads one item at a time). Works on a connection the caller holds (and
// its transaction, if any). Throws db::DbError on infrastructure failure.
class DepartmentListStore {
 public:
  explicit DepartmentListStore(db::Connection& conn) : conn_(conn) {}

  // The public version of every item of the department, all statuses, with legal bases, in
  // list order (in force, delegated, cancelled; then type; then code) -- the same fields
  // ItemStore::find returns. Two reads: call it inside a transaction for one consistent
  // view. With `lock_for_update` it reads the latest committed rows and keeps the items'
  // rows locked until the caller's transaction ends, so no editor publishes in between.
  std::vector<ListItem> currentItems(std::int64_t department_id, bool lock_for_update);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
