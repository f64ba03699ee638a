#include "portal/indexing/search_service.h"

#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "db/error.h"
#include "db/transaction.h"
#include "portal/indexing/change_log_store.h"
#include "search/search_error.h"

namespace portal::indexing {

namespace {
std::vector<std::string> splitFormal(const std::string& text) {
  std::vector<std::string> out;
  std::string part;
  for (const char c : text + "|") {
    if (c == '|' || c == '\n' || c == '\r') {
      const auto b = part.find_first_not_of(" \t");
      if (b != std::string::npos)
        out.push_back(part.substr(b, part.find_last_not_of(" \t") - b + 1));
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

SearchService::Table SearchService::currentTable() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (table_.synonyms && now - checked_ < synonym_refresh_) return table_;
  checked_ = now;
  try {
    auto conn = pool_.acquire();
    SynonymStore store(*conn);
    const auto version = store.version();
    if (table_.synonyms && version == table_.version) return table_;
    std::vector<std::pair<std::string, std::vector<std::string>>> overrides;
    for (const auto& e : store.all()) overrides.emplace_back(e.plain, splitFormal(e.formal));
    table_.synonyms = std::make_shared<const search::SynonymTable>(
        search::SynonymTable::shipped().withOverrides(overrides));
    table_.version = version;
  } catch (const db::DbError& e) {
    // Keep searching with what we have (or the shipped table) while MariaDB is away.
    std::fprintf(stderr, "synonym table not refreshed: %s\n", e.what());
    if (!table_.synonyms) {
      table_.synonyms =
          std::make_shared<const search::SynonymTable>(search::SynonymTable::shipped());
    }
  } catch (const search::SearchError& e) {
    std::fprintf(stderr, "administrators' synonyms unusable, shipped table only: %s\n", e.what());
    table_.synonyms = std::make_shared<const search::SynonymTable>(search::SynonymTable::shipped());
  }
  return table_;
}

search::SearchResult SearchService::search(const search::SearchRequest& request) {
  const Table table = currentTable();
  // One reader per thread and index path (tests run several portals in one process), rebuilt
  // when the synonym table changes.
  struct ThreadSearcher {
    std::uint64_t version = 0;
    std::shared_ptr<const search::SynonymTable> synonyms;
    std::unique_ptr<search::Searcher> searcher;
  };
  thread_local std::map<std::string, ThreadSearcher> searchers;
  auto& mine = searchers[index_path_];
  if (!mine.searcher || mine.synonyms != table.synonyms) {
    mine.searcher = std::make_unique<search::Searcher>(index_path_, table.synonyms);
    mine.synonyms = table.synonyms;
    mine.version = table.version;
  }
  search::SearchResult result = mine.searcher->search(request);
  if (result.hits.empty() && result.page == 1 && result.problem == search::QueryProblem::None &&
      !result.normalized_query.empty()) {
    try {
      auto conn = pool_.acquire();
      ChangeLogStore(*conn).countZeroResult(result.normalized_query);
    } catch (const db::DbError& e) {
      std::fprintf(stderr, "zero-result log failed: %s\n", e.what());
    }
  }
  return result;
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
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  SynonymStore(*conn).save(key, joined, audit.username);
  accounts::AuditStore(*conn).append(audit);
  tx.commit();
  std::lock_guard<std::mutex> lock(mu_);
  checked_ = {};  // this node reloads on its next search
  return {};
}

bool SearchService::removeSynonym(const std::string& plain, const accounts::AuditEntry& audit) {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  const bool removed = SynonymStore(*conn).remove(plain);
  if (removed) accounts::AuditStore(*conn).append(audit);
  tx.commit();
  std::lock_guard<std::mutex> lock(mu_);
  checked_ = {};
  return removed;
}

}  // namespace portal::indexing
