// The relaxed pass's "at least k units" rule, where two neighbours of a chain (办公, 公室: one
// word of the query) count as one, is spelled out as a boolean tree (relaxedMinimumQuery) for
// counting, facets and leaving the pass's documents out of the later passes. A tree that says
// otherwise than the rule loses items (on no page) or lists them twice. These compare it, by
// brute force, with the rule itself.
#include <xapian.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "search/detail/xapian_query.h"
#include "search/query_pipeline.h"

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

}  // namespace
}  // namespace search
