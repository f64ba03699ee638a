#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/indexing/synonym_store.h"
#include "search/query_pipeline.h"
#include "search/searcher.h"

namespace portal::indexing {

// Answers searches from the node's index. Thread safe: each calling thread gets its own
// Searcher (Xapian readers are per thread), reopened before every search. Queries that find
// nothing of their own words (no hit, or only nearby and partial matches) are counted in
// MariaDB for administrators, by a thread of this service, off the request path: within about
// `zero_result_flush` of the search, all lost if MariaDB is away (they are statistics). The
// synonym table is the shipped one plus the administrators' entries from MariaDB; every node
// notices a change within `synonym_refresh` (this node at once); searches never wait for that
// check, one of them makes it while the others go on with the table they have. Throws
// search::SearchError when the index cannot be read (NotFound while it has not been built yet).
class SearchService {
 public:
  SearchService(db::Pool& pool, std::string index_path,
                std::chrono::milliseconds synonym_refresh = std::chrono::seconds(2),
                std::chrono::milliseconds zero_result_flush = std::chrono::milliseconds(200));
  ~SearchService();
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  search::SearchResult search(const search::SearchRequest& request);
  // The normalised queries that found nothing, most frequent first, with their counts.
  std::vector<std::pair<std::string, std::uint64_t>> topZeroResults(int limit);

  // The administrators' synonyms.
  std::vector<SynonymEntry> synonyms();
  // Adds or replaces `plain` -> formal wordings ('|'- or line-separated), with `audit`
  // appended in the same transaction. Returns Chinese messages when the entry is unusable
  // (nothing written).
  std::vector<std::string> saveSynonym(const std::string& plain, const std::string& formal,
                                       const accounts::AuditEntry& audit);
  bool removeSynonym(const std::string& plain, const accounts::AuditEntry& audit);

 private:
  struct Table {
    std::uint64_t version = 0;
    std::shared_ptr<const search::SynonymTable> synonyms;
  };
  std::shared_ptr<const Table> currentTable();
  void reloadTable();
  void countZeroResult(const std::string& normalized_query);
  void flushZeroResults();

  db::Pool& pool_;
  const std::string index_path_;
  const std::chrono::milliseconds synonym_refresh_;
  const std::chrono::milliseconds zero_result_flush_;
  // Read by every search without a lock (std::atomic_load); replaced under reload_mu_.
  std::shared_ptr<const Table> table_;
  std::atomic<std::int64_t> checked_ns_{0};  // steady clock; 0 = reload on the next search
  std::mutex reload_mu_;                    // held by the one search that reloads

  std::mutex zero_mu_;
  std::condition_variable zero_cv_;
  std::map<std::string, std::uint64_t> zero_pending_;  // normalised query -> times
  bool stopping_ = false;
  std::thread zero_writer_;
};

}  // namespace portal::indexing
