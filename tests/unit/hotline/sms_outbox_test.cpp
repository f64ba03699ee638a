#include "hotline/sms_outbox.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>
#include <tuple>

#include "db/transaction.h"
#include "hotline/sms_dispatcher.h"
#include "hotline/sms_outbox_store.h"
#include "hotline/sms_text.h"
#include "hotline_fixture.h"
#include "stub_sms_gateway.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;
using testing_support::StubSmsGateway;

class SmsTest : public HotlineTest {
 protected:
  SmsTest() {
    sms_.enabled = true;
    sms_.signature = "新区综合执法";
    sms_.daily_limit_per_number = 1000;
    sms_.dlr_base_url = "https://zfgs.example.gov.cn/";
    sms_.gateway.url = gateway_.url("/cgi-bin/sendsms");
    sms_.gateway.username = "portal";
    sms_.gateway.password = "s3cret&x";
    sms_.gateway.connect_timeout_ms = 1000;
    sms_.gateway.timeout_ms = 2000;
    sms_.batch_size = 10;
    sms_.poll_ms = 10;
    sms_.backoff_base_ms = 1;
    sms_.backoff_max_ms = 5;
    sms_.max_attempts = 100;
    useSms();
  }

  // Rebuilds the complaint service with the current sms_ options.
  void useSms() {
    HotlineOptions o = testOptions();
    o.sms = sms_;
    LocalClock clock(480, [now = now_] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
    });
    service_ = std::make_unique<ComplaintService>(*pool_, *calendar_, o, clock);
  }

  std::unique_ptr<SmsDispatcher> dispatcher() {
    return std::make_unique<SmsDispatcher>(*pool_, sms_, makeGateway(sms_.gateway));
  }

  std::vector<SmsMessage> outbox() {
    auto conn = pool_->acquire();
    auto all = SmsOutboxStore(*conn).list(std::nullopt, 1000);
    std::reverse(all.begin(), all.end());
    return all;
  }
  SmsMessage only() {
    auto all = outbox();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? SmsMessage{} : all.front();
  }
  std::int64_t countIn(SmsState state) {
    auto conn = pool_->acquire();
    db::Rows r = conn->query("SELECT COUNT(*) AS n FROM sms_outbox WHERE state = ?",
                             std::string(smsStateCode(state)));
    r.next();
    return r.i64("n");
  }
  // Runs passes until nothing is queued or sending, or `seconds` pass.
  void drain(SmsDispatcher& d, int seconds = 20) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (countIn(SmsState::Queued) + countIn(SmsState::Sending) == 0) return;
      if (d.runOnce() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "outbox not drained";
  }
  bool waitUntil(const std::function<bool()>& done, int seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  StubSmsGateway gateway_;
  SmsOptions sms_;
};

TEST_F(SmsTest, RegistrationReachesKannelInChineseWithBothCodingParameters) {
  const Registration reg = submitOk(request());
  const SmsMessage queued = only();
  EXPECT_EQ(queued.state, SmsState::Queued);
  EXPECT_EQ(queued.event_kind, "registered");
  EXPECT_EQ(queued.recipient, "+8613812345678");
  EXPECT_EQ(queued.text, "【新区综合执法】您的投诉举报已登记，编号" + reg.registration_no +
                             "，查询码" + reg.tracking_code + "，请凭编号和查询码查询办理进度。");
  EXPECT_EQ(queued.segments, 1);

  EXPECT_EQ(dispatcher()->runOnce(), 1u);
  const auto seen = gateway_.seen();
  ASSERT_EQ(seen.size(), 1u);
  const auto& req = seen.front();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target.rfind("/cgi-bin/sendsms?", 0), 0u) << req.target;
  EXPECT_NE(req.target.find("&to=%2B8613812345678&"), std::string::npos) << req.target;
  EXPECT_NE(req.target.find("&charset=UTF-8&coding=2&"), std::string::npos) << req.target;
  EXPECT_NE(req.target.find("&dlr-mask=31&"), std::string::npos) << req.target;
  EXPECT_EQ(req.param("username"), "portal");
  EXPECT_EQ(req.param("password"), "s3cret&x");
  EXPECT_EQ(req.param("text"), queued.text);
  EXPECT_EQ(req.param("to"), "+8613812345678");
  EXPECT_EQ(req.param("dlr-url"),
            "https://zfgs.example.gov.cn/sms/dlr/" + queued.dlr_token + "?status=%d");

  const SmsMessage sent = only();
  EXPECT_EQ(sent.state, SmsState::Sent);
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_EQ(sent.gateway, "primary");
  EXPECT_FALSE(sent.sent_at.empty());
  EXPECT_EQ(dispatcher()->runOnce(), 0u);  // nothing is sent twice
  EXPECT_EQ(gateway_.seen().size(), 1u);
}

TEST_F(SmsTest, EachPublicStepQueuesOneMessageInItsOwnTransaction) {
  const std::int64_t id = submitOk(request(1)).complaint_id;
  ASSERT_TRUE(service_->accept(id, handler(1), "将于三日内现场核查").ok());
  ASSERT_TRUE(service_->start(id, handler(1), "").ok());  // no note: nothing to tell
  ASSERT_TRUE(service_->addNote(id, handler(1), "已现场核查，施工方承诺整改", true).ok());
  ASSERT_TRUE(service_->addNote(id, handler(1), "内部：负责人李四 13900001111", false).ok());
  ASSERT_TRUE(service_->conclude(id, handler(1), "已责令停止夜间施工").ok());
  const std::int64_t moved = submitOk(request(1)).complaint_id;
  ASSERT_TRUE(service_->transfer(moved, handler(1), 2, "属于市场监管职责").ok());
  const std::int64_t refused = submitOk(request(1)).complaint_id;
  ASSERT_TRUE(service_->reject(refused, handler(1), "no_facts", "未提供具体地址").ok());
  // A refused action writes neither event nor message.
  EXPECT_FALSE(service_->conclude(refused, handler(1), "").ok());

  std::vector<std::string> kinds;
  for (const SmsMessage& m : outbox()) kinds.push_back(m.event_kind);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"registered", "accepted", "note", "concluded", "registered",
                                      "transferred", "registered", "rejected"}));
  const auto all = outbox();
  EXPECT_NE(all[1].text.find("已受理。将于三日内现场核查"), std::string::npos) << all[1].text;
  EXPECT_NE(all[2].text.find("有新的办理进展：已现场核查，施工方承诺整改"), std::string::npos);
  EXPECT_NE(
      all[3].text.find("已办结，办理结果：已责令停止夜间施工。请凭编号和查询码对办理结果进行评价"),
      std::string::npos);
  EXPECT_NE(all[5].text.find("已移送区市场监督管理局办理"), std::string::npos) << all[5].text;
  EXPECT_NE(all[7].text.find("理由：未提供具体的违法事实或线索：未提供具体地址。"),
            std::string::npos)
      << all[7].text;
  for (const SmsMessage& m : all) EXPECT_EQ(m.text.find("李四"), std::string::npos);

  // The idempotency key: one message per (complaint, event), enforced by the database.
  auto conn = pool_->acquire();
  NewSmsMessage again;
  again.complaint_id = all[0].complaint_id;
  again.event_id = all[0].event_id;
  again.event_kind = "registered";
  again.recipient = all[0].recipient;
  again.text = "x";
  again.dlr_token = newDlrToken();
  again.created_at = "2025-09-26 10:00:00";
  again.created_on = *CivilDate::parse("2025-09-26");
  try {
    SmsOutboxStore(*conn).insert(again);
    ADD_FAILURE() << "a second message for the same event was stored";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.isDuplicateKey()) << e.what();
  }
}

