#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "db/error.h"
#include "db/pool.h"
#include "db/transaction.h"
#include "portal/accounts/account.h"
#include "portal/accounts/account_service.h"
#include "portal/accounts/audit_service.h"
#include "portal/accounts/audit_store.h"
#include "portal/accounts/clock.h"
#include "portal/accounts/password_hasher.h"
#include "portal/accounts/permissions.h"
#include "portal/accounts/session_token.h"
#include "portal/accounts/sql_time.h"
#include "portal/publishing/department_store.h"
#include "tests/support/test_database.h"

namespace {

using namespace portal::accounts;
using namespace std::chrono_literals;

// 2025-03-01 02:00:00 UTC = 10:00 Beijing time.
TimePoint t0() { return fromSqlUtc("2025-03-01 02:00:00"); }

bool hasError(const std::vector<FieldError>& errors, const std::string& field,
              const std::string& fragment) {
  for (const auto& e : errors) {
    if (e.field == field && e.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// ---- pure functions ----

TEST(PasswordHasher, HashesWithArgon2idAndVerifiesOnlyTheRightPassword) {
  PasswordHasher hasher(HashCost::Minimum);
  const std::string h = hasher.hash("正确的密码horse-battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(hasher.verify(h, "正确的密码horse-battery"));
  EXPECT_FALSE(hasher.verify(h, "正确的密码horse-batterY"));
  EXPECT_FALSE(hasher.verify(h, ""));
  EXPECT_NE(hasher.hash("正确的密码horse-battery"), h) << "every hash has its own salt";
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("$argon2id$garbage", "x"));
  EXPECT_FALSE(hasher.verify(h.substr(0, h.size() - 4), "正确的密码horse-battery"));
}

TEST(PasswordHasher, AskForARehashWhenTheCostChanged) {
  PasswordHasher weak(HashCost::Minimum);
  PasswordHasher normal(HashCost::Interactive);  // constructing it hashes nothing
  const std::string h = weak.hash("some-long-password");
  EXPECT_FALSE(weak.needsRehash(h));
  EXPECT_TRUE(normal.needsRehash(h));
  EXPECT_TRUE(normal.needsRehash("not a hash"));
}

TEST(PasswordPolicy, ExplainsEachBrokenRuleInChinese) {
  struct Case {
    const char* password;
    const char* username;
    const char* expected;  // fragment, or "" for acceptable
  };
  const Case cases[] = {
      {"short1", "alice", "至少需要10个字符"},
      {"1234567890123", "alice", "不能全部是数字"},
      {"Alice.Wang01", "alice.wang01", "不能与用户名相同"},
      {"执法公示平台登录密码", "alice", ""},  // ten Chinese characters are ten characters
      {"执法公示平台密码", "alice", "至少需要10个字符"},
      {"correct horse battery", "alice", ""},
      // An outside audit found guessable passwords accepted (L2).
      {"aaaaaaaaaaaa", "alice", "少数几个字符重复"},
      {"abababababab", "alice", "少数几个字符重复"},
      {"qwertyuiop", "alice", "键盘上的一排键"},
      {"abcdefghijk", "alice", "连续的字母"},
      {"1qaz2wsx3edc", "alice", "键盘上的一排键"},
      {"Password2026!", "alice", "过于常见"},
      {"Admin@123456", "alice", "过于常见"},
      {"woaini5201314", "alice", "过于常见"},
      {"!!!!@@@@####$$", "alice", "过于常见"},
      {"a-good-password", "alice", ""},
      {"correct-horse-42", "alice", ""},
      {"admin-pw-kill9", "admin", ""},
      {"执法公示平台登录密码", "bob", ""},
  };
  for (const Case& c : cases) {
    const auto problems = checkPasswordPolicy(c.password, c.username);
    if (*c.expected == '\0') {
      EXPECT_TRUE(problems.empty()) << c.password << ": " << problems.front();
    } else {
      bool found = false;
      for (const auto& p : problems) found = found || p.find(c.expected) != std::string::npos;
      EXPECT_TRUE(found) << c.password << " should be refused with " << c.expected;
    }
  }
  EXPECT_FALSE(checkPasswordPolicy(std::string(129, 'a'), "alice").empty());
}

TEST(ValidateNewAccount, NamesEachWrongFieldInChinese) {
  NewAccount good{"Wang.Li ", "王力", "a-good-password", "editor", 1};
  EXPECT_TRUE(validateNewAccount(good).empty());

  struct Case {
    const char* what;
    void (*spoil)(NewAccount&);
    const char* field;
    const char* expected;
  };
  const Case cases[] = {
      {"no username", [](NewAccount& a) { a.username = "  "; }, "username", "请填写用户名"},
      {"short username", [](NewAccount& a) { a.username = "ab"; }, "username", "3至32"},
      {"chinese username", [](NewAccount& a) { a.username = "王力力"; }, "username", "只能包含"},
      {"digit first", [](NewAccount& a) { a.username = "1wang"; }, "username", "以字母开头"},
      {"no name", [](NewAccount& a) { a.display_name = "　 "; }, "display_name", "请填写姓名"},
      {"weak password", [](NewAccount& a) { a.password = "123"; }, "password", "至少需要10个字符"},
      {"unknown role", [](NewAccount& a) { a.role = "superuser"; }, "role", "有效的角色"},
      {"editor without department", [](NewAccount& a) { a.department_id.reset(); }, "department_id",
       "必须属于一个部门"},
  };
  for (const Case& c : cases) {
    NewAccount a = good;
    c.spoil(a);
    EXPECT_TRUE(hasError(validateNewAccount(a), c.field, c.expected)) << c.what;
  }
  NewAccount reviewer{"legal", "法制办", "a-good-password", "法制审核员", std::nullopt};
  EXPECT_TRUE(validateNewAccount(reviewer).empty()) << "only editors need a department";
}

TEST(Roles, ParseByCodeOrChineseName) {
  EXPECT_EQ(parseRole("admin"), Role::Admin);
  EXPECT_EQ(parseRole("部门编辑"), Role::Editor);
  EXPECT_EQ(parseRole("root"), std::nullopt);
  EXPECT_EQ(roleCode(Role::Reviewer), "reviewer");
}

TEST(Clock, StoresUtcAndShowsBeijingTime) {
  const TimePoint t = t0() + 123456us;
  EXPECT_EQ(toSqlUtc(t), "2025-03-01 02:00:00.123456");
  EXPECT_EQ(fromSqlUtc(toSqlUtc(t)), t);
  EXPECT_EQ(formatBeijing(t), "2025-03-01 10:00");
  EXPECT_EQ(formatBeijing(fromSqlUtc("2024-12-31 16:30:05"), true), "2025-01-01 00:30:05");
  EXPECT_EQ(formatBeijingMinuteCeil(t0() + 1s), "10:01");
  EXPECT_EQ(formatBeijingMinuteCeil(t0()), "10:00");
  EXPECT_EQ(beijingDayStart("2025-03-01"), fromSqlUtc("2025-02-28 16:00:00"));
  EXPECT_EQ(beijingDayStart("2025-02-29"), std::nullopt);
  EXPECT_EQ(beijingDayStart("2025/03/01"), std::nullopt);
  EXPECT_THROW(fromSqlUtc("yesterday"), std::invalid_argument);
  // What the accounts tables hold (docs/time.md): Beijing time.
  EXPECT_EQ(toSqlBeijing(t), "2025-03-01 10:00:00.123456");
  EXPECT_EQ(fromSqlBeijing(toSqlBeijing(t)), t);
  EXPECT_EQ(fromSqlBeijing("2025-01-01 00:30:05"), fromSqlUtc("2024-12-31 16:30:05"));
}

TEST(SessionToken, IsRandomCookieSafeAndStoredOnlyAsADigest) {
  const std::string a = randomToken(), b = randomToken();
  EXPECT_EQ(a.size(), kTokenLength);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  const std::string d = tokenDigest(a);
  EXPECT_EQ(d.size(), 64u);
  EXPECT_EQ(d, tokenDigest(a));
  EXPECT_NE(d, tokenDigest(b));
  EXPECT_TRUE(constantTimeEquals(a, a));
  EXPECT_FALSE(constantTimeEquals(a, b));
  EXPECT_FALSE(constantTimeEquals(a, a.substr(1)));
}

Principal principal(Role role, std::optional<std::int64_t> department) {
  Principal p;
  p.account_id = 7;
  p.username = "someone";
  p.role = role;
  p.department_id = department;
  p.csrf_token = randomToken();
  return p;
}

TEST(Permissions, MatrixOfRolesAndActions) {
  constexpr std::int64_t kOwn = 1, kOther = 2;
  const Principal editor = principal(Role::Editor, kOwn);
  const Principal reviewer = principal(Role::Reviewer, std::nullopt);
  const Principal admin = principal(Role::Admin, std::nullopt);
  struct Row {
    const char* who;
    const Principal& p;
    bool edit_own, edit_other, review, read_audit, manage_accounts;
  };
  const Row matrix[] = {
      {"editor", editor, true, false, false, false, false},
      {"reviewer", reviewer, false, false, true, true, false},
      {"admin", admin, true, true, true, true, true},
  };
  for (const Row& r : matrix) {
    EXPECT_EQ(canEditItemOf(r.p, kOwn), r.edit_own) << r.who;
    EXPECT_EQ(canEditItemOf(r.p, kOther), r.edit_other) << r.who;
    EXPECT_EQ(canReview(r.p), r.review) << r.who;
    EXPECT_EQ(canReadAudit(r.p), r.read_audit) << r.who;
    EXPECT_EQ(canManageAccounts(r.p), r.manage_accounts) << r.who;
  }
  EXPECT_FALSE(canEditItemOf(principal(Role::Editor, std::nullopt), kOwn))
      << "an editor without a department edits nothing";
  EXPECT_TRUE(canEditItemOf(principal(Role::Admin, kOther), kOwn));
}

TEST(Csrf, AcceptsOnlyTheSessionsToken) {
  const Principal p = principal(Role::Editor, 1);
  EXPECT_TRUE(verifyCsrf(p, p.csrf_token));
  EXPECT_FALSE(verifyCsrf(p, randomToken())) << "wrong";
  EXPECT_FALSE(verifyCsrf(p, std::nullopt)) << "missing";
  EXPECT_FALSE(verifyCsrf(p, std::string())) << "empty";
  EXPECT_FALSE(verifyCsrf(p, p.csrf_token + "x"));
  Principal no_token = p;
  no_token.csrf_token.clear();
  EXPECT_FALSE(verifyCsrf(no_token, std::string())) << "empty never equals empty";
}

// ---- against MariaDB ----

class AccountsDb : public ::testing::Test {
 protected:
  AccountsDb() : pool_(tdb_.options()) {
    auto conn = pool_.acquire();
    own_department_ = addDepartment(*conn, "zhzf", "新区综合行政执法局");
    other_department_ = addDepartment(*conn, "scjg", "新区市场监督管理局");
    AccountOptions o;
    o.hash_cost = HashCost::Minimum;
    service_ = std::make_unique<AccountService>(pool_, o, [this] { return now_; });
  }

  static std::int64_t addDepartment(db::Connection& conn, const std::string& slug,
                                    const std::string& name) {
    portal::publishing::Department d;
    d.slug = slug;
    d.name = name;
    d.short_name = name;
    return portal::publishing::DepartmentStore(conn).insert(d);
  }

  std::int64_t create(const std::string& username, Role role,
                      std::optional<std::int64_t> department,
                      const std::string& password = "a-good-password") {
    const ChangeResult r = service_->createAccount(
        Actor::console(),
        {username, "测试用户", password, std::string(roleCode(role)), department});
    EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().message);
    return r.account_id;
  }

  std::int64_t count(const std::string& sql) {
    auto conn = pool_.acquire();
    return count(*conn, sql);
  }
  // On a connection the test already holds (a second one from the pool would be a nested
  // acquire, which the pool refuses in debug builds).
  static std::int64_t count(db::Connection& conn, const std::string& sql) {
    db::Rows r = conn.query(sql);
    r.next();
    return r.i64("n");
  }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  TimePoint now_ = t0();
  std::int64_t own_department_ = 0;
  std::int64_t other_department_ = 0;
  std::unique_ptr<AccountService> service_;
};

// One convention for every DATETIME column (docs/time.md): the accounts tables hold Beijing
// time, as the rest of the schema does (they held UTC before migration 0029).
TEST_F(AccountsDb, StoredTimesAreBeijingTime) {
  create("wangli", Role::Admin, std::nullopt);  // at t0(): 2025-03-01 02:00 UTC
  now_ += 90s;
  ASSERT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1", "UA").ok());
  auto conn = pool_.acquire();
  const auto text = [&conn](const std::string& sql) {
    db::Rows r = conn->query(sql);
    EXPECT_TRUE(r.next()) << sql;
    return r.str("v");
  };
  EXPECT_EQ(text("SELECT CAST(created_at AS CHAR) AS v FROM accounts"),
            "2025-03-01 10:00:00.000000");
  EXPECT_EQ(text("SELECT CAST(created_at AS CHAR) AS v FROM sessions"),
            "2025-03-01 10:01:30.000000");
  EXPECT_EQ(text("SELECT CAST(at AS CHAR) AS v FROM login_attempts"), "2025-03-01 10:01:30.000000");
  EXPECT_EQ(text("SELECT CAST(MAX(at) AS CHAR) AS v FROM audit_log"), "2025-03-01 10:01:30.000000");
}

TEST_F(AccountsDb, CreateAccountStoresAnArgon2idHashAndAudits) {
  const std::int64_t id = create("Wang.Li", Role::Editor, own_department_);
  auto a = service_->account(id);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->username, "wang.li");
  EXPECT_EQ(a->role, Role::Editor);
  EXPECT_EQ(a->department_id, own_department_);
  EXPECT_EQ(a->created_at, t0());
  {
    auto conn = pool_.acquire();
    db::Rows r = conn->query("SELECT password_hash FROM accounts WHERE id = ?", id);
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.str("password_hash").rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(r.str("password_hash").find("a-good-password"), std::string::npos);
  }
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.create' "
                  "AND after_json NOT LIKE '%password%'"),
            1);
}

