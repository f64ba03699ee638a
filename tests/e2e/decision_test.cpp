// After-enforcement disclosure end to end: an editor registers a decision, the redaction check
// stops personal data, the decision is published and found by search, then withdrawn with a
// reason and the public page shows only the withdrawal notice. Real server, real MariaDB, real
// Xapian index.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "db/connection.h"
#include "hotline/local_clock.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool waitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 250; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string daysAgo(int days) {
  return hotline::LocalClock().now().date.addDays(-days).toString();
}

struct DecisionForm {
  std::string number = "长新综执罚决字〔2026〕第0901号";
  std::string kind = "penalty";
  std::string party_kind = "person";
  std::string party_name = "王小明";
  std::string facts = "当事人王小明在新区临河街占道经营烧烤，经责令改正拒不改正。";
  std::string basis = "《城市市容和环境卫生管理条例》第三十六条";
  std::string outcome_type = "fine";
  std::string outcome = "罚款人民币伍佰元整。";
  std::string amount = "500";
  std::string date = daysAgo(1);
  bool minor = false;

  std::string body() const {
    return "decision_number=" + percentEncode(number) + "&decision_kind=" + kind +
           "&party_kind=" + party_kind + "&party_name=" + percentEncode(party_name) +
           "&facts=" + percentEncode(facts) + "&legal_basis=" + percentEncode(basis) +
           "&outcome_type=" + outcome_type + "&outcome_text=" + percentEncode(outcome) +
           "&fine_amount=" + amount + "&decision_date=" + date + (minor ? "&involves_minor=1" : "");
  }
};

class DecisionFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal_ = new e2e::RunningPortal(e2e::testConfig(database_->options()));
    e2e::createStaff(*portal_, "editor_zhzf", "editor", "zhzf");
    e2e::createStaff(*portal_, "editor_scjg", "editor", "scjg");
    e2e::createStaff(*portal_, "legal", "reviewer");
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

  // Registers a decision in 综合行政执法局 through the form.
  static httplib::Result submit(e2e::StaffBrowser& b, const DecisionForm& f) {
    b.get("/admin/departments/zhzf/decisions/new");
    return b.post("/admin/departments/zhzf/decisions", f.body());
  }
  // The same, returning the decision's staff URL, or "" when refused.
  static std::string create(e2e::StaffBrowser& b, const DecisionForm& f) {
    auto r = submit(b, f);
    return r && r->status == 303 ? r->get_header_value("Location") : "";
  }

  static bool searchFinds(const std::string& q, const std::string& id) {
    auto r = portal_->client().Get(("/api/v1/search?q=" + percentEncode(q)).c_str());
    if (!r || r->status != 200) return false;
    const json result = json::parse(r->body);
    for (const auto& h : result["hits"]) {
      if (h["id"] == id) return true;
    }
    return false;
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* DecisionFlow::database_ = nullptr;
e2e::RunningPortal* DecisionFlow::portal_ = nullptr;

TEST_F(DecisionFlow, PublishFindBySearchWithdrawAndSeeTheNotice) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.facts += "联系电话13912345678。";
  const std::string url = create(editor, f);
  ASSERT_FALSE(url.empty());
  const std::string id = url.substr(url.rfind('/') + 1);

  // A draft is not public.
  EXPECT_EQ(portal_->client().Get(("/decisions/" + id).c_str())->status, 404);
  auto staff_page = editor.get(url);
  ASSERT_EQ(staff_page->status, 200);
  EXPECT_TRUE(contains(staff_page->body, "公开期限："));
  EXPECT_TRUE(contains(staff_page->body, "13912345678"));  // flagged for the editor

  // The phone number stops publication until removed or confirmed.
  auto refused = editor.post(url + "/publish", "");
  ASSERT_EQ(refused->status, 422);
  EXPECT_TRUE(contains(refused->body, "13912345678"));
  EXPECT_EQ(portal_->client().Get(("/decisions/" + id).c_str())->status, 404);

  // The editor removes it and publishes.
  f.facts = DecisionForm().facts;
  editor.get(url + "/edit");
  ASSERT_EQ(editor.post(url, f.body())->status, 303);
  editor.get(url);
  ASSERT_EQ(editor.post(url + "/publish", "")->status, 303);

  auto page = portal_->client().Get(("/decisions/" + id).c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_TRUE(contains(page->body, "王某某"));
  EXPECT_FALSE(contains(page->body, "王小明")) << "a person's name is never public";
  EXPECT_TRUE(contains(page->body, "占道经营烧烤"));
  EXPECT_TRUE(contains(page->body, "罚款 500 元"));
  auto list = portal_->client().Get("/decisions?department=zhzf");
  EXPECT_TRUE(contains(list->body, f.number));
  EXPECT_TRUE(waitFor([&] { return searchFinds("占道经营烧烤", "decision:" + id); }));
  EXPECT_TRUE(searchFinds("长新综执罚决字〔2026〕第0901号", "decision:" + id));

  // Withdrawing needs a reason; without one nothing changes.
  editor.get(url);
  auto no_reason = editor.post(url + "/withdraw", "changed_on=" + daysAgo(0) + "&reason=");
  ASSERT_EQ(no_reason->status, 422);
  EXPECT_TRUE(contains(no_reason->body, "请填写撤下的理由"));
  EXPECT_TRUE(contains(portal_->client().Get(("/decisions/" + id).c_str())->body, "占道经营烧烤"));

  // The reason is public too: personal data in it is refused like in the decision.
  auto leaky = editor.post(url + "/withdraw", "changed_on=" + daysAgo(0) + "&reason=" +
                                                  percentEncode("当事人电话13912345678，复议撤销。"));
  ASSERT_EQ(leaky->status, 422);
  EXPECT_TRUE(contains(
      leaky->body, "撤下理由中疑似手机号码“13912345678”（“当事人电话13912345678，复议撤销。”）"))
      << "quoted where it stands";
  EXPECT_TRUE(contains(portal_->client().Get(("/decisions/" + id).c_str())->body, "占道经营烧烤"));

  auto withdrawn = editor.post(url + "/withdraw", "changed_on=" + daysAgo(0) + "&reason=" +
                                                     percentEncode("经行政复议，原决定被撤销。"));
  ASSERT_EQ(withdrawn->status, 303);
  page = portal_->client().Get(("/decisions/" + id).c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_TRUE(contains(page->body, "本决定已撤下"));
  EXPECT_TRUE(contains(page->body, "经行政复议，原决定被撤销。"));
  EXPECT_FALSE(contains(page->body, "占道经营烧烤")) << "the content is no longer shown";
  auto api = portal_->client().Get(("/api/v1/decisions/" + id).c_str());
  const json j = json::parse(api->body);
  EXPECT_EQ(j["state"], "withdrawn");
  EXPECT_FALSE(j.contains("facts"));
  EXPECT_TRUE(waitFor([&] { return !searchFinds("占道经营烧烤", "decision:" + id); }));
}

TEST_F(DecisionFlow, BadInputIsRefusedInChineseAndWritesNothing) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  const auto before = count("SELECT COUNT(*) AS n FROM enforcement_decisions");
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0902号";
  f.basis = "";
  f.date = "";
  auto r = submit(editor, f);
  ASSERT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "请填写法律依据"));
  EXPECT_TRUE(contains(r->body, "请填写作出决定的日期"));
  EXPECT_TRUE(contains(r->body, "占道经营烧烤")) << "the form keeps what was typed";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM enforcement_decisions"), before);

  // Without the CSRF token: refused, nothing written.
  auto no_csrf = editor.post("/admin/departments/zhzf/decisions", DecisionForm().body(), false);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM enforcement_decisions"), before);

  // Another department's editor may not register or publish here.
  e2e::StaffBrowser other(*portal_);
  ASSERT_EQ(other.login("editor_scjg"), 303);
  other.get("/admin/decisions");
  EXPECT_EQ(other.post("/admin/departments/zhzf/decisions", DecisionForm().body())->status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM enforcement_decisions"), before);
}

