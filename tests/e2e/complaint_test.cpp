// The complaint pages, staff complaint handling and Open311, against the real server and
// MariaDB with the demo data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/utf8.h"
#include "db/connection.h"
#include "db/pool.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;

bool contains(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

// The first capture of `pattern` in `body`, or "".
std::string capture(const std::string& body, const std::string& pattern) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex(pattern))) return m[1];
  return "";
}

portal::Config complaintConfig(const db::Options& database) {
  portal::Config c = e2e::testConfig(database);
  c.accounts.hash_cost = portal::accounts::HashCost::Minimum;
  c.tracking.max_failures_per_number = 3;
  c.tracking.max_failures_per_address = 1000;  // every test client is 127.0.0.1
  c.open311.api_keys = {"test-key-1", "test-key-2"};
  c.hotline.review_working_days = 7;
  return c;
}

// One running portal for a test suite, with helpers for forms, sessions and the database.
class ComplaintFixture : public ::testing::Test {
 protected:
  static void startPortal() {
    database_ = new test_support::TestDatabase();
    portal_ = new e2e::RunningPortal(complaintConfig(database_->options()));
  }
  static void stopPortal() {
    delete portal_;
    delete database_;
    portal_ = nullptr;
    database_ = nullptr;
  }

  static httplib::Result get(const std::string& path, const std::string& cookie = "") {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return portal_->client().Get(path.c_str(), h);
  }
  static httplib::Result post(const std::string& path, const httplib::Params& params,
                              const std::string& cookie = "") {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return portal_->client().Post(path.c_str(), h, params);
  }

  static std::int64_t count(const std::string& sql) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }
  static std::string state(const std::string& number) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query("SELECT state FROM complaints WHERE registration_no = ?", number);
    return r.next() ? r.str("state") : "";
  }
  static std::int64_t departmentId(const std::string& slug) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query("SELECT id FROM departments WHERE slug = ?", slug);
    r.next();
    return r.i64("id");
  }

  struct Filed {
    std::string number;
    std::string code;
    std::string body;
  };
  // Fills in the public form as a citizen would: the form's own idempotency key.
  static Filed file(httplib::Params fields) {
    auto page = get("/complaints/new");
    EXPECT_TRUE(page);
    const std::string key = capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
    EXPECT_FALSE(key.empty());
    fields.emplace("idempotency_key", key);
    auto r = post("/complaints/new", fields);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    return Filed{capture(r->body, "class=\"registration-no\">([^<]+)<"),
                 capture(r->body, "class=\"tracking-code\">([^<]+)<"), r->body};
  }
  static httplib::Params complaint(const std::string& department_id) {
    return {{"department_id", department_id},
            {"category", "noise"},
            {"description", "夜间施工噪声扰民，持续到凌晨两点"},
            {"location", "新区创新大街88号"},
            {"complainant_name", "张三"},
            {"complainant_phone", "138 1234 5678"}};
  }

  struct Session {
    std::string cookie;
    std::string csrf;
  };
  static Session login(const std::string& username, const std::string& role,
                       std::optional<std::int64_t> department) {
    portal::accounts::AccountOptions options;
    options.hash_cost = portal::accounts::HashCost::Minimum;
    portal::accounts::AccountService accounts(portal_->app().pool(), options);
    const auto created =
        accounts.createAccount(portal::accounts::Actor::console(),
                               {username, "测试" + username, "a-good-password", role, department});
    EXPECT_TRUE(created.ok()) << (created.errors.empty() ? "" : created.errors.front().message);
    const e2e::LoginForm form = e2e::loginForm(portal_->port());
    auto r = post("/admin/login",
                  {{"username", username},
                   {"password", "a-good-password"},
                   {"next", "/admin"},
                   {"csrf_token", form.token}},
                  form.cookie);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 303);
    Session s;
    s.cookie = capture(r->get_header_value("Set-Cookie"), "(portal_session=[^;]+)");
    auto page = get("/admin/complaints", s.cookie);
    EXPECT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    s.csrf = capture(page->body, "name=\"csrf_token\" value=\"([^\"]+)\"");
    EXPECT_FALSE(s.csrf.empty());
    return s;
  }
  static httplib::Result act(const Session& s, const std::string& number, const std::string& action,
                             httplib::Params fields) {
    fields.emplace("csrf_token", s.csrf);
    return post("/admin/complaints/" + number + "/" + action, fields, s.cookie);
  }
  static httplib::Result track(const std::string& number, const std::string& code) {
    return post("/track", {{"registration_no", number}, {"tracking_code", code}});
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* ComplaintFixture::database_ = nullptr;
e2e::RunningPortal* ComplaintFixture::portal_ = nullptr;

class ComplaintPages : public ComplaintFixture {
 protected:
  static void SetUpTestSuite() { startPortal(); }
  static void TearDownTestSuite() { stopPortal(); }
};

TEST_F(ComplaintPages, FormOffersDepartmentsNotSureAndCategoriesWithLabels) {
  auto r = get("/complaints/new");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(contains(r->body, "不确定"));
  EXPECT_TRUE(contains(r->body, "新区综合行政执法局"));
  EXPECT_TRUE(contains(r->body, "噪声扰民"));
  EXPECT_TRUE(contains(r->body, "<label for=\"description\">"));
  EXPECT_TRUE(contains(r->body, "<label for=\"complainant_phone\">"));
  const std::string key = capture(r->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  EXPECT_GE(key.size(), 16u);
  auto again = get("/complaints/new");
  EXPECT_NE(capture(again->body, "name=\"idempotency_key\" value=\"([^\"]+)\""), key)
      << "every rendering gets its own key";

  auto channels = get("/complaint-channels");
  EXPECT_TRUE(contains(channels->body, "href=\"/complaints/new\""));
}

TEST_F(ComplaintPages, ConfirmationShowsNumberCodeOnceAndBothDeadlinesAfterTheCommit) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  EXPECT_TRUE(std::regex_match(f.number, std::regex("TS-20[0-9]{2}-[0-9]{6}"))) << f.number;
  EXPECT_EQ(f.code.size(), 8u);
  EXPECT_TRUE(contains(f.body, "查询码只显示这一次"));
  // Plain words first ("我们会在12月11日（周五）前告诉您是否受理"), how it was computed one
  // click away.
  // std::regex works on bytes here: "[^<]" spans the multi-byte weekday.
  EXPECT_TRUE(std::regex_search(
      f.body,
      std::regex("我们会在<strong>(20[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日（周[^<]+）</strong>"
                 "前告诉您是否受理")))
      << f.body;
  EXPECT_TRUE(contains(f.body, "前办结并告诉您结果"));
  EXPECT_TRUE(contains(f.body, "<summary>这个日期是怎么算的</summary>"));
  EXPECT_FALSE(contains(f.body, "受理后办结")) << "the period counts from receipt, not acceptance";
  EXPECT_TRUE(contains(f.body, "自收到次日起算5个工作日"))
      << "the deadline says how it was computed";
  EXPECT_TRUE(contains(f.body, "自收到次日起算20个工作日"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before + 1);
  EXPECT_EQ(state(f.number), "received") << "the row is committed when the page is shown";
}

TEST_F(ComplaintPages, AnonymousComplaintToNotSureIsAccepted) {
  httplib::Params p{{"department_id", "unsure"},
                    {"category", "street_vending"},
                    {"description", "路口长期有流动摊贩占道经营"}};
  const Filed f = file(p);
  ASSERT_FALSE(f.number.empty());
  auto conn = portal_->app().pool().acquire();
  db::Rows r = conn->query(
      "SELECT department_id, complainant_name, complainant_phone, channel FROM complaints "
      "WHERE registration_no = ?",
      f.number);
  ASSERT_TRUE(r.next());
  EXPECT_TRUE(r.isNull("department_id"));
  EXPECT_TRUE(r.isNull("complainant_name"));
  EXPECT_TRUE(r.isNull("complainant_phone"));
  EXPECT_EQ(r.str("channel"), "web");
}

TEST_F(ComplaintPages, ResubmittingTheSameKeyShowsTheSameRegistrationAndWritesNoSecondRow) {
  auto page = get("/complaints/new");
  const std::string key = capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  httplib::Params p = complaint(std::to_string(departmentId("scjg")));
  p.emplace("idempotency_key", key);
  auto first = post("/complaints/new", p);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const auto after_first = count("SELECT COUNT(*) AS n FROM complaints");
  auto second = post("/complaints/new", p);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  const std::string number = capture(first->body, "class=\"registration-no\">([^<]+)<");
  EXPECT_EQ(capture(second->body, "class=\"registration-no\">([^<]+)<"), number);
  EXPECT_EQ(capture(second->body, "class=\"tracking-code\">([^<]+)<"),
            capture(first->body, "class=\"tracking-code\">([^<]+)<"));
  EXPECT_TRUE(contains(second->body, "没有重复登记"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), after_first);
}

TEST_F(ComplaintPages, InvalidInputReRendersTheFormWith422ChineseMessagesAndWritesNothing) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  auto page = get("/complaints/new");
  const std::string key = capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  auto r = post("/complaints/new", {{"idempotency_key", key},
                                    {"department_id", "99999"},
                                    {"category", "no-such-category"},
                                    {"description", "   "},
                                    {"location", "新区<b>某路</b>"},
                                    {"complainant_phone", "12345"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "请填写投诉举报内容"));
  EXPECT_TRUE(contains(r->body, "联系电话格式不正确"));
  EXPECT_TRUE(contains(r->body, "所选投诉类别不存在"));
  EXPECT_TRUE(contains(r->body, "所选部门不存在"));
  // The summary above the form lists them in the order of the fields (description came first).
  const auto department_at = r->body.find("所选部门不存在"), category_at = r->body.find("所选投诉类别不存在"),
             description_at = r->body.find("请填写投诉举报内容"), phone_at = r->body.find("联系电话格式不正确");
  EXPECT_LT(department_at, category_at);
  EXPECT_LT(category_at, description_at);
  EXPECT_LT(description_at, phone_at);
  EXPECT_TRUE(contains(r->body, "id=\"description-error\"")) << "the message sits by its field";
  EXPECT_TRUE(contains(r->body, "aria-invalid=\"true\""));
  EXPECT_TRUE(contains(r->body, "value=\"新区&lt;b&gt;某路&lt;/b&gt;\"")) << "input kept, escaped";
  EXPECT_TRUE(contains(r->body, "value=\"" + key + "\"")) << "the same key for the corrected form";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before);

  auto no_key = post("/complaints/new", {{"category", "noise"}, {"description", "有人占道"}});
  ASSERT_TRUE(no_key);
  EXPECT_EQ(no_key->status, 422);
  EXPECT_TRUE(contains(no_key->body, "请刷新页面后重新提交"));
  // Once, in the summary: the hidden field has no place of its own to show it (it was said
  // twice, the second time as another alert).
  EXPECT_EQ(no_key->body.find("请刷新页面后重新提交", no_key->body.find("请刷新页面后重新提交") + 1),
            std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before);
}

TEST_F(ComplaintPages, TrackingShowsStatusAndDeadlinesButNeverTheComplainant) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  auto r = track(f.number, f.code);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(contains(r->body, f.number));
  EXPECT_TRUE(contains(r->body, "已登记"));
  EXPECT_TRUE(contains(r->body, "前告诉您是否受理"));
  EXPECT_TRUE(contains(r->body, "新区综合行政执法局"));
  EXPECT_FALSE(contains(r->body, "张三"));
  EXPECT_FALSE(contains(r->body, "13812345678"));
  EXPECT_FALSE(contains(r->body, "5678"));
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");

  // Lower case and a hyphen are the same code.
  auto lower = track(f.number, f.code.substr(0, 4) + "-" + f.code.substr(4));
  EXPECT_EQ(lower->status, 200);
}

// A Chinese input method left in full-width mode types the code as "ＡＢＣＤ２３４５", perhaps
// with a 全角 space or dash: the same code, as the registration number typed that way is the same
// number. Before, it was "not found" and counted as a wrong guess.
std::string fullWidth(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    const char32_t cp = static_cast<char32_t>(c) + 0xFEE0;  // U+FF01..U+FF5E
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

TEST_F(ComplaintPages, ATrackingCodeTypedInFullWidthIsTheSameCode) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  ASSERT_EQ(f.code.size(), 8u);
  std::string lower = f.code;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string& typed :
       {fullWidth(f.code), fullWidth(lower.substr(0, 4)) + "\u3000" + fullWidth(lower.substr(4)),
        fullWidth(f.code.substr(0, 4)) + "\uFF0D" + fullWidth(f.code.substr(4)),
        f.code.substr(0, 4) + "\u2014" + f.code.substr(4)}) {
    SCOPED_TRACE(typed);
    auto r = track(fullWidth(f.number), typed);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "the complainant's own code, only typed in full width";
    EXPECT_TRUE(contains(r->body, "已登记"));
  }
  // A wrong code in full width is still wrong.
  EXPECT_EQ(track(f.number, fullWidth("ZZZZZZZZ"))->status, 404);
}

// The complaint form's larger body allowance is for files, which only come as multipart. A
// url-encoded body of 3 MB of empty fields ("a=&a=&...") took 140 MB and nearly 3 s of a worker
// to parse and re-render as a 422 (50 MB: 2.4 GB); it is refused as too large before it is read.
TEST_F(ComplaintPages, AHugeUrlEncodedBodyIsRefusedBeforeItIsParsed) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  std::string body;
  for (int i = 0; i < 1000 * 1000; ++i) body += "a=&";
  auto r = portal_->client().Post("/complaints/new", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body.substr(0, 300);
  EXPECT_TRUE(contains(r->body, "提交的内容过大"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before);
  // The form itself, url-encoded as a script would send it, is still taken.
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  EXPECT_FALSE(f.number.empty());
}

// 不满意 sent twice (a double click on the rating form): the second is refused as already rated
// and under review. Before, it read "该投诉尚未办结，办结后才能评价" above a history that says 已办结.
TEST_F(ComplaintPages, ARatingSentTwiceIsToldItWasAlreadyRated) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("double-rate", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(s, f.number, "accept", {})->status, 303);
  ASSERT_EQ(act(s, f.number, "conclude", {{"result", "已责令施工单位夜间停工"}})->status, 303);
  const httplib::Params rating = {{"registration_no", f.number},
                                  {"tracking_code", f.code},
                                  {"rating", "unsatisfied"},
                                  {"comment", "仍有夜间施工"}};
  auto first = post("/track/evaluate", rating);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(state(f.number), "reopened");
  auto second = post("/track/evaluate", rating);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  EXPECT_TRUE(contains(second->body, "已评价为不满意")) << second->body;
  EXPECT_FALSE(contains(second->body, "尚未办结")) << second->body;
  auto conn = portal_->app().pool().acquire();
  db::Rows n = conn->query(
      "SELECT COUNT(*) AS n FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
      "WHERE e.kind = 'reopened' AND c.registration_no = ?",
      f.number);
  ASSERT_TRUE(n.next());
  EXPECT_EQ(n.i64("n"), 1) << "counted once";
}

TEST_F(ComplaintPages, WrongCodeAndUnknownNumberGetTheSameNotFoundAnswer) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  auto wrong = track(f.number, "ZZZZZZZZ");
  auto unknown = track("TS-1999-999999", f.code);
  ASSERT_TRUE(wrong);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(wrong->status, 404);
  EXPECT_EQ(unknown->status, 404);
  const std::string message = "登记编号或查询码不正确";
  EXPECT_TRUE(contains(wrong->body, message));
  EXPECT_TRUE(contains(unknown->body, message));
  EXPECT_FALSE(contains(wrong->body, "已登记"));
}