TEST_F(SmsTest, AnonymousLandlineAndDisabledGetNoMessage) {
  IntakeRequest anonymous = request();
  anonymous.complainant_name = "";
  anonymous.complainant_phone = "";
  const std::int64_t id = submitOk(anonymous).complaint_id;
  ASSERT_TRUE(service_->accept(id, handler(1), "已受理").ok());
  IntakeRequest landline = request();
  landline.complainant_phone = "0431-81912345";
  submitOk(landline);
  EXPECT_TRUE(outbox().empty());

  sms_.enabled = false;
  useSms();
  submitOk(request());
  EXPECT_TRUE(outbox().empty());
}

TEST_F(SmsTest, ServerErrorsAreRetriedWithBackoffThenSent) {
  gateway_.respond([](const StubSmsGateway::Seen&, int n) {
    if (n <= 2) return std::make_pair(503, std::string("Service Unavailable"));
    return std::make_pair(202, std::string("3: Queued for later delivery"));
  });
  submitOk(request());
  auto d = dispatcher();
  EXPECT_EQ(d->runOnce(), 1u);
  SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Queued);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_error, "primary: HTTP 503: Service Unavailable");
  drain(*d);
  m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.last_error, "");
  EXPECT_EQ(gateway_.seen().size(), 3u);
  EXPECT_EQ(d->stats().retried, 2);
}

TEST_F(SmsTest, TimeoutsAndGarbageAreRetried) {
  sms_.gateway.timeout_ms = 300;
  gateway_.respond([](const StubSmsGateway::Seen&, int n) {
    if (n == 1) std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    if (n == 2) return std::make_pair(202, std::string("<html>proxy error</html>"));
    return std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  submitOk(request());
  auto d = dispatcher();
  d->runOnce();
  SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Queued);
  EXPECT_EQ(m.last_error.rfind("primary: curl 28", 0), 0u) << m.last_error;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  d->runOnce();
  m = only();
  EXPECT_EQ(m.last_error, "primary: HTTP 202: <html>proxy error</html>");
  drain(*d);
  EXPECT_EQ(only().state, SmsState::Sent);
}

TEST_F(SmsTest, ABadNumberFailsAtOnceAndStaffCanResendAfterTheLastAttempt) {
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  submitOk(request());
  auto d = dispatcher();
  d->runOnce();
  SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Failed);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_error, "primary: HTTP 400: Invalid phone number");
  EXPECT_EQ(d->runOnce(), 0u);

  // Bad credentials are retried (an operator can fix them) until the attempts run out.
  sms_.max_attempts = 3;
  d = dispatcher();
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(403, std::string("Authorization failed for sendsms"));
  });
  SmsOutbox box(*pool_, sms_);
  ASSERT_EQ(box.resend(m.id), ResendOutcome::Resent);
  EXPECT_EQ(box.resend(m.id), ResendOutcome::NotFailed);  // queued now, not failed
  drain(*d);
  m = only();
  EXPECT_EQ(m.state, SmsState::Failed);
  EXPECT_EQ(m.attempts, 4);
  EXPECT_NE(m.last_error.find("HTTP 403"), std::string::npos) << m.last_error;

  gateway_.respond(nullptr);
  ASSERT_EQ(box.resend(m.id), ResendOutcome::Resent);
  drain(*d);
  m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.attempts, 5);
  EXPECT_EQ(outbox().size(), 1u);  // the same message, not a copy
}

