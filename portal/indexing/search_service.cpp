#include "portal/indexing/search_service.h"

#include <cstdio>
#include <map>
#include <memory>

#include "db/error.h"
#include "portal/indexing/change_log_store.h"

namespace portal::indexing {

search::SearchResult SearchService::search(const search::SearchRequest& request) {
  // One reader per thread and index path (tests run several portals in one process).
  thread_local std::map<std::string, std::unique_ptr<search::Searcher>> searchers;
  auto& searcher = searchers[index_path_];
  if (!searcher) searcher = std::make_unique<search::Searcher>(index_path_, nullptr);
  search::SearchResult result = searcher->search(request);
  if (result.hits.empty() && result.page == 1 && result.problem == search::QueryProblem::None &&
      !result.normalized_query.empty()) {
    try {
      auto conn = pool_.acquire();
      ChangeLogStore(*conn).countZeroResult(result.normalized_query);
    } catch (const db::DbError& e) {
      std::fprintf(stderr, "zero-result log failed: %s\n", e.what());
    }
  }
  return result;
}

std::vector<std::pair<std::string, std::uint64_t>> SearchService::topZeroResults(int limit) {
  auto conn = pool_.acquire();
  return ChangeLogStore(*conn).topZeroResults(limit);
}

}  // namespace portal::indexing
