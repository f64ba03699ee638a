// Administrators see who has access and shut out a member of staff who left (outside audit
// M3): the account list, deactivation asked first on its own page and ending the person's
// sessions at once, reactivation, creating an account, and who may do none of it. Real server,
// real MariaDB.
#include <gtest/gtest.h>

#include <regex>

#include "db/connection.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "tests/e2e/e2e_support.h"

namespace {

using portal::accounts::Actor;
using portal::http::percentEncode;

constexpr const char* kPassword = e2e::kStaffPassword;

class AccountPages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    config_ = new portal::Config(e2e::testConfig(database_->options()));
    config_->accounts.hash_cost = portal::accounts::HashCost::Minimum;
    portal_ = new e2e::RunningPortal(*config_);
    portal::publishing::CatalogService catalog(portal_->app().pool());
    zhzf_name_ = new std::string(catalog.department("zhzf")->name);
    const auto zhzf = catalog.department("zhzf")->id;
    for (const auto& [user, name, role, dept] : std::vector<
             std::tuple<std::string, std::string, std::string, std::optional<std::int64_t>>>{
             {"editor_zhzf", "张编辑", "editor", zhzf},
             {"reviewer", "李审核", "reviewer", std::nullopt},
             {"admin", "王管理", "admin", std::nullopt},
             {"leaver", "赵离职", "editor", zhzf},
             {"stayer", "钱在职", "editor", zhzf}}) {
      const auto r = service().createAccount(Actor::console(), {user, name, kPassword, role, dept});
      ASSERT_TRUE(r.ok()) << user << ": " << (r.errors.empty() ? "" : r.errors[0].message);
    }
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete config_;
    delete zhzf_name_;
    delete database_;
  }
  static portal::accounts::AccountService service() {
    return portal::accounts::AccountService(portal_->app().pool(), config_->accounts);
  }
  static std::int64_t idOf(const std::string& username) {
    return service().accountByUsername(username)->id;
  }
  static bool isActive(const std::string& username) {
    return service().accountByUsername(username)->active;
  }
  // The login answer a person gets with the right password (status and page).
  static httplib::Result tryLogin(const std::string& username) {
    const e2e::LoginForm form = e2e::loginForm(portal_->port());
    return portal_->client().Post("/admin/login", httplib::Headers{{"Cookie", form.cookie}},
                                  "username=" + username + "&password=" + percentEncode(kPassword) +
                                      "&next=%2Fadmin&csrf_token=" + percentEncode(form.token),
                                  "application/x-www-form-urlencoded");
  }
  static std::int64_t auditRows(const std::string& action, std::int64_t account_id) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND object_type = 'account' "
        "AND object_id = ?",
        action, std::to_string(account_id));
    r.next();
    return r.i64("n");
  }

  static test_support::TestDatabase* database_;
  static portal::Config* config_;
  static e2e::RunningPortal* portal_;
  static std::string* zhzf_name_;
};

test_support::TestDatabase* AccountPages::database_ = nullptr;
portal::Config* AccountPages::config_ = nullptr;
e2e::RunningPortal* AccountPages::portal_ = nullptr;
std::string* AccountPages::zhzf_name_ = nullptr;

