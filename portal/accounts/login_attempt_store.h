#pragma once

#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/accounts/clock.h"

namespace portal::accounts {

enum class AttemptOutcome { Pending, Failed, Succeeded, Refused };

// SQL for login_attempts, the shared memory of the login rate limit. Meant for autocommit
// (no transaction): a pending row must be visible to every node before the password is
// checked. Throws db::DbError on infrastructure failure.
class LoginAttemptStore {
 public:
  explicit LoginAttemptStore(db::Connection& conn) : conn_(conn) {}

  // Records a pending attempt; returns its id.
  std::int64_t begin(const std::string& username, const std::string& remote_addr, TimePoint at);
  void finish(std::int64_t id, AttemptOutcome outcome);

  // Times (oldest first) of the failed or pending attempts on `username` after `since` that
  // came before attempt `before_id` and after the last successful login of that username.
  std::vector<TimePoint> failuresForUsername(const std::string& username, TimePoint since,
                                             std::int64_t before_id);
  // The same, only those from `remote_addr`: what one client did to one account.
  std::vector<TimePoint> failuresForUsernameFrom(const std::string& username,
                                                 const std::string& remote_addr, TimePoint since,
                                                 std::int64_t before_id);
  // Times (oldest first) of the failed or pending attempts from `remote_addr` after `since`
  // that came before attempt `before_id`. A success does not reset these.
  std::vector<TimePoint> failuresFromAddress(const std::string& remote_addr, TimePoint since,
                                             std::int64_t before_id);
  // Deletes attempts older than `before`. Returns how many went.
  std::uint64_t removeOlderThan(TimePoint before);

 private:
  db::Connection& conn_;
};

}  // namespace portal::accounts
