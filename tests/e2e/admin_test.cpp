// Department staff keep their lists current: login, edit with versions, public history and
// diff, audit log, permissions per role, CSRF, stale edits. Real server, real MariaDB.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "db/connection.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/csv_reader.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/xlsx_writer.h"

namespace {

using nlohmann::json;
using portal::accounts::Actor;
using portal::http::percentEncode;

constexpr const char* kPassword = e2e::kStaffPassword;

using Browser = e2e::StaffBrowser;

std::string editForm(const std::string& name, const std::string& kind, int expected_version,
                     const std::string& reason) {
  return "name=" + percentEncode(name) +
         "&type=cf&implementing_body=" + percentEncode("新区综合行政执法局") +
         "&level=" + percentEncode("区级") + "&legal_bases=" +
         percentEncode(
             "《城市市容和环境卫生管理条例》第十一条：大型户外广告的设置必须征得城市人民政府市容环"
             "境卫生行政主管部门同意后，按照有关规定办理审批手续。") +
         "&responsibilities=" +
         percentEncode("立案责任：发现违法行为，予以审查。\n调查责任：全面调查。") +
         "&accountability=" + percentEncode("对应当立案而不予立案的。") +
         "&supervision_phone=0431-81912345&remarks=&effective_date=2026-12-01&change_kind=" + kind +
         "&expected_version=" + std::to_string(expected_version) +
         "&change_reason=" + percentEncode(reason) + "&legal_trigger=";
}

class AdminFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    config.server.max_request_bytes = 1 << 20;  // the production limit: imports are large
    portal_ = new e2e::RunningPortal(config);
    portal::accounts::AccountService accounts(portal_->app().pool(), config.accounts);
    portal::publishing::CatalogService catalog(portal_->app().pool());
    const auto zhzf = catalog.department("zhzf")->id;
    const auto scjg = catalog.department("scjg")->id;
    for (const auto& [user, role, dept] :
         std::vector<std::tuple<std::string, std::string, std::optional<std::int64_t>>>{
             {"editor_zhzf", "editor", zhzf},
             {"editor_scjg", "editor", scjg},
             {"reviewer", "reviewer", std::nullopt},
             {"admin", "admin", std::nullopt}}) {
      const auto r =
          accounts.createAccount(Actor::console(), {user, "测试", kPassword, role, dept});
      ASSERT_TRUE(r.ok()) << user << ": " << (r.errors.empty() ? "" : r.errors[0].message);
    }
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }
  static std::int64_t count(const std::string& sql, const std::string& param) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(sql, param);
    r.next();
    return r.i64("n");
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* AdminFlow::database_ = nullptr;
e2e::RunningPortal* AdminFlow::portal_ = nullptr;

