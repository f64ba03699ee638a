// Every write path of a list item trims its fields by base::trim, the rule the import uses:
// a name typed in the edit form with a full-width space, an NBSP pasted from a web page or a
// BOM is stored as the import would store it, and saving the form untouched stays 无变化.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
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

constexpr const char* kIdeographicSpace = "\xE3\x80\x80";
constexpr const char* kNbsp = "\xC2\xA0";
constexpr const char* kBom = "\xEF\xBB\xBF";

struct Fixture {
  test_support::TestDatabase tdb;
  db::Pool pool{tdb.options()};
  std::string code;
  std::int64_t department_id = 0;
  ListItem item;
  Fixture() {
    portal::demo::loadDemoData(pool);
    auto conn = pool.acquire();
    db::Rows r = conn->query(
        "SELECT department_id, code FROM list_items WHERE status = 'in_force' LIMIT 1");
    if (r.next()) {
      code = r.str("code");
      department_id = r.i64("department_id");
    }
    item = *ItemStore(*conn).findByCode(department_id, code);
  }
  ListItem stored() {
    auto conn = pool.acquire();
    return *ItemStore(*conn).findByCode(department_id, code);
  }
};

TEST(ItemTrim, AFormSaveStoresTheNameAndDutiesTrimmedLikeTheImport) {
  Fixture f;
  ASSERT_FALSE(f.code.empty());
  const std::string name = f.item.name;
  ListItem edited = f.item;
  edited.change_kind = ChangeKind::Amend;
  edited.change_reason = std::string(kIdeographicSpace) + "更正事项名称" + kIdeographicSpace;
  edited.name = std::string(kIdeographicSpace) + name + "（试行）" + kNbsp + kBom;
  edited.responsibilities.push_back(std::string(kIdeographicSpace) + kIdeographicSpace);
  edited.responsibilities.push_back(std::string(" 新增的一项职责") + kIdeographicSpace);

  const auto result = PublishingService(f.pool, hotline::LocalClock().instantSource())
                          .publishChange(f.department_id, f.code, edited, f.item.version);
  ASSERT_TRUE(std::holds_alternative<Published>(result)) << std::get<Refused>(result).errors[0];
  const ListItem now = f.stored();
  EXPECT_EQ(now.name, name + "（试行）");
  EXPECT_EQ(now.change_reason, "更正事项名称");
  ASSERT_EQ(now.responsibilities.size(), f.item.responsibilities.size() + 1);
  EXPECT_EQ(now.responsibilities.back(), "新增的一项职责");

  // The stored values, sent back untouched: nothing changed, no new version.
  ListItem again = now;
  again.change_kind = ChangeKind::Amend;
  again.change_reason = "核对后未作修改";
  const auto second = PublishingService(f.pool, hotline::LocalClock().instantSource())
                          .publishChange(f.department_id, f.code, again, now.version);
  const auto* refused = std::get_if<Refused>(&second);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->status, 422);
  EXPECT_NE(refused->errors[0].find("无变化"), std::string::npos) << refused->errors[0];
}

TEST(ItemTrim, AReasonOfOnlyFullWidthSpacesIsNoReason) {
  Fixture f;
  ListItem edited = f.item;
  edited.change_kind = ChangeKind::Amend;
  edited.supervision_phone = "0431-88886666";
  edited.change_reason = std::string(kIdeographicSpace) + kNbsp + kIdeographicSpace;
  const auto result = PublishingService(f.pool, hotline::LocalClock().instantSource())
                          .publishChange(f.department_id, f.code, edited, f.item.version);
  const auto* refused = std::get_if<Refused>(&result);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(f.stored().version, f.item.version);
}

TEST(ItemTrim, AVersionSavedWithATrailingSpaceBeforeTheRuleIsUnchangedWhenSavedUntouched) {
  Fixture f;
  {
    // A name the edit form stored raw before every write path trimmed.
    db::Connection conn(f.tdb.options());
    conn.execute(
        "UPDATE list_item_versions v JOIN list_items i ON i.id = v.item_id "
        "AND v.version = i.current_version SET v.name = CONCAT(v.name, ?) WHERE i.code = ?",
        std::string(kIdeographicSpace), f.code);
  }
  ListItem shown = f.stored();
  ASSERT_EQ(shown.name, f.item.name + kIdeographicSpace);
  shown.change_kind = ChangeKind::Amend;
  shown.change_reason = "核对后未作修改";
  const auto result = PublishingService(f.pool, hotline::LocalClock().instantSource())
                          .publishChange(f.department_id, f.code, shown, shown.version);
  const auto* refused = std::get_if<Refused>(&result);
  ASSERT_NE(refused, nullptr);
  EXPECT_NE(refused->errors[0].find("无变化"), std::string::npos) << refused->errors[0];
}

}  // namespace
}  // namespace portal::publishing
