#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "hotline/hotline_error.h"
#include "hotline/tracking_code.h"
#include "hotline/tracking_rate_limiter.h"
#include "hotline_fixture.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;

TEST(TrackingCodeTest, HashesVerifyAndSealedCodesOpenOnlyWithTheirKey) {
  using Match = TrackingCode::Match;
  const std::string key = TrackingCode::generateKey();
  const std::string code = TrackingCode::generate(8);
  const std::string hash = TrackingCode::hash(code, key);
  EXPECT_EQ(hash.rfind("kh1$", 0), 0u) << hash;
  EXPECT_EQ(hash.find(code), std::string::npos);
  EXPECT_NE(TrackingCode::hash(code, key), hash) << "salted: equal codes, different hashes";
  EXPECT_EQ(TrackingCode::verify(hash, code, key), Match::Yes);
  EXPECT_EQ(TrackingCode::verify(hash, code + "2", key), Match::No);
  EXPECT_EQ(TrackingCode::verify(hash, code, TrackingCode::generateKey()), Match::No)
      << "a dump without the key file checks nothing";
  EXPECT_EQ(TrackingCode::verify("garbage", code, key), Match::No);
  EXPECT_EQ(TrackingCode::verify(hash.substr(0, hash.size() - 1), code, key), Match::No);
  const std::string legacy =
      TrackingCode::legacyHash(code, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
  EXPECT_EQ(TrackingCode::verify(legacy, code, key), Match::YesLegacy);
  EXPECT_EQ(TrackingCode::verify(legacy, code + "2", key), Match::No);
  const std::string sealed = TrackingCode::seal(code, "key-aaaaaaaaaaaaaaaa");
  EXPECT_EQ(TrackingCode::open(sealed, "key-aaaaaaaaaaaaaaaa"), code);
  EXPECT_EQ(TrackingCode::open(sealed, "key-bbbbbbbbbbbbbbbb"), std::nullopt);
  EXPECT_EQ(TrackingCode::normalize("ab cd-23 45"), "ABCD2345");
  EXPECT_NE(TrackingCode::generate(8), TrackingCode::generate(8));
}

TEST(TrackingCodeTest, TheKeyIsCreatedOnceOwnerOnlyAndReadBackUnchanged) {
  char dir_template[] = "/tmp/tracking-key-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string path = dir + "/data/tracking-code.key";
  const std::string key = TrackingCode::loadOrCreateKey(path);
  EXPECT_EQ(key.size(), TrackingCode::kKeyBytes);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(TrackingCode::loadOrCreateKey(path), key) << "a restart keeps the key";
  {
    std::ofstream bad(dir + "/short.key", std::ios::binary);
    bad << "too short";
  }
  EXPECT_THROW(TrackingCode::loadOrCreateKey(dir + "/short.key"), HotlineError);
  std::filesystem::remove_all(dir);
}

class TrackingRateLimiterTest : public HotlineTest {};

// Two limiters over one database are two portal nodes: the failures one node saw count on the
// other, so the budget does not grow with the number of nodes.
TEST_F(TrackingRateLimiterTest, FailuresCountOnEveryNodeThroughTheDatabase) {
  TrackingRateLimitOptions o;
  o.max_failures_per_number = 3;
  o.max_failures_per_address = 5;
  o.max_failures_per_number_total = 4;
  o.window = std::chrono::seconds(600);
  TrackingRateLimiter node_a(*pool_, o);
  TrackingRateLimiter node_b(*pool_, o);
  EXPECT_FALSE(node_a.refusal("TS-2025-000001", "10.0.0.1"));
  node_a.recordFailure("TS-2025-000001", "10.0.0.1");
  node_b.recordFailure("TS-2025-000001", "10.0.0.1");
  EXPECT_FALSE(node_a.refusal("TS-2025-000001", "10.0.0.1")) << "two failures of three";
  node_a.recordFailure("TS-2025-000001", "10.0.0.1");
  const auto wait = node_b.refusal("TS-2025-000001", "10.0.0.1");
  ASSERT_TRUE(wait) << "per number from one address, on the other node";
  EXPECT_GE(wait->count(), 1);
  EXPECT_LE(wait->count(), 600);
  // The complainant, from their own address, is not shut out by someone else's guesses ...
  EXPECT_FALSE(node_b.refusal("TS-2025-000001", "10.0.0.2"));
  // ... until guesses from every address together reach the number's total.
  node_b.recordFailure("TS-2025-000001", "10.0.0.3");
  EXPECT_TRUE(node_a.refusal("TS-2025-000001", "10.0.0.2")) << "four failures from two addresses";
  EXPECT_FALSE(node_b.refusal("TS-2025-000002", "10.0.0.9"));
  node_b.recordFailure("TS-2025-000002", "10.0.0.1");
  node_a.recordFailure("TS-2025-000003", "10.0.0.1");
  EXPECT_TRUE(node_b.refusal("TS-2025-000004", "10.0.0.1")) << "per address, any number";
  EXPECT_FALSE(node_a.refusal("TS-2025-000004", "10.0.0.9"));
  // An IPv6 client is one client per /64, whichever address of it asks.
  for (int i = 0; i < 5; ++i) {
    node_a.recordFailure("TS-2025-0001" + std::to_string(i),
                         "2001:db8:1:2::" + std::to_string(i + 1));
  }
  EXPECT_TRUE(node_b.refusal("TS-2025-000099", "2001:db8:1:2::ff"));
}

TEST_F(TrackingRateLimiterTest, TheWindowEnds) {
  TrackingRateLimitOptions o;
  o.max_failures_per_number = 1;
  o.window = std::chrono::seconds(1);
  TrackingRateLimiter limiter(*pool_, o);
  limiter.recordFailure("TS-2025-000001", "10.0.0.1");
  // The failure may have landed at the very end of its one-second window: look within it, or
  // accept that it has just ended; two seconds later it has ended for certain.
  const auto wait = limiter.refusal("TS-2025-000001", "10.0.0.1");
  if (wait) {
    EXPECT_EQ(wait->count(), 1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_FALSE(limiter.refusal("TS-2025-000001", "10.0.0.1"));
}

class TrackingTest : public HotlineTest {};

std::string everything(const TrackingView& v) {
  std::ostringstream out;
  out << v.registration_no << v.state_name << v.category_name << v.department_name << v.location
      << v.received_at << v.ack_deadline.summary << v.handling_deadline.summary
      << v.reject_reason_name << v.reject_reason_text << v.result_text;
  for (const auto& t : v.timeline) out << t.at << t.title << t.text;
  return out.str();
}

TEST_F(TrackingTest, RightCodeShowsProgressButNeverIdentityOrInternalNotes) {
  const Registration reg = submitOk(request(1));
  const StaffActor h = handler(1);
  ASSERT_TRUE(service_->accept(reg.complaint_id, h, "已受理").ok());
  ASSERT_TRUE(service_->addNote(reg.complaint_id, h, "内部：投诉人张三情绪激动", false).ok());
  ASSERT_TRUE(service_->addNote(reg.complaint_id, h, "已约谈施工单位", true).ok());
  (void)service_->revealPhone(reg.complaint_id, h);

  const auto v = service_->track(reg.registration_no, reg.tracking_code);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state, ComplaintState::Accepted);
  EXPECT_EQ(v->state_name, "已受理");
  EXPECT_EQ(v->department_name, "区城市管理局");
  EXPECT_EQ(v->ack_deadline.due.toString(), "2025-10-10");
  EXPECT_EQ(v->acknowledged_on->toString(), "2025-09-26");
  ASSERT_EQ(v->timeline.size(), 3u);
  EXPECT_EQ(v->timeline[0].title, "已登记");
  EXPECT_EQ(v->timeline[1].title, "已受理");
  EXPECT_EQ(v->timeline[2].text, "已约谈施工单位");
  const std::string all = everything(*v);
  for (const char* secret : {"张三", "13812345678", "5678", "内部", "handler1", "情绪激动"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " leaked: " << all;
  }

  std::string sloppy = reg.tracking_code;
  for (char& c : sloppy) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  sloppy.insert(4, "-");
  EXPECT_TRUE(service_->track(" " + reg.registration_no + " ", sloppy)) << "as people type it";
}

// The tracking page names the channel a complaint came by in words a citizen reads: one
// passed on by another platform through Open311 said "登记渠道：Open311".
TEST_F(TrackingTest, TheChannelIsNamedInChinese) {
  IntakeRequest r = request(1);
  r.channel = Channel::Open311;
  const Registration reg = submitOk(r);
  const auto v = service_->track(reg.registration_no, reg.tracking_code);
  ASSERT_TRUE(v);
  ASSERT_FALSE(v->timeline.empty());
  EXPECT_EQ(v->timeline[0].text, "登记渠道：第三方平台接入");
}

std::string storedHash(db::Pool& pool, std::int64_t id) {
  auto conn = pool.acquire();
  db::Rows r = conn->query("SELECT tracking_code_hash FROM complaints WHERE id = ?", id);
  r.next();
  return r.str("tracking_code_hash");
}

TEST_F(TrackingTest, IntakeStoresAKeyedHashNeverTheCode) {
  const Registration reg = submitOk(request(1));
  const std::string stored = storedHash(*pool_, reg.complaint_id);
  EXPECT_EQ(stored.rfind("kh1$", 0), 0u) << stored;
  EXPECT_EQ(stored.find(reg.tracking_code), std::string::npos);
  EXPECT_TRUE(service_->track(reg.registration_no, reg.tracking_code));
}

TEST_F(TrackingTest, OldArgon2idHashesKeepVerifyingAndAreReplacedOnTheNextLookup) {
  const Registration reg = submitOk(request(1));
  const Registration evaluated = submitOk(request(1));
  for (const Registration* r : {&reg, &evaluated}) {  // as complaints filed before the change
    auto conn = pool_->acquire();
    conn->execute("UPDATE complaints SET tracking_code_hash = ? WHERE id = ?",
                  TrackingCode::legacyHash(r->tracking_code, crypto_pwhash_OPSLIMIT_MIN,
                                           crypto_pwhash_MEMLIMIT_MIN),
                  r->complaint_id);
  }
  const std::string legacy = storedHash(*pool_, reg.complaint_id);
  ASSERT_EQ(legacy.rfind("$argon2id$", 0), 0u);

  EXPECT_FALSE(service_->track(reg.registration_no, "ABCDEFGH"));
  EXPECT_EQ(storedHash(*pool_, reg.complaint_id), legacy) << "a wrong code changes nothing";

  ASSERT_TRUE(service_->track(reg.registration_no, reg.tracking_code)) << "the old hash verifies";
  const std::string upgraded = storedHash(*pool_, reg.complaint_id);
  EXPECT_EQ(upgraded.rfind("kh1$", 0), 0u) << upgraded;
  EXPECT_TRUE(service_->track(reg.registration_no, reg.tracking_code)) << "and so does the new";
  EXPECT_FALSE(service_->track(reg.registration_no, "ABCDEFGH"));
  EXPECT_EQ(storedHash(*pool_, reg.complaint_id), upgraded);

  // The complainant's rating is a lookup too.
  ASSERT_TRUE(service_->accept(evaluated.complaint_id, handler(1), "").ok());
  ASSERT_TRUE(service_->conclude(evaluated.complaint_id, handler(1), "已处罚").ok());
  EXPECT_TRUE(
      service_->evaluate(evaluated.registration_no, evaluated.tracking_code, Rating::Satisfied, "")
          .ok());
  EXPECT_EQ(storedHash(*pool_, evaluated.complaint_id).rfind("kh1$", 0), 0u);
}

TEST_F(TrackingTest, WrongCodeAndUnknownNumberLookTheSame) {
  const Registration reg = submitOk(request(1));
  const Registration other = submitOk(request(1));
  EXPECT_FALSE(service_->track(reg.registration_no, "ABCDEFGH"));
  EXPECT_FALSE(service_->track(reg.registration_no, other.tracking_code));
  EXPECT_FALSE(service_->track(reg.registration_no, ""));
  EXPECT_FALSE(service_->track("TS-2025-999999", reg.tracking_code));
  EXPECT_FALSE(service_->track("' OR 1=1 --", reg.tracking_code));
  const ActionResult wrong =
      service_->evaluate(reg.registration_no, "ABCDEFGH", Rating::Satisfied, "");
  EXPECT_EQ(wrong.status, ActionStatus::NotFound);
}

TEST_F(TrackingTest, RejectionShowsCodedReasonAndTextAndTheComplainantRatesTheResult) {
  const Registration rejected = submitOk(request(1));
  ASSERT_TRUE(
      service_
          ->reject(rejected.complaint_id, handler(1), "other_procedure", "该纠纷已进入民事诉讼程序")
          .ok());
  const auto v = service_->track(rejected.registration_no, rejected.tracking_code);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state_name, "不予受理");
  EXPECT_EQ(v->reject_reason_name, "已进入或应当通过诉讼、仲裁、行政复议等法定途径解决");
  EXPECT_EQ(v->reject_reason_text, "该纠纷已进入民事诉讼程序");
  EXPECT_EQ(v->timeline.back().title,
            "不予受理：已进入或应当通过诉讼、仲裁、行政复议等法定途径解决");

  const Registration done = submitOk(request(1));
  ASSERT_TRUE(service_->accept(done.complaint_id, handler(1), "").ok());
  ASSERT_TRUE(service_->conclude(done.complaint_id, handler(1), "已处罚").ok());
  auto before = service_->track(done.registration_no, done.tracking_code);
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->can_evaluate);
  EXPECT_EQ(before->result_text, "已处罚");
  ActionResult r =
      service_->evaluate(done.registration_no, done.tracking_code, Rating::Unsatisfied, "问题依旧");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.state, ComplaintState::Reopened);
  const auto after = service_->track(done.registration_no, done.tracking_code);
  EXPECT_FALSE(after->can_evaluate);
  EXPECT_EQ(after->state_name, "复核中");
  EXPECT_EQ(after->timeline.back().title, "评价：不满意，已转法制办复核");
  const auto d = service_->detail(done.complaint_id, supervisor());
  EXPECT_EQ(d->events.back().actor, "complainant");
}

}  // namespace
}  // namespace hotline
