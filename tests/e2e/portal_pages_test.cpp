// The public pages and JSON API, against the real server and MariaDB with the demo data.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/connection.h"
#include "portal/changes/change_log_writer.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;

class PortalPages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal_ = new e2e::RunningPortal(e2e::testConfig(database_->options()));
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }
  static httplib::Result get(const std::string& path) {
    return portal_->client().Get(path.c_str());
  }
  static bool contains(const std::string& body, const std::string& text) {
    return body.find(text) != std::string::npos;
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* PortalPages::database_ = nullptr;
e2e::RunningPortal* PortalPages::portal_ = nullptr;

TEST_F(PortalPages, HomeListsEveryDepartmentWithCountsAndHotline) {
  auto r = get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(contains(r->body, "新区综合行政执法局"));
  EXPECT_TRUE(contains(r->body, "新区政研室（法制办）"));
  EXPECT_TRUE(contains(r->body, "0431-81912345"));
  EXPECT_TRUE(
      contains(r->body, "共 <strong>10</strong> 个部门，<strong>87</strong> 项有效权力事项"));
}

TEST_F(PortalPages, DepartmentPageFiltersByTypeAndStatus) {
  auto all = get("/departments/scjg");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 200);
  EXPECT_TRUE(contains(all->body, "食品经营许可"));
  EXPECT_TRUE(contains(all->body, "共 18 项"));

  auto penalties = get("/departments/scjg?type=cf");
  ASSERT_TRUE(penalties);
  EXPECT_EQ(penalties->status, 200);
  EXPECT_TRUE(contains(penalties->body, "CF-SCJG-0001"));
  EXPECT_FALSE(contains(penalties->body, "XK-SCJG-0001")) << "a licence is not a penalty";

  auto by_name = get("/departments/scjg?type=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A");  // 行政处罚
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->status, 200);
  EXPECT_TRUE(contains(by_name->body, "CF-SCJG-0001"));

  auto cancelled = get("/departments/scjg?status=cancelled");
  ASSERT_TRUE(cancelled);
  EXPECT_TRUE(contains(cancelled->body, "XK-SCJG-0002"));
  EXPECT_TRUE(contains(cancelled->body, "共 1 项"));
  EXPECT_FALSE(contains(cancelled->body, "CF-SCJG-0001"));
}

TEST_F(PortalPages, ResponsibilityListShowsDutiesAndAccountability) {
  auto r = get("/departments/zhzf?list=responsibility");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(contains(r->body, "主要职责"));
  EXPECT_TRUE(contains(r->body, "责任事项"));
  EXPECT_TRUE(contains(r->body, "追责情形"));
  EXPECT_TRUE(contains(r->body, "对擅自设置大型户外广告的行政处罚"));
  EXPECT_FALSE(contains(r->body, "CF-ZHZF-0011")) << "a delegated power carries no duty here";
}

TEST_F(PortalPages, ItemPageShowsEveryFieldAndItsLegalBases) {
  auto r = get("/items/zhzf/CF-ZHZF-0001");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  for (const char* text :
       {"对擅自设置大型户外广告的行政处罚", "行政处罚", "实施主体", "新区综合行政执法局",
        "行使层级", "设定依据", "《城市市容和环境卫生管理条例》", "第十一条", "责任事项",
        "追责情形", "监督电话", "生效日期", "第 1 版"}) {
    EXPECT_TRUE(contains(r->body, text)) << text;
  }
}

// Lists number their 追责情形 themselves ("2.对不符合法定条件的申请人准予许可…"): the page shows
// those lines as written, not in a numbered list that read "2. 1.对…", "3. 2.对…". Lines
// without numbers of their own (受理责任：…) stay a numbered list. Both pages that show them.
TEST_F(PortalPages, LinesNumberedByTheListAreNotNumberedAgain) {
  for (const char* path : {"/items/zhzf/XK-ZHZF-0001", "/departments/zhzf?list=responsibility"}) {
    auto r = get(path);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << path;
    const std::string& body = r->body;
    // Where the last list opened before `pos` (-1: none).
    const auto lastBefore = [&](const char* tag, std::size_t pos) {
      const std::size_t p = body.rfind(tag, pos);
      return p == std::string::npos ? -1L : static_cast<long>(p);
    };
    const std::size_t at = body.find("2.对不符合法定条件的申请人准予许可");
    ASSERT_NE(at, std::string::npos) << path;
    EXPECT_GT(lastBefore("<ul class=\"as-written\">", at), lastBefore("<ol>", at))
        << path << ": numbered again";
    const std::size_t duty = body.find("受理责任：");
    ASSERT_NE(duty, std::string::npos) << path;
    EXPECT_GT(lastBefore("<ol>", duty), lastBefore("<ul class=\"as-written\">", duty)) << path;
  }
}