TEST_F(ComplaintPages, RepeatedWrongCodesForANumberAreRefusedWith429AndRetryAfter) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(track(f.number, "WRONG" + std::to_string(i))->status, 404);
  auto blocked = track(f.number, f.code);
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 429) << "even the right code waits until the window ends";
  EXPECT_TRUE(contains(blocked->body, "查询失败次数过多"));
  const std::string retry = blocked->get_header_value("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 0);
  EXPECT_FALSE(contains(blocked->body, "已登记"));
}

TEST_F(ComplaintPages, HtmlInFieldsIsShownEscapedOnTrackingAndStaffPages) {
  const std::int64_t zhzf = departmentId("zhzf");
  httplib::Params p{{"department_id", std::to_string(zhzf)},
                    {"category", "noise"},
                    {"description", "<script>alert('x')</script>噪声"},
                    {"location", "<img src=x onerror=alert(1)>路口"}};
  const Filed f = file(p);
  auto tracked = track(f.number, f.code);
  ASSERT_EQ(tracked->status, 200);
  EXPECT_FALSE(contains(tracked->body, "<img src=x"));
  EXPECT_TRUE(contains(tracked->body, "&lt;img src=x onerror=alert(1)&gt;路口"));

  const Session s = login("escape-editor", "editor", zhzf);
  auto detail = get("/admin/complaints/" + f.number, s.cookie);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->status, 200);
  EXPECT_FALSE(contains(detail->body, "<script>alert"));
  EXPECT_TRUE(contains(detail->body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;噪声") ||
              contains(detail->body, "&lt;script&gt;alert("));
  EXPECT_FALSE(contains(detail->body, "<img src=x"));
}

// A citizen writing in traditional characters: the complaint is stored and shown exactly as
// typed (only search reads traditional as simplified), and tracking works as for any other.
TEST_F(ComplaintPages, TraditionalCharactersAreStoredAndShownAsTyped) {
  const std::int64_t zhzf = departmentId("zhzf");
  const std::string description = "樓下飯店油煙擾民，晚上十點後還在營業，無證經營";
  const std::string location = "新區創新大街88號";
  const std::string name = "陳大文";
  const Filed f = file({{"department_id", std::to_string(zhzf)},
                        {"category", "noise"},
                        {"description", description},
                        {"location", location},
                        {"complainant_name", name},
                        {"complainant_phone", "138 1234 5678"}});
  ASSERT_FALSE(f.number.empty());
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(
        "SELECT description, location, complainant_name FROM complaints WHERE registration_no = ?",
        f.number);
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.str("description"), description);
    EXPECT_EQ(r.str("location"), location);
    EXPECT_EQ(r.str("complainant_name"), name);
  }
  auto tracked = track(f.number, f.code);
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->status, 200);
  EXPECT_TRUE(contains(tracked->body, location));
  EXPECT_TRUE(contains(tracked->body, "已登记"));

  const Session s = login("hant-editor", "editor", zhzf);
  auto detail = get("/admin/complaints/" + f.number, s.cookie);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->status, 200);
  EXPECT_TRUE(contains(detail->body, description));
  EXPECT_TRUE(contains(detail->body, name));
}

// Evidence files on the form (which replaced the attachment description rows): evidence_test.cpp.

TEST_F(ComplaintPages, StaffFlowFromAcceptanceToTheCitizensRating) {
  const std::int64_t zhzf = departmentId("zhzf");
  const std::int64_t scjg = departmentId("scjg");
  const Session a = login("handler-a", "editor", zhzf);
  const Session b = login("handler-b", "editor", scjg);
  const Filed f = file(complaint(std::to_string(zhzf)));

  // The queue of the addressed department lists it, with the phone masked.
  auto queue = get("/admin/complaints", a.cookie);
  ASSERT_EQ(queue->status, 200);
  EXPECT_TRUE(contains(queue->body, f.number));
  EXPECT_TRUE(contains(queue->body, "138****5678"));
  EXPECT_FALSE(contains(queue->body, "13812345678"));
  EXPECT_FALSE(contains(get("/admin/complaints", b.cookie)->body, f.number))
      << "another department's queue does not show it";
  EXPECT_EQ(get("/admin/complaints/" + f.number, b.cookie)->status, 404);

  // Transfer to the market regulator; a second transfer is refused with the reason.
  auto moved = act(a, f.number, "transfer",
                   {{"department_id", std::to_string(scjg)}, {"reason", "属于食品安全监管职责"}});
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 303);
  EXPECT_EQ(state(f.number), "transferred");
  EXPECT_TRUE(contains(get("/admin/complaints", b.cookie)->body, f.number));
  auto again = act(b, f.number, "transfer",
                   {{"department_id", std::to_string(zhzf)}, {"reason", "再移回去"}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_TRUE(contains(again->body, "接收部门不得再次移送"));
  auto refuse =
      act(b, f.number, "reject", {{"reason_code", "no_facts"}, {"reason_text", "不想办"}});
  EXPECT_EQ(refuse->status, 409);
  EXPECT_TRUE(contains(refuse->body, "接收部门不得拒绝受理"));
  EXPECT_EQ(act(a, f.number, "accept", {})->status, 403) << "the sender no longer handles it";
  EXPECT_EQ(state(f.number), "transferred");

  // Accept, notes, conclude.
  EXPECT_EQ(act(b, f.number, "accept", {{"note", "已受理，将在期限内调查"}})->status, 303);
  EXPECT_EQ(act(b, f.number, "note", {{"text", "已约谈施工单位"}, {"is_public", "1"}})->status,
            303);
  EXPECT_EQ(act(b, f.number, "note", {{"text", "内部：施工单位负责人为李某"}, {"is_public", "0"}})
                ->status,
            303);
  auto empty_result = act(b, f.number, "conclude", {{"result", ""}});
  EXPECT_EQ(empty_result->status, 422);
  EXPECT_TRUE(contains(empty_result->body, "请填写办理结果"));
  EXPECT_EQ(act(b, f.number, "conclude", {{"result", "已责令施工单位夜间停工，并处罚款"}})->status,
            303);
  EXPECT_EQ(state(f.number), "concluded");

  auto detail = get("/admin/complaints/" + f.number + "?done=conclude", b.cookie);
  EXPECT_TRUE(contains(detail->body, "已办结。"));
  // The timeline names the complainant in Chinese, never the internal actor code.
  EXPECT_TRUE(contains(detail->body, "<span class=\"event-meta\">投诉人"));
  EXPECT_FALSE(contains(detail->body, "complainant<"));
  EXPECT_TRUE(contains(detail->body, "内部：施工单位负责人为李某"));

  // The citizen sees public notes and the result, not the internal note, and rates it.
  auto tracked = track(f.number, f.code);
  ASSERT_EQ(tracked->status, 200);
  EXPECT_TRUE(contains(tracked->body, "已约谈施工单位"));
  EXPECT_TRUE(contains(tracked->body, "已责令施工单位夜间停工"));
  EXPECT_TRUE(contains(tracked->body, "已移送至新区市场监督管理局") ||
              contains(tracked->body, "已移送至"));
  EXPECT_FALSE(contains(tracked->body, "李某"));
  EXPECT_FALSE(contains(tracked->body, "handler-b"));
  EXPECT_TRUE(contains(tracked->body, "评价办理结果"));
  // 不满意 without a comment is refused, and the choice stays selected for the second try.
  auto no_comment = post("/track/evaluate", {{"registration_no", f.number},
                                             {"tracking_code", f.code},
                                             {"rating", "unsatisfied"},
                                             {"comment", ""}});
  ASSERT_TRUE(no_comment);
  EXPECT_EQ(no_comment->status, 422);
  EXPECT_TRUE(contains(no_comment->body, "value=\"unsatisfied\" required checked"))
      << "the choice is kept";
  EXPECT_FALSE(contains(no_comment->body, "value=\"satisfied\" required checked"));
  EXPECT_EQ(state(f.number), "concluded");
  auto rated = post("/track/evaluate", {{"registration_no", f.number},
                                        {"tracking_code", f.code},
                                        {"rating", "satisfied"},
                                        {"comment", "处理及时"}});
  ASSERT_TRUE(rated);
  EXPECT_EQ(rated->status, 200);
  EXPECT_TRUE(contains(rated->body, "已收到您的评价"));
  EXPECT_EQ(state(f.number), "evaluated");
  auto twice = post("/track/evaluate", {{"registration_no", f.number},
                                        {"tracking_code", f.code},
                                        {"rating", "unsatisfied"},
                                        {"comment", "改主意了"}});
  EXPECT_EQ(twice->status, 409);
  EXPECT_TRUE(contains(twice->body, "不能重复评价"));
}

// An outside audit found the department that transferred a complaint away still read the
// complainant's name, revealed the full phone number and read the receiver's internal notes; and
// that a transfer to the wrong department could be corrected by nobody.
TEST_F(ComplaintPages, ATransferredComplaintIsTheReceiversAndTheLegalOfficeCorrectsAWrongOne) {
  const std::int64_t zhzf = departmentId("zhzf");
  const std::int64_t scjg = departmentId("scjg");
  const std::int64_t sthj = departmentId("sthj");
  const Session from = login("transfer-from", "editor", zhzf);
  const Session wrong = login("transfer-wrong", "editor", scjg);
  const Session right = login("transfer-right", "editor", sthj);
  const Session office = login("transfer-office", "reviewer", std::nullopt);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(from, f.number, "transfer",
                {{"department_id", std::to_string(scjg)}, {"reason", "属于市场监管职责"}})
                ->status,
            303);
  EXPECT_EQ(act(wrong, f.number, "note", {{"text", "内部：经核实，排污单位为某化工厂"},
                                          {"is_public", "0"}})
                ->status,
            303);

  // The sender still follows what it handed over, but no longer who complained.
  auto sender = get("/admin/complaints/" + f.number, from.cookie);
  ASSERT_EQ(sender->status, 200);
  EXPECT_TRUE(contains(sender->body, "属于市场监管职责"));
  EXPECT_TRUE(contains(sender->body, "本部门不再查看投诉人信息"));
  EXPECT_FALSE(contains(sender->body, "张三"));
  EXPECT_FALSE(contains(sender->body, "138****5678"));
  EXPECT_FALSE(contains(sender->body, "某化工厂")) << "the receiver's internal note";
  auto reveal = act(from, f.number, "reveal-phone", {});
  EXPECT_EQ(reveal->status, 404);
  EXPECT_FALSE(contains(reveal->body, "13812345678"));
  EXPECT_TRUE(contains(get("/admin/complaints/" + f.number, wrong.cookie)->body, "张三"))
      << "the receiver handles it and sees the complainant";

  // It went to the wrong department: the legal office transfers it on by assigning.
  auto again = act(office, f.number, "transfer",
                   {{"department_id", std::to_string(sthj)}, {"reason", "属于生态环境职责"}});
  EXPECT_EQ(again->status, 409);
  EXPECT_TRUE(contains(again->body, "请用“分派”改派承办部门")) << again->body;
  auto office_page = get("/admin/complaints/" + f.number, office.cookie);
  EXPECT_TRUE(contains(office_page->body, "改派承办部门"));
  EXPECT_EQ(act(office, f.number, "assign", {{"department_id", std::to_string(scjg)}})->status,
            422)
      << "already there";
  auto back = act(office, f.number, "assign", {{"department_id", std::to_string(zhzf)}});
  EXPECT_EQ(back->status, 422);
  EXPECT_TRUE(contains(back->body, "不能改派回移送部门"));
  ASSERT_EQ(act(office, f.number, "assign", {{"department_id", std::to_string(sthj)}})->status,
            303);
  EXPECT_EQ(state(f.number), "transferred") << "still a transferred complaint, same deadlines";
  EXPECT_EQ(get("/admin/complaints/" + f.number, wrong.cookie)->status, 404);
  EXPECT_EQ(act(right, f.number, "accept", {{"note", "已受理"}})->status, 303);
  EXPECT_EQ(state(f.number), "accepted");
}

// An outside audit found the handling department could record 满意 for its own handling on the
// staff page (shutting the citizen's 不满意 out) and review its own work after 不满意.
TEST_F(ComplaintPages, TheHandlingDepartmentNeitherRatesNorReviewsItsOwnHandling) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session dept = login("self-rater", "editor", zhzf);
  const Session office = login("review-office", "reviewer", std::nullopt);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(dept, f.number, "accept", {})->status, 303);
  ASSERT_EQ(act(dept, f.number, "conclude", {{"result", "已责令停工"}})->status, 303);
  auto page = get("/admin/complaints/" + f.number, dept.cookie);
  EXPECT_FALSE(contains(page->body, "/evaluation\"")) << "no rating form for the department";
  auto self = act(dept, f.number, "evaluation", {{"rating", "satisfied"}, {"comment", ""}});
  EXPECT_EQ(self->status, 403);
  EXPECT_TRUE(contains(self->body, "承办部门不能代投诉人评价"));
  EXPECT_EQ(state(f.number), "concluded") << "the citizen can still rate it";

  ASSERT_EQ(post("/track/evaluate", {{"registration_no", f.number},
                                     {"tracking_code", f.code},
                                     {"rating", "unsatisfied"},
                                     {"comment", "晚上还在施工"}})
                ->status,
            200);
  EXPECT_TRUE(contains(get("/admin/complaints/" + f.number, dept.cookie)->body,
                       "该投诉由法制办（热线中心）复核"))
      << "the department's page says who reviews";
  auto review = act(dept, f.number, "conclude", {{"result", "已再次责令停工"}});
  EXPECT_EQ(review->status, 403);
  EXPECT_TRUE(contains(review->body, "该投诉由法制办复核"));
  EXPECT_EQ(act(dept, f.number, "note", {{"text", "已配合复核"}, {"is_public", "1"}})->status, 303)
      << "the department still adds notes";
  EXPECT_EQ(act(office, f.number, "start", {})->status, 303);
  EXPECT_EQ(act(dept, f.number, "conclude", {{"result", "已再次责令停工"}})->status, 403);
  EXPECT_EQ(act(office, f.number, "conclude", {{"result", "经复核，已查封施工设备"}})->status, 303);
  EXPECT_EQ(state(f.number), "concluded");
  EXPECT_TRUE(contains(track(f.number, f.code)->body, "经复核，已查封施工设备"));
}

// An outside audit found a progress note public by default: a handler writing an internal
// remark without looking at the choice told the complainant. The choice is now made each time.
TEST_F(ComplaintPages, ANoteIsPublicOrInternalOnlyByChoice) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("note-chooser", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(s, f.number, "accept", {})->status, 303);
  auto page = get("/admin/complaints/" + f.number, s.cookie);
  EXPECT_FALSE(contains(page->body, "name=\"is_public\" value=\"1\" required checked"))
      << "nothing preselected";
  EXPECT_FALSE(contains(page->body, "name=\"is_public\" value=\"0\" required checked"));
  EXPECT_TRUE(contains(page->body, "name=\"is_public\" value=\"1\" required>"));
  auto unchosen = act(s, f.number, "note", {{"text", "内部：举报人疑似施工单位竞争对手"}});
  ASSERT_TRUE(unchosen);
  EXPECT_EQ(unchosen->status, 422);
  EXPECT_TRUE(contains(unchosen->body, "请选择该记录是否向投诉人公开"));
  EXPECT_TRUE(contains(unchosen->body, "内部：举报人疑似施工单位竞争对手")) << "the text is kept";
  EXPECT_FALSE(contains(track(f.number, f.code)->body, "竞争对手"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_events e JOIN complaints c ON "
                  "c.id = e.complaint_id WHERE e.kind = 'note' AND c.registration_no = '" +
                  f.number + "'"),
            0);
  auto internal = act(s, f.number, "note",
                      {{"text", "内部：举报人疑似施工单位竞争对手"}, {"is_public", "0"}});
  EXPECT_EQ(internal->status, 303);
  EXPECT_FALSE(contains(track(f.number, f.code)->body, "竞争对手"));
}

