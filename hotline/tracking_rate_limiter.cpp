#include "hotline/tracking_rate_limiter.h"

#include <algorithm>
#include <vector>

#include "db/pool.h"
#include "db/retry.h"
#include "hotline/intake_limiter.h"
#include "hotline/rate_limit_store.h"

namespace hotline {
namespace {
constexpr const char* kByNumber = "track_number";  // from every address
constexpr const char* kByNumberFromClient = "track_num_addr";  // scope: VARCHAR(16)
constexpr const char* kByAddress = "track_address";

std::string numberFromClient(const std::string& registration_no, const std::string& address) {
  return RateLimitStore::subject(kByNumberFromClient, registration_no + " " + clientNetwork(address));
}
}  // namespace

TrackingRateLimiter::TrackingRateLimiter(db::Pool& pool, TrackingRateLimitOptions options)
    : pool_(pool), options_(options) {}

std::optional<std::chrono::seconds> TrackingRateLimiter::refusal(const std::string& registration_no,
                                                                 const std::string& address) {
  const int window = static_cast<int>(options_.window.count());
  auto conn = pool_.acquire();
  RateLimitStore store(*conn);
  std::int64_t wait = 0;
  const auto from_client =
      store.current(kByNumberFromClient, numberFromClient(registration_no, address), window);
  if (from_client.hits >= options_.max_failures_per_number) wait = from_client.seconds_left;
  const auto number =
      store.current(kByNumber, RateLimitStore::subject(kByNumber, registration_no), window);
  if (number.hits >= options_.max_failures_per_number_total) wait = std::max(wait, number.seconds_left);
  const auto by_address = store.current(
      kByAddress, RateLimitStore::subject(kByAddress, clientNetwork(address)), window);
  if (by_address.hits >= options_.max_failures_per_address) {
    wait = std::max(wait, by_address.seconds_left);
  }
  if (wait == 0) return std::nullopt;
  return std::chrono::seconds(wait);
}

void TrackingRateLimiter::recordFailure(const std::string& registration_no,
                                        const std::string& address) {
  const int window = static_cast<int>(options_.window.count());
  const std::vector<RateLimitStore::Subject> counters{
      {kByNumberFromClient, numberFromClient(registration_no, address), window},
      {kByNumber, RateLimitStore::subject(kByNumber, registration_no), window},
      {kByAddress, RateLimitStore::subject(kByAddress, clientNetwork(address)), window}};
  // A counter: a retried deadlock adds the hits once (the failed attempt was rolled back).
  db::withRetry([&] {
    auto conn = pool_.acquire();
    RateLimitStore(*conn).hitAll(counters);  // one statement for the three
  });
}

}  // namespace hotline
