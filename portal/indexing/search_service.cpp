#include "portal/indexing/search_service.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "base/utf8.h"
#include "db/error.h"
#include "db/transaction.h"
#include "portal/indexing/change_log_store.h"
#include "search/search_error.h"
#include "search/simplified_script.h"

namespace portal::indexing {

namespace {
std::vector<std::string> splitFormal(const std::string& text) {
  std::vector<std::string> out;
  std::string part;
  for (const char c : text + "|") {
    if (c == '|' || c == '\n' || c == '\r') {
      if (const auto t = base::trimView(part); !t.empty()) out.emplace_back(t);
      part.clear();
    } else {
      part += c;
    }
  }
  return out;
}

std::string joinFormal(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "|") + p;
  return out;
}
}  // namespace

namespace {
// Documents counted exactly per pass of a search; beyond that the total and the facet counts
// are Xapian's estimates (the page says 约). Counting every match of a common word (罚款 in
// 100,000 items) cost more than everything else in a search (bench/search.sh, perf).
constexpr std::uint32_t kCountAtLeast = 1000;

// A citizen who describes a problem (the passes on some of the words) is looking for what a
// department may do about it: items of punishment, inspection, coercion and the other powers
// come ahead of licences, levies, payments, confirmations, awards and rulings that share as
// many words, and of disclosures and decisions (no type). On the six tune halves (December
// 2026), weight 2.0: MRR@10 0.818 -> 0.831, 0.775 -> 0.782, 0.765 -> 0.793, 0.746 -> 0.762,
// 0.719 -> 0.724, 0.759 -> 0.785, recall@10 the same but fresh4-tune one more; no expected item
// of the 491 queries is a licence. (Without 其他 favoured, one query more on two halves and one
// fewer on a third; 4.0 lost one.) A licence named by its own words stays in the strict pass.
const std::vector<std::string> kFavouredTypes = {"cf", "jc", "qz", "qt"};
constexpr double kFavourWeight = 2.0;

// At most this many distinct queries wait to be counted; more are dropped (statistics only).
constexpr std::size_t kMaxPendingZeroResults = 10000;

// The version of a table made while MariaDB was away: never equal to a stored one, so the
// next reload reads the administrators' entries.
constexpr std::uint64_t kNoVersion = ~std::uint64_t{0};
}  // namespace

SearchService::SearchService(db::Pool& pool, std::string index_path, accounts::Clock clock,
                             std::chrono::milliseconds synonym_refresh,
                             std::chrono::milliseconds zero_result_flush)
    : pool_(pool),
      clock_(std::move(clock)),
      index_path_(std::move(index_path)),
      synonym_refresh_(synonym_refresh),
      zero_result_flush_(zero_result_flush),
      loop_(
          [&] {
            base::BackgroundLoopOptions o;
            o.name = "search upkeep";
            o.period = std::min(synonym_refresh, zero_result_flush);
            o.max_backoff = std::max(synonym_refresh, zero_result_flush);
            o.run_at_start = false;
            return o;
          }(),
          [this] { return upkeep(); }) {
  // Without OpenCC's dictionaries the server refuses to start rather than fail every search.
  search::loadSimplifiedScript();
  {
    std::lock_guard<std::mutex> lock(reload_mu_);
    reloadTable();  // never throws: the shipped table when MariaDB is away
  }
  loop_.start();
}

SearchService::~SearchService() {
  loop_.stop();
  flushZeroResults();  // what the last round left
}

bool SearchService::upkeep() {
  flushZeroResults();
  std::lock_guard<std::mutex> lock(reload_mu_);
  if (std::chrono::steady_clock::now() - checked_ >= synonym_refresh_) reloadTable();
  return false;
}

std::shared_ptr<const SearchService::Table> SearchService::currentTable() const {
  return std::atomic_load(&table_);
}

// Under reload_mu_. Never throws.
void SearchService::reloadTable() {
  checked_ = std::chrono::steady_clock::now();
  const std::shared_ptr<const Table> old = std::atomic_load(&table_);
  auto fresh = std::make_shared<Table>();
  try {
    auto conn = pool_.acquire();
    SynonymStore store(*conn);
    const auto version = store.version();
    if (old && version == old->version) return;
    std::vector<std::pair<std::string, std::vector<std::string>>> overrides;
    for (const auto& e : store.all()) overrides.emplace_back(e.plain, splitFormal(e.formal));
    fresh->synonyms = std::make_shared<const search::SynonymTable>(
        search::SynonymTable::shipped().withOverrides(overrides));
    fresh->version = version;
  } catch (const db::DbError& e) {
    // Keep searching with what we have (or the shipped table) while MariaDB is away.
    std::fprintf(stderr, "synonym table not refreshed: %s\n", e.what());
    if (old) return;
    fresh->synonyms = std::make_shared<const search::SynonymTable>(search::SynonymTable::shipped());
    fresh->version = kNoVersion;
  } catch (const search::SearchError& e) {
    std::fprintf(stderr, "administrators' synonyms unusable, shipped table only: %s\n", e.what());
    fresh->synonyms = std::make_shared<const search::SynonymTable>(search::SynonymTable::shipped());
  }
  std::atomic_store(&table_, std::shared_ptr<const Table>(std::move(fresh)));
}

