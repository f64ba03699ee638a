#include "portal/indexing/index_feeder.h"

#include <cstdio>

#include "db/error.h"
#include "portal/indexing/change_log_store.h"
#include "portal/indexing/documents.h"
#include "portal/indexing/index_location.h"
#include "search/index_writer.h"
#include "search/search_error.h"

namespace portal::indexing {

IndexFeeder::IndexFeeder(db::Pool& pool, std::string index_path, FeederOptions options)
    : pool_(pool), index_path_(std::move(index_path)), options_(options) {}

IndexFeeder::~IndexFeeder() { stop(); }

void IndexFeeder::start() {
  ensureIndex(index_path_);
  applyPending();  // a fresh node indexes the whole log before it serves
  thread_ = std::thread([this] { run(); });
}

void IndexFeeder::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IndexFeeder::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::string IndexFeeder::lastError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

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
    const auto changes =
        ChangeLogStore(*conn).after(writer_->lastAppliedSeq(), options_.batch_size);
    if (changes.empty()) break;
    std::vector<search::Change> batch;
    batch.reserve(changes.size());
    for (const auto& c : changes) {
      std::optional<search::Document> doc;
      if (!c.remove) doc = loadDocument(*conn, c.doc_kind, c.doc_key);
      batch.push_back(doc ? search::Change::upsert(c.seq, std::move(*doc))
                          : search::Change::remove(c.seq, documentId(c.doc_kind, c.doc_key)));
    }
    writer_->apply(batch);
    applied_seq_ = writer_->lastAppliedSeq();
    applied += batch.size();
    if (static_cast<int>(changes.size()) < options_.batch_size) break;
  }
  return applied;
}

std::uint64_t IndexFeeder::catchUp() { return applyPending(); }

void IndexFeeder::run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                   [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    std::string error;
    try {
      applyPending();
    } catch (const db::DbError& e) {
      error = std::string("database: ") + e.what();
    } catch (const search::SearchError& e) {
      error = std::string("index: ") + e.what();
      writer_.reset();  // reopen next round
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (!error.empty() && error != last_error_) {
      std::fprintf(stderr, "index feeder: %s\n", error.c_str());
    }
    last_error_ = error;
  }
}

}  // namespace portal::indexing