TEST_F(DecisionFlow, ADecisionAboutAMinorIsNeverPublished) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0903号";
  f.minor = true;
  const std::string url = create(editor, f);
  ASSERT_FALSE(url.empty());
  editor.get(url);
  auto r = editor.post(url + "/publish", "");
  ASSERT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "涉及未成年人，依法不予公开"));
  const std::string id = url.substr(url.rfind('/') + 1);
  EXPECT_EQ(portal_->client().Get(("/decisions/" + id).c_str())->status, 404);
}

// The outside audit: a neighbour named in the facts went through the check. Publishing is now
// refused with a message that quotes the name where it stands, and nothing becomes public.
TEST_F(DecisionFlow, ANeighboursNameInTheFactsIsRefusedAndNothingIsPublished) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0905号";
  f.facts += "因油烟扰民，邻居李娜多次投诉。";
  const std::string url = create(editor, f);
  ASSERT_FALSE(url.empty());
  const std::string id = url.substr(url.rfind('/') + 1);
  auto staff_page = editor.get(url);
  ASSERT_EQ(staff_page->status, 200);
  EXPECT_TRUE(contains(staff_page->body, "第三人姓名“<mark>李娜</mark>”")) << "flagged before";

  auto refused = editor.post(url + "/publish", "");
  ASSERT_EQ(refused->status, 422);
  EXPECT_TRUE(contains(refused->body,
                       "主要事实中疑似第三人姓名“李娜”（“因油烟扰民，邻居李娜多次投诉。”）："
                       "请删除，或确认可以公开。"))
      << refused->body;
  EXPECT_EQ(portal_->client().Get(("/decisions/" + id).c_str())->status, 404);
  EXPECT_EQ(portal_->client().Get(("/api/v1/decisions/" + id).c_str())->status, 404);
  EXPECT_FALSE(contains(portal_->client().Get("/decisions?department=zhzf")->body, f.number));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM enforcement_decisions WHERE id = " + id +
                  " AND state = 'draft' AND published_at IS NULL"),
            1);
}

// A child's age can not be confirmed away like a company's phone number: it must be removed.
TEST_F(DecisionFlow, AChildsAgeInTheFactsIsRefusedEvenWhenConfirmed) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0906号";
  f.facts += "当事人之子刘洋（15岁）在摊位帮忙。";
  const std::string url = create(editor, f);
  ASSERT_FALSE(url.empty());
  const std::string id = url.substr(url.rfind('/') + 1);
  auto staff_page = editor.get(url);
  EXPECT_TRUE(contains(staff_page->body, "“<mark>刘洋（15岁）</mark>”不得公开"));
  EXPECT_FALSE(contains(staff_page->body, "value=\"minor:")) << "no box to confirm it";

  auto refused = editor.post(url + "/publish", "confirm=" + percentEncode("minor:刘洋（15岁）"));
  ASSERT_EQ(refused->status, 422);
  EXPECT_TRUE(contains(refused->body, "主要事实中有未成年人信息“刘洋（15岁）”"));
  EXPECT_TRUE(contains(refused->body, "涉及未成年人的信息依法不予公开，不能确认公开"));
  EXPECT_EQ(portal_->client().Get(("/decisions/" + id).c_str())->status, 404);
}

TEST_F(DecisionFlow, TheLegalOfficeSeesOverdueDecisions) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0904号";
  f.party_kind = "organisation";
  f.party_name = "长春市迟到餐饮有限公司";
  f.date = daysAgo(40);  // 7 working days are long past
  ASSERT_FALSE(create(editor, f).empty());

  e2e::StaffBrowser legal(*portal_);
  ASSERT_EQ(legal.login("legal"), 303);
  auto queue = legal.get("/admin/decisions");
  ASSERT_EQ(queue->status, 200);
  const std::regex row("<tr class=\"overdue\">\\s*<td class=\"code\"><a [^>]*>长新综执罚决字〔2026〕第0904号");
  EXPECT_TRUE(std::regex_search(queue->body, row)) << "listed as overdue";
  // The legal office reads but does not publish.
  const auto at = queue->body.find("第0904号");
  ASSERT_NE(at, std::string::npos);
}