TEST_F(PortalPages, CancelledItemSaysSoOnItsPage) {
  auto r = get("/items/scjg/XK-SCJG-0002");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(contains(r->body, "该事项已取消"));
}

TEST_F(PortalPages, ComplaintChannelsListEveryDepartmentsScopeAndContacts) {
  auto r = get("/complaint-channels");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(contains(r->body, "5个工作日内"));
  EXPECT_TRUE(contains(r->body, "受理范围"));
  EXPECT_TRUE(contains(r->body, "0431-81912315"));
  EXPECT_TRUE(contains(r->body, "example.gov.cn"));
}

TEST_F(PortalPages, StatusAndContentTypeTable) {
  struct Case {
    const char* path;
    int status;
    const char* content_type;
    const char* text;  // must appear in the body
  };
  const Case cases[] = {
      {"/", 200, "text/html; charset=utf-8", "权责清单"},
      {"/departments/no-such-dept", 404, "text/html; charset=utf-8", "未找到该部门"},
      {"/items/NO-SUCH-ITEM", 404, "text/html; charset=utf-8", "未找到该事项"},
      {"/no/such/page", 404, "text/html; charset=utf-8", "您访问的页面不存在"},
      {"/departments/zhzf?type=bogus", 400, "text/html; charset=utf-8", "未知的事项类型"},
      {"/departments/zhzf?status=bogus", 400, "text/html; charset=utf-8", "未知的事项状态"},
      {"/departments/zhzf?status=all", 200, "text/html; charset=utf-8", "CF-ZHZF-0001"},  // as /search takes it
      {"/api/v1/departments/zhzf/items?status=all", 200, "application/json; charset=utf-8", "CF-ZHZF-0001"},
      {"/departments/zhzf?page=-1", 400, "text/html; charset=utf-8", "页码应为正整数"},
      {"/departments/zhzf?page=abc", 400, "text/html; charset=utf-8", "页码应为正整数"},
      {"/departments/zhzf?page=99", 200, "text/html; charset=utf-8", "该页没有内容"},
      {"/departments/zhzf?page=99999999999", 400, "text/html; charset=utf-8", "页码过大"},
      {"/departments/zhzf?page=0", 400, "text/html; charset=utf-8", "页码应为正整数"},
      {"/departments/zhzf?list=other", 400, "text/html; charset=utf-8", "未知的清单类型"},
      {"/api/v1/departments", 200, "application/json; charset=utf-8", "\"departments\""},
      {"/api/v1/departments/nope/items", 404, "application/json; charset=utf-8", "未找到该部门"},
      {"/api/v1/items/NOPE", 404, "application/json; charset=utf-8", "\"error\""},
      {"/api/v1/departments/zhzf/items?page_size=500", 400, "application/json; charset=utf-8",
       "每页条数"},
      {"/static/site.css", 200, "text/css; charset=utf-8", "large-text"},
      {"/static/nope.css", 404, "text/html; charset=utf-8", "文件不存在"},
      // Where crawlers and browsers look (both were 404): staff pages and searches are not
      // for crawling; the tab's icon.
      {"/robots.txt", 200, "text/plain; charset=utf-8", "Disallow: /admin/"},
      {"/favicon.ico", 200, "image/svg+xml", "<svg"},
      {"/healthz", 200, "application/json; charset=utf-8", "\"database\":\"ok\""},
      {"/metrics", 200, "text/plain; version=0.0.4; charset=utf-8", "portal_http_requests_total"},
  };
  for (const Case& c : cases) {
    auto r = get(c.path);
    ASSERT_TRUE(r) << c.path;
    EXPECT_EQ(r->status, c.status) << c.path;
    EXPECT_EQ(r->get_header_value("Content-Type"), c.content_type) << c.path;
    EXPECT_TRUE(contains(r->body, c.text)) << c.path << " lacks " << c.text;
    EXPECT_FALSE(contains(r->body, "what()")) << c.path;
  }
}

