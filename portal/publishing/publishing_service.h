#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "db/connection.h"
#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

struct Published {
  std::string code;
  int version = 0;
};

// Problems a person can fix, in Chinese; nothing was written.
struct Refused {
  int status = 422;  // 404 unknown item, 409 stale or duplicate, 422 invalid
  std::vector<std::string> errors;
};

using PublishResult = std::variant<Published, Refused>;

// The two writes every published change goes through, shared by PublishingService and
// ImportService. Both run on the caller's connection inside the caller's transaction (the
// caller validates first and commits after): the version rows and the search change-log row
// land together or not at all. Both throw db::DbError.
//
// Both store the item with normaliseItem() applied.
// Inserts `item` as a new item with version 1, published now; returns its id.
// isDuplicateKey() on the error when the code is taken.
std::int64_t writeNewItem(db::Connection& conn, ListItem item);
// Appends `version` of the item `item_id` (whose row the caller has locked, see
// ItemStore::lockCurrentVersion) and makes it public. A 取消/下放 change kind sets the status.
void writeNextVersion(db::Connection& conn, std::int64_t item_id, int version, ListItem item);
// Why a 变更 (amend) whose fields are all those of the public version `current` is not
// published (422, 无变化), or nullopt when `item` changes something or is not an amend. A 取消
// or 下放 with unchanged fields still changes the status and is published.
std::optional<Refused> refuseUnchangedAmend(const ListItem& current, const ListItem& item);

// The write side of the lists: every change is a new version with its change kind and reason,
// written in one transaction together with its search change-log row, so the index follows
// every published change and nothing is half-applied. Thread safe.
class PublishingService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows.
  PublishingService(db::Pool& pool, accounts::Clock clock)
      : pool_(pool), clock_(std::move(clock)) {}

  // Publishes a new item (version 1, change kind 新增). `audit`, when given, is appended to
  // the audit log in the same transaction.
  PublishResult create(ListItem item, const accounts::AuditEntry* audit = nullptr);
  // Publishes a new version of an existing item. `expected_version` is the version the
  // editor started from: if someone published since, the change is refused as stale (409).
  // A 变更 that changes no field is refused (422, 无变化) and writes nothing.
  // The item is the department's item with `code` (codes are unique within a department).
  PublishResult publishChange(std::int64_t department_id, const std::string& code, ListItem item,
                              int expected_version, const accounts::AuditEntry* audit = nullptr);

 private:
  db::Pool& pool_;
  accounts::Clock clock_;
};

}  // namespace portal::publishing
