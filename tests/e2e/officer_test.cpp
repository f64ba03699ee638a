// Officers and their certificates (seed item 12): the public roster and certificate check, the
// JSON API, and editors keeping the roster current. Real server, real MariaDB, demo data.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/connection.h"
#include "hotline/local_clock.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;
using Browser = e2e::StaffBrowser;

// Demo certificates whose standing does not depend on the day the test runs.
constexpr const char* kExpired = "吉220103190008";      // 赵海涛, inspection due 2023-05-11
constexpr const char* kReplacedOld = "吉220101200015";  // 孙立新's old number
constexpr const char* kReplacedNew = "吉220101250042";
constexpr const char* kRevoked = "吉220105210004";  // 周明
constexpr const char* kWangJianguo = "吉220101210031";

std::string checkPath(const std::string& number) {
  return "/certificates/check?number=" + percentEncode(number);
}

// A date the server accepts as "not in the future" whatever day the test runs.
std::string daysAgo(int days) { return hotline::LocalClock().now().date.addDays(-days).toString(); }

class OfficerFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    portal_ = new e2e::RunningPortal(config);
    e2e::createStaff(*portal_, "editor_zhzf", "editor", "zhzf");
    e2e::createStaff(*portal_, "editor_scjg", "editor", "scjg");
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
  static json apiGet(const std::string& path, int expected_status) {
    auto r = portal_->client().Get(path.c_str());
    EXPECT_TRUE(r);
    if (!r) return json();
    EXPECT_EQ(r->status, expected_status) << path << "\n" << r->body;
    return json::parse(r->body);
  }
  static std::string addForm(const std::string& name, const std::string& number) {
    return "name=" + percentEncode(name) + "&number=" + percentEncode(number) +
           "&category=" + percentEncode("城市管理综合执法") +
           "&region=" + percentEncode("新区全域") + "&post=" + percentEncode("执法三中队队员") +
           "&issued_on=" + daysAgo(40) + "&last_inspected_on=";
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* OfficerFlow::database_ = nullptr;
e2e::RunningPortal* OfficerFlow::portal_ = nullptr;

TEST_F(OfficerFlow, PublicCertificateCheck) {
  struct Case {
    std::string path;
    int status;
    std::vector<std::string> shows;
  };
  const Case cases[] = {
      {"/certificates/check", 200, {"执法证件查询", "name=\"number\""}},
      {checkPath(kExpired),
       200,
       {"已过期（未按期检验）", "2023-05-11", "新区生态环境分局", "生态环境保护", "逾期未检验"}},
      {checkPath(kReplacedOld),
       200,
       {"已换发", "已换发，新证号 吉220101250042", checkPath(kReplacedNew)}},
      {checkPath(kRevoked), 200, {"已注销", "2025-12-15", "新区卫生健康局"}},
      {checkPath("吉220101999999"), 404, {"未查到执法证号为 吉220101999999 的证件"}},
      {checkPath("12-34"), 400, {"证号格式有误", "只能由数字和英文字母组成"}},
      {checkPath("2201012"), 400, {"证号格式有误", "8至20位"}},
      {checkPath("张22010121"), 400, {"省份简称"}},
      // Typed with full-width digits and spaces, it is the same certificate.
      {checkPath(" 吉２２０１０３１９０００８ "), 200, {"已过期（未按期检验）"}},
      // Without its province character, and in full-width digits: the same certificate, with
      // the holder's name the roster publishes, so a citizen can match the card to the person.
      {checkPath("２２０１０３１９０００８"), 200, {"已过期（未按期检验）", "持证人", "赵海涛"}},
      {checkPath("220101210031"), 200, {"王建国", "新区综合行政执法局"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    auto r = portal_->client().Get(c.path.c_str());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status);
    for (const auto& s : c.shows) EXPECT_NE(r->body.find(s), std::string::npos) << s;
  }
  // The revocation's reason and the officers' posts are not public.
  auto revoked = portal_->client().Get(checkPath(kRevoked).c_str());
  EXPECT_EQ(revoked->body.find("调离行政执法岗位"), std::string::npos);
  EXPECT_EQ(revoked->body.find("卫生监督所监督员"), std::string::npos);

  const json expired = apiGet("/api/v1/certificates/" + percentEncode(kExpired), 200);
  EXPECT_EQ(expired["valid"], false);
  EXPECT_EQ(expired["status"], "expired");
  EXPECT_EQ(expired["valid_through"], "2023-05-11");
  EXPECT_EQ(expired["department"]["slug"], "sthj");
  EXPECT_FALSE(expired.contains("post"));
  const json replaced = apiGet("/api/v1/certificates/" + percentEncode(kReplacedOld), 200);
  EXPECT_EQ(replaced["status"], "replaced");
  EXPECT_EQ(replaced["replaced_by"], kReplacedNew);
  EXPECT_EQ(
      apiGet("/api/v1/certificates/" + percentEncode("吉220101999999"), 404)["error"]["status"],
      404);
  EXPECT_NE(apiGet("/api/v1/certificates/2201012", 400)["error"]["message"].get<std::string>().find(
                "8至20位"),
            std::string::npos);
}

TEST_F(OfficerFlow, RosterShowsNameNumberCategoryRegionAndStatusOnly) {
  auto home = portal_->client().Get("/");
  EXPECT_NE(home->body.find("href=\"/certificates/check\""), std::string::npos);
  auto dept = portal_->client().Get("/departments/zhzf");
  EXPECT_NE(dept->body.find("href=\"/departments/zhzf/officers\""), std::string::npos);

  auto r = portal_->client().Get("/departments/zhzf/officers");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  for (const char* s : {"执法人员名单", "王建国", kWangJianguo, "孙立新", kReplacedNew,
                        "城市管理综合执法", "新区全域"}) {
    EXPECT_NE(r->body.find(s), std::string::npos) << s;
  }
  // Not a second row for the replaced number; no post, issue or inspection dates.
  for (const char* s :
       {kReplacedOld, "执法一中队", "执法二中队", "2021-04-12", "2026-04-20", "2025-09-01"}) {
    EXPECT_EQ(r->body.find(s), std::string::npos) << s;
  }
  auto revoked = portal_->client().Get("/departments/wjj/officers?status=revoked");
  EXPECT_NE(revoked->body.find("周明"), std::string::npos);
  EXPECT_NE(revoked->body.find("已注销"), std::string::npos);
  EXPECT_EQ(revoked->body.find("调离行政执法岗位"), std::string::npos);
  auto none = portal_->client().Get("/departments/wjj/officers?status=valid");
  EXPECT_NE(none->body.find("没有符合条件的执法人员"), std::string::npos);
  auto category = portal_->client().Get(
      ("/departments/zhzf/officers?category=" + percentEncode("生态环境保护")).c_str());
  EXPECT_EQ(category->body.find("王建国"), std::string::npos);
  EXPECT_EQ(portal_->client().Get("/departments/zhzf/officers?status=bogus")->status, 400);
  EXPECT_EQ(portal_->client().Get("/departments/nowhere/officers")->status, 404);

  const json api = apiGet("/api/v1/departments/sthj/officers", 200);
  ASSERT_EQ(api["officers"].size(), 1u);
  EXPECT_EQ(api["officers"][0]["officer_name"], "赵海涛");
  EXPECT_EQ(api["officers"][0]["status"], "expired");
  EXPECT_FALSE(api["officers"][0].contains("post"));
  EXPECT_FALSE(api["officers"][0].contains("issued_on"));
  const json by_id =
      apiGet("/api/v1/departments/" + std::to_string(api["department"]["id"].get<std::int64_t>()) +
                 "/officers",
             200);
  EXPECT_EQ(by_id["officers"].size(), 1u);
}

TEST_F(OfficerFlow, EditorAddsAnOfficerAndReissuesTheCertificate) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto home = editor.get("/admin");
  EXPECT_NE(home->body.find("/admin/departments/zhzf/officers"), std::string::npos);
  auto page = editor.get("/admin/departments/zhzf/officers");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("新增执法人员"), std::string::npos);

  // Typed in lower case: stored and shown normalised.
  auto added =
      editor.post("/admin/departments/zhzf/officers", addForm("陈晓东", "吉a2201012600501"));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 303);
  const json fresh = apiGet("/api/v1/certificates/" + percentEncode("吉A2201012600501"), 200);
  EXPECT_EQ(fresh["valid"], true);
  EXPECT_EQ(fresh["status"], "valid");
  EXPECT_EQ(fresh["officer_name"], "陈晓东") << "the name the roster already publishes";
  EXPECT_FALSE(fresh.contains("post")) << "no other personal data";

  auto reissued =
      editor.post("/admin/departments/zhzf/officers/reissue",
                  "number=" + percentEncode("吉A2201012600501") +
                      "&new_number=" + percentEncode("吉A2201012600502") + "&category=" +
                      percentEncode("城市管理综合执法") + "&region=" + percentEncode("长青街道") +
                      "&post=" + percentEncode("执法三中队队员") + "&issued_on=" + daysAgo(1));
  ASSERT_TRUE(reissued);
  EXPECT_EQ(reissued->status, 303) << reissued->body;
  auto old = portal_->client().Get(checkPath("吉A2201012600501").c_str());
  EXPECT_NE(old->body.find("已换发，新证号 吉A2201012600502"), std::string::npos);
  const json now = apiGet("/api/v1/certificates/" + percentEncode("吉A2201012600502"), 200);
  EXPECT_EQ(now["valid"], true);
  EXPECT_EQ(now["region"], "长青街道");

  auto inspected =
      editor.post("/admin/departments/zhzf/officers/inspect",
                  "number=" + percentEncode("吉A2201012600502") + "&inspected_on=" + daysAgo(0));
  EXPECT_EQ(inspected->status, 303);

  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE username = ? AND action LIKE "
                  "'officer.%'",
                  "editor_zhzf"),
            3);

  // A second registration of the same number, typed differently: refused, form kept.
  auto dup = editor.post("/admin/departments/zhzf/officers", addForm("李四", " 吉Ａ2201012600502"));
  EXPECT_EQ(dup->status, 409);
  EXPECT_NE(dup->body.find("已经登记过"), std::string::npos);
  EXPECT_NE(dup->body.find("value=\"李四\""), std::string::npos);
  auto bad = editor.post("/admin/departments/zhzf/officers", addForm("李四", "吉12"));
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find("8至20位"), std::string::npos);
  auto no_reason = editor.post("/admin/departments/zhzf/officers/revoke",
                               "number=" + percentEncode("吉A2201012600502") + "&reason=");
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_NE(no_reason->body.find("请填写注销原因"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officers WHERE name = ?", "李四"), 0);
}

// Revoking cannot be undone and shows on the public check at once (outside audit): the roster
// only links to a page of its own that names the officer and the certificate and says what
// follows; that page's form revokes.
TEST_F(OfficerFlow, RevokingAsksFirstOnAPageOfItsOwn) {
  const std::string number = "吉A2201012600610";
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  ASSERT_EQ(editor.post("/admin/departments/zhzf/officers", addForm("韩立明", number))->status,
            303);

  auto roster = editor.get("/admin/departments/zhzf/officers");
  ASSERT_EQ(roster->status, 200);
  EXPECT_EQ(roster->body.find("action=\"/admin/departments/zhzf/officers/revoke\""),
            std::string::npos)
      << "no form on the roster revokes with one click";
  const std::string confirm_path =
      "/admin/departments/zhzf/officers/revoke?number=" + percentEncode(number);
  EXPECT_NE(roster->body.find("href=\"" + confirm_path + "\""), std::string::npos);

  auto confirm = editor.get(confirm_path);
  ASSERT_EQ(confirm->status, 200);
  EXPECT_NE(confirm->body.find("韩立明"), std::string::npos);
  EXPECT_NE(confirm->body.find(number), std::string::npos);
  EXPECT_NE(confirm->body.find("注销后不能恢复，公众查询将显示“已注销”"), std::string::npos);
  EXPECT_NE(confirm->body.find("action=\"/admin/departments/zhzf/officers/revoke\""),
            std::string::npos);
  EXPECT_NE(confirm->body.find("name=\"reason\""), std::string::npos);
  EXPECT_EQ(apiGet("/api/v1/certificates/" + percentEncode(number), 200)["status"], "valid")
      << "opening the page changes nothing";

  // Without a reason the page comes back, saying so.
  auto no_reason = editor.post("/admin/departments/zhzf/officers/revoke",
                               "number=" + percentEncode(number) + "&reason=");
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_NE(no_reason->body.find("注销后不能恢复"), std::string::npos);

  auto revoked = editor.post(
      "/admin/departments/zhzf/officers/revoke",
      "number=" + percentEncode(number) + "&reason=" + percentEncode("调离行政执法岗位"));
  ASSERT_EQ(revoked->status, 303) << revoked->body;
  auto check = portal_->client().Get(checkPath(number).c_str());
  ASSERT_EQ(check->status, 200);
  EXPECT_NE(check->body.find("已注销"), std::string::npos);
  EXPECT_EQ(apiGet("/api/v1/certificates/" + percentEncode(number), 200)["status"], "revoked");

  // Once revoked there is nothing left to confirm; nor is another department's certificate.
  EXPECT_EQ(editor.get(confirm_path)->status, 409);
  const std::string unknown =
      "/admin/departments/zhzf/officers/revoke?number=" + percentEncode("吉A2201012600699");
  EXPECT_EQ(editor.get(unknown)->status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'officer.revoke' AND "
                  "object_id = ?",
                  number),
            1);
}