TEST_F(SmsTest, CountsByStateAndGatewayForMetrics) {
  gateway_.respond([](const StubSmsGateway::Seen&, int n) {
    return n == 1 ? std::make_pair(400, std::string("Invalid phone number"))
                  : std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  submitOk(request());
  auto d = dispatcher();
  d->runOnce();
  submitOk(request());
  submitOk(request());
  d->runOnce();
  submitOk(request());
  auto counts = SmsOutbox(*pool_, sms_).countsByStateAndGateway();
  std::set<std::tuple<std::string, std::string, std::int64_t>> seen;
  for (const SmsCount& c : counts) {
    seen.emplace(std::string(smsStateCode(c.state)), c.gateway, c.count);
  }
  EXPECT_EQ(seen, (std::set<std::tuple<std::string, std::string, std::int64_t>>{
                      {"failed", "", 1}, {"sent", "primary", 2}, {"queued", "", 1}}));
}

TEST_F(SmsTest, AResendCommitsOrRollsBackWithTheCallersRow) {
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  submitOk(request());
  dispatcher()->runOnce();
  const std::int64_t id = only().id;
  SmsOutbox box(*pool_, sms_);
  EXPECT_THROW(box.resend(id, false, [](db::Connection&) { throw std::runtime_error("audit failed"); }),
               std::runtime_error);
  EXPECT_EQ(only().state, SmsState::Failed);  // rolled back with the failed callback
  bool called = false;
  EXPECT_EQ(box.resend(id, false, [&called](db::Connection&) { called = true; }),
            ResendOutcome::Resent);
  EXPECT_TRUE(called);
  EXPECT_EQ(only().state, SmsState::Queued);
  called = false;
  EXPECT_EQ(box.resend(id, false, [&called](db::Connection&) { called = true; }),
            ResendOutcome::NotFailed);
  EXPECT_FALSE(called);  // nothing requeued: nothing to record
}

TEST_F(SmsTest, TheFallbackSendsWhenThePrimaryFailsAndIsRecorded) {
  StubSmsGateway backup;
  sms_.fallback.url = backup.url("/cgi-bin/sendsms");
  sms_.fallback.username = "backup-user";
  auto d = std::make_unique<SmsDispatcher>(*pool_, sms_, makeGateway(sms_.gateway),
                                           makeGateway(sms_.fallback));
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(503, std::string("Service Unavailable"));
  });
  submitOk(request());
  EXPECT_EQ(d->runOnce(), 1u);
  SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.attempts, 1);  // one attempt, two gateways
  EXPECT_EQ(m.gateway, "fallback");
  ASSERT_EQ(gateway_.seen().size(), 1u);
  ASSERT_EQ(backup.seen().size(), 1u);
  EXPECT_EQ(backup.seen().front().param("username"), "backup-user");
  EXPECT_EQ(backup.seen().front().param("text"), m.text);
  EXPECT_EQ(d->stats().fallback_sent, 1);

  // A bad number is final at the primary: the fallback is not asked.
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  submitOk(request());
  d->runOnce();
  EXPECT_EQ(backup.seen().size(), 1u);
  EXPECT_EQ(countIn(SmsState::Failed), 1);

  // Both down: retried later, staff see both errors; then the primary comes back.
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(502, std::string("Bad Gateway"));
  });
  backup.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(500, std::string("Internal Error"));
  });
  submitOk(request());
  d->runOnce();
  m = outbox().back();
  EXPECT_EQ(m.state, SmsState::Queued);
  EXPECT_EQ(m.last_error, "primary: HTTP 502: Bad Gateway; fallback: HTTP 500: Internal Error");
  gateway_.respond(nullptr);
  drain(*d);
  m = outbox().back();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.gateway, "primary");
  EXPECT_EQ(d->stats().fallback_sent, 1);
}

