#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "db/pool.h"
#include "portal/indexing/change_log_store.h"
#include "tests/support/test_database.h"

namespace {

using portal::indexing::ChangeLogStore;

// The log of queries that found nothing gets a row per distinct query from anonymous
// searches; housekeeping keeps the ones seen most often (then most recently), so random
// strings sent for days cannot grow it without end, and what administrators read survives.
TEST(ZeroResultLog, KeepsTheQueriesSeenMostOften) {
  test_support::TestDatabase tdb;
  db::Pool pool(tdb.options());
  auto conn = pool.acquire();
  ChangeLogStore store(*conn);
  store.countZeroResult("狗叫", 9);
  store.countZeroResult("共享单车乱停", 4);
  conn->execute("INSERT INTO search_zero_results (query, times, last_seen) VALUES (?, 1, NOW() - INTERVAL 3 DAY)",
                std::string("xq7zv"));
  conn->execute("INSERT INTO search_zero_results (query, times, last_seen) VALUES (?, 1, NOW() - INTERVAL 2 DAY)",
                std::string("pp3kd"));
  store.countZeroResult("电动车充电", 1);  // seen once, but today

  EXPECT_EQ(store.keepTopZeroResults(10), 0u);
  EXPECT_EQ(store.keepTopZeroResults(3), 2u);
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"狗叫", 9}, {"共享单车乱停", 4}, {"电动车充电", 1}};
  EXPECT_EQ(store.topZeroResults(10), expected);
}

}  // namespace
