#include "portal/publishing/import_staging_store.h"

#include "portal/accounts/sql_time.h"

namespace portal::publishing {

void ImportStagingStore::insert(const StagedFile& f) {
  conn_.execute(
      "INSERT INTO import_staging (id, department_id, account_id, byte_size, content, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      f.id, f.department_id, f.account_id, static_cast<std::int64_t>(f.content.size()), f.content,
      accounts::toSqlBeijing(f.created_at), accounts::toSqlBeijing(f.expires_at));
}

std::optional<std::string> ImportStagingStore::find(std::string_view id, std::int64_t department_id,
                                                    std::int64_t account_id,
                                                    accounts::TimePoint now) {
  db::Rows r = conn_.query(
      "SELECT content FROM import_staging WHERE id = ? AND department_id = ? AND account_id = ? "
      "AND expires_at > ?",
      std::string(id), department_id, account_id, accounts::toSqlBeijing(now));
  if (!r.next()) return std::nullopt;
  return r.str("content");
}

std::uint64_t ImportStagingStore::remove(std::string_view id) {
  return conn_.execute("DELETE FROM import_staging WHERE id = ?", std::string(id));
}

std::uint64_t ImportStagingStore::removeOf(std::int64_t department_id, std::int64_t account_id) {
  return conn_.execute("DELETE FROM import_staging WHERE department_id = ? AND account_id = ?",
                       department_id, account_id);
}

std::uint64_t ImportStagingStore::removeExpired(accounts::TimePoint now) {
  return conn_.execute("DELETE FROM import_staging WHERE expires_at <= ?",
                       accounts::toSqlBeijing(now));
}

}  // namespace portal::publishing
