#include "search/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "search/detail/schema.h"
#include "search/detail/stored_document.h"
#include "search/detail/xapian_error.h"
#include "search/detail/xapian_query.h"
#include "search/search_error.h"
#include "search/snippet.h"

namespace search {

using namespace detail;

namespace {

using Query = Xapian::Query;

constexpr char kHiStart[] = "<b>";
constexpr char kHiEnd[] = "</b>";
constexpr char kOmit[] = "…";
constexpr int kMaxAttempts = 5;

// The relaxed pass's minimum-should-match: a document passes when at least `required` of the
// units (each a set of terms that must all occur) occur in it. Xapian 1.4 has no such
// operator, so this reads the candidate's term list.
class MinUnitsDecider : public Xapian::MatchDecider {
 public:
  MinUnitsDecider(const std::vector<std::vector<std::string>>& units, std::size_t required)
      : required_(required) {
    for (const auto& unit : units) {
      for (const auto& t : unit) terms_.push_back(t);
    }
    std::sort(terms_.begin(), terms_.end());
    terms_.erase(std::unique(terms_.begin(), terms_.end()), terms_.end());
    for (const auto& unit : units) {
      std::vector<std::size_t> idx;
      for (const auto& t : unit) {
        idx.push_back(static_cast<std::size_t>(std::lower_bound(terms_.begin(), terms_.end(), t) - terms_.begin()));
      }
      units_.push_back(std::move(idx));
    }
  }

  bool operator()(const Xapian::Document& doc) const override {
    std::vector<char> present(terms_.size(), 0);
    Xapian::TermIterator it = doc.termlist_begin();
    const Xapian::TermIterator end = doc.termlist_end();
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      it.skip_to(terms_[i]);
      if (it == end) break;
      present[i] = (*it == terms_[i]);
    }
    std::size_t matched = 0;
    for (const auto& unit : units_) {
      if (std::all_of(unit.begin(), unit.end(), [&](std::size_t i) { return present[i] != 0; })) {
        if (++matched >= required_) return true;
      }
    }
    return false;
  }

 private:
  std::vector<std::string> terms_;  // sorted, unique
  std::vector<std::vector<std::size_t>> units_;
  std::size_t required_;
};

struct Pass {
  MatchTier tier;
  Query query;
  const Xapian::MatchDecider* decider = nullptr;
};

struct Filter {
  Query query;  // empty: no filter
  bool matches_nothing = false;
};

Filter filterQuery(const SearchRequest& request) {
  Filter filter;
  std::vector<Query> all;
  for (const auto& [name, values] : request.filters) {
    std::vector<Query> any;
    for (const auto& value : values) {
      if (!value.empty()) any.emplace_back(filterTerm(name, value));
    }
    if (any.empty()) continue;
    // No document carries a filter with an invalid name. (Query::MatchNothing cannot say
    // so: it is the empty query, which a filter treats as "no filter".)
    if (!isValidFilterName(name)) filter.matches_nothing = true;
    all.emplace_back(Query::OP_OR, any.begin(), any.end());
  }
  const bool from = isValidDate(request.date_from);
  const bool to = isValidDate(request.date_to);
  if (from && to) {
    all.emplace_back(Query::OP_VALUE_RANGE, kDateSlot, request.date_from, request.date_to);
  } else if (from) {
    all.emplace_back(Query::OP_VALUE_GE, kDateSlot, request.date_from);
  } else if (to) {
    all.emplace_back(Query::OP_VALUE_LE, kDateSlot, request.date_to);
  }
  if (all.size() == 1) {
    filter.query = all.front();
  } else if (!all.empty()) {
    filter.query = Query(Query::OP_AND, all.begin(), all.end());
  }
  return filter;
}

// The first `max_bytes` or so of `text`, cut at a character boundary, escaped.
std::string leadingExcerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return escapeHtml(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return escapeHtml(text.substr(0, cut)) + kOmit;
}

bool hasFilters(const SearchRequest& request) {
  for (const auto& [name, values] : request.filters) {
    for (const auto& v : values) {
      if (!v.empty()) return true;
    }
  }
  return isValidDate(request.date_from) || isValidDate(request.date_to);
}

}  // namespace

struct Searcher::Impl {
  std::string dir;
  std::shared_ptr<const SynonymTable> synonyms;
  SearcherOptions options;
  std::vector<std::pair<std::string, unsigned>> facet_slots;
  Xapian::Database db;
  dev_t dev = 0;
  ino_t ino = 0;