TEST_F(SmsTest, OutageThenRecoveryDeliversEveryMessageExactlyOnce) {
  const std::int64_t id = submitOk(request(1)).complaint_id;
  for (int i = 0; i < 29; ++i) {
    ASSERT_TRUE(service_->addNote(id, handler(1), "进展" + std::to_string(i), true).ok());
  }
  // First the gateway's port is closed, then it answers 503, then it is back.
  SmsOptions closed = sms_;
  closed.gateway.url = "http://127.0.0.1:1/cgi-bin/sendsms";
  SmsDispatcher down(*pool_, closed, makeGateway(closed.gateway));
  down.runOnce();
  down.runOnce();
  EXPECT_EQ(countIn(SmsState::Sent), 0);
  EXPECT_NE(outbox().front().last_error.find("curl 7"), std::string::npos)
      << outbox().front().last_error;

  std::atomic<bool> up{false};
  gateway_.respond([&up](const StubSmsGateway::Seen&, int) {
    if (!up) return std::make_pair(503, std::string("down for maintenance"));
    return std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  sms_.workers = 2;
  auto d = dispatcher();
  d->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(countIn(SmsState::Sent), 0);
  up = true;
  EXPECT_TRUE(waitUntil([&] { return countIn(SmsState::Sent) == 30; }));
  d->stop();

  std::multiset<std::string> refs;
  for (const auto& s : gateway_.accepted()) refs.insert(s.param("dlr-url"));
  EXPECT_EQ(refs.size(), 30u);
  EXPECT_EQ(std::set<std::string>(refs.begin(), refs.end()).size(), 30u);
}

TEST_F(SmsTest, AMessageClaimedByACrashedNodeIsSentOnceAfterTheLease) {
  submitOk(request());
  std::int64_t id = 0;
  {
    // A node claims the message and dies before sending.
    auto conn = pool_->acquire();
    db::Transaction tx(*conn);
    auto claimed = SmsOutboxStore(*conn).claimDue(10, 60000);
    tx.commit();
    ASSERT_EQ(claimed.size(), 1u);
    id = claimed.front().id;
  }
  auto d = dispatcher();
  EXPECT_EQ(d->runOnce(), 0u);  // still leased
  EXPECT_EQ(only().state, SmsState::Sending);
  {
    auto conn = pool_->acquire();
    conn->execute(
        "UPDATE sms_outbox SET lease_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, "
        "next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?",
        id);
  }
  EXPECT_EQ(d->runOnce(), 1u);
  const SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(gateway_.seen().size(), 1u);
  // Had the first node woken up late, its update would change nothing.
  auto conn = pool_->acquire();
  EXPECT_FALSE(SmsOutboxStore(*conn).markSent(id, 1, "primary", ""));
  EXPECT_FALSE(SmsOutboxStore(*conn).markRetry(id, 1, "late", 0));
}

// Sends to the real gateway; after the first message the database goes away (its account is
// locked and its connections killed, as when mysqld is killed), so that outcome cannot be
// recorded.
class DatabaseDiesAfterFirstSend : public SmsGateway {
 public:
  DatabaseDiesAfterFirstSend(std::unique_ptr<SmsGateway> real, std::string user, db::Options admin)
      : real_(std::move(real)), user_(std::move(user)), admin_(std::move(admin)) {}
  SendResult send(const OutgoingSms& message) override {
    SendResult result = real_->send(message);
    if (calls_++ == 0) {
      ::test_support::adminExecute("ALTER USER '" + user_ + "'@'localhost' ACCOUNT LOCK");
      db::Connection admin(admin_);
      db::Rows r =
          admin.query("SELECT id FROM information_schema.processlist WHERE user = ?", user_);
      while (r.next()) ::test_support::adminExecute("KILL " + std::to_string(r.i64("id")));
    }
    return result;
  }
  const std::string& name() const override { return real_->name(); }

 private:
  std::unique_ptr<SmsGateway> real_;
  std::string user_;
  db::Options admin_;
  int calls_ = 0;
};

// Regression: when the database went away in the middle of a batch (kill -9 of mysqld under
// load), the dispatcher went on handing the rest of the batch to the gateway though it could
// record none of them, and each was sent again after its lease: a citizen got every such
// registration SMS twice. Only the one being sent when the database went may go twice.
TEST_F(SmsTest, WhenTheDatabaseGoesMidBatchTheRestOfTheBatchIsNotSent) {
  const std::int64_t id = submitOk(request(1)).complaint_id;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(service_->addNote(id, handler(1), "进展" + std::to_string(i), true).ok());
  }
  ASSERT_EQ(countIn(SmsState::Queued), 5);
  const std::string user = "sms_" + tdb_.options().schema.substr(2);
  ::test_support::adminExecute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'pw'");
  ::test_support::adminExecute("GRANT ALL ON `" + tdb_.options().schema + "`.* TO '" + user +
                               "'@'localhost'");
  db::Options own = tdb_.options();
  own.user = user;
  own.password = "pw";
  own.connect_timeout_s = 2;
  own.acquire_timeout_ms = 2000;
  {
    db::Pool pool(own);
    SmsDispatcher d(pool, sms_,
                    std::make_shared<DatabaseDiesAfterFirstSend>(makeGateway(sms_.gateway), user,
                                                                 tdb_.options()));
    d.runOnce();
  }
  ::test_support::adminExecute("DROP USER '" + user + "'@'localhost'");
  EXPECT_EQ(gateway_.accepted().size(), 1u) << "nothing more sent once nothing could be recorded";

  // The database is back and the claims have lapsed: every message goes out, the one in
  // flight at the outage a second time (at least once), the others once.
  {
    auto conn = pool_->acquire();
    conn->execute(
        "UPDATE sms_outbox SET lease_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, "
        "next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE state = 'sending'");
  }
  auto d = dispatcher();
  drain(*d);
  EXPECT_EQ(countIn(SmsState::Sent), 5);
  EXPECT_EQ(gateway_.accepted().size(), 6u);
}

TEST_F(SmsTest, TwoDispatchersShareOneOutboxWithoutDoubleSends) {
  const std::int64_t id = submitOk(request(1)).complaint_id;
  for (int i = 0; i < 59; ++i) {
    ASSERT_TRUE(service_->addNote(id, handler(1), "进展" + std::to_string(i), true).ok());
  }
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  sms_.workers = 2;
  sms_.batch_size = 3;
  auto a = dispatcher();
  auto b = dispatcher();
  a->start();
  b->start();
  EXPECT_TRUE(waitUntil([&] { return countIn(SmsState::Sent) == 60; }));
  a->stop();
  b->stop();
  const auto seen = gateway_.seen();
  EXPECT_EQ(seen.size(), 60u);
  std::set<std::string> refs;
  for (const auto& s : seen) refs.insert(s.param("dlr-url"));
  EXPECT_EQ(refs.size(), 60u);
  EXPECT_GT(a->stats().sent, 0);
  EXPECT_GT(b->stats().sent, 0);
  EXPECT_EQ(a->stats().sent + b->stats().sent, 60);
}

TEST_F(SmsTest, GenericAdapterSendsJsonAndReadsTheMessageId) {
  sms_.gateway.kind = GatewayKind::Generic;
  sms_.gateway.name = "cloud";
  sms_.gateway.url = gateway_.url("/v1/sms?account={{username}}");
  sms_.gateway.method = "POST";
  sms_.gateway.headers = {"Content-Type: application/json", "X-Ref: {{ref}}"};
  sms_.gateway.body = R"({"mobile":"{{to_national}}","content":"{{text}}","ref":"{{ref}}"})";
  sms_.gateway.body_format = BodyFormat::Json;
  sms_.gateway.success_body_contains = R"("code":0)";
  sms_.gateway.message_id_json_key = "data.msgid";
  sms_.gateway.basic_auth = true;
  useSms();
  gateway_.respond([](const StubSmsGateway::Seen&, int n) {
    if (n == 1) return std::make_pair(200, std::string(R"({"code":1001,"msg":"余额不足"})"));
    return std::make_pair(200, std::string(R"({"code":0,"data":{"msgid":"M-123"}})"));
  });
  const std::int64_t id = submitOk(request(1)).complaint_id;
  ASSERT_TRUE(service_->addNote(id, handler(1), "现场\"核查\"完毕\\", true).ok());
  pool_->acquire()->execute("DELETE FROM sms_outbox WHERE event_kind = 'registered'");

  auto d = dispatcher();
  d->runOnce();
  SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Queued);  // 200 with an error body is not success
  EXPECT_EQ(m.last_error, R"(cloud: HTTP 200: {"code":1001,"msg":"余额不足"})");
  drain(*d);
  m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.gateway, "cloud");
  EXPECT_EQ(m.gateway_message_id, "M-123");

  const auto req = gateway_.seen().back();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/v1/sms?account=portal");
  EXPECT_EQ(req.content_type, "application/json");
  EXPECT_EQ(req.authorization.rfind("Basic ", 0), 0u);
  const auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body["mobile"], "13812345678");
  EXPECT_EQ(body["content"], m.text);
  EXPECT_EQ(body["ref"], m.dlr_token);
  EXPECT_NE(m.text.find("现场\"核查\"完毕\\"), std::string::npos);
}

TEST_F(SmsTest, GenericAdapterSendsAFormAndFindsTheIdByRegex) {
  sms_.gateway.kind = GatewayKind::Generic;
  sms_.gateway.url = gateway_.url("/send");
  sms_.gateway.method = "POST";
  sms_.gateway.headers = {"Content-Type: application/x-www-form-urlencoded"};
  sms_.gateway.body = "to={{to}}&msg={{text}}&callback={{dlr_url}}";
  sms_.gateway.body_format = BodyFormat::Form;
  sms_.gateway.message_id_regex = R"(id=(\w+))";
  useSms();
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(200, std::string("OK id=abc123"));
  });
  submitOk(request());
  dispatcher()->runOnce();
  const SmsMessage m = only();
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.gateway_message_id, "abc123");
  const auto req = gateway_.seen().back();
  EXPECT_EQ(req.param("to"), "+8613812345678");
  EXPECT_EQ(req.param("msg"), m.text);
  // The bare report URL: Kannel's ?status=%d means nothing to another gateway.
  EXPECT_EQ(req.param("callback"), "https://zfgs.example.gov.cn/sms/dlr/" + m.dlr_token);
  EXPECT_NE(req.body.find("to=%2B8613812345678&"), std::string::npos) << req.body;
}

