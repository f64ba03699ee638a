#include "search/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "base/escape.h"
#include "search/detail/facet_cache_probe.h"
#include "search/detail/read_pins.h"
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
constexpr Xapian::doccount kAlways = std::numeric_limits<Xapian::doccount>::max();

// Accepts a document holding at least `k` of `units` (each: every one of its terms, a term
// in any of its spelling variants), where two neighbours of a chain (办公 and 公室, see
// QueryPlan::relaxed_chains) count as one when k is 2: relaxedMinimumQuery()'s rule
// (RelaxedMinimum tests compare the two by brute force). The relaxed pass ranks with this
// instead of filtering by relaxedMinimumQuery(): the matcher asks only about documents whose
// weight would put them on the page, where the boolean "k of n" tree had every unit's posting
// list read log n times for every candidate (bench/search.sh: a 200-character query took 2.5 s
// of CPU, 0.4 s with this).
// Same documents, same order, same totals and facets (the counting pass still uses the tree).
// Presence is read from one posting iterator per term, moved forward to each document asked
// about: the matcher asks in increasing document order, so every posting list is read at most
// once a search (reading each candidate's term list instead cost two thirds of a relaxed
// search: bench_search_profile). Should a document come before the last one asked about, the
// iterators start again, which costs time, never a wrong answer.
class AtLeastUnits : public Xapian::MatchDecider {
 public:
  AtLeastUnits(const Xapian::Database& db, const QueryPlan& plan)
      : db_(db), k_(plan.relaxed_min_match) {
    const auto& units = plan.relaxed_units;
    neighbours_.assign(units.size(), std::vector<bool>(units.size(), false));
    for (const auto& chain : chainedUnits(plan)) {
      for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        neighbours_[chain[i]][chain[i + 1]] = true;
        neighbours_[chain[i + 1]][chain[i]] = true;
      }
    }
    std::vector<std::string> terms;
    for (const auto& unit : units) {
      for (const auto& t : unit) {
        const std::vector<std::string> forms = spellingVariants(t);
        terms.insert(terms.end(), forms.begin(), forms.end());
      }
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    // Each form by its posting list's place, looked up once here rather than for every
    // document asked about (a string search per term that was a tenth of the decider's time).
    const auto placeOf = [&](const std::string& form) {
      const auto at = std::lower_bound(terms.begin(), terms.end(), form);
      return static_cast<std::size_t>(at - terms.begin());
    };
    for (const auto& unit : units) {
      std::vector<std::vector<std::size_t>> places;
      for (const auto& t : unit) {
        std::vector<std::size_t> forms;
        for (const auto& form : spellingVariants(t)) forms.push_back(placeOf(form));
        places.push_back(std::move(forms));
      }
      units_.push_back(std::move(places));
    }
    for (auto& t : terms) postings_.push_back({std::move(t), {}, {}});
    restart();
  }

  bool operator()(const Xapian::Document& doc) const override {
    const Xapian::docid id = doc.get_docid();
    if (id < last_) restart();
    last_ = id;
    // Each list is moved only when a unit asks about it, so the answer is known as soon as k
    // units are found; a list left behind is moved further the next time it is asked.
    const auto has = [&](std::size_t place) {
      Posting& p = postings_[place];
      if (p.at != p.end && *p.at < id) p.at.skip_to(id);
      return p.at != p.end && *p.at == id;
    };
    std::size_t found = 0, first = 0;
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const auto& unit = units_[u];
      bool all = !unit.empty();
      for (const auto& forms : unit) {
        all = all && std::any_of(forms.begin(), forms.end(), has);
      }
      if (!all) continue;
      if (found++ == 0) first = u;
      // relaxedMinimumQuery()'s rule: two neighbours of a chain are one piece of evidence (and
      // of any three units, some two are not neighbours: chains are paths).
      if (found >= k_ && (k_ != 2 || found >= 3 || !neighbours_[first][u])) return true;
    }
    return false;
  }

 private:
  struct Posting {
    std::string term;
    Xapian::PostingIterator at, end;
  };

  void restart() const {
    for (auto& p : postings_) {
      p.at = db_.postlist_begin(p.term);
      p.end = db_.postlist_end(p.term);
    }
    last_ = 0;
  }

  Xapian::Database db_;
  std::size_t k_;
  // unit -> term -> the places of its forms in postings_
  std::vector<std::vector<std::vector<std::size_t>>> units_;
  std::vector<std::vector<bool>> neighbours_;  // unit x unit: side by side in a chain
  mutable std::vector<Posting> postings_;  // every form, sorted by term
  mutable Xapian::docid last_ = 0;
};

// One pass of a search. `match` is boolean (which documents the pass finds), `query` ranks
// them; neither excludes the documents of earlier passes yet (the search does, leaving out
// the passes that found none). With `at_least`, only the documents it accepts are ranked
// (`match` already says as much).
struct Pass {
  MatchTier tier;
  Query query;
  Query match;
  Xapian::doccount run_below;  // runs only while the passes before it found fewer documents
  std::shared_ptr<const AtLeastUnits> at_least = nullptr;
  // When `query` is its words AND_MAYBE a phrase boost: those words alone. With more than
  // kPhraseDepth matches the boost then applies to the best of them by these (see
  // bestByWords); empty, every match is checked for the phrases.
  Query words = Query();
  // When > 0: the pass is only the first `head` documents of its ranking (less the passes
  // before), fixed when the search reaches it; a later pass takes the rest.
  Xapian::doccount head = 0;
  // Shared by a head pass and the later pass that takes the rest of the same ranking: the
  // head ranks a page further and leaves the documents after its own here, so the later pass
  // orders only those instead of ranking every match again.
  std::shared_ptr<struct Carry> carry = nullptr;
  // Sorted by date: the pass whose documents the heads before it join (see `held` in run()).
  bool takes_held = false;
  // What the favour (SearcherOptions::favour_weight) is multiplied by in this pass: the concept
  // and sure passes rank by an act's wording weighed kConceptBoost times, so the favour is
  // scaled alike to keep its place among their weights.
  double favour_scale = 1;
};

// The documents a head pass ranked after its own, best first; `whole` when they are all the
// rest of its matches.
struct Carry {
  std::vector<Xapian::docid> ids;
  bool whole = false;
  bool filled = false;
};

// How many of the strict pass's best documents (by their words' weight) the phrase boost
// re-ranks when the pass finds more. Checking a phrase reads every one of its characters'
// positions in the document, and the boost is too large for the matcher to rule a document
// out without checking: with a common wording (处以罚款 in 100,000 items) it checked thousands
// of documents a search, two thirds of the portal's search time (bench_search_profile). A
// pass with fewer matches is ranked as before, every document checked.
// 50 since December 2026 (200 before): the best 50 by words and the best 50 whose title holds a
// phrase. Not one rank moved among the 735 queries of the tune halves, among the few hundred
// items or at scale (2,727 items), and a search of bench/search.sh's 2,000 generated queries
// took 7.4 ms of CPU instead of 8.5 (bench_search_profile, alternating runs; 100: 7.7, 20: 7.1).
// 85 of those 2,000 pages changed, nearly all of them boilerplate (的行政, 符合要求) whose
// generated items differ only in their numbers, in the order of such look-alikes.
constexpr Xapian::doccount kPhraseDepth = 50;

