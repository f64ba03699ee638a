#include "portal/indexing/reindex.h"

#include <filesystem>

#include "portal/indexing/change_log_store.h"
#include "portal/indexing/documents.h"
#include "portal/indexing/index_location.h"
#include "search/index_writer.h"

namespace portal::indexing {

ReindexResult reindex(db::Pool& pool, const std::string& index_path,
                      const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  ReindexResult result;
  auto conn = pool.acquire();
  // The position first: everything committed up to it is in the documents read below, and
  // anything later is replayed by the feeder (replaying a document is harmless).
  result.snapshot_seq = ChangeLogStore(*conn).lastSeq();
  const auto keys = ChangeLogStore(*conn).allDocumentKeys();
  const std::uint64_t total = keys.size();
  result.dir = newIndexDir(index_path);
  std::filesystem::create_directories(std::filesystem::path(result.dir).parent_path());
  std::size_t next = 0;
  std::uint64_t done = 0;
  result.documents = search::IndexWriter::rebuild(result.dir, result.snapshot_seq,
                                                  [&]() -> std::optional<search::Document> {
                                                    while (next < keys.size()) {
                                                      const auto& [kind, key] = keys[next++];
                                                      ++done;
                                                      if (progress && done % 1000 == 0)
                                                        progress(done, total);
                                                      if (auto doc = loadDocument(*conn, kind, key))
                                                        return doc;
                                                    }
                                                    return std::nullopt;
                                                  });
  if (progress) progress(total, total);
  swapIndex(index_path, result.dir);
  return result;
}

}  // namespace portal::indexing