TEST_F(DecisionFlow, StatisticsAreChartsWithoutScriptAndCsvForExcel) {
  auto page = portal_->client().Get("/enforcement/statistics");
  ASSERT_EQ(page->status, 200);
  EXPECT_TRUE(contains(page->body, "<svg class=\"chart\""));
  EXPECT_TRUE(contains(page->body, "<title>各部门按期公开率</title>"));
  EXPECT_TRUE(contains(page->body, "新区综合行政执法局"));
  EXPECT_FALSE(contains(page->body, "<script")) << "charts need no JavaScript";
  // The demo's expired certificate (inspection due 2023) is listed for the legal office.
  EXPECT_TRUE(contains(page->body, "已过期（未按期检验）"));

  auto csv = portal_->client().Get("/enforcement/statistics.csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF部门,月份,决定类别,处理结果种类,已公开,按期公开", 0), 0u);
  EXPECT_TRUE(contains(csv->body, "新区市场监督管理局,"));
  auto certificates = portal_->client().Get("/enforcement/statistics.csv?table=certificates");
  ASSERT_EQ(certificates->status, 200);
  EXPECT_TRUE(contains(certificates->body, "已过期（未按期检验）"));

  auto bad = portal_->client().Get("/enforcement/statistics?year=20x6");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(contains(bad->body, "年份须为"));
  EXPECT_EQ(portal_->client().Get("/enforcement/statistics.csv?table=secrets")->status, 400);
}

TEST_F(DecisionFlow, PublicListFiltersAndTheApiAgree) {
  auto list = portal_->client().Get("/decisions?department=scjg&kind=penalty");
  ASSERT_EQ(list->status, 200);
  EXPECT_TRUE(contains(list->body, "长新市监罚〔2026〕31号"));
  EXPECT_FALSE(contains(list->body, "长新环罚〔2026〕9号")) << "another department";
  EXPECT_TRUE(contains(list->body, "已撤下")) << "the demo's withdrawn decision is listed as such";
  EXPECT_FALSE(contains(list->body, "长新市监罚〔2026〕44号")) << "a draft is not public";
  const json api = json::parse(portal_->client().Get("/api/v1/decisions?department=scjg")->body);
  ASSERT_TRUE(api["decisions"].is_array());
  for (const auto& d : api["decisions"]) {
    EXPECT_EQ(d["department"]["slug"], "scjg");
    EXPECT_FALSE(d.contains("party_name_full"));
  }
  EXPECT_EQ(portal_->client().Get("/decisions?kind=secret")->status, 400);
  EXPECT_EQ(portal_->client().Get("/decisions/abc")->status, 404);
  EXPECT_EQ(portal_->client().Get("/api/v1/decisions/999999")->status, 404);
}

}  // namespace

namespace {

// The correction form's fields: the decision as `f` has it, the note, and confirmations.
std::string correctionBody(const DecisionForm& f, const std::string& note) {
  return f.body() + "&note=" + percentEncode(note);
}

}  // namespace