TEST_F(AccountsDb, CreateAccountRefusesTakenNamesUnknownDepartmentsAndNonAdmins) {
  create("wangli", Role::Editor, own_department_);
  ChangeResult r = service_->createAccount(
      Actor::console(), {"WANGLI", "王力", "a-good-password", "editor", own_department_});
  EXPECT_EQ(r.status, ChangeStatus::Invalid);
  EXPECT_TRUE(hasError(r.errors, "username", "已被使用"));

  r = service_->createAccount(Actor::console(),
                              {"zhaoqi", "赵琦", "a-good-password", "editor", 9999});
  EXPECT_EQ(r.status, ChangeStatus::Invalid);
  EXPECT_TRUE(hasError(r.errors, "department_id", "所选部门不存在"));

  const Actor editor = Actor::staff(principal(Role::Editor, own_department_), "10.0.0.1");
  r = service_->createAccount(editor, {"zhaoqi", "赵琦", "a-good-password", "admin", {}});
  EXPECT_EQ(r.status, ChangeStatus::Forbidden);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM accounts"), 1) << "nothing else was created";
}

TEST_F(AccountsDb, LoginOpensASessionWhoseTokenIsNotStored) {
  const std::int64_t id = create("wangli", Role::Editor, own_department_);
  const LoginResult r = service_->authenticate(" WangLi ", "a-good-password", "10.0.0.1", "UA");
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_TRUE(r.principal);
  EXPECT_EQ(r.principal->account_id, id);
  EXPECT_EQ(r.session_token.size(), kTokenLength);
  EXPECT_EQ(r.principal->csrf_token.size(), kTokenLength);
  EXPECT_EQ(
      count("SELECT COUNT(*) AS n FROM sessions WHERE id = '" + tokenDigest(r.session_token) + "'"),
      1);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM sessions WHERE id = '" + r.session_token + "'"), 0);

  auto p = service_->validate(r.session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->username, "wangli");
  EXPECT_EQ(p->department_id, own_department_);
  EXPECT_EQ(p->csrf_token, r.principal->csrf_token);
  EXPECT_FALSE(service_->validate(randomToken()));
  EXPECT_FALSE(service_->validate(""));
  EXPECT_FALSE(service_->validate(tokenDigest(r.session_token)));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login.success'"), 1);
}

