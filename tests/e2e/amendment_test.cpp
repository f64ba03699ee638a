// Amendment impact (issue 11, item 7): the legal office enters a law that was amended, sees
// every item of every department citing it with the articles, flags them in one audited
// action; a flagged item shows 依据已修订，待更新 on its public page and in the API until its
// department publishes a change. Real server, real MariaDB.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "hotline/local_clock.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/legal_basis.h"
#include "portal/publishing/publishing_service.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

constexpr const char* kNotice = "依据已修订，待更新";

class AmendmentImpact : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.server.max_request_bytes = 1 << 20;
    portal_ = new e2e::RunningPortal(config);
    e2e::createStaff(*portal_, "legal", "reviewer");
    e2e::createStaff(*portal_, "editor_zhzf", "editor", "zhzf");
    // A fourth item, in another department, that cites the law the way many published lists
    // do: the short title with an edition note and an Arabic article number.
    portal::publishing::CatalogService catalog(portal_->app().pool());
    portal::publishing::ListItem item;
    item.code = "CF-STHJ-0901";
    item.department_id = catalog.department("sthj")->id;
    item.name = "对拒不执行停产整治决定的行政处罚";
    item.type = "cf";
    item.legal_bases =
        portal::publishing::parseLegalBasisCell("《行政处罚法》（2021年修订）第28条");
    item.effective_date = "2026-01-01";
    item.change_reason = "测试数据";
    auto created = portal::publishing::PublishingService(portal_->app().pool(),
                                                         hotline::LocalClock().instantSource())
                       .create(item);
    ASSERT_TRUE(std::holds_alternative<portal::publishing::Published>(created));
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }
  static std::int64_t count(const std::string& sql) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(sql);
    r.next();
    return r.i64("n");
  }
  static std::string itemId(const std::string& code) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query("SELECT id FROM list_items WHERE code = ?", code);
    EXPECT_TRUE(r.next()) << code;
    return r.str("id");
  }
  // The search key of the (one) demo item with `code`: "<department id>/<code>".
  static std::string docKey(const std::string& code) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query("SELECT department_id FROM list_items WHERE code = ?", code);
    EXPECT_TRUE(r.next()) << code;
    return portal::publishing::itemDocKey(r.i64("department_id"), code);
  }
  // The item's page, reached from its department-less address (one department has the code).
  static std::string publicPage(const std::string& code) {
    auto moved = portal_->client().Get(("/items/" + code).c_str());
    EXPECT_TRUE(moved);
    if (!moved) return "";
    EXPECT_EQ(moved->status, 301);
    auto r = portal_->client().Get(moved->get_header_value("Location").c_str());
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    return r ? r->body : "";
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* AmendmentImpact::database_ = nullptr;
e2e::RunningPortal* AmendmentImpact::portal_ = nullptr;

TEST_F(AmendmentImpact, OnlyTheLegalOfficeMaySeeOrFlag) {
  const std::string raw =
      e2e::rawExchange(portal_->port(), "GET /admin/amendments HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(raw), 303);  // to the login page
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto page = editor.get("/admin/amendments?law=" + percentEncode("《行政处罚法》"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 403);
  auto post = editor.post("/admin/amendments", "law=" + percentEncode("《行政处罚法》") +
                                                   "&kind=amended&reason=x&item=" +
                                                   itemId("QZ-ZHZF-0002"));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_item_basis_flags"), 0);
  auto home = editor.get("/admin");
  EXPECT_EQ(home->body.find("/admin/amendments"), std::string::npos);
}

TEST_F(AmendmentImpact, ListsEveryCitingItemFlagsThemAndTheFlagClearsOnTheNextVersion) {
  e2e::StaffBrowser legal(*portal_);
  ASSERT_EQ(legal.login("legal"), 303);
  EXPECT_NE(legal.get("/admin")->body.find("/admin/amendments"), std::string::npos);

  // The title as people write it after an amendment, and the short form: the same listing.
  const std::string title = "《中华人民共和国行政处罚法》（2021年修订）";
  auto listing = legal.get("/admin/amendments?law=" + percentEncode(title));
  ASSERT_TRUE(listing);
  ASSERT_EQ(listing->status, 200);
  const std::string& body = listing->body;
  for (const char* code : {"QZ-ZHZF-0002", "QT-GWB-0002", "QT-ZYS-0002", "CF-STHJ-0901"}) {
    EXPECT_NE(body.find(code), std::string::npos) << code;
  }
  EXPECT_NE(body.find("共 4 项，涉及 4 个部门"), std::string::npos) << body;
  EXPECT_NE(body.find("第七十二条"), std::string::npos);  // the articles cited
  EXPECT_NE(body.find("第七十五条"), std::string::npos);
  EXPECT_NE(body.find("第28条"), std::string::npos);
  EXPECT_EQ(body.find("CF-ZHZF-0003"), std::string::npos);  // cites another law only
  auto short_form = legal.get("/admin/amendments?law=" + percentEncode("行政处罚法"));
  EXPECT_NE(short_form->body.find("共 4 项，涉及 4 个部门"), std::string::npos);

  // Refused without a token or a reason, and nothing written.
  const std::string items = "&item=" + itemId("QZ-ZHZF-0002") + "&item=" +
                            itemId("QT-GWB-0002") + "&item=" + itemId("CF-STHJ-0901");
  auto no_csrf = legal.post("/admin/amendments",
                            "law=" + percentEncode(title) + "&kind=amended&reason=x" + items,
                            /*with_csrf=*/false);
  EXPECT_EQ(no_csrf->status, 403);
  auto no_reason =
      legal.post("/admin/amendments", "law=" + percentEncode(title) + "&kind=amended&reason=" + items);
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_NE(no_reason->body.find("请填写标记理由"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM law_amendments"), 0);

  // Flag three of the four in one action (QT-ZYS-0002 left out).
  const std::string reason = "2021年修订，第七十二条等条文序号和内容调整，自2021年7月15日起施行";
  auto flagged = legal.post("/admin/amendments", "law=" + percentEncode(title) +
                                                     "&kind=amended&reason=" +
                                                     percentEncode(reason) + items);
  ASSERT_TRUE(flagged);
  ASSERT_EQ(flagged->status, 303);
  const std::string location = flagged->get_header_value("Location");
  EXPECT_EQ(location.rfind("/admin/amendments/", 0), 0u) << location;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_item_basis_flags"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'law_amendment.flag'"), 1);
  auto record = legal.get(location);
  ASSERT_EQ(record->status, 200);
  EXPECT_NE(record->body.find("已标记 3 个事项"), std::string::npos);
  EXPECT_NE(record->body.find(reason), std::string::npos);

  for (const char* code : {"QZ-ZHZF-0002", "QT-GWB-0002", "CF-STHJ-0901"}) {
    EXPECT_NE(publicPage(code).find(kNotice), std::string::npos) << code;
  }
  EXPECT_EQ(publicPage("QT-ZYS-0002").find(kNotice), std::string::npos);
  EXPECT_EQ(publicPage("QZ-ZHZF-0002").find(reason), std::string::npos);  // internal reason
  auto api = portal_->client().Get("/api/v1/items/QT-GWB-0002");
  ASSERT_EQ(api->status, 200);
  const json item = json::parse(api->body);
  EXPECT_TRUE(item["basis_amended"].get<bool>());
  EXPECT_EQ(item["basis_flags"][0]["notice"], kNotice);
  EXPECT_EQ(item["basis_flags"][0]["articles"][0], "第七十五条");
  EXPECT_EQ(item["basis_flags"][0]["law"], "《中华人民共和国行政处罚法》");
  // What search hits show (basis_notice): the flagged items' notice, nothing for the others.
  portal::publishing::CatalogService catalog(portal_->app().pool());
  const auto notices = catalog.basisNotices();
  EXPECT_EQ(notices.count(docKey("QT-ZYS-0002")), 0u);
  EXPECT_EQ(notices.at(docKey("QT-GWB-0002")), kNotice);
  EXPECT_EQ(notices.count(docKey("CF-STHJ-0901")), 1u);
  // A search hit for the item carries it too, within the search pages' read interval (2 s).
  const auto noticeInSearch = [&](const std::string& code) {
    auto r = portal_->client().Get(("/api/v1/search?q=" + code).c_str());
    if (!r || r->status != 200) return std::string("HTTP error");
    const json body = json::parse(r->body);
    for (const auto& h : body["hits"]) {
      if (h.value("id", "") == "item:" + docKey(code)) return h.value("basis_notice", std::string());
    }
    return std::string("no hit");
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::string shown = noticeInSearch("QT-GWB-0002");
  while (shown != kNotice && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    shown = noticeInSearch("QT-GWB-0002");
  }
  EXPECT_EQ(shown, kNotice);
  EXPECT_EQ(noticeInSearch("QT-ZYS-0002"), "");

  // The department's editor sees the flag where the item is edited, publishes a change: its
  // flag clears, the others stay.
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto form = editor.get("/admin/items/zhzf/QZ-ZHZF-0002/edit");
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find(kNotice), std::string::npos);
  EXPECT_NE(form->body.find("第七十二条"), std::string::npos);
  auto saved = editor.post(
      "/admin/items/zhzf/QZ-ZHZF-0002",
      "name=" + percentEncode("对违法所得、非法财物的没收") + "&type=qz&implementing_body=" +
          percentEncode("新区综合行政执法局") + "&level=" + percentEncode("区级") +
          "&legal_bases=" + percentEncode("《中华人民共和国行政处罚法》第七十四条") +
          "&responsibilities=&accountability=&supervision_phone=&remarks=&effective_date=2026-12-01"
          "&change_kind=amend&expected_version=1&change_reason=" +
          percentEncode("依据行政处罚法2021年修订更新条文") + "&legal_trigger=");
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(publicPage("QZ-ZHZF-0002").find(kNotice), std::string::npos);
  EXPECT_NE(publicPage("QT-GWB-0002").find(kNotice), std::string::npos);
  EXPECT_EQ(catalog.basisNotices().count(docKey("QZ-ZHZF-0002")), 0u);
  record = legal.get(location);
  EXPECT_NE(record->body.find("已更新（现为第 2 版）"), std::string::npos);
  EXPECT_NE(record->body.find("其中仍待更新 2 项"), std::string::npos);
}

TEST_F(AmendmentImpact, ATitleThatNamesNoLawIsRefusedInChinese) {
  e2e::StaffBrowser legal(*portal_);
  ASSERT_EQ(legal.login("legal"), 303);
  auto r = legal.get("/admin/amendments?law=" + percentEncode("《》"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("没有识别出法律法规名称"), std::string::npos);
  auto none = legal.get("/admin/amendments?law=" + percentEncode("《不存在的条例》"));
  EXPECT_EQ(none->status, 200);
  EXPECT_NE(none->body.find("没有事项的现行版本引用《不存在的条例》"), std::string::npos);
}

}  // namespace
