#include "portal/accounts/account_store.h"

#include "portal/accounts/sql_time.h"

namespace portal::accounts {

namespace {
constexpr const char* kColumns =
    "SELECT id, username, display_name, password_hash, role, department_id, active, "
    "created_at, password_changed_at FROM accounts ";

StoredAccount fromRow(const db::Rows& r) {
  StoredAccount s;
  s.account.id = r.i64("id");
  s.account.username = r.str("username");
  s.account.display_name = r.str("display_name");
  s.account.role = parseRole(r.str("role")).value_or(Role::Editor);
  s.account.department_id = r.optI64("department_id");
  s.account.active = r.i64("active") != 0;
  s.account.created_at = fromSqlBeijing(r.str("created_at"));
  s.account.password_changed_at = fromSqlBeijing(r.str("password_changed_at"));
  s.password_hash = r.str("password_hash");
  return s;
}

std::optional<StoredAccount> first(db::Rows r) {
  if (!r.next()) return std::nullopt;
  return fromRow(r);
}
}  // namespace

std::int64_t AccountStore::insert(const Account& a, const std::string& password_hash) {
  conn_.execute(
      "INSERT INTO accounts (username, display_name, password_hash, role, department_id, active, "
      "created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      a.username, a.display_name, password_hash, std::string(roleCode(a.role)), a.department_id,
      a.active, toSqlBeijing(a.created_at), toSqlBeijing(a.password_changed_at));
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

std::optional<StoredAccount> AccountStore::findById(std::int64_t id) {
  return first(conn_.query(std::string(kColumns) + "WHERE id = ?", id));
}

std::optional<StoredAccount> AccountStore::findByUsername(const std::string& username) {
  return first(conn_.query(std::string(kColumns) + "WHERE username = ?", username));
}

bool AccountStore::departmentExists(std::int64_t department_id) {
  return conn_.query("SELECT 1 AS found FROM departments WHERE id = ?", department_id).next();
}

std::optional<StoredAccount> AccountStore::lockById(std::int64_t id) {
  return first(conn_.query(std::string(kColumns) + "WHERE id = ? FOR UPDATE", id));
}

std::vector<Account> AccountStore::list() {
  db::Rows r = conn_.query(std::string(kColumns) + "ORDER BY active DESC, username");
  std::vector<Account> out;
  while (r.next()) out.push_back(fromRow(r).account);
  return out;
}

void AccountStore::updatePassword(std::int64_t id, const std::string& password_hash,
                                  TimePoint changed_at) {
  conn_.execute("UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                password_hash, toSqlBeijing(changed_at), id);
}

void AccountStore::rehash(std::int64_t id, const std::string& password_hash) {
  conn_.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", password_hash, id);
}

void AccountStore::setActive(std::int64_t id, bool active) {
  conn_.execute("UPDATE accounts SET active = ? WHERE id = ?", active, id);
}

std::int64_t AccountStore::count() {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM accounts");
  r.next();
  return r.i64("n");
}

}  // namespace portal::accounts
