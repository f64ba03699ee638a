#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/connection.h"

namespace hotline {

// SQL for rate_limit_hits: fixed-window counters shared by every node. Meant for autocommit
// (no transaction): each hit must be visible to every node at once. Throws db::DbError.
class RateLimitStore {
 public:
  // The stored form of a subject: hex BLAKE2b-256 of "scope:value" (no phone numbers, keys or
  // addresses in clear). Throws HotlineError if libsodium cannot initialise.
  static std::string subject(const std::string& scope, const std::string& value);

  explicit RateLimitStore(db::Connection& conn) : conn_(conn) {}

  struct Count {
    std::int64_t hits = 0;          // in the current window, this one included
    std::int64_t seconds_left = 0;  // until the current window ends (at least 1)
  };
  struct Subject {
    std::string scope;
    std::string subject;
    int window_s = 0;
  };
  // Counts one hit on each (scope, subject) in its current window of `window_s` seconds
  // (windows aligned to database time), all in one statement, and returns the windows' counts
  // in the same order. `subject` is stored as is: pass a hash, not a phone number.
  std::vector<Count> hitAll(const std::vector<Subject>& subjects);
  // One hit on one (scope, subject): hitAll of one.
  Count hit(const std::string& scope, const std::string& subject, int window_s);
  // The current window's count without adding a hit (0 hits when there is none yet).
  Count current(const std::string& scope, const std::string& subject, int window_s);
  // Deletes up to `limit` rows whose window has ended. Returns how many went.
  std::uint64_t removeEnded(int limit);

 private:
  db::Connection& conn_;
};

}  // namespace hotline
