// SMS end to end: a complaint's registration goes from the outbox through the running
// portal's dispatcher to a local stub Kannel, and the gateway's delivery report comes back to
// /sms/dlr/<token>.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <regex>
#include <thread>

#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/complaint_service.h"
#include "hotline/tracking_code.h"
#include "portal/accounts/account_service.h"
#include "tests/e2e/e2e_support.h"

namespace {

// A stub Kannel (and Jasmin, at /send) on a free loopback port: records the dlr-url of each
// message, accepts all.
class StubKannel {
 public:
  StubKannel() {
    server_.Get("/send", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        dlr_urls_.push_back(req.get_param_value("dlr-url"));
        dlr_methods_.push_back(req.get_param_value("dlr-method"));
        texts_.push_back(req.get_param_value("hex-content"));
      }
      res.set_content("Success \"" + std::string(kJasminId) + "\"", "text/plain");
    });
    server_.Get("/cgi-bin/sendsms", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        dlr_urls_.push_back(req.get_param_value("dlr-url"));
        texts_.push_back(req.get_param_value("text"));
      }
      res.status = status_;
      res.set_content(status_ == 202 ? "0: Accepted for delivery" : "Invalid phone number",
                      "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~StubKannel() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/cgi-bin/sendsms";
  }
  std::vector<std::string> dlrUrls() {
    std::lock_guard<std::mutex> lock(mu_);
    return dlr_urls_;
  }
  void answer(int status) { status_ = status; }
  std::vector<std::string> texts() {
    std::lock_guard<std::mutex> lock(mu_);
    return texts_;
  }
  std::vector<std::string> dlrMethods() {
    std::lock_guard<std::mutex> lock(mu_);
    return dlr_methods_;
  }
  static constexpr const char* kJasminId = "16fd2706-8baf-433b-82eb-8c7fada847da";

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> dlr_urls_;
  std::vector<std::string> texts_;
  std::vector<std::string> dlr_methods_;
  std::atomic<int> status_{202};
};

portal::Config smsConfig(const db::Options& database, const std::string& gateway_url) {
  portal::Config config = e2e::testConfig(database);
  config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
  config.hotline.sms.enabled = true;
  config.hotline.sms.gateway.url = gateway_url;
  config.hotline.sms.dlr_base_url = "https://zfgs.example.gov.cn";
  config.hotline.sms.poll_ms = 20;
  return config;
}

hotline::Registration fileComplaint(e2e::RunningPortal& portal, const portal::Config& config,
                                    const std::string& key) {
  hotline::CalendarService calendar(portal.app().pool());
  hotline::HotlineOptions options = config.hotline;
  options.tracking_key = hotline::TrackingCode::generateKey();  // codes are not looked up here
  hotline::ComplaintService complaints(portal.app().pool(), calendar, options);
  hotline::IntakeRequest req;
  req.category = "noise";
  req.description = "夜间施工噪声扰民";
  req.complainant_name = "张三";
  req.complainant_phone = "13812345678";
  req.idempotency_key = key;
  auto result = complaints.submit(req);
  EXPECT_TRUE(result.ok());
  return result.registration.value_or(hotline::Registration{});
}

bool waitFor(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string capture(const std::string& body, const std::string& pattern) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex(pattern))) return m[1];
  return "";
}

std::string stateOf(db::Pool& pool, const std::string& token) {
  auto conn = pool.acquire();
  db::Rows r = conn->query("SELECT state FROM sms_outbox WHERE dlr_token = ?", token);
  return r.next() ? r.str("state") : "";
}

