#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/background_loop.h"
#include "db/pool.h"

namespace search {
class IndexWriter;
}

namespace portal::indexing {

struct FeederOptions {
  int poll_interval_ms = 250;  // how often the log is read when nobody calls wake()
  int batch_size = 500;        // changes per Xapian commit at most
};

// The node's one index writer: a thread that applies the search change log from MariaDB to
// the local Xapian index in seq order, each batch in one commit that also records the seq.
// After a crash it resumes from the seq stored in the index. Follows a swapped index
// directory (portal reindex). Runs on a base::BackgroundLoop (a failed round is logged, backed
// off and tried again). start()/stop() from one thread; wake() and the getters are thread safe.
class IndexFeeder {
 public:
  IndexFeeder(db::Pool& pool, std::string index_path, FeederOptions options = {});
  ~IndexFeeder();

  // Creates the index if needed and applies the pending log before returning; throws
  // db::DbError or search::SearchError when that fails.
  void start();
  void stop();
  void wake();
  // Applies everything pending on the calling thread (start-up, tools); returns the number of
  // changes applied. Throws db::DbError or search::SearchError.
  std::uint64_t catchUp();

  std::uint64_t appliedSeq() const { return applied_seq_.load(); }
  // What the last round failed with; empty when it succeeded.
  std::string lastError() const { return loop_.lastError(); }

 private:
  std::uint64_t applyPending();
  void openWriterIfMoved();

  db::Pool& pool_;
  const std::string index_path_;
  const FeederOptions options_;
  std::unique_ptr<search::IndexWriter> writer_;
  std::string writer_dir_;
  std::atomic<std::uint64_t> applied_seq_{0};
  base::BackgroundLoop loop_;  // last member: stopped before the others go
};

}  // namespace portal::indexing