TEST_F(AccountsDb, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  create("wangli", Role::Editor, own_department_);
  const LoginResult wrong = service_->authenticate("wangli", "not-the-password", "10.0.0.1");
  const LoginResult unknown = service_->authenticate("nobody", "not-the-password", "10.0.0.1");
  EXPECT_EQ(wrong.refusal, LoginRefusal::BadCredentials);
  EXPECT_EQ(unknown.refusal, LoginRefusal::BadCredentials);
  EXPECT_EQ(wrong.message, "用户名或密码错误");
  EXPECT_EQ(unknown.message, wrong.message);
  EXPECT_TRUE(wrong.session_token.empty());
  EXPECT_EQ(service_->authenticate("", "", "10.0.0.1").message, "请输入用户名和密码");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM sessions"), 0);
}

TEST_F(AccountsDb, AccountRateLimitRefusesEvenTheRightPasswordAndSaysWhenToRetry) {
  create("wangli", Role::Editor, own_department_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->authenticate("wangli", "guess-" + std::to_string(i), "10.0.0.1").refusal,
              LoginRefusal::BadCredentials);
    now_ += 1min;  // past each progressive delay
  }
  LoginResult r = service_->authenticate("wangli", "a-good-password", "10.0.0.1");
  EXPECT_EQ(r.refusal, LoginRefusal::RateLimited);
  EXPECT_EQ(r.message, "登录失败次数过多，请于 10:15 后再试");
  EXPECT_EQ(r.retry_at, t0() + 15min);
  EXPECT_TRUE(r.session_token.empty());

  now_ = t0() + 15min - 1s;
  EXPECT_EQ(service_->authenticate("wangli", "a-good-password", "10.0.0.1").refusal,
            LoginRefusal::RateLimited)
      << "refused attempts do not count, but the window has not passed yet";
  now_ = t0() + 15min;
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok())
      << "the oldest failure left the window";
}

