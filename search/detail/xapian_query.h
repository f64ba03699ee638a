#pragma once

// Builds the Xapian queries of a QueryPlan. Internal to the search module: only .cpp files
// that include <xapian.h> can use the results, so Xapian::Query is only declared here.

namespace Xapian {
class Query;
}

namespace search {
struct QueryPlan;
}

namespace search::detail {

// Each returns an empty Xapian::Query() when the pass has nothing to match.
Xapian::Query exactMatchQuery(const QueryPlan& plan);    // boolean: exact terms
Xapian::Query strictMatchQuery(const QueryPlan& plan);   // AND over pieces
Xapian::Query relaxedMatchQuery(const QueryPlan& plan);  // OR over relaxed units
// Boolean: at least plan.relaxed_min_match of the relaxed units occur (each unit: all of its
// terms). Empty when relaxedMatchQuery() already says as much (a minimum of one unit). With a
// minimum of two, two neighbours of one of plan.relaxed_chains (办公, 公室: one word of the
// query) are not enough on their own.
// Xapian 1.4 has no minimum-should-match operator, so this spells it out from ANDs and ORs,
// splitting the units in halves: at least k of A+B = at least k of A, or of B, or j of A and
// k-j of B. That takes O(n log n) term leaves for k = 2, and lets the matcher work from
// posting lists instead of reading every candidate's term list.
Xapian::Query relaxedMinimumQuery(const QueryPlan& plan);
// How phrases are asked: as written (describe() shows this), or, for the searcher, each phrase
// of three or more characters checked on positions only in documents holding all of its
// bigrams (same weights; much cheaper where the characters are common).
enum class PhraseCheck { Plain, BigramsFirst };
// Phrases, weighted.
Xapian::Query phraseBoostQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
// Documents whose title holds one of the plan's phrases, found by title grams (no positions
// read, no weight); empty when the plan has no phrase.
Xapian::Query titlePhraseQuery(const QueryPlan& plan);
// What MSet::snippet highlights: bigrams as two-character phrases (the snippet code
// highlights unigrams and phrases, not bigram terms), and words.
Xapian::Query highlightQuery(const QueryPlan& plan);

// Boolean: one formal wording of a recognised situation.
Xapian::Query conceptMatchQuery(const QueryPlan& plan);
// Boolean: one formal wording of the act the situation model recognised (plan.inferred).
Xapian::Query inferredMatchQuery(const QueryPlan& plan);
Xapian::Query guessedMatchQuery(const QueryPlan& plan);
// Boolean: any relaxed unit; empty when the relaxed pass already needs only one.
Xapian::Query fillMatchQuery(const QueryPlan& plan);
// Boolean and ranking: any character pair within kCharWindow positions.
Xapian::Query nearbyMatchQuery(const QueryPlan& plan);
// Boolean and ranking: any character or word of the query.
Xapian::Query partialMatchQuery(const QueryPlan& plan);

// Full ranking queries of the passes, as described by describe().
Xapian::Query exactQuery(const QueryPlan& plan);
Xapian::Query strictQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query relaxedQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query conceptQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query inferredQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query guessedQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query fillQuery(const QueryPlan& plan, PhraseCheck check = PhraseCheck::Plain);
Xapian::Query nearbyQuery(const QueryPlan& plan);
Xapian::Query partialQuery(const QueryPlan& plan);

}  // namespace search::detail
