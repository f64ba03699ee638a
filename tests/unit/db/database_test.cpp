#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "db/error.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "db/transaction.h"
#include "tests/support/test_database.h"

namespace {

using test_support::TestDatabase;

TEST(Migrate, AppliesEveryMigrationOnceAndRecordsIt) {
  TestDatabase tdb(false);
  db::Connection conn(tdb.options());
  EXPECT_EQ(db::appliedVersion(conn), 0);
  EXPECT_EQ(db::migrate(conn), static_cast<int>(db::knownMigrations().size()));
  EXPECT_EQ(db::appliedVersion(conn), db::latestKnownVersion());
  EXPECT_EQ(db::migrate(conn), 0) << "a second run must apply nothing";
  EXPECT_NO_THROW(db::checkSchema(conn));
  db::Rows r = conn.query("SELECT COUNT(*) AS n FROM schema_migrations");
  r.next();
  EXPECT_EQ(r.i64("n"), static_cast<std::int64_t>(db::knownMigrations().size()));
}

TEST(Migrate, RefusesADatabaseMigratedByANewerBinary) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
               db::latestKnownVersion() + 1, "9999_from_the_future.sql");
  EXPECT_THROW(db::checkSchema(conn), db::DbError);
  EXPECT_THROW(db::migrate(conn), db::DbError);
}

TEST(Migrate, CheckSchemaRefusesAnUnmigratedDatabase) {
  TestDatabase tdb(false);
  db::Connection conn(tdb.options());
  EXPECT_THROW(db::checkSchema(conn), db::DbError);
}

TEST(Connection, ChineseAndFourByteCharactersRoundTrip) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.executeRaw("CREATE TABLE t (s TEXT) CHARACTER SET utf8mb4");
  const std::string text = "对擅自设置大型户外广告的行政处罚 𠮷 😀";
  conn.execute("INSERT INTO t (s) VALUES (?)", text);
  db::Rows r = conn.query("SELECT s FROM t");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.str("s"), text);
}

TEST(Connection, ParametersAreDataNeverSql) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.executeRaw("CREATE TABLE t (s TEXT)");
  const std::string evil = "x'); DROP TABLE t; --";
  conn.execute("INSERT INTO t (s) VALUES (?)", evil);
  db::Rows r = conn.query("SELECT s FROM t WHERE s = ?", evil);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.str("s"), evil);
}

TEST(Connection, NullsAndOptionals) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.executeRaw("CREATE TABLE t (a TEXT NULL, b BIGINT NULL)");
  conn.execute("INSERT INTO t (a, b) VALUES (?, ?)", std::optional<std::string>(),
               std::optional<int>(7));
  db::Rows r = conn.query("SELECT a, b FROM t");
  ASSERT_TRUE(r.next());
  EXPECT_TRUE(r.isNull("a"));
  EXPECT_EQ(r.optStr("a"), std::nullopt);
  EXPECT_EQ(r.i64("b"), 7);
}

TEST(Transaction, RollsBackUnlessCommitted) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.executeRaw("CREATE TABLE t (n INT) ENGINE=InnoDB");
  {
    db::Transaction tx(conn);
    conn.execute("INSERT INTO t (n) VALUES (?)", 1);
  }
  {
    db::Transaction tx(conn);
    conn.execute("INSERT INTO t (n) VALUES (?)", 2);
    tx.commit();
  }
  db::Rows r = conn.query("SELECT n FROM t");
  ASSERT_EQ(r.size(), 1u);
  r.next();
  EXPECT_EQ(r.i64("n"), 2);
}

TEST(Transaction, AnExceptionMidwayLeavesNothingBehind) {
  TestDatabase tdb;
  db::Connection conn(tdb.options());
  conn.executeRaw("CREATE TABLE t (n INT PRIMARY KEY) ENGINE=InnoDB");
  try {
    db::Transaction tx(conn);
    conn.execute("INSERT INTO t (n) VALUES (?)", 1);
    conn.execute("INSERT INTO t (n) VALUES (?)", 1);  // duplicate key
    tx.commit();
    FAIL() << "the duplicate insert should have thrown";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.isDuplicateKey());
  }
  EXPECT_EQ(conn.query("SELECT n FROM t").size(), 0u);
}

TEST(Pool, ReconnectsAfterTheServerDropsTheConnection) {
  TestDatabase tdb;
  db::Pool pool(tdb.options());
  std::int64_t id = 0;
  {
    auto conn = pool.acquire();
    db::Rows r = conn->query("SELECT CONNECTION_ID() AS id");
    r.next();
    id = r.i64("id");
  }
  test_support::adminExecute("KILL " + std::to_string(id));
  // The first use after the kill may fail (that request gets 503); the pool must heal.
  bool healed = false;
  for (int attempt = 0; attempt < 3 && !healed; ++attempt) {
    try {
      auto conn = pool.acquire();
      db::Rows r = conn->query("SELECT 1 AS one");
      healed = r.next() && r.i64("one") == 1;
    } catch (const db::DbError& e) {
      EXPECT_TRUE(e.isUnavailable()) << e.what();
    }
  }
  EXPECT_TRUE(healed);
}

TEST(Pool, NeverHandsOutMoreThanItsCapacity) {
  TestDatabase tdb;
  db::Options o = tdb.options();
  o.pool_size = 2;
  o.acquire_timeout_ms = 100;
  db::Pool pool(o);
  // One lease per thread: a thread holding two is a nested acquire (refused in debug builds).
  auto a = pool.acquire();
  std::promise<void> taken;
  std::promise<void> release;
  std::thread holder([&] {
    auto b = pool.acquire();
    taken.set_value();
    release.get_future().wait();
  });
  taken.get_future().wait();
  std::async(std::launch::async, [&pool] {
    try {
      pool.acquire();
      ADD_FAILURE() << "a third lease should time out";
    } catch (const db::DbError& e) {
      EXPECT_TRUE(e.isUnavailable());
    }
  }).get();
  EXPECT_EQ(pool.stats().in_use, 2);
  release.set_value();
  holder.join();
}

#ifndef NDEBUG
// Eight requests that each hold a connection and ask for a second exhaust a pool of eight and
// wait for each other; debug builds refuse the second at once so tests find every such place.
TEST(Pool, RefusesASecondLeaseOnAThreadThatHoldsOne) {
  TestDatabase tdb;
  db::Pool pool(tdb.options());
  {
    auto held = pool.acquire();
    try {
      pool.acquire();
      FAIL() << "a nested acquire was granted";
    } catch (const db::DbError& e) {
      EXPECT_EQ(e.code(), db::DbError::kNestedAcquire);
    }
    EXPECT_EQ(pool.stats().in_use, 1);
  }
  auto again = pool.acquire();  // released: fine again
  EXPECT_EQ(pool.stats().in_use, 1);
}
#endif

TEST(Pool, ServesManyThreads) {
  TestDatabase tdb;
  db::Options o = tdb.options();
  o.pool_size = 3;
  db::Pool pool(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto conn = pool.acquire();
        db::Rows r = conn->query("SELECT ? + 1 AS n", i);
        if (r.next() && r.i64("n") == i + 1) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_LE(pool.stats().size, 3);
}

}  // namespace
