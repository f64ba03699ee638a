#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.h"

namespace hotline {

// Limits on anonymous complaint intake, per scope: so many submissions per window. Counted in
// MariaDB (rate_limit_hits), so every node shares them. A limit of 0 switches the scope off.
// Staff entries (phone intake, other sources) are not limited.
struct IntakeLimitOptions {
  int per_address = 10;  // complaints per client address (IPv6: per /64) per window
  int address_window_s = 3600;
  int per_phone = 5;  // complaints giving the same complainant phone per window
  int phone_window_s = 86400;
  int per_api_key = 600;  // Open311 submissions per key per window
  int api_key_window_s = 3600;

  // REQUIRES: no limit negative (0: none); every window >= 1 s. Returns "" when those hold,
  // else one line per breach naming its configuration key (hotline.intake_*).
  std::string validate() const;
};

enum class LimitScope { Address, Phone, ApiKey };
inline constexpr std::array<LimitScope, 3> kLimitScopes = {LimitScope::Address, LimitScope::Phone,
                                                           LimitScope::ApiKey};
std::string_view limitScopeCode(LimitScope scope);  // "address", "phone", "api_key"

// Why a submission was refused, and when the client may try again.
struct LimitRefusal {
  LimitScope scope = LimitScope::Address;
  std::int64_t retry_after_s = 1;
};

// What one submission is counted against; empty values are not counted.
struct IntakeSubjects {
  std::string address;  // the client's address as the edge saw it
  std::string phone;    // normalised (hotline::normalizePhone)
  std::string api_key;  // the Open311 key
};

// Checks and counts one submission against every configured scope. Thread safe; the counters
// of refusals (for /metrics) are this node's since start.
class IntakeLimiter {
 public:
  explicit IntakeLimiter(IntakeLimitOptions options) : options_(options) {}

  // Counts a hit in each scope the submission has and returns the first scope over its limit
  // (nothing is written for the submission then). Runs on `conn` in autocommit, before the
  // intake transaction. Throws db::DbError.
  std::optional<LimitRefusal> check(db::Connection& conn, const IntakeSubjects& subjects);

  std::int64_t refusals(LimitScope scope) const {
    return refusals_[static_cast<std::size_t>(scope)].load();
  }
  const IntakeLimitOptions& options() const { return options_; }

 private:
  IntakeLimitOptions options_;
  std::array<std::atomic<std::int64_t>, 3> refusals_{};
  std::atomic<std::uint64_t> checks_{0};
};

// The part of an address that identifies one client: IPv4 as is, IPv6 cut to its /64 (one
// customer's whole network), lower case.
std::string clientNetwork(const std::string& address);

}  // namespace hotline