TEST_F(AdminFlow, AdminPagesNeedALogin) {
  const std::string raw = e2e::rawExchange(
      portal_->port(), "GET /admin/items/zhzf/CF-ZHZF-0001/edit HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(raw), 303);
  EXPECT_NE(
      raw.find("Location: /admin/login?next=%2Fadmin%2Fitems%2Fzhzf%2FCF-ZHZF-0001%2Fedit\r\n"),
            std::string::npos)
      << raw;
}

TEST_F(AdminFlow, WrongPasswordIsRefusedInChineseAndSetsNoCookie) {
  const auto form = e2e::loginForm(portal_->port());
  auto r = portal_->client().Post(
      "/admin/login", httplib::Headers{{"Cookie", form.cookie}},
      "username=editor_zhzf&password=nope&next=%2Fadmin&csrf_token=" + form.token,
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("Set-Cookie").find("portal_session"), std::string::npos);
  EXPECT_NE(r->body.find("用户名或密码错误"), std::string::npos);
}

TEST_F(AdminFlow, SessionCookieIsHttpOnlyAndSameSite) {
  const auto form = e2e::loginForm(portal_->port());
  auto r = portal_->client().Post("/admin/login", httplib::Headers{{"Cookie", form.cookie}},
                                  std::string("username=admin&password=") + kPassword +
                                      "&next=%2Fadmin&csrf_token=" + form.token,
                                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 303);
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("portal_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
}

// nginx terminates TLS and says so in X-Forwarded-Proto: the session and the login form's
// token must then never travel over plain http, even when site.base_url was left empty (as
// in this test's configuration). Over plain http they stay usable (no Secure).
TEST_F(AdminFlow, CookiesAreSecureWhenNginxSaysTheBrowserUsedHttps) {
  for (const bool https : {true, false}) {
    SCOPED_TRACE(https ? "X-Forwarded-Proto: https" : "plain http");
    httplib::Headers proxy{{"X-Real-IP", "203.0.113.7"},
                           {"X-Forwarded-Proto", https ? "https" : "http"}};
    auto page = portal_->client().Get("/admin/login", proxy);
    ASSERT_TRUE(page);
    const std::string csrf_cookie = page->get_header_value("Set-Cookie");
    ASSERT_NE(csrf_cookie.find("portal_login_csrf="), std::string::npos);
    EXPECT_EQ(csrf_cookie.find("; Secure") != std::string::npos, https) << csrf_cookie;

    const auto form = e2e::loginForm(portal_->port());
    httplib::Headers login = proxy;
    login.emplace("Cookie", form.cookie);
    auto r = portal_->client().Post("/admin/login", login,
                                    std::string("username=admin&password=") + kPassword +
                                        "&next=%2Fadmin&csrf_token=" + form.token,
                                    "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 303);
    const std::string cookie = r->get_header_value("Set-Cookie");
    ASSERT_NE(cookie.find("portal_session="), std::string::npos);
    EXPECT_EQ(cookie.find("; Secure") != std::string::npos, https) << cookie;
  }
}

TEST_F(AdminFlow, EditPublishesANewVersionWithPublicHistoryDiffAndAudit) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto form = editor.get("/admin/items/zhzf/CF-ZHZF-0001/edit");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("对擅自设置大型户外广告的行政处罚"), std::string::npos);

  auto saved = editor.post("/admin/items/zhzf/CF-ZHZF-0001",
                           editForm("对擅自设置大型户外广告的行政处罚（含电子显示屏）", "amend", 1,
                                    "依据新修订的户外广告管理办法调整"));
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 303);
  EXPECT_EQ(saved->get_header_value("Location"), "/items/zhzf/CF-ZHZF-0001/history");

  auto item = portal_->client().Get("/items/zhzf/CF-ZHZF-0001");
  EXPECT_NE(item->body.find("对擅自设置大型户外广告的行政处罚（含电子显示屏）"), std::string::npos);
  EXPECT_NE(item->body.find("第 2 版"), std::string::npos);

  auto history = portal_->client().Get("/items/zhzf/CF-ZHZF-0001/history?from=1&to=2");
  ASSERT_EQ(history->status, 200);
  EXPECT_NE(history->body.find("依据新修订的户外广告管理办法调整"), std::string::npos);
  // Only the changed field, with the added words marked inside it (issue 15).
  EXPECT_NE(history->body.find("<h3>事项名称</h3>"), std::string::npos);
  EXPECT_EQ(history->body.find("<h3>实施主体</h3>"), std::string::npos);
  EXPECT_NE(history->body.find("<ins>（含电子显示屏）</ins>"), std::string::npos);

  auto versions = json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0001/versions")->body);
  ASSERT_EQ(versions["versions"].size(), 2u);
  EXPECT_EQ(versions["versions"][0]["version"], 2);
  EXPECT_EQ(versions["versions"][0]["change_kind"], "amend");
  auto v1 = json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0001/versions/1")->body);
  EXPECT_EQ(v1["name"], "对擅自设置大型户外广告的行政处罚") << "an edit never overwrites";

  auto changes = portal_->client().Get("/changes");
  EXPECT_NE(changes->body.find("依据新修订的户外广告管理办法调整"), std::string::npos);
  auto feed = portal_->client().Get("/feeds/departments/zhzf.atom");
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
  EXPECT_NE(feed->body.find("（含电子显示屏）"), std::string::npos);

  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'item.publish' AND "
                  "object_id = ?",
                  "CF-ZHZF-0001"),
            1);
  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  auto audit = reviewer.get("/admin/audit?department=zhzf");
  ASSERT_EQ(audit->status, 200);
  EXPECT_NE(audit->body.find("item.publish"), std::string::npos);
  EXPECT_NE(audit->body.find("editor_zhzf"), std::string::npos);
  // A date written right but out of range is not called a format error (it was: "格式应为").
  auto ancient = reviewer.get("/admin/audit?from=0001-01-01");
  EXPECT_EQ(ancient->status, 400);
  EXPECT_NE(ancient->body.find("开始日期应为有效的日期"), std::string::npos);
}