TEST_F(OfficerFlow, EditorOfAnotherDepartmentIsRefused) {
  Browser other(*portal_);
  ASSERT_EQ(other.login("editor_scjg"), 303);
  EXPECT_EQ(other.get("/admin/departments/zhzf/officers")->status, 403);
  EXPECT_EQ(
      other.get("/admin/departments/zhzf/officers/revoke?number=" + percentEncode(kWangJianguo))
          ->status,
      403);
  other.get("/admin/departments/scjg/officers");  // a valid CSRF token of this session
  auto add = other.post("/admin/departments/zhzf/officers", addForm("越权", "吉220101260900"));
  EXPECT_EQ(add->status, 403);
  auto revoke =
      other.post("/admin/departments/zhzf/officers/revoke",
                 "number=" + percentEncode(kWangJianguo) + "&reason=" + percentEncode("越权注销"));
  EXPECT_EQ(revoke->status, 403);
  // Nor through its own department's address.
  auto sideways =
      other.post("/admin/departments/scjg/officers/revoke",
                 "number=" + percentEncode(kWangJianguo) + "&reason=" + percentEncode("越权注销"));
  EXPECT_EQ(sideways->status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officers WHERE name = ?", "越权"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officer_certificates WHERE number = ? AND "
                  "status = 'active'",
                  kWangJianguo),
            1);
}