TEST_F(SmsTest, JasminGetsUcs2HexAndItsMessageIdIsRecorded) {
  sms_.gateway.kind = GatewayKind::Jasmin;
  sms_.gateway.url = gateway_.url("/send");
  sms_.gateway.from = "10690000";
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(200, std::string("Success \"07033084-5cfd-4812-90a4-e4d24ffb6e3d\""));
  });
  submitOk(request());
  EXPECT_EQ(dispatcher()->runOnce(), 1u);
  const auto seen = gateway_.seen();
  ASSERT_EQ(seen.size(), 1u);
  const auto& req = seen.front();
  const SmsMessage m = only();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target.rfind("/send?", 0), 0u) << req.target;
  EXPECT_EQ(req.param("username"), "portal");
  EXPECT_EQ(req.param("password"), "s3cret&x");
  EXPECT_EQ(req.param("from"), "10690000");
  EXPECT_EQ(req.param("to"), "8613812345678");
  EXPECT_EQ(req.param("coding"), "8");
  EXPECT_EQ(req.param("hex-content"), ucs2HexText(m.text));
  EXPECT_EQ(req.param("hex-content").substr(0, 8), "301065B0");  // 【新
  EXPECT_EQ(req.param("content"), "");
  EXPECT_EQ(req.param("dlr"), "yes");
  EXPECT_EQ(req.param("dlr-level"), "3");
  EXPECT_EQ(req.param("dlr-method"), "POST");
  // Without a query: Jasmin appends "?id=..." to a GET URL as if it had none.
  EXPECT_EQ(req.param("dlr-url"), "https://zfgs.example.gov.cn/sms/dlr/" + m.dlr_token);
  EXPECT_EQ(m.state, SmsState::Sent);
  EXPECT_EQ(m.gateway_message_id, "07033084-5cfd-4812-90a4-e4d24ffb6e3d");
}

TEST_F(SmsTest, JasminErrorsAreRetriedExceptABadParameter) {
  sms_.gateway.kind = GatewayKind::Jasmin;
  sms_.gateway.url = gateway_.url("/send");
  gateway_.respond([](const StubSmsGateway::Seen&, int n) {
    if (n == 1) return std::make_pair(412, std::string("Error \"No route found\""));
    if (n == 2) return std::make_pair(200, std::string("Error \"garbage\""));
    if (n == 3) return std::make_pair(200, std::string("Success \"abc\""));
    return std::make_pair(400, std::string("Error \"Argument to has an invalid value: x.\""));
  });
  auto d = dispatcher();
  submitOk(request());
  d->runOnce();
  EXPECT_EQ(only().state, SmsState::Queued);
  EXPECT_EQ(only().last_error, "primary: HTTP 412: Error \"No route found\"");
  drain(*d);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_EQ(only().attempts, 3);
  EXPECT_EQ(only().gateway_message_id, "abc");
  submitOk(request());
  d->runOnce();
  const SmsMessage bad = outbox().back();
  EXPECT_EQ(bad.state, SmsState::Failed);
  EXPECT_EQ(bad.attempts, 1);
}

TEST_F(SmsTest, GenericAdapterSignsTheBodyWithHmacSha256) {
  sms_.gateway.kind = GatewayKind::Generic;
  sms_.gateway.url = gateway_.url("/api/send");
  sms_.gateway.headers = {"Content-Type: application/json"};
  sms_.gateway.body = "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}";
  sms_.gateway.hmac_header = "X-Signature";
  sms_.gateway.hmac_key = "shared-secret";
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(200, std::string("{\"ok\":true}"));
  });
  submitOk(request());
  EXPECT_EQ(dispatcher()->runOnce(), 1u);
  const auto seen = gateway_.seen();
  ASSERT_EQ(seen.size(), 1u);
  const std::string& body = seen.front().body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>("shared-secret"), 13);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  EXPECT_EQ(seen.front().header("X-Signature"), std::string(hex));
  EXPECT_EQ(seen.front().header("X-Signature").size(), 64u);
  EXPECT_EQ(only().state, SmsState::Sent);

  // Without a key nothing is signed.
  sms_.gateway.hmac_key.clear();
  submitOk(request());
  dispatcher()->runOnce();
  ASSERT_EQ(gateway_.seen().size(), 2u);
  EXPECT_EQ(gateway_.seen().back().header("X-Signature"), "");
}

TEST(SmsGatewayConfig, AnUnusableConfigurationIsRefusedAtStart) {
  GatewayOptions o;
  o.kind = GatewayKind::Generic;
  o.url = "http://127.0.0.1/x";
  o.body = "{{txt}}";
  EXPECT_THROW(makeGateway(o), GatewayError);
  o.body = "{{text}}";
  o.message_id_regex = "(";
  EXPECT_THROW(makeGateway(o), GatewayError);
  o.kind = GatewayKind::Kannel;
  o.url = "";
  EXPECT_THROW(makeGateway(o), GatewayError);
}

TEST_F(SmsTest, DeliveryReportsEndAMessageOnceAndIgnoreTheRest) {
  submitOk(request());
  dispatcher()->runOnce();
  const std::string token = only().dlr_token;
  SmsOutbox box(*pool_, sms_);
  using R = DeliveryReportOutcome;
  EXPECT_EQ(box.recordDeliveryReport(token, 8), R::Recorded);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_EQ(only().dlr_status, "smsc_accepted");
  EXPECT_EQ(box.recordDeliveryReport(token, 1), R::Recorded);
  EXPECT_EQ(only().state, SmsState::Delivered);
  EXPECT_FALSE(only().dlr_at.empty());
  EXPECT_EQ(box.recordDeliveryReport(token, 2), R::Ignored);  // already final
  EXPECT_EQ(only().state, SmsState::Delivered);
  EXPECT_EQ(box.recordDeliveryReport(std::string(32, 'a'), 1), R::Ignored);  // unknown
  EXPECT_EQ(box.recordDeliveryReport("../../etc", 1), R::Ignored);           // malformed
  EXPECT_EQ(box.recordDeliveryReport(token, 3), R::Ignored);                 // no such type

  submitOk(request());
  dispatcher()->runOnce();
  const std::string second = outbox().back().dlr_token;
  EXPECT_EQ(box.recordDeliveryReport(second, 16), R::Recorded);
  EXPECT_EQ(outbox().back().state, SmsState::Failed);
  EXPECT_EQ(outbox().back().last_error, "送达报告：短信中心拒收");
}

