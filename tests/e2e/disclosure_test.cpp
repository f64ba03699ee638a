// Before-enforcement disclosures (事前公开) end to end: the public pages, an editor publishing a
// new version with its reason, refusals that change nothing, search and the JSON API. Real
// server, real MariaDB, real index.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/connection.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

bool contains(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

class Disclosures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    config.server.max_request_bytes = 1 << 20;
    portal_ = new e2e::RunningPortal(config);
    e2e::createStaff(*portal_, "editor_zhzf", "editor", "zhzf");
    e2e::createStaff(*portal_, "editor_scjg", "editor", "scjg");
    e2e::createStaff(*portal_, "editor_sthj", "editor", "sthj");
    e2e::createStaff(*portal_, "admin", "admin");
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }

  static json api(const std::string& dept) {
    auto r = portal_->client().Get(("/api/v1/departments/" + dept + "/disclosures").c_str());
    if (!r || r->status != 200) return json{{"status", r ? r->status : 0}};
    return json::parse(r->body);
  }

  static json section(const std::string& dept, const std::string& code) {
    const json all = api(dept);
    for (const auto& s : all.at("sections")) {
      if (s.at("section") == code) return s;
    }
    return json();
  }

  // The edit form's body for `rows` (JSON rows as the API gives them), with a reason.
  static std::string formBody(const json& rows, int expected_version, const std::string& reason) {
    std::string body = "expected_version=" + std::to_string(expected_version) +
                       "&change_reason=" + percentEncode(reason);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (auto it = rows[i].begin(); it != rows[i].end(); ++it) {
        std::string v;
        if (it.value().is_array()) {
          for (const auto& line : it.value()) v += line.get<std::string>() + "\n";
        } else {
          v = it.value().get<std::string>();
        }
        body += "&" + it.key() + "_" + std::to_string(i) + "=" + percentEncode(v);
      }
    }
    // A blank row of the form, as the browser sends it.
    body += "&item_" + std::to_string(rows.size()) + "=&name_" + std::to_string(rows.size()) + "=";
    return body;
  }

  static std::int64_t versionsOf(const std::string& slug, const std::string& code) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(
        "SELECT COUNT(*) AS n FROM enforcement_disclosure_versions v "
        "JOIN enforcement_disclosures d ON d.id = v.disclosure_id "
        "JOIN departments p ON p.id = d.department_id WHERE p.slug = ? AND d.section = ?",
        slug, code);
    r.next();
    return r.i64("n");
  }

  static std::int64_t auditRows(const std::string& object_id) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'disclosure.publish' AND object_id = ?",
        object_id);
    r.next();
    return r.i64("n");
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* Disclosures::database_ = nullptr;
e2e::RunningPortal* Disclosures::portal_ = nullptr;

json inspectionRow(const std::string& item) {
  return json{{"item", item},
              {"subject", "夜间施工的建设工程施工单位"},
              {"basis", "《中华人民共和国噪声污染防治法》"},
              {"method", "双随机抽查、实地核查"},
              {"content", "是否取得夜间施工证明并公告附近居民"}};
}

TEST_F(Disclosures, PublicPageShowsTheFourSectionsWithStepsAndLinks) {
  auto r = portal_->client().Get("/departments/zhzf/disclosures");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  for (const char* text :
       {"执法公示·事前公开", "执法主体及职权", "执法程序与流程", "随机抽查事项清单", "监督救济渠道",
        "新区综合行政执法大队", "受委托组织", "行政处罚一般程序", "户外广告设施设置情况检查",
        "行政复议", "第 1 版", "/departments/zhzf/disclosures/inspections/history"}) {
    EXPECT_TRUE(contains(r->body, text)) << text;
  }
  // Procedure steps as an ordered list, in order.
  const auto steps = r->body.find("<ol class=\"steps\"><li>立案");
  ASSERT_NE(steps, std::string::npos);
  EXPECT_LT(r->body.find("调查取证", steps), r->body.find("送达：", steps));

  auto dept = portal_->client().Get("/departments/zhzf");
  ASSERT_TRUE(dept);
  EXPECT_TRUE(contains(dept->body, "/departments/zhzf/disclosures"));
  auto index = portal_->client().Get("/disclosures");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_TRUE(contains(index->body, "新区市场监督管理局"));
  EXPECT_TRUE(contains(index->body, "/departments/sthj/disclosures"));
}

