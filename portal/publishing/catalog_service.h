#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "portal/publishing/amendment.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/version_store.h"

namespace portal::publishing {

struct DepartmentItems {
  Department department;
  Page<ItemSummary> items;
  std::vector<TypeCount> counts_by_type;  // of this department, all statuses, for the filter bar
};

struct ItemWithDepartment {
  ListItem item;
  Department department;
  // The legal office's flags showing on the public version (依据已修订，待更新): empty unless
  // a law it cites was amended or repealed and the department has not published a change since.
  std::vector<BasisFlag> basis_flags;
};

// An item's public history: its versions and the departments they link to.
struct ItemVersions {
  std::vector<VersionRecord> versions;  // newest first
  std::vector<Department> departments;  // every department, for the versions' links
};

// An item's history page: the current version, every version, and two versions to compare.
struct ItemHistory {
  ItemWithDepartment current;
  ItemVersions history;
  int from = 0;  // the older version compared (the one before `to` by default)
  int to = 0;    // the newer one (the current version by default)
  std::optional<ListItem> from_version;  // nullopt: the item has no such version
  std::optional<ListItem> to_version;
};

// Read side of the published lists: what citizens see. Thread safe (each call borrows its own
// connection). Throws db::DbError on infrastructure failure; absence is std::nullopt.
class CatalogService {
 public:
  explicit CatalogService(db::Pool& pool) : pool_(pool) {}

  std::vector<DepartmentOverview> departments();  // with item counts: for overview pages
  std::vector<Department> departmentList();       // without counts: for names and links
  std::optional<Department> department(const std::string& slug_or_id);
  std::optional<DepartmentItems> departmentItems(const std::string& slug_or_id,
                                                 const ItemFilter& filter);
  // An item by its department (slug or id) and code: codes are unique within a department,
  // not across the portal (two departments' published lists may share codes).
  std::optional<ItemWithDepartment> item(const std::string& department, const std::string& code);
  // Every department's item with `code`, in department order: what the old department-less
  // address (/items/{code}) resolves to. Empty when no department has it.
  std::vector<ItemWithDepartment> itemsWithCode(const std::string& code);
  // The notice (依据已修订，待更新 / 依据已废止，待更新) of every item (keyed as
  // itemDocKey(department id, code)) that carries a showing flag of the legal office; items
  // without one are absent. One query; search pages keep it a few seconds (search_pages.cpp).
  std::map<std::string, std::string> basisNotices();
  // The public change log: an item's versions (newest first; empty when no such item), one
  // version, and the newest changes of the portal (department_id 0) or of one department.
  std::vector<VersionRecord> history(const std::string& department, const std::string& code);
  std::optional<ListItem> version(const std::string& department, const std::string& code,
                                  int version);
  // The history page of the item `code` of `department` (slug or id) comparing versions
  // `from` and `to` (defaults: the current version and the one before it); nullopt when there
  // is no such item.
  std::optional<ItemHistory> itemHistory(const std::string& department, const std::string& code,
                                         std::optional<int> from, std::optional<int> to);
  // Every version of the item; nullopt when there is no such item.
  std::optional<ItemVersions> itemVersions(const std::string& department,
                                           const std::string& code);
  // Version `version` of the item with its department (no flags: they concern the current
  // version); nullopt when there is no such item or version.
  std::optional<ItemWithDepartment> itemVersion(const std::string& department,
                                                const std::string& code, int version);
  std::vector<VersionRecord> recentChanges(std::int64_t department_id, int limit);
  // The responsibility list: every in-force item's duties and accountability (no legal bases).
  std::vector<ListItem> responsibilities(std::int64_t department_id);

 private:
  std::optional<ItemWithDepartment> itemOn(db::Connection& conn, const std::string& department,
                                           const std::string& code);

  db::Pool& pool_;
};

}  // namespace portal::publishing
