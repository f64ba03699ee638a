#include "search/detail/xapian_query.h"

#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "search/detail/schema.h"
#include "search/query_pipeline.h"

namespace search::detail {

namespace {

using Query = Xapian::Query;

// Phrase matches add this many times their BM25 weight on top of the match.
constexpr double kPhraseBoost = 2.0;
// In the concept pass, a formal wording of the act adds this many times its weight: a hit that
// names the act the citizen described leads one that merely shares a word with the sentence.
constexpr double kConceptBoost = 2.0;
// ... and this many times its weight again where the wording stands in the title. An item's
// title is the act; its legal basis and duties quote other acts. Among a few hundred items the
// wording anywhere was enough, but among a district's lists (CitizenRelevanceAtScale: 2,728
// items) hundreds of items quote 违法建设 or 排放污染物 in their bases, and the item named for
// the act fell off the page (违法搭建 found no 违法建设 item in its first 50). Tune halves at
// scale: recall@10 0.800 -> 0.833, MRR@10 0.596 -> 0.663 (2: 0.825 and 0.653). Among the few
// hundred items recall@10 is the same on every tune half and MRR@10 0.005 lower on average (2:
// 0.003); 6 and 12 (tried on a copy of the corpus) cost 0.02 and more there, licences named for
// the act leading the items of punishment and inspection (电梯 queries from second to fifth).
constexpr double kTitleWordingBoost = 3.0;

Query combine(Query::op op, const std::vector<Query>& parts) {
  if (parts.empty()) return Query();
  if (parts.size() == 1) return parts.front();
  return Query(op, parts.begin(), parts.end());
}

// A term or, when it has spelling variants, any of them; with `prefix` (kTitlePrefix: in the
// title), the prefixed terms.
Query term(const std::string& t, const std::string& prefix = "") {
  const std::vector<std::string> forms = spellingVariants(t);
  if (forms.size() == 1) return Query(prefix + t);
  std::vector<Query> parts;
  for (const auto& f : forms) parts.emplace_back(prefix + f);
  return combine(Query::OP_OR, parts);
}

Query allTerms(const std::vector<std::string>& terms, const std::string& prefix = "") {
  std::vector<Query> parts;
  for (const auto& t : terms) parts.push_back(term(t, prefix));
  return combine(Query::OP_AND, parts);
}

Query phrase(const std::vector<std::string>& unigrams) {
  std::vector<Query> parts;
  for (const auto& t : unigrams) parts.emplace_back(t);
  if (parts.size() == 1) return parts.front();
  return Query(Query::OP_PHRASE, parts.begin(), parts.end(), static_cast<Xapian::termcount>(parts.size()));
}

// At least `k` (>= 1) of units[from, to); the caller ensures to - from >= k.
Query atLeast(const std::vector<Query>& units, std::size_t from, std::size_t to, std::size_t k) {
  const std::size_t n = to - from;
  if (k == 1) {
    return combine(Query::OP_OR, std::vector<Query>(units.begin() + from, units.begin() + to));
  }
  if (n == k) {
    return combine(Query::OP_AND, std::vector<Query>(units.begin() + from, units.begin() + to));
  }
  const std::size_t mid = from + n / 2;
  const std::size_t left = mid - from;
  const std::size_t right = to - mid;
  std::vector<Query> parts;
  if (left >= k) parts.push_back(atLeast(units, from, mid, k));
  if (right >= k) parts.push_back(atLeast(units, mid, to, k));
  for (std::size_t j = 1; j < k; ++j) {
    if (left >= j && right >= k - j) {
      parts.emplace_back(Query::OP_AND, atLeast(units, from, mid, j), atLeast(units, mid, to, k - j));
    }
  }
  return combine(Query::OP_OR, parts);
}

// Two of chain[from, to) at least two places apart (neither the same unit nor neighbours):
// in one half, or one in each with a place between them. O(n log n) leaves, as atLeast().
Query apart(const std::vector<Query>& chain, std::size_t from, std::size_t to) {
  const std::size_t n = to - from;
  if (n < 3) return Query();
  const std::size_t mid = from + n / 2;
  std::vector<Query> parts;
  if (mid - from >= 3) parts.push_back(apart(chain, from, mid));
  if (to - mid >= 3) parts.push_back(apart(chain, mid, to));
  const auto any = [&](std::size_t a, std::size_t b) {
    return combine(Query::OP_OR, std::vector<Query>(chain.begin() + a, chain.begin() + b));
  };
  if (mid - from >= 2) parts.emplace_back(Query::OP_AND, any(from, mid - 1), any(mid, to));
  if (to - mid >= 2) parts.emplace_back(Query::OP_AND, chain[mid - 1], any(mid + 1, to));
  return combine(Query::OP_OR, parts);
}

Query andMaybe(const Query& match, const Query& boost) {
  if (match.empty() || boost.empty()) return match;
  return Query(Query::OP_AND_MAYBE, match, boost);
}

}  // namespace

Query exactMatchQuery(const QueryPlan& plan) {
  std::vector<Query> parts;
  for (const auto& key : plan.exact_keys) parts.emplace_back(std::string(kExactPrefix) + key);
  return combine(Query::OP_OR, parts);
}

Query strictMatchQuery(const QueryPlan& plan) {
  std::vector<Query> pieces;
  for (const QueryPiece& piece : plan.pieces) {
    std::vector<Query> alternatives;
    Query own = allTerms(indexTermsOf(piece.text));
    if (!own.empty()) alternatives.push_back(own);
    for (const auto& formal : piece.expansions) {
      Query alt = allTerms(indexTermsOf(formal));
      if (!alt.empty()) alternatives.push_back(alt);
    }
    if (!alternatives.empty()) pieces.push_back(combine(Query::OP_OR, alternatives));
  }
  return combine(Query::OP_AND, pieces);
}

Query relaxedMatchQuery(const QueryPlan& plan) {
  std::vector<Query> units;
  for (const auto& unit : plan.relaxed_units) units.push_back(allTerms(unit));
  return combine(Query::OP_OR, units);
}

Query relaxedMinimumQuery(const QueryPlan& plan) {
  std::vector<Query> units;
  for (const auto& unit : plan.relaxed_units) {
    Query q = allTerms(unit);
    if (!q.empty()) units.push_back(std::move(q));
  }
  const std::size_t k = plan.relaxed_min_match;
  if (k <= 1 || units.empty()) return Query();
  // Cannot happen for a plan from buildQuery(). Query::MatchNothing is the empty query, which
  // a filter ignores, so say "nothing" in a way that survives being a filter.
  const Query nothing(Query::OP_AND_NOT, Query::MatchAll, Query::MatchAll);
  if (units.size() < k) return nothing;
  // (The positions of chainedUnits() are those of `units`: no relaxed unit is empty.)
  const std::vector<std::vector<std::size_t>> chains = chainedUnits(plan);
  if (k != 2 || chains.empty() || units.size() != plan.relaxed_units.size()) {
    return atLeast(units, 0, units.size(), k);
  }
  // Two units that are not neighbours in a chain: two of the groups (a chain, or a unit in
  // none), or two of one chain at least two places apart.
  std::vector<Query> groups, parts;
  std::vector<bool> chained(units.size(), false);
  for (const auto& chain : chains) {
    std::vector<Query> members;
    for (std::size_t i : chain) {
      members.push_back(units[i]);
      chained[i] = true;
    }
    groups.push_back(combine(Query::OP_OR, members));
    if (members.size() >= 3) parts.push_back(apart(members, 0, members.size()));
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!chained[i]) groups.push_back(units[i]);
  }
  if (groups.size() >= 2) parts.push_back(atLeast(groups, 0, groups.size(), 2));
  return parts.empty() ? nothing : combine(Query::OP_OR, parts);
}