TEST_F(PortalPages, ApiListsDepartmentsItemsAndOneItem) {
  auto r = get("/api/v1/departments");
  ASSERT_TRUE(r);
  const json deps = json::parse(r->body).at("departments");
  ASSERT_EQ(deps.size(), 10u);
  EXPECT_EQ(deps[0].at("slug"), "zhzf");
  EXPECT_EQ(deps[0].at("complaint_channels").at("hotline"), "0431-81912345");
  EXPECT_EQ(deps[0].at("items_in_force"), 16);

  auto page1 = get("/api/v1/departments/zhzf/items?page_size=10");
  ASSERT_TRUE(page1);
  const json p1 = json::parse(page1->body);
  EXPECT_EQ(p1.at("items").size(), 10u);
  EXPECT_EQ(p1.at("page").at("total"), 17);
  EXPECT_EQ(p1.at("page").at("pages"), 2);
  auto page2 = get("/api/v1/departments/zhzf/items?page_size=10&page=2");
  const json p2 = json::parse(page2->body);
  EXPECT_EQ(p2.at("items").size(), 7u);
  EXPECT_NE(p1.at("items")[0].at("code"), p2.at("items")[0].at("code"));

  const auto id = deps[0].at("id").get<int>();
  auto by_id = get("/api/v1/departments/" + std::to_string(id) + "/items?type=xk");
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->status, 200);
  const json licences = json::parse(by_id->body);
  ASSERT_FALSE(licences.at("items").empty());
  for (const auto& it : licences.at("items")) EXPECT_EQ(it.at("type"), "xk");

  auto item = get("/api/v1/items/XK-ZJJ-0001");
  ASSERT_TRUE(item);
  const json i = json::parse(item->body);
  EXPECT_EQ(i.at("name"), "建筑工程施工许可");
  EXPECT_EQ(i.at("type_name"), "行政许可");
  EXPECT_EQ(i.at("legal_bases")[0].at("law"), "《中华人民共和国建筑法》");
  EXPECT_EQ(i.at("department").at("slug"), "zjj");
  EXPECT_EQ(i.at("version"), 1);
}

TEST_F(PortalPages, ApiErrorsHaveAJsonBodyInChinese) {
  auto r = get("/api/v1/departments/zhzf/items?type=bogus");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const json e = json::parse(r->body).at("error");
  EXPECT_EQ(e.at("status"), 400);
  EXPECT_EQ(e.at("message"), "未知的事项类型：bogus。");
}

TEST_F(PortalPages, DataIsShownEscapedNeverAsMarkup) {
  {
    db::Connection conn(database_->options());
    conn.execute(
        "INSERT INTO departments (slug, name, short_name, description, main_duties, "
        "complaint_scope, hotline_phone, complaint_email, postal_address, office_hours, "
        "sort_order) VALUES ('xss', ?, 'x', ?, '', '', '', '', '', '', 999)",
        "<script>alert(1)</script>局", "描述\"><img src=x onerror=alert(2)>");
    // As every writer does (the demo loader, the import): the change log tells each node's
    // index and page cache that the department list changed.
    portal::changes::ChangeLogWriter(conn).record(portal::changes::DocKind::Department, "xss",
                                                  false);
  }
  // The node applies the change within a second or two; until then `/` may be the cached page.
  auto home = get("/");
  for (int i = 0; i < 100 && home && !contains(home->body, "alert(1)"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    home = get("/");
  }
  ASSERT_TRUE(home);
  EXPECT_FALSE(contains(home->body, "<script>alert(1)"));
  EXPECT_TRUE(contains(home->body, "&lt;script&gt;alert(1)&lt;/script&gt;局"));
  EXPECT_FALSE(contains(home->body, "<img src=x"));
  auto page = get("/departments/xss");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_FALSE(contains(page->body, "<script>alert(1)"));
  auto api = get("/api/v1/departments");
  EXPECT_TRUE(contains(api->body, "\\u003c") || contains(api->body, "<script>alert(1)</script>"));
  EXPECT_EQ(api->get_header_value("X-Content-Type-Options"), "nosniff");
  {
    db::Connection conn(database_->options());
    conn.execute("DELETE FROM departments WHERE slug = ?", "xss");
    portal::changes::ChangeLogWriter(conn).record(portal::changes::DocKind::Department, "xss",
                                                  true);
  }
}

TEST_F(PortalPages, LargeTextModeIsRememberedInACookie) {
  auto cli = portal_->client();
  auto set = cli.Get("/settings/text-size?size=large&return=%2Fitems%2Fzhzf%2FCF-ZHZF-0001");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 303);
  EXPECT_EQ(set->get_header_value("Location"), "/items/zhzf/CF-ZHZF-0001");
  EXPECT_NE(set->get_header_value("Set-Cookie").find("text_size=large"), std::string::npos);
  httplib::Headers cookie{{"Cookie", "text_size=large"}};
  auto page = cli.Get("/items/zhzf/CF-ZHZF-0001", cookie);
  ASSERT_TRUE(page);
  EXPECT_TRUE(contains(page->body, "<body class=\"large-text\">"));
  EXPECT_TRUE(contains(page->body, "标准字号"));
  auto offsite = cli.Get("/settings/text-size?size=large&return=%2F%2Fevil.example");
  ASSERT_TRUE(offsite);
  EXPECT_EQ(offsite->get_header_value("Location"), "/") << "no open redirect";
}