TEST_F(Disclosures, UnknownDepartmentSectionOrVersionIsAChinesePageNotA500) {
  const std::vector<std::tuple<std::string, int, std::string>> cases = {
      {"/departments/nope/disclosures", 404, "未找到该部门"},
      {"/departments/zhzf/disclosures/officers/history", 404, "没有这一类执法公示内容"},
      {"/departments/zhzf/disclosures/bodies/history?version=99", 404, "没有这个版本"},
      {"/departments/zhzf/disclosures/bodies/history?version=abc", 400, "版本号应为正整数"},
      {"/departments/gwb/disclosures/bodies/history", 404, "尚未公布"},
      {"/api/v1/departments/nope/disclosures", 404, "未找到该部门"},
  };
  for (const auto& [path, status, text] : cases) {
    auto r = portal_->client().Get(path.c_str());
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, status) << path;
    EXPECT_TRUE(contains(r->body, text)) << path;
  }
}

TEST_F(Disclosures, EditorPublishesANewVersionThatThePublicPagesHistoryAndAuditShow) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto home = editor.get("/admin");
  ASSERT_TRUE(home);
  EXPECT_TRUE(contains(home->body, "/admin/departments/zhzf/disclosures"));
  auto overview = editor.get("/admin/departments/zhzf/disclosures");
  ASSERT_TRUE(overview);
  ASSERT_EQ(overview->status, 200);
  EXPECT_TRUE(contains(overview->body, "/admin/departments/zhzf/disclosures/inspections"));
  auto form = editor.get("/admin/departments/zhzf/disclosures/inspections");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(contains(form->body, "餐饮服务业油烟排放情况检查"));
  EXPECT_TRUE(contains(form->body, "name=\"expected_version\" value=\"1\""));

  json rows = section("zhzf", "inspections").at("rows");
  const std::size_t before = rows.size();
  rows.erase(rows.begin());  // 户外广告设施设置情况检查 leaves the list
  rows[0]["content"] = "是否按规定处置建筑垃圾；是否取得建筑垃圾处置核准";
  rows.push_back(inspectionRow("夜间施工噪声情况检查"));
  auto saved = editor.post("/admin/departments/zhzf/disclosures/inspections",
                           formBody(rows, 1, "新增2026年度夜间施工噪声抽查事项"));
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(saved->get_header_value("Location"),
            "/departments/zhzf/disclosures/inspections/history");

  auto page = portal_->client().Get("/departments/zhzf/disclosures");
  ASSERT_TRUE(page);
  EXPECT_TRUE(contains(page->body, "夜间施工噪声情况检查"));
  EXPECT_FALSE(contains(page->body, "户外广告设施设置情况检查"));
  EXPECT_TRUE(contains(page->body, "第 2 版"));
  EXPECT_TRUE(contains(page->body, "新增2026年度夜间施工噪声抽查事项"));

  auto history = portal_->client().Get("/departments/zhzf/disclosures/inspections/history");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->status, 200);
  EXPECT_TRUE(contains(history->body, "第 2 版与第 1 版比较"));
  EXPECT_TRUE(contains(history->body, "新增 1 行，删除 1 行，修改 1 行"));
  EXPECT_TRUE(contains(history->body, "<span class=\"tag\">新增</span> 夜间施工噪声情况检查"));
  EXPECT_TRUE(contains(history->body, "<span class=\"tag\">删除</span> 户外广告设施设置情况检查"));
  EXPECT_TRUE(contains(history->body, "<span class=\"tag\">修改</span> 建筑垃圾处置情况检查"));
  EXPECT_TRUE(contains(history->body, "未变的行：施工工地扬尘防治情况检查"));
  EXPECT_TRUE(contains(history->body, "新增2026年度夜间施工噪声抽查事项"));
  auto first = portal_->client().Get("/departments/zhzf/disclosures/inspections/history?version=1");
  ASSERT_TRUE(first);
  EXPECT_TRUE(contains(first->body, "首次公布"));

  const json s = section("zhzf", "inspections");
  EXPECT_EQ(s.at("version"), 2);
  EXPECT_EQ(s.at("rows").size(), before);
  EXPECT_EQ(versionsOf("zhzf", "inspections"), 2);
  EXPECT_EQ(auditRows("zhzf/inspections"), 1);
}