// 更正 (outside audit M5): a mistyped amount is corrected in place, with a public note.
TEST_F(DecisionFlow, ACorrectedAmountIsShownAtTheSameAddressWithTheCorrectionNote) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  DecisionForm f;
  f.number = "长新综执罚决字〔2026〕第0911号";
  f.party_kind = "organisation";
  f.party_name = "长春市更正测试商贸有限公司";
  f.facts = "当事人在新区临河街擅自设置户外广告牌，经责令改正拒不改正。";
  const std::string url = create(editor, f);
  ASSERT_FALSE(url.empty());
  const std::string id = url.substr(url.rfind('/') + 1);
  const std::string public_url = "/decisions/" + id;
  editor.get(url);
  ASSERT_EQ(editor.post(url + "/publish", "")->status, 303);
  auto page = portal_->client().Get(public_url.c_str());
  ASSERT_EQ(page->status, 200);
  ASSERT_TRUE(contains(page->body, "罚款 500 元"));
  const std::string published_on =
      json::parse(portal_->client().Get(("/api/v1/decisions/" + id).c_str())->body)["published_on"];

  // The staff page offers the correction; the form holds the published text.
  auto staff_page = editor.get(url);
  ASSERT_TRUE(contains(staff_page->body, url + "/correct"));
  auto form = editor.get(url + "/correct");
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(contains(form->body, "擅自设置户外广告牌"));
  EXPECT_TRUE(contains(form->body, "name=\"note\""));

  DecisionForm corrected = f;
  corrected.amount = "5000";
  corrected.outcome = "罚款人民币伍仟元整。";

  // Without the CSRF token, without a note, or without a change: refused, nothing written.
  EXPECT_EQ(editor.post(url + "/correct", correctionBody(corrected, "金额有误。"), false)->status,
            403);
  auto no_note = editor.post(url + "/correct", correctionBody(corrected, ""));
  ASSERT_EQ(no_note->status, 422);
  EXPECT_TRUE(contains(no_note->body, "请填写更正说明"));
  auto unchanged = editor.post(url + "/correct", correctionBody(f, "金额有误。"));
  ASSERT_EQ(unchanged->status, 422);
  EXPECT_TRUE(contains(unchanged->body, "无变化"));

  // Another department's editor may not correct it.
  e2e::StaffBrowser other(*portal_);
  ASSERT_EQ(other.login("editor_scjg"), 303);
  EXPECT_EQ(other.get(url + "/correct")->status, 403);
  EXPECT_EQ(other.post(url + "/correct", correctionBody(corrected, "金额有误。"))->status, 403);

  // A phone number in the corrected text is refused like at publication, and changes nothing.
  DecisionForm leaky = corrected;
  leaky.facts += "联系电话13912345678。";
  auto refused = editor.post(url + "/correct", correctionBody(leaky, "罚款金额录入有误，已更正。"));
  ASSERT_EQ(refused->status, 422);
  EXPECT_TRUE(contains(refused->body, "13912345678"));
  page = portal_->client().Get(public_url.c_str());
  EXPECT_TRUE(contains(page->body, "罚款 500 元"));
  EXPECT_FALSE(contains(page->body, "13912345678"));
  EXPECT_FALSE(contains(page->body, "本决定信息已于"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM decision_corrections WHERE decision_id = " + id), 0);

  auto done =
      editor.post(url + "/correct", correctionBody(corrected, "罚款金额录入有误，已更正。"));
  ASSERT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), url);

  page = portal_->client().Get(public_url.c_str());
  ASSERT_EQ(page->status, 200) << "the same address";
  EXPECT_TRUE(contains(page->body, "罚款 5000 元"));
  EXPECT_TRUE(contains(page->body, "罚款人民币伍仟元整。"));
  EXPECT_FALSE(contains(page->body, "罚款 500 元")) << "the old amount is gone";
  EXPECT_FALSE(contains(page->body, "伍佰元"));
  const hotline::CivilDate today = hotline::LocalClock().now().date;
  const std::string line = "本决定信息已于" + std::to_string(today.year()) + "年" +
                           std::to_string(today.month()) + "月" + std::to_string(today.day()) +
                           "日更正：罚款金额录入有误，已更正。";
  EXPECT_TRUE(contains(page->body, line)) << page->body;

  const json api = json::parse(portal_->client().Get(("/api/v1/decisions/" + id).c_str())->body);
  EXPECT_EQ(api["fine_amount_yuan"], "5000");
  EXPECT_EQ(api["published_on"], published_on) << "the publication date stays";
  ASSERT_EQ(api["corrections"].size(), 1u);
  EXPECT_EQ(api["corrections"][0]["line"], line);
  EXPECT_EQ(api["corrections"][0]["note"], "罚款金额录入有误，已更正。");

  // The previous content is kept, and the staff page lists the correction.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM decision_corrections WHERE decision_id = " + id +
                  " AND JSON_UNQUOTE(JSON_EXTRACT(before_json, '$.fine_amount')) = '500'"),
            1);
  EXPECT_TRUE(contains(editor.get(url)->body, line));
  EXPECT_TRUE(waitFor([&] { return searchFinds("罚款人民币伍仟元整", "decision:" + id); }));
}