// How the act the situation model names, when not sure, joins a page the relaxed pass fills:
// after the relaxed pass's best kRelaxedHead, its own best kInferredHead (see run()). On the
// six tune halves (December 2026): recall@10 the same on five, fresh5-tune 58 -> 60 of 74;
// MRR@10 0.782 -> 0.801, 0.749 -> 0.756, 0.683 -> 0.673, 0.707 -> 0.718, 0.682 -> 0.706,
// 0.585 -> 0.627 (before situations8: higher on all six, 25 queries up, 13 down by one or two
// places). Heads of 1 to 3 and 1 to 5 gave the same recall and MRR within 0.01. Cost: 10% more
// instructions over 300 of bench/search.sh's generated queries (callgrind), 12% of the search
// API's throughput in bench/search.sh (193 -> 169 req/s): a third of those queries get an
// inferred act, and none of their pages changed.
constexpr Xapian::doccount kRelaxedHead = 3;
constexpr Xapian::doccount kInferredHead = 2;
// The act the model ranks first without naming it (plan.guessed) came only after every item on
// the citizen's own words, and among a district's lists those always fill the page: two of a
// description's bigrams are in hundreds of items (不按 and 按时 of 不按时发工资 in the duties of
// every inspection), so the guess never showed (CitizenRelevanceAtScale). Its best one now
// comes after the relaxed pass's best kRelaxedHead, as the inferred act's best two do: tune
// halves at scale recall@10 0.833 -> 0.844, MRR@10 0.663 -> 0.670; among the few hundred items
// fresh2-tune and fresh7-tune one more each, MRR@10 the same on average (0.799 -> 0.800). Two
// gave 0.850 at scale but lost fresh4-tune one query. Cost (bench_search_profile, bench/search.sh's
// 100,000 items and 2,000 generated queries, half of which get a guess, alternating runs):
// 6.6-7.3 ms CPU a search before, 7.4 with this head ranked by the act's wording alone, 7.8-8.7
// ranked as the guessed pass is (guessedQuery: the wording, the query's units and phrases), for
// the same recall and MRR@10 within 0.002 on every tune half.
constexpr Xapian::doccount kGuessedHead = 1;

// The concept and sure passes rank by the act's wording weighed kConceptBoost (2.0) times, and
// kTitleWordingBoost (3.0) times more in the title (xapian_query.cpp), on top of the query's own
// units, so the favour of SearcherOptions weighs this many times more there: with the plain
// favour a licence whose short title holds the act's words (特种设备使用登记, 公共场所卫生许可)
// led the items of punishment and inspection a citizen describing a broken lift or a dirty pool
// looks for. (5 since the title weight: the named-act weights grew from 2 to 5 times.)
constexpr double kNamedActFavourScale = 5.0;

// A fixed set of documents (those of an earlier MSet), weight 0: as a filter it restricts a
// query to them, so the matcher considers no other document.
class DocumentSet : public Xapian::PostingSource {
 public:
  explicit DocumentSet(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  }
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::docid get_docid() const override { return ids_[pos_]; }
  void next(double) override {
    if (started_) ++pos_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    pos_ = static_cast<std::size_t>(std::lower_bound(ids_.begin() + static_cast<std::ptrdiff_t>(pos_), ids_.end(), did) -
                                    ids_.begin());
  }
  bool at_end() const override { return started_ && pos_ >= ids_.size(); }
  Xapian::PostingSource* clone() const override { return new DocumentSet(ids_); }
  void init(const Xapian::Database&) override {
    pos_ = 0;
    started_ = false;
  }

 private:
  std::vector<Xapian::docid> ids_;
  std::size_t pos_ = 0;
  bool started_ = false;
};

}  // namespace

FacetCacheProbe& detail::facetCacheProbe() {
  static FacetCacheProbe probe;
  return probe;
}

namespace {

// The facet values of every document of one database revision, as small integer codes in
// memory, so counting a match is an array lookup instead of reading its value slots (which
// costs about as much as matching the document in the first place). Built from the value
// streams (about 15 ms per 100,000 documents) and shared read-only by the searchers of a
// process: see FacetCacheRegistry.
struct FacetCache {
  std::string uuid;  // of the database: a rebuilt index swapped in is a different one
  Xapian::rev revision = 0;
  std::vector<unsigned> slots;
  std::size_t stride = 0;              // == slots.size()
  std::vector<std::uint32_t> codes;    // [docid * stride + facet]; 0 = no value
  std::vector<std::vector<std::string>> values;  // per facet: code - 1 -> value
  std::vector<std::vector<Xapian::doccount>> documents;  // per facet: code -> documents with it

  static std::shared_ptr<const FacetCache> build(const Xapian::Database& db, const std::vector<unsigned>& slots,
                                                 const std::string& uuid, Xapian::rev revision) {
    FacetCacheProbe& probe = facetCacheProbe();
    ++probe.builds;
    if (probe.before_build) probe.before_build();
    auto cache = std::make_shared<FacetCache>();
    cache->uuid = uuid;
    cache->revision = revision;
    cache->slots = slots;
    cache->stride = slots.size();
    cache->codes.assign((static_cast<std::size_t>(db.get_lastdocid()) + 1) * cache->stride, 0);
    cache->values.resize(slots.size());
    cache->documents.resize(slots.size());
    for (std::size_t f = 0; f < slots.size(); ++f) {
      std::unordered_map<std::string, std::uint32_t> code_of;
      auto& values = cache->values[f];
      const Xapian::ValueIterator end = db.valuestream_end(slots[f]);
      for (Xapian::ValueIterator it = db.valuestream_begin(slots[f]); it != end; ++it) {
        const std::size_t row = static_cast<std::size_t>(it.get_docid()) * cache->stride;
        if (row + f >= cache->codes.size()) continue;  // cannot happen: docids <= lastdocid
        auto [pos, added] = code_of.emplace(*it, static_cast<std::uint32_t>(values.size() + 1));
        if (added) values.push_back(pos->first);
        cache->codes[row + f] = pos->second;
        auto& documents = cache->documents[f];
        if (documents.size() <= pos->second) documents.resize(pos->second + 1, 0);
        ++documents[pos->second];
      }
    }
    return cache;
  }

