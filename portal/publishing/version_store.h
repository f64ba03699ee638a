#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

// One line of an item's public history or of the recent-changes page.
struct VersionRecord {
  std::string code;
  std::string name;  // as of this version
  std::int64_t department_id = 0;
  int version = 0;
  ItemStatus status = ItemStatus::InForce;
  ChangeKind change_kind = ChangeKind::Create;
  std::string change_reason;
  std::string legal_trigger;
  std::string published_at;  // "YYYY-MM-DD HH:MM:SS", Beijing time
};

// SQL for published versions (the public change log). Works on the caller's connection.
// Throws db::DbError.
class VersionStore {
 public:
  explicit VersionStore(db::Connection& conn) : conn_(conn) {}

  // Newest first.
  std::vector<VersionRecord> history(std::int64_t department_id, const std::string& code);
  // One version with its legal bases; nullopt when the item or version does not exist.
  std::optional<ListItem> version(std::int64_t department_id, const std::string& code, int version);
  // The newest published versions of all items (department_id 0) or of one department.
  std::vector<VersionRecord> recent(std::int64_t department_id, int limit);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
