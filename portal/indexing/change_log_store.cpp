#include "portal/indexing/change_log_store.h"

#include <unordered_map>

#include "portal/changes/doc_kind.h"
#include "portal/disclosure/disclosure_store.h"

namespace portal::indexing {

using publishing::ListItem;

namespace {
std::string name(changes::DocKind kind) { return std::string(changes::docKindName(kind)); }
}  // namespace

std::vector<LoggedChange> ChangeLogStore::after(std::uint64_t seq, int limit) {
  db::Rows r = conn_.query(
      "SELECT seq, doc_kind, doc_key, op FROM search_changes WHERE seq > ? ORDER BY seq LIMIT ?",
      seq, limit);
  std::vector<LoggedChange> out;
  while (r.next()) {
    out.push_back(LoggedChange{static_cast<std::uint64_t>(r.i64("seq")), r.str("doc_kind"),
                               r.str("doc_key"), r.str("op") == "remove"});
  }
  return out;
}

std::uint64_t ChangeLogStore::lastSeq() {
  db::Rows r = conn_.query("SELECT last_seq FROM search_log_head WHERE id = 1");
  r.next();
  return static_cast<std::uint64_t>(r.i64("last_seq"));
}

std::vector<std::pair<std::string, std::string>> ChangeLogStore::allDocumentKeys() {
  std::vector<std::pair<std::string, std::string>> out;
  db::Rows d = conn_.query("SELECT slug FROM departments ORDER BY id");
  while (d.next()) out.emplace_back(name(changes::DocKind::Department), d.str("slug"));
  db::Rows i = conn_.query("SELECT department_id, code FROM list_items ORDER BY id");
  while (i.next()) {
    out.emplace_back(name(changes::DocKind::Item),
                     publishing::itemDocKey(i.i64("department_id"), i.str("code")));
  }
  db::Rows decisions = conn_.query(
      "SELECT id FROM enforcement_decisions WHERE state = 'published' AND retired_at IS NULL "
      "ORDER BY id");
  while (decisions.next()) out.emplace_back(name(changes::DocKind::Decision), decisions.str("id"));
  db::Rows o = conn_.query("SELECT id FROM officers WHERE active = 1 ORDER BY id");
  while (o.next()) out.emplace_back(name(changes::DocKind::Officer), o.str("id"));
  for (auto& key : disclosure::DisclosureStore(conn_).publishedKeys()) {
    out.emplace_back(name(changes::DocKind::Disclosure), std::move(key));
  }
  return out;
}

std::vector<ListItem> ChangeLogStore::currentItemsAfter(std::int64_t after_id, int limit) {
  db::Rows r = conn_.query(
      "SELECT i.id, i.code, i.department_id, v.id AS version_id, v.version, v.name, "
      "v.item_type, v.sub_items, v.implementing_body, v.exercise_level, v.responsibilities, "
      "v.accountability, v.supervision_phone, v.remarks, v.status, "
      "DATE_FORMAT(v.effective_date, '%Y-%m-%d') AS effective, v.change_kind, v.change_reason, "
      "v.legal_trigger, DATE_FORMAT(v.published_at, '%Y-%m-%d %H:%i:%s') AS published "
      "FROM list_items i JOIN list_item_versions v "
      "ON v.item_id = i.id AND v.version = i.current_version "
      "WHERE i.id > ? ORDER BY i.id LIMIT ?",
      after_id, limit);
  std::vector<ListItem> items;
  std::unordered_map<std::int64_t, std::size_t> by_version;
  while (r.next()) {
    ListItem item;
    item.id = r.i64("id");
    item.code = r.str("code");
    item.department_id = r.i64("department_id");
    item.version = static_cast<int>(r.i64("version"));
    item.name = r.str("name");
    item.type = r.str("item_type");
    item.sub_items = publishing::splitLines(r.str("sub_items"));
    item.implementing_body = r.str("implementing_body");
    item.level = r.str("exercise_level");
    item.responsibilities = publishing::splitLines(r.str("responsibilities"));
    item.accountability = publishing::splitLines(r.str("accountability"));
    item.supervision_phone = r.str("supervision_phone");
    item.remarks = r.str("remarks");
    item.status =
        publishing::parseStatus(r.str("status")).value_or(publishing::ItemStatus::InForce);
    item.effective_date = r.str("effective");
    item.change_kind =
        publishing::parseChangeKind(r.str("change_kind")).value_or(publishing::ChangeKind::Create);
    item.change_reason = r.str("change_reason");
    item.legal_trigger = r.str("legal_trigger");
    item.published_at = r.str("published");
    by_version.emplace(r.i64("version_id"), items.size());
    items.push_back(std::move(item));
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
    items[it->second].legal_bases.push_back(
        publishing::LegalBasis{b.str("law_name"), b.str("article"), b.str("provision"),
                               b.str("as_written")});
  }
  return items;
}

void ChangeLogStore::countZeroResult(const std::string& query, std::uint64_t times) {
  conn_.execute(
      "INSERT INTO search_zero_results (query, times) VALUES (?, ?) "
      "ON DUPLICATE KEY UPDATE times = times + VALUES(times), last_seen = CURRENT_TIMESTAMP",
      query, static_cast<std::int64_t>(times));
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