TEST_F(PortalPages, HighContrastModeIsRememberedInACookie) {
  auto cli = portal_->client();
  auto set = cli.Get("/settings/contrast?mode=high&return=%2Fdecisions");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 303);
  EXPECT_EQ(set->get_header_value("Location"), "/decisions");
  EXPECT_NE(set->get_header_value("Set-Cookie").find("contrast=high"), std::string::npos);
  auto page = cli.Get("/decisions", {{"Cookie", "contrast=high; text_size=large"}});
  ASSERT_TRUE(page);
  EXPECT_TRUE(contains(page->body, "<body class=\"large-text high-contrast\">"));
  EXPECT_TRUE(contains(page->body, "标准配色")) << "the switch back";
  EXPECT_TRUE(contains(get("/decisions")->body, "高对比度")) << "the switch on every page";
  auto bad = cli.Get("/settings/contrast?mode=purple");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(contains(bad->body, "配色设置无效"));
  EXPECT_EQ(cli.Get("/settings/contrast?mode=high&return=%2F%2Fevil.example")
                ->get_header_value("Location"),
            "/")
      << "no open redirect";
}

TEST_F(PortalPages, FooterNamesTheHotlineContactAndSiteMap) {
  auto home = get("/");
  ASSERT_TRUE(home);
  EXPECT_TRUE(contains(home->body, "政务服务便民热线：<a href=\"tel:12345\">12345</a>"));
  EXPECT_TRUE(contains(home->body, "<a href=\"/contact\">联系我们</a>"));
  EXPECT_TRUE(contains(home->body, "<a href=\"/sitemap\">网站地图</a>"));
  EXPECT_FALSE(contains(home->body, "网站标识码")) << "not configured: not shown";
  EXPECT_TRUE(contains(get("/complaint-channels")->body, "tel:12345"));

  auto map = get("/sitemap");
  ASSERT_EQ(map->status, 200);
  for (const char* link : {"href=\"/decisions\"", "href=\"/complaints/new\"", "href=\"/track\"",
                           "href=\"/departments/scjg?list=responsibility\"",
                           "href=\"/departments/zhzf/officers\"", "href=\"/certificates/check\""}) {
    EXPECT_TRUE(contains(map->body, link)) << link;
  }
  auto contact = get("/contact");
  ASSERT_EQ(contact->status, 200);
  EXPECT_TRUE(contains(contact->body, "新区管理委员会"));
  EXPECT_TRUE(contains(contact->body, "tel:12345"));
}

// A deployment's identifiers from the configuration, in the footer of every page.
TEST(PortalFooter, ShowsTheConfiguredSiteIdentifiersAndContact) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.site.site_code = "2201990001";
  config.site.icp_record = "吉ICP备12345678号";
  config.site.police_record = "吉公网安备22019902000123号";
  config.site.contact_phone = "0431-81910000";
  config.site.contact_email = "zfgs@example.gov.cn";
  config.site.citizen_hotline = "";
  e2e::RunningPortal portal(config);
  for (const char* path : {"/", "/decisions", "/track", "/no-such-page"}) {
    auto page = portal.client().Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_NE(page->body.find("网站标识码：2201990001"), std::string::npos) << path;
    EXPECT_NE(page->body.find("吉ICP备12345678号"), std::string::npos) << path;
    EXPECT_NE(page->body.find("吉公网安备22019902000123号"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("便民热线"), std::string::npos)
        << "hotline configured away: " << path;
  }
  auto contact = portal.client().Get("/contact");
  EXPECT_NE(contact->body.find("tel:0431-81910000"), std::string::npos);
  EXPECT_NE(contact->body.find("mailto:zfgs@example.gov.cn"), std::string::npos);
}

}  // namespace
