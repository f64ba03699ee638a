// Abuse limits and the security findings of issue 18, against the real server and MariaDB:
// intake limits per address, phone and Open311 key; idempotency keys reused with another body;
// registration numbers typed differently; the login form's CSRF token and the Origin check;
// a lockout an outsider cannot cause; no-store on staff pages; /metrics only for monitoring;
// an editor's statistics. Clients pose as different addresses with X-Real-IP, as nginx sends.
#include <gtest/gtest.h>

#include <regex>

#include "db/connection.h"
#include "db/pool.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

bool contains(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

std::string capture(const std::string& body, const std::string& pattern) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex(pattern))) return m[1];
  return "";
}

class Abuse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config c = e2e::testConfig(database_->options());
    c.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    c.tracking.max_failures_per_number = 3;
    c.tracking.max_failures_per_address = 1000;
    c.open311.api_keys = {"abuse-key-1", "abuse-key-2", "abuse-key-3",
                          "abuse-key-4", "abuse-key-5", "abuse-key-6"};
    c.hotline.intake_limits.per_address = 3;
    c.hotline.intake_limits.per_phone = 2;
    c.hotline.intake_limits.per_api_key = 2;
    c.metrics_access.allowed_networks = {"10.9.0.0/16"};
    portal_ = new e2e::RunningPortal(c);
    e2e::createStaff(*portal_, "abuse_admin", "admin");
    e2e::createStaff(*portal_, "abuse_editor", "editor", "zhzf");
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }

  // A fresh address for each test that needs one, so tests do not share a window.
  static std::string newAddress() { return "198.51.100." + std::to_string(++next_address_); }

  static httplib::Result get(const std::string& path, httplib::Headers h = {}) {
    return portal_->client().Get(path.c_str(), h);
  }
  static httplib::Result post(const std::string& path, const httplib::Params& params,
                              httplib::Headers h = {}) {
    return portal_->client().Post(path.c_str(), h, params);
  }
  static std::int64_t count(const std::string& sql) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }
  static httplib::Params complaint(const std::string& phone, const std::string& key) {
    return {{"department_id", "unsure"},         {"category", "noise"},
            {"description", "夜间施工噪声扰民"}, {"location", "新区创新大街88号"},
            {"complainant_phone", phone},        {"idempotency_key", key}};
  }
  static std::string key() { return "abuse-test-key-" + std::to_string(++next_key_) + "-xxxxxxxx"; }
  static httplib::Result file(const std::string& address, const std::string& phone,
                              const std::string& idempotency_key = "") {
    return post("/complaints/new",
                complaint(phone, idempotency_key.empty() ? key() : idempotency_key),
                {{"X-Real-IP", address}});
  }
  static httplib::Result open311(const std::string& api_key, const std::string& address,
                                 const std::string& idempotency_key = "",
                                 const std::string& description = "夜间噪声") {
    httplib::Headers h{{"X-Real-IP", address}};
    if (!idempotency_key.empty()) h.emplace("Idempotency-Key", idempotency_key);
    return post("/open311/v2/requests.json",
                {{"api_key", api_key},
                 {"service_code", "noise"},
                 {"description", description},
                 {"address_string", "新区幸福路1号"}},
                h);
  }
  static std::string metric(const std::string& line_start) {
    auto m = get("/metrics");
    if (!m) return "";
    std::istringstream in(m->body);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(line_start, 0) == 0) return line.substr(line_start.size() + 1);
    }
    return "";
  }
  // Logs in through the form as a browser would; returns the session cookie ("" on refusal).
  static std::string login(const std::string& user, const std::string& address) {
    const auto form = e2e::loginForm(portal_->port());
    auto r = post("/admin/login",
                  {{"username", user},
                   {"password", e2e::kStaffPassword},
                   {"next", "/admin"},
                   {"csrf_token", form.token}},
                  {{"Cookie", form.cookie}, {"X-Real-IP", address}});
    if (!r || r->status != 303) return "";
    return capture(r->get_header_value("Set-Cookie"), "(portal_session=[^;]+)");
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
  static int next_address_;
  static int next_key_;
};

test_support::TestDatabase* Abuse::database_ = nullptr;
e2e::RunningPortal* Abuse::portal_ = nullptr;
int Abuse::next_address_ = 0;
int Abuse::next_key_ = 0;

