// The relaxed pass's "at least k units" rule, where two neighbours of a chain (办公, 公室: one
// word of the query) count as one, is spelled out as a boolean tree (relaxedMinimumQuery) for
// counting, facets and leaving the pass's documents out of the later passes. A tree that says
// otherwise than the rule loses items (on no page) or lists them twice. These compare it, by
// brute force, with the rule itself.
#include <xapian.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "search/detail/xapian_query.h"
#include "search/query_pipeline.h"
#include "search/searcher.h"
#include "tests/unit/search/title_index.h"

namespace search {
namespace {

std::string unitTerm(std::size_t i) { return "u" + std::to_string(i); }

// One in-memory document for each subset of `n` single-term units: document mask + 1 holds the
// units of mask's bits (and "x", so that the empty subset is a document too).
Xapian::Database subsets(std::size_t n) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    Xapian::Document d;
    d.add_term("x");
    for (std::size_t i = 0; i < n; ++i) {
      if (mask & (std::size_t{1} << i)) d.add_term(unitTerm(i));
    }
    db.add_document(d);
  }
  db.commit();
  return db;
}

// The documents of `q`, by the subset each stands for.
std::set<std::size_t> found(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::set<std::size_t> masks;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) masks.insert(*it - 1);
  return masks;
}

TEST(RelaxedMinimum, TheCountingTreeFindsExactlyTheDocumentsWithTwoUnitsThatAreNotNeighbours) {
  std::mt19937 random(20261208);
  std::vector<Xapian::Database> dbs;
  for (std::size_t n = 0; n <= 9; ++n) dbs.push_back(subsets(n));
  int plans = 0;
  for (int round = 0; round < 400; ++round) {
    const std::size_t n = 1 + random() % 9;
    QueryPlan plan;
    for (std::size_t i = 0; i < n; ++i) plan.relaxed_units.push_back({unitTerm(i)});
    plan.relaxed_min_match = round % 10 == 0 ? 1 : 2;
    // Chains over a random order of the units, some of them cut by a bigram that is no unit
    // (as when withRarestUnits keeps only a long text's rarest units); some units in none.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    std::vector<std::vector<bool>> neighbours(n, std::vector<bool>(n, false));
    std::size_t at = 0;
    while (at < order.size()) {
      const std::size_t length = 1 + random() % 5;
      std::vector<std::string> chain;
      std::optional<std::size_t> previous;
      for (std::size_t j = 0; j < length && at < order.size(); ++j) {
        if (random() % 6 == 0) {
          chain.push_back("gone" + std::to_string(round) + "_" + std::to_string(j));
          previous.reset();
          continue;
        }
        const std::size_t u = order[at++];
        chain.push_back(unitTerm(u));
        if (previous) neighbours[*previous][u] = neighbours[u][*previous] = true;
        previous = u;
      }
      if (chain.size() >= 2 && random() % 4 != 0) {
        plan.relaxed_chains.push_back(chain);
      } else {
        // Not a chain after all: its units are nobody's neighbours.
        for (const auto& t : chain) {
          for (std::size_t u = 0; u < n; ++u) {
            if (t != unitTerm(u)) continue;
            for (std::size_t v = 0; v < n; ++v) neighbours[u][v] = neighbours[v][u] = false;
          }
        }
      }
    }
    std::set<std::size_t> expected;
    for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
      std::vector<std::size_t> held;
      for (std::size_t i = 0; i < n; ++i) {
        if (mask & (std::size_t{1} << i)) held.push_back(i);
      }
      bool passes = held.size() >= plan.relaxed_min_match;
      if (passes && plan.relaxed_min_match == 2) {
        passes = false;
        for (std::size_t a = 0; a < held.size(); ++a) {
          for (std::size_t b = a + 1; b < held.size(); ++b) passes = passes || !neighbours[held[a]][held[b]];
        }
      }
      if (passes) expected.insert(mask);
    }
    const Xapian::Query tree = detail::relaxedMinimumQuery(plan);
    const Xapian::Query q = tree.empty() ? detail::relaxedMatchQuery(plan) : tree;
    ASSERT_EQ(found(dbs[n], q), expected) << "round " << round << ": " << q.get_description();
    ++plans;
  }
  EXPECT_EQ(plans, 400);
}