search::SearcherOptions searcherOptions() {
  search::SearcherOptions options;
  options.check_at_least = kCountAtLeast;
  options.favoured_filter = "type";
  options.favoured_values = kFavouredTypes;
  options.favour_weight = kFavourWeight;
  // Disclosures (a body's remit, its inspection matters) name acts by the dozen: a citizen
  // describing one act meets that act's items first, the disclosures by the words after.
  options.act_excluded_filter = "kind";
  options.act_excluded_values = {"disclosure"};
  return options;
}

search::SearchResult SearchService::search(const search::SearchRequest& request) {
  const std::shared_ptr<const Table> table = currentTable();
  // One reader per thread and index path (tests run several portals in one process), rebuilt
  // when the synonym table changes.
  struct ThreadSearcher {
    std::shared_ptr<const search::SynonymTable> synonyms;
    std::unique_ptr<search::Searcher> searcher;
  };
  thread_local std::map<std::string, ThreadSearcher> searchers;
  auto& mine = searchers[index_path_];
  if (!mine.searcher || mine.synonyms != table->synonyms) {
    mine.searcher = std::make_unique<search::Searcher>(index_path_, table->synonyms, searcherOptions());
    mine.synonyms = table->synonyms;
  }
  search::SearchResult result = mine.searcher->search(request);
  bool own_words = false;
  for (const auto& h : result.hits) {
    own_words = own_words || !search::weakerMatch(h.tier);
  }
  if (!own_words && result.page == 1 && result.problem == search::QueryProblem::None &&
      !result.normalized_query.empty()) {
    countZeroResult(result.normalized_query);
  }
  return result;
}

void SearchService::countZeroResult(const std::string& normalized_query) {
  std::lock_guard<std::mutex> lock(zero_mu_);
  auto it = zero_pending_.find(normalized_query);
  if (it != zero_pending_.end()) {
    ++it->second;
  } else if (zero_pending_.size() < kMaxPendingZeroResults) {
    zero_pending_.emplace(normalized_query, 1);
  }
}

void SearchService::flushZeroResults() {
  std::map<std::string, std::uint64_t> batch;
  {
    std::lock_guard<std::mutex> lock(zero_mu_);
    batch.swap(zero_pending_);
  }
  if (batch.empty()) return;
  try {
    auto conn = pool_.acquire();
    ChangeLogStore store(*conn);
    for (const auto& [query, times] : batch) store.countZeroResult(query, times);
  } catch (const db::DbError& e) {
    std::fprintf(stderr, "zero-result log failed: %s\n", e.what());
  }
}

std::uint64_t SearchService::pruneZeroResults() {
  auto conn = pool_.acquire();
  return ChangeLogStore(*conn).keepTopZeroResults(kMaxZeroResultQueries);
}

std::vector<std::pair<std::string, std::uint64_t>> SearchService::topZeroResults(int limit) {
  auto conn = pool_.acquire();
  return ChangeLogStore(*conn).topZeroResults(limit);
}

std::vector<SynonymEntry> SearchService::synonyms() {
  auto conn = pool_.acquire();
  return SynonymStore(*conn).all();
}

std::vector<std::string> SearchService::saveSynonym(const std::string& plain,
                                                    const std::string& formal,
                                                    const accounts::AuditEntry& audit) {
  const std::string key = search::normalize(plain);
  const auto parts = splitFormal(formal);
  std::vector<std::string> errors;
  if (key.empty()) errors.push_back("请填写群众常用的说法。");
  if (search::codePointCount(key) > 32) errors.push_back("常用说法不能超过32个字。");
  if (parts.empty()) errors.push_back("请至少填写一个规范用语。");
  const std::string joined = joinFormal(parts);
  if (search::codePointCount(joined) > 500) errors.push_back("规范用语合计不能超过500个字。");
  if (!errors.empty()) return errors;
  try {
    search::SynonymTable().withOverrides({{key, parts}});
  } catch (const search::SearchError&) {
    return {"规范用语中没有可检索的文字。"};
  }
  {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    SynonymStore(*conn).save(key, joined, audit.username);
    accounts::AuditStore(*conn, clock_).append(audit);
    tx.commit();
  }
  std::lock_guard<std::mutex> lock(reload_mu_);
  reloadTable();  // this node at once; the others within synonym_refresh
  return {};
}

bool SearchService::removeSynonym(const std::string& plain, const accounts::AuditEntry& audit) {
  bool removed = false;
  {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    removed = SynonymStore(*conn).remove(plain);
    if (removed) accounts::AuditStore(*conn, clock_).append(audit);
    tx.commit();
  }
  std::lock_guard<std::mutex> lock(reload_mu_);
  reloadTable();
  return removed;
}

}  // namespace portal::indexing