// The audit log records an item's fields as the API serialises them (issue 16): the legal
// bases were written there as bare arrays while the API writes objects with named members.
TEST_F(AdminFlow, AuditRecordsItemFieldsAsTheApiDoes) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  const auto before =
      json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0002")->body);
  ASSERT_FALSE(before["legal_bases"].empty());
  auto saved = editor.post("/admin/items/zhzf/CF-ZHZF-0002",
                           editForm("审计字段测试事项", "amend", before["version"].get<int>(),
                                    "核对审计日志的字段"));
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 303);
  const auto after = json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0002")->body);
  db::Connection conn(database_->options());
  db::Rows r = conn.query(
      "SELECT before_json, after_json FROM audit_log WHERE action = 'item.publish' AND "
      "object_id = ? ORDER BY id DESC LIMIT 1",
      std::string("CF-ZHZF-0002"));
  ASSERT_TRUE(r.next());
  const auto audit_before = json::parse(r.str("before_json"));
  const auto audit_after = json::parse(r.str("after_json"));
  EXPECT_EQ(audit_before["legal_bases"], before["legal_bases"]);
  EXPECT_EQ(audit_after["legal_bases"], after["legal_bases"]);
  for (const char* key : {"name", "type", "sub_items", "implementing_body", "level",
                          "responsibilities", "accountability", "supervision_phone", "remarks",
                          "status", "effective_date"}) {
    EXPECT_EQ(audit_before[key], before[key]) << key;
    EXPECT_EQ(audit_after[key], after[key]) << key;
  }
}

TEST_F(AdminFlow, PermissionMatrix) {
  struct Case {
    const char* user;
    const char* method;
    const char* path;
    int status;
  };
  const Case cases[] = {
      {"editor_zhzf", "GET", "/admin/items/zhzf/CF-ZHZF-0002/edit", 200},
      {"editor_zhzf", "GET", "/admin/items/scjg/CF-SCJG-0001/edit", 403},
      {"editor_zhzf", "GET", "/admin/departments/zhzf/items/new", 200},
      {"editor_zhzf", "GET", "/admin/departments/scjg/items/new", 403},
      {"editor_zhzf", "GET", "/admin/audit", 403},
      {"editor_scjg", "GET", "/admin/items/scjg/CF-SCJG-0001/edit", 200},
      {"editor_scjg", "GET", "/admin/items/zhzf/CF-ZHZF-0002/edit", 403},
      {"reviewer", "GET", "/admin/items/zhzf/CF-ZHZF-0002/edit", 403},
      {"reviewer", "GET", "/admin/departments/zhzf/items/new", 403},
      {"reviewer", "GET", "/admin/audit", 200},
      {"admin", "GET", "/admin/items/scjg/CF-SCJG-0001/edit", 200},
      {"admin", "GET", "/admin/departments/scjg/items/new", 200},
      {"admin", "GET", "/admin/audit", 200},
      {"editor_zhzf", "POST", "/admin/items/scjg/CF-SCJG-0001", 403},
      {"reviewer", "POST", "/admin/items/zhzf/CF-ZHZF-0002", 403},
  };
  for (const Case& c : cases) {
    Browser b(*portal_);
    ASSERT_EQ(b.login(c.user), 303) << c.user;
    b.get("/admin");  // picks up the CSRF token
    auto r = std::string(c.method) == "GET"
                 ? b.get(c.path)
                 : b.post(c.path, editForm("任意名称", "amend", 1, "越权测试"));
    ASSERT_TRUE(r) << c.user << " " << c.path;
    EXPECT_EQ(r->status, c.status) << c.user << " " << c.method << " " << c.path;
  }
  EXPECT_EQ(
      count("SELECT COUNT(*) AS n FROM list_item_versions WHERE change_reason = ?", "越权测试"), 0);
}