  bool fits(const std::string& u, Xapian::rev rev, const std::vector<unsigned>& s) const {
    return uuid == u && revision == rev && slots == s;
  }
};

// The newest FacetCache per index path, shared by every Searcher of the process (the portal
// runs one per worker thread), so a commit costs one rebuild, not one per thread: the searches
// that need a cache while it is being built wait for that build. (They built one each before:
// after a commit the sixteen workers' next searches came together and built the same cache,
// 30-40 ms of CPU apiece; bench/search.sh while editing, an edit every half second, built
// 1,407 for 121 revisions, sixteen for 68 of them, near half of the two cores.)
class FacetCacheRegistry {
 public:
  static std::shared_ptr<const FacetCache> get(const std::string& path, const Xapian::Database& db,
                                               const std::vector<unsigned>& slots) {
    const std::string uuid = db.get_uuid();
    const Xapian::rev revision = db.get_revision();
    using Future = std::shared_future<std::shared_ptr<const FacetCache>>;
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const FacetCache>> caches;
    static std::map<std::string, Future> building;  // by buildKey()
    const std::string key = buildKey(path, uuid, revision, slots);
    std::promise<std::shared_ptr<const FacetCache>> promise;
    {
      std::unique_lock<std::mutex> lock(mutex);
      const auto it = caches.find(path);
      if (it != caches.end() && it->second->fits(uuid, revision, slots)) return it->second;
      const auto b = building.find(key);
      if (b != building.end()) {
        const Future theirs = b->second;
        lock.unlock();
        try {
          FacetCacheProbe& probe = facetCacheProbe();
          ++probe.waiting;
          struct Done {
            FacetCacheProbe& probe;
            ~Done() { --probe.waiting; }
          } done{probe};
          return theirs.get();
        } catch (...) {
          // That build failed (its revision overwritten, say); this search builds its own
          // below and meets the same error itself if there is one.
        }
        return FacetCache::build(db, slots, uuid, revision);
      }
      building.emplace(key, promise.get_future().share());
    }
    std::shared_ptr<const FacetCache> built;
    try {
      built = FacetCache::build(db, slots, uuid, revision);
    } catch (...) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        building.erase(key);
      }
      promise.set_exception(std::current_exception());
      throw;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto& slot = caches[path];
      // Keep the newest revision of the newest directory; a reader still on an older revision
      // uses its own copy without replacing the shared one.
      if (!slot || slot->uuid != uuid || slot->revision <= revision) slot = built;
      building.erase(key);
    }
    promise.set_value(built);
    return built;
  }

 private:
  static std::string buildKey(const std::string& path, const std::string& uuid,
                              Xapian::rev revision, const std::vector<unsigned>& slots) {
    std::string key = path + '\n' + uuid + '\n' + std::to_string(revision);
    for (const unsigned s : slots) key += ' ' + std::to_string(s);
    return key;
  }
};

// Counts the facet values of every document the matcher examines, through a FacetCache.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(const FacetCache& cache) : cache_(cache), counts_(cache.stride) {
    for (std::size_t f = 0; f < cache.stride; ++f) counts_[f].assign(cache.values[f].size() + 1, 0);
  }

  void operator()(const Xapian::Document& doc, double) override {
    ++seen_;
    const std::size_t row = static_cast<std::size_t>(doc.get_docid()) * cache_.stride;
    if (row + cache_.stride > cache_.codes.size()) return;
    for (std::size_t f = 0; f < cache_.stride; ++f) ++counts_[f][cache_.codes[row + f]];
  }

  // Adds `sign` times this spy's counts for facet `f` to `out` (value -> count), scaled up to
  // `total` documents when the matcher examined fewer (the counts are then estimates, as the
  // total is).
  void addTo(std::size_t f, std::map<std::string, std::int64_t>& out, std::uint64_t total, int sign) const {
    const double scale = seen_ != 0 && total > seen_ ? static_cast<double>(total) / static_cast<double>(seen_) : 1.0;
    for (std::size_t code = 1; code < counts_[f].size(); ++code) {
      if (counts_[f][code] == 0) continue;
      out[cache_.values[f][code - 1]] +=
          sign * static_cast<std::int64_t>(static_cast<double>(counts_[f][code]) * scale + 0.5);
    }
  }

 private:
  std::uint64_t seen_ = 0;
  const FacetCache& cache_;
  std::vector<std::vector<std::uint64_t>> counts_;  // [facet][code]
};

// The favour of SearcherOptions (a fixed weight for the documents with one of the favoured
// values of a facet) read from a FacetCache: the matcher asks about each candidate of a pass,
// and an array lookup answers where the favoured values' posting lists (most of the index:
// punishments, inspections) were read for every candidate. bench_search_profile over 2,000
// generated queries: the favour cost 1.1 ms of 7.4 ms a search that way.
class FavourSource : public Xapian::PostingSource {
 public:
  FavourSource(std::shared_ptr<const FacetCache> cache, std::size_t facet, std::vector<bool> favoured_codes,
               double weight)
      : cache_(std::move(cache)), facet_(facet), favoured_(std::move(favoured_codes)), weight_(weight) {
    for (std::size_t code = 1; code < favoured_.size(); ++code) {
      if (favoured_[code] && code < cache_->documents[facet_].size()) count_ += cache_->documents[facet_][code];
    }
  }
  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  double get_weight() const override { return weight_; }
  Xapian::docid get_docid() const override { return did_; }
  void next(double min_wt) override { moveTo(did_ + 1, min_wt); }
  void skip_to(Xapian::docid did, double min_wt) override {
    if (did > did_) moveTo(did, min_wt);
  }
  bool at_end() const override { return at_end_; }
  Xapian::PostingSource* clone() const override { return new FavourSource(cache_, facet_, favoured_, weight_, count_); }
  void init(const Xapian::Database&) override {
    did_ = 0;
    at_end_ = false;
    set_maxweight(weight_);
  }

 private:
  FavourSource(std::shared_ptr<const FacetCache> cache, std::size_t facet, std::vector<bool> favoured_codes,
               double weight, Xapian::doccount count)
      : cache_(std::move(cache)), facet_(facet), favoured_(std::move(favoured_codes)), weight_(weight), count_(count) {}
  bool isFavoured(Xapian::docid did) const {
    const std::uint32_t code = cache_->codes[static_cast<std::size_t>(did) * cache_->stride + facet_];
    return code < favoured_.size() && favoured_[code];
  }
  // To the first favoured document from `did` on, or the end. (`min_wt` is not used to end
  // early: under OP_SCALE_WEIGHT, as in the passes that name an act, Xapian 1.4 passes it
  // unscaled while our weight counts scaled, and ending would drop documents still wanted.)
  void moveTo(Xapian::docid did, double) {
    const std::size_t docs = cache_->codes.size() / cache_->stride;
    while (did < docs && !isFavoured(did)) ++did;
    did_ = did;
    at_end_ = did >= docs;
  }

  std::shared_ptr<const FacetCache> cache_;
  std::size_t facet_;
  std::vector<bool> favoured_;  // by code
  double weight_;
  Xapian::doccount count_ = 0;
  Xapian::docid did_ = 0;
  bool at_end_ = false;
};

struct Filter {
  Query query;     // empty: no filter
  Query excluded;  // empty: nothing left out
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
  std::vector<Query> out;
  for (const auto& [name, values] : request.excluded) {
    if (!isValidFilterName(name)) continue;  // no document carries it: nothing to leave out
    for (const auto& value : values) {
      if (!value.empty()) out.emplace_back(filterTerm(name, value));
    }
  }
  if (!out.empty()) filter.excluded = Query(Query::OP_OR, out.begin(), out.end());
  return filter;
}

