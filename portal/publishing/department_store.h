#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

// SQL for departments. Works on a connection the caller holds (and its transaction, if any).
// Throws db::DbError on infrastructure failure.
class DepartmentStore {
 public:
  explicit DepartmentStore(db::Connection& conn) : conn_(conn) {}

  std::vector<DepartmentOverview> listOverviews();  // with item counts (one GROUP BY)
  std::vector<Department> listAll();                // without counts: cheap
  std::optional<Department> findBySlug(const std::string& slug);
  std::optional<Department> findById(std::int64_t id);
  std::int64_t count();
  std::int64_t insert(const Department& d);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
