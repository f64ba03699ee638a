#pragma once

#include <chrono>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/account.h"
#include "portal/accounts/clock.h"
#include "portal/accounts/password_hasher.h"

namespace portal::accounts {

// Settings of accounts, sessions and the login rate limit, each with its default.
struct AccountOptions {
  HashCost hash_cost = HashCost::Interactive;  // Minimum only in tests
  // A session ends after this long without a request ...
  std::chrono::seconds session_idle_timeout{30 * 60};
  // ... and at the latest this long after login, however busy.
  std::chrono::seconds session_max_lifetime{12 * 3600};
  // last_seen_at is written at most this often per session (saves a write per request).
  std::chrono::seconds session_touch_interval{60};
  // Failed logins counted over `failure_window`: at most this many per username from one
  // client address (reset by a successful login from there), and per client address over all
  // usernames (not reset); further attempts are refused until the oldest counted failure
  // leaves the window. Counting an account's failures per address means an outsider who
  // knows a username locks only their own address out of it, never its owner.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
  // Progressive delay before the lock: after the n-th failure (n >= 2) on one account from one
  // address, the next attempt from there waits progressive_delay * 2^(n-2).
  std::chrono::seconds progressive_delay{1};
  // purgeExpired() deletes login attempts older than this.
  std::chrono::seconds attempt_retention{30 * 24 * 3600};
};

// The outcome of an account change.
enum class ChangeStatus {
  Ok,
  Invalid,    // `errors` says what, field by field: re-render the form with 422
  Forbidden,  // the actor may not do this: 403 (errors[0] says why)
  NotFound,   // no such account: 404
};
struct ChangeResult {
  ChangeStatus status = ChangeStatus::Ok;
  std::vector<FieldError> errors;
  std::int64_t account_id = 0;  // the account changed or created
  bool ok() const { return status == ChangeStatus::Ok; }
};

enum class LoginRefusal {
  None,
  BadCredentials,  // unknown username or wrong password (never says which)
  Inactive,        // right password, deactivated account
  RateLimited,     // too many failures; `retry_at` says until when
};
struct LoginResult {
  LoginRefusal refusal = LoginRefusal::None;
  std::string message;  // Chinese, safe to show; empty on success
  std::optional<TimePoint> retry_at;
  // On success: the cookie value (shown to the client once, stored nowhere) and who it is.
  std::string session_token;
  std::optional<Principal> principal;
  bool ok() const { return refusal == LoginRefusal::None; }
};

// Accounts, login, sessions. Thread safe: holds no mutable state; each call borrows its own
// connection from the pool. Every change (and each login and logout) appends an audit row in
// the same transaction. Throws db::DbError on infrastructure failure and std::runtime_error
// if hashing runs out of memory; people's mistakes come back as values.
class AccountService {
 public:
  // Hashes one dummy password at construction (for constant-ish work on unknown usernames).
  AccountService(db::Pool& pool, AccountOptions options = {}, Clock clock = systemClock());

  // Admin (or the console) only. Validates every field; an editor needs an existing
  // department. On success account_id is the new account's id.
  ChangeResult createAccount(const Actor& actor, const NewAccount& account);
  // Admin (or the console) only. Applies the password policy and ends the account's sessions.
  ChangeResult resetPassword(const Actor& actor, std::int64_t account_id,
                             const std::string& new_password);
  // Admin (or the console) only; an admin cannot deactivate themselves. Deactivating ends the
  // account's sessions.
  ChangeResult setActive(const Actor& actor, std::int64_t account_id, bool active);

  std::optional<Account> account(std::int64_t id);
  std::optional<Account> accountByUsername(const std::string& username);
  std::vector<Account> accounts();  // active first, by username
  // Each account's last successful login, from the audit log; never signed in: absent.
  std::map<std::int64_t, TimePoint> lastLogins();
  std::int64_t accountCount();      // 0: portalctl should create the first administrator

  // Checks the rate limit (before looking the username up, so a refusal says nothing about
  // whether it exists), then the password, and opens a session. `remote_addr` is the client's
  // address as the proxy saw it, `user_agent` is only recorded.
  LoginResult authenticate(const std::string& username, const std::string& password,
                           const std::string& remote_addr, const std::string& user_agent = "");
  // The principal behind a session cookie, or nullopt when the token is unknown, expired, or
  // its account deactivated (expired sessions are deleted). Slides the idle expiry.
  std::optional<Principal> validate(const std::string& token);
  // Ends the session (no-op for an unknown token) and audits the logout.
  void logout(const std::string& token, const std::string& remote_addr);
  // Housekeeping for a periodic job on any node: deletes expired sessions and old login
  // attempts. Returns the number of rows deleted.
  std::uint64_t purgeExpired();

  const AccountOptions& options() const { return options_; }

 private:
  std::optional<FieldError> forbiddenUnlessAdmin(const Actor& actor) const;

  db::Pool& pool_;
  AccountOptions options_;
  Clock clock_;
  PasswordHasher hasher_;
  std::string dummy_hash_;
};

}  // namespace portal::accounts