TEST_F(AccountsDb, AnOutsiderGuessingFromElsewhereCannotLockTheOwnerOut) {
  create("wangli", Role::Editor, own_department_);
  for (int i = 0; i < 10; ++i) {
    service_->authenticate("wangli", "guess-" + std::to_string(i), "203.0.113.9");
    now_ += 1min;
  }
  EXPECT_EQ(service_->authenticate("wangli", "a-good-password", "203.0.113.9").refusal,
            LoginRefusal::RateLimited)
      << "the guesser's own address is locked out of the account";
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.2").ok())
      << "the owner, from their address, is not";
}

TEST_F(AccountsDb, FailuresFromOneAddressWaitLongerEachTime) {
  create("wangli", Role::Editor, own_department_);
  EXPECT_EQ(service_->authenticate("wangli", "guess", "10.0.0.1").refusal,
            LoginRefusal::BadCredentials);
  EXPECT_EQ(service_->authenticate("wangli", "guess", "10.0.0.1").refusal,
            LoginRefusal::BadCredentials)
      << "one mistyped password costs nothing";
  LoginResult r = service_->authenticate("wangli", "a-good-password", "10.0.0.1");
  EXPECT_EQ(r.refusal, LoginRefusal::RateLimited) << "after two failures: 1 s";
  EXPECT_EQ(r.message, "登录失败次数较多，请等待1秒后再试");
  now_ += 1s;
  EXPECT_EQ(service_->authenticate("wangli", "guess", "10.0.0.1").refusal,
            LoginRefusal::BadCredentials);
  now_ += 1s;
  EXPECT_EQ(service_->authenticate("wangli", "guess", "10.0.0.1").refusal,
            LoginRefusal::RateLimited)
      << "after three failures: 2 s";
  now_ += 1s;
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok());
}

