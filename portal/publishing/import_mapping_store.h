#pragma once

#include <cstdint>
#include <string>

#include "db/connection.h"
#include "portal/publishing/list_layout.h"

namespace portal::publishing {

// The mapping a department confirmed for its list files (table import_mappings), stored as
// JSON {"sheet": "...", "columns": {header: field key | "ignore"}, "types": {written: code}}.
// Works on the caller's connection and transaction; throws db::DbError.
class ImportMappingStore {
 public:
  explicit ImportMappingStore(db::Connection& conn) : conn_(conn) {}

  LayoutChoices load(std::int64_t department_id);  // empty choices when none is stored
  void save(std::int64_t department_id, const LayoutChoices& choices);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
