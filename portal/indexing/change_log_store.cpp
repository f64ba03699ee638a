#include "portal/indexing/change_log_store.h"

#include <cstdio>
#include <unordered_map>

#include "portal/disclosure/disclosure_store.h"
#include "portal/publishing/item_rows.h"

namespace portal::indexing {

using publishing::ListItem;

using changes::DocKind;

ChangeBatch ChangeLogStore::after(std::uint64_t seq, int limit) {
  db::Rows r = conn_.query(
      "SELECT seq, doc_kind, doc_key, op FROM search_changes WHERE seq > ? ORDER BY seq LIMIT ?",
      seq, limit);
  ChangeBatch out;
  while (r.next()) {
    const auto row_seq = static_cast<std::uint64_t>(r.i64("seq"));
    out.last_seq = row_seq;
    ++out.rows;
    const std::string kind_name = r.str("doc_kind");
    const auto kind = changes::parseDocKind(kind_name);
    if (!kind) {
      std::fprintf(stderr, "search change %llu skipped: unknown document kind \"%s\"\n",
                   static_cast<unsigned long long>(row_seq), kind_name.c_str());
      continue;
    }
    out.changes.push_back(LoggedChange{row_seq, *kind, r.str("doc_key"), r.str("op") == "remove"});
  }
  return out;
}

std::uint64_t ChangeLogStore::lastSeq() {
  db::Rows r = conn_.query("SELECT last_seq FROM search_log_head WHERE id = 1");
  r.next();
  return static_cast<std::uint64_t>(r.i64("last_seq"));
}

std::vector<std::pair<DocKind, std::string>> ChangeLogStore::allDocumentKeys() {
  std::vector<std::pair<DocKind, std::string>> out;
  db::Rows d = conn_.query("SELECT slug FROM departments ORDER BY id");
  while (d.next()) out.emplace_back(DocKind::Department, d.str("slug"));
  db::Rows i = conn_.query("SELECT department_id, code FROM list_items ORDER BY id");
  while (i.next()) {
    out.emplace_back(DocKind::Item, publishing::itemDocKey(i.i64("department_id"), i.str("code")));
  }
  db::Rows decisions = conn_.query(
      "SELECT id FROM enforcement_decisions WHERE state = 'published' AND retired_at IS NULL "
      "ORDER BY id");
  while (decisions.next()) out.emplace_back(DocKind::Decision, decisions.str("id"));
  db::Rows o = conn_.query("SELECT id FROM officers WHERE active = 1 ORDER BY id");
  while (o.next()) out.emplace_back(DocKind::Officer, o.str("id"));
  for (auto& key : disclosure::DisclosureStore(conn_).publishedKeys()) {
    out.emplace_back(DocKind::Disclosure, std::move(key));
  }
  return out;
}

std::vector<ListItem> ChangeLogStore::currentItemsAfter(std::int64_t after_id, int limit) {
  db::Rows r = conn_.query(std::string(publishing::kItemVersionColumns) +
                               "ON v.item_id = i.id AND v.version = i.current_version "
                               "WHERE i.id > ? ORDER BY i.id LIMIT ?",
                           after_id, limit);
  std::vector<ListItem> items;
  std::unordered_map<std::int64_t, std::size_t> by_version;
  while (r.next()) {
    by_version.emplace(r.i64("version_id"), items.size());
    items.push_back(publishing::readItemVersion(r));
  }
  if (items.empty()) return items;
  db::Rows b = conn_.query(
      "SELECT b.version_id, b.law_name, b.article, b.provision, b.as_written "
      "FROM list_items i JOIN list_item_versions v "
      "ON v.item_id = i.id AND v.version = i.current_version "
      "JOIN list_item_legal_bases b ON b.version_id = v.id "
      "WHERE i.id > ? AND i.id <= ? ORDER BY b.version_id, b.position",
      after_id, items.back().id);
  while (b.next()) {
    const auto it = by_version.find(b.i64("version_id"));
    if (it == by_version.end()) continue;  // published after the first query (no transaction)
    items[it->second].legal_bases.push_back(publishing::readLegalBasis(b));
  }
  return items;
}

void ChangeLogStore::countZeroResult(const std::string& query, std::uint64_t times) {
  conn_.execute(
      "INSERT INTO search_zero_results (query, times) VALUES (?, ?) "
      "ON DUPLICATE KEY UPDATE times = times + VALUES(times), last_seen = CURRENT_TIMESTAMP",
      query, static_cast<std::int64_t>(times));
}

std::uint64_t ChangeLogStore::keepTopZeroResults(std::uint64_t keep) {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM search_zero_results");
  const auto rows = r.next() ? static_cast<std::uint64_t>(r.i64("n")) : 0;
  if (rows <= keep) return 0;
  return conn_.execute("DELETE FROM search_zero_results ORDER BY times ASC, last_seen ASC LIMIT ?",
                       static_cast<std::int64_t>(rows - keep));
}

std::vector<std::pair<std::string, std::uint64_t>> ChangeLogStore::topZeroResults(int limit) {
  db::Rows r = conn_.query(
      "SELECT query, times FROM search_zero_results ORDER BY times DESC, last_seen DESC LIMIT ?",
      limit);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  while (r.next()) out.emplace_back(r.str("query"), static_cast<std::uint64_t>(r.i64("times")));
  return out;
}

}  // namespace portal::indexing