TEST_F(Disclosures, MissingReasonIsRefusedIn422KeepsTheFormAndWritesNothing) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  json rows = section("scjg", "bodies").at("rows");
  rows.push_back({{"name", "新区市场监管综合执法大队"},
                  {"nature", "受委托组织"},
                  {"powers", "委托范围内的行政处罚"},
                  {"basis", "委托书"}});
  auto r = editor.post("/admin/departments/scjg/disclosures/bodies", formBody(rows, 1, ""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "请填写修改理由"));
  EXPECT_TRUE(contains(r->body, "新区市场监管综合执法大队"));  // the editor's work is kept

  rows.back()["nature"] = "事业单位";
  auto bad = editor.post("/admin/departments/scjg/disclosures/bodies",
                         formBody(rows, 1, "增加受委托组织"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_TRUE(
      contains(bad->body, "第 2 行：主体性质应为行政机关、法律法规授权组织、受委托组织之一"));

  EXPECT_EQ(versionsOf("scjg", "bodies"), 1);
  EXPECT_EQ(auditRows("scjg/bodies"), 0);
  EXPECT_FALSE(contains(portal_->client().Get("/departments/scjg/disclosures")->body,
                        "新区市场监管综合执法大队"));
}

TEST_F(Disclosures, AStaleVersionIsRefusedWith409AndTheFormKept) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  json rows = section("scjg", "remedies").at("rows");
  rows[0]["note"] = "自知道或者应当知道该行政行为之日起六十日内提出";
  auto first = editor.post("/admin/departments/scjg/disclosures/remedies",
                           formBody(rows, 1, "补充行政复议申请期限"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 303) << first->body;

  // A second editor (here: an administrator) still working from version 1.
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  rows[1]["contact"] = "新区人民法院立案庭";
  auto stale = admin.post("/admin/departments/scjg/disclosures/remedies",
                          formBody(rows, 1, "更新行政诉讼受理地址"));
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
  EXPECT_TRUE(contains(stale->body, "已被他人更新为第 2 版"));
  EXPECT_TRUE(contains(stale->body, "新区人民法院立案庭"));
  EXPECT_EQ(versionsOf("scjg", "remedies"), 2);
}

// An outside audit found the form saved untouched published a new version identical to the
// last one (an item's edit form says 无变化 in 422).
TEST_F(Disclosures, SavingTheFormUntouchedPublishesNothing) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  const json current = section("scjg", "procedures");
  const int version = current.at("version").get<int>();
  auto r = editor.post("/admin/departments/scjg/disclosures/procedures",
                       formBody(current.at("rows"), version, "核对后重新发布"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "无变化")) << r->body;
  EXPECT_EQ(versionsOf("scjg", "procedures"), version);
  EXPECT_EQ(auditRows("scjg/procedures"), 0);
}

