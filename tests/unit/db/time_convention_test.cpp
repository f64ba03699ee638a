// Migration 0029 (docs/time.md): the accounts tables, UTC until then, hold Beijing time after
// it, every value moved exactly once even when the migration is run again after being cut
// short (the runner records a migration only after its last statement).
#include <gtest/gtest.h>

#include <string>

#include "db/connection.h"
#include "db/error.h"
#include "db/migrator.h"
#include "db/sql_script.h"
#include "tests/support/test_database.h"

namespace {

constexpr int kConversion = 29;

void apply(db::Connection& conn, const db::Migration& m) {
  for (const std::string& stmt : db::splitSqlScript(m.sql)) conn.executeRaw(stmt);
}

std::string text(db::Connection& conn, const std::string& sql) {
  db::Rows r = conn.query(sql);
  EXPECT_TRUE(r.next()) << sql;
  return r.str("v");
}

TEST(Migrate, AccountsTimesMoveFromUtcToBeijingTimeOnce) {
  test_support::TestDatabase tdb(false);
  db::Connection conn(tdb.options());
  EXPECT_EQ(db::appliedVersion(conn), 0);
  const db::Migration* conversion = nullptr;
  for (const db::Migration& m : db::knownMigrations()) {
    if (m.version == kConversion) conversion = &m;
    if (m.version >= kConversion) continue;
    apply(conn, m);
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name);
  }
  ASSERT_NE(conversion, nullptr);
  // As the accounts code wrote them before: UTC, with microseconds.
  conn.executeRaw(
      "INSERT INTO accounts (id, username, display_name, password_hash, role, created_at, "
      "password_changed_at) VALUES (1, 'wangli', '王力', 'x', 'admin', "
      "'2025-03-01 02:00:00.123456', '2025-12-31 20:30:00.000001')");
  conn.executeRaw(
      "INSERT INTO sessions (id, account_id, csrf_secret, created_at, last_seen_at, expires_at, "
      "remote_addr, user_agent) VALUES (REPEAT('a', 64), 1, REPEAT('b', 43), "
      "'2025-03-01 02:00:00', '2025-03-01 03:00:00', '2025-03-01 11:00:00.5', '10.0.0.1', 'x')");
  conn.executeRaw(
      "INSERT INTO login_attempts (at, username, remote_addr, outcome) VALUES "
      "('2025-03-01 01:59:59.999999', 'wangli', '10.0.0.1', 'failed')");
  conn.executeRaw(
      "INSERT INTO audit_log (at, username, remote_addr, action, object_type, object_id, summary) "
      "VALUES ('2025-03-01 16:00:00', 'wangli', '10.0.0.1', 'login.success', 'session', '1', "
      "'登录')");

  EXPECT_GE(db::migrate(conn), 1);
  const auto check = [&conn] {
    EXPECT_EQ(text(conn, "SELECT CAST(created_at AS CHAR) AS v FROM accounts"),
              "2025-03-01 10:00:00.123456");
    EXPECT_EQ(text(conn, "SELECT CAST(password_changed_at AS CHAR) AS v FROM accounts"),
              "2026-01-01 04:30:00.000001")
        << "across the end of a year";
    EXPECT_EQ(text(conn, "SELECT CAST(expires_at AS CHAR) AS v FROM sessions"),
              "2025-03-01 19:00:00.500000");
    EXPECT_EQ(text(conn, "SELECT CAST(last_seen_at AS CHAR) AS v FROM sessions"),
              "2025-03-01 11:00:00.000000");
    EXPECT_EQ(text(conn, "SELECT CAST(at AS CHAR) AS v FROM login_attempts"),
              "2025-03-01 09:59:59.999999");
    EXPECT_EQ(text(conn, "SELECT CAST(at AS CHAR) AS v FROM audit_log"),
              "2025-03-02 00:00:00.000000")
        << "16:00 UTC is the next day's midnight in Beijing";
  };
  check();
  // A run cut short after its transaction committed is run again in full: nothing moves twice.
  apply(conn, *conversion);
  check();
  // The audit log is append-only again.
  EXPECT_THROW(conn.executeRaw("UPDATE audit_log SET summary = '篡改'"), db::DbError);
  EXPECT_THROW(conn.executeRaw("DELETE FROM audit_log"), db::DbError);
}

}  // namespace
