#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "db/pool.h"

namespace portal::indexing {

struct ReindexResult {
  std::uint64_t documents = 0;
  std::uint64_t snapshot_seq = 0;  // change-log position the new index reflects
  std::string dir;
};

// Rebuilds the index from MariaDB into a new directory and swaps it in atomically. Servers
// keep answering from the old index until the swap, then follow; changes logged during the
// rebuild are applied afterwards by the node's feeder (they are after snapshot_seq).
// `progress(done, total)` is called every 1000 documents and at the end.
// Throws db::DbError, search::SearchError.
ReindexResult reindex(db::Pool& pool, const std::string& index_path,
                      const std::function<void(std::uint64_t, std::uint64_t)>& progress);

}  // namespace portal::indexing