  void open() {
    struct stat st {};
    const bool have_stat = ::stat(dir.c_str(), &st) == 0;
    db = Xapian::Database(dir);
    dev = have_stat ? st.st_dev : 0;
    ino = have_stat ? st.st_ino : 0;
  }

  // A commit by the writer is picked up by reopen(); a different directory behind the same
  // path (a rebuilt index swapped in) needs opening anew.
  void refresh() {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && (st.st_dev != dev || st.st_ino != ino)) {
      open();
    } else {
      db.reopen();
    }
  }

  // `highlighter` is an MSet whose query is the plan's highlight query; snippets come from
  // it rather than from the pass's MSet because Xapian 1.4's snippet code highlights nothing
  // when the query holds two phrases with the same first term and different lengths (the
  // phrase boost 噪音扰民 next to the highlight 噪声), and it ignores bigram terms anyway.
  Hit makeHit(const Xapian::MSetIterator& it, MatchTier tier, const Xapian::MSet* highlighter,
              bool drop_lone) const {
    const StoredDocument stored = deserialize(it.get_document().get_data());
    Hit hit;
    hit.id = stored.id;
    hit.kind = stored.kind;
    hit.title = stored.title;
    hit.url = stored.url;
    hit.date = stored.date;
    hit.percent = it.get_percent();
    hit.weight = it.get_weight();
    hit.tier = tier;
    hit.title_html = escapeHtml(stored.title);
    if (highlighter == nullptr) {
      if (!stored.fields.empty()) hit.snippet_html = leadingExcerpt(stored.fields.front().second, options.snippet_bytes);
      return hit;
    }

    const unsigned flags = Xapian::MSet::SNIPPET_CJK_NGRAM | Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH;
    const std::string title = highlighter->snippet(stored.title, stored.title.size() * 2 + 64, Xapian::Stem(),
                                                   flags, kHiStart, kHiEnd, kOmit);
    if (!title.empty()) {
      std::string html = tidySnippet(title, kHiStart, kHiEnd, drop_lone);
      if (html.find("<mark>") != std::string::npos) {
        hit.title_html = std::move(html);
        hit.matched_field = "title";
      }
    }
    const unsigned body_flags = flags | Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE;
    for (const auto& [name, text] : stored.fields) {
      const std::string s = highlighter->snippet(text, options.snippet_bytes, Xapian::Stem(), body_flags, kHiStart,
                                                 kHiEnd, kOmit);
      if (s.empty()) continue;
      std::string html = tidySnippet(s, kHiStart, kHiEnd, drop_lone);
      if (html.find("<mark>") == std::string::npos) continue;
      hit.snippet_html = std::move(html);
      if (hit.matched_field.empty()) hit.matched_field = name;
      break;
    }
    if (hit.snippet_html.empty() && !stored.fields.empty()) {
      hit.snippet_html = leadingExcerpt(stored.fields.front().second, options.snippet_bytes);
    }
    return hit;
  }

  void run(const SearchRequest& request, const QueryPlan& plan, bool browse, SearchResult& result) {
    result.hits.clear();
    result.facets.clear();
    result.estimated_total = 0;
    result.total_is_exact = true;
    const Filter filter = filterQuery(request);
    if (filter.matches_nothing) return;
    std::vector<Pass> passes;
    std::unique_ptr<MinUnitsDecider> decider;
    if (browse) {
      passes.push_back({MatchTier::Browse, Query::MatchAll});
    } else {
      Query excluded;
      const auto addPass = [&](MatchTier tier, Query query, const Query& match,
                               const Xapian::MatchDecider* d) {
        if (match.empty()) return;
        if (!excluded.empty()) query = Query(Query::OP_AND_NOT, query, excluded);
        passes.push_back({tier, query, d});
        excluded = excluded.empty() ? match : Query(Query::OP_OR, excluded, match);
      };
      addPass(MatchTier::Exact, exactQuery(plan), exactMatchQuery(plan), nullptr);
      addPass(MatchTier::Strict, strictQuery(plan), strictMatchQuery(plan), nullptr);
      decider = std::make_unique<MinUnitsDecider>(plan.relaxed_units, plan.relaxed_min_match);
      addPass(MatchTier::Relaxed, relaxedQuery(plan), relaxedMatchQuery(plan), decider.get());
    }

    // Only its query matters to MSet::snippet; no documents need matching.
    std::optional<Xapian::Enquire> highlight_enquire;
    std::optional<Xapian::MSet> highlighter;
    const Query highlight = browse ? Query() : highlightQuery(plan);
    if (!highlight.empty()) {
      highlight_enquire.emplace(db);
      highlight_enquire->set_query(highlight);
      highlighter = highlight_enquire->get_mset(0, 0);
    }

    const bool beyond = result.page > options.max_page;
    Xapian::doccount offset = beyond ? 0 : static_cast<Xapian::doccount>(result.page - 1) * result.page_size;
    Xapian::doccount wanted = beyond ? 0 : static_cast<Xapian::doccount>(result.page_size);
    std::map<std::string, std::map<std::string, std::uint64_t>> counts;

    for (const Pass& pass : passes) {
      Xapian::Enquire enquire(db);
      enquire.set_query(filter.query.empty() ? pass.query : Query(Query::OP_FILTER, pass.query, filter.query));
      if (browse || request.sort == SearchRequest::Sort::Date) {
        enquire.set_sort_by_value_then_relevance(kDateSlot, true);
      }
      std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
      for (const auto& [name, slot] : facet_slots) {
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
        enquire.add_matchspy(spies.back().get());
      }
      const Xapian::MSet mset = enquire.get_mset(offset, wanted, options.check_at_least, nullptr, pass.decider);
      const Xapian::doccount matches = mset.get_matches_estimated();
      result.estimated_total += matches;
      if (mset.get_matches_lower_bound() != mset.get_matches_upper_bound()) result.total_is_exact = false;

      for (auto it = mset.begin(); it != mset.end(); ++it) {
        result.hits.push_back(
            makeHit(it, pass.tier, highlighter ? &*highlighter : nullptr, !plan.has_single_character));
      }
      wanted -= std::min<Xapian::doccount>(wanted, mset.size());
      offset = offset > matches ? offset - matches : 0;

      for (std::size_t i = 0; i < spies.size(); ++i) {
        auto& facet = counts[facet_slots[i].first];
        for (auto v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v) {
          facet[*v] += v.get_termfreq();
        }
      }
    }

    for (const auto& [name, slot] : facet_slots) {
      auto& out = result.facets[name];
      for (const auto& [value, n] : counts[name]) out.emplace_back(value, n);
      std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      if (out.size() > options.max_facet_values) out.resize(options.max_facet_values);
    }
  }
};

