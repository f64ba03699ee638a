#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
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
// nothing are counted in MariaDB for administrators. The synonym table is the shipped one
// plus the administrators' entries from MariaDB; every node notices a change within
// `synonym_refresh` (this node at once). Throws search::SearchError when the index cannot be
// read (NotFound while it has not been built yet).
class SearchService {
 public:
  SearchService(db::Pool& pool, std::string index_path,
                std::chrono::milliseconds synonym_refresh = std::chrono::seconds(2))
      : pool_(pool), index_path_(std::move(index_path)), synonym_refresh_(synonym_refresh) {}

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
  Table currentTable();

  db::Pool& pool_;
  const std::string index_path_;
  const std::chrono::milliseconds synonym_refresh_;
  std::mutex mu_;
  Table table_;
  std::chrono::steady_clock::time_point checked_{};
};

}  // namespace portal::indexing
