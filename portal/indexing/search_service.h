#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "db/pool.h"
#include "search/searcher.h"

namespace portal::indexing {

// Answers searches from the node's index. Thread safe: each calling thread gets its own
// Searcher (Xapian readers are per thread), reopened before every search. Queries that find
// nothing are counted in MariaDB for administrators. Throws search::SearchError when the
// index cannot be read (NotFound while it has not been built yet).
class SearchService {
 public:
  SearchService(db::Pool& pool, std::string index_path)
      : pool_(pool), index_path_(std::move(index_path)) {}

  search::SearchResult search(const search::SearchRequest& request);
  // The normalised queries that found nothing, most frequent first, with their counts.
  std::vector<std::pair<std::string, std::uint64_t>> topZeroResults(int limit);

 private:
  db::Pool& pool_;
  const std::string index_path_;
};

}  // namespace portal::indexing