// The first `max_bytes` or so of `text`, cut at a character boundary, escaped.
std::string leadingExcerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return base::htmlEscape(text);
  return base::htmlEscape(base::utf8BytePrefix(text, max_bytes)) + kOmit;
}

// Whether `text` holds one of `needles` (normalised: lower case), compared without case for
// ASCII letters. Over-reports at worst (then the snippet call finds nothing); misses only a
// match written in full-width letters, which then shows the leading excerpt unmarked.
bool mentionsAny(const std::string& text, const std::vector<std::string>& needles) {
  std::string lowered;
  const std::string* haystack = &text;
  for (const std::string& n : needles) {
    const bool ascii_letters =
        std::any_of(n.begin(), n.end(), [](char c) { return (c >= 'a' && c <= 'z'); });
    if (ascii_letters && haystack == &text) {
      lowered = text;
      for (char& c : lowered) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      haystack = &lowered;
    }
    if (haystack->find(n) != std::string::npos) return true;
  }
  return false;
}

// A pasted description has a relaxed unit for nearly every bigram, most of them common words
// of the lists (违法, 行为, 进行), and the relaxed pass then reads and decides on almost every
// document: its cost grows with the number of units searched, as an OR of that many posting
// lists. Beyond kMaxRelaxedUnits units, only the kLongQueryUnits rarest are searched (the
// fewest documents hold them), which carry the description's meaning and nearly all of the
// ranking weight. The longest query accepted (200 characters of the corpus's most common text)
// cost 105 ms of CPU in the relaxed pass with 40 units, 35 ms with 12 (bench_search_profile).
// Queries of the relevance sets have at most 24 characters, so they are untouched.
constexpr std::size_t kMaxRelaxedUnits = 40;
constexpr std::size_t kLongQueryUnits = 12;

// How many documents hold every term of `unit` (in any spelling), at most: the rarest term's count.
Xapian::doccount unitFrequency(const Xapian::Database& db, const std::vector<std::string>& unit) {
  Xapian::doccount rarest = std::numeric_limits<Xapian::doccount>::max();
  for (const auto& t : unit) {
    Xapian::doccount n = 0;
    for (const auto& form : spellingVariants(t)) n += db.get_termfreq(form);
    rarest = std::min(rarest, n);
  }
  return unit.empty() ? 0 : rarest;
}

// Phrases are bounded the same way. A phrase is checked on positions in every document of a
// pass's best by words (2 x kPhraseDepth), and a pasted paragraph of the lists' own wording
// brings up to eight clauses that every item holds: 80 ms of CPU a search for those checks
// alone, beside 6 ms for the relaxed pass's ranking without them (bench_search_profile over
// 200-character texts of the 100,000-item corpus). Beyond kLongQueryCharacters characters
// (twice the longest query of the relevance sets) only the rarest phrase that can occur at all
// is kept: the one that best tells one item from the others. Such a search then took 23 ms on
// average and 38 ms at most once the index was in memory (two phrases: 33 and 68 ms; none: 17
// and 48 ms).
constexpr std::size_t kLongQueryCharacters = 48;
constexpr std::size_t kLongQueryPhrases = 1;

// How many documents may hold `phrase`, at most: its rarest bigram's count (0: none can).
Xapian::doccount phraseFrequency(const Xapian::Database& db, const std::vector<std::string>& phrase) {
  Xapian::doccount rarest = std::numeric_limits<Xapian::doccount>::max();
  for (std::size_t i = 0; i + 1 < phrase.size(); ++i) {
    Xapian::doccount n = 0;
    for (const auto& form : spellingVariants(phrase[i] + phrase[i + 1])) n += db.get_termfreq(form);
    rarest = std::min(rarest, n);
  }
  return phrase.size() < 2 ? 0 : rarest;
}

std::size_t characterCount(const std::string& utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

bool isLongText(const QueryPlan& plan) { return characterCount(plan.normalized) > kLongQueryCharacters; }

// The `k` of `parts` that the fewest documents may hold, leaving out those none can hold, in
// their order in `parts`.
template <typename Part, typename Frequency>
std::vector<Part> rarest(const std::vector<Part>& parts, std::size_t k, const Frequency& frequency) {
  std::vector<std::pair<Xapian::doccount, std::size_t>> ranked;  // (frequency, position)
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Xapian::doccount n = frequency(parts[i]);
    if (n > 0) ranked.emplace_back(n, i);
  }
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() > k) ranked.resize(k);
  std::vector<std::size_t> keep;
  for (const auto& r : ranked) keep.push_back(r.second);
  std::sort(keep.begin(), keep.end());
  std::vector<Part> out;
  for (std::size_t i : keep) out.push_back(parts[i]);
  return out;
}

// `plan` with its kLongQueryPhrases rarest phrases, in query order, when it is a long text.
std::optional<QueryPlan> withRarestPhrases(const QueryPlan& plan, const Xapian::Database& db) {
  if (plan.phrases.size() <= kLongQueryPhrases || !isLongText(plan)) return std::nullopt;
  QueryPlan bounded = plan;
  bounded.phrases = rarest(plan.phrases, kLongQueryPhrases,
                           [&](const std::vector<std::string>& p) { return phraseFrequency(db, p); });
  return bounded;
}

// `plan` with its kLongQueryUnits rarest relaxed units that occur at all, in query order, when it
// has more than kMaxRelaxedUnits.
std::optional<QueryPlan> withRarestUnits(const QueryPlan& plan, const Xapian::Database& db) {
  if (plan.relaxed_units.size() <= kMaxRelaxedUnits) return std::nullopt;
  QueryPlan bounded = plan;
  bounded.relaxed_units = rarest(plan.relaxed_units, kLongQueryUnits,
                                 [&](const std::vector<std::string>& u) { return unitFrequency(db, u); });
  if (bounded.relaxed_units.empty()) bounded.relaxed_units.push_back(plan.relaxed_units.front());
  bounded.relaxed_min_match = std::min(plan.relaxed_min_match, bounded.relaxed_units.size());
  return bounded;
}

// Characters apart (the nearby pass: 挖 near 沙 for 挖沙 in 非法采挖河砂) are evidence only when
// one of them is uncommon. Where both stand in more than a kNearbyMaxShare of the documents
// (有 near 人, 生 near 行), nearly every item holds them near each other somewhere, and checking
// their positions in each took 70-90 ms of CPU a search on 100,000 items (bench_search_profile:
// 有人生的行, 有人题的责, the slowest of bench/search.sh's 2,000 queries) to list items that
// share nothing with the query but two common characters. Such pairs are left out; a query
// left with none goes on to the partial matches, labelled as such. A character in fewer than
// kNearbyFewDocuments documents always counts: in a small index a fifth is a handful, and
// checking them costs nothing.
constexpr double kNearbyMaxShare = 0.2;
constexpr Xapian::doccount kNearbyFewDocuments = 2000;