// An outside audit found the staff page of a concluded complaint still saying it must be
// acknowledged by its long-past deadline. A step taken says when; only open steps have a
// deadline.
TEST_F(ComplaintPages, TheStaffPageSaysWhenEachStepWasTakenAndOnlyOpenStepsHaveADeadline) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("step-reader", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  const std::string page = "/admin/complaints/" + f.number;
  EXPECT_TRUE(contains(get(page, s.cookie)->body, "前告诉投诉人是否受理"));
  ASSERT_EQ(act(s, f.number, "accept", {})->status, 303);
  auto accepted = get(page, s.cookie)->body;
  EXPECT_FALSE(contains(accepted, "前告诉投诉人是否受理"));
  EXPECT_TRUE(contains(accepted, "受理并告诉投诉人。")) << accepted;
  EXPECT_TRUE(contains(accepted, "前办结并告诉投诉人结果"));
  ASSERT_EQ(act(s, f.number, "conclude", {{"result", "已责令停工"}})->status, 303);
  auto concluded = get(page, s.cookie)->body;
  EXPECT_FALSE(contains(concluded, "前告诉投诉人是否受理"));
  EXPECT_FALSE(contains(concluded, "前办结并告诉投诉人结果"));
  EXPECT_TRUE(contains(concluded, "办结并告诉投诉人结果。"));
  EXPECT_FALSE(contains(concluded, "已于<strong>20")) << "the year only when it is another one";
  EXPECT_FALSE(contains(concluded, "超过了")) << "done the day it came in";
}

// An outside audit found the queue marked what was overdue but not what is due today, the
// last day to act.
TEST_F(ComplaintPages, TheQueueMarksWhatIsDueToday) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("today-reader", "editor", zhzf);
  const Filed today = file(complaint(std::to_string(zhzf)));
  const Filed later = file(complaint(std::to_string(zhzf)));
  {
    auto conn = portal_->app().pool().acquire();
    conn->execute("UPDATE complaints SET ack_due = DATE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', "
                  "'+08:00')) WHERE registration_no = ?",
                  today.number);
  }
  const std::string queue = get("/admin/complaints", s.cookie)->body;
  auto row = [&](const std::string& number) {
    const auto at = queue.find(number);
    if (at == std::string::npos) return std::string();
    const auto begin = queue.rfind("<tr", at);
    return queue.substr(begin, queue.find("</tr>", at) - begin);
  };
  EXPECT_TRUE(contains(row(today.number), "今天到期")) << row(today.number);
  EXPECT_FALSE(contains(row(today.number), "已超期"));
  EXPECT_FALSE(contains(row(later.number), "今天到期")) << row(later.number);
}

TEST_F(ComplaintPages, RejectionNeedsACodedReasonAndTextAndIsShownToTheCitizen) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session a = login("rejecter", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  auto missing = act(a, f.number, "reject", {{"reason_code", ""}, {"reason_text", ""}});
  EXPECT_EQ(missing->status, 422);
  EXPECT_TRUE(contains(missing->body, "请选择不予受理的理由"));
  EXPECT_EQ(state(f.number), "received");
  EXPECT_EQ(act(a, f.number, "reject",
                {{"reason_code", "no_facts"}, {"reason_text", "请补充具体时间和施工单位名称"}})
                ->status,
            303);
  auto tracked = track(f.number, f.code);
  EXPECT_TRUE(contains(tracked->body, "未提供具体的违法事实或线索"));
  EXPECT_TRUE(contains(tracked->body, "请补充具体时间和施工单位名称"));
}

TEST_F(ComplaintPages, PhoneIsMaskedUntilShownAndShowingItIsRecorded) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session a = login("phone-reader", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  auto detail = get("/admin/complaints/" + f.number, a.cookie);
  EXPECT_TRUE(contains(detail->body, "138****5678"));
  EXPECT_FALSE(contains(detail->body, "13812345678"));
  auto shown = act(a, f.number, "reveal-phone", {});
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, 200);
  EXPECT_TRUE(contains(shown->body, "13812345678"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_events e JOIN complaints c ON "
                  "c.id = e.complaint_id WHERE e.kind = 'phone_revealed' AND "
                  "e.actor = 'phone-reader' AND c.registration_no = '" +
                  f.number + "'"),
            1);
}

TEST_F(ComplaintPages, PostsWithoutTheCsrfTokenAreRefusedAndChangeNothing) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session a = login("csrf-editor", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  auto r = post("/admin/complaints/" + f.number + "/accept", {{"note", "受理"}}, a.cookie);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(contains(r->body, "表单已过期或来源不明"));
  auto forged = post("/admin/complaints/" + f.number + "/reveal-phone",
                     {{"csrf_token", "forged-token"}}, a.cookie);
  EXPECT_EQ(forged->status, 403);
  EXPECT_FALSE(contains(forged->body, "13812345678"));
  EXPECT_EQ(state(f.number), "received");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_events WHERE kind = 'phone_revealed' AND "
                  "actor = 'csrf-editor'"),
            0);
  auto anonymous = post("/admin/complaints/" + f.number + "/accept", {{"csrf_token", a.csrf}});
  EXPECT_EQ(anonymous->status, 401) << "without a session: the login page";
  EXPECT_TRUE(contains(anonymous->body, "action=\"/admin/login\""));
  EXPECT_EQ(state(f.number), "received");
}

