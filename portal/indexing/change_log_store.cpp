#include "portal/indexing/change_log_store.h"

namespace portal::indexing {

std::uint64_t ChangeLogStore::record(const std::string& doc_kind, const std::string& doc_key,
                                     bool remove) {
  conn_.execute("UPDATE search_log_head SET last_seq = last_seq + 1 WHERE id = 1");
  db::Rows r = conn_.query("SELECT last_seq FROM search_log_head WHERE id = 1");
  r.next();
  const auto seq = static_cast<std::uint64_t>(r.i64("last_seq"));
  conn_.execute("INSERT INTO search_changes (seq, doc_kind, doc_key, op) VALUES (?, ?, ?, ?)", seq,
                doc_kind, doc_key, remove ? "remove" : "upsert");
  return seq;
}

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
  while (d.next()) out.emplace_back("department", d.str("slug"));
  db::Rows i = conn_.query("SELECT code FROM list_items ORDER BY id");
  while (i.next()) out.emplace_back("item", i.str("code"));
  return out;
}

void ChangeLogStore::countZeroResult(const std::string& query) {
  conn_.execute(
      "INSERT INTO search_zero_results (query) VALUES (?) "
      "ON DUPLICATE KEY UPDATE times = times + 1, last_seen = CURRENT_TIMESTAMP",
      query);
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
