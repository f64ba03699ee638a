// Publishing a change to a list item while another transaction holds the item's row lock
// longer than the lock-wait timeout (issue 13: deadlocks and lock waits are retried where the
// write is safe to repeat).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <variant>

#include "db/connection.h"
#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/demo/demo_data.h"
#include "portal/publishing/item_store.h"
#include "portal/publishing/publishing_service.h"
#include "tests/support/test_database.h"

namespace portal::publishing {
namespace {

TEST(PublishingRetry, AChangeThatTimesOutWaitingForTheItemsLockIsPublishedOnceAfterARetry) {
  test_support::TestDatabase tdb;
  db::Options o = tdb.options();
  o.lock_wait_timeout_s = 1;
  db::Pool pool(o);
  portal::demo::loadDemoData(pool);
  std::string code;
  std::int64_t department_id = 0;
  ListItem item;
  {
    auto conn = pool.acquire();
    db::Rows r =
        conn->query("SELECT department_id, code FROM list_items WHERE status = 'in_force' LIMIT 1");
    ASSERT_TRUE(r.next());
    code = r.str("code");
    department_id = r.i64("department_id");
    item = *ItemStore(*conn).findByCode(department_id, code);
  }
  const int before = item.version;
  item.change_kind = ChangeKind::Amend;
  item.change_reason = "根据机构职能调整修改监督电话";
  item.supervision_phone = "0431-88886666";

  db::Connection blocker(tdb.options());
  blocker.executeRaw("START TRANSACTION");
  blocker.query("SELECT id FROM list_items WHERE code = ? FOR UPDATE", code);
  PublishResult result;
  std::thread editor([&] {
    result = PublishingService(pool, hotline::LocalClock().instantSource())
                 .publishChange(department_id, code, item, before);
  });
  // Longer than one lock-wait timeout: the editor's first attempt fails with 1205.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  blocker.executeRaw("COMMIT");
  editor.join();

  const auto* published = std::get_if<Published>(&result);
  ASSERT_NE(published, nullptr) << std::get<Refused>(result).errors.front();
  EXPECT_EQ(published->version, before + 1);
  auto conn = pool.acquire();
  EXPECT_EQ(ItemStore(*conn).findByCode(department_id, code)->supervision_phone, "0431-88886666");
  db::Rows n = conn->query(
      "SELECT COUNT(*) AS n FROM list_item_versions v JOIN list_items i ON i.id = v.item_id "
      "WHERE i.code = ?",
      code);
  ASSERT_TRUE(n.next());
  EXPECT_EQ(n.i64("n"), before + 1);  // one version per publish: the retry added no second
}

}  // namespace
}  // namespace portal::publishing