TEST_F(AccountPages, AdministratorSeesEveryAccountWithRoleDepartmentAndLastLogin) {
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  const auto home = admin.get("/admin");
  ASSERT_TRUE(home);
  EXPECT_NE(home->body.find("href=\"/admin/accounts\""), std::string::npos);

  const auto list = admin.get("/admin/accounts");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  const std::string& b = list->body;
  for (const char* text :
       {"<h1>工作人员账号</h1>", "editor_zhzf", "张编辑", "部门编辑", "reviewer", "法制审核员",
        "admin", "系统管理员", "<th scope=\"col\">最近登录</th>", "从未登录"}) {
    EXPECT_NE(b.find(text), std::string::npos) << text;
  }
  EXPECT_NE(b.find(*zhzf_name_), std::string::npos);
  // The admin signed in just now: their row shows when (Beijing time), not 从未登录.
  const auto row = b.find("<th scope=\"row\" class=\"code\">admin</th>");
  ASSERT_NE(row, std::string::npos);
  const std::string admin_row = b.substr(row, b.find("</tr>", row) - row);
  EXPECT_TRUE(std::regex_search(admin_row, std::regex(R"(<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>)")))
      << admin_row;
  // Others can be deactivated, asked first on a page of their own; the admin's own row cannot.
  EXPECT_NE(b.find("href=\"/admin/accounts/" + std::to_string(idOf("stayer")) + "/deactivate\""),
            std::string::npos);
  EXPECT_EQ(b.find("href=\"/admin/accounts/" + std::to_string(idOf("admin")) + "/deactivate\""),
            std::string::npos);
}

TEST_F(AccountPages, EditorsAndReviewersGet403AndAnonymousVisitorsTheLogin) {
  for (const char* user : {"editor_zhzf", "reviewer"}) {
    e2e::StaffBrowser b(*portal_);
    ASSERT_EQ(b.login(user), 303);
    const auto home = b.get("/admin");
    ASSERT_TRUE(home);
    EXPECT_EQ(home->body.find("/admin/accounts"), std::string::npos) << user;
    const auto list = b.get("/admin/accounts");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->status, 403) << user;
    EXPECT_NE(list->body.find("只有系统管理员可以管理工作人员账号"), std::string::npos);
    const std::string stayer = "/admin/accounts/" + std::to_string(idOf("stayer"));
    const auto confirm = b.get(stayer + "/deactivate");
    ASSERT_TRUE(confirm);
    EXPECT_EQ(confirm->status, 403) << user;
    const auto post = b.post(stayer + "/deactivate", "");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 403) << user;
    EXPECT_TRUE(isActive("stayer")) << user;
  }
  const auto anonymous = portal_->client().Get("/admin/accounts");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
  EXPECT_EQ(anonymous->get_header_value("Location").rfind("/admin/login", 0), 0u);
}

TEST_F(AccountPages, DeactivatingEndsTheOpenSessionAndRefusesLoginUntilReactivated) {
  const std::int64_t id = idOf("leaver");
  const std::string base = "/admin/accounts/" + std::to_string(id);
  e2e::StaffBrowser leaver(*portal_);
  ASSERT_EQ(leaver.login("leaver"), 303);
  ASSERT_EQ(leaver.get("/admin")->status, 200);

  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  const auto confirm = admin.get(base + "/deactivate");
  ASSERT_TRUE(confirm);
  ASSERT_EQ(confirm->status, 200);
  EXPECT_NE(confirm->body.find("赵离职"), std::string::npos);
  EXPECT_NE(confirm->body.find("所有登录会话立即结束"), std::string::npos);
  EXPECT_NE(confirm->body.find("确认停用"), std::string::npos);
  EXPECT_TRUE(isActive("leaver"));  // asking changes nothing

  const auto done = admin.post(base + "/deactivate", "");
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303);
  const auto list = admin.get(done->get_header_value("Location"));
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find("账号 leaver（赵离职）已停用"), std::string::npos);
  EXPECT_NE(list->body.find("已停用</span>"), std::string::npos);
  EXPECT_FALSE(isActive("leaver"));
  EXPECT_EQ(auditRows("account.deactivate", id), 1);

  // The session that was open is gone: the next page sends them to the login.
  const auto after = leaver.get("/admin");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->get_header_value("Location").rfind("/admin/login", 0), 0u);
  const auto refused = tryLogin("leaver");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_NE(refused->body.find("该账号已停用"), std::string::npos);

  const auto back = admin.post(base + "/activate", "");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->status, 303);
  const auto list2 = admin.get(back->get_header_value("Location"));
  ASSERT_TRUE(list2);
  EXPECT_NE(list2->body.find("账号 leaver（赵离职）已启用"), std::string::npos);
  EXPECT_EQ(auditRows("account.activate", id), 1);
  e2e::StaffBrowser again(*portal_);
  EXPECT_EQ(again.login("leaver"), 303);
}

