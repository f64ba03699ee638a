#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

// SQL for list items and their versions. Works on a connection the caller holds (and its
// transaction, if any). Throws db::DbError on infrastructure failure (isDuplicateKey() when
// the department already has an item with that code).
class ItemStore {
 public:
  explicit ItemStore(db::Connection& conn) : conn_(conn) {}

  Page<ItemSummary> listByDepartment(std::int64_t department_id, const ItemFilter& filter);
  // Items of every status per type, in itemTypes() order, types without items left out.
  std::vector<TypeCount> countsByType(std::int64_t department_id);
  // The public (current) version with its legal bases. Codes are unique within a department.
  std::optional<ListItem> findByCode(std::int64_t department_id, const std::string& code);
  // The departments (ids, in department order) that have an item with `code`.
  std::vector<std::int64_t> departmentsWithCode(const std::string& code);
  // The public versions of a department's items with `status`, in list order, without their
  // legal bases (one query; for the responsibility list).
  std::vector<ListItem> currentWithoutBases(std::int64_t department_id, ItemStatus status);
  // Inserts a new item with its first version, published now. Returns the item id.
  std::int64_t insertPublished(const ListItem& item);
  // Locks the item's row until the transaction ends and returns its public version number.
  int lockCurrentVersion(std::int64_t item_id);
  // Appends `version` (never overwriting an earlier one) and makes it the public one.
  void publishVersion(std::int64_t item_id, int version, const ListItem& item);

 private:
  void insertVersion(std::int64_t item_id, int version, const ListItem& item);

  db::Connection& conn_;
};

}  // namespace portal::publishing
