#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace hotline {

struct TrackingRateLimitOptions {
  // Failed lookups (wrong code or unknown number) allowed per registration number and per
  // client address within one window; the next lookup is refused until the window ends.
  int max_failures_per_number = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds window{15 * 60};
  // Memory bound: when this many keys are tracked, expired ones are dropped, and if none have
  // expired the oldest window is dropped.
  std::size_t max_tracked_keys = 100000;
};

// Limits tracking-code guessing. In memory and per node: with N nodes an attacker gets N times
// the budget, which is still far below what 31^8 codes need. Thread safe.
//
// The HTTP layer calls it around ComplaintService::track():
//   if (!limiter.allowed(number, address, now)) -> 429 with Retry-After
//   auto view = service.track(number, code);
//   if (!view) limiter.recordFailure(number, address, now);  -> 404, same as an unknown number
class TrackingRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TrackingRateLimiter(TrackingRateLimitOptions options = {});

  bool allowed(const std::string& registration_no, const std::string& address,
               Clock::time_point now) const;
  void recordFailure(const std::string& registration_no, const std::string& address,
                     Clock::time_point now);
  // Seconds until `allowed` turns true again; 0 when it already is.
  std::chrono::seconds retryAfter(const std::string& registration_no, const std::string& address,
                                  Clock::time_point now) const;

 private:
  struct Window {
    Clock::time_point start;
    int failures = 0;
  };
  bool blocked(const std::map<std::string, Window>& windows, const std::string& key, int limit,
               Clock::time_point now, Clock::time_point* until) const;
  void bump(std::map<std::string, Window>& windows, const std::string& key, Clock::time_point now);

  TrackingRateLimitOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Window> by_number_;
  std::map<std::string, Window> by_address_;
};

}  // namespace hotline
