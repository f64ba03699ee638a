#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "portal/changes/doc_kind.h"
#include "portal/publishing/catalog.h"

namespace portal::indexing {

struct LoggedChange {
  std::uint64_t seq = 0;
  changes::DocKind doc_kind = changes::DocKind::Item;
  std::string doc_key;  // item code | department slug | id | department slug/section code
  bool remove = false;
};

// One read of the change log: the rows of known kinds, and how far the read went (`last_seq`,
// the highest seq read, 0 when none; `rows`, how many rows were read, skipped ones included).
struct ChangeBatch {
  std::vector<LoggedChange> changes;
  std::uint64_t last_seq = 0;
  std::size_t rows = 0;
};

// SQL that reads the search change log (written by changes::ChangeLogWriter) and keeps the
// zero-result log. Works on the caller's connection. Throws db::DbError.
class ChangeLogStore {
 public:
  explicit ChangeLogStore(db::Connection& conn) : conn_(conn) {}

  // At most `limit` rows after `seq`, in order. A row whose doc_kind this binary does not know
  // (written by a newer node, or by hand) is logged on stderr and left out of `changes`; the
  // batch's last_seq still counts it, so the reader moves past it.
  ChangeBatch after(std::uint64_t seq, int limit);
  std::uint64_t lastSeq();
  // Every public document that exists now, as (kind, key): departments, then items, then
  // the other kinds (decisions, officers, disclosure sections).
  std::vector<std::pair<changes::DocKind, std::string>> allDocumentKeys();
  // For the full reindex: the public (current) versions of the list items with id greater
  // than `after_id`, in id order, at most `limit`, each with its legal bases — two queries
  // for the whole batch. Page with the last item's id. Run both inside one transaction (the
  // caller's) so the bases belong to the versions read.
  std::vector<publishing::ListItem> currentItemsAfter(std::int64_t after_id, int limit);

  void countZeroResult(const std::string& query, std::uint64_t times = 1);
  std::vector<std::pair<std::string, std::uint64_t>> topZeroResults(int limit);
  // Leaves the `keep` queries seen most often (then most recently) and deletes the rest;
  // returns how many were deleted.
  std::uint64_t keepTopZeroResults(std::uint64_t keep);

 private:
  db::Connection& conn_;
};

}  // namespace portal::indexing