TEST_F(AdminFlow, MissingOrWrongCsrfTokenChangesNothing) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto without = editor.post("/admin/items/zhzf/CF-ZHZF-0003",
                             editForm("无令牌修改", "amend", 1, "CSRF测试"), false);
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  EXPECT_NE(without->body.find("表单已过期"), std::string::npos);
  auto wrong =
      editor.post("/admin/items/zhzf/CF-ZHZF-0003",
                  editForm("错令牌修改", "amend", 1, "CSRF测试") + "&csrf_token=forged", false);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(
      count("SELECT COUNT(*) AS n FROM list_item_versions WHERE change_reason = ?", "CSRF测试"), 0);
}

TEST_F(AdminFlow, InvalidEditReRendersTheFormWith422AndWritesNothing) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  editor.get("/admin/items/zhzf/CF-ZHZF-0004/edit");
  auto r = editor.post("/admin/items/zhzf/CF-ZHZF-0004", editForm("", "amend", 1, ""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("请填写事项名称"), std::string::npos);
  EXPECT_NE(r->body.find("请填写变更理由"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_item_versions v JOIN list_items i ON "
                  "i.id = v.item_id WHERE i.code = ?",
                  "CF-ZHZF-0004"),
            1);
}

TEST_F(AdminFlow, TwoEditorsOnTheSameVersionTheSecondIsToldItIsStale) {
  Browser first(*portal_), second(*portal_);
  ASSERT_EQ(first.login("editor_zhzf"), 303);
  ASSERT_EQ(second.login("admin"), 303);
  first.get("/admin/items/zhzf/CF-ZHZF-0005/edit");
  second.get("/admin/items/zhzf/CF-ZHZF-0005/edit");
  auto a = first.post("/admin/items/zhzf/CF-ZHZF-0005",
                      editForm("第一位编辑的修改", "amend", 1, "甲的修改"));
  auto b = second.post("/admin/items/zhzf/CF-ZHZF-0005",
                       editForm("第二位编辑的修改", "amend", 1, "乙的修改"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 303);
  EXPECT_EQ(b->status, 409);
  EXPECT_NE(b->body.find("已被他人更新为第 2 版"), std::string::npos);
  EXPECT_NE(b->body.find("第二位编辑的修改"), std::string::npos)
      << "the second edit is kept in the form";
}

TEST_F(AdminFlow, CancellingAnItemIsAVersionAndLogoutEndsTheSession) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  editor.get("/admin/items/zhzf/CF-ZHZF-0007/edit");
  auto r = editor.post(
      "/admin/items/zhzf/CF-ZHZF-0007",
      editForm("对商业经营中高音喇叭招揽顾客的行政处罚", "cancel", 1, "上位法修改后取消"));
  ASSERT_EQ(r->status, 303);
  auto item = json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0007")->body);
  EXPECT_EQ(item["status"], "cancelled");
  EXPECT_EQ(item["change_kind"], "cancel");

  editor.get("/admin");
  auto out = editor.post("/admin/logout", "x=1");
  EXPECT_EQ(out->status, 303);
  auto after = editor.get("/admin");
  EXPECT_EQ(after->status, 303) << "the old cookie no longer opens the admin pages";
}

}  // namespace