TEST_F(AccountsDb, RateLimitDoesNotRevealWhetherTheUsernameExists) {
  create("wangli", Role::Editor, own_department_);
  for (int i = 0; i < 5; ++i) {
    service_->authenticate("wangli", "guess", "10.0.0.1");
    service_->authenticate("nobody", "guess", "10.0.0.2");
    now_ += 1min;
  }
  const LoginResult known = service_->authenticate("wangli", "guess", "10.0.0.1");
  const LoginResult unknown = service_->authenticate("nobody", "guess", "10.0.0.2");
  EXPECT_EQ(known.refusal, LoginRefusal::RateLimited);
  EXPECT_EQ(unknown.refusal, LoginRefusal::RateLimited);
  EXPECT_EQ(known.message, unknown.message);
  EXPECT_EQ(known.retry_at, unknown.retry_at);
}

TEST_F(AccountsDb, ASuccessfulLoginResetsTheAccountCounter) {
  create("wangli", Role::Editor, own_department_);
  for (int i = 0; i < 4; ++i) {
    service_->authenticate("wangli", "guess", "10.0.0.1");
    now_ += 1min;
  }
  ASSERT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok());
  for (int i = 0; i < 4; ++i) {
    service_->authenticate("wangli", "guess", "10.0.0.1");
    now_ += 1min;
  }
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok());
}