TEST_F(SmsTest, TheDailyLimitRecordsTheRefusalAndSendsNothingMore) {
  sms_.daily_limit_per_number = 2;
  useSms();
  const std::int64_t id = submitOk(request(1)).complaint_id;
  ASSERT_TRUE(service_->accept(id, handler(1), "").ok());
  ASSERT_TRUE(service_->addNote(id, handler(1), "已现场核查", true).ok());
  const auto all = outbox();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].state, SmsState::Failed);
  EXPECT_EQ(all[2].attempts, 0);
  EXPECT_NE(all[2].last_error.find("每日2条"), std::string::npos) << all[2].last_error;
  auto d = dispatcher();
  drain(*d);
  EXPECT_EQ(gateway_.seen().size(), 2u);
  // The next day counts afresh.
  setNow("2025-09-27 09:00:00");
  ASSERT_TRUE(service_->addNote(id, handler(1), "已整改", true).ok());
  EXPECT_EQ(outbox().back().state, SmsState::Queued);
}

// Regression (issue 18): 600 staff resends in 31 s delivered 597 messages to one number
// against a cap of 10. Each resend now counts like a new message.
TEST_F(SmsTest, StaffResendsCountAgainstTheDailyCapUnlessExplicitlyOverridden) {
  sms_.daily_limit_per_number = 2;
  useSms();
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  const std::int64_t id = submitOk(request(1)).complaint_id;  // 1 of 2
  auto d = dispatcher();
  d->runOnce();
  ASSERT_EQ(only().state, SmsState::Failed);
  gateway_.respond(nullptr);
  SmsOutbox box(*pool_, sms_, LocalClock(480, [now = now_] {
                  return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
                }));
  ASSERT_EQ(box.resend(only().id), ResendOutcome::Resent);  // 2 of 2
  drain(*d);
  ASSERT_TRUE(service_->accept(id, handler(1), "").ok());  // over the cap: refused at once
  EXPECT_EQ(outbox().back().state, SmsState::Failed);
  EXPECT_EQ(outbox().back().attempts, 0);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(box.resend(outbox().back().id), ResendOutcome::DailyLimit) << i;
  }
  drain(*d);
  EXPECT_EQ(gateway_.seen().size(), 2u) << "one send and one resend, nothing more";
  EXPECT_EQ(outbox().back().state, SmsState::Failed);
  // The explicit override (the staff page audits it) sends it anyway, once.
  EXPECT_EQ(box.resend(outbox().back().id, true), ResendOutcome::Resent);
  drain(*d);
  EXPECT_EQ(gateway_.seen().size(), 3u);
  // The next day counts afresh.
  setNow("2025-09-27 09:00:00");
  ASSERT_TRUE(service_->addNote(id, handler(1), "已整改", true).ok());
  EXPECT_EQ(outbox().back().state, SmsState::Queued);
}

TEST_F(SmsTest, FailedMessagesOfAPeriodAreResentTogetherWithinTheCap) {
  sms_.daily_limit_per_number = 3;
  useSms();
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  submitOk(request(1));  // 13812345678: 1 of 3
  submitOk(request(1));  // 2 of 3
  IntakeRequest other = request(1);
  other.complainant_phone = "13900001111";
  submitOk(other);
  setNow("2025-09-28 09:00:00");
  submitOk(request(1));  // another day: not in the period
  auto d = dispatcher();
  drain(*d);
  ASSERT_EQ(countIn(SmsState::Failed), 4);
  gateway_.respond(nullptr);
  setNow("2025-09-26 18:00:00");  // resent on the day the 13812345678 messages were written
  SmsOutbox box(*pool_, sms_, LocalClock(480, [now = now_] {
                  return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
                }));
  int audited = 0;
  const BulkResend r = box.resendFailed(*CivilDate::parse("2025-09-26"),
                                        *CivilDate::parse("2025-09-27"),
                                        [&](db::Connection&, const BulkResend& seen) {
                                          audited = static_cast<int>(seen.resent.size());
                                        });
  EXPECT_EQ(r.resent.size(), 2u) << "one for 138..., one for 139...";
  EXPECT_EQ(r.over_limit, 1) << "138... had 2 of 3 today: only one more";
  EXPECT_EQ(audited, 2);
  drain(*d);
  EXPECT_EQ(countIn(SmsState::Sent), 2);
  EXPECT_EQ(countIn(SmsState::Failed), 2);
}

