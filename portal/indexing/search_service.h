#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/background_loop.h"
#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/indexing/synonym_store.h"
#include "search/query_pipeline.h"
#include "search/searcher.h"

namespace portal::indexing {

// The options every searcher of the portal runs with (counting depth, the favoured types, the
// kinds left out of the passes that name an act); bench_search_profile uses them too.
search::SearcherOptions searcherOptions();

// Answers searches from the node's index. Thread safe: each calling thread gets its own
// Searcher (Xapian readers are per thread), reopened before every search. A search never
// touches MariaDB: queries that find nothing of their own words (no hit, or only nearby and
// partial matches) are counted in memory and written in batches by this service's background
// loop (base::BackgroundLoop) within about `zero_result_flush`, all lost if MariaDB is away
// (they are statistics). The synonym table is the shipped one plus the administrators' entries
// from MariaDB, read by the same loop and published by an atomic swap of a shared_ptr; every
// node notices a change within `synonym_refresh` (this node at once). Throws
// search::SearchError when the index cannot be read (NotFound while it has not been built yet).
class SearchService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows of synonym changes. Throws
  // search::SearchError (Kind::Config) when the traditional-to-simplified converter cannot be
  // loaded (OpenCC's dictionaries missing).
  SearchService(db::Pool& pool, std::string index_path, accounts::Clock clock,
                std::chrono::milliseconds synonym_refresh = std::chrono::seconds(2),
                std::chrono::milliseconds zero_result_flush = std::chrono::milliseconds(200));
  ~SearchService();
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  search::SearchResult search(const search::SearchRequest& request);
  // The normalised queries that found nothing, most frequent first, with their counts.
  std::vector<std::pair<std::string, std::uint64_t>> topZeroResults(int limit);
  // Bounds that log (housekeeping): anonymous searches add a row per distinct query, so
  // random strings sent over days would grow it without end. Keeps the kMaxZeroResultQueries
  // seen most often; returns how many were deleted.
  std::uint64_t pruneZeroResults();
  static constexpr std::uint64_t kMaxZeroResultQueries = 20000;

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
  std::shared_ptr<const Table> currentTable() const;
  void reloadTable();
  void countZeroResult(const std::string& normalized_query);
  void flushZeroResults();
  bool upkeep();  // one round of the background loop

  db::Pool& pool_;
  accounts::Clock clock_;
  const std::string index_path_;
  const std::chrono::milliseconds synonym_refresh_;
  const std::chrono::milliseconds zero_result_flush_;
  // Read by every search without a lock (std::atomic_load); replaced under reload_mu_, by the
  // background loop or by an administrator's change.
  std::shared_ptr<const Table> table_;
  std::mutex reload_mu_;
  std::chrono::steady_clock::time_point checked_;  // last reload; under reload_mu_

  std::mutex zero_mu_;
  std::map<std::string, std::uint64_t> zero_pending_;  // normalised query -> times
  base::BackgroundLoop loop_;  // last member: stopped first
};

}  // namespace portal::indexing