// An outside audit found a handler whose session ran out while writing lost the text, and after
// logging in landed on the form's POST-only address (405).
TEST_F(ComplaintPages, ASessionThatRanOutWhileWritingKeepsTheTextAndComesBackToThePage) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("slow-writer", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  {
    auto conn = portal_->app().pool().acquire();
    conn->execute("DELETE FROM sessions WHERE account_id = "
                  "(SELECT id FROM accounts WHERE username = 'slow-writer')");
  }
  const std::string page = "/admin/complaints/" + f.number;
  const std::string text = "已约谈施工单位负责人，责令其当晚停止夜间施工";
  httplib::Headers h{{"Cookie", s.cookie},
                     {"Referer", "http://127.0.0.1:" + std::to_string(portal_->port()) + page}};
  auto r = portal_->client().Post((page + "/note").c_str(), h,
                                  httplib::Params{{"csrf_token", s.csrf},
                                                  {"expected_version", "1"},
                                                  {"text", text},
                                                  {"is_public", "1"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_TRUE(contains(r->body, "登录已超时，刚才提交的内容没有保存")) << r->body;
  EXPECT_TRUE(contains(r->body, ">" + text + "</textarea>")) << "the text, to copy back";
  EXPECT_FALSE(contains(r->body, s.csrf)) << "tokens are not typed text";
  const std::string next = capture(r->body, "name=\"next\" value=\"([^\"]+)\"");
  EXPECT_EQ(next, page) << "back to the page the form was on, not its POST address";

  // The phone-entry form is multipart (it takes evidence files): its text is kept too.
  const std::string call = "来电反映：新区创新大街工地每晚十一点后仍在施工";
  auto phoned = portal_->client().Post(
      "/admin/complaints/phone", h,
      httplib::MultipartFormDataItems{{"csrf_token", s.csrf, "", ""},
                                      {"description", call, "", ""},
                                      {"evidence", "JPEGDATA", "photo.jpg", "image/jpeg"}});
  ASSERT_TRUE(phoned);
  EXPECT_EQ(phoned->status, 401);
  EXPECT_TRUE(contains(phoned->body, ">" + call + "</textarea>")) << phoned->body;
  EXPECT_FALSE(contains(phoned->body, "JPEGDATA")) << "files are not shown back";

  // 退出登录 after the session ran out just leaves: nothing was being saved.
  auto out = portal_->client().Post("/admin/logout", h,
                                    httplib::Params{{"csrf_token", s.csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(out->get_header_value("Location"), "/");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_events e JOIN complaints c ON "
                  "c.id = e.complaint_id WHERE e.kind = 'note' AND c.registration_no = '" +
                  f.number + "'"),
            0);
}

TEST_F(ComplaintPages, LegalOfficeAssignsNotSureComplaintsAndSeesStatistics) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session office = login("legal-office", "reviewer", std::nullopt);
  const Session a = login("assignee", "editor", zhzf);
  const Filed f = file({{"department_id", "unsure"},
                        {"category", "city_appearance"},
                        {"description", "小区门口乱贴小广告"}});
  auto unassigned = get("/admin/complaints?unassigned=1", office.cookie);
  EXPECT_TRUE(contains(unassigned->body, f.number));
  EXPECT_EQ(act(a, f.number, "assign", {{"department_id", std::to_string(zhzf)}})->status, 404)
      << "a department does not see unaddressed complaints";
  EXPECT_EQ(act(office, f.number, "assign", {{"department_id", std::to_string(zhzf)}})->status,
            303);
  EXPECT_TRUE(contains(get("/admin/complaints", a.cookie)->body, f.number));

  auto stats = get("/admin/complaints/statistics", office.cookie);
  ASSERT_EQ(stats->status, 200);
  EXPECT_TRUE(contains(stats->body, "按期告知率"));
  EXPECT_TRUE(contains(stats->body, "合计"));
  EXPECT_TRUE(contains(stats->body, "新区综合行政执法局"));
  auto bad_month = get("/admin/complaints/statistics?from=2026-13-01", office.cookie);
  EXPECT_EQ(bad_month->status, 400);
  EXPECT_TRUE(contains(bad_month->body, "开始日期应为有效的日期"));
}

TEST_F(ComplaintPages, StaffRecordAPhoneCallWithTheOperator) {
  const std::int64_t scjg = departmentId("scjg");
  const Session s = login("operator-1", "editor", scjg);
  auto form = get("/admin/complaints/phone", s.cookie);
  ASSERT_EQ(form->status, 200);
  const std::string key = capture(form->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  auto r = post("/admin/complaints/phone",
                {{"csrf_token", s.csrf},
                 {"idempotency_key", key},
                 {"department_id", std::to_string(scjg)},
                 {"category", "food_safety"},
                 {"description", "来电反映某餐馆后厨卫生差"},
                 {"complainant_phone", "0431-81912345"}},
                s.cookie);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  auto detail = get("/admin/complaints/" + number, s.cookie);
  EXPECT_TRUE(contains(detail->body, "来电反映某餐馆后厨卫生差"));
  auto conn = portal_->app().pool().acquire();
  db::Rows row = conn->query(
      "SELECT channel, operator_account FROM complaints WHERE registration_no = ?", number);
  ASSERT_TRUE(row.next());
  EXPECT_EQ(row.str("channel"), "phone");
  EXPECT_EQ(row.str("operator_account"), "operator-1");
  auto no_csrf = post("/admin/complaints/phone",
                      {{"idempotency_key", "another-key-0123456789"},
                       {"category", "food_safety"},
                       {"description", "x"}},
                      s.cookie);
  EXPECT_EQ(no_csrf->status, 403);
}

// Open311 GeoReport v2, field by field.
class Open311 : public ComplaintFixture {
 protected:
  static void SetUpTestSuite() { startPortal(); }
  static void TearDownTestSuite() { stopPortal(); }

  static httplib::Result postRequest(const std::string& format, const httplib::Params& p) {
    return portal_->client().Post(("/open311/v2/requests." + format).c_str(), p);
  }
  static std::string postOne(const std::string& description = "占道经营，影响通行") {
    auto r = postRequest("json", {{"api_key", "test-key-2"},
                                  {"service_code", "street_vending"},
                                  {"description", description},
                                  {"address_string", "新区某路口"},
                                  {"lat", "43.88"},
                                  {"long", "125.35"},
                                  {"first_name", "三"},
                                  {"last_name", "张"},
                                  {"phone", "13812345678"}});
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    return json::parse(r->body).at(0).at("service_request_id").get<std::string>();
  }
  static void expectError(const httplib::Result& r, int status) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status);
    const json body = json::parse(r->body);
    ASSERT_TRUE(body.is_array());
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body[0].at("code"), status);
    EXPECT_TRUE(body[0].at("description").is_string());
  }
};

TEST_F(Open311, DiscoveryListsTheEndpointAndItsFormats) {
  auto r = get("/open311/v2/discovery.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  const json d = json::parse(r->body);
  for (const char* k : {"changeset", "contact", "key_service", "endpoints"}) {
    EXPECT_TRUE(d.contains(k)) << k;
  }
  const json e = d.at("endpoints").at(0);
  EXPECT_EQ(e.at("specification"), "http://wiki.open311.org/GeoReport_v2");
  // "url: The URL of the API endpoint" -- absolute, so a client can follow it as it is.
  EXPECT_TRUE(
      std::regex_match(e.at("url").get<std::string>(), std::regex("https?://[^/]+/open311/v2")))
      << e.at("url");
  EXPECT_EQ(e.at("type"), "production");
  EXPECT_TRUE(e.contains("changeset"));
  EXPECT_EQ(e.at("formats"), json({"text/xml", "application/json"}));

  auto x = get("/open311/v2/discovery.xml");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->get_header_value("Content-Type"), "text/xml; charset=utf-8");
  EXPECT_EQ(x->body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?><discovery>", 0), 0u);
  EXPECT_TRUE(contains(x->body, "<endpoints><endpoint><specification>"));
  EXPECT_TRUE(contains(
      x->body, "<formats><format>text/xml</format><format>application/json</format></formats>"));
}

// Regression (security review): without site.base_url, discovery built its endpoint URL from
// any Host header, so a forged Host (kept by a shared cache, or in a phishing link) sent
// clients, and their api_keys, to another server. A Host that does not name this machine now
// gets the path alone, a relative reference resolved against the discovery document's own URL.
TEST_F(Open311, DiscoveryNeverNamesAHostTheClientMadeUp) {
  for (const char* forged : {"evil.example", "evil.example:8080", "127.0.0.1.evil.example",
                             "localhost@evil.example", "[::1].evil.example"}) {
    for (const char* path : {"/open311/v2/discovery.json", "/open311/v2/discovery.xml"}) {
      auto r = portal_->client().Get(path, {{"Host", forged}});
      ASSERT_TRUE(r) << forged;
      EXPECT_EQ(r->status, 200) << forged << " " << path;
      EXPECT_FALSE(contains(r->body, "evil")) << forged << " " << path << ": " << r->body;
    }
    auto r = portal_->client().Get("/open311/v2/discovery.json", {{"Host", forged}});
    EXPECT_EQ(json::parse(r->body).at("endpoints").at(0).at("url"), "/open311/v2") << forged;
  }
  // This machine, as a developer or the tests call it: the absolute URL, port kept.
  const std::string self = "127.0.0.1:" + std::to_string(portal_->port());
  auto own = portal_->client().Get("/open311/v2/discovery.json", {{"Host", self}});
  EXPECT_EQ(json::parse(own->body).at("endpoints").at(0).at("url"),
            "http://" + self + "/open311/v2");
  auto local = portal_->client().Get("/open311/v2/discovery.xml", {{"Host", "localhost:8080"}});
  EXPECT_TRUE(contains(local->body, "<url>http://localhost:8080/open311/v2</url>")) << local->body;
}

TEST_F(Open311, ServicesAreTheComplaintCategoriesWithEverySpecField) {
  auto r = get("/open311/v2/services.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const json list = json::parse(r->body);
  ASSERT_TRUE(list.is_array());
  ASSERT_GE(list.size(), 10u);
  bool noise = false;
  for (const json& s : list) {
    for (const char* k :
         {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}) {
      EXPECT_TRUE(s.contains(k)) << k;
    }
    EXPECT_TRUE(s.at("metadata").is_boolean());
    EXPECT_TRUE(s.at("type") == "realtime" || s.at("type") == "batch" ||
                s.at("type") == "blackbox");
    if (s.at("service_code") == "noise") {
      noise = true;
      EXPECT_EQ(s.at("service_name"), "噪声扰民");
    }
  }
  EXPECT_TRUE(noise);

  auto x = get("/open311/v2/services.xml");
  EXPECT_TRUE(contains(x->body, "<services><service><service_code>"));
  EXPECT_TRUE(
      contains(x->body, "<service_code>noise</service_code><service_name>噪声扰民</service_name>"));
}

TEST_F(Open311, ServiceDefinitionHasTheDepartmentAttribute) {
  auto r = get("/open311/v2/services/noise.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const json d = json::parse(r->body);
  EXPECT_EQ(d.at("service_code"), "noise");
  const json a = d.at("attributes").at(0);
  EXPECT_EQ(a.at("variable"), true);
  EXPECT_EQ(a.at("code"), "department_id");
  EXPECT_EQ(a.at("datatype"), "singlevaluelist");
  EXPECT_EQ(a.at("required"), false);
  EXPECT_EQ(a.at("order"), 1);
  EXPECT_TRUE(a.at("datatype_description").is_string());
  EXPECT_TRUE(a.at("description").is_string());
  ASSERT_FALSE(a.at("values").empty());
  EXPECT_TRUE(a.at("values").at(0).contains("key"));
  EXPECT_TRUE(a.at("values").at(0).contains("name"));

  auto x = get("/open311/v2/services/noise.xml");
  EXPECT_TRUE(contains(
      x->body, "<service_definition><service_code>noise</service_code><attributes><attribute>"));
  EXPECT_TRUE(contains(x->body, "<values><value><key>"));
  expectError(get("/open311/v2/services/no-such-service.json"), 404);
}

TEST_F(Open311, PostNeedsAValidApiKeyAndAnswersInTheSpecsErrorFormat) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  httplib::Params p{{"service_code", "noise"}, {"description", "夜间噪声"}};
  expectError(postRequest("json", p), 403);
  p.emplace("api_key", "wrong-key");
  expectError(postRequest("json", p), 403);
  auto xml = postRequest("xml", p);
  EXPECT_EQ(xml->status, 403);
  EXPECT_TRUE(contains(xml->body, "<errors><error><code>403</code><description>"));
  // A valid key written in the address instead of the body: refused, saying where it belongs.
  auto in_url = portal_->client().Post("/open311/v2/requests.json?api_key=test-key-1",
                                       httplib::Params{{"service_code", "noise"},
                                                       {"lat", "31.23"},
                                                       {"long", "121.47"},
                                                       {"description", "夜间噪声"}});
  ASSERT_TRUE(in_url);
  EXPECT_EQ(in_url->status, 403);
  EXPECT_TRUE(contains(in_url->body, "api_key 须放在请求体"));

  expectError(postRequest("json", {{"api_key", "test-key-1"}, {"description", "夜间噪声"}}), 400);
  // "404 - service_code or service_request_id not found".
  expectError(postRequest("json", {{"api_key", "test-key-1"},
                                   {"service_code", "nope"},
                                   {"description", "夜间噪声"},
                                   {"address_string", "新区某路口"}}),
              404);
  expectError(postRequest("json", {{"api_key", "test-key-1"}, {"service_code", "noise"}}), 400);
  expectError(postRequest("json", {{"api_key", "test-key-1"},
                                   {"service_code", "noise"},
                                   {"description", "夜间噪声"},
                                   {"attribute[colour]", "red"}}),
              400);
  expectError(postRequest("json", {{"api_key", "test-key-1"},
                                   {"service_code", "noise"},
                                   {"description", "夜间噪声"},
                                   {"lat", "north"}}),
              400);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
}

// GeoReport v2, POST Service Request, "Location: lat & long both required if no address_string
// or address_id"; description is listed as optional, and no service definition of ours makes
// it required.
TEST_F(Open311, PostNeedsALocationButNotADescription) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  httplib::Params base{{"api_key", "test-key-1"}, {"service_code", "noise"}, {"description", "x"}};
  auto without = postRequest("json", base);
  expectError(without, 400);
  EXPECT_TRUE(contains(without->body, "address_string")) << without->body;
  httplib::Params only_lat = base;
  only_lat.emplace("lat", "43.88");
  expectError(postRequest("json", only_lat), 400);
  auto xml = postRequest("xml", base);
  EXPECT_EQ(xml->status, 400);
  EXPECT_TRUE(contains(xml->body, "<errors><error><code>400</code>"));
  // A blank address (spaces, the full-width space of Chinese input methods) is no location.
  for (const char* field : {"address_string", "address_id"}) {
    httplib::Params blank = base;
    blank.emplace(field, " \u3000 ");
    auto r = postRequest("json", blank);
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "缺少位置")) << field << ": " << r->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";

  for (const httplib::Params& located : {httplib::Params{{"lat", "43.88"}, {"long", "125.35"}},
                                         httplib::Params{{"address_string", "新区某路口"}},
                                         httplib::Params{{"address_id", "A-7"}}}) {
    httplib::Params p{{"api_key", "test-key-1"}, {"service_code", "noise"}};
    p.insert(located.begin(), located.end());
    auto r = postRequest("json", p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before + 3);
}

// GeoReport v2's optional email: not kept, but one that is given must look like an address,
// or the client hears which field is wrong and nothing is filed.
TEST_F(Open311, EmailThatIsNoAddressIsRefusedAndNothingFiled) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  const httplib::Params base{{"api_key", "test-key-1"},
                             {"service_code", "noise"},
                             {"description", "夜间施工"},
                             {"address_string", "新区某路口"}};
  const std::string long_local(250, 'a');
  for (const std::string& bad :
       {std::string("NaN"), std::string("<x>"), std::string("a@b"), std::string("@example.com"),
        std::string("zhang@"), std::string("a@@example.com"), std::string("a@b@example.com"),
        std::string("zhang san@example.com"), std::string("zhang@example.com."),
        std::string("zhang@.com"), std::string("张三 <zhang@example.com>"),
        std::string("zhang\u3000@example.com"), long_local + "@x.cn"}) {
    for (const char* format : {"json", "xml"}) {
      httplib::Params p = base;
      p.emplace("email", bad);
      auto r = postRequest(format, p);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 400) << bad << " " << format << ": " << r->body;
      EXPECT_TRUE(contains(r->body, "email")) << bad << ": " << r->body;
      EXPECT_TRUE(contains(r->body, "电子邮箱")) << bad << ": " << r->body;
      if (std::string(format) == "json") {
        expectError(r, 400);
      } else {
        EXPECT_TRUE(contains(r->body, "<errors><error><code>400</code>")) << r->body;
      }
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";

  // Left empty (or blank) it is not given; a plausible address passes.
  for (const char* fine : {"", " \u3000 ", "zhang.san@example.com.cn"}) {
    httplib::Params p = base;
    p.emplace("email", fine);
    auto r = postRequest("json", p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << "[" << fine << "]: " << r->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before + 3);
}

// A client that sent GeoReport v2 parameters hears their names in a 400, not the complaint
// form's ("phone", not "complainant_phone"), so its user knows which input to correct.
// last_name and first_name become one name for staff: Chinese parts join as written (张三),
// Latin ones keep a space ("SmithJohn" was what staff saw and would call back).
TEST_F(Open311, LastAndFirstNameInLatinLettersKeepASpace) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"Smith", "John", "Smith John"}, {"Zhang", "San", "Zhang San"}, {"张", "三", "张三"},
      {"欧阳", "Ming", "欧阳Ming"},     {" Li ", "", "Li"}};
  for (const auto& [last, first, shown] : cases) {
    auto r = postRequest("json", {{"api_key", "test-key-1"},
                                  {"service_code", "noise"},
                                  {"address_string", "新区某路"},
                                  {"last_name", last},
                                  {"first_name", first}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    const std::string id = json::parse(r->body).at(0).at("service_request_id");
    auto conn = portal_->app().pool().acquire();
    db::Rows row =
        conn->query("SELECT complainant_name FROM complaints WHERE registration_no = ?", id);
    ASSERT_TRUE(row.next());
    EXPECT_EQ(row.str("complainant_name"), shown) << last << "|" << first;
  }
}

TEST_F(Open311, RefusedFieldsAreNamedAsTheClientSentThem) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  const httplib::Params base{
      {"api_key", "test-key-1"}, {"service_code", "noise"}, {"description", "夜间施工"}};
  const std::vector<std::tuple<httplib::Params, std::string, std::string>> cases = {
      {{{"address_string", "新区某路口"}, {"phone", "+1 555-555-5555"}},
       "phone: ",
       "complainant_phone"},
      {{{"lat", "200"}, {"long", "125.35"}}, "lat: ", "location"},
      {{{"address_string", std::string(201, 'x')}}, "address_string: ", "location"},
      {{{"address_id", std::string(201, '7')}}, "address_id: ", "location"},
      {{{"address_string", "新区某路口"}, {"last_name", std::string(51, 'z')}},
       "last_name/first_name: ",
       "complainant_name"},
      {{{"address_string", "新区某路口"}, {"attribute[department_id]", "987654321"}},
       "attribute[department_id]: ",
       "\"department_id"},
      {{{"address_string", "新区某路口"},
        {"attribute[attachment_1_name]", "a.jpg"},
        {"attribute[attachment_1_kind]", "hologram"}},
       "attribute[attachment_1_kind]: ",
       "\"attachment_1_kind"}};
  for (const auto& [extra, named, internal] : cases) {
    httplib::Params p = base;
    p.insert(extra.begin(), extra.end());
    auto r = postRequest("json", p);
    expectError(r, 400);
    const json errors = json::parse(r->body);
    bool found = false;
    for (const json& e : errors) {
      found = found || e.at("description").get<std::string>().rfind(named, 0) == 0;
    }
    EXPECT_TRUE(found) << named << " " << r->body;
    EXPECT_FALSE(contains(r->body, internal)) << r->body;
    auto xml = postRequest("xml", p);
    ASSERT_TRUE(xml);
    EXPECT_EQ(xml->status, 400);
    EXPECT_TRUE(contains(xml->body, "<description>" + named)) << xml->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
}

// A blank service_code is a missing one (400), not an unknown service (404); spaces around a
// known code are no part of it.
TEST_F(Open311, ABlankServiceCodeIsMissingAndSpacesAroundOneAreIgnored) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  for (const std::string blank : {" ", "\t", "\xe3\x80\x80"}) {  // space, tab, 全角空格
    auto r = postRequest("json", {{"api_key", "test-key-1"},
                                  {"service_code", blank},
                                  {"address_string", "新区某路口"},
                                  {"description", "夜间施工"}});
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "service_code")) << r->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", " noise "},
                                {"address_string", "新区某路口"},
                                {"description", "夜间施工"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before + 1);
}

// An address_id is kept as the location "address_id <id>". A too long one was refused with
// the intake's count of that whole text ("现为311字" for the 300 characters sent) and its limit
// (200, of which the id may have only 189): the client is now told its own figures.
TEST_F(Open311, ATooLongAddressIdIsRefusedWithTheClientsOwnCount) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"address_id", std::string(300, '7')}});
  expectError(r, 400);
  EXPECT_TRUE(contains(r->body, "address_id: 不能超过189个字符（现为300个）")) << r->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
  auto fits = postRequest("json", {{"api_key", "test-key-1"},
                                   {"service_code", "noise"},
                                   {"address_id", std::string(189, '7')}});
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 201) << fits->body;
}

// Browser apps on other origins read Open311 (CORS): every answer there may be read by any
// origin, never with credentials, and a preflight OPTIONS is answered with the CORS headers.
// The site's own pages and the staff pages get none of it.
TEST_F(Open311, OtherOriginsMayReadItAndPreflightIsAnswered) {
  const httplib::Headers origin{{"Origin", "https://map.example.org"}};
  for (const char* path : {"/open311/v2/discovery.json", "/open311/v2/services.xml",
                           "/open311/v2/services/noise.json", "/open311/v2/requests.json"}) {
    auto g = portal_->client().Get(path, origin);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->status, 200) << path;
    EXPECT_EQ(g->get_header_value("Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(g->get_header_value_count("Access-Control-Allow-Origin"), 1u) << path;
    EXPECT_FALSE(g->has_header("Access-Control-Allow-Credentials")) << path;
    auto h = portal_->client().Head(path, origin);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->get_header_value("Access-Control-Allow-Origin"), "*") << path;
  }
  const auto preflight = [](const std::string& path, const std::string& method) {
    return portal_->client().Options(path, {{"Origin", "https://map.example.org"},
                                            {"Access-Control-Request-Method", method},
                                            {"Access-Control-Request-Headers", "content-type"}});
  };
  auto post = preflight("/open311/v2/requests.json", "POST");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 204) << post->body;
  EXPECT_EQ(post->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_TRUE(contains(post->get_header_value("Access-Control-Allow-Methods"), "POST"));
  EXPECT_TRUE(contains(post->get_header_value("Access-Control-Allow-Methods"), "GET"));
  EXPECT_TRUE(contains(post->get_header_value("Access-Control-Allow-Headers"), "Content-Type"));
  EXPECT_FALSE(post->has_header("Access-Control-Allow-Credentials"));
  auto read = preflight("/open311/v2/discovery.json", "GET");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 204);
  EXPECT_TRUE(contains(read->get_header_value("Access-Control-Allow-Methods"), "GET"));
  EXPECT_FALSE(contains(read->get_header_value("Access-Control-Allow-Methods"), "POST"));

  // Its mistakes are readable too (the spec's error list).
  for (const char* path : {"/open311/v2/requests/TS-1999-000001.json", "/open311/v2/nope.json"}) {
    auto e = portal_->client().Get(path, origin);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, 404) << path;
    EXPECT_EQ(e->get_header_value("Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(e->get_header_value_count("Access-Control-Allow-Origin"), 1u) << path;
  }

  // A POST from such an app can read its registration.
  auto r = portal_->client().Post(
      "/open311/v2/requests.json", origin,
      httplib::Params{
          {"api_key", "test-key-1"}, {"service_code", "noise"}, {"address_string", "新区某路口"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");

  for (const char* path : {"/", "/complaints/new", "/admin/login", "/api/v1/departments"}) {
    auto g = portal_->client().Get(path, origin);
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->has_header("Access-Control-Allow-Origin")) << path;
    // OPTIONS names the page's methods, but without Access-Control-Allow-Origin a browser
    // refuses the other origin's request.
    auto o = preflight(path, "GET");
    ASSERT_TRUE(o);
    EXPECT_EQ(o->status, 204) << path;
    EXPECT_FALSE(o->has_header("Access-Control-Allow-Origin")) << path;
    EXPECT_FALSE(o->has_header("Access-Control-Allow-Methods")) << path;
  }
}

// "Control characters" never reach the record: the form strips them.
TEST_F(Open311, ControlCharactersAreNotStored) {
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "夜间\x01\x1b[2J施工"},
                                {"address_string", "新区\x7f某路口"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  auto conn = portal_->app().pool().acquire();
  db::Rows row =
      conn->query("SELECT description, location FROM complaints WHERE registration_no = ?", id);
  ASSERT_TRUE(row.next());
  EXPECT_EQ(row.str("description"), "夜间[2J施工");
  EXPECT_EQ(row.str("location"), "新区某路口");
}

TEST_F(Open311, PostCreatesARequestThroughTheSameIntake) {
  const std::int64_t zhzf = departmentId("zhzf");
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "工地夜间施工"},
                                {"address_string", "新区某工地"},
                                {"attribute[department_id]", std::to_string(zhzf)}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  const json created = json::parse(r->body);
  ASSERT_TRUE(created.is_array());
  const json c = created.at(0);
  const std::string id = c.at("service_request_id");
  EXPECT_TRUE(std::regex_match(id, std::regex("TS-20[0-9]{2}-[0-9]{6}")));
  EXPECT_TRUE(c.at("service_notice").is_string());
  EXPECT_TRUE(c.contains("account_id"));
  EXPECT_EQ(c.at("tracking_code").get<std::string>().size(), 8u);
  auto conn = portal_->app().pool().acquire();
  db::Rows row =
      conn->query("SELECT channel, department_id FROM complaints WHERE registration_no = ?", id);
  ASSERT_TRUE(row.next());
  EXPECT_EQ(row.str("channel"), "open311");
  EXPECT_EQ(row.i64("department_id"), zhzf);

  // The tracking code works on the tracking page.
  EXPECT_EQ(track(id, c.at("tracking_code")).value().status, 200);

  auto x = postRequest("xml", {{"api_key", "test-key-1"},
                               {"service_code", "noise"},
                               {"description", "工地夜间施工（XML）"},
                               {"lat", "43.88"},
                               {"long", "125.35"}});
  EXPECT_EQ(x->status, 201);
  EXPECT_TRUE(contains(x->body, "<service_requests><request><service_request_id>TS-"));
}

// GeoReport v2 takes lat and long instead of an address: a request filed with coordinates
// alone must tell the handling department where it happened. The staff page showed the
// description and no place at all (the coordinates were stored, never shown).
TEST_F(Open311, StaffSeeWhereARequestWithCoordinatesOnlyHappened) {
  const std::int64_t zhzf = departmentId("zhzf");
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "夜间施工噪声"},
                                {"lat", "43.817100"},
                                {"long", "125.3235"},
                                {"attribute[department_id]", std::to_string(zhzf)}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  const Session s = login("coordinates-editor", "editor", zhzf);
  auto detail = get("/admin/complaints/" + id, s.cookie);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->status, 200);
  EXPECT_TRUE(contains(detail->body, "北纬 43.8171°，东经 125.3235°（WGS-84）")) << detail->body;

  // The public list still leaves them out.
  auto listed = get("/open311/v2/requests/" + id + ".json");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(json::parse(listed->body).at(0).at("lat").is_null());
}