// Regression (issue 18): with 8 attempts and a 2 s base, an outage of about 4 minutes made
// registration SMS failed for good. Retries now last for the retry window, not a count.
TEST_F(SmsTest, RetriesLastForTheWindowHoweverManyAttemptsItTakes) {
  sms_.max_attempts = 0;
  sms_.retry_window_s = 2;
  sms_.backoff_base_ms = 1;
  sms_.backoff_max_ms = 50;
  useSms();
  std::atomic<bool> down{true};
  gateway_.respond([&down](const StubSmsGateway::Seen&, int) {
    return down ? std::make_pair(503, std::string("Service Unavailable"))
                : std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  submitOk(request());
  auto d = dispatcher();
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
  while (std::chrono::steady_clock::now() < until) {
    if (d->runOnce() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(only().attempts, 8) << "more than the old limit of attempts";
  EXPECT_EQ(only().state, SmsState::Queued);
  down = false;
  drain(*d);
  EXPECT_EQ(only().state, SmsState::Sent);

  // Past the window it stops, and says so.
  down = true;
  submitOk(request());
  ASSERT_TRUE(waitUntil([&] {
    d->runOnce();
    return outbox().back().state == SmsState::Failed;
  }, 10));
  EXPECT_NE(outbox().back().last_error.find("超过重试时限"), std::string::npos)
      << outbox().back().last_error;
}

TEST_F(SmsTest, AHeartbeatKeepsASlowSendsClaimAndAKilledNodesClaimsComeBackWithinTheLease) {
  sms_.lease_ms = 1500;
  useSms();
  submitOk(request());
  // A claim taken by a node that then died: nobody renews it.
  {
    auto conn = pool_->acquire();
    SmsOutboxStore store(*conn);
    db::Transaction tx(*conn);
    ASSERT_EQ(store.claimDue(10, sms_.lease_ms).size(), 1u);
    tx.commit();
  }
  auto d = dispatcher();
  EXPECT_EQ(d->runOnce(), 0u) << "still leased";
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(waitUntil([&] { return d->runOnce() == 1; }, 5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(only().state, SmsState::Sent);

  // A send slower than the lease keeps its claim while the heartbeat runs.
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return std::make_pair(202, std::string("0: Accepted for delivery"));
  });
  sms_.gateway.timeout_ms = 5000;
  submitOk(request());
  auto running = dispatcher();
  running->start();
  ASSERT_TRUE(waitUntil([&] { return countIn(SmsState::Sending) == 1; }, 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(1800));  // past the bare lease
  auto other = dispatcher();
  EXPECT_EQ(other->runOnce(), 0u) << "the heartbeat renewed the claim";
  ASSERT_TRUE(waitUntil([&] { return countIn(SmsState::Sent) == 2; }, 10));
  running->stop();
  EXPECT_EQ(gateway_.seen().size(), 2u) << "sent once each";
}

// A gateway whose first sends throw what a send can throw besides a DbError: a
// std::regex_error (the generic adapter's message-id rule runs std::regex on the answer), then
// something that is not even a std::exception; later sends go to the real adapter.
class ThrowingGateway : public SmsGateway {
 public:
  explicit ThrowingGateway(std::unique_ptr<SmsGateway> real) : real_(std::move(real)) {}
  SendResult send(const OutgoingSms& message) override {
    switch (calls_++) {
      case 0: throw std::regex_error(std::regex_constants::error_complexity);
      case 1: throw 42;
      default: return real_->send(message);
    }
  }
  const std::string& name() const override { return real_->name(); }
  int calls() const { return calls_; }

 private:
  std::unique_ptr<SmsGateway> real_;
  std::atomic<int> calls_{0};
};

// Regression: the dispatcher's threads caught db::DbError only, so a std::regex_error from the
// generic gateway's message-id rule escaped its thread and std::terminate ended the portal.
TEST_F(SmsTest, AGatewayThatThrowsLeavesThePortalRunningAndTheMessageIsSentLater) {
  sms_.lease_ms = 600;
  useSms();
  submitOk(request());
  auto gateway = std::make_shared<ThrowingGateway>(makeGateway(sms_.gateway));
  SmsDispatcher d(*pool_, sms_, gateway);
  d.start();
  // Each throw leaves the claim to its lease; the loop goes on and claims it again.
  ASSERT_TRUE(waitUntil([&] { return countIn(SmsState::Sent) == 1; }, 30));
  d.stop();
  EXPECT_EQ(gateway->calls(), 3);
  EXPECT_EQ(gateway_.seen().size(), 1u) << "sent once";
}

TEST(JasminDeliveryReport, ReadsTheStateFromMessageStatusNotFromLevel) {
  const std::string id = "16fd2706-8baf-433b-82eb-8c7fada847da";
  // Level 1 (or the first report at level 3): the SMSC's answer to the submit.
  auto r = jasminDeliveryReport(id, "ESME_ROK", "1", "");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->final_state);
  EXPECT_EQ(r->status, "ESME_ROK");
  EXPECT_EQ(r->gateway_message_id, id);
  r = jasminDeliveryReport(id, "ESME_ROK", "3", "");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->final_state);
  r = jasminDeliveryReport(id, "ESME_RINVNUMDESTS", "1", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->final_state, SmsState::Failed);
  EXPECT_EQ(r->error, "送达报告：短信中心拒收（ESME_RINVNUMDESTS）");
  // The handset's receipt.
  r = jasminDeliveryReport(id, "DELIVRD", "2", "000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->final_state, SmsState::Delivered);
  EXPECT_EQ(r->status, "DELIVRD");
  EXPECT_EQ(r->error, "");
  for (const char* failed : {"UNDELIV", "REJECTD", "EXPIRED", "DELETED", "UNKNOWN"}) {
    r = jasminDeliveryReport(id, failed, "3", "");
    ASSERT_TRUE(r) << failed;
    EXPECT_EQ(r->final_state, SmsState::Failed) << failed;
    EXPECT_EQ(r->status, failed);
    EXPECT_NE(r->error.find(failed), std::string::npos) << r->error;
  }
  r = jasminDeliveryReport(id, "UNDELIV", "2", "34");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error, "送达报告：无法送达（UNDELIV，错误码 34）");
  r = jasminDeliveryReport(id, "ENROUTE", "2", "");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->final_state);

  // Malformed or unknown: ignored.
  EXPECT_FALSE(jasminDeliveryReport(id, "DELIVRD", "", ""));
  EXPECT_FALSE(jasminDeliveryReport(id, "DELIVRD", "4", ""));
  EXPECT_FALSE(jasminDeliveryReport(id, "", "2", ""));
  EXPECT_FALSE(jasminDeliveryReport(id, "delivrd", "2", ""));
  EXPECT_FALSE(jasminDeliveryReport(id, "SOMETHING", "2", ""));
  EXPECT_FALSE(jasminDeliveryReport(id, std::string(40, 'A'), "2", ""));
  EXPECT_FALSE(jasminDeliveryReport("bad id", "DELIVRD", "2", ""));
  EXPECT_FALSE(jasminDeliveryReport(std::string(200, 'a'), "DELIVRD", "2", ""));
}

TEST_F(SmsTest, AJasminReportEndsOnlyTheMessageItNames) {
  sms_.gateway.kind = GatewayKind::Jasmin;
  sms_.gateway.url = gateway_.url("/send");
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(200, std::string("Success \"jasmin-id-1\""));
  });
  submitOk(request());
  dispatcher()->runOnce();
  const std::string token = only().dlr_token;
  SmsOutbox box(*pool_, sms_);
  using R = DeliveryReportOutcome;
  EXPECT_EQ(box.recordDeliveryReport(token, *jasminDeliveryReport("jasmin-id-1", "ESME_ROK", "3", "")),
            R::Recorded);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_EQ(only().dlr_status, "ESME_ROK");
  // A report naming another Jasmin message (an earlier attempt's) changes nothing.
  EXPECT_EQ(box.recordDeliveryReport(token, *jasminDeliveryReport("jasmin-id-0", "UNDELIV", "3", "")),
            R::Ignored);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_EQ(box.recordDeliveryReport(token, *jasminDeliveryReport("jasmin-id-1", "DELIVRD", "3", "")),
            R::Recorded);
  EXPECT_EQ(only().state, SmsState::Delivered);
  EXPECT_EQ(only().dlr_status, "DELIVRD");
  EXPECT_EQ(box.recordDeliveryReport(token, *jasminDeliveryReport("jasmin-id-1", "UNDELIV", "3", "")),
            R::Ignored);  // already final
  EXPECT_EQ(only().state, SmsState::Delivered);
}

