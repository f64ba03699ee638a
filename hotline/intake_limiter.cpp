#include "hotline/intake_limiter.h"

#include <cctype>
#include <vector>

#include "hotline/hotline_error.h"
#include "hotline/rate_limit_store.h"

namespace hotline {
namespace {

std::string subjectHash(LimitScope scope, const std::string& value) {
  return RateLimitStore::subject(std::string(limitScopeCode(scope)), value);
}

}  // namespace

std::string_view limitScopeCode(LimitScope scope) {
  switch (scope) {
    case LimitScope::Address:
      return "address";
    case LimitScope::Phone:
      return "phone";
    case LimitScope::ApiKey:
      return "api_key";
  }
  return "address";
}

std::string clientNetwork(const std::string& address) {
  std::string a;
  for (const char c : address) a += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (a.find(':') == std::string::npos) return a;
  if (a.rfind("::ffff:", 0) == 0 && a.find('.') != std::string::npos) return a.substr(7);
  // Expand "::" into the missing zero groups, then keep the first four.
  const auto split = [](const std::string& part) {
    std::vector<std::string> groups;
    std::string group;
    for (const char c : part) {
      if (c == ':') {
        groups.push_back(group);
        group.clear();
      } else {
        group += c;
      }
    }
    if (!part.empty()) groups.push_back(group);
    return groups;
  };
  const auto gap = a.find("::");
  std::vector<std::string> groups = split(gap == std::string::npos ? a : a.substr(0, gap));
  if (gap != std::string::npos) {
    const std::vector<std::string> tail = split(a.substr(gap + 2));
    while (groups.size() + tail.size() < 8) groups.push_back("0");
    groups.insert(groups.end(), tail.begin(), tail.end());
  }
  std::string out;
  for (std::size_t i = 0; i < 4; ++i) {
    std::string g = i < groups.size() ? groups[i] : "0";
    const auto nz = g.find_first_not_of('0');
    g = nz == std::string::npos ? "0" : g.substr(nz);
    out += g + ":";
  }
  return out + ":/64";
}

std::optional<LimitRefusal> IntakeLimiter::check(db::Connection& conn,
                                                 const IntakeSubjects& subjects) {
  RateLimitStore store(conn);
  // Ended windows go now and then, by whichever node is counting.
  if (++checks_ % 64 == 0) store.removeEnded(1000);
  struct Scope {
    LimitScope scope;
    const std::string value;
    int limit;
    int window_s;
  };
  const Scope scopes[] = {
      {LimitScope::Address, subjects.address.empty() ? "" : clientNetwork(subjects.address),
       options_.per_address, options_.address_window_s},
      {LimitScope::Phone, subjects.phone, options_.per_phone, options_.phone_window_s},
      {LimitScope::ApiKey, subjects.api_key, options_.per_api_key, options_.api_key_window_s},
  };
  // Every applicable limit counted in one statement: intake pays one round trip for them.
  std::vector<const Scope*> counted;
  std::vector<RateLimitStore::Subject> counters;
  for (const Scope& s : scopes) {
    if (s.value.empty() || s.limit <= 0 || s.window_s <= 0) continue;
    counted.push_back(&s);
    counters.push_back(
        {std::string(limitScopeCode(s.scope)), subjectHash(s.scope, s.value), s.window_s});
  }
  const std::vector<RateLimitStore::Count> counts = store.hitAll(counters);
  for (std::size_t i = 0; i < counted.size(); ++i) {
    if (counts[i].hits > counted[i]->limit) {
      ++refusals_[static_cast<std::size_t>(counted[i]->scope)];
      return LimitRefusal{counted[i]->scope, counts[i].seconds_left};
    }
  }
  return std::nullopt;
}

}  // namespace hotline
