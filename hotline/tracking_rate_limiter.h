#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace db {
class Pool;
}

namespace hotline {

struct TrackingRateLimitOptions {
  // Failed lookups (wrong code or unknown number) allowed within one window: per registration
  // number from one client address (an IPv6 client by its /64), per client address over all
  // numbers, and per registration number from all addresses together; further lookups are
  // refused until the window ends. The per-number limit counts one client's guesses only:
  // registration numbers are public (Open311 lists them), so a limit over every address let
  // anyone shut a complainant out of their own tracking page with five wrong codes. The total
  // is for a guesser spread over many addresses (at 200 per 15 minutes, 19,200 guesses a day
  // against a 40-bit code); reaching it takes ten addresses' worth of failures.
  int max_failures_per_number = 5;
  int max_failures_per_address = 20;
  int max_failures_per_number_total = 200;
  std::chrono::seconds window{15 * 60};

  // REQUIRES: every maximum >= 1, window >= 1 s. Returns "" when those hold, else one line per
  // breach naming its configuration key (hotline.tracking_failures_per_*).
  std::string validate() const {
    std::string errors;
    if (max_failures_per_number < 1 || max_failures_per_address < 1 || max_failures_per_number_total < 1) {
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
