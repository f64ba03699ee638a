#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
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

namespace {

// Galera failover, with two "nodes" that are two names of the test server's socket: removing
// a name and killing its connections is what a node dying looks like to the pool.
class PoolFailover : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pool-failover-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string real = tdb_.options().socket;
    ASSERT_FALSE(real.empty()) << "the test database is reached through a socket";
    std::filesystem::create_symlink(real, dir_ / "a.sock");
    std::filesystem::create_symlink(real, dir_ / "b.sock");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::int64_t connectionId(db::Pool& pool) {
    auto conn = pool.acquire();
    db::Rows r = conn->query("SELECT CONNECTION_ID() AS id");
    r.next();
    return r.i64("id");
  }

  TestDatabase tdb_;
  std::filesystem::path dir_;
};

TEST_F(PoolFailover, ADeadFirstHostIsSkipped) {
  db::Options o = tdb_.options();
  o.hosts = {(dir_ / "gone.sock").string(), (dir_ / "b.sock").string()};
  db::Pool pool(o);
  EXPECT_GT(connectionId(pool), 0);
  EXPECT_EQ(pool.stats().endpoint, (dir_ / "b.sock").string());
  EXPECT_EQ(pool.stats().failovers, 1);
}

TEST_F(PoolFailover, WhenTheWriterDiesConnectionsMoveToTheNextAndBackWhenItReturns) {
  db::Options o = tdb_.options();
  o.hosts = {(dir_ / "a.sock").string(), (dir_ / "b.sock").string()};
  db::Pool pool(o);
  const std::int64_t id = connectionId(pool);
  EXPECT_EQ(pool.stats().endpoint, (dir_ / "a.sock").string());
  std::filesystem::remove(dir_ / "a.sock");
  test_support::adminExecute("KILL " + std::to_string(id));
  // The next borrower finds its connection dead, cannot reopen it on a, and moves to b.
  EXPECT_GT(connectionId(pool), 0);
  EXPECT_EQ(pool.stats().endpoint, (dir_ / "b.sock").string());
  EXPECT_EQ(pool.stats().failovers, 1);
  // While a is away the check keeps the pool where it is.
  EXPECT_FALSE(pool.checkFailback());
  EXPECT_EQ(pool.stats().endpoint, (dir_ / "b.sock").string());
  // a comes back: at the next check the pool moves back to it (every portal node then writes
  // to the same, first healthy node); connections to b are dropped as they come back.
  const std::int64_t on_b = connectionId(pool);
  std::filesystem::create_symlink(tdb_.options().socket, dir_ / "a.sock");
  EXPECT_TRUE(pool.checkFailback());
  EXPECT_GT(connectionId(pool), 0);
  EXPECT_NE(connectionId(pool), on_b);
  EXPECT_EQ(pool.stats().endpoint, (dir_ / "a.sock").string());
  EXPECT_EQ(pool.stats().failovers, 2);
}

TEST_F(PoolFailover, NoHostAnswersIsAnUnavailableDatabase) {
  db::Options o = tdb_.options();
  o.hosts = {(dir_ / "x.sock").string(), (dir_ / "y.sock").string()};
  db::Pool pool(o);
  try {
    pool.acquire();
    FAIL() << "no node answers";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.isUnavailable()) << e.what();
  }
  EXPECT_EQ(pool.stats().in_use, 0);
}

}  // namespace
