// What reading traditional characters as simplified costs a search: the one-off load of
// OpenCC's t2s converter, then the CPU time of search::toSimplified() per query for every line
// of a file (run it on simplified queries and on their traditional forms), and every line the
// conversion changes, so a set of simplified queries can be checked to come through untouched.
//
//   bench_simplified_script QUERIES [ROUNDS]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "search/simplified_script.h"

namespace {

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_simplified_script QUERIES [ROUNDS]\n");
    return 2;
  }
  std::vector<std::string> queries;
  {
    std::ifstream in(argv[1]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) queries.push_back(line);
    }
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  double t0 = cpuMs();
  search::loadSimplifiedScript();
  std::printf("converter load: %.1f ms CPU (once per process)\n", cpuMs() - t0);

  int changed = 0;
  for (const auto& q : queries) {
    if (const auto s = search::toSimplified(q)) {
      ++changed;
      std::printf("changed: %s -> %s\n", q.c_str(), s->c_str());
    }
  }
  volatile std::size_t sink = 0;  // keeps the calls from being optimised away
  t0 = cpuMs();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& q : queries) sink = sink + search::toSimplified(q).has_value();
  }
  const double per_query_us = (cpuMs() - t0) * 1e3 / (static_cast<double>(rounds) * queries.size());
  std::printf("%zu queries, %d changed by the conversion; %.1f us CPU per query (%d rounds)\n",
              queries.size(), changed, per_query_us, rounds);
  return 0;
}