TEST_F(AccountsDb, AddressRateLimitCoversManyUsernames) {
  create("wangli", Role::Editor, own_department_);
  for (int i = 0; i < 20; ++i) {
    service_->authenticate("user" + std::to_string(i), "guess", "10.9.9.9");
  }
  const LoginResult r = service_->authenticate("wangli", "a-good-password", "10.9.9.9");
  EXPECT_EQ(r.refusal, LoginRefusal::RateLimited);
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok())
      << "another address is not affected";
}

TEST_F(AccountsDb, ConcurrentGuessesCannotAllSlipUnderTheLimit) {
  create("wangli", Role::Editor, own_department_);
  constexpr int kThreads = 4, kEach = 5;
  std::atomic<int> guessed{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        const LoginResult r = service_->authenticate("wangli", "guess", "10.1.0.1");
        (r.refusal == LoginRefusal::RateLimited ? refused : guessed)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  // Each attempt is recorded before it is counted, so at most the limit plus one attempt
  // in flight on each other thread get to check a password.
  EXPECT_LE(guessed.load(), 5 + kThreads - 1);
  EXPECT_EQ(guessed.load() + refused.load(), kThreads * kEach);
}

TEST_F(AccountsDb, SessionsSlideWithUseAndEndWhenIdleOrTooOld) {
  create("wangli", Role::Editor, own_department_);
  const std::string idle =
      service_->authenticate("wangli", "a-good-password", "10.0.0.1").session_token;
  const std::string busy =
      service_->authenticate("wangli", "a-good-password", "10.0.0.1").session_token;

  now_ = t0() + 29min;
  ASSERT_TRUE(service_->validate(busy));
  now_ = t0() + 31min;
  EXPECT_FALSE(service_->validate(idle)) << "idle for more than 30 minutes";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM sessions"), 1) << "the expired session is deleted";
  ASSERT_TRUE(service_->validate(busy)) << "used at 29 min, so it lives until 59 min";

  // Used every 20 minutes, it still ends 12 hours after login.
  now_ = t0();
  while (now_ < t0() + 12h - 20min) {
    now_ += 20min;
    ASSERT_TRUE(service_->validate(busy)) << formatBeijing(now_);
  }
  now_ = t0() + 12h;
  EXPECT_FALSE(service_->validate(busy));
}

TEST_F(AccountsDb, LogoutDeletesTheSession) {
  create("wangli", Role::Editor, own_department_);
  const std::string token =
      service_->authenticate("wangli", "a-good-password", "10.0.0.1").session_token;
  service_->logout(token, "10.0.0.1");
  EXPECT_FALSE(service_->validate(token));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM sessions"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'logout'"), 1);
  EXPECT_NO_THROW(service_->logout(token, "10.0.0.1"));
  EXPECT_NO_THROW(service_->logout("junk", "10.0.0.1"));
}

