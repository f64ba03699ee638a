#include "portal/indexing/reindex.h"

#include <deque>
#include <filesystem>
#include <map>
#include <optional>

#include "db/transaction.h"
#include "portal/indexing/change_log_store.h"
#include "portal/indexing/documents.h"
#include "portal/indexing/index_location.h"
#include "portal/publishing/department_store.h"
#include "search/index_writer.h"

namespace portal::indexing {

namespace {

// Items read per batch: two queries each (versions, then their legal bases).
constexpr int kItemBatch = 2000;

// Every public document, departments first, then items in id order, read in batches
// instead of with a few queries per document, then the other kinds one by one.
class DocumentStream {
 public:
  DocumentStream(db::Connection& conn, std::vector<std::string> department_slugs,
                 std::vector<std::pair<changes::DocKind, std::string>> other_keys)
      : conn_(conn),
        department_slugs_(std::move(department_slugs)),
        other_keys_(std::move(other_keys)) {}

  // The next document, or nullopt at the end. `read` counts the records looked at, including
  // any that vanished meanwhile.
  std::optional<search::Document> next(std::uint64_t& read) {
    while (next_department_ < department_slugs_.size()) {
      ++read;
      if (auto doc = loadDocument(conn_, changes::DocKind::Department,
                                  department_slugs_[next_department_++]))
        return doc;
    }
    // Kinds other than departments and items are few: one load each.
    while (next_other_ < other_keys_.size()) {
      ++read;
      const auto& [kind, key] = other_keys_[next_other_++];
      if (auto doc = loadDocument(conn_, kind, key)) return doc;
    }
    while (true) {
      if (pending_.empty()) {
        if (!items_done_) fetchItems();
        if (pending_.empty()) return nextOther(read);
      }
      publishing::ListItem item = std::move(pending_.front());
      pending_.pop_front();
      ++read;
      if (const publishing::Department* dept = department(item.department_id)) {
        return itemDocument(item, *dept);
      }
    }
  }

 private:
  std::optional<search::Document> nextOther(std::uint64_t& read) {
    while (next_other_ < other_keys_.size()) {
      ++read;
      const auto& [kind, key] = other_keys_[next_other_++];
      if (auto doc = loadDocument(conn_, kind, key)) return doc;
    }
    return std::nullopt;
  }

  void fetchItems() {
    // One transaction per batch: both queries read the same snapshot.
    db::Transaction tx(conn_);
    std::vector<publishing::ListItem> batch =
        ChangeLogStore(conn_).currentItemsAfter(last_item_id_, kItemBatch);
    tx.commit();
    if (batch.size() < static_cast<std::size_t>(kItemBatch)) items_done_ = true;
    if (!batch.empty()) last_item_id_ = batch.back().id;
    for (auto& item : batch) pending_.push_back(std::move(item));
  }

  const publishing::Department* department(std::int64_t id) {
    auto it = departments_.find(id);
    if (it == departments_.end()) {
      it = departments_.emplace(id, publishing::DepartmentStore(conn_).findById(id)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  db::Connection& conn_;
  std::vector<std::string> department_slugs_;
  std::size_t next_department_ = 0;
  std::vector<std::pair<changes::DocKind, std::string>> other_keys_;  // decisions, officers, ...
  std::size_t next_other_ = 0;
  std::int64_t last_item_id_ = 0;
  bool items_done_ = false;
  std::deque<publishing::ListItem> pending_;
  std::map<std::int64_t, std::optional<publishing::Department>> departments_;
};

}  // namespace

ReindexResult reindex(db::Pool& pool, const std::string& index_path,
                      const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  ReindexResult result;
  auto conn = pool.acquire();
  // The position first: everything committed up to it is in the documents read below, and
  // anything later is replayed by the feeder (replaying a document is harmless).
  result.snapshot_seq = ChangeLogStore(*conn).lastSeq();
  const auto keys = ChangeLogStore(*conn).allDocumentKeys();
  const std::uint64_t total = keys.size();
  std::vector<std::string> department_slugs;
  std::vector<std::pair<changes::DocKind, std::string>> other_keys;
  for (const auto& [kind, key] : keys) {
    if (kind == changes::DocKind::Department) {
      department_slugs.push_back(key);
    } else if (kind != changes::DocKind::Item) {
      other_keys.emplace_back(kind, key);
    }
  }
  result.dir = newIndexDir(index_path);
  std::filesystem::create_directories(std::filesystem::path(result.dir).parent_path());
  DocumentStream stream(*conn, std::move(department_slugs), std::move(other_keys));
  std::uint64_t done = 0;
  std::uint64_t reported = 0;
  result.documents = search::IndexWriter::rebuild(result.dir, result.snapshot_seq,
                                                  [&]() -> std::optional<search::Document> {
                                                    auto doc = stream.next(done);
                                                    if (progress && done / 1000 > reported / 1000) {
                                                      reported = done;
                                                      progress(done, std::max(done, total));
                                                    }
                                                    return doc;
                                                  });
  if (progress) progress(std::max(done, total), std::max(done, total));
  swapIndex(index_path, result.dir);
  return result;
}

}  // namespace portal::indexing