// updated_datetime is the last change the public can see. An internal note (not public) is no
// business of the requester, and moving the date would tell them that one was written.
TEST_F(Open311, AnInternalNoteDoesNotMoveTheUpdatedDatetime) {
  const std::int64_t zhzf = departmentId("zhzf");
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "工地夜间施工噪声"},
                                {"address_string", "新区创新大街1号"},
                                {"attribute[department_id]", std::to_string(zhzf)}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  const auto updated = [&] {
    auto listed = get("/open311/v2/requests/" + id + ".json");
    EXPECT_TRUE(listed);
    return json::parse(listed->body).at(0).at("updated_datetime").get<std::string>();
  };
  const std::string filed = updated();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the datetime counts seconds
  const Session s = login("updated-editor", "editor", zhzf);
  ASSERT_EQ(act(s, id, "note", {{"text", "内部：施工单位负责人为李某"}, {"is_public", "0"}})->status, 303);
  EXPECT_EQ(updated(), filed);
  ASSERT_EQ(act(s, id, "accept", {{"note", "已受理"}})->status, 303);
  EXPECT_NE(updated(), filed);
}

TEST_F(Open311, AttachmentAttributesAndMediaUrlBecomeAttachmentDescriptions) {
  const json definition = json::parse(get("/open311/v2/services/noise.json")->body);
  bool kind_listed = false;
  for (const json& a : definition.at("attributes")) {
    if (a.at("code") != "attachment_5_kind") continue;
    kind_listed = true;
    EXPECT_EQ(a.at("datatype"), "singlevaluelist");
    EXPECT_EQ(a.at("values").at(0).at("key"), "photo");
    EXPECT_EQ(a.at("values").at(0).at("name"), "照片");
  }
  EXPECT_TRUE(kind_listed);

  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "工地夜间施工"},
                                {"address_id", "A-1024"},
                                {"attribute[attachment_1_name]", "DSC_0001.jpg"},
                                {"attribute[attachment_1_kind]", "照片"},
                                {"attribute[attachment_1_description]", "凌晨一点拍摄"},
                                {"media_url", "https://example.org/media/1.jpg"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows rows = conn->query(
        "SELECT a.kind, a.file_name, a.description FROM complaint_attachments a JOIN complaints c "
        "ON c.id = a.complaint_id WHERE c.registration_no = ? ORDER BY a.ordinal",
        id);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.str("kind"), "photo");
    EXPECT_EQ(rows.str("file_name"), "DSC_0001.jpg");
    EXPECT_EQ(rows.str("description"), "凌晨一点拍摄");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.str("kind"), "other");
    EXPECT_EQ(rows.str("file_name"), "https://example.org/media/1.jpg");
    EXPECT_FALSE(rows.next());
  }
  EXPECT_TRUE(json::parse(get("/open311/v2/requests/" + id + ".json")->body)
                  .at(0)
                  .at("media_url")
                  .is_null())
      << "GET requests stays without private fields";

  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  httplib::Params base{{"api_key", "test-key-1"},
                       {"service_code", "noise"},
                       {"description", "x"},
                       {"address_string", "新区某路口"}};
  auto with = [&](std::initializer_list<std::pair<const char*, std::string>> extra) {
    httplib::Params p = base;
    for (const auto& [k, v] : extra) p.emplace(k, v);
    return postRequest("json", p);
  };
  expectError(with({{"media_url", "ftp://example.org/1.jpg"}}), 400);
  // An address with no host, or with blanks in it, names no media (both were filed).
  for (const std::string url : {"https://", "http:///1.jpg", "https://example.org/我的 照片.jpg"}) {
    auto r = with({{"media_url", url}});
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "media_url")) << url << ": " << r->body;
  }
  auto long_url = with({{"media_url", "https://example.org/" + std::string(90, 'a')}});
  expectError(long_url, 400);
  EXPECT_TRUE(contains(long_url->body, "media_url 不能超过100个字符")) << long_url->body;
  EXPECT_FALSE(contains(long_url->body, "第6项")) << "the client sent no sixth attachment";
  expectError(with({{"attribute[attachment_1_name]", "a.jpg"},
                    {"attribute[attachment_1_kind]", "hologram"}}),
              400);
  expectError(with({{"attribute[attachment_6_name]", "a.jpg"}}), 400);
  httplib::Params six = base;
  for (int n = 1; n <= 5; ++n) {
    six.emplace("attribute[attachment_" + std::to_string(n) + "_name]", "f.jpg");
    six.emplace("attribute[attachment_" + std::to_string(n) + "_kind]", "photo");
  }
  six.emplace("media_url", "https://example.org/6.jpg");
  auto too_many = postRequest("json", six);
  expectError(too_many, 400);
  EXPECT_TRUE(contains(too_many->body, "附件说明最多填写5项")) << too_many->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
  // A URL's scheme is case-insensitive (RFC 3986 3.1): "HTTPS://" was refused as no http(s).
  auto upper = with({{"media_url", "HTTPS://example.org/1.jpg"}});
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->status, 201) << upper->body;
}

TEST_F(Open311, GetRequestByIdInJsonAndXmlWithoutPrivateFields) {
  const std::string id = postOne();
  auto r = get("/open311/v2/requests/" + id + ".json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const json list = json::parse(r->body);
  ASSERT_EQ(list.size(), 1u);
  const json q = list.at(0);
  for (const char* k : {"service_request_id", "status", "status_notes", "service_name",
                        "service_code", "description", "agency_responsible", "service_notice",
                        "requested_datetime", "updated_datetime", "expected_datetime", "address",
                        "address_id", "zipcode", "lat", "long", "media_url"}) {
    EXPECT_TRUE(q.contains(k)) << k;
  }
  EXPECT_EQ(q.at("service_request_id"), id);
  EXPECT_EQ(q.at("status"), "open");
  EXPECT_EQ(q.at("service_code"), "street_vending");
  EXPECT_EQ(q.at("service_name"), "占道经营");
  const std::regex w3("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+08:00");
  EXPECT_TRUE(std::regex_match(q.at("requested_datetime").get<std::string>(), w3));
  EXPECT_TRUE(std::regex_match(q.at("updated_datetime").get<std::string>(), w3));
  EXPECT_TRUE(std::regex_match(q.at("expected_datetime").get<std::string>(), w3));
  // Extensions only when asked for (?extensions=true).
  EXPECT_FALSE(q.contains("extended_attributes"));
  const json ext = json::parse(get("/open311/v2/requests/" + id + ".json?extensions=true")->body);
  EXPECT_EQ(ext.at(0).at("extended_attributes").at("detailed_status"), "received");
  EXPECT_EQ(ext.at(0).at("extended_attributes").at("detailed_status_name"), "已登记");
  EXPECT_FALSE(contains(r->body, "13812345678"));
  EXPECT_FALSE(contains(r->body, "张三"));
  EXPECT_FALSE(contains(r->body, "占道经营，影响通行")) << "the description is not public";

  auto x = get("/open311/v2/requests/" + id + ".xml?extensions=true");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 200);
  EXPECT_TRUE(contains(x->body, "<service_requests><request><service_request_id>" + id +
                                    "</service_request_id><status>open</status>"));
  EXPECT_TRUE(
      contains(x->body, "<extended_attributes><detailed_status>received</detailed_status>"));
  EXPECT_TRUE(contains(x->body, "<lat/>"));

  expectError(get("/open311/v2/requests/TS-1999-000001.json"), 404);
  auto missing_xml = get("/open311/v2/requests/TS-1999-000001.xml");
  EXPECT_EQ(missing_xml->status, 404);
  EXPECT_TRUE(contains(missing_xml->body, "<errors><error><code>404</code>"));
}

// A number typed or copied in lower case (ts-2026-000001) names the same request on its own
// resource as in the list's service_request_id filter; before, the list found it and the
// resource answered 404.
// expected_datetime stayed at the provisional handling deadline through acceptance,
// conclusion and reopening. It is when the request should be fulfilled: the handling deadline
// until conclusion (before acceptance too), none once closed, the review deadline after 不满意.
TEST_F(Open311, ExpectedDatetimeFollowsTheDeadlineThatIsOpen) {
  const std::int64_t zhzf = departmentId("zhzf");
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"description", "工地夜间施工，期限跟随"},
                                {"address_string", "新区某工地"},
                                {"attribute[department_id]", std::to_string(zhzf)}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const json created = json::parse(r->body).at(0);
  const std::string id = created.at("service_request_id");
  const std::string code = created.at("tracking_code");
  const auto due = [&](const char* column) {
    auto conn = portal_->app().pool().acquire();
    db::Rows row = conn->query(std::string("SELECT COALESCE(DATE_FORMAT(") + column +
                                   ", '%Y-%m-%d'), '') AS d, " + column +
                                   "_provisional AS p FROM complaints WHERE registration_no = ?",
                               id);
    EXPECT_TRUE(row.next());
    return std::make_pair(row.str("d"), row.i64("p") != 0);
  };
  const auto expected = [&]() {
    const json one =
        json::parse(get("/open311/v2/requests/" + id + ".json?extensions=true")->body).at(0);
    return std::make_pair(one.at("expected_datetime"),
                          one.at("extended_attributes").at("expected_datetime_provisional"));
  };

  auto [before, before_provisional] = due("handling_due");
  auto e = expected();
  EXPECT_EQ(e.first, before + "T23:59:59+08:00") << "received: when it should be handled";
  EXPECT_EQ(e.second, before_provisional);

  const Session s = login("open311-deadlines", "editor", zhzf);
  ASSERT_EQ(act(s, id, "accept", {})->status, 303);
  auto [handling, handling_provisional] = due("handling_due");
  e = expected();
  EXPECT_EQ(e.first, handling + "T23:59:59+08:00") << "accepted: the handling deadline";
  EXPECT_EQ(e.second, handling_provisional);

  ASSERT_EQ(act(s, id, "conclude", {{"result", "已责令停工"}})->status, 303);
  e = expected();
  EXPECT_TRUE(e.first.is_null()) << "closed: nothing is expected any more";
  EXPECT_EQ(e.second, false);
  auto x = get("/open311/v2/requests/" + id + ".xml");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 200);
  EXPECT_FALSE(contains(x->body, "<expected_datetime>2")) << x->body;

  ASSERT_EQ(post("/track/evaluate", {{"registration_no", id},
                                     {"tracking_code", code},
                                     {"rating", "unsatisfied"},
                                     {"comment", "晚上还在施工"}})
                ->status,
            200);
  auto [review, review_provisional] = due("review_due");
  ASSERT_FALSE(review.empty());
  e = expected();
  EXPECT_EQ(e.first, review + "T23:59:59+08:00") << "reopened: the review deadline";
  EXPECT_EQ(e.second, review_provisional);
}

