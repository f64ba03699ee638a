#include "db/retry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace {

struct Rule {
  int code;
  bool on_conflicts;
  bool on_lost_connections;
};

// The retry rules, one row per error a write can meet.
TEST(RetryRules, WhichErrorsAreRetriedUnderWhichPolicy) {
  const Rule rules[] = {
      {1213, true, true},   // deadlock, or a Galera certification failure
      {1205, true, true},   // lock wait timeout
      {1047, true, true},   // Galera node not in the primary component (nothing ran)
      {2006, false, true},  // server has gone away: the COMMIT's outcome is unknown
      {2013, false, true},  // lost connection during query
      {2002, false, true},  // cannot connect (the write node died)
      {2003, false, true},
      {db::DbError::kConnectFailed, false, true},
      {1062, false, false},  // duplicate key: a real answer, not a transient failure
      {1064, false, false},  // SQL syntax: a bug
      {db::DbError::kPoolExhausted, false, false},  // overload: retrying makes it worse
      {db::DbError::kWrongThread, false, false},
      {0, false, false},
  };
  for (const Rule& r : rules) {
    const db::DbError e("x", r.code);
    EXPECT_EQ(db::isRetryable(e, db::RetryOn::Conflicts), r.on_conflicts) << r.code;
    EXPECT_EQ(db::isRetryable(e, db::RetryOn::ConflictsAndLostConnections), r.on_lost_connections)
        << r.code;
  }
}

TEST(RetryRules, DelaysDoubleUpToTheCap) {
  db::RetryPolicy p;
  p.first_delay = std::chrono::milliseconds(20);
  p.max_delay = std::chrono::milliseconds(100);
  EXPECT_EQ(db::retryDelay(p, 2).count(), 20);
  EXPECT_EQ(db::retryDelay(p, 3).count(), 40);
  EXPECT_EQ(db::retryDelay(p, 4).count(), 80);
  EXPECT_EQ(db::retryDelay(p, 5).count(), 100);
  EXPECT_EQ(db::retryDelay(p, 30).count(), 100);
}

TEST(WithRetry, ADeadlockedAttemptRunsAgainAndItsResultComesBack) {
  int calls = 0;
  std::vector<long> slept;
  const int v = db::withRetry(
      [&] {
        if (++calls < 3) throw db::DbError("Deadlock found", 1213);
        return 42;
      },
      db::RetryPolicy{}, [&](std::chrono::milliseconds d) { slept.push_back(d.count()); });
  EXPECT_EQ(v, 42);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(slept, (std::vector<long>{20, 40}));
}

TEST(WithRetry, GivesUpAfterMaxAttemptsWithTheLastError) {
  int calls = 0;
  db::RetryPolicy p;
  p.max_attempts = 3;
  try {
    db::withRetry(
        [&]() -> int {
          ++calls;
          throw db::DbError("lock wait", 1205);
        },
        p, [](std::chrono::milliseconds) {});
    FAIL() << "no error";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.code(), 1205);
  }
  EXPECT_EQ(calls, 3);
}

TEST(WithRetry, ALostConnectionIsRetriedOnlyWhenTheWriteIsIdempotent) {
  int calls = 0;
  EXPECT_THROW(db::withRetry(
                   [&]() -> int {
                     ++calls;
                     throw db::DbError("gone away", 2006);
                   },
                   db::RetryPolicy{}, [](std::chrono::milliseconds) {}),
               db::DbError);
  EXPECT_EQ(calls, 1) << "a write whose COMMIT may have happened must not run twice";
  calls = 0;
  db::RetryPolicy idempotent;
  idempotent.on = db::RetryOn::ConflictsAndLostConnections;
  EXPECT_EQ(db::withRetry(
                [&] {
                  if (++calls == 1) throw db::DbError("gone away", 2006);
                  return 7;
                },
                idempotent, [](std::chrono::milliseconds) {}),
            7);
  EXPECT_EQ(calls, 2);
}

TEST(WithRetry, OtherFailuresPassAtOnce) {
  int calls = 0;
  EXPECT_THROW(db::withRetry([&]() -> int {
                 ++calls;
                 throw db::DbError("dup", 1062);
               }),
               db::DbError);
  EXPECT_THROW(db::withRetry([&]() -> int {
                 ++calls;
                 throw std::logic_error("bug");
               }),
               std::logic_error);
  EXPECT_EQ(calls, 2);
}

}  // namespace