TEST_F(AccountsDb, DeactivatingEndsSessionsAndRefusesLogin) {
  const std::int64_t id = create("wangli", Role::Editor, own_department_);
  const std::string token =
      service_->authenticate("wangli", "a-good-password", "10.0.0.1").session_token;
  ASSERT_TRUE(service_->setActive(Actor::console(), id, false).ok());
  EXPECT_FALSE(service_->validate(token));
  LoginResult r = service_->authenticate("wangli", "a-good-password", "10.0.0.1");
  EXPECT_EQ(r.refusal, LoginRefusal::Inactive);
  EXPECT_EQ(r.message, "该账号已停用，请联系系统管理员");
  EXPECT_EQ(service_->authenticate("wangli", "wrong-password", "10.0.0.1").message,
            "用户名或密码错误")
      << "without the right password nothing tells it is deactivated";
  now_ += 1min;  // past the progressive delay of those two failures
  ASSERT_TRUE(service_->setActive(Actor::console(), id, true).ok());
  EXPECT_TRUE(service_->authenticate("wangli", "a-good-password", "10.0.0.1").ok());

  create("boss", Role::Admin, std::nullopt);
  const LoginResult boss = service_->authenticate("boss", "a-good-password", "10.0.0.1");
  ASSERT_TRUE(boss.principal);
  const Principal admin = *boss.principal;
  EXPECT_EQ(service_->setActive(Actor::staff(admin, "10.0.0.1"), admin.account_id, false).status,
            ChangeStatus::Forbidden);
  EXPECT_EQ(service_->setActive(Actor::console(), 9999, false).status, ChangeStatus::NotFound);
}

TEST_F(AccountsDb, ResetPasswordEndsSessionsAndAppliesThePolicy) {
  const std::int64_t id = create("wangli", Role::Editor, own_department_);
  const std::string token =
      service_->authenticate("wangli", "a-good-password", "10.0.0.1").session_token;
  ChangeResult r = service_->resetPassword(Actor::console(), id, "wangli");
  EXPECT_EQ(r.status, ChangeStatus::Invalid);
  EXPECT_TRUE(hasError(r.errors, "password", "不能与用户名相同"));
  ASSERT_TRUE(service_->validate(token)) << "a refused reset changes nothing";

  now_ += 1h;
  ASSERT_TRUE(service_->resetPassword(Actor::console(), id, "another-good-password").ok());
  EXPECT_FALSE(service_->validate(token));
  EXPECT_EQ(service_->authenticate("wangli", "a-good-password", "10.0.0.1").refusal,
            LoginRefusal::BadCredentials);
  EXPECT_TRUE(service_->authenticate("wangli", "another-good-password", "10.0.0.1").ok());
  EXPECT_EQ(service_->account(id)->password_changed_at, t0() + 1h);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.reset_password'"),
            1);
}

TEST_F(AccountsDb, PurgeDeletesExpiredSessionsAndOldAttempts) {
  create("wangli", Role::Editor, own_department_);
  service_->authenticate("wangli", "a-good-password", "10.0.0.1");
  service_->authenticate("wangli", "guess", "10.0.0.1");
  now_ += 31 * 24h;
  EXPECT_EQ(service_->purgeExpired(), 3u);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM login_attempts"), 0);
}

