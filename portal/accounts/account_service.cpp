#include "portal/accounts/account_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "db/retry.h"
#include "db/transaction.h"
#include "portal/accounts/account_store.h"
#include "portal/accounts/audit_store.h"
#include "portal/accounts/login_attempt_store.h"
#include "portal/accounts/permissions.h"
#include "portal/accounts/session_store.h"
#include "portal/accounts/session_token.h"

namespace portal::accounts {

namespace {

constexpr std::size_t kAddrBytes = 64;
constexpr std::size_t kUsernameBytes = 64;
constexpr std::size_t kUserAgentBytes = 255;

std::string accountJson(const Account& a) {
  nlohmann::json j = {{"username", a.username},
                      {"display_name", a.display_name},
                      {"role", std::string(roleCode(a.role))},
                      {"active", a.active}};
  j["department_id"] = a.department_id ? nlohmann::json(*a.department_id) : nlohmann::json();
  return j.dump();
}

ChangeResult invalid(std::vector<FieldError> errors) {
  return ChangeResult{ChangeStatus::Invalid, std::move(errors), 0};
}

ChangeResult notFound() {
  return ChangeResult{ChangeStatus::NotFound, {FieldError{"", "账号不存在"}}, 0};
}

LoginResult refuse(LoginRefusal why, std::string message) {
  LoginResult r;
  r.refusal = why;
  r.message = std::move(message);
  return r;
}

// When the count of failures in the window drops below `limit` again: the failure that must
// leave the window is the limit-th newest.
std::optional<TimePoint> lockedUntil(const std::vector<TimePoint>& failures, int limit,
                                     std::chrono::seconds window) {
  if (limit <= 0 || failures.size() < static_cast<std::size_t>(limit)) return std::nullopt;
  return failures[failures.size() - static_cast<std::size_t>(limit)] + window;
}

}  // namespace

AccountService::AccountService(db::Pool& pool, AccountOptions options, Clock clock)
    : pool_(pool),
      options_(options),
      clock_(std::move(clock)),
      hasher_(options.hash_cost),
      dummy_hash_(hasher_.hash(randomToken())) {}

std::optional<FieldError> AccountService::forbiddenUnlessAdmin(const Actor& actor) const {
  if (!actor.principal || canManageAccounts(*actor.principal)) return std::nullopt;
  return FieldError{"", "只有系统管理员可以管理账号"};
}

ChangeResult AccountService::createAccount(const Actor& actor, const NewAccount& input) {
  if (auto f = forbiddenUnlessAdmin(actor)) return ChangeResult{ChangeStatus::Forbidden, {*f}, 0};
  std::vector<FieldError> errors = validateNewAccount(input);
  Account a;
  a.username = normalizeUsername(input.username);
  a.display_name = normalizeDisplayName(input.display_name);
  a.role = parseRole(input.role).value_or(Role::Editor);
  a.department_id = input.department_id;
  a.active = true;

  auto conn = pool_.acquire();
  AccountStore store(*conn);
  if (a.department_id && !store.departmentExists(*a.department_id)) {
    errors.push_back({"department_id", "所选部门不存在"});
  }
  const bool username_ok = std::none_of(errors.begin(), errors.end(),
                                        [](const FieldError& e) { return e.field == "username"; });
  if (username_ok && store.findByUsername(a.username)) {
    errors.push_back({"username", "用户名“" + a.username + "”已被使用"});
  }
  if (!errors.empty()) return invalid(std::move(errors));

  const std::string hash = hasher_.hash(input.password);
  a.created_at = a.password_changed_at = clock_();
  db::Transaction tx(*conn);
  try {
    a.id = store.insert(a, hash);
  } catch (const db::DbError& e) {
    if (!e.isDuplicateKey()) throw;
    return invalid({{"username", "用户名“" + a.username + "”已被使用"}});
  }
  AuditEntry entry = auditEntryFor(actor);
  entry.at = a.created_at;
  entry.action = "account.create";
  entry.department_id = a.department_id;
  entry.object_type = "account";
  entry.object_id = std::to_string(a.id);
  entry.summary = "创建账号 " + a.username + "（" + a.display_name + "，" +
                  std::string(roleName(a.role)) + "）";
  entry.after_json = accountJson(a);
  AuditStore(*conn, clock_).append(entry);
  tx.commit();
  return ChangeResult{ChangeStatus::Ok, {}, a.id};
}

ChangeResult AccountService::resetPassword(const Actor& actor, std::int64_t account_id,
                                           const std::string& new_password) {
  if (auto f = forbiddenUnlessAdmin(actor)) return ChangeResult{ChangeStatus::Forbidden, {*f}, 0};
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  AccountStore store(*conn);
  auto stored = store.lockById(account_id);
  if (!stored) return notFound();
  std::vector<FieldError> errors;
  for (const std::string& m : checkPasswordPolicy(new_password, stored->account.username)) {
    errors.push_back({"password", m});
  }
  if (!errors.empty()) return invalid(std::move(errors));
  const TimePoint now = clock_();
  store.updatePassword(account_id, hasher_.hash(new_password), now);
  SessionStore(*conn).removeAllOf(account_id);
  AuditEntry entry = auditEntryFor(actor);
  entry.at = now;
  entry.action = "account.reset_password";
  entry.department_id = stored->account.department_id;
  entry.object_type = "account";
  entry.object_id = std::to_string(account_id);
  entry.summary = "重置账号 " + stored->account.username + " 的密码，并结束其全部登录会话";
  AuditStore(*conn, clock_).append(entry);
  tx.commit();
  return ChangeResult{ChangeStatus::Ok, {}, account_id};
}

ChangeResult AccountService::setActive(const Actor& actor, std::int64_t account_id, bool active) {
  if (auto f = forbiddenUnlessAdmin(actor)) return ChangeResult{ChangeStatus::Forbidden, {*f}, 0};
  if (!active && actor.principal && actor.principal->account_id == account_id) {
    return ChangeResult{ChangeStatus::Forbidden, {{"", "不能停用自己正在使用的账号"}}, 0};
  }
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  AccountStore store(*conn);
  auto stored = store.lockById(account_id);
  if (!stored) return notFound();
  if (stored->account.active == active) return ChangeResult{ChangeStatus::Ok, {}, account_id};
  Account after = stored->account;
  after.active = active;
  store.setActive(account_id, active);
  if (!active) SessionStore(*conn).removeAllOf(account_id);
  AuditEntry entry = auditEntryFor(actor);
  entry.at = clock_();
  entry.action = active ? "account.activate" : "account.deactivate";
  entry.department_id = stored->account.department_id;
  entry.object_type = "account";
  entry.object_id = std::to_string(account_id);
  entry.summary = (active ? "启用账号 " : "停用账号 ") + stored->account.username;
  entry.before_json = accountJson(stored->account);
  entry.after_json = accountJson(after);
  AuditStore(*conn, clock_).append(entry);
  tx.commit();
  return ChangeResult{ChangeStatus::Ok, {}, account_id};
}

std::optional<Account> AccountService::account(std::int64_t id) {
  auto conn = pool_.acquire();
  auto stored = AccountStore(*conn).findById(id);
  if (!stored) return std::nullopt;
  return stored->account;
}

std::optional<Account> AccountService::accountByUsername(const std::string& username) {
  auto conn = pool_.acquire();
  auto stored =
      AccountStore(*conn).findByUsername(utf8Truncate(normalizeUsername(username), kUsernameBytes));
  if (!stored) return std::nullopt;
  return stored->account;
}

std::vector<Account> AccountService::accounts() {
  auto conn = pool_.acquire();
  return AccountStore(*conn).list();
}

std::map<std::int64_t, TimePoint> AccountService::lastLogins() {
  auto conn = pool_.acquire();
  return AuditStore::lastLogins(*conn);
}

std::int64_t AccountService::accountCount() {
  auto conn = pool_.acquire();
  return AccountStore(*conn).count();
}

LoginResult AccountService::authenticate(const std::string& raw_username,
                                         const std::string& password,
                                         const std::string& raw_remote_addr,
                                         const std::string& user_agent) {
  const std::string username = utf8Truncate(normalizeUsername(raw_username), kUsernameBytes);
  const std::string remote_addr = utf8Truncate(raw_remote_addr, kAddrBytes);
  if (username.empty() || password.empty()) {
    return refuse(LoginRefusal::BadCredentials, "请输入用户名和密码");
  }
  const TimePoint now = clock_();
  auto conn = pool_.acquire();

  // The pending row is committed before anything is counted, so concurrent attempts (on any
  // node) see each other and cannot all slip under the limit together.
  LoginAttemptStore attempts(*conn);
  const std::int64_t attempt = attempts.begin(username, remote_addr, now);
  const TimePoint since = now - options_.failure_window;
  const std::vector<TimePoint> mine =
      attempts.failuresForUsernameFrom(username, remote_addr, since, attempt);
  std::optional<TimePoint> retry_at =
      lockedUntil(mine, options_.max_failures_per_account, options_.failure_window);
  if (!retry_at && mine.size() >= 2 && options_.progressive_delay.count() > 0) {
    const auto delay = options_.progressive_delay * (1LL << std::min<std::size_t>(mine.size() - 2, 20));
    const TimePoint next = mine.back() + std::min<std::chrono::seconds>(
                                             std::chrono::duration_cast<std::chrono::seconds>(delay),
                                             options_.failure_window);
    if (next > now) retry_at = next;
  }
  if (auto by_addr = lockedUntil(attempts.failuresFromAddress(remote_addr, since, attempt),
                                 options_.max_failures_per_address, options_.failure_window)) {
    retry_at = retry_at ? std::max(*retry_at, *by_addr) : *by_addr;
  }
  if (retry_at) {
    attempts.finish(attempt, AttemptOutcome::Refused);
    const auto wait = std::chrono::ceil<std::chrono::seconds>(*retry_at - now);
    LoginResult r = refuse(
        LoginRefusal::RateLimited,
        wait < std::chrono::minutes(1)
            ? "登录失败次数较多，请等待" + std::to_string(wait.count()) + "秒后再试"
            : "登录失败次数过多，请于 " + formatBeijingMinuteCeil(*retry_at) + " 后再试");
    r.retry_at = retry_at;
    return r;
  }

  AccountStore store(*conn);
  const auto stored = store.findByUsername(username);
  // Unknown usernames cost one verification too, so timing does not tell them apart.
  const bool password_ok = hasher_.verify(stored ? stored->password_hash : dummy_hash_, password);
  if (!stored || !password_ok || !stored->account.active) {
    attempts.finish(attempt, AttemptOutcome::Failed);
    AuditEntry entry;
    entry.at = now;
    entry.account_id = stored ? std::optional(stored->account.id) : std::nullopt;
    entry.username = username;
    entry.remote_addr = remote_addr;
    entry.action = "login.failed";
    entry.department_id = stored ? stored->account.department_id : std::nullopt;
    entry.object_type = "account";
    entry.object_id = stored ? std::to_string(stored->account.id) : "";
    entry.summary = !stored        ? "登录失败：用户名不存在"
                    : !password_ok ? "登录失败：密码错误"
                                   : "登录失败：账号已停用";
    AuditStore(*conn, clock_).append(entry);
    if (stored && password_ok) {
      return refuse(LoginRefusal::Inactive, "该账号已停用，请联系系统管理员");
    }
    return refuse(LoginRefusal::BadCredentials, "用户名或密码错误");
  }

  const Account& a = stored->account;
  const std::string token = randomToken();
  NewSession s;
  s.id = tokenDigest(token);
  s.account_id = a.id;
  s.csrf_secret = randomToken();
  s.created_at = now;
  s.expires_at = now + std::min(options_.session_idle_timeout, options_.session_max_lifetime);
  s.remote_addr = remote_addr;
  s.user_agent = utf8Truncate(user_agent, kUserAgentBytes);
  // A deadlock or lock-wait timeout rolled the attempt back: the same connection runs it again.
  db::withRetry([&] {
    db::Transaction tx(*conn);
    SessionStore(*conn).insert(s);
    if (hasher_.needsRehash(stored->password_hash)) store.rehash(a.id, hasher_.hash(password));
    AuditEntry entry;
    entry.at = now;
    entry.account_id = a.id;
    entry.username = a.username;
    entry.remote_addr = remote_addr;
    entry.action = "login.success";
    entry.department_id = a.department_id;
    entry.object_type = "account";
    entry.object_id = std::to_string(a.id);
    entry.summary = "登录成功";
    AuditStore(*conn, clock_).append(entry);
    tx.commit();
  });
  attempts.finish(attempt, AttemptOutcome::Succeeded);

  LoginResult r;
  r.session_token = token;
  r.principal = Principal{a.id,          a.username,  a.display_name, a.role, a.department_id,
                          s.csrf_secret, s.expires_at};
  return r;
}

std::optional<Principal> AccountService::validate(const std::string& token) {
  if (token.size() != kTokenLength) return std::nullopt;
  const std::string id = tokenDigest(token);
  const TimePoint now = clock_();
  auto conn = pool_.acquire();
  SessionStore sessions(*conn);
  auto s = sessions.find(id);
  if (!s) return std::nullopt;
  if (now >= s->expires_at || !s->account.active) {
    sessions.remove(id);
    return std::nullopt;
  }
  TimePoint expires = s->expires_at;
  if (now - s->last_seen_at >= options_.session_touch_interval) {
    expires = std::min(now + options_.session_idle_timeout,
                       s->created_at + options_.session_max_lifetime);
    sessions.touch(id, now, expires);
  }
  const Account& a = s->account;
  return Principal{a.id,           a.username, a.display_name, a.role, a.department_id,
                   s->csrf_secret, expires};
}

void AccountService::logout(const std::string& token, const std::string& remote_addr) {
  if (token.size() != kTokenLength) return;
  const std::string id = tokenDigest(token);
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  SessionStore sessions(*conn);
  auto s = sessions.find(id);
  if (!s) return;
  sessions.remove(id);
  AuditEntry entry;
  entry.at = clock_();
  entry.account_id = s->account.id;
  entry.username = s->account.username;
  entry.remote_addr = utf8Truncate(remote_addr, kAddrBytes);
  entry.action = "logout";
  entry.department_id = s->account.department_id;
  entry.object_type = "account";
  entry.object_id = std::to_string(s->account.id);
  entry.summary = "退出登录";
  AuditStore(*conn, clock_).append(entry);
  tx.commit();
}

std::uint64_t AccountService::purgeExpired() {
  const TimePoint now = clock_();
  auto conn = pool_.acquire();
  return SessionStore(*conn).removeExpired(now) +
         LoginAttemptStore(*conn).removeOlderThan(now - options_.attempt_retention);
}

}  // namespace portal::accounts
