#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace db {
class Pool;
}

namespace hotline {

struct TrackingRateLimitOptions {
  // Failed lookups (wrong code or unknown number) allowed per registration number and per
  // client address (an IPv6 client by its /64) within one window; further lookups are refused
  // until the window ends.
  int max_failures_per_number = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds window{15 * 60};

  // REQUIRES: both maxima >= 1, window >= 1 s. Returns "" when those hold, else one line per
  // breach naming its configuration key (hotline.tracking_failures_per_*).
  std::string validate() const {
    std::string errors;
    if (max_failures_per_number < 1 || max_failures_per_address < 1) {
      errors += "hotline.tracking_failures_per_* must be at least 1\n";
    }
    if (window.count() < 1) errors += "tracking window must be at least 1 s\n";
    return errors;
  }
};

// Limits tracking-code guessing, for every node at once: the failures are counted in MariaDB
// (rate_limit_hits, the fixed windows that the intake limits use, on the database's clock),
// so N nodes give an attacker the budget of one. Thread safe (each call borrows a pooled
// connection). Throws db::DbError when the database cannot be reached.
//
// The HTTP layer calls it around ComplaintService::track():
//   if (auto wait = limiter.refusal(number, address)) -> 429 with Retry-After: *wait
//   auto view = service.track(number, code);
//   if (!view) limiter.recordFailure(number, address);  -> 404, same as an unknown number
class TrackingRateLimiter {
 public:
  TrackingRateLimiter(db::Pool& pool, TrackingRateLimitOptions options = {});

  // How long until a lookup of `registration_no` from `address` may be tried again; nothing
  // when it may be tried now.
  std::optional<std::chrono::seconds> refusal(const std::string& registration_no,
                                              const std::string& address);
  void recordFailure(const std::string& registration_no, const std::string& address);

 private:
  db::Pool& pool_;
  TrackingRateLimitOptions options_;
};

}  // namespace hotline