TEST_F(AccountsDb, AuditAppendJoinsTheCallersTransactionAndQueriesFilterAndPage) {
  const std::int64_t admin_id = create("boss", Role::Admin, std::nullopt);  // one account.create
  auto conn = pool_.acquire();
  Principal editor = principal(Role::Editor, own_department_);
  editor.account_id = 42;
  editor.username = "wangli";
  auto entry = [&](const std::string& action, std::int64_t dept, TimePoint at) {
    AuditEntry e = auditEntryFor(Actor::staff(editor, "10.0.0.1"));
    e.at = at;
    e.action = action;
    e.department_id = dept;
    e.object_type = "item";
    e.object_id = "CF-0001";
    e.summary = "变更事项 CF-0001";
    e.before_json = R"({"name":"旧"})";
    e.after_json = R"({"name":"新"})";
    return e;
  };
  {
    db::Transaction tx(*conn);
    AuditStore(*conn, [] { return t0(); }).append(entry("item.publish", own_department_, t0()));
  }  // rolled back with the change it would have recorded
  EXPECT_EQ(count(*conn, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'item.publish'"), 0);
  {
    db::Transaction tx(*conn);
    AuditStore store(*conn, [] { return t0(); });
    for (int day = 0; day < 5; ++day) {
      store.append(entry("item.publish", own_department_, t0() + day * 24h));
      store.append(entry("item.edit", other_department_, t0() + day * 24h + 1h));
    }
    tx.commit();
  }
  AuditFilter f;
  EXPECT_EQ(AuditStore::query(*conn, f).total, 11);
  f.account_id = 42;
  EXPECT_EQ(AuditStore::query(*conn, f).total, 10);
  f.department_id = own_department_;
  EXPECT_EQ(AuditStore::query(*conn, f).total, 5);
  f.from = beijingDayStart("2025-03-02");
  f.until = *beijingDayStart("2025-03-03") + 24h;
  auto page = AuditStore::query(*conn, f);
  ASSERT_EQ(page.total, 2);
  EXPECT_EQ(page.rows[0].at, t0() + 48h) << "newest first";
  EXPECT_EQ(page.rows[0].username, "wangli");
  EXPECT_EQ(page.rows[0].remote_addr, "10.0.0.1");
  EXPECT_EQ(page.rows[0].summary, "变更事项 CF-0001");
  EXPECT_EQ(page.rows[0].after_json, R"({"name":"新"})");

  AuditFilter by_action;
  by_action.action = "item.edit";
  by_action.page = 2;
  by_action.page_size = 2;
  page = AuditStore::query(*conn, by_action);
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(page.pageCount(), 3);
  ASSERT_EQ(page.rows.size(), 2u);
  EXPECT_EQ(page.rows[0].at, t0() + 48h + 1h);

  AuditFilter console_only;
  console_only.account_id = admin_id;
  EXPECT_EQ(AuditStore::query(*conn, console_only).total, 0)
      << "the console created boss, not boss";
}

TEST_F(AccountsDb, AuditLogRefusesUpdateAndDelete) {
  create("boss", Role::Admin, std::nullopt);
  auto conn = pool_.acquire();
  EXPECT_THROW(conn->execute("UPDATE audit_log SET summary = ? WHERE 1 = 1", "篡改"), db::DbError);
  EXPECT_THROW(conn->execute("DELETE FROM audit_log WHERE 1 = ?", 1), db::DbError);
  EXPECT_EQ(count(*conn, "SELECT COUNT(*) AS n FROM audit_log WHERE summary <> '篡改'"), 1);
}

TEST_F(AccountsDb, OnlyReviewersAndAdminsReadTheAuditLog) {
  create("boss", Role::Admin, std::nullopt);
  AuditService audit(pool_, systemClock());
  EXPECT_FALSE(audit.query(principal(Role::Editor, own_department_), {}));
  auto page = audit.query(principal(Role::Reviewer, std::nullopt), {});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(page->rows[0].username, "portalctl");
  EXPECT_EQ(page->rows[0].account_id, std::nullopt);
}

TEST_F(AccountsDb, AStrongerCostRehashesOnTheNextLogin) {
  const std::int64_t id = create("wangli", Role::Editor, own_department_);
  AccountOptions o;
  o.hash_cost = HashCost::Interactive;
  AccountService stronger(pool_, o, [this] { return now_; });
  ASSERT_TRUE(stronger.authenticate("wangli", "a-good-password", "10.0.0.1").ok());
  {
    auto conn = pool_.acquire();
    db::Rows r = conn->query("SELECT password_hash FROM accounts WHERE id = ?", id);
    ASSERT_TRUE(r.next());
    EXPECT_FALSE(PasswordHasher(HashCost::Interactive).needsRehash(r.str("password_hash")));
  }
  EXPECT_TRUE(stronger.authenticate("wangli", "a-good-password", "10.0.0.1").ok());
}

}  // namespace