TEST_F(Abuse, ABurstFromOneAddressIsRefusedWith429RetryAfterAndCounted) {
  const std::string address = newAddress();
  const std::string before = metric("portal_intake_rate_limited{scope=\"address\"}");
  const auto complaints = count("SELECT COUNT(*) AS n FROM complaints");
  for (int i = 0; i < 3; ++i) {
    auto r = file(address, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << i;
  }
  auto refused = file(address, "");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_TRUE(contains(refused->body, "提交的投诉举报过于频繁")) << refused->body;
  const int retry_after = std::stoi(refused->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 3600);
  EXPECT_FALSE(contains(refused->body, "tracking-code"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), complaints + 3) << "nothing written";
  EXPECT_EQ(std::stoi(metric("portal_intake_rate_limited{scope=\"address\"}")),
            std::stoi(before.empty() ? "0" : before) + 1);
  // Another address is not affected; the counters live in MariaDB, not in this node.
  EXPECT_EQ(file(newAddress(), "")->status, 200);
  EXPECT_GE(
      count("SELECT COALESCE(MAX(hits), 0) AS n FROM rate_limit_hits WHERE scope = 'address'"), 4);
}

TEST_F(Abuse, OnePhoneNumberFromManyAddressesIsLimitedHoweverItIsTyped) {
  EXPECT_EQ(file(newAddress(), "139 0000 1111")->status, 200);
  EXPECT_EQ(file(newAddress(), "13900001111")->status, 200);
  auto refused = file(newAddress(), "+86 139-0000-1111");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_TRUE(contains(refused->body, "使用该联系电话提交的投诉举报过于频繁"));
  EXPECT_FALSE(refused->get_header_value("Retry-After").empty());
  EXPECT_EQ(file(newAddress(), "139 0000 2222")->status, 200) << "another number is not";
}

TEST_F(Abuse, OneOpen311KeyIsLimitedWithA429InTheSpecsErrorFormat) {
  EXPECT_EQ(open311("abuse-key-1", newAddress())->status, 201);
  EXPECT_EQ(open311("abuse-key-1", newAddress())->status, 201);
  auto refused = open311("abuse-key-1", newAddress());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_TRUE(contains(refused->body, "\"code\":429")) << refused->body;
  EXPECT_TRUE(contains(refused->body, "该接口密钥提交过于频繁"));
  EXPECT_FALSE(refused->get_header_value("Retry-After").empty());
  EXPECT_EQ(open311("abuse-key-2", newAddress())->status, 201) << "the other key is not";
}

// An integrator (a 12345 hotline system) posts for many citizens from one server: its key is
// counted, not its address. The same address's own web form keeps its limit.
TEST_F(Abuse, Open311PostsWithAKeyAreCountedByTheKeyNotByTheServersAddress) {
  const std::string server = newAddress();
  for (const char* k : {"abuse-key-3", "abuse-key-4"}) {
    EXPECT_EQ(open311(k, server)->status, 201);
    EXPECT_EQ(open311(k, server)->status, 201);
  }  // four from one address, beyond its 3
  EXPECT_EQ(open311("abuse-key-3", server)->status, 429) << "the key's own limit still holds";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(file(server, "")->status, 200) << i;
  EXPECT_EQ(file(server, "")->status, 429) << "the web form from that address is still limited";
}

TEST_F(Abuse, AnIdempotencyKeyReusedWithAnotherBodyIs409AndRevealsNoCode) {
  const std::string k = key();
  auto first = file(newAddress(), "", k);
  ASSERT_EQ(first->status, 200);
  const std::string code = capture(first->body, "class=\"tracking-code\">([^<]+)<");
  ASSERT_FALSE(code.empty());
  auto again = file(newAddress(), "", k);  // the same form sent twice: the same answer
  EXPECT_EQ(again->status, 200);
  EXPECT_TRUE(contains(again->body, code));
  auto params = complaint("", k);
  params.erase("description");
  params.emplace("description", "另一件事：占道经营");
  auto other = post("/complaints/new", params, {{"X-Real-IP", newAddress()}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 409);
  EXPECT_FALSE(contains(other->body, code)) << "the first complaint's code never leaks";
  EXPECT_TRUE(contains(other->body, "该表单已提交过其他内容"));

  const std::string k311 = key();
  auto created = open311("abuse-key-2", newAddress(), k311, "桥下堆放垃圾");
  ASSERT_EQ(created->status, 201);
  const std::string code311 = capture(created->body, "\"tracking_code\":\"([^\"]+)\"");
  ASSERT_FALSE(code311.empty());
  auto conflict = open311("abuse-key-2", newAddress(), k311, "另一件事");
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->status, 409);
  EXPECT_FALSE(contains(conflict->body, code311));
}

// Regression (security review): idempotency keys were one space for every Open311 client, so a
// second client that sent the same key with the same fields was answered with the first
// client's complaint, its registration number and tracking code. Keys are now per api_key.
TEST_F(Abuse, TwoOpen311ClientsWithTheSameIdempotencyKeyGetTheirOwnComplaints) {
  const std::string k = key();
  auto first = open311("abuse-key-5", newAddress(), k, "路灯不亮");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  const std::string number = capture(first->body, "\"service_request_id\":\"([^\"]+)\"");
  const std::string code = capture(first->body, "\"tracking_code\":\"([^\"]+)\"");
  ASSERT_FALSE(number.empty());
  ASSERT_FALSE(code.empty());

  auto other = open311("abuse-key-6", newAddress(), k, "路灯不亮");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 201) << other->body;
  EXPECT_FALSE(contains(other->body, number)) << "another client's complaint is not answered";
  EXPECT_FALSE(contains(other->body, code)) << "another client's tracking code never leaks";
  const std::string other_number = capture(other->body, "\"service_request_id\":\"([^\"]+)\"");
  EXPECT_FALSE(other_number.empty());

  // Each client's own retry still counts once and gets its own answer back.
  auto retry = open311("abuse-key-5", newAddress(), k, "路灯不亮");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->status, 201);
  EXPECT_TRUE(contains(retry->body, number));
  EXPECT_TRUE(contains(retry->body, code));
  auto other_retry = open311("abuse-key-6", newAddress(), k, "路灯不亮");
  ASSERT_TRUE(other_retry);
  EXPECT_TRUE(contains(other_retry->body, other_number));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints WHERE description = '路灯不亮'"), 2);
}

