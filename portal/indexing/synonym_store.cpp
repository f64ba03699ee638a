#include "portal/indexing/synonym_store.h"

namespace portal::indexing {

std::uint64_t SynonymStore::version() {
  db::Rows r = conn_.query("SELECT version FROM search_synonyms_version WHERE id = 1");
  return r.next() ? static_cast<std::uint64_t>(r.i64("version")) : 0;
}

std::vector<SynonymEntry> SynonymStore::all() {
  db::Rows r = conn_.query(
      "SELECT plain, formal, updated_by, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i') AS at "
      "FROM search_synonyms ORDER BY plain");
  std::vector<SynonymEntry> out;
  while (r.next()) {
    out.push_back(SynonymEntry{r.str("plain"), r.str("formal"), r.str("updated_by"), r.str("at")});
  }
  return out;
}

void SynonymStore::save(const std::string& plain, const std::string& formal,
                        const std::string& by) {
  conn_.execute(
      "INSERT INTO search_synonyms (plain, formal, updated_by) VALUES (?, ?, ?) "
      "ON DUPLICATE KEY UPDATE formal = VALUES(formal), updated_by = VALUES(updated_by), "
      "updated_at = CURRENT_TIMESTAMP",
      plain, formal, by);
  bump();
}

bool SynonymStore::remove(const std::string& plain) {
  const bool removed = conn_.execute("DELETE FROM search_synonyms WHERE plain = ?", plain) > 0;
  if (removed) bump();
  return removed;
}

void SynonymStore::bump() {
  conn_.execute("UPDATE search_synonyms_version SET version = version + 1 WHERE id = 1");
}

}  // namespace portal::indexing
