#include "portal/accounts/audit_store.h"

#include <algorithm>

#include "portal/accounts/sql_time.h"

#include "base/utf8.h"

namespace portal::accounts {

AuditEntry auditEntryFor(const Actor& actor) {
  AuditEntry e;
  e.account_id = actor.accountId();
  e.username = actor.username();
  e.remote_addr = actor.remote_addr;
  return e;
}

std::int64_t AuditStore::append(const AuditEntry& e) {
  const TimePoint at = e.at ? *e.at : clock_();
  conn_.execute(
      "INSERT INTO audit_log (at, account_id, username, remote_addr, action, department_id, "
      "object_type, object_id, summary, before_json, after_json) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      toSqlBeijing(at), e.account_id, utf8Truncate(e.username, 64), utf8Truncate(e.remote_addr, 64),
      utf8Truncate(e.action, 64), e.department_id, utf8Truncate(e.object_type, 32),
      utf8Truncate(e.object_id, 64), std::string(base::utf8Prefix(e.summary, 500)), e.before_json, e.after_json);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

base::Page<AuditRecord> AuditStore::query(db::Connection& conn, const AuditFilter& f) {
  base::Page<AuditRecord> page;
  page.page = std::max(1, f.page);
  page.page_size = std::clamp(f.page_size, 1, 200);
  const std::optional<std::string> from =
      f.from ? std::optional(toSqlBeijing(*f.from)) : std::nullopt;
  const std::optional<std::string> until =
      f.until ? std::optional(toSqlBeijing(*f.until)) : std::nullopt;
  constexpr const char* kWhere =
      "WHERE (? IS NULL OR account_id = ?) AND (? IS NULL OR department_id = ?) "
      "AND (? IS NULL OR action = ?) AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?) ";
  db::Rows c = conn.query(std::string("SELECT COUNT(*) AS n FROM audit_log ") + kWhere,
                           f.account_id, f.account_id, f.department_id, f.department_id, f.action,
                           f.action, from, from, until, until);
  c.next();
  page.total = c.i64("n");
  const std::int64_t offset = static_cast<std::int64_t>(page.page - 1) * page.page_size;
  db::Rows r = conn.query(
      std::string("SELECT id, at, account_id, username, remote_addr, action, department_id, "
                  "object_type, object_id, summary, before_json, after_json FROM audit_log ") +
          kWhere + "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
      f.account_id, f.account_id, f.department_id, f.department_id, f.action, f.action, from, from,
      until, until, page.page_size, offset);
  while (r.next()) {
    AuditRecord a;
    a.id = r.i64("id");
    a.at = fromSqlBeijing(r.str("at"));
    a.account_id = r.optI64("account_id");
    a.username = r.str("username");
    a.remote_addr = r.str("remote_addr");
    a.action = r.str("action");
    a.department_id = r.optI64("department_id");
    a.object_type = r.str("object_type");
    a.object_id = r.str("object_id");
    a.summary = r.str("summary");
    a.before_json = r.optStr("before_json");
    a.after_json = r.optStr("after_json");
    page.rows.push_back(std::move(a));
  }
  return page;
}

std::map<std::int64_t, TimePoint> AuditStore::lastLogins(db::Connection& conn) {
  std::map<std::int64_t, TimePoint> last;
  db::Rows r = conn.query(
      "SELECT account_id, MAX(at) AS at FROM audit_log WHERE action = ? AND account_id IS NOT NULL "
      "GROUP BY account_id",
      std::string("login.success"));
  while (r.next()) last.emplace(r.i64("account_id"), fromSqlBeijing(r.str("at")));
  return last;
}

}  // namespace portal::accounts