TEST_F(Disclosures, AnotherDepartmentsEditorGets403AndChangesNothing) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  auto form = editor.get("/admin/departments/sthj/disclosures/procedures");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403);
  EXPECT_TRUE(contains(form->body, "您只能修改本部门的执法公示"));
  const json rows = section("sthj", "procedures").at("rows");
  auto r =
      editor.post("/admin/departments/sthj/disclosures/procedures", formBody(rows, 1, "越权修改"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(versionsOf("sthj", "procedures"), 1);
}

TEST_F(Disclosures, WithoutTheCsrfTokenNothingChanges) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_sthj"), 303);
  json rows = section("sthj", "remedies").at("rows");
  rows[0]["note"] = "六十日";
  auto r = editor.post("/admin/departments/sthj/disclosures/remedies",
                       formBody(rows, 1, "补充说明"), false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(versionsOf("sthj", "remedies"), 1);
  EXPECT_EQ(section("sthj", "remedies").at("version"), 1);
}

TEST_F(Disclosures, SearchFindsInspectionItemsIncludingANewlyPublishedOne) {
  auto hits = [](const std::string& q) {
    auto r = portal_->client().Get(("/api/v1/search?q=" + percentEncode(q)).c_str());
    return r && r->status == 200 ? json::parse(r->body).at("hits") : json::array();
  };
  auto found = [&](const std::string& q, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      const json list = hits(q);
      for (const auto& h : list) {
        if (h.at("id") == id) return h;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return json();
  };
  const json demo = found("排污许可证执行情况检查", "disclosure:sthj/inspections");
  ASSERT_FALSE(demo.is_null());
  EXPECT_EQ(demo.at("kind"), "disclosure");
  EXPECT_EQ(demo.at("kind_label"), "执法公示");
  EXPECT_EQ(demo.at("url"), "/departments/sthj/disclosures#inspections");

  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_sthj"), 303);
  json rows = section("sthj", "inspections").at("rows");
  rows.push_back({{"item", "地下水污染防治情况检查"},
                  {"subject", "化学品生产企业和工业集聚区"},
                  {"basis", "《中华人民共和国水污染防治法》"},
                  {"method", "双随机抽查、监测采样"},
                  {"content", "防渗漏措施和地下水水质监测情况"}});
  auto saved = editor.post("/admin/departments/sthj/disclosures/inspections",
                           formBody(rows, 1, "新增地下水污染防治抽查事项"));
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_FALSE(found("地下水污染防治", "disclosure:sthj/inspections").is_null());

  auto page = portal_->client().Get(("/search?q=" + percentEncode("地下水污染防治")).c_str());
  ASSERT_TRUE(page);
  EXPECT_TRUE(contains(page->body, "执法公示"));
  EXPECT_TRUE(contains(page->body, "/departments/sthj/disclosures#inspections"));
}

// The ecology bureau's 执法主体及职权 says its remit covers air, water, noise and waste; a citizen
// describing a factory's fumes should meet the item that gives that power first (the section
// was the first hit; it named the act 废气 points to, until the passes that name an act left
// disclosures out), and still find the section after it.
TEST_F(Disclosures, ABodysRemitFindsItsSectionAfterTheItemsOnThatSubject) {
  auto r = portal_->client().Get(("/api/v1/search?page_size=50&q=" + percentEncode("工厂排放废气")).c_str());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json hits = json::parse(r->body).at("hits");
  int section_rank = -1;
  for (int i = 0; i < static_cast<int>(hits.size()); ++i) {
    if (hits[i].at("id") == "disclosure:sthj/bodies") section_rank = i;
  }
  ASSERT_GE(section_rank, 0) << "the section is no longer found by its remit";
  // The act the cue 废气 names (大气污染物) leads; the section comes after it, found by the
  // citizen's words among the other items on discharge.
  const std::string first = hits.at(0).at("title");
  EXPECT_EQ(hits.at(0).at("kind"), "item") << hits.dump(1);
  EXPECT_TRUE(contains(first, "大气污染物") && contains(first, "排放")) << hits.dump(1);
  EXPECT_GE(section_rank, 2) << hits.dump(1);
}

TEST_F(Disclosures, JsonApiReturnsEverySectionWithVersionAndContent) {
  const json by_slug = api("scjg");
  ASSERT_TRUE(by_slug.contains("sections")) << by_slug.dump();
  EXPECT_EQ(by_slug.at("department").at("slug"), "scjg");
  ASSERT_EQ(by_slug.at("sections").size(), 4u);
  const json& bodies = by_slug.at("sections")[0];
  EXPECT_EQ(bodies.at("section"), "bodies");
  EXPECT_EQ(bodies.at("name"), "执法主体及职权");
  EXPECT_TRUE(bodies.at("published").get<bool>());
  EXPECT_GE(bodies.at("version").get<int>(), 1);
  EXPECT_EQ(bodies.at("rows")[0].at("name"), "新区市场监督管理局");
  EXPECT_EQ(bodies.at("fields").at("nature"), "主体性质");
  const json& procedures = by_slug.at("sections")[1];
  ASSERT_TRUE(procedures.at("rows")[0].at("steps").is_array());
  EXPECT_EQ(procedures.at("rows")[0].at("steps")[0].get<std::string>().rfind("立案", 0), 0u);

  const json by_id = api(std::to_string(by_slug.at("department").at("id").get<std::int64_t>()));
  EXPECT_EQ(by_id.at("sections")[2].at("rows"), by_slug.at("sections")[2].at("rows"));

  const json none = api("gwb");
  ASSERT_EQ(none.at("sections").size(), 4u);
  EXPECT_FALSE(none.at("sections")[0].at("published").get<bool>());
}

}  // namespace