TEST(SmsEndToEnd, ARegistrationIsTextedAndItsDeliveryReportRecorded) {
  StubKannel kannel;
  test_support::TestDatabase database;
  const portal::Config config = smsConfig(database.options(), kannel.url());
  e2e::RunningPortal portal(config);
  const hotline::Registration reg = fileComplaint(portal, config, "e2e-sms-key-0123456789");

  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (kannel.dlrUrls().empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kannel.dlrUrls().size(), 1u);
  EXPECT_NE(kannel.texts().front().find(reg.registration_no), std::string::npos);
  const std::string prefix = "https://zfgs.example.gov.cn/sms/dlr/";
  const std::string dlr = kannel.dlrUrls().front();
  ASSERT_EQ(dlr.rfind(prefix, 0), 0u) << dlr;
  const std::string token = dlr.substr(prefix.size(), 32);
  EXPECT_EQ(dlr.substr(prefix.size() + 32), "?status=%d");
  while (stateOf(portal.app().pool(), token) != "sent" &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(stateOf(portal.app().pool(), token), "sent");

  auto client = portal.client();
  struct Case {
    std::string path;
    int status;
    std::string state_after;
  };
  const Case cases[] = {
      {"/sms/dlr/" + token + "?status=8", 200, "sent"},       // intermediate
      {"/sms/dlr/" + token + "?status=1", 200, "delivered"},  // final
      {"/sms/dlr/" + token + "?status=2", 200, "delivered"},  // already final: ignored
      {"/sms/dlr/" + std::string(32, 'f') + "?status=2", 200, "delivered"},  // unknown
      {"/sms/dlr/not-a-token?status=1", 404, "delivered"},  // not one of our tokens: refused
      {"/sms/dlr/" + token + "?status=abc", 400, "delivered"},
      {"/sms/dlr/" + token, 400, "delivered"},
  };
  for (const Case& c : cases) {
    auto res = client.Get(c.path.c_str());
    ASSERT_TRUE(res) << c.path;
    EXPECT_EQ(res->status, c.status) << c.path;
    EXPECT_EQ(res->body.find("138"), std::string::npos) << c.path;  // nothing personal echoed
    EXPECT_EQ(stateOf(portal.app().pool(), token), c.state_after) << c.path;
  }
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_NE(health->body.find("\"sms\":{\"backlog\":0,\"enabled\":true}"), std::string::npos)
      << health->body;
  // Gateways that POST their reports are answered the same way.
  auto posted =
      client.Post(("/sms/dlr/" + token).c_str(), "status=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 200);
}

TEST(SmsEndToEnd, TheLegalOfficeSeesAFailedMessageAndResendsIt) {
  StubKannel kannel;
  kannel.answer(400);
  test_support::TestDatabase database;
  const portal::Config config = smsConfig(database.options(), kannel.url());
  e2e::RunningPortal portal(config);
  const hotline::Registration reg = fileComplaint(portal, config, "e2e-sms-key-resend-0123");
  auto count = [&](const std::string& state) {
    auto conn = portal.app().pool().acquire();
    db::Rows r = conn->query("SELECT COUNT(*) AS n FROM sms_outbox WHERE state = ?", state);
    r.next();
    return r.i64("n");
  };
  ASSERT_TRUE(waitFor([&] { return count("failed") == 1; }));

  auto client = portal.client();
  auto login = [&](const std::string& username, const std::string& role,
                   std::optional<std::int64_t> department) {
    portal::accounts::AccountOptions options;
    options.hash_cost = portal::accounts::HashCost::Minimum;
    portal::accounts::AccountService accounts(portal.app().pool(), options);
    EXPECT_TRUE(
        accounts
            .createAccount(portal::accounts::Actor::console(),
                           {username, "测试" + username, "a-good-password", role, department})
            .ok());
    const e2e::LoginForm form = e2e::loginForm(portal.port());
    auto r = client.Post("/admin/login", httplib::Headers{{"Cookie", form.cookie}},
                         httplib::Params{{"username", username},
                                         {"password", "a-good-password"},
                                         {"next", "/admin"},
                                         {"csrf_token", form.token}});
    EXPECT_TRUE(r && r->status == 303);
    return capture(r->get_header_value("Set-Cookie"), "(portal_session=[^;]+)");
  };
  const std::string office = login("sms-office", "reviewer", std::nullopt);
  auto page = client.Get("/admin/sms?state=failed", httplib::Headers{{"Cookie", office}});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("发送失败"), std::string::npos);
  EXPECT_NE(page->body.find("HTTP 400: Invalid phone number"), std::string::npos);
  EXPECT_NE(page->body.find("138****5678"), std::string::npos);
  EXPECT_EQ(page->body.find("13812345678"), std::string::npos);
  EXPECT_EQ(page->body.find(reg.tracking_code), std::string::npos);
  const std::string csrf = capture(page->body, "name=\"csrf_token\" value=\"([^\"]+)\"");
  const std::string action = capture(page->body, "action=\"(/admin/sms/[0-9]+/resend)\"");
  ASSERT_FALSE(csrf.empty());
  ASSERT_FALSE(action.empty());

  auto forged = client.Post(action.c_str(), httplib::Headers{{"Cookie", office}},
                            httplib::Params{{"csrf_token", "forged"}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  kannel.answer(202);
  auto resent = client.Post(action.c_str(), httplib::Headers{{"Cookie", office}},
                            httplib::Params{{"csrf_token", csrf}});
  ASSERT_TRUE(resent);
  EXPECT_EQ(resent->status, 303);
  EXPECT_TRUE(waitFor([&] { return count("sent") == 1; }));
  EXPECT_EQ(kannel.dlrUrls().size(), 2u);  // the same message, tried again
  auto again = client.Post(action.c_str(), httplib::Headers{{"Cookie", office}},
                           httplib::Params{{"csrf_token", csrf}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  {
    // One audit row for the one resend that happened (the refused one wrote none).
    auto conn = portal.app().pool().acquire();
    db::Rows r = conn->query(
        "SELECT username, object_type, object_id FROM audit_log WHERE action = 'sms.resend'");
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.str("username"), "sms-office");
    EXPECT_EQ(r.str("object_type"), "sms");
    EXPECT_EQ("/admin/sms/" + r.str("object_id") + "/resend", action);
    EXPECT_FALSE(r.next());
  }
  // /metrics counts the outbox by state and gateway.
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("# TYPE portal_sms_messages gauge\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("portal_sms_messages{state=\"sent\",gateway=\"primary\"} 1\n"),
            std::string::npos)
      << metrics->body;

  const std::string editor = login("sms-editor", "editor", 1);
  auto refused = client.Get("/admin/sms", httplib::Headers{{"Cookie", editor}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
}

std::string textOf(db::Pool& pool, const std::string& token) {
  auto conn = pool.acquire();
  db::Rows r = conn->query("SELECT text FROM sms_outbox WHERE dlr_token = ?", token);
  return r.next() ? r.str("text") : "";
}

TEST(SmsEndToEnd, JasminsReportsAreAcknowledgedAndOnlyTheReceiptDelivers) {
  StubKannel jasmin;
  test_support::TestDatabase database;
  portal::Config config = smsConfig(database.options(), jasmin.url());
  config.hotline.sms.gateway.kind = hotline::GatewayKind::Jasmin;
  config.hotline.sms.gateway.url =
      jasmin.url().substr(0, jasmin.url().find("/cgi-bin/")) + "/send";
  e2e::RunningPortal portal(config);
  const hotline::Registration reg = fileComplaint(portal, config, "e2e-sms-jasmin-0123456789");
  ASSERT_TRUE(waitFor([&] { return !jasmin.dlrUrls().empty(); }));
  const std::string prefix = "https://zfgs.example.gov.cn/sms/dlr/";
  const std::string dlr = jasmin.dlrUrls().front();
  ASSERT_EQ(dlr.rfind(prefix, 0), 0u) << dlr;
  const std::string token = dlr.substr(prefix.size());
  ASSERT_EQ(token.size(), 32u) << dlr;  // no query for Jasmin to trip over
  EXPECT_EQ(jasmin.dlrMethods().front(), "POST");
  ASSERT_TRUE(waitFor([&] { return stateOf(portal.app().pool(), token) == "sent"; }));
  const std::string path = "/sms/dlr/" + token;
  auto client = portal.client();
  const auto report = [&](const std::string& p, const std::string& body) {
    auto res = client.Post(p.c_str(), body, "application/x-www-form-urlencoded");
    EXPECT_TRUE(res) << body;
    return res ? std::make_pair(res->status, res->body) : std::make_pair(0, std::string());
  };
  const std::string id = std::string("id=") + StubKannel::kJasminId;
  const auto ack = std::make_pair(200, std::string("ACK/Jasmin"));

  // The SMSC took it (level 1 at dlr-level 3): noted, not delivered.
  EXPECT_EQ(report(path, id + "&message_status=ESME_ROK&level=3"), ack);
  EXPECT_EQ(stateOf(portal.app().pool(), token), "sent");
  EXPECT_EQ(report(path, id + "&message_status=ESME_ROK&level=1"), ack);
  EXPECT_EQ(stateOf(portal.app().pool(), token), "sent");
  // Malformed, unknown state, another Jasmin message, an unknown token: acknowledged, ignored.
  EXPECT_EQ(report(path, id + "&message_status=DELIVRD&level=9"), ack);
  EXPECT_EQ(report(path, id + "&message_status=WHATEVER&level=2"), ack);
  EXPECT_EQ(report(path, "id=another-message&message_status=UNDELIV&level=2"), ack);
  EXPECT_EQ(report("/sms/dlr/" + std::string(32, 'f'), id + "&message_status=DELIVRD&level=2"),
            ack);
  EXPECT_EQ(stateOf(portal.app().pool(), token), "sent");
  // A token that is not ours in form: refused (404 is the one answer Jasmin does not retry).
  EXPECT_EQ(report("/sms/dlr/not-a-token", id + "&message_status=DELIVRD&level=2").first, 404);
  // The stored text still has the code until the message is final.
  EXPECT_NE(textOf(portal.app().pool(), token).find(reg.tracking_code), std::string::npos);

  // The handset's receipt, with every field Jasmin sends at level 2 and 3.
  EXPECT_EQ(report(path, id + "&id_smsc=2567&message_status=DELIVRD&level=3&subdate=2509260930"
                              "&donedate=2509260931&sub=001&dlvrd=001&err=000&text=%E3%80%90"),
            ack);
  EXPECT_EQ(stateOf(portal.app().pool(), token), "delivered");
  const std::string stored = textOf(portal.app().pool(), token);
  EXPECT_EQ(stored.find(reg.tracking_code), std::string::npos) << stored;
  EXPECT_NE(stored.find("编号" + reg.registration_no + "，查询码******，"), std::string::npos)
      << stored;
  // Final now: a late failure report is acknowledged and changes nothing.
  EXPECT_EQ(report(path, id + "&message_status=UNDELIV&level=3"), ack);
  EXPECT_EQ(stateOf(portal.app().pool(), token), "delivered");
  // Jasmin by GET is read the same way.
  auto got = client.Get((path + "?" + id + "&message_status=UNDELIV&level=2").c_str());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "ACK/Jasmin");
}

TEST(SmsEndToEnd, TheOutboxViewNeverShowsTheTrackingCode) {
  StubKannel kannel;
  test_support::TestDatabase database;
  portal::Config config = smsConfig(database.options(), kannel.url());
  e2e::RunningPortal portal(config);
  const hotline::Registration reg = fileComplaint(portal, config, "e2e-sms-mask-0123456789");
  ASSERT_TRUE(waitFor([&] { return kannel.dlrUrls().size() == 1; }));
  const std::string token = kannel.dlrUrls().front().substr(36, 32);
  ASSERT_TRUE(waitFor([&] { return stateOf(portal.app().pool(), token) == "sent"; }));
  // Sent, not yet final: the row still holds the code, the page masks it.
  ASSERT_NE(textOf(portal.app().pool(), token).find(reg.tracking_code), std::string::npos);
  e2e::createStaff(portal, "sms-mask-office", "reviewer");
  e2e::StaffBrowser office(portal);
  ASSERT_EQ(office.login("sms-mask-office"), 303);
  auto page = office.get("/admin/sms");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find(reg.tracking_code), std::string::npos);
  EXPECT_NE(page->body.find("编号" + reg.registration_no + "，查询码******，"), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("已提交网关"), std::string::npos);

  // Delivered: scrubbed in the database too.
  auto delivered = portal.client().Get(("/sms/dlr/" + token + "?status=1").c_str());
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->body, "OK\n");
  EXPECT_EQ(stateOf(portal.app().pool(), token), "delivered");
  EXPECT_EQ(textOf(portal.app().pool(), token).find(reg.tracking_code), std::string::npos);
  page = office.get("/admin/sms?state=delivered");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body.find(reg.tracking_code), std::string::npos);
  EXPECT_NE(page->body.find("查询码******"), std::string::npos);
  EXPECT_NE(page->body.find("<option value=\"delivered\" selected>"), std::string::npos);
}

}  // namespace