TEST_F(Open311, PhonesWith86OrAnExtensionAreTaken) {
  for (const std::string phone : {"8613800138000", "0431-81912345-801", "0431-81912345转801"}) {
    SCOPED_TRACE(phone);
    auto r = postRequest("json", {{"api_key", "test-key-1"},
                                  {"service_code", "noise"},
                                  {"description", "工地夜间施工"},
                                  {"address_string", "新区某工地"},
                                  {"phone", phone}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
}

// service_request_id is read like the tracking form's number: without hyphens or with the
// sequence unpadded it names the same request.
TEST_F(Open311, ARequestIdTypedLooselyNamesTheSameRequest) {
  const std::string id = postOne();
  const std::string loose = "TS" + id.substr(3, 4) + std::to_string(std::stoll(id.substr(8)));
  auto r = get("/open311/v2/requests/" + loose + ".json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body).at(0).at("service_request_id"), id);
  auto list = get("/open311/v2/requests.json?service_request_id=" + loose);
  ASSERT_TRUE(list);
  EXPECT_EQ(json::parse(list->body).at(0).at("service_request_id"), id);
}

TEST_F(Open311, ARequestIdInLowerCaseNamesTheSameRequest) {
  const std::string id = postOne();
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  ASSERT_NE(lower, id);
  auto r = get("/open311/v2/requests/" + lower + ".json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body).at(0).at("service_request_id"), id);
  auto listed = get("/open311/v2/requests.json?service_request_id=" + lower);
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(json::parse(listed->body).at(0).at("service_request_id"), id);
  EXPECT_EQ(get("/open311/v2/requests/" + lower + "9.json")->status, 404);
}

TEST_F(Open311, GetRequestsFiltersByIdsServiceStatusAndDates) {
  const std::string a = postOne();
  const std::string b = postOne("另一处占道经营");
  auto both = get("/open311/v2/requests.json?service_request_id=" + a + "," + b);
  ASSERT_EQ(both->status, 200);
  EXPECT_EQ(json::parse(both->body).size(), 2u);

  auto vending = json::parse(get("/open311/v2/requests.json?service_code=street_vending")->body);
  for (const json& q : vending) EXPECT_EQ(q.at("service_code"), "street_vending");
  EXPECT_GE(vending.size(), 2u);
  EXPECT_TRUE(json::parse(get("/open311/v2/requests.json?service_code=labour")->body).empty());

  // "service_request_id ... This overrides all other arguments."
  EXPECT_EQ(
      json::parse(get("/open311/v2/requests.json?service_request_id=" + a + "&status=closed")->body)
          .size(),
      1u);
  EXPECT_EQ(
      json::parse(get("/open311/v2/requests.json?service_request_id=" + a + "&status=open")->body)
          .size(),
      1u);
  EXPECT_TRUE(
      json::parse(get("/open311/v2/requests.json?start_date=2099-01-01T00:00:00Z")->body).empty());
  // Without dates: the last 90 days, which hold the two just posted.
  EXPECT_GE(json::parse(get("/open311/v2/requests.json")->body).size(), 2u);
  // start_date alone: everything since (the span limit is for start and end together). It
  // answered an empty list, the 90 days after 2000-01-01.
  EXPECT_TRUE(contains(get("/open311/v2/requests.json?start_date=2000-01-01T00:00:00%2B08:00")->body, a));
  EXPECT_TRUE(
      json::parse(get("/open311/v2/requests.json?end_date=2000-01-01T00:00:00%2B08:00")->body)
          .empty());
  // "may not span more than 90 days".
  expectError(get("/open311/v2/requests.json?start_date=2000-01-01T00:00:00%2B08:00&"
                  "end_date=2099-12-31T23:59:59Z"),
              400);
  expectError(get("/open311/v2/requests.json?status=pending"), 400);
  // A repeated argument is named, as in a POST (the second id was dropped without a word);
  // the spec's form of several ids is the comma list.
  auto twice = get("/open311/v2/requests.json?service_request_id=" + a + "&service_request_id=" + a);
  expectError(twice, 400);
  EXPECT_TRUE(contains(twice->body, "service_request_id")) << twice->body;
  expectError(get("/open311/v2/requests.json?start_date=yesterday"), 400);
  auto x = get("/open311/v2/requests.xml?service_request_id=" + a);
  EXPECT_TRUE(contains(x->body, "<service_requests><request>"));
}

// A client that joins its lists with ", " meant the same codes as without the blank. Before,
// "street_vending, noise" silently answered only street_vending's requests (" noise" is no
// code) and "open, closed" was refused as an unknown status.
TEST_F(Open311, CommaListsMayHaveBlanksAfterTheCommas) {
  const std::string vending = postOne();
  auto r = postRequest("json", {{"api_key", "test-key-2"},
                                {"service_code", "noise"},
                                {"description", "夜间施工噪声"},
                                {"address_string", "新区某工地"}});
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string noise = json::parse(r->body).at(0).at("service_request_id");
  const auto ids = [](const httplib::Result& res) {
    std::set<std::string> out;
    EXPECT_EQ(res->status, 200) << res->body;
    for (const json& q : json::parse(res->body)) out.insert(q.at("service_request_id"));
    return out;
  };
  for (const std::string& list : {std::string("street_vending,%20noise"),
                                  std::string("street_vending%20,noise%20")}) {
    const auto got = ids(get("/open311/v2/requests.json?service_code=" + list));
    EXPECT_TRUE(got.count(vending)) << list;
    EXPECT_TRUE(got.count(noise)) << list;
  }
  const auto any = ids(get("/open311/v2/requests.json?status=open,%20closed"));
  EXPECT_TRUE(any.count(vending) && any.count(noise));
  EXPECT_EQ(ids(get("/open311/v2/requests.json?service_request_id=" + vending + ",%20" + noise)),
            (std::set<std::string>{vending, noise}));
}

// "lat: latitude using the (WGS84) projection" in decimal degrees, as the spec's examples
// ("37.76524078"). A hexadecimal "0x2B" (43), an exponent or blanks are not that, and a
// client that sends them has a bug it should hear about rather than a complaint filed at a
// place it did not mean.
TEST_F(Open311, CoordinatesAreDecimalDegreesOnly) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  for (const std::string lat : {"0x2B", "4.388e1", " 43.88", "43.88 ", "-", ".", "43.8.8", "١٢"}) {
    auto r = postRequest(
        "json",
        {{"api_key", "test-key-1"}, {"service_code", "noise"}, {"lat", lat}, {"long", "125.35"}});
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "十进制度数")) << lat << ": " << r->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
  for (const std::string lat : {"43", "-43.88", "+43.88", "43.", ".5"}) {
    auto r = postRequest(
        "json",
        {{"api_key", "test-key-1"}, {"service_code", "noise"}, {"lat", lat}, {"long", "125.35"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << lat << ": " << r->body;
  }
}

// W3C date-times have two-digit fields and an offset within a day ("+08:00"); "+25:00" or an
// hour of "-1" is a malformed date, not a window shifted by a day.
TEST_F(Open311, DatesWithImpossibleFieldsAreRefused) {
  for (const char* date :
       {"2026-12-01T00:00:00%2B25:00", "2026-12-01T00:00:00%2B08:60", "2026-12-01T-1:00:00Z",
        "2026-12-01T1:00:00Z", "2026-12-01T00:-5Z", "2026-12-01T00:00:00%2B8:000"}) {
    auto r = get(std::string("/open311/v2/requests.json?start_date=") + date);
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "W3C")) << date << ": " << r->body;
  }
  for (const char* date :
       {"2026-12-01T00:00:00.5%2B08:00", "2026-12-01T00:00Z", "2026-12-01T23:59:59-12:00"}) {
    auto r = get(std::string("/open311/v2/requests.json?start_date=") + date);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << date << ": " << r->body;
  }
}

// W3C fractional seconds are digits after the seconds: "10:00:00." and "10:00.5" are malformed,
// not 10 o'clock.
TEST_F(Open311, AFractionWithoutDigitsOrSecondsIsMalformed) {
  for (const char* date : {"2026-12-01T10:00:00.%2B08:00", "2026-12-01T10:00.5Z"}) {
    auto r = get(std::string("/open311/v2/requests.json?start_date=") + date);
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "W3C")) << date << ": " << r->body;
  }
}

// Dates are compared as Beijing "YYYY-MM-DD HH:MM:SS" text. 2026-12-31T20:00:00Z in Beijing is
// the next year; in 9999 that is "10000-01-01 04:00:00", which sorts before "2026-...": a
// start_date there listed every request, and a window inside the last days of 9999 was said to
// end before it started or to span more than 90 days.
TEST_F(Open311, DatesPastTheYear9999InBeijingAreRefusedNotMisordered) {
  const std::string id = postOne("夜间施工噪声，日期范围");
  auto after = get("/open311/v2/requests.json?start_date=9999-12-31T20:00:00Z");
  expectError(after, 400);
  EXPECT_TRUE(contains(after->body, "超出可查询的范围")) << after->body;
  EXPECT_FALSE(contains(after->body, id)) << after->body;
  auto window =
      get("/open311/v2/requests.json?start_date=9999-12-31T15:00:00Z&end_date=9999-12-31T21:00:00Z");
  expectError(window, 400);
  EXPECT_TRUE(contains(window->body, "超出可查询的范围")) << window->body;
  // Sixty days late in 9999, all of them within the year: a window like any other.
  auto late = get("/open311/v2/requests.json?start_date=9999-11-01&end_date=9999-12-31");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 200) << late->body;
  EXPECT_TRUE(json::parse(late->body).empty()) << late->body;
}

// A client that builds the URL by hand and writes "+08:00" unencoded sends " 08:00" (a query's
// '+' is a space): it means the offset and selects what the encoded "%2B08:00" selects.
TEST_F(Open311, AnUnencodedPlusInADateOffsetIsTheOffset) {
  const std::string id = postOne("夜间施工噪声，日期偏移");
  const std::string received =
      json::parse(get("/open311/v2/requests/" + id + ".json")->body).at(0).at("requested_datetime");
  ASSERT_EQ(received.substr(19), "+08:00") << received;
  const std::string second = received.substr(0, 19);  // when it was received, Beijing time
  httplib::Client raw = portal_->client();
  raw.set_url_encode(false);  // the '+' goes out as typed
  const auto list = [&](const std::string& start) {
    auto r = raw.Get(("/open311/v2/requests.json?start_date=" + start).c_str());
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << start << ": " << r->body;
    return r->body;
  };
  EXPECT_TRUE(contains(list(second + "%2B08:00"), id));
  EXPECT_TRUE(contains(list(second + "+08:00"), id));
  // The same clock reading at -08:00 is 16 hours later: the request was received before it.
  EXPECT_FALSE(contains(list(second + "-08:00"), id));
  expectError(raw.Get(("/open311/v2/requests.json?start_date=" + second + "+08:0").c_str()), 400);
}

// "All text returned ... MUST be encoded as UTF-8" in well-formed XML: an error that repeats
// what the client sent must not copy a control character into the document, which no XML 1.0
// parser accepts even as a character reference.
TEST_F(Open311, XmlErrorsStayWellFormedWhenTheyRepeatControlCharacters) {
  auto r = get("/open311/v2/requests.xml?status=a%01b%1Bc");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(contains(r->body, "<errors><error><code>400</code>")) << r->body;
  EXPECT_EQ(r->body.find_first_of(std::string("\x01\x1b", 2)), std::string::npos) << r->body;
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_TRUE(contains(r->body, "a" + replacement + "b" + replacement + "c")) << r->body;
  auto d = get("/open311/v2/services/x%02y.xml");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 404);
  EXPECT_EQ(d->body.find('\x02'), std::string::npos) << d->body;
}

// U+FFFE and U+FFFF are valid UTF-8 but no XML 1.0 character: an error that repeats them as
// they came would be a document no XML parser reads, so the client learns nothing.
TEST_F(Open311, XmlErrorsStayWellFormedWhenTheyRepeatNoncharacters) {
  const std::string fffe = "\xEF\xBF\xBE", ffff = "\xEF\xBF\xBF", replacement = "\xEF\xBF\xBD";
  for (const std::string& path :
       {std::string("/open311/v2/requests/a%EF%BF%BEb.xml"),
        std::string("/open311/v2/requests.xml?status=a%EF%BF%BFb"),
        std::string("/open311/v2/services/a%EF%BF%BEb.xml")}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << path << " " << r->status;
    EXPECT_TRUE(contains(r->body, "<errors><error><code>")) << r->body;
    EXPECT_FALSE(contains(r->body, fffe)) << path << " " << r->body;
    EXPECT_FALSE(contains(r->body, ffff)) << path << " " << r->body;
    EXPECT_TRUE(contains(r->body, "a" + replacement + "b")) << path << " " << r->body;
  }
  auto p = postRequest("xml", {{"api_key", "test-key-2"},
                               {"service_code", "x" + fffe},
                               {"address_string", "新区某路口"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 404);
  EXPECT_FALSE(contains(p->body, fffe)) << p->body;
  EXPECT_TRUE(contains(p->body, "x" + replacement)) << p->body;
}

// GET tokens/{token}.{format} is one of the spec's six methods. We create every request at once
// and answer its service_request_id, so no token exists: the answer is the spec's 404 in the
// asked format, and the resource knows its methods like the others.
// GeoReport v2 tells "not provided" (400) from "not found" (404): a client whose code or id
// came out empty asks for services/.json, and heard that a service "" does not exist.
// Every value is trimmed as a typed one is: a body that ends in a line break (a file, a
// here-document) must not turn the api_key into an unknown one, nor blanks around an e-mail
// address, a media_url or the department into 400s (lat and long stay strict decimals).
TEST_F(Open311, BlanksAroundAValueAreNoPartOfIt) {
  const std::int64_t zhzf = departmentId("zhzf");
  auto r = portal_->client().Post(
      "/open311/v2/requests.json",
      "service_code=noise&description=%E5%99%AA%E5%A3%B0&lat=%2B43.88&long=125.35"
      "&email=%20someone%40example.com%20&media_url=https%3A%2F%2Fexample.com%2Fn.jpg%0A"
      "&attribute%5Bdepartment_id%5D=%20" +
          std::to_string(zhzf) + "&api_key=test-key-1\n",
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  auto conn = portal_->app().pool().acquire();
  db::Rows row = conn->query(
      "SELECT c.department_id, c.latitude, a.file_name FROM complaints c "
      "JOIN complaint_attachments a ON a.complaint_id = c.id WHERE c.registration_no = ?",
      id);
  ASSERT_TRUE(row.next());
  EXPECT_EQ(row.i64("department_id"), zhzf);
  EXPECT_EQ(row.str("latitude"), "43.880000");
  EXPECT_EQ(row.str("file_name"), "https://example.com/n.jpg");
}

TEST_F(Open311, AnEmptyIdInThePathIsNotProvidedNotUnknown) {
  for (const char* path : {"/open311/v2/services/.json", "/open311/v2/services/%20.json",
                           "/open311/v2/requests/.json", "/open311/v2/tokens/.json"}) {
    auto r = get(path);
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, "缺少")) << path << " " << r->body;
  }
  auto x = get("/open311/v2/services/.xml");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 400);
  EXPECT_TRUE(contains(x->body, "<errors><error><code>400</code>")) << x->body;
  // Unknown ones stay 404; spaces around a known code are no part of it, as in a POST.
  expectError(get("/open311/v2/services/no_such_service.json"), 404);
  expectError(get("/open311/v2/requests/TS-1999-999999.json"), 404);
  auto padded = get("/open311/v2/services/%20noise%20.json");
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->status, 200);
  EXPECT_EQ(json::parse(padded->body).at("service_code"), "noise");
}

TEST_F(Open311, TokensAreAnsweredAsUnknownInTheSpecsFormat) {
  auto r = get("/open311/v2/tokens/12345.json");
  expectError(r, 404);
  EXPECT_TRUE(contains(r->body, "token 不存在：12345")) << r->body;
  auto x = get("/open311/v2/tokens/12345.xml");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 404);
  EXPECT_EQ(x->get_header_value("Content-Type"), "text/xml; charset=utf-8");
  EXPECT_TRUE(contains(x->body, "<errors><error><code>404</code><description>token 不存在"))
      << x->body;
  auto put = portal_->client().Put("/open311/v2/tokens/12345.json", "", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_TRUE(contains(put->get_header_value("Allow"), "GET")) << put->get_header_value("Allow");
}

// A media type is case-insensitive (RFC 9110, 8.3.1); a client library that writes
// "Application/X-WWW-Form-Urlencoded" sends a form like any other.
TEST_F(Open311, FormContentTypeIsCaseInsensitive) {
  auto r = portal_->client().Post(
      "/open311/v2/requests.json",
      "api_key=test-key-1&service_code=noise&address_string=%E6%96%B0%E5%8C%BA",
      "Application/X-WWW-Form-Urlencoded; Charset=UTF-8");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
}

// Idempotency-Key (our extension for retrying clients): a malformed one is named with its rule,
// not with the complaint form's advice to reload the page.
TEST_F(Open311, AMalformedIdempotencyKeyIsExplained) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  auto r = portal_->client().Post("/open311/v2/requests.json", {{"Idempotency-Key", "abc"}},
                                  "api_key=test-key-1&service_code=noise&address_string=x",
                                  "application/x-www-form-urlencoded");
  expectError(r, 400);
  EXPECT_TRUE(contains(r->body, "Idempotency-Key: 须为16至128个字符")) << r->body;
  EXPECT_FALSE(contains(r->body, "刷新页面")) << r->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
}