TEST_F(AccountPages, AnAdministratorCannotDeactivateThemselves) {
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  const auto r = admin.post("/admin/accounts/" + std::to_string(idOf("admin")) + "/deactivate", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("不能停用自己正在使用的账号"), std::string::npos);
  EXPECT_TRUE(isActive("admin"));
  EXPECT_EQ(admin.get("/admin/accounts")->status, 200);
  // The confirmation page of one's own account says so and offers no button (review).
  const auto page = admin.get("/admin/accounts/" + std::to_string(idOf("admin")) + "/deactivate");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("不能停用自己正在使用的账号"), std::string::npos);
  EXPECT_EQ(page->body.find("确认停用"), std::string::npos);
}

TEST_F(AccountPages, MissingCsrfTokenChangesNothing) {
  e2e::StaffBrowser stayer(*portal_);
  ASSERT_EQ(stayer.login("stayer"), 303);
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  const std::int64_t id = idOf("stayer");
  const auto r = admin.post("/admin/accounts/" + std::to_string(id) + "/deactivate", "", false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(isActive("stayer"));
  EXPECT_EQ(auditRows("account.deactivate", id), 0);
  EXPECT_EQ(stayer.get("/admin")->status, 200);
  const auto create = admin.post(
      "/admin/accounts",
      "username=nocsrf&display_name=x&role=reviewer&password=" + percentEncode("Ruhe-Gut-83kl"),
      false);
  ASSERT_TRUE(create);
  EXPECT_EQ(create->status, 403);
  EXPECT_FALSE(service().accountByUsername("nocsrf"));
}

TEST_F(AccountPages, CreatingAnAccountShowsThePasswordPolicyAndThenLetsThePersonIn) {
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  const std::string form = "username=newcomer&display_name=" + percentEncode("孙新人") +
                           "&role=editor&department_id=" +
                           std::to_string(*service().account(idOf("leaver"))->department_id);
  const auto weak = admin.post("/admin/accounts", form + "&password=12345678");
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 422);
  EXPECT_NE(weak->body.find("密码至少需要10个字符"), std::string::npos);
  EXPECT_NE(weak->body.find("value=\"newcomer\""), std::string::npos);  // kept as typed
  EXPECT_FALSE(service().accountByUsername("newcomer"));

  const auto ok = admin.post("/admin/accounts", form + "&password=" + percentEncode(kPassword));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 303);
  const auto list = admin.get(ok->get_header_value("Location"));
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find("账号 newcomer（孙新人）已创建"), std::string::npos);
  EXPECT_EQ(auditRows("account.create", idOf("newcomer")), 1);
  e2e::StaffBrowser newcomer(*portal_);
  EXPECT_EQ(newcomer.login("newcomer"), 303);

  // Review: a reviewer given a department, or a department that is no number, is refused.
  const auto reviewer = admin.post(
      "/admin/accounts", "username=reviewer2&display_name=" + percentEncode("钱审核") +
                             "&role=reviewer&department_id=" +
                             std::to_string(*service().account(idOf("leaver"))->department_id) +
                             "&password=" + percentEncode(kPassword));
  ASSERT_TRUE(reviewer);
  EXPECT_EQ(reviewer->status, 422);
  EXPECT_NE(reviewer->body.find("不属于某一部门"), std::string::npos);
  const auto junk = admin.post("/admin/accounts",
                               "username=editor3&display_name=" + percentEncode("李编辑") +
                                   "&role=editor&department_id=abc&password=" +
                                   percentEncode(kPassword));
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 422);
  EXPECT_NE(junk->body.find("所选部门不存在"), std::string::npos);
  EXPECT_FALSE(service().accountByUsername("reviewer2"));
  EXPECT_FALSE(service().accountByUsername("editor3"));
}

}  // namespace