TEST_F(SmsTest, TheTrackingCodeIsMaskedByTheTemplate) {
  const std::string sent = "【新区综合执法】您的投诉举报已登记，编号A2025-000123，查询码ABCD2345，"
                           "请凭编号和查询码查询办理进度。";
  const std::string masked = "【新区综合执法】您的投诉举报已登记，编号A2025-000123，查询码******，"
                             "请凭编号和查询码查询办理进度。";
  EXPECT_EQ(maskTrackingCode(sms_, sent), masked);
  EXPECT_EQ(maskTrackingCode(sms_, masked), masked);  // already masked: unchanged

  // The code twice, and at the very end.
  sms_.templates.registered = "查询码{code}（编号{number}）。再说一遍：{code}";
  EXPECT_EQ(maskTrackingCode(sms_, "【新区综合执法】查询码XY23（编号7）。再说一遍：XY23"),
            "【新区综合执法】查询码******（编号7）。再说一遍：******");
  // Two different "codes" do not follow the template.
  EXPECT_FALSE(maskTrackingCode(sms_, "【新区综合执法】查询码XY23（编号7）。再说一遍：XY24"));
  // The template or the signature edited since: the code's place is unknown.
  EXPECT_FALSE(maskTrackingCode(sms_, sent));
  sms_.templates = SmsTemplates{};
  sms_.signature = "另一个署名";
  EXPECT_FALSE(maskTrackingCode(sms_, sent));
  // A template without the code: nothing to mask.
  sms_.templates.registered = "您的投诉举报已登记，编号{number}。";
  EXPECT_EQ(maskTrackingCode(sms_, "anything"), "anything");

  SmsMessage m;
  m.event_kind = "registered";
  m.text = sent;
  sms_ = SmsOptions{};
  EXPECT_EQ(displayedSmsText(sms_, m), "（登记短信含查询码，不予显示）");
  m.event_kind = "accepted";
  EXPECT_EQ(displayedSmsText(sms_, m), sent);  // not a registration: shown as it is
}

TEST_F(SmsTest, TheStoredCodeIsScrubbedWhenTheMessageIsFinal) {
  const Registration reg = submitOk(request());
  auto d = dispatcher();
  d->runOnce();
  EXPECT_NE(only().text.find(reg.tracking_code), std::string::npos);  // sent: a report may follow
  SmsOutbox box(*pool_, sms_);
  EXPECT_EQ(displayedSmsText(sms_, only()).find(reg.tracking_code), std::string::npos);
  EXPECT_NE(displayedSmsText(sms_, only()).find("查询码******"), std::string::npos);
  ASSERT_EQ(box.recordDeliveryReport(only().dlr_token, 1), DeliveryReportOutcome::Recorded);
  EXPECT_EQ(only().state, SmsState::Delivered);
  EXPECT_EQ(only().text.find(reg.tracking_code), std::string::npos);
  EXPECT_NE(only().text.find("编号" + reg.registration_no + "，查询码******，"), std::string::npos)
      << only().text;
}

TEST_F(SmsTest, ABadNumberIsScrubbedButRunningOutOfRetriesKeepsTheCodeForAResend) {
  // Out of retries (the gateway was down): the message never left; a resend must carry the code.
  sms_.max_attempts = 2;
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(503, std::string("down"));
  });
  const Registration first = submitOk(request());
  auto d = dispatcher();
  drain(*d);
  ASSERT_EQ(only().state, SmsState::Failed);
  EXPECT_NE(only().text.find(first.tracking_code), std::string::npos);
  gateway_.respond(nullptr);
  SmsOutbox box(*pool_, sms_);
  ASSERT_EQ(box.resend(only().id), ResendOutcome::Resent);
  drain(*d);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_NE(gateway_.seen().back().param("text").find(first.tracking_code), std::string::npos);

  // A bad number: failed for good, scrubbed at once; a resend sends the masked text.
  gateway_.respond([](const StubSmsGateway::Seen&, int) {
    return std::make_pair(400, std::string("Invalid phone number"));
  });
  const Registration second = submitOk(request());
  d->runOnce();
  const SmsMessage bad = outbox().back();
  ASSERT_EQ(bad.state, SmsState::Failed);
  EXPECT_EQ(bad.text.find(second.tracking_code), std::string::npos);
  EXPECT_NE(bad.text.find("查询码******"), std::string::npos);
  gateway_.respond(nullptr);
  ASSERT_EQ(box.resend(bad.id), ResendOutcome::Resent);
  drain(*d);
  EXPECT_EQ(gateway_.seen().back().param("text"), bad.text);
}

TEST_F(SmsTest, WithoutDeliveryReportsSentIsFinalAndScrubbed) {
  sms_.dlr_base_url.clear();
  const Registration reg = submitOk(request());
  dispatcher()->runOnce();
  EXPECT_EQ(gateway_.seen().back().param("dlr-url"), "");
  EXPECT_NE(gateway_.seen().back().param("text").find(reg.tracking_code), std::string::npos);
  EXPECT_EQ(only().state, SmsState::Sent);
  EXPECT_EQ(only().text.find(reg.tracking_code), std::string::npos);
  EXPECT_NE(only().text.find("查询码******"), std::string::npos);
}

TEST_F(SmsTest, AnEditedTemplateScrubsTheWholeText) {
  const Registration reg = submitOk(request());
  auto d = dispatcher();
  d->runOnce();
  sms_.templates.registered = "登记成功：{number}，{code}";
  SmsOutbox box(*pool_, sms_);
  ASSERT_EQ(box.recordDeliveryReport(only().dlr_token, 1), DeliveryReportOutcome::Recorded);
  EXPECT_EQ(only().text.find(reg.tracking_code), std::string::npos);
  EXPECT_EQ(only().text, "（登记短信，内容含查询码，已清除）");
}

}  // namespace
}  // namespace hotline
