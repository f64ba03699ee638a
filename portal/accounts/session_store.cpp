#include "portal/accounts/session_store.h"

#include "portal/accounts/sql_time.h"

namespace portal::accounts {

void SessionStore::insert(const NewSession& s) {
  conn_.execute(
      "INSERT INTO sessions (id, account_id, csrf_secret, created_at, last_seen_at, expires_at, "
      "remote_addr, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      s.id, s.account_id, s.csrf_secret, toSqlBeijing(s.created_at), toSqlBeijing(s.created_at),
      toSqlBeijing(s.expires_at), s.remote_addr, s.user_agent);
}

std::optional<StoredSession> SessionStore::find(const std::string& id) {
  db::Rows r = conn_.query(
      "SELECT s.id, s.csrf_secret, s.created_at, s.last_seen_at, s.expires_at, a.id AS account_id, "
      "a.username, a.display_name, a.role, a.department_id, a.active, "
      "a.created_at AS account_created_at, a.password_changed_at "
      "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?",
      id);
  if (!r.next()) return std::nullopt;
  StoredSession s;
  s.id = r.str("id");
  s.csrf_secret = r.str("csrf_secret");
  s.created_at = fromSqlBeijing(r.str("created_at"));
  s.last_seen_at = fromSqlBeijing(r.str("last_seen_at"));
  s.expires_at = fromSqlBeijing(r.str("expires_at"));
  s.account.id = r.i64("account_id");
  s.account.username = r.str("username");
  s.account.display_name = r.str("display_name");
  s.account.role = parseRole(r.str("role")).value_or(Role::Editor);
  s.account.department_id = r.optI64("department_id");
  s.account.active = r.i64("active") != 0;
  s.account.created_at = fromSqlBeijing(r.str("account_created_at"));
  s.account.password_changed_at = fromSqlBeijing(r.str("password_changed_at"));
  return s;
}

void SessionStore::touch(const std::string& id, TimePoint last_seen_at, TimePoint expires_at) {
  conn_.execute("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?",
                toSqlBeijing(last_seen_at), toSqlBeijing(expires_at), id);
}

void SessionStore::remove(const std::string& id) {
  conn_.execute("DELETE FROM sessions WHERE id = ?", id);
}

void SessionStore::removeAllOf(std::int64_t account_id) {
  conn_.execute("DELETE FROM sessions WHERE account_id = ?", account_id);
}

std::uint64_t SessionStore::removeExpired(TimePoint now) {
  return conn_.execute("DELETE FROM sessions WHERE expires_at <= ?", toSqlBeijing(now));
}

}  // namespace portal::accounts