// With PhraseCheck::BigramsFirst, a phrase of three or more characters is tested on positions
// only in documents that hold all of its bigrams. The single characters of a phrase occur in
// most documents, its bigrams in few, and reading positions was most of a search's time
// (bench/search.sh under perf: 0.06 x raw Xapian before, the relaxed pass's phrase checks
// alone about two thirds of it). The weight is the phrase's either way; a document loses the
// boost only where the phrase's characters stand across a punctuation mark or a space
// (their bigram is not indexed there), which is no phrase to a reader either.
Query checkedPhrase(const std::vector<std::string>& unigrams, PhraseCheck check) {
  Query p = phrase(unigrams);
  if (check == PhraseCheck::Plain || unigrams.size() < 3) return p;
  std::vector<Query> bigrams;
  for (std::size_t i = 0; i + 1 < unigrams.size(); ++i)
    bigrams.emplace_back(unigrams[i] + unigrams[i + 1]);
  return Query(Query::OP_FILTER, p, combine(Query::OP_AND, bigrams));
}

Query phraseBoostQuery(const QueryPlan& plan, PhraseCheck check) {
  std::vector<Query> phrases;
  for (const auto& p : plan.phrases) phrases.push_back(checkedPhrase(p, check));
  Query any = combine(Query::OP_OR, phrases);
  return any.empty() ? any : Query(kPhraseBoost, any);
}

Query titlePhraseQuery(const QueryPlan& plan) {
  std::vector<Query> phrases;
  for (const auto& p : plan.phrases) {
    std::vector<Query> grams;
    for (const auto& g : phraseTitleGrams(p)) grams.emplace_back(kTitleGramPrefix + g);
    if (!grams.empty()) phrases.push_back(combine(Query::OP_AND, grams));
  }
  return combine(Query::OP_OR, phrases);
}