// attribute[department_id] is optional ("required": false). A client that renders the service
// definition and posts every attribute sends it empty when nothing was chosen; that is "not
// sure", as when it is left out, while a value not in the list is still refused.
TEST_F(Open311, AnEmptyOptionalAttributeCountsAsNotGiven) {
  auto r = postRequest("json", {{"api_key", "test-key-1"},
                                {"service_code", "noise"},
                                {"address_string", "新区某路口"},
                                {"attribute[department_id]", ""},
                                {"attribute[attachment_1_name]", ""},
                                {"attribute[attachment_1_kind]", ""},
                                {"attribute[attachment_1_description]", ""}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows row =
        conn->query("SELECT department_id FROM complaints WHERE registration_no = ?", id);
    ASSERT_TRUE(row.next());
    EXPECT_TRUE(row.isNull("department_id")) << "不确定: the legal office assigns it";
  }
  expectError(postRequest("json", {{"api_key", "test-key-1"},
                                   {"service_code", "noise"},
                                   {"address_string", "新区某路口"},
                                   {"attribute[department_id]", "x"}}),
              400);
}

// A client that posts JSON (the spec's answers are JSON, its requests are forms) hears which
// encoding to use, not the site's advice to use the form on the page.
TEST_F(Open311, AnotherBodyTypeIsToldTheFormEncoding) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  auto r = portal_->client().Post(
      "/open311/v2/requests.json",
      R"({"api_key":"test-key-1","service_code":"noise","address_string":"新区"})",
      "application/json");
  expectError(r, 400);
  EXPECT_TRUE(contains(r->body, "application/x-www-form-urlencoded")) << r->body;
  EXPECT_FALSE(contains(r->body, "页面上的表单")) << r->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
}

// Two photos as two media_url (the spec has one): before, the request was filed with the first
// and the second dropped without a word. Any argument given twice is refused, naming it.
TEST_F(Open311, AnArgumentSentTwiceIsRefusedNotHalfKept) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  httplib::Params p = {{"api_key", "test-key-1"},
                       {"service_code", "noise"},
                       {"address_string", "新区某路口"},
                       {"description", "夜间施工"},
                       {"media_url", "https://example.com/1.jpg"},
                       {"media_url", "https://example.com/2.jpg"}};
  auto r = postRequest("json", p);
  expectError(r, 400);
  EXPECT_TRUE(contains(r->body, "media_url")) << r->body;
  EXPECT_TRUE(contains(r->body, "重复")) << r->body;
  auto x = postRequest("xml", {{"api_key", "test-key-1"},
                               {"service_code", "noise"},
                               {"address_string", "新区某路口"},
                               {"description", "夜间施工"},
                               {"description", "凌晨两点还在浇筑混凝土"}});
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 400);
  EXPECT_TRUE(contains(x->body, "<errors><error><code>400</code>")) << x->body;
  EXPECT_TRUE(contains(x->body, "description")) << x->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing half-filed";
  // One of each is filed as before.
  p.erase("media_url");
  p.emplace("media_url", "https://example.com/1.jpg");
  auto ok = postRequest("json", p);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
}

// The same arguments as multipart/form-data (curl -F, an HTTP library's "multipart" switch) are
// the same request; before, they were refused as a wrong content type. A file part is refused
// by its name (files are not taken here) and nothing is filed.
TEST_F(Open311, MultipartFormFieldsAreTheSameArguments) {
  const std::int64_t zhzf = departmentId("zhzf");
  httplib::MultipartFormDataItems items = {
      {"api_key", "test-key-1", "", ""},
      {"service_code", "noise", "", ""},
      {"description", "多部分表单提交：工地夜间施工", "", ""},
      {"address_string", "新区某工地", "", ""},
      {"lat", "43.88", "", ""},
      {"long", "125.35", "", ""},
      {"phone", "13812345678", "", ""},
      {"attribute[department_id]", std::to_string(zhzf), "", ""},
      {"media_url", "https://example.com/site.jpg", "", ""}};
  auto r = portal_->client().Post("/open311/v2/requests.json", items);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows row = conn->query(
        "SELECT description, location, department_id, complainant_phone FROM complaints "
        "WHERE registration_no = ?",
        id);
    ASSERT_TRUE(row.next());
    EXPECT_EQ(row.str("description"), "多部分表单提交：工地夜间施工");
    EXPECT_EQ(row.str("location"), "新区某工地");
    EXPECT_EQ(row.i64("department_id"), zhzf);
    EXPECT_EQ(row.str("complainant_phone"), "13812345678");
    db::Rows media = conn->query(
        "SELECT a.file_name FROM complaint_attachments a JOIN complaints c ON c.id = "
        "a.complaint_id WHERE c.registration_no = ?",
        id);
    ASSERT_TRUE(media.next());
    EXPECT_EQ(media.str("file_name"), "https://example.com/site.jpg") << "media_url kept";
  }

  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  httplib::MultipartFormDataItems with_file = items;
  with_file.push_back({"media", "\xff\xd8\xff\xe0JFIF", "photo.jpg", "image/jpeg"});
  auto refused = portal_->client().Post("/open311/v2/requests.json", with_file);
  expectError(refused, 400);
  EXPECT_TRUE(contains(refused->body, "media_url")) << refused->body;
  // A file part whose name is not UTF-8 is refused like any such body (the refusal above
  // repeats the name; with these bytes that answer was a 500).
  with_file.back().name = "med\xffia";
  for (const char* format : {"json", "xml"}) {
    auto bad = portal_->client().Post((std::string("/open311/v2/requests.") + format).c_str(),
                                      with_file);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << format << ": " << bad->body;
    EXPECT_TRUE(base::isValidUtf8(bad->body)) << format;
    EXPECT_TRUE(contains(bad->body, "UTF-8")) << bad->body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing filed";
}

// A client that percent-encodes GBK bytes hears that the body must be UTF-8, not only that
// "the form's encoding is invalid".
// Media types and their parameter names are case-insensitive (RFC 9110 8.3.1, RFC 2045 5.1):
// "Multipart/Form-Data; Boundary=..." was "boundary 缺失或不匹配", and parts whose header said
// "Name=" lost their fields (the answer was "api_key 缺失或无效").
TEST_F(Open311, MultipartNamesAreReadInAnyCase) {
  std::string body;
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"api_key", "test-key-1"},
           {"service_code", "noise"},
           {"description", "大小写不同的多部分表单"},
           {"address_string", "新区某工地"}}) {
    body += "--Xy7\r\ncontent-disposition: Form-Data; Name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
  }
  body += "--Xy7--\r\n";
  auto r = portal_->client().Post("/open311/v2/requests.json", body,
                                  "Multipart/Form-Data; Boundary=Xy7");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = json::parse(r->body).at(0).at("service_request_id");
  auto conn = portal_->app().pool().acquire();
  db::Rows row = conn->query("SELECT description FROM complaints WHERE registration_no = ?", id);
  ASSERT_TRUE(row.next());
  EXPECT_EQ(row.str("description"), "大小写不同的多部分表单");
}

TEST_F(Open311, AFormInAnotherCharacterEncodingIsToldToUseUtf8) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  // 噪音 in GBK is D4 EB D2 F4.
  auto r = portal_->client().Post(
      "/open311/v2/requests.json",
      "api_key=test-key-1&service_code=noise&address_string=%D4%EB%D2%F4&description=%D4%EB%D2%F4",
      "application/x-www-form-urlencoded; charset=GBK");
  expectError(r, 400);
  EXPECT_TRUE(contains(r->body, "UTF-8")) << r->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before);
}

// A '%' sent as is ("100%", a body built without encoding) or a NUL is no character set
// problem: the 400 names the argument and what is wrong with it, and only bytes that are not
// UTF-8 hear about UTF-8 and GBK.
TEST_F(Open311, ABodyThatDoesNotDecodeIsToldWhyAndWhere) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"description=%E5%99%AA%E5%A3%B0100%", "description: 百分号编码无效"},
      {"description=%E5%99%AA&address_string=5%zz", "address_string: 百分号编码无效"},
      {"description=a%00b", "description: 不能含有 NUL 字符"},
      {"description=%D4%EB%D2%F4", "description: 无法解码，须为 UTF-8"}};
  for (const auto& [fields, message] : cases) {
    auto r = portal_->client().Post("/open311/v2/requests.json",
                                    "api_key=test-key-1&service_code=noise&lat=43.88&long=125.35&" +
                                        fields,
                                    "application/x-www-form-urlencoded");
    expectError(r, 400);
    EXPECT_TRUE(contains(r->body, message)) << fields << ": " << r->body;
    if (message.find("UTF-8") == std::string::npos) {
      EXPECT_FALSE(contains(r->body, "GBK")) << fields << ": " << r->body;
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing filed";
}

// lat and long swapped (lat=121.47&long=31.23, China's longitudes are past 90): before, the
// 400 read "address_string/lat/long: 经纬度无效", blaming an address that was fine. Now the
// argument is named, with its value, and the swap is pointed out.
TEST_F(Open311, ACoordinateOutOfRangeIsNamedAndASwappedPairIsPointedOut) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  auto swapped = postRequest("json", {{"api_key", "test-key-1"},
                                      {"service_code", "noise"},
                                      {"address_string", "新区某路口"},
                                      {"lat", "125.35"},
                                      {"long", "43.88"}});
  expectError(swapped, 400);
  const std::string message = json::parse(swapped->body).at(0).at("description");
  EXPECT_EQ(message.rfind("lat: ", 0), 0u) << message;
  EXPECT_TRUE(contains(message, "125.35")) << message;
  EXPECT_TRUE(contains(message, "填反")) << message;
  EXPECT_FALSE(contains(message, "address_string")) << message;

  auto lon = postRequest("xml", {{"api_key", "test-key-1"},
                                 {"service_code", "noise"},
                                 {"address_string", "新区某路口"},
                                 {"lat", "43.88"},
                                 {"long", "-181"}});
  ASSERT_TRUE(lon);
  EXPECT_EQ(lon->status, 400);
  EXPECT_TRUE(contains(lon->body, "<description>long: ")) << lon->body;
  EXPECT_FALSE(contains(lon->body, "address_string")) << lon->body;
  EXPECT_FALSE(contains(lon->body, "填反")) << lon->body;

  auto far = postRequest("json", {{"api_key", "test-key-1"},
                                  {"service_code", "noise"},
                                  {"lat", "200"},
                                  {"long", "125.35"}});
  expectError(far, 400);
  EXPECT_FALSE(contains(far->body, "填反")) << "200 is no longitude either: " << far->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing filed";
}

// A client that asks for the status of its 400 requests at once reaches the address's length
// limit first: the 414 (in the spec's format) says how to split the list, not only "too long".
// A 400 names the argument at fault, not every location argument sent: a too long address with
// good coordinates read "address_string/lat/long: 发生地点不能超过200字", and a lat without its
// long next to a good address read "address_string/lat/long: 经纬度无效".
TEST_F(Open311, ALocationErrorNamesOnlyTheArgumentAtFault) {
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  std::string long_address;
  for (int i = 0; i < 201; ++i) long_address += "长";
  auto address = postRequest("json", {{"api_key", "test-key-1"},
                                      {"service_code", "noise"},
                                      {"address_string", long_address},
                                      {"lat", "43.88"},
                                      {"long", "125.35"}});
  expectError(address, 400);
  const std::string a = json::parse(address->body).at(0).at("description");
  EXPECT_EQ(a.rfind("address_string: ", 0), 0u) << a;
  EXPECT_FALSE(contains(a, "lat")) << a;
  for (const char* half : {"lat", "long"}) {
    auto r = postRequest("json", {{"api_key", "test-key-1"},
                                  {"service_code", "noise"},
                                  {"address_string", "新区某路口"},
                                  {half, "43.88"}});
    expectError(r, 400);
    const json errors = json::parse(r->body);
    ASSERT_EQ(errors.size(), 1u) << r->body;
    const std::string m = errors.at(0).at("description");
    EXPECT_EQ(m.rfind("lat/long: ", 0), 0u) << m;
    EXPECT_FALSE(contains(m, "address_string")) << m;
  }
  // One coordinate that is no number: that one is named ("lat/long 应为十进制度数" before).
  for (const std::string bad : {"lat", "long"}) {
    httplib::Params p{{"api_key", "test-key-1"}, {"service_code", "noise"},
                      {"lat", "43.88"},          {"long", "125.35"}};
    p.erase(bad);
    p.emplace(bad, "北纬43度");
    auto r = postRequest("json", p);
    expectError(r, 400);
    const std::string m = json::parse(r->body).at(0).at("description");
    EXPECT_EQ(m.rfind(bad + ": ", 0), 0u) << m;
    EXPECT_TRUE(contains(m, "十进制度数")) << m;
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing written";
}

TEST_F(Open311, ATooLongIdListIsToldToSplitIt) {
  std::string ids;
  for (int i = 1; i <= 400; ++i) {
    ids += (ids.empty() ? "" : ",") + std::string("TS-2026-") + std::to_string(100000 + i);
  }
  auto r = get("/open311/v2/requests.json?service_request_id=" + ids);
  expectError(r, 414);
  EXPECT_TRUE(contains(r->body, "分批")) << r->body;
  EXPECT_TRUE(contains(r->body, "service_request_id")) << r->body;
  // 100 numbers, as the message advises, are answered.
  ids = ids.substr(0, 100 * std::string("TS-2026-100001,").size() - 1);
  auto ok = get("/open311/v2/requests.json?service_request_id=" + ids);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  // A long list of service codes is no list of ids: it was told to split its service_request_id.
  std::string codes;
  for (int i = 0; i < 700; ++i) codes += (codes.empty() ? "" : ",") + std::string("noise");
  auto long_codes = get("/open311/v2/requests.json?service_code=" + codes);
  expectError(long_codes, 414);
  EXPECT_FALSE(contains(long_codes->body, "service_request_id")) << long_codes->body;
  EXPECT_TRUE(contains(long_codes->body, "请求地址过长")) << long_codes->body;
}

}  // namespace

// Staff pages (issue 15 item 4): a confirmation page before what cannot be undone, search by
// registration number, the review clock of a reopened complaint, deadlines in plain words.
TEST_F(ComplaintPages, ConcludeRejectAndTransferShowTheirConsequenceBeforeActing) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("confirm-editor", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  auto detail = get("/admin/complaints/" + f.number, s.cookie);
  ASSERT_EQ(detail->status, 200);
  for (const std::string action : {"reject", "transfer"}) {
    SCOPED_TRACE(action);
    EXPECT_FALSE(contains(detail->body, "action=\"/admin/complaints/" + f.number + "/" + action))
        << "no one-click form on the complaint page";
    EXPECT_TRUE(contains(detail->body, "class=\"button button-warning\" href=\"/admin/complaints/" +
                                           f.number + "/confirm/" + action + "\""));
  }
  EXPECT_TRUE(contains(detail->body, "class=\"button-primary\">受理</button>"));

  auto confirm = get("/admin/complaints/" + f.number + "/confirm/reject", s.cookie);
  ASSERT_EQ(confirm->status, 200);
  EXPECT_TRUE(contains(confirm->body, "此操作不能撤销"));
  EXPECT_TRUE(contains(confirm->body, "理由和具体说明会告知投诉人"));
  EXPECT_TRUE(contains(confirm->body, "action=\"/admin/complaints/" + f.number + "/reject\""));
  EXPECT_TRUE(contains(confirm->body, "name=\"csrf_token\""));
  EXPECT_TRUE(contains(confirm->body, "class=\"button-warning\">确认不予受理</button>"));
  EXPECT_EQ(state(f.number), "received") << "showing the page changes nothing";

  auto transfer = get("/admin/complaints/" + f.number + "/confirm/transfer", s.cookie);
  ASSERT_EQ(transfer->status, 200);
  EXPECT_TRUE(contains(transfer->body, "移送只能一次"));
  EXPECT_TRUE(contains(transfer->body, "前告诉投诉人是否受理"));

  // A refusal comes back to the confirmation page, errors linked to their fields.
  auto missing = act(s, f.number, "reject", {{"reason_code", ""}, {"reason_text", "写了说明"}});
  ASSERT_EQ(missing->status, 422);
  EXPECT_TRUE(contains(missing->body, "<title>错误：不予受理"));
  EXPECT_TRUE(contains(missing->body, "<a href=\"#reason_code\">请选择不予受理的理由</a>"));
  EXPECT_TRUE(contains(missing->body, ">写了说明</textarea>")) << "what was typed is kept";
  EXPECT_EQ(state(f.number), "received");
  EXPECT_EQ(act(s, f.number, "reject",
                {{"reason_code", "no_facts"}, {"reason_text", "请补充具体时间和地点"}})
                ->status,
            303);
  EXPECT_EQ(state(f.number), "rejected");
  EXPECT_EQ(get("/admin/complaints/" + f.number + "/confirm/conclude", s.cookie)->status, 409);
  EXPECT_EQ(get("/admin/complaints/" + f.number + "/confirm/delete", s.cookie)->status, 404);
}