TEST_F(Abuse, ARegistrationNumberTypedInAnotherCaseIsTheSameNumberForLookupAndLockout) {
  auto r = file(newAddress(), "");
  ASSERT_EQ(r->status, 200);
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  const std::string code = capture(r->body, "class=\"tracking-code\">([^<]+)<");
  ASSERT_FALSE(number.empty());
  std::string lower = number;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // "ＴＳ" and "－" full-width, the rest as typed: still the same number.
  std::string full_width = "ＴＳ－" + number.substr(3);
  auto found = post("/track", {{"registration_no", " " + lower + " "}, {"tracking_code", code}});
  EXPECT_EQ(found->status, 200) << found->body;
  found = post("/track", {{"registration_no", full_width}, {"tracking_code", code}});
  EXPECT_EQ(found->status, 200);
  // Three wrong guesses under three spellings use up the one number's budget.
  for (const std::string& spelling : {lower, number + " ", "\u3000" + full_width}) {
    EXPECT_EQ(
        post("/track", {{"registration_no", spelling}, {"tracking_code", "WRONG234"}})->status,
        404);
  }
  auto blocked = post("/track", {{"registration_no", number}, {"tracking_code", code}});
  EXPECT_EQ(blocked->status, 429) << "each spelling does not get its own five guesses";
}

// Registration numbers are public (the Open311 list shows them): wrong codes typed from one
// address must not shut the complainant, at another address, out of their own tracking page.
TEST_F(Abuse, WrongCodesFromOneAddressDoNotLockTheComplainantOutOfTracking) {
  const std::string complainant = newAddress();
  auto r = file(complainant, "");
  ASSERT_EQ(r->status, 200);
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  const std::string code = capture(r->body, "class=\"tracking-code\">([^<]+)<");
  ASSERT_FALSE(number.empty());
  const std::string stranger = newAddress();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(post("/track", {{"registration_no", number}, {"tracking_code", "WRONG234"}},
                   {{"X-Real-IP", stranger}})
                  ->status,
              404);
  }
  auto guesser = post("/track", {{"registration_no", number}, {"tracking_code", code}},
                      {{"X-Real-IP", stranger}});
  EXPECT_EQ(guesser->status, 429) << "the guesser has used up its tries on this number";
  auto owner = post("/track", {{"registration_no", number}, {"tracking_code", code}},
                    {{"X-Real-IP", complainant}});
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->status, 200) << owner->body;
  EXPECT_TRUE(contains(owner->body, number));
}