// `plan` without its character pairs whose rarer character is in more than kNearbyMaxShare of
// the documents, when it has any.
std::optional<QueryPlan> withTellingPairs(const QueryPlan& plan, const Xapian::Database& db) {
  const double limit = std::max(kNearbyMaxShare * static_cast<double>(db.get_doccount()),
                                static_cast<double>(kNearbyFewDocuments));
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& p : plan.char_pairs) {
    const Xapian::doccount rarer = std::min(unitFrequency(db, {p.first}), unitFrequency(db, {p.second}));
    if (static_cast<double>(rarer) <= limit) kept.push_back(p);
  }
  if (kept.size() == plan.char_pairs.size()) return std::nullopt;
  QueryPlan bounded = plan;
  bounded.char_pairs = std::move(kept);
  return bounded;
}

bool hasFilters(const SearchRequest& request) {
  for (const auto* filters : {&request.filters, &request.excluded}) {
    for (const auto& [name, values] : *filters) {
      for (const auto& v : values) {
        if (!v.empty()) return true;
      }
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
  std::vector<unsigned> slot_numbers;  // of facet_slots, in order
  std::optional<unsigned> department_slot = facetSlot("department");
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
  // `needles`: what the highlighter can mark, as plain strings; a text containing none of them
  // gets no highlight, so it is not worth a snippet call (each scans and scores the whole text).
  Hit makeHit(const Xapian::MSetIterator& it, MatchTier tier, const Xapian::MSet* highlighter,
              bool drop_lone, const std::vector<std::string>& needles) const {
    const Xapian::Document doc = it.get_document();
    const StoredDocument stored = deserialize(doc.get_data());
    Hit hit;
    hit.id = stored.id;
    hit.kind = stored.kind;
    hit.title = stored.title;
    hit.url = stored.url;
    hit.date = stored.date;
    if (department_slot) hit.department = doc.get_value(*department_slot);
    hit.percent = it.get_percent();
    hit.weight = it.get_weight();
    hit.tier = tier;
    hit.title_html = base::htmlEscape(stored.title);
    if (highlighter == nullptr) {
      if (!stored.fields.empty()) hit.snippet_html = leadingExcerpt(stored.fields.front().second, options.snippet_bytes);
      return hit;
    }

    const unsigned flags = Xapian::MSet::SNIPPET_CJK_NGRAM | Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH;
    const std::string title = !mentionsAny(stored.title, needles)
                                  ? std::string()
                                  : highlighter->snippet(stored.title, stored.title.size() * 2 + 64,
                                                         Xapian::Stem(), flags, kHiStart, kHiEnd, kOmit);
    if (!title.empty()) {
      std::string html = tidySnippet(title, kHiStart, kHiEnd, drop_lone, needles);
      if (html.find("<mark>") != std::string::npos) {
        hit.title_html = std::move(html);
        hit.matched_field = "title";
      }
    }
    const unsigned body_flags = flags | Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE;
    for (const auto& [name, text] : stored.fields) {
      if (!mentionsAny(text, needles)) continue;
      const std::string s = highlighter->snippet(text, options.snippet_bytes, Xapian::Stem(), body_flags, kHiStart,
                                                 kHiEnd, kOmit);
      if (s.empty()) continue;
      std::string html = tidySnippet(s, kHiStart, kHiEnd, drop_lone, needles);
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

  // The documents the phrase boost re-ranks when a pass finds more than kPhraseDepth: the best
  // kPhraseDepth by words among those whose title holds a phrase of the query (title grams,
  // no positions read), and the best kPhraseDepth by words. The first keep an item named by
  // the citizen's exact wording on the page when hundreds of others repeat its words.
  // `at_least`: the pass's own restriction (the relaxed pass's "at least k units").
  template <typename Filtered>
  std::vector<Xapian::docid> bestByWords(const Query& words, const Query& title_phrase, const Filtered& filtered,
                                         const AtLeastUnits* at_least) const {
    std::vector<Xapian::docid> ids;
    const auto add = [&](const Query& q) {
      Xapian::Enquire enquire(db);
      enquire.set_query(filtered(q));
      const Xapian::MSet mset = enquire.get_mset(0, kPhraseDepth, 0, nullptr, at_least);
      ids.insert(ids.end(), mset.begin(), mset.end());
    };
    if (!title_phrase.empty()) add(Query(Query::OP_FILTER, words, title_phrase));
    add(words);
    return ids;
  }

  void run(const SearchRequest& request, const QueryPlan& full_plan, bool browse, SearchResult& result) {
    const std::optional<QueryPlan> few_units = browse ? std::nullopt : withRarestUnits(full_plan, db);
    const std::optional<QueryPlan> bounded =
        browse ? std::nullopt : withRarestPhrases(few_units ? *few_units : full_plan, db);
    const QueryPlan& unpaired = bounded ? *bounded : few_units ? *few_units : full_plan;
    const std::optional<QueryPlan> paired = browse ? std::nullopt : withTellingPairs(unpaired, db);
    const QueryPlan& plan = paired ? *paired : unpaired;
    result.hits.clear();
    result.facets.clear();
    result.estimated_total = 0;
    result.total_is_exact = true;
    const Filter filter = filterQuery(request);
    if (filter.matches_nothing) return;
    std::vector<Pass> passes;
    if (browse) {
      passes.push_back({MatchTier::Browse, Query::MatchAll, Query::MatchAll, kAlways, nullptr, Query()});
    } else {
      const auto addPass = [&](MatchTier tier, Query query, Query match, const Query& restriction,
                               Xapian::doccount run_below,
                               std::shared_ptr<const AtLeastUnits> at_least = nullptr) {
        if (match.empty()) return;
        // The restriction is a subset of `match` (at least k units, not just one), so it
        // alone says which documents the pass finds. Ranking applies it through `at_least`
        // when given (the same documents, cheaper), else as a filter.
        if (!restriction.empty()) {
          if (!at_least) query = Query(Query::OP_FILTER, query, restriction);
          match = restriction;
        } else {
          at_least = nullptr;
        }
        passes.push_back({tier, query, match, run_below, std::move(at_least), Query()});
      };
      const auto addHead = [&](MatchTier tier, Query query, Query match, Xapian::doccount head,
                               Xapian::doccount run_below,
                               std::shared_ptr<const AtLeastUnits> at_least = nullptr,
                               std::shared_ptr<Carry> carry = nullptr) {
        if (match.empty()) return;
        passes.push_back({tier, query, match, run_below, std::move(at_least), Query(), head, std::move(carry)});
      };
      const Xapian::doccount always = kAlways;
      const auto page = static_cast<Xapian::doccount>(options.fill_below);
      const PhraseCheck check = PhraseCheck::BigramsFirst;
      addPass(MatchTier::Exact, exactQuery(plan), exactMatchQuery(plan), Query(), always);
      addPass(MatchTier::Strict, strictQuery(plan, check), strictMatchQuery(plan), Query(), always);
      if (!passes.empty() && passes.back().tier == MatchTier::Strict) passes.back().words = strictMatchQuery(plan);
      // A pass ranked by an act's wording: the favour weighs as much more as the wording does,
      // and the documents SearcherOptions::act_excluded_* leaves out come later if at all.
      Query act_excluded;
      if (!options.act_excluded_filter.empty() && !options.act_excluded_values.empty()) {
        std::vector<Query> values;
        for (const auto& v : options.act_excluded_values) values.emplace_back(filterTerm(options.act_excluded_filter, v));
        act_excluded = Query(Query::OP_OR, values.begin(), values.end());
      }
      // A pass ranked by an act's wording and the query's units and phrases: for a long text,
      // only its best by the wording alone are ranked so (bestByWords, as for the strict and
      // relaxed passes). A pasted paragraph names acts whose wording (处以罚款, 排放大气污染物) thousands
      // of items hold, and ranking each of them by a dozen common units took 30-45 ms of CPU a
      // pass (bench_search_profile over 200-character texts of the 100,000-item corpus).
      const auto boundLongText = [&](std::size_t before) {
        if (passes.size() > before && isLongText(plan)) passes.back().words = passes.back().match;
      };
      const auto namesAct = [&](std::size_t before) {
        boundLongText(before);
        if (passes.size() == before) return;
        Pass& pass = passes.back();
        pass.favour_scale = kNamedActFavourScale;
        if (act_excluded.empty()) return;
        pass.query = Query(Query::OP_AND_NOT, pass.query, act_excluded);
        pass.match = Query(Query::OP_AND_NOT, pass.match, act_excluded);
        if (!pass.words.empty()) pass.words = Query(Query::OP_AND_NOT, pass.words, act_excluded);
      };
      std::size_t before = passes.size();
      addPass(MatchTier::Relaxed, conceptQuery(plan, check), conceptMatchQuery(plan), Query(),
              always);
      namesAct(before);
      // The act the model is all but certain of (plan.inferred_sure) ranks ahead of the items
      // that merely share two of the description's bigrams (query_pipeline.cpp, kSureMinScore).
      before = passes.size();
      if (plan.inferred_sure)
        addPass(MatchTier::Relaxed, inferredQuery(plan, check), inferredMatchQuery(plan), Query(), always);
      namesAct(before);
      // The act the model names below that bar (plan.inferred) is right about two times in
      // three on the tune halves' queries: its best kInferredHead items come in after the
      // relaxed pass's best kRelaxedHead, so a right guess reaches the page however many items
      // share two of the description's bigrams, and a wrong one moves the relaxed pass's items
      // below the third down by two places (its other items come in the inferred pass below).
      // Sorted by date, the heads are chosen the same way, so both orders find the same items,
      // and shown among the relaxed pass's items in one date order (`held` below).
      std::shared_ptr<Carry> relaxed_carry;
      // The model's guess below its bar (plan.guessed) joins such a page the same way, by its
      // best kGuessedHead, labelled as a guess.
      const bool inferred_head = !plan.inferred_sure && !plan.inferred.empty();
      if (inferred_head || !plan.guessed.empty()) {
        relaxed_carry = std::make_shared<Carry>();
        addHead(MatchTier::Relaxed, relaxedQuery(plan, check), relaxedMatchQuery(plan), kRelaxedHead, page,
                std::make_shared<const AtLeastUnits>(db, plan), relaxed_carry);
        // A long text's phrases are checked only in its best by words, as in the relaxed pass.
        if (isLongText(plan)) passes.back().words = relaxedMatchQuery(plan);
        if (inferred_head) {
          const std::size_t before_head = passes.size();
          addHead(MatchTier::Relaxed, inferredQuery(plan, check), inferredMatchQuery(plan), kInferredHead, page);
          boundLongText(before_head);
        } else {
          // Ranked by the act's wording alone: the same pages on the tune halves as with
          // guessedQuery(), at half the cost (see kGuessedHead). When the relaxed pass finds
          // fewer than kRelaxedHead, the guess comes right after its items, ahead of those that
          // share a single word with the query (the fill pass), as the inferred act's items do:
          // waiting for a full relaxed head lost fresh2-tune and fresh7-tune the query each
          // had gained, and blind and fresh4-blind one each.
          addHead(MatchTier::Related, guessedMatchQuery(plan), guessedMatchQuery(plan), kGuessedHead, page);
        }
      }
      const std::size_t before_relaxed = passes.size();
      addPass(MatchTier::Relaxed, relaxedQuery(plan, check), relaxedMatchQuery(plan),
              relaxedMinimumQuery(plan), always,
              std::make_shared<const AtLeastUnits>(db, plan));
      // For a long text, the same bound on phrase checks as the strict pass: a pasted paragraph
      // of the lists' common wording (由有关部门责令改正) has phrases that every item holds, and
      // checking them in each of 100,000 items took 170 ms of CPU a search. (For the short
      // queries of bench/search.sh it costs more than it saves: 7.4 -> 8.2 ms on average.)
      if (passes.size() > before_relaxed && isLongText(plan)) passes.back().words = relaxedMatchQuery(plan);
      if (passes.size() > before_relaxed) {
        passes.back().carry = relaxed_carry;
        passes.back().takes_held = relaxed_carry != nullptr;
      }
      // The fallbacks run only while the passes above found less than a page (at the default
      // size, whatever page and size are asked for, so every page of one query agrees on
      // the total).
      addPass(MatchTier::Relaxed, fillQuery(plan, check), fillMatchQuery(plan), Query(), page);
      // The act the situation model recognised in a description (plan.inferred): its items
      // after every item sharing the citizen's own words, so a wrong guess never displaces
      // them, and before characters apart (measured on the tune sets: ahead of the relaxed or
      // fill pass it pushed found items off the page).
      // (Not again when the sure pass above already ranked it.)
      before = passes.size();
      if (!plan.inferred_sure)
        addPass(MatchTier::Relaxed, inferredQuery(plan, check), inferredMatchQuery(plan), Query(),
                page);
      boundLongText(before);
      // The model's best act when it was not sure enough to name it: after everything on the
      // citizen's own words, ahead of characters apart, and labelled as a guess.
      before = passes.size();
      addPass(MatchTier::Related, guessedQuery(plan, check), guessedMatchQuery(plan), Query(), page);
      boundLongText(before);
      addPass(MatchTier::Nearby, nearbyQuery(plan), nearbyMatchQuery(plan), Query(), page);
      addPass(MatchTier::Partial, partialQuery(plan), partialMatchQuery(plan), Query(), 1);
    }

    std::shared_ptr<const FacetCache> facet_cache;
    if (!facet_slots.empty()) facet_cache = FacetCacheRegistry::get(dir, db, slot_numbers);

    // Only its query matters to MSet::snippet; no documents need matching.
    std::optional<Xapian::Enquire> highlight_enquire;
    std::optional<Xapian::MSet> highlighter;
    const Query highlight = browse ? Query() : highlightQuery(plan);
    if (!highlight.empty()) {
      highlight_enquire.emplace(db);
      highlight_enquire->set_query(highlight);
      highlighter = highlight_enquire->get_mset(0, 0);
    }

    std::vector<std::string> needles;
    for (const auto& h : plan.highlights) {
      std::string joined;
      for (const auto& part : h) joined += part;
      needles.push_back(std::move(joined));
    }

    const auto addHit = [&](const Xapian::MSetIterator& it, MatchTier tier) {
      result.hits.push_back(
          makeHit(it, tier, highlighter ? &*highlighter : nullptr, !plan.has_single_character, needles));
    };

    const bool beyond = result.page > options.max_page;
    Xapian::doccount offset = beyond ? 0 : static_cast<Xapian::doccount>(result.page - 1) * result.page_size;
    Xapian::doccount wanted = beyond ? 0 : static_cast<Xapian::doccount>(result.page_size);
    std::map<std::string, std::map<std::string, std::int64_t>> counts;  // may go below 0: see below
    const auto filtered = [&](const Query& q) {
      const Query kept = filter.excluded.empty() ? q : Query(Query::OP_AND_NOT, q, filter.excluded);
      return filter.query.empty() ? kept : Query(Query::OP_FILTER, kept, filter.query);
    };
    // Counts the documents of `q` without weights, positions or sorting, up to check_at_least
    // of them (then the count is Xapian's estimate and the facets cover the documents
    // examined), and adds `sign` times their facets, counted through the cache.
    struct Count {
      Xapian::doccount matches = 0;
      bool exact = true;
    };
    const auto count = [&](const Query& q, int sign) {
      Xapian::Enquire counter(db);
      counter.set_query(filtered(q));
      counter.set_weighting_scheme(Xapian::BoolWeight());
      std::optional<FacetSpy> spy;
      if (facet_cache) {
        spy.emplace(*facet_cache);
        counter.add_matchspy(&*spy);
      }
      const Xapian::MSet counted = counter.get_mset(0, 0, options.check_at_least);
      const Count c{counted.get_matches_estimated(),
                    counted.get_matches_lower_bound() == counted.get_matches_upper_bound()};
      if (spy) {
        for (std::size_t i = 0; i < facet_slots.size(); ++i) spy->addTo(i, counts[facet_slots[i].first], c.matches, sign);
      }
      return c;
    };

    // What the favoured documents gain in the passes on some of the words (SearcherOptions).
    Query favour;
    if (!browse && options.favour_weight > 0 && !options.favoured_filter.empty() && !options.favoured_values.empty()) {
      const auto counted = std::find_if(facet_slots.begin(), facet_slots.end(),
                                        [&](const auto& f) { return f.first == options.favoured_filter; });
      if (facet_cache && counted != facet_slots.end()) {
        // A facet's cache holds each document's first value of the filter, and favoured
        // filters (a document's type) have one value.
        const auto f = static_cast<std::size_t>(counted - facet_slots.begin());
        const auto& values = facet_cache->values[f];
        std::vector<bool> codes(values.size() + 1, false);
        for (std::size_t i = 0; i < values.size(); ++i) {
          codes[i + 1] = std::find(options.favoured_values.begin(), options.favoured_values.end(), values[i]) !=
                         options.favoured_values.end();
        }
        favour = Query((new FavourSource(facet_cache, f, std::move(codes), options.favour_weight))->release());
      } else {
        std::vector<Query> values;
        for (const auto& v : options.favoured_values) values.emplace_back(filterTerm(options.favoured_filter, v));
        favour = Query(Query::OP_FILTER, Query((new Xapian::FixedWeightPostingSource(options.favour_weight))->release()),
                       Query(Query::OP_OR, values.begin(), values.end()));
      }
    }

    // The documents of the passes before, which a pass leaves to them. A pass that found none
    // adds nothing: excluding it changes no result, yet every later pass would test each of
    // its candidates against it (for the nearby pass, reading positions), a tenth of a second
    // for a short query that only the partial pass answers (bench_search_profile).
    Query earlier;
    const bool by_date = browse || request.sort == SearchRequest::Sort::Date;
    // Sorted by date, the heads' documents wait for the relaxed pass (takes_held) and are
    // ranked with its own: each head is counted where it stands, as in the relevance order (the
    // passes after it run on the same totals), but a head of three, then one of two, then the
    // rest, each in date order, would not read as one date order. A guess keeps its label.
    const bool hold_heads = by_date && std::any_of(passes.begin(), passes.end(), [](const Pass& p) { return p.takes_held; });
    std::vector<Xapian::docid> held;
    std::set<Xapian::docid> held_related;
    for (Pass pass : passes) {
      if (!favour.empty() && (pass.tier == MatchTier::Relaxed || pass.tier == MatchTier::Related ||
                              pass.tier == MatchTier::Nearby)) {
        pass.query = Query(Query::OP_AND_MAYBE, pass.query,
                           pass.favour_scale == 1 ? favour : Query(pass.favour_scale, favour));
      }
      if (result.estimated_total >= pass.run_below) {
        if (pass.head > 0) continue;
        break;
      }
      const auto less_earlier = [&](const Query& q) {
        return earlier.empty() ? q : Query(Query::OP_AND_NOT, q, earlier);
      };
      // A head pass: its first documents, fixed now, are the pass.
      if (pass.head > 0) {
        Xapian::Enquire first(db);
        Query ranked = filtered(less_earlier(pass.query));
        std::optional<DocumentSet> best;
        if (!pass.words.empty()) {
          best.emplace(bestByWords(less_earlier(pass.words), titlePhraseQuery(plan), filtered, pass.at_least.get()));
          ranked = Query(Query::OP_FILTER, ranked, Query(&*best));
        }
        first.set_query(ranked);
        // With a carry, far enough for the later pass's page (the other heads between may
        // take a few of these documents too). Sorted by date the later pass ranks by date, and
        // the carry is not used.
        const Xapian::doccount further =
            pass.carry && !by_date ? std::min<Xapian::doccount>(offset + wanted + kInferredHead, kPhraseDepth) : 0;
        const Xapian::MSet mset = first.get_mset(0, pass.head + further, 0, nullptr, pass.at_least.get());
        if (mset.empty()) continue;
        std::vector<Xapian::docid> own(mset.begin(), mset.end());
        if (pass.carry) {
          if (own.size() > pass.head) pass.carry->ids.assign(own.begin() + pass.head, own.end());
          pass.carry->whole = mset.size() < pass.head + further;
          pass.carry->filled = true;
        }
        own.resize(std::min<std::size_t>(own.size(), pass.head));
        if (hold_heads) {
          held.insert(held.end(), own.begin(), own.end());
          if (pass.tier != MatchTier::Relaxed) held_related.insert(own.begin(), own.end());
        }
        pass.match = Query((new DocumentSet(std::move(own)))->release());
        pass.carry = nullptr;  // the carry is for the later pass
        pass.query = Query(Query::OP_FILTER, pass.query, pass.match);
        pass.at_least = nullptr;
        pass.words = Query();
      }
      const Query match = less_earlier(pass.match);
      const Query query = less_earlier(pass.query);
      // Counting. A pass's documents are its own less those of the passes before. When those
      // are many, counting "own AND_NOT earlier" reads every one of them that the pass also
      // finds, to reach check_at_least documents that may not exist: a common wording found
      // by the strict pass in 98,000 items made the relaxed pass's count read all of them to
      // find none, a seventh of the search time over bench_search_profile's 2,000 queries.
      // Then the pass is counted as own less (own AND earlier), two counts that each stop
      // after check_at_least documents: the same figures when both are exact, else estimates
      // as before (the page says 约).
      Count c;
      if (earlier.empty() || result.estimated_total <= options.check_at_least) {
        c = count(match, 1);
      } else {
        const Count own = count(pass.match, 1);
        const Count shared = count(Query(Query::OP_AND, pass.match, earlier), -1);
        c.matches = own.matches > shared.matches ? own.matches - shared.matches : 0;
        c.exact = own.exact && shared.exact;
      }
      const Xapian::doccount matches = c.matches;
      const bool exact = c.exact;
      result.estimated_total += matches;
      if (!exact) result.total_is_exact = false;

      // Ranking: only the page, so Xapian may skip documents that cannot reach it. A pass whose
      // count is an estimate is ranked even when the estimate says it ends before this page
      // (or is empty): the estimate may be short.
      // Where the pass ends, for the next pass's offset: a held head's documents are shown by
      // the pass that takes them.
      const bool holds = hold_heads && pass.head > 0;
      const bool takes = hold_heads && pass.takes_held && !held.empty();
      Xapian::doccount size = holds ? 0 : takes ? matches + static_cast<Xapian::doccount>(held.size()) : matches;
      if (wanted > 0 && !holds && (offset < size || !exact)) {
        Xapian::Enquire enquire(db);
        std::optional<DocumentSet> best;
        const Xapian::MatchDecider* decider = pass.at_least.get();
        // The rest of a head's ranking, when the head ranked as far as this page.
        const bool carried = pass.carry && pass.carry->filled && !by_date &&
                             (pass.carry->whole || offset + wanted + kInferredHead <= pass.carry->ids.size());
        Xapian::doccount from = offset;  // of the ranking `enquire` makes
        if (carried) {
          best.emplace(pass.carry->ids);
          enquire.set_query(Query(Query::OP_FILTER, filtered(query), Query(&*best)));
        } else if (!pass.words.empty() && !by_date && matches > kPhraseDepth && offset + wanted <= kPhraseDepth) {
          best.emplace(bestByWords(less_earlier(pass.words), titlePhraseQuery(plan), filtered, pass.at_least.get()));
          enquire.set_query(Query(Query::OP_FILTER, filtered(query), Query(&*best)));
        } else if (!pass.words.empty() && !by_date && matches > kPhraseDepth) {
          // A page past the best by words: in the order of the pages before it, those best
          // first (ranked as there), then the others. Ranking every match here instead listed
          // an item twice across pages, and one not at all, wherever the phrase boost lifted a
          // document outside the best by words above those shown on the pages before.
          const std::vector<Xapian::docid> ids =
              bestByWords(less_earlier(pass.words), titlePhraseQuery(plan), filtered, pass.at_least.get());
          DocumentSet first_ids(ids);
          Xapian::Enquire first(db);
          first.set_query(Query(Query::OP_FILTER, filtered(query), Query(&first_ids)));
          const auto all = static_cast<Xapian::doccount>(ids.size());
          const Xapian::MSet head = first.get_mset(offset, wanted, all, nullptr, decider);
          for (auto it = head.begin(); it != head.end(); ++it) {
            addHit(it, pass.tier);
          }
          const Xapian::doccount ranked_first = head.get_matches_lower_bound();
          from = offset > ranked_first ? offset - ranked_first : 0;
          wanted -= std::min<Xapian::doccount>(wanted, head.size());
          best.emplace(ids);
          enquire.set_query(Query(Query::OP_AND_NOT, filtered(query), Query(&*best)));
        } else if (takes) {
          // The held documents passed their heads' filters and the decider already; the pass's
          // own apply its restriction as a filter (`match` is that restriction, see addPass).
          best.emplace(held);
          const Query own = pass.at_least ? Query(Query::OP_FILTER, query, match) : query;
          enquire.set_query(Query(Query::OP_OR, filtered(own), Query(&*best)));
          decider = nullptr;
        } else {
          enquire.set_query(filtered(query));
        }
        if (by_date) enquire.set_sort_by_value_then_relevance(kDateSlot, true);
        // (The carried documents passed the head's decider already.)
        const Xapian::MSet mset = enquire.get_mset(from, wanted, 0, nullptr, carried ? nullptr : decider);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          addHit(it, takes && held_related.count(*it) > 0 ? MatchTier::Related : pass.tier);
        }
        // A pass that ran out before the page was full has been read to its end: its true
        // size replaces the estimate, so the next pass starts where this one really ended
        // (with an estimate too high or too low, items of the next pass were skipped or shown
        // twice across pages). (A pass that takes held documents ranks all of its own too.)
        if ((!best || takes) && mset.size() < wanted && mset.get_matches_lower_bound() == mset.get_matches_upper_bound()) {
          size = mset.get_matches_lower_bound();
        }
        wanted -= std::min<Xapian::doccount>(wanted, mset.size());
      }
      offset = offset > size ? offset - size : 0;
      if (matches > 0 || !exact) earlier = earlier.empty() ? pass.match : Query(Query::OP_OR, earlier, pass.match);
    }

    for (const auto& [name, slot] : facet_slots) {
      auto& out = result.facets[name];
      for (const auto& [value, n] : counts[name]) {
        if (n > 0) out.emplace_back(value, static_cast<std::uint64_t>(n));
      }
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
    impl_->slot_numbers.push_back(*slot);
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

  QueryPlan plan = buildQuery(request.q, *impl_->synonyms);
  if (!request.infer_acts) {
    plan.inferred.clear();
    plan.guessed.clear();
    plan.inferred_sure = false;
  }
  result.normalized_query = plan.normalized;
  result.simplified_query = plan.simplified;
  result.expansions_used = plan.expansions;
  const bool browse = plan.problem == QueryProblem::Empty && hasFilters(request);
  if (plan.problem != QueryProblem::None && !browse) {
    result.problem = plan.problem;
    result.problem_message = problemMessage(plan.problem);
    return result;
  }

  // Once the writer is two commits past the revision being read, that revision is gone
  // (DatabaseModifiedError); reopening and running again is the documented cure. The writer of
  // this process waits for the pinned search instead (detail/read_pins.h), so only a writer in
  // another process (a tool) can cause a retry, and only one committing every millisecond or
  // so can make every attempt fail.
  for (int attempt = 1;; ++attempt) {
    try {
      // Held while reading, so the writer of this process does not overwrite what is read.
      detail::ReadPins::Pin pin(detail::ReadPins::instance());
      impl_->refresh();
      pin.set(impl_->db.get_uuid(), impl_->db.get_revision());
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
