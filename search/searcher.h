#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "search/query_pipeline.h"

namespace search {

struct SearchRequest {
  enum class Sort { Relevance, Date };

  std::string q;  // as typed; empty with filters set = browse the filtered documents
  // Filter name -> accepted values: OR within one name, AND across names.
  std::map<std::string, std::vector<std::string>> filters;
  // Filter name -> values whose documents are left out, whatever else they match. "Everything
  // but the cancelled" is cheaper asked this way than as the values in force: the matcher then
  // reads the few cancelled documents' postings, not those of nearly every document.
  std::map<std::string, std::vector<std::string>> excluded;
  std::string date_from;  // YYYY-MM-DD inclusive, empty = open
  std::string date_to;    // YYYY-MM-DD inclusive, empty = open
  Sort sort = Sort::Relevance;  // Date = newest first within each pass
  int page = 1;                 // 1-based; values below 1 mean 1
  int page_size = 20;           // clamped to [1, SearcherOptions::max_page_size]
  // False when the query names a service of the site rather than a situation (怎么投诉,
  // 执法证怎么查: portal/web/search_shortcuts.h): the situation model then names no act, so no
  // guessed act (可能相关) heads a page whose own words find little.
  bool infer_acts = true;
};

// Which pass found a hit; every hit of a pass ranks above every hit of a later pass (see
// QueryPlan). Related hits are of the act the situation model ranks first for a description
// when it is not sure enough to name it (QueryPlan::guessed); they, Nearby and Partial hits are
// weaker matches the page labels as such.
enum class MatchTier { Exact, Strict, Relaxed, Related, Nearby, Partial, Browse };

// Whether a hit of `tier` matches less than the citizen's own words (Related, Nearby, Partial):
// the page labels it, and it does not count as found for the few-results offer or the
// zero-result log.
constexpr bool weakerMatch(MatchTier tier) {
  return tier == MatchTier::Related || tier == MatchTier::Nearby || tier == MatchTier::Partial;
}

struct Hit {
  std::string id;
  std::string kind;
  std::string title;
  std::string url;
  std::string date;
  std::string department;     // the first "department" filter value of the document, or empty
  std::string title_html;     // escaped title with <mark> around matches
  std::string snippet_html;   // escaped excerpt of the best matching field, with <mark>
  std::string matched_field;  // "title" or a Field::name; empty when only filters matched
  int percent = 0;            // relevance within the hit's pass, 0..100
  double weight = 0;
  MatchTier tier = MatchTier::Strict;
};

struct SearchResult {
  std::vector<Hit> hits;
  std::uint64_t estimated_total = 0;  // over all passes
  bool total_is_exact = true;
  // Facet name -> (value, count), most frequent first, over every hit of every pass.
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> facets;
  std::string normalized_query;
  // What was typed, in simplified characters, when it held traditional ones: the text that was
  // searched (饭店油烟扰民 for 飯店油煙擾民). Empty when nothing was converted.
  std::string simplified_query;
  std::vector<Expansion> expansions_used;
  QueryProblem problem = QueryProblem::None;  // when set, hits and facets are empty
  std::string problem_message;                // Chinese, for the page
  int page = 1;                               // after clamping
  int page_size = 20;
};

struct SearcherOptions {
  // Facets counted for every search; each must be one of kind, department, type, status,
  // level, year.
  std::vector<std::string> facets = {"department", "type", "status", "kind", "year"};
  int max_page_size = 100;
  // The fill, nearby and partial passes run only while the passes before them found fewer
  // documents than this (a page at the portal's default size).
  std::uint32_t fill_below = 20;
  int max_page = 500;  // deeper pages return no hits
  // Documents examined per pass for counts and facets; beyond this they are estimates.
  std::uint32_t check_at_least = 20000;
  std::size_t snippet_bytes = 240;  // roughly 80 Chinese characters
  std::size_t max_facet_values = 50;
  // In the passes that match only some of the query's words (relaxed, related, nearby), a
  // document with one of `favoured_values` of the filter `favoured_filter` gets `favour_weight`
  // added to its weight, about what one more shared bigram adds (five times that in the concept
  // and sure passes, which weigh the act's wording, more in a title). The exact, strict and
  // partial passes rank by the words alone. Empty filter or weight 0: no favour.
  std::string favoured_filter;
  std::vector<std::string> favoured_values;
  double favour_weight = 0;
  // Documents with one of `act_excluded_values` of the filter `act_excluded_filter` never come
  // in by the passes that name an act (concept, sure): a text that sums up a whole remit names
  // every act of its department. The later passes find them by the query's own words as
  // before. Empty: no document is left out.
  std::string act_excluded_filter;
  std::vector<std::string> act_excluded_values;
};

// Answers queries from one index directory. Not thread safe: one Searcher per worker thread.
// Every search first reopens the database, so it sees the writer's latest commit, and follows
// the directory path anew if it now names a different directory (a rebuilt index swapped in
// through a symlink). The synonym table is shared read-only between searchers; nullptr means
// SynonymTable::shipped().
class Searcher {
 public:
  // Throws SearchError (Kind::NotFound when there is no index at `dir`) and
  // std::invalid_argument for an unknown facet name.
  Searcher(const std::string& dir, std::shared_ptr<const SynonymTable> synonyms,
           SearcherOptions options = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Bad input (empty, too long, only punctuation) is reported in SearchResult::problem, never
  // thrown. Throws SearchError when the index cannot be read.
  SearchResult search(const SearchRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace search
