#pragma once

#include <cstdint>
#include <string>

#include "db/connection.h"
#include "portal/changes/doc_kind.h"

namespace portal::changes {

// Appends to the search change log (search_changes), the outbox the index feeder drains. Every
// domain write that changes a public document records it here, on the caller's connection and
// inside the caller's transaction, so the change and its announcement commit together.
// Not thread safe (one per connection, like the connection). Throws db::DbError.
class ChangeLogWriter {
 public:
  explicit ChangeLogWriter(db::Connection& conn) : conn_(conn) {}

  // Appends "upsert" (or "remove") of the document (kind, key) and returns its sequence
  // number; takes the log-head row lock until the caller commits.
  std::uint64_t record(DocKind kind, const std::string& key, bool remove);

 private:
  db::Connection& conn_;
};

}  // namespace portal::changes
