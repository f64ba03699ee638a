#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::indexing {

struct LoggedChange {
  std::uint64_t seq = 0;
  std::string doc_kind;  // changes::docKindName() of the document's kind
  std::string doc_key;   // item code | department slug | id | department slug/section code
  bool remove = false;
};

// SQL that reads the search change log (written by changes::ChangeLogWriter) and keeps the
// zero-result log. Works on the caller's connection. Throws db::DbError.
class ChangeLogStore {
 public:
  explicit ChangeLogStore(db::Connection& conn) : conn_(conn) {}

  std::vector<LoggedChange> after(std::uint64_t seq, int limit);
  std::uint64_t lastSeq();
  // Every public document that exists now, as (kind, key): departments, then items, then
  // the other kinds (decisions, officers, disclosure sections).
  std::vector<std::pair<std::string, std::string>> allDocumentKeys();
  // For the full reindex: the public (current) versions of the list items with id greater
  // than `after_id`, in id order, at most `limit`, each with its legal bases — two queries
  // for the whole batch. Page with the last item's id. Run both inside one transaction (the
  // caller's) so the bases belong to the versions read.
  std::vector<publishing::ListItem> currentItemsAfter(std::int64_t after_id, int limit);

  void countZeroResult(const std::string& query, std::uint64_t times = 1);
  std::vector<std::pair<std::string, std::uint64_t>> topZeroResults(int limit);

 private:
  db::Connection& conn_;
};

}  // namespace portal::indexing
