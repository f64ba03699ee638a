#include "portal/indexing/index_feeder.h"

#include <chrono>

#include "db/error.h"
#include "portal/indexing/change_log_store.h"
#include "portal/indexing/documents.h"
#include "portal/indexing/index_location.h"
#include "search/index_writer.h"
#include "search/search_error.h"

namespace portal::indexing {

namespace {
base::BackgroundLoopOptions loopOptions(const FeederOptions& o) {
  base::BackgroundLoopOptions l;
  l.name = "index feeder";
  l.period = std::chrono::milliseconds(o.poll_interval_ms);
  l.max_backoff = std::chrono::seconds(2);
  l.run_at_start = false;  // start() has just applied what was pending
  return l;
}
}  // namespace

IndexFeeder::IndexFeeder(db::Pool& pool, std::string index_path, FeederOptions options)
    : pool_(pool),
      index_path_(std::move(index_path)),
      options_(options),
      loop_(loopOptions(options_), [this] {
        try {
          applyPending();
        } catch (const search::SearchError&) {
          writer_.reset();  // reopen next round
          throw;
        }
        return false;
      }) {}

IndexFeeder::~IndexFeeder() { stop(); }

void IndexFeeder::start() {
  ensureIndex(index_path_);
  applyPending();  // a fresh node indexes the whole log before it serves
  loop_.start();
}

void IndexFeeder::stop() { loop_.stop(); }

void IndexFeeder::wake() { loop_.wake(); }

void IndexFeeder::openWriterIfMoved() {
  const std::string dir = currentIndexDir(index_path_);
  if (writer_ && dir == writer_dir_) return;
  writer_.reset();  // release the write lock on the old directory first
  writer_ = std::make_unique<search::IndexWriter>(dir);
  writer_dir_ = dir;
  applied_seq_ = writer_->lastAppliedSeq();
}

std::uint64_t IndexFeeder::applyPending() {
  openWriterIfMoved();
  std::uint64_t applied = 0;
  for (;;) {
    auto conn = pool_.acquire();
    const ChangeBatch read =
        ChangeLogStore(*conn).after(writer_->lastAppliedSeq(), options_.batch_size);
    if (read.rows == 0) break;
    std::vector<search::Change> batch;
    batch.reserve(read.changes.size());
    for (const auto& c : read.changes) {
      std::optional<search::Document> doc;
      if (!c.remove) doc = loadDocument(*conn, c.doc_kind, c.doc_key);
      batch.push_back(doc ? search::Change::upsert(c.seq, std::move(*doc))
                          : search::Change::remove(c.seq, documentId(c.doc_kind, c.doc_key)));
    }
    // Through the last row read, so a skipped row of an unknown kind is not read again.
    writer_->apply(batch, read.last_seq);
    applied_seq_ = writer_->lastAppliedSeq();
    applied += batch.size();
    if (static_cast<int>(read.rows) < options_.batch_size) break;
  }
  return applied;
}

std::uint64_t IndexFeeder::catchUp() { return applyPending(); }

}  // namespace portal::indexing