// The same through the searcher, where the relaxed pass ranks with its decider (AtLeastUnits)
// and counts with the tree: random queries over a few characters, with particles (的, 了),
// spelling variants (沙/砂, 帐/账), repeated bigrams (哈哈哈), traditional characters (辦, 煙),
// a Latin word and formal alternatives, one of them a bigram of a chain (公室), one a single
// character. Paging through every hit lists each item holding a unit once, the total says
// how many, and the items of the exact, strict and relaxed passes come before the others, by
// relevance and by date.
TEST(RelaxedMinimum, TheRankedAndTheCountedRelaxedHitsAreTheSame) {
  const std::u32string alphabet = U"办公室内吸烟的了沙砂挖河哈一帐账";
  std::mt19937 random(8122026);
  const auto fragment = [&](std::size_t length) {
    std::u32string s;
    for (std::size_t i = 0; i < length; ++i) s += alphabet[random() % alphabet.size()];
    return s;
  };
  const auto utf8 = [](const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
      if (c < 0x80) {
        out += static_cast<char>(c);
      } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    return out;
  };
  test::TitleIndex titles;
  std::vector<std::pair<std::string, std::string>> items;
  for (int i = 0; i < 240; ++i) {
    std::u32string title = fragment(2 + random() % 3);
    for (std::size_t more = random() % 3; more > 0; --more) title += U"，" + fragment(2 + random() % 3);
    if (random() % 10 == 0) title += U" ab";
    items.emplace_back("item:" + std::to_string(i), utf8(title));
  }
  titles.add(items);
  const auto table = std::make_shared<SynonymTable>(SynonymTable::fromTsv(
      "挖沙\t河砂|采砂\tt\n"
      "吸烟\t烟|公室\tt\n"
      "办公\t办公 室内\tt\n"));
  SearcherOptions options;
  options.fill_below = 100000;  // every item holding a unit is listed
  Searcher searcher(titles.dir(), table, options);
  const Xapian::Database db(titles.dir());
  const auto docs = [&](const Xapian::Query& q) {
    std::set<std::string> ids;
    if (q.empty()) return ids;
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.insert(items[*it - 1].first);
    return ids;
  };
  const std::u32string typed = alphabet + U"辦煙";
  for (int round = 0; round < 66; ++round) {
    // The last six are long texts of more than kMaxRelaxedUnits units, searched by their rarest
    // twelve (withRarestUnits), which cuts the chains: there the plan below is not the one
    // searched, and only the listing and the total are checked.
    const bool long_text = round >= 60;
    std::u32string q;
    for (std::size_t i = long_text ? 60 + random() % 20 : 2 + random() % 8; i > 0; --i) q += typed[random() % typed.size()];
    if (random() % 5 == 0) q.insert(1 + random() % (q.size() - 1), U" ");
    if (random() % 8 == 0) q += U"ab";
    SearchRequest r;
    r.q = utf8(q);
    r.page_size = 100;
    if (round % 2 == 1) r.sort = SearchRequest::Sort::Date;
    const QueryPlan plan = buildQuery(r.q, *table);
    // Which units each item holds, unit by unit (a term in any of its spellings).
    std::map<std::string, std::vector<std::size_t>> held;
    for (std::size_t u = 0; u < plan.relaxed_units.size(); ++u) {
      std::vector<Xapian::Query> terms;
      for (const auto& t : plan.relaxed_units[u]) {
        const std::vector<std::string> forms = spellingVariants(t);
        terms.emplace_back(Xapian::Query::OP_OR, forms.begin(), forms.end());
      }
      for (const auto& id : docs(Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()))) held[id].push_back(u);
    }
    std::vector<std::vector<bool>> neighbours(plan.relaxed_units.size(),
                                              std::vector<bool>(plan.relaxed_units.size(), false));
    for (const auto& chain : chainedUnits(plan)) {
      for (std::size_t i = 0; i + 1 < chain.size(); ++i) neighbours[chain[i]][chain[i + 1]] = neighbours[chain[i + 1]][chain[i]] = true;
    }
    std::set<std::string> first = docs(detail::exactMatchQuery(plan));
    for (const auto& id : docs(detail::strictMatchQuery(plan))) first.insert(id);
    for (const auto& [id, units] : held) {
      bool passes = units.size() >= plan.relaxed_min_match;
      if (passes && plan.relaxed_min_match == 2) {
        passes = false;
        for (std::size_t a = 0; a < units.size(); ++a) {
          for (std::size_t b = a + 1; b < units.size(); ++b) passes = passes || !neighbours[units[a]][units[b]];
        }
      }
      if (passes) first.insert(id);
    }
    std::vector<std::string> listed;
    SearchResult result;
    for (r.page = 1; r.page <= 10; ++r.page) {
      result = searcher.search(r);
      if (result.hits.empty()) break;
      for (const auto& h : result.hits) listed.push_back(h.id);
    }
    const std::string context = "query " + r.q + " (round " + std::to_string(round) + ")";
    std::map<std::string, int> times;
    for (const auto& id : listed) ++times[id];
    for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id << " listed " << n << " times, " << context;
    if (result.total_is_exact) {
      EXPECT_EQ(result.estimated_total, listed.size()) << context;
    }
    if (long_text) {
      EXPECT_GT(plan.relaxed_units.size(), 40u) << context;
      continue;
    }
    for (const auto& [id, units] : held) EXPECT_EQ(times.count(id), 1u) << id << " on no page, " << context;
    std::size_t leading = 0;
    while (leading < listed.size() && first.count(listed[leading]) > 0) ++leading;
    EXPECT_EQ(leading, first.size()) << "the first " << first.size() << " should be the exact, strict and relaxed hits, "
                                     << context;
  }
}

}  // namespace
}  // namespace search