// The evaluation form takes the number and code too. Posted without a rating (or with one the
// complaint cannot take yet), a wrong code answered 404 and a right one the tracking page,
// and no guess was counted: codes could be tried there without end.
TEST_F(Abuse, GuessesPostedToTheEvaluationFormCountAgainstTheTrackingLimit) {
  auto r = file(newAddress(), "");
  ASSERT_EQ(r->status, 200);
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  const std::string code = capture(r->body, "class=\"tracking-code\">([^<]+)<");
  ASSERT_FALSE(number.empty());
  const std::string guesser = newAddress();
  for (const std::string& rating : {std::string(""), std::string("satisfied"), std::string("")}) {
    EXPECT_EQ(post("/track/evaluate",
                   {{"registration_no", number}, {"tracking_code", "WRONG234"}, {"rating", rating}},
                   {{"X-Real-IP", guesser}})
                  ->status,
              404);
  }
  auto next = post("/track/evaluate", {{"registration_no", number}, {"tracking_code", code}},
                   {{"X-Real-IP", guesser}});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 429) << "three wrong codes used up the number's tries";
  EXPECT_FALSE(contains(next->body, "已登记")) << "the right code revealed nothing after them";
  auto lookup = post("/track", {{"registration_no", number}, {"tracking_code", code}},
                     {{"X-Real-IP", guesser}});
  EXPECT_EQ(lookup->status, 429) << "the tracking form shares the limit";
}

