#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/amendment.h"

namespace portal::publishing {

// SQL for recorded law amendments and the flags they put on items (migration 0023). Works on
// the caller's connection (and its transaction, if any). Throws db::DbError.
class AmendmentStore {
 public:
  explicit AmendmentStore(db::Connection& conn) : conn_(conn) {}

  // Items whose public version cites the law with key `law_key` (lawKey()), in force or
  // delegated, every department; `flagged` says whether a flag is showing on each.
  std::vector<CitingItem> citingItems(const std::string& law_key);
  // Locks the item's row until the transaction ends (so no version is published meanwhile);
  // false when there is no such item.
  bool lockItem(std::int64_t item_id);
  std::int64_t insertAmendment(const std::string& title, const std::string& law_key,
                               AmendmentKind kind, const std::string& reason,
                               std::optional<std::int64_t> account_id);
  void insertFlag(std::int64_t amendment_id, const CitingItem& item);
  // Newest first, with counts.
  std::vector<LawAmendment> recent(int limit);
  std::optional<LawAmendment> find(std::int64_t id);
  std::vector<FlaggedItem> flaggedItems(std::int64_t amendment_id);
  // The flags showing on an item: those set on its current public version.
  std::vector<BasisFlag> activeFlags(std::int64_t item_id);
  // For each item that carries a showing flag, keyed as itemDocKey(department id, code): the
  // flag's kind (废止 over 修订 when it carries both). Items without a flag are absent. One query.
  std::map<std::string, AmendmentKind> activeFlagKinds();

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