Searcher::Searcher(const std::string& dir, std::shared_ptr<const SynonymTable> synonyms,
                   SearcherOptions options)
    : impl_(new Impl) {
  impl_->dir = dir;
  impl_->synonyms = synonyms ? std::move(synonyms)
                             : std::shared_ptr<const SynonymTable>(&SynonymTable::shipped(), [](const SynonymTable*) {});
  impl_->options = std::move(options);
  for (const auto& name : impl_->options.facets) {
    const std::optional<unsigned> slot = facetSlot(name);
    if (!slot) throw std::invalid_argument("search: \"" + name + "\" is not a facet");
    impl_->facet_slots.emplace_back(name, *slot);
  }
  try {
    impl_->open();
  } catch (const Xapian::Error& e) {
    throwSearchError(e, "opening index " + dir);
  }
}

Searcher::~Searcher() = default;

SearchResult Searcher::search(const SearchRequest& request) {
  SearchResult result;
  result.page = std::max(1, request.page);
  result.page_size = std::clamp(request.page_size, 1, std::max(1, impl_->options.max_page_size));

  const QueryPlan plan = buildQuery(request.q, *impl_->synonyms);
  result.normalized_query = plan.normalized;
  result.expansions_used = plan.expansions;
  const bool browse = plan.problem == QueryProblem::Empty && hasFilters(request);
  if (plan.problem != QueryProblem::None && !browse) {
    result.problem = plan.problem;
    result.problem_message = problemMessage(plan.problem);
    return result;
  }

  // Once the writer is two commits past the revision being read, that revision is gone
  // (DatabaseModifiedError); reopening and running again is the documented cure. Only a
  // writer committing every millisecond or so can make every attempt fail.
  for (int attempt = 1;; ++attempt) {
    try {
      impl_->refresh();
      impl_->run(request, plan, browse, result);
      return result;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= kMaxAttempts) throwSearchError(e, "searching " + impl_->dir);
    } catch (const Xapian::Error& e) {
      throwSearchError(e, "searching " + impl_->dir);
    }
  }
}

}  // namespace search