namespace {

// The spreadsheet round trip through the pages: export, change, upload, preview, apply.
TEST_F(AdminFlow, SpreadsheetImportPreviewsThenAppliesAllOrNothing) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  auto exported = portal_->client().Get("/departments/scjg/export.csv");
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 200);
  EXPECT_EQ(exported->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  ASSERT_EQ(exported->body.substr(0, 3), "\xEF\xBB\xBF") << "Excel needs the BOM";
  std::string csv = exported->body;
  const std::string old_name = "食品经营许可";
  const auto at = csv.find("," + old_name + ",");
  ASSERT_NE(at, std::string::npos);
  csv.replace(at + 1, old_name.size(), "食品经营许可（含网络经营）");

  editor.get("/admin/departments/scjg/import");
  auto upload = [&](const std::string& file) {
    httplib::MultipartFormDataItems items = {
        {"file", file, "list.csv", "text/csv"},
        {"reason", "依据新修订的食品经营许可管理办法调整", "", ""},
    };
    return editor.postMultipart("/admin/departments/scjg/import/preview", items);
  };
  auto preview = upload(csv);
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->status, 200);
  EXPECT_NE(preview->body.find("变更 1 项"), std::string::npos);
  EXPECT_NE(preview->body.find("食品经营许可（含网络经营）"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_item_versions WHERE change_reason = ?",
                  "依据新修订的食品经营许可管理办法调整"),
            0)
      << "a preview writes nothing";

  // (std::regex recurses per character: no regex over a value this long.)
  const std::string marker = "name=\"import_token\" value=\"";
  const auto start = preview->body.find(marker);
  ASSERT_NE(start, std::string::npos);
  const auto value_start = start + marker.size();
  const std::string token =
      preview->body.substr(value_start, preview->body.find('"', value_start) - value_start);
  const std::string apply_body = "import_token=" + percentEncode(token) +
                                 "&reason=" + percentEncode("依据新修订的食品经营许可管理办法调整");
  // 市场监管局 requires the legal office's review: its editor may preview but not apply.
  auto refused_apply = editor.post("/admin/departments/scjg/import/apply", apply_body);
  ASSERT_TRUE(refused_apply);
  EXPECT_EQ(refused_apply->status, 403);
  EXPECT_NE(refused_apply->body.find("须经法制审核"), std::string::npos);
  // The administrator uploads the file too: a staged file belongs to the account that uploaded
  // it, and the editor's token opens nothing for anyone else.
  Browser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  admin.get("/admin/departments/scjg/import");
  auto foreign = admin.post("/admin/departments/scjg/import/apply", apply_body);
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 404);
  EXPECT_NE(foreign->body.find("请重新上传文件"), std::string::npos);
  httplib::MultipartFormDataItems admin_upload = {
      {"file", csv, "list.csv", "text/csv"},
      {"reason", "依据新修订的食品经营许可管理办法调整", "", ""},
  };
  auto admin_preview = admin.postMultipart("/admin/departments/scjg/import/preview", admin_upload);
  ASSERT_TRUE(admin_preview);
  ASSERT_EQ(admin_preview->status, 200) << admin_preview->body;
  const std::string admin_token = e2e::hiddenValue(admin_preview->body, "import_token");
  ASSERT_EQ(admin_token.size(), 43u);
  EXPECT_NE(admin_token, token);
  auto applied = admin.post("/admin/departments/scjg/import/apply",
                            "import_token=" + percentEncode(admin_token) +
                                "&reason=" + percentEncode("依据新修订的食品经营许可管理办法调整"));
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->status, 200);
  EXPECT_NE(applied->body.find("已导入"), std::string::npos);
  auto item = json::parse(portal_->client().Get("/api/v1/items/XK-SCJG-0001")->body);
  EXPECT_EQ(item["name"], "食品经营许可（含网络经营）");
  EXPECT_EQ(item["change_reason"], "依据新修订的食品经营许可管理办法调整");

  // One bad row: the preview names it and nothing is applied.
  std::string bad = csv;
  const auto status_at = bad.find(",有效,");
  ASSERT_NE(status_at, std::string::npos);
  bad.replace(status_at + 1, std::string("有效").size(), "生效中");
  const auto before = count(
      "SELECT COUNT(*) AS n FROM list_item_versions v JOIN list_items i ON "
      "i.id = v.item_id JOIN departments d ON d.id = i.department_id "
      "WHERE d.slug = ?",
      "scjg");
  auto refused = upload(bad);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  EXPECT_NE(refused->body.find("未知的状态“生效中”"), std::string::npos);
  EXPECT_EQ(refused->body.find("确认导入"), std::string::npos) << "no apply button for a bad file";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_item_versions v JOIN list_items i ON "
                  "i.id = v.item_id JOIN departments d ON d.id = i.department_id WHERE d.slug = ?",
                  "scjg"),
            before);

  // Thousands of bad rows: the page lists the first 200 errors and counts the rest.
  const std::string header = csv.substr(0, csv.find('\n') + 1);
  // The physical line holding the unknown status (a cut-off piece of a record whose cells span
  // lines), 3,000 times: every copy is a row the import refuses.
  const auto bad_line_end = bad.find('\n', status_at);
  const auto bad_line_start = bad.rfind('\n', status_at) + 1;
  const std::string bad_line = bad.substr(bad_line_start, bad_line_end - bad_line_start + 1);
  std::string many = header;
  for (int i = 0; i < 3000; ++i) many += bad_line;
  auto summarised = upload(many);
  ASSERT_TRUE(summarised);
  EXPECT_EQ(summarised->status, 422);
  EXPECT_NE(summarised->body.find("以上列出前 200 处"), std::string::npos)
      << summarised->body.substr(0, 2000);
  // The page carries the file itself (to preview again with another column mapping), but lists
  // no more than 200 of its 3,000 errors.
  const std::string& page = summarised->body;
  const auto list_start = page.find("以下各行有误");
  ASSERT_NE(list_start, std::string::npos);
  const auto list_end = page.find("</ul>", list_start);
  std::size_t listed = 0;
  for (auto at = page.find("<li>", list_start); at < list_end; at = page.find("<li>", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, 200u) << "a bounded list of errors";

  Browser other(*portal_);
  ASSERT_EQ(other.login("editor_zhzf"), 303);
  EXPECT_EQ(other.get("/admin/departments/scjg/import")->status, 403);
}