TEST_F(ComplaintPages, TheQueueFindsAComplaintByItsNumberHoweverItIsTyped) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("search-editor", "editor", zhzf);
  const Filed one = file(complaint(std::to_string(zhzf)));
  const Filed two = file(complaint(std::to_string(zhzf)));
  // Lower case with spaces, as someone reads it off a phone.
  std::string typed = one.number;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto found =
      get("/admin/complaints?no=" + portal::http::percentEncode(" " + typed + " "), s.cookie);
  ASSERT_EQ(found->status, 200);
  EXPECT_TRUE(contains(found->body, ">" + one.number + "</a>"));
  EXPECT_FALSE(contains(found->body, ">" + two.number + "</a>"));
  EXPECT_TRUE(contains(found->body, "共 1 件"));
  // Full-width digits of the sequence part alone.
  std::string tail = two.number.substr(two.number.rfind('-') + 1);
  std::string wide;
  for (char c : tail) wide += "\xEF\xBC" + std::string(1, static_cast<char>(0x90 + (c - '0')));
  auto by_tail = get("/admin/complaints?no=" + portal::http::percentEncode(wide), s.cookie);
  EXPECT_TRUE(contains(by_tail->body, ">" + two.number + "</a>"));
  auto none = get("/admin/complaints?no=%25", s.cookie);
  EXPECT_EQ(none->status, 200);
  EXPECT_TRUE(contains(none->body, "共 0 件") || contains(none->body, "没有符合条件的投诉"))
      << "a LIKE wildcard matches nothing";
}

// "2026-12-07" as the tracking page words it: "12月7日", with the year when it is not
// `base_year` (the year the complaint was received).
std::string dateWords(const std::string& iso, const std::string& base_year) {
  std::string words = std::to_string(std::stoi(iso.substr(5, 2))) + "月" +
                      std::to_string(std::stoi(iso.substr(8, 2))) + "日";
  return iso.substr(0, 4) == base_year ? words : iso.substr(0, 4) + "年" + words;
}

// An audit found the tracking page still promising "我们会在12月14日（周一）前告诉您是否受理"
// and "受理的，我们会在…前办结并告诉您结果（暂定）" after the complaint had been accepted,
// concluded and reopened by 不满意, and no review deadline at all in 复核中. Each step done is
// now told in the past with its date; only the open step has a deadline.
TEST_F(ComplaintPages, TrackingTellsDoneStepsInThePastAndGivesOnlyTheOpenDeadline) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("past-tense-editor", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  const auto dates = [&]() {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(
        "SELECT DATE_FORMAT(received_date, '%Y') AS year, "
        "COALESCE(DATE_FORMAT(acknowledged_on, '%Y-%m-%d'), '') AS ack, "
        "COALESCE(DATE_FORMAT(concluded_on, '%Y-%m-%d'), '') AS concluded, "
        "COALESCE(DATE_FORMAT(review_due, '%Y-%m-%d'), '') AS review "
        "FROM complaints WHERE registration_no = ?",
        f.number);
    EXPECT_TRUE(r.next());
    return std::vector<std::string>{r.str("year"), r.str("ack"), r.str("concluded"),
                                    r.str("review")};
  };

  ASSERT_EQ(act(s, f.number, "accept", {})->status, 303);
  auto accepted = track(f.number, f.code);
  ASSERT_EQ(accepted->status, 200);
  std::vector<std::string> d = dates();
  EXPECT_TRUE(contains(accepted->body, "已于<strong>" + dateWords(d[1], d[0]))) << accepted->body;
  EXPECT_TRUE(contains(accepted->body, "受理。"));
  EXPECT_FALSE(contains(accepted->body, "前告诉您是否受理"));
  EXPECT_TRUE(contains(accepted->body, "前办结并告诉您结果")) << "the handling clock runs";
  EXPECT_FALSE(contains(accepted->body, "受理的，我们会在")) << "it is accepted already";

  ASSERT_EQ(act(s, f.number, "conclude", {{"result", "已责令施工单位夜间停工"}})->status, 303);
  auto concluded = track(f.number, f.code);
  ASSERT_EQ(concluded->status, 200);
  d = dates();
  EXPECT_TRUE(contains(concluded->body, "已办结"));
  EXPECT_TRUE(contains(concluded->body, "已于<strong>" + dateWords(d[1], d[0])));
  EXPECT_TRUE(contains(concluded->body, "已于<strong>" + dateWords(d[2], d[0])));
  EXPECT_TRUE(contains(concluded->body, "办结并告诉您结果。"));
  EXPECT_FALSE(contains(concluded->body, "前告诉您是否受理")) << concluded->body;
  EXPECT_FALSE(contains(concluded->body, "前办结并告诉您结果")) << concluded->body;
  EXPECT_FALSE(contains(concluded->body, "（暂定）"));

  ASSERT_EQ(post("/track/evaluate", {{"registration_no", f.number},
                                     {"tracking_code", f.code},
                                     {"rating", "unsatisfied"},
                                     {"comment", "晚上还在施工"}})
                ->status,
            200);
  auto reopened = track(f.number, f.code);
  ASSERT_EQ(reopened->status, 200);
  d = dates();
  ASSERT_FALSE(d[3].empty());
  EXPECT_TRUE(contains(reopened->body, "复核中"));
  EXPECT_TRUE(contains(reopened->body, "已于<strong>" + dateWords(d[2], d[0])));
  EXPECT_TRUE(contains(reopened->body, "我们会在<strong>" + dateWords(d[3], d[0])))
      << reopened->body;
  EXPECT_TRUE(contains(reopened->body, "前完成复核并告诉您结果"));
  EXPECT_TRUE(contains(reopened->body, "自转复核次日起算7个工作日"));
  EXPECT_FALSE(contains(reopened->body, "前告诉您是否受理"));
  EXPECT_FALSE(contains(reopened->body, "前办结并告诉您结果"));
}

// An audit found a description of nothing but an em space (U+2003), or a zero-width joiner and
// a word joiner, registered as a complaint, and the same em space taken as the reason for
// 不满意: invisible text is blank.
TEST_F(ComplaintPages, InvisibleTextIsNoDescriptionAndNoReason) {
  const std::int64_t zhzf = departmentId("zhzf");
  const auto before = count("SELECT COUNT(*) AS n FROM complaints");
  for (const std::string blank : {"\u2003", "\u200D\u2060", "\u3000\u2003\u200B\uFEFF"}) {
    SCOPED_TRACE(blank);
    httplib::Params p = complaint(std::to_string(zhzf));
    p.erase("description");
    p.emplace("description", blank);
    auto page = get("/complaints/new");
    p.emplace("idempotency_key",
              capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\""));
    auto r = post("/complaints/new", p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    EXPECT_FALSE(contains(r->body, "class=\"registration-no\""));
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), before) << "nothing registered";

  const Session s = login("blank-reason-editor", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(s, f.number, "accept", {})->status, 303);
  ASSERT_EQ(act(s, f.number, "conclude", {{"result", "已责令停工"}})->status, 303);
  auto rated = post("/track/evaluate", {{"registration_no", f.number},
                                        {"tracking_code", f.code},
                                        {"rating", "unsatisfied"},
                                        {"comment", "\u2003"}});
  ASSERT_TRUE(rated);
  EXPECT_EQ(rated->status, 422);
  EXPECT_TRUE(contains(rated->body, "请说明不满意的原因")) << rated->body;
  EXPECT_EQ(state(f.number), "concluded");
}

// An audit found "TS2026000043", "TS 2026 000043" and "TS-2026-43" answered 404 on /track, and
// codes typed "ZJT3 4HS6" or "ZJT-34HS6" not found, though the README says both are normalised.
TEST_F(ComplaintPages, NumbersAndCodesTypedLooselyAreFound) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  ASSERT_TRUE(std::regex_match(f.number, std::regex("TS-[0-9]{4}-[0-9]{6}"))) << f.number;
  const std::string year = f.number.substr(3, 4);
  const std::string seq = f.number.substr(8);
  const std::string short_seq = std::to_string(std::stoll(seq));
  const std::string spaced_code = f.code.substr(0, 4) + " " + f.code.substr(4);
  const std::string hyphen_code = f.code.substr(0, 3) + "-" + f.code.substr(3);
  for (const std::string& number :
       {"TS" + year + seq, "TS " + year + " " + seq, "TS-" + year + "-" + short_seq,
        "ts" + year + short_seq}) {
    for (const std::string& code : {f.code, spaced_code, hyphen_code}) {
      SCOPED_TRACE(number + " / " + code);
      auto r = track(number, code);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200);
      EXPECT_TRUE(contains(r->body, "登记编号 " + f.number));
    }
  }
  // A wrong code for a loosely typed number is counted against the number itself.
  for (const std::string& number : {"TS" + year + seq, "TS-" + year + "-" + short_seq,
                                    "TS " + year + " " + seq}) {
    EXPECT_EQ(track(number, "ZZZZZZZZ")->status, 404);
  }
  EXPECT_EQ(track(f.number, f.code)->status, 429) << "three misses, one number";
}

// An audit found an empty tracking form answered 404 "登记编号或查询码不正确" and counted as a
// wrong guess toward the lockout.
TEST_F(ComplaintPages, AnEmptyTrackingFormAsksForTheMissingFieldAndLocksNothingOut) {
  const Filed f = file(complaint(std::to_string(departmentId("zhzf"))));
  auto both = track("", "");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->status, 400);
  EXPECT_TRUE(contains(both->body, "请填写登记编号和查询码")) << both->body;
  EXPECT_FALSE(contains(both->body, "登记编号或查询码不正确"));
  auto no_code = track(f.number, " ");
  EXPECT_EQ(no_code->status, 400);
  EXPECT_TRUE(contains(no_code->body, "请填写查询码"));
  EXPECT_TRUE(contains(no_code->body, "value=\"" + f.number + "\"")) << "the number is kept";
  auto no_number = track("\u3000", f.code);
  EXPECT_EQ(no_number->status, 400);
  EXPECT_TRUE(contains(no_number->body, "请填写登记编号。"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(track(f.number, "")->status, 400);
  auto ok = track(f.number, f.code);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << "blank forms are no guesses (the limit here is 3)";
}

// An audit found real numbers refused: 86 without the plus and landlines with an extension.
TEST_F(ComplaintPages, PhonesWith86OrAnExtensionAreTaken) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session s = login("phone-ext-editor", "editor", zhzf);
  for (const auto& [typed, masked] :
       std::vector<std::pair<std::string, std::string>>{
           {"8613800138000", "138****8000"},
           {"0431-81912345-801", "0431-****2345转801"},
           {"0431-81912345转801", "0431-****2345转801"}}) {
    SCOPED_TRACE(typed);
    httplib::Params p = complaint(std::to_string(zhzf));
    p.erase("complainant_phone");
    p.emplace("complainant_phone", typed);
    const Filed f = file(p);
    ASSERT_FALSE(f.number.empty()) << f.body;
    auto detail = get("/admin/complaints/" + f.number, s.cookie);
    ASSERT_TRUE(detail);
    EXPECT_TRUE(contains(detail->body, masked));
  }
}

TEST_F(ComplaintPages, AReopenedComplaintHasItsOwnReviewDeadlineOnTheQueueAndAdmin) {
  const std::int64_t zhzf = departmentId("zhzf");
  const Session handler = login("review-editor", "editor", zhzf);
  const Filed f = file(complaint(std::to_string(zhzf)));
  ASSERT_EQ(act(handler, f.number, "accept", {})->status, 303);
  ASSERT_EQ(act(handler, f.number, "conclude", {{"result", "已责令停工"}})->status, 303);
  ASSERT_EQ(post("/track/evaluate", {{"registration_no", f.number},
                                     {"tracking_code", f.code},
                                     {"rating", "unsatisfied"},
                                     {"comment", "晚上还在施工"}})
                ->status,
            200);
  EXPECT_EQ(state(f.number), "reopened");
  std::string due;
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(
        "SELECT DATE_FORMAT(review_due, '%Y-%m-%d') AS due, review_working_days AS days, "
        "DATEDIFF(review_due, reopened_on) AS span FROM complaints WHERE registration_no = ?",
        f.number);
    ASSERT_TRUE(r.next());
    due = r.str("due");
    EXPECT_EQ(r.i64("days"), 7) << "hotline.review_working_days of this test's configuration";
    EXPECT_GE(r.i64("span"), 7) << "working days: never fewer calendar days";
  }
  ASSERT_FALSE(due.empty());
  const Session legal = login("review-legal", "reviewer", std::nullopt);
  auto queue = get("/admin/complaints?state=reopened", legal.cookie);
  EXPECT_TRUE(contains(queue->body, "复核：" + due));
  auto detail = get("/admin/complaints/" + f.number, legal.cookie);
  const std::string words = std::to_string(std::stoi(due.substr(5, 2))) + "月" +
                            std::to_string(std::stoi(due.substr(8, 2))) + "日";
  EXPECT_TRUE(contains(detail->body, "须在<strong>" + words) ||
              contains(detail->body, "年" + words))
      << "plain words, like the citizen pages";
  EXPECT_TRUE(contains(detail->body, "前完成复核"));
  EXPECT_TRUE(contains(detail->body, "自转复核次日起算7个工作日"));

  // Past its date it is overdue on the queue and on /admin.
  {
    auto conn = portal_->app().pool().acquire();
    conn->execute("UPDATE complaints SET review_due = '2020-01-03' WHERE registration_no = ?",
                  f.number);
  }
  auto overdue = get("/admin/complaints?state=reopened&overdue=1", legal.cookie);
  EXPECT_TRUE(contains(overdue->body, f.number));
  EXPECT_TRUE(contains(overdue->body, "复核：2020-01-03"));
  EXPECT_TRUE(contains(overdue->body, "已超期"));
  auto home = get("/admin", legal.cookie);
  EXPECT_TRUE(std::regex_search(home->body, std::regex("复核中 [1-9][0-9]* 件")));
  EXPECT_TRUE(std::regex_search(home->body, std::regex("其中已超期 [1-9][0-9]* 件")));
}