Query highlightQuery(const QueryPlan& plan) {
  std::vector<Query> parts;
  for (const auto& h : plan.highlights) parts.push_back(phrase(h));
  return combine(Query::OP_OR, parts);
}

namespace {

// The formal wordings of the acts every recognised situation (or concept) points to. Synonym
// keys are left out on purpose: many are generic (无证 -> 未取得 许可 names half the licence
// items), and in this pass they would outrank every hit that shares two words with the query.
// With `prefix` kTitlePrefix, the same wordings in a title.
std::vector<Query> wordingsOf(const std::vector<Expansion>& acts, const std::string& prefix = "") {
  std::vector<Query> parts;
  for (const Expansion& situation : acts) {
    for (const auto& formal : situation.formal) {
      Query alt = allTerms(indexTermsOf(formal), prefix);
      if (!alt.empty()) parts.push_back(std::move(alt));
    }
  }
  return parts;
}

std::vector<Query> conceptWordings(const QueryPlan& plan) { return wordingsOf(plan.situations); }

}  // namespace

Query conceptMatchQuery(const QueryPlan& plan) { return combine(Query::OP_OR, conceptWordings(plan)); }

Query inferredMatchQuery(const QueryPlan& plan) { return combine(Query::OP_OR, wordingsOf(plan.inferred)); }

Query guessedMatchQuery(const QueryPlan& plan) { return combine(Query::OP_OR, wordingsOf(plan.guessed)); }

Query fillMatchQuery(const QueryPlan& plan) {
  if (plan.relaxed_min_match <= 1) return Query();
  return relaxedMatchQuery(plan);
}

Query nearbyMatchQuery(const QueryPlan& plan) {
  std::vector<Query> pairs;
  for (const auto& [a, b] : plan.char_pairs) {
    const Query both[] = {term(a), term(b)};
    pairs.emplace_back(Query::OP_NEAR, std::begin(both), std::end(both), kCharWindow);
  }
  return combine(Query::OP_OR, pairs);
}

Query partialMatchQuery(const QueryPlan& plan) {
  std::vector<Query> parts;
  for (const auto& c : plan.characters) parts.push_back(term(c));
  return combine(Query::OP_OR, parts);
}

Query exactQuery(const QueryPlan& plan) {
  return andMaybe(exactMatchQuery(plan), relaxedMatchQuery(plan));
}

Query strictQuery(const QueryPlan& plan, PhraseCheck check) {
  return andMaybe(strictMatchQuery(plan), phraseBoostQuery(plan, check));
}

Query relaxedQuery(const QueryPlan& plan, PhraseCheck check) {
  return andMaybe(relaxedMatchQuery(plan), phraseBoostQuery(plan, check));
}

}  // namespace search::detail

namespace search::detail {

// Ranked by the query's own units as well, so the item closest to the citizen's words leads.
namespace {

// The documents naming one of the `acts`' wordings, ranked by them (more in the title) and by
// the query's own units, so the item closest to the citizen's words leads.
Query namedActQuery(const QueryPlan& plan, const std::vector<Expansion>& acts, PhraseCheck check) {
  const std::vector<Query> wordings = wordingsOf(acts);
  if (wordings.empty()) return Query();
  const Query match = combine(Query::OP_OR, wordings);
  const Query named(kConceptBoost, match);
  std::vector<Query> rank{named, relaxedMatchQuery(plan)};
  if (Query in_title = combine(Query::OP_OR, wordingsOf(acts, kTitlePrefix)); !in_title.empty())
    rank.emplace_back(kTitleWordingBoost, in_title);
  if (Query phrases = phraseBoostQuery(plan, check); !phrases.empty()) rank.push_back(phrases);
  return andMaybe(match, combine(Query::OP_OR, rank));
}

}  // namespace

Query conceptQuery(const QueryPlan& plan, PhraseCheck check) {
  return namedActQuery(plan, plan.situations, check);
}

Query inferredQuery(const QueryPlan& plan, PhraseCheck check) {
  return namedActQuery(plan, plan.inferred, check);
}

Query guessedQuery(const QueryPlan& plan, PhraseCheck check) {
  return namedActQuery(plan, plan.guessed, check);
}

Query fillQuery(const QueryPlan& plan, PhraseCheck check) {
  return andMaybe(fillMatchQuery(plan), phraseBoostQuery(plan, check));
}

Query nearbyQuery(const QueryPlan& plan) { return nearbyMatchQuery(plan); }

Query partialQuery(const QueryPlan& plan) { return partialMatchQuery(plan); }

}  // namespace search::detail
