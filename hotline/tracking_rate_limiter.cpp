#include "hotline/tracking_rate_limiter.h"

#include <algorithm>

namespace hotline {

TrackingRateLimiter::TrackingRateLimiter(TrackingRateLimitOptions options)
    : options_(std::move(options)) {}

bool TrackingRateLimiter::blocked(const std::map<std::string, Window>& windows,
                                  const std::string& key, int limit, Clock::time_point now,
                                  Clock::time_point* until) const {
  const auto it = windows.find(key);
  if (it == windows.end()) return false;
  const Clock::time_point end = it->second.start + options_.window;
  if (now >= end || it->second.failures < limit) return false;
  if (until) *until = std::max(*until, end);
  return true;
}

bool TrackingRateLimiter::allowed(const std::string& registration_no, const std::string& address,
                                  Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  return !blocked(by_number_, registration_no, options_.max_failures_per_number, now, nullptr) &&
         !blocked(by_address_, address, options_.max_failures_per_address, now, nullptr);
}

std::chrono::seconds TrackingRateLimiter::retryAfter(const std::string& registration_no,
                                                     const std::string& address,
                                                     Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  Clock::time_point until = now;
  blocked(by_number_, registration_no, options_.max_failures_per_number, now, &until);
  blocked(by_address_, address, options_.max_failures_per_address, now, &until);
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

void TrackingRateLimiter::bump(std::map<std::string, Window>& windows, const std::string& key,
                               Clock::time_point now) {
  if (windows.size() >= options_.max_tracked_keys && windows.count(key) == 0) {
    for (auto it = windows.begin(); it != windows.end();) {
      it = now >= it->second.start + options_.window ? windows.erase(it) : std::next(it);
    }
    if (windows.size() >= options_.max_tracked_keys) {
      windows.erase(std::min_element(
          windows.begin(), windows.end(),
          [](const auto& a, const auto& b) { return a.second.start < b.second.start; }));
    }
  }
  Window& w = windows[key];
  if (w.failures == 0 || now >= w.start + options_.window) {
    w.start = now;
    w.failures = 0;
  }
  ++w.failures;
}

void TrackingRateLimiter::recordFailure(const std::string& registration_no,
                                        const std::string& address, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  bump(by_number_, registration_no, now);
  bump(by_address_, address, now);
}

}  // namespace hotline
