// The raw-Xapian baseline for bench/search.sh: what plain Xapian does with the same corpus and
// the same queries, with none of the portal around it.
//
//   bench_raw_xapian build CORPUS.tsv INDEX_DIR     one writer, TermGenerator FLAG_CJK_NGRAM
//   bench_raw_xapian queries CORPUS.tsv N           prints N distinct queries, one a line
//   bench_raw_xapian search INDEX_DIR QUERIES SECS  two threads: QueryParser FLAG_CJK_NGRAM,
//                                                   get_mset(0, 10), one snippet per hit
//   bench_raw_xapian cost INDEX_DIR QUERIES         the same search, one thread, each query
//                                                   once after a warm-up pass: prints
//                                                   "cpu_ms<TAB>matches<TAB>query" a line
//   search ... or, cost ... or                      the same with a second pass when the first
//                                                   finds fewer than 10: an OR of the query's
//                                                   character bigrams fills the page (the issue's
//                                                   "bigram-OR second pass", closer to the work
//                                                   the portal's relaxed passes do)
//
// CORPUS.tsv: code<TAB>title<TAB>body, one item a line (bench/search.sh dumps it from MariaDB).
// Xapian is used directly on purpose: this program is the yardstick, not part of the portal.
#include <time.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Row {
  std::string code, title, body;
};

std::vector<Row> readCorpus(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    const auto t1 = line.find('\t');
    const auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    rows.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
  }
  return rows;
}

std::vector<std::u32string> cjkRuns(const std::string& text) {
  std::vector<std::u32string> runs(1);
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned cp = *it;
    if (cp >= 0x4E00 && cp <= 0x9FFF) {
      runs.back().push_back(cp);
    } else if (!runs.back().empty()) {
      runs.emplace_back();
    }
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

std::string utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) Xapian::Unicode::append_utf8(out, c);
  return out;
}

int build(const std::string& corpus, const std::string& dir) {
  const auto rows = readCorpus(corpus);
  const auto t0 = std::chrono::steady_clock::now();
  Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (const Row& r : rows) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(r.title, 5);
    tg.increase_termpos(100);
    tg.index_text(r.body);
    doc.set_data(r.title + "\n" + r.body);
    doc.add_boolean_term("Q" + r.code);
    db.replace_document("Q" + r.code, doc);
  }
  db.commit();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("raw one-writer build of %zu items: %.1f s\n", rows.size(), secs);
  return 0;
}

// Distinct queries a citizen might type, drawn from the corpus's own words: a stretch of 2-6
// characters of a title or body, sometimes two stretches from different items, sometimes with
// a colloquial word in front. Fixed seed, so every run asks the same.
int queries(const std::string& corpus, std::size_t n) {
  const auto rows = readCorpus(corpus);
  if (rows.empty()) return 2;
  static const char* const kSpoken[] = {"我家楼下", "投诉", "举报", "怎么办", "哪里管", "附近",
                                        "晚上", "有人", "没有", "小区"};
  std::mt19937 rng(20261205);
  std::set<std::string> seen;
  std::vector<std::string> out;
  const auto stretch = [&]() -> std::string {
    const Row& r = rows[rng() % rows.size()];
    const auto runs = cjkRuns(rng() % 2 ? r.title : r.body);
    if (runs.empty()) return {};
    const auto& run = runs[rng() % runs.size()];
    if (run.size() < 2) return {};
    const std::size_t len = std::min<std::size_t>(run.size(), 2 + rng() % 5);
    const std::size_t from = rng() % (run.size() - len + 1);
    return utf8(run.substr(from, len));
  };
  for (std::size_t attempts = 0; out.size() < n && attempts < n * 50; ++attempts) {
    std::string q = stretch();
    if (q.empty()) continue;
    const unsigned shape = rng() % 4;
    if (shape == 1) q += stretch();
    if (shape == 2) q = std::string(kSpoken[rng() % (sizeof kSpoken / sizeof *kSpoken)]) + q;
    if (seen.insert(q).second) out.push_back(q);
  }
  for (const auto& q : out) std::printf("%s\n", q.c_str());
  return out.size() == n ? 0 : 1;
}

std::vector<std::string> readQueries(const std::string& query_file) {
  std::vector<std::string> qs;
  std::ifstream in(query_file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) qs.push_back(line);
  }
  return qs;
}