TEST_F(OfficerFlow, MissingCsrfTokenChangesNothing) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto add =
      editor.post("/admin/departments/zhzf/officers", addForm("无令牌", "吉220101260901"), false);
  EXPECT_EQ(add->status, 403);
  EXPECT_NE(add->body.find("表单已过期"), std::string::npos);
  auto revoke = editor.post("/admin/departments/zhzf/officers/revoke",
                            "number=" + percentEncode(kWangJianguo) + "&reason=x", false);
  EXPECT_EQ(revoke->status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officers WHERE name = ?", "无令牌"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officer_certificates WHERE number = ? AND "
                  "status = 'active'",
                  kWangJianguo),
            1);
}

// Polls the search API until an officer hit whose title contains `title_part` appears for
// `query`; false after 10 s.
bool searchFinds(e2e::RunningPortal& portal, const std::string& query,
                 const std::string& title_part) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = portal.client().Get(("/api/v1/search?q=" + percentEncode(query)).c_str());
    if (r && r->status == 200) {
      const json result = json::parse(r->body);
      for (const auto& h : result["hits"]) {
        if (h["kind"] == "officer" &&
            h["title"].get<std::string>().find(title_part) != std::string::npos) {
          return true;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_F(OfficerFlow, SearchFindsAnOfficerByCertificateNumber) {
  EXPECT_TRUE(searchFinds(*portal_, kWangJianguo, "王建国"));
  // The old number of a re-issued certificate still finds its holder, typed full-width.
  EXPECT_TRUE(searchFinds(*portal_, "吉２２０１０１２０００１５", "孙立新"));
  auto page = portal_->client().Get(("/search?q=" + percentEncode(kWangJianguo)).c_str());
  EXPECT_NE(page->body.find("执法人员"), std::string::npos);
  EXPECT_NE(page->body.find(checkPath(kWangJianguo)), std::string::npos);

  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  editor.get("/admin/departments/zhzf/officers");
  ASSERT_EQ(
      editor.post("/admin/departments/zhzf/officers", addForm("林海燕", "吉220101260777"))->status,
      303);
  EXPECT_TRUE(searchFinds(*portal_, "吉220101260777", "林海燕"));
}

}  // namespace