// A department's list as an Excel workbook with a title row merged across: uploaded through
// the staff page, previewed with the mapping it guessed, corrected, applied; the export
// imported again changes nothing.
TEST_F(AdminFlow, XlsxUploadShowsTheMappingAndRoundTrips) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto exported = portal_->client().Get("/departments/zhzf/export.csv");
  ASSERT_TRUE(exported);
  const auto table =
      std::get<portal::publishing::CsvTable>(portal::publishing::CsvReader().read(exported->body));
  test_support::XlsxSheet sheet;
  sheet.name = "权力清单";
  sheet.rows.push_back({"新区综合行政执法局权力清单（2026年版）"});
  for (const auto& r : table.records) sheet.rows.push_back(r.fields);
  sheet.merges = {"A1:M1"};
  const std::string code = sheet.rows[2][0];
  sheet.rows[2][1] = "对擅自设置大型户外广告设施的行政处罚";
  const std::string xlsx = test_support::writeXlsx({sheet});

  editor.get("/admin/departments/zhzf/import");
  httplib::MultipartFormDataItems items = {
      {"file", xlsx, "清单.xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"reason", "更正事项名称", "", ""},
  };
  auto preview = editor.postMultipart("/admin/departments/zhzf/import/preview", items);
  ASSERT_TRUE(preview);
  ASSERT_EQ(preview->status, 200) << preview->body;
  EXPECT_NE(preview->body.find("Excel 工作簿（.xlsx）"), std::string::npos);
  EXPECT_NE(preview->body.find("各列的对应关系"), std::string::npos);
  EXPECT_NE(preview->body.find("表头在第 2 行"), std::string::npos);
  EXPECT_NE(preview->body.find("变更 1 项"), std::string::npos);

  const std::string token = e2e::hiddenValue(preview->body, "import_token");
  ASSERT_FALSE(token.empty());
  // The person says 备注 is not to be imported: the preview follows the correction.
  std::size_t remark_col = 0;
  for (; remark_col < 20; ++remark_col) {
    if (e2e::hiddenValue(preview->body, "colh_" + std::to_string(remark_col)) == "备注") break;
  }
  ASSERT_LT(remark_col, 20u);
  httplib::MultipartFormDataItems corrected = {
      {"import_token", token, "", ""},
      {"colh_" + std::to_string(remark_col), "备注", "", ""},
      {"col_" + std::to_string(remark_col), "ignore", "", ""},
      {"reason", "更正事项名称", "", ""},
  };
  auto again = editor.postMultipart("/admin/departments/zhzf/import/preview", corrected);
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find("selected>不导入"), std::string::npos);

  const std::string apply_body = "import_token=" + percentEncode(token) +
                                 "&choices_json=" + percentEncode(R"({"columns":{}})") +
                                 "&reason=" + percentEncode("更正事项名称");
  auto applied = editor.post("/admin/departments/zhzf/import/apply", apply_body);
  ASSERT_TRUE(applied);
  ASSERT_EQ(applied->status, 200) << applied->body;
  auto item = json::parse(portal_->client().Get(("/api/v1/items/" + code).c_str())->body);
  EXPECT_EQ(item["name"], "对擅自设置大型户外广告设施的行政处罚");

  // Export, import again: nothing changes.
  auto export2 = portal_->client().Get("/departments/zhzf/export.csv");
  httplib::MultipartFormDataItems reimport = {{"file", export2->body, "list.csv", "text/csv"}};
  auto same = editor.postMultipart("/admin/departments/zhzf/import/preview", reimport);
  ASSERT_TRUE(same);
  EXPECT_NE(same->body.find("新增 0 项，变更 0 项，取消 0 项，下放 0 项"), std::string::npos);

  // A PDF renamed to .xlsx: a clear message, nothing written.
  httplib::MultipartFormDataItems pdf = {
      {"file", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", "清单.xlsx", "application/octet-stream"}};
  auto refused = editor.postMultipart("/admin/departments/zhzf/import/preview", pdf);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  EXPECT_NE(refused->body.find("这是一个 PDF 文件"), std::string::npos);
}

}  // namespace