// An OR of the character bigrams of `q`'s CJK runs (a run of one character: that character),
// terms as TermGenerator's FLAG_CJK_NGRAM indexes them.
Xapian::Query bigramOr(const std::string& q) {
  std::vector<Xapian::Query> terms;
  for (const auto& run : cjkRuns(q)) {
    if (run.size() == 1) terms.emplace_back(utf8(run));
    for (std::size_t i = 0; i + 1 < run.size(); ++i) terms.emplace_back(utf8(run.substr(i, 2)));
  }
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// One snippet per hit of `mset`; returns the bytes made, so the work is not optimised away.
std::size_t snippets(const Xapian::MSet& mset) {
  std::size_t bytes = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    bytes += mset.snippet(it.get_document().get_data(), 240, Xapian::Stem(), Xapian::MSet::SNIPPET_CJK_NGRAM).size();
  }
  return bytes;
}

// The baseline's whole work for one query; returns Xapian's estimate of its matches (both
// passes' with `or_pass`).
Xapian::doccount searchOnce(const Xapian::Database& db, Xapian::QueryParser& qp, const std::string& q,
                            bool or_pass) {
  Xapian::Enquire enquire(db);
  const Xapian::Query strict = qp.parse_query(q, Xapian::QueryParser::FLAG_CJK_NGRAM);
  enquire.set_query(strict);
  Xapian::MSet mset = enquire.get_mset(0, 10);
  std::size_t bytes = snippets(mset);
  Xapian::doccount matches = mset.get_matches_estimated();
  if (or_pass && mset.size() < 10) {
    Xapian::Enquire second(db);
    second.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, bigramOr(q), strict));
    const Xapian::MSet more = second.get_mset(0, 10 - mset.size());
    bytes += snippets(more);
    matches += more.get_matches_estimated();
  }
  if (bytes == static_cast<std::size_t>(-1)) std::puts("");  // keep the work observable
  return matches;
}

Xapian::QueryParser parserFor(const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_default_op(Xapian::Query::OP_AND);
  return qp;
}

int cost(const std::string& dir, const std::string& query_file, bool or_pass) {
  const std::vector<std::string> qs = readQueries(query_file);
  if (qs.empty()) return 2;
  Xapian::Database db(dir);
  Xapian::QueryParser qp = parserFor(db);
  for (const auto& q : qs) searchOnce(db, qp, q, or_pass);  // warm the page cache, as the portal's side is
  for (const auto& q : qs) {
    timespec t0{}, t1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    const Xapian::doccount matches = searchOnce(db, qp, q, or_pass);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    const double ms = static_cast<double>(t1.tv_sec - t0.tv_sec) * 1e3 + static_cast<double>(t1.tv_nsec - t0.tv_nsec) / 1e6;
    std::printf("%.3f\t%u\t%s\n", ms, matches, q.c_str());
  }
  return 0;
}

int search(const std::string& dir, const std::string& query_file, double secs, bool or_pass) {
  const std::vector<std::string> qs = readQueries(query_file);
  if (qs.empty()) return 2;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      Xapian::Database db(dir);
      Xapian::QueryParser qp = parserFor(db);
      while (!stop) {
        const std::string& q = qs[next++ % qs.size()];
        const auto t0 = std::chrono::steady_clock::now();
        searchOnce(db, qp, q, or_pass);
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(secs));
  stop = true;
  for (auto& th : threads) th.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  if (all.empty()) return 1;
  std::printf("raw xapian%s: %.0f q/s p50 %.2fms p99 %.2fms (%zu distinct queries, 2 threads)\n",
              or_pass ? " with a bigram-OR second pass" : "", static_cast<double>(all.size()) / secs,
              all[all.size() / 2], all[all.size() * 99 / 100], qs.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "build" && argc == 4) return build(argv[2], argv[3]);
    if (cmd == "queries" && argc == 4) return queries(argv[2], std::strtoul(argv[3], nullptr, 10));
    const bool or_pass = std::string(argv[argc - 1]) == "or";
    const int args = argc - (or_pass ? 1 : 0);
    if (cmd == "search" && args == 5) return search(argv[2], argv[3], std::atof(argv[4]), or_pass);
    if (cmd == "cost" && args == 4) return cost(argv[2], argv[3], or_pass);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "%s\n", e.get_description().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "usage: bench_raw_xapian build CORPUS INDEX | queries CORPUS N | search INDEX "
               "QUERIES SECONDS [or] | cost INDEX QUERIES [or]\n");
  return 2;
}