TEST_F(Abuse, TheLoginFormNeedsItsCsrfTokenAndPostsFromAnotherSiteAreRefused) {
  // No token (a forged cross-site login): 403, no session.
  auto r =
      post("/admin/login",
           {{"username", "abuse_admin"}, {"password", e2e::kStaffPassword}, {"next", "/admin"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(contains(r->get_header_value("Set-Cookie"), "portal_session"));
  EXPECT_TRUE(contains(r->body, "登录表单已过期或来源不明"));
  // A token that is not the cookie's: 403.
  const auto form = e2e::loginForm(portal_->port());
  r = post("/admin/login",
           {{"username", "abuse_admin"},
            {"password", e2e::kStaffPassword},
            {"csrf_token", "0123456789abcdef0123456789abcdef"}},
           {{"Cookie", form.cookie}});
  EXPECT_EQ(r->status, 403);
  // The right token but posted from another site: 403 before anything else.
  r = post(
      "/admin/login",
      {{"username", "abuse_admin"}, {"password", e2e::kStaffPassword}, {"csrf_token", form.token}},
      {{"Cookie", form.cookie}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(contains(r->body, "请求来源不是本网站"));
  r = post(
      "/admin/login",
      {{"username", "abuse_admin"}, {"password", e2e::kStaffPassword}, {"csrf_token", form.token}},
      {{"Cookie", form.cookie}, {"Origin", "null"}});
  EXPECT_EQ(r->status, 403) << "a sandboxed frame is another site";
  r = post(
      "/admin/login",
      {{"username", "abuse_admin"}, {"password", e2e::kStaffPassword}, {"csrf_token", form.token}},
      {{"Cookie", form.cookie}, {"Referer", "https://evil.example/login.html"}});
  EXPECT_EQ(r->status, 403) << "without Origin, the Referer tells";
  // From this site's own page: a session.
  const std::string self = "http://127.0.0.1:" + std::to_string(portal_->port());
  r = post("/admin/login",
           {{"username", "abuse_admin"},
            {"password", e2e::kStaffPassword},
            {"next", "/admin"},
            {"csrf_token", form.token}},
           {{"Cookie", form.cookie}, {"Origin", self}, {"Referer", self + "/admin/login"}});
  EXPECT_EQ(r->status, 303);
  const std::string session = capture(r->get_header_value("Set-Cookie"), "(portal_session=[^;]+)");
  ASSERT_FALSE(session.empty());

  // Every other state-changing POST too: a staff form with its token, from another site.
  auto page = get("/admin/sms", {{"Cookie", session}});
  const std::string csrf = capture(page->body, "name=\"csrf_token\" value=\"([^\"]+)\"");
  auto logout = post("/admin/logout", {{"csrf_token", csrf}},
                     {{"Cookie", session}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(logout->status, 403);
  EXPECT_EQ(get("/admin", {{"Cookie", session}})->status, 200) << "still signed in";
  auto complaint_post = post("/complaints/new", complaint("", key()),
                             {{"Origin", "https://evil.example"}, {"X-Real-IP", newAddress()}});
  EXPECT_EQ(complaint_post->status, 403);
}

// Regression (security review): nginx passed Host without its port, and an Origin naming the
// same host name on any port was taken for this site, so a page on another port of the same
// machine (another application, a user's page) could post here. Origins now compare by scheme,
// host and port, a missing port being the scheme's default; nginx passes Host with its port.
TEST_F(Abuse, ASiteOnAnotherPortOrSchemeOfTheSameHostIsAnotherSite) {
  struct Case {
    const char* host;
    const char* forwarded_proto;  // from the local nginx ("" none)
    const char* origin;           // "" none
    const char* referer;          // "" none
    bool same;
  };
  const Case cases[] = {
      {"portal.example", "", "http://portal.example:8081", "", false},
      {"portal.example", "", "", "http://portal.example:8081/complaints/new", false},
      {"portal.example:8080", "", "http://portal.example:8081", "", false},
      {"portal.example:8081", "", "http://portal.example", "", false},
      {"portal.example", "", "https://portal.example", "", false},
      {"portal.example", "https", "http://portal.example", "", false},
      {"portal.example", "", "http://portal.example:443", "", false},
      {"portal.example", "", "http://portal.example", "", true},
      {"portal.example", "", "http://portal.example:80", "", true},
      {"Portal.Example", "", "http://portal.example", "", true},
      {"portal.example:8081", "", "http://portal.example:8081", "", true},
      {"portal.example", "", "", "http://portal.example/complaints/new", true},
      {"portal.example", "https", "https://portal.example", "", true},
      {"portal.example:443", "https", "https://portal.example", "", true},
  };
  for (const Case& c : cases) {
    httplib::Headers h{{"Host", c.host}, {"X-Real-IP", newAddress()}};
    if (*c.forwarded_proto) h.emplace("X-Forwarded-Proto", c.forwarded_proto);
    if (*c.origin) h.emplace("Origin", c.origin);
    if (*c.referer) h.emplace("Referer", c.referer);
    // The complaint form without its fields: 422 when the origin passes.
    auto r = post("/complaints/new", {{"description", ""}}, h);
    ASSERT_TRUE(r);
    const std::string what =
        std::string(c.host) + " " + c.forwarded_proto + " " + c.origin + " " + c.referer;
    if (c.same) {
      EXPECT_EQ(r->status, 422) << what;
    } else {
      EXPECT_EQ(r->status, 403) << what;
      EXPECT_TRUE(contains(r->body, "请求来源不是本网站")) << what;
    }
  }
}

TEST_F(Abuse, AnOutsiderCannotLockAStaffMemberOut) {
  const std::string outsider = "203.0.113.66";
  const std::string owner = "192.0.2.10";
  for (int i = 0; i < 8; ++i) {
    const auto form = e2e::loginForm(portal_->port());
    post("/admin/login",
         {{"username", "abuse_editor"},
          {"password", "wrong-" + std::to_string(i)},
          {"csrf_token", form.token}},
         {{"Cookie", form.cookie}, {"X-Real-IP", outsider}});
  }
  // The guesser waits (progressive delay, then the lock) ...
  const auto form = e2e::loginForm(portal_->port());
  auto guesser = post(
      "/admin/login",
      {{"username", "abuse_editor"}, {"password", e2e::kStaffPassword}, {"csrf_token", form.token}},
      {{"Cookie", form.cookie}, {"X-Real-IP", outsider}});
  EXPECT_EQ(guesser->status, 429);
  EXPECT_FALSE(guesser->get_header_value("Retry-After").empty());
  // ... the owner, from their own address, does not.
  EXPECT_FALSE(login("abuse_editor", owner).empty());
}

TEST_F(Abuse, EveryStaffPageIsNoStore) {
  const std::string session = login("abuse_admin", newAddress());
  ASSERT_FALSE(session.empty());
  for (const char* path :
       {"/admin", "/admin/audit", "/admin/sms", "/admin/complaints", "/admin/complaints/statistics",
        "/admin/complaints/phone", "/admin/decisions", "/admin/search",
        "/admin/departments/zhzf/import", "/admin/departments/zhzf/officers",
        "/admin/departments/zhzf/disclosures", "/admin/departments/zhzf/decisions/new",
        "/admin/departments/zhzf/items/new", "/admin/login"}) {
    auto r = get(path, {{"Cookie", session}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << path;
  }
}

TEST_F(Abuse, MetricsAreForLoopbackAndTheConfiguredNetworkOnly) {
  auto direct = get("/metrics");
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->status, 200);
  // Through nginx every request carries X-Real-IP: the public is refused, even "loopback".
  for (const char* client : {"203.0.113.5", "127.0.0.1", "10.8.0.1"}) {
    auto through_edge = get("/metrics", {{"X-Real-IP", client}});
    EXPECT_EQ(through_edge->status, 403) << client;
    EXPECT_FALSE(contains(through_edge->body, "portal_http_requests_total"));
  }
  EXPECT_EQ(get("/metrics", {{"X-Forwarded-For", "203.0.113.5"}})->status, 403);
  auto monitoring = get("/metrics", {{"X-Real-IP", "10.9.3.4"}});
  EXPECT_EQ(monitoring->status, 200) << "metrics.allowed_networks = 10.9.0.0/16";
  EXPECT_TRUE(contains(monitoring->body, "portal_intake_rate_limited{scope=\"phone\"}"));
}

// /healthz answers everyone (a balancer needs only its status), but where the database is
// (socket path or Galera node addresses), the pool and the backlogs are for monitoring only,
// like /metrics: the public through nginx learns just whether the node serves.
TEST_F(Abuse, HealthDetailsAreForLoopbackAndTheConfiguredNetworkOnly) {
  auto direct = get("/healthz");
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->status, 200);
  EXPECT_TRUE(contains(direct->body, "\"db_endpoint\""));
  EXPECT_TRUE(contains(direct->body, "\"pool\""));
  for (const char* client : {"203.0.113.5", "127.0.0.1"}) {
    auto through_edge = get("/healthz", {{"X-Real-IP", client}});
    ASSERT_TRUE(through_edge);
    EXPECT_EQ(through_edge->status, 200) << client;
    EXPECT_TRUE(contains(through_edge->body, "\"status\":\"ok\"")) << through_edge->body;
    for (const char* detail : {"db_endpoint", "pool", "schema_version", "sms", "index", "galera"}) {
      EXPECT_FALSE(contains(through_edge->body, std::string("\"") + detail + "\""))
          << client << " sees " << detail << ": " << through_edge->body;
    }
  }
  auto monitoring = get("/healthz", {{"X-Real-IP", "10.9.3.4"}});
  ASSERT_TRUE(monitoring);
  EXPECT_TRUE(contains(monitoring->body, "\"db_endpoint\"")) << "metrics.allowed_networks";
}

TEST_F(Abuse, AnEditorSeesOnlyTheirOwnDepartmentsStatistics) {
  // One complaint for another department, one for the editor's.
  auto other = complaint("", key());
  auto own = complaint("", key());
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query("SELECT id, slug, name FROM departments ORDER BY id");
    std::string zhzf_id, other_id;
    while (r.next()) {
      if (r.str("slug") == "zhzf") {
        zhzf_id = std::to_string(r.i64("id"));
      } else if (other_id.empty()) {
        other_id = std::to_string(r.i64("id"));
      }
    }
    other.erase("department_id");
    other.emplace("department_id", other_id);
    own.erase("department_id");
    own.emplace("department_id", zhzf_id);
  }
  ASSERT_EQ(post("/complaints/new", other, {{"X-Real-IP", newAddress()}})->status, 200);
  ASSERT_EQ(post("/complaints/new", own, {{"X-Real-IP", newAddress()}})->status, 200);
  std::string other_name;
  {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query("SELECT name FROM departments WHERE id = ?",
                             std::stoll(other.find("department_id")->second));
    r.next();
    other_name = r.str("name");
  }
  const std::string editor = login("abuse_editor", newAddress());
  auto page = get("/admin/complaints/statistics", {{"Cookie", editor}});
  ASSERT_EQ(page->status, 200);
  EXPECT_FALSE(contains(page->body, other_name)) << "another department's counts";
  EXPECT_FALSE(contains(page->body, "待分派"));
  const std::string admin = login("abuse_admin", newAddress());
  auto all = get("/admin/complaints/statistics", {{"Cookie", admin}});
  EXPECT_TRUE(contains(all->body, other_name)) << "the admin sees every department";
}

}  // namespace