namespace {

// A hit's id with an item's department left out ("item:<department id>/<code>" is read as
// "item:<code>"): the demo's item codes are unique across departments.
std::string idOf(const json& hit) {
  std::string id = hit.value("id", "");
  const auto slash = id.find('/');
  if (id.rfind("item:", 0) == 0 && slash != std::string::npos) id = "item:" + id.substr(slash + 1);
  return id;
}

bool findsItem(e2e::RunningPortal& portal, const std::string& query, const std::string& id) {
  auto r = portal.client().Get(("/api/v1/search?q=" + percentEncode(query)).c_str());
  if (!r || r->status != 200) return false;
  const json result = json::parse(r->body);  // (a temporary's element would dangle in the loop)
  for (const auto& h : result["hits"]) {
    if (idOf(h) == id) return true;
  }
  return false;
}

// Administrators teach search a citizen's word from the zero-result list.
TEST_F(AdminFlow, AdministratorsAddSynonymsThatSearchUsesAtOnce) {
  EXPECT_FALSE(findsItem(*portal_, "老赖", "item:QZ-ZHZF-0002"));

  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  // Zero-result queries are counted off the request path, within a moment.
  auto stats = reviewer.get("/admin/search");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (stats && stats->body.find("老赖") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stats = reviewer.get("/admin/search");
  }
  ASSERT_EQ(stats->status, 200);
  EXPECT_NE(stats->body.find("老赖"), std::string::npos) << "the zero-result query is listed";
  auto not_allowed = reviewer.post("/admin/search/synonyms", "plain=x&formal=y");
  EXPECT_EQ(not_allowed->status, 403);

  Browser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  admin.get("/admin/search");
  auto invalid = admin.post("/admin/search/synonyms",
                            "plain=" + percentEncode("老赖") + "&formal=" + percentEncode(" | "));
  EXPECT_EQ(invalid->status, 422);
  EXPECT_NE(invalid->body.find("请至少填写一个规范用语"), std::string::npos);

  auto saved = admin.post("/admin/search/synonyms", "plain=" + percentEncode("老赖") + "&formal=" +
                                                        percentEncode("加处罚款|到期不缴纳罚款"));
  EXPECT_EQ(saved->status, 303);
  EXPECT_TRUE(findsItem(*portal_, "老赖", "item:QZ-ZHZF-0002"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = ?", "synonym.save"), 1);

  admin.get("/admin/search");
  auto removed = admin.post("/admin/search/synonyms", "op=delete&plain=" + percentEncode("老赖"));
  EXPECT_EQ(removed->status, 303);
  EXPECT_FALSE(findsItem(*portal_, "老赖", "item:QZ-ZHZF-0002"));
}

}  // namespace
