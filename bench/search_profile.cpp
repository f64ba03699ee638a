// Where a search's time goes, without HTTP around it: runs search::Searcher in this process over
// an index (the portal's, as bench/search.sh builds it) for every query of a file, one thread,
// the way the API asks (every status but cancelled, relevance, PAGE_SIZE hits), and prints the
// CPU time per search (p50, p99, max, the slowest queries). With DUMP, it also writes every
// result (total, facets, hits with their snippets) one query a line, so two builds can be
// compared with diff: a speed change must not change what a citizen sees. With COSTS, it
// writes "cpu_ms<TAB>total<TAB>query" a line there, for bench/search_cost.sh to set beside
// raw Xapian's cost of the same query ("-" for no DUMP).
//
//   bench_search_profile INDEX_DIR QUERIES [PAGE_SIZE [DUMP [COSTS]]]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "portal/indexing/search_service.h"
#include "search/searcher.h"

namespace {

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string describeResult(const search::SearchResult& r) {
  std::string out = std::to_string(r.estimated_total) + (r.total_is_exact ? "" : "~");
  for (const auto& [name, values] : r.facets) {
    out += " " + name + ":";
    for (const auto& [v, n] : values) out += v + "=" + std::to_string(n) + ",";
  }
  for (const auto& h : r.hits) {
    out += " | " + h.id + " " + std::to_string(static_cast<int>(h.tier)) + " " + h.matched_field + " " +
           h.title_html + " " + h.snippet_html;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_search_profile INDEX_DIR QUERIES [PAGE_SIZE [DUMP [COSTS]]]\n");
    return 2;
  }
  std::vector<std::string> queries;
  {
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) queries.push_back(line);
    }
  }
  const int page_size = argc > 3 ? std::atoi(argv[3]) : 20;
  std::ofstream dump;
  if (argc > 4 && std::string(argv[4]) != "-") dump.open(argv[4]);
  std::FILE* costs_out = argc > 5 ? std::fopen(argv[5], "w") : nullptr;
  // As the portal searches (counting depth, favoured types), with the shipped synonyms.
  search::Searcher searcher(argv[1], nullptr, portal::indexing::searcherOptions());
  std::vector<std::pair<double, std::string>> costs;
  double total = 0;
  for (const auto& q : queries) {
    search::SearchRequest request;
    request.q = q;
    request.excluded["status"] = {"cancelled"};  // as the search page and API ask (search_pages.cpp)
    request.page_size = page_size;
    const double t0 = cpuMs();
    const search::SearchResult result = searcher.search(request);
    const double ms = cpuMs() - t0;
    total += ms;
    costs.emplace_back(ms, q);
    if (costs_out) std::fprintf(costs_out, "%.3f\t%llu\t%s\n", ms, static_cast<unsigned long long>(result.estimated_total), q.c_str());
    if (dump.is_open()) dump << q << "\t" << describeResult(result) << "\n";
  }
  if (costs_out) std::fclose(costs_out);
  if (costs.empty()) return 1;
  std::sort(costs.begin(), costs.end());
  std::printf("%zu searches, page size %d: %.1f ms CPU each on average, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              " (%.0f searches/s on one core)\n",
              costs.size(), page_size, total / static_cast<double>(costs.size()), costs[costs.size() / 2].first,
              costs[costs.size() * 99 / 100].first, costs.back().first,
              1000.0 * static_cast<double>(costs.size()) / total);
  for (std::size_t i = costs.size(); i-- > 0 && i + 5 >= costs.size();) {
    std::printf("  slow: %7.1f ms  %s\n", costs[i].first, costs[i].second.c_str());
  }
  return 0;
}
