#include "portal/accounts/clock.h"

#include <cstdio>
#include <stdexcept>

#include "portal/accounts/sql_time.h"

namespace portal::accounts {

namespace {

using std::chrono::duration_cast;
using Micros = std::chrono::microseconds;
constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kBeijingOffsetSeconds = 8 * 3600;

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, days since 1970-01-01).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
  std::int64_t micros;
};

Civil civilFromMicros(std::int64_t us) {
  std::int64_t secs = us / kMicrosPerSecond;
  std::int64_t frac = us % kMicrosPerSecond;
  if (frac < 0) {
    frac += kMicrosPerSecond;
    --secs;
  }
  std::int64_t days = secs / kSecondsPerDay;
  std::int64_t sod = secs % kSecondsPerDay;
  if (sod < 0) {
    sod += kSecondsPerDay;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  Civil c{};
  c.year = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  c.month = m;
  c.day = d;
  c.hour = static_cast<unsigned>(sod / 3600);
  c.minute = static_cast<unsigned>(sod % 3600 / 60);
  c.second = static_cast<unsigned>(sod % 60);
  c.micros = frac;
  return c;
}

std::int64_t micros(TimePoint t) { return duration_cast<Micros>(t.time_since_epoch()).count(); }

TimePoint fromMicros(std::int64_t us) {
  return TimePoint(duration_cast<TimePoint::duration>(Micros(us)));
}

bool validDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

Clock systemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::string toSqlUtc(TimePoint t) {
  const Civil c = civilFromMicros(micros(t));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u:%02u.%06lld",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second,
                static_cast<long long>(c.micros));
  return buf;
}

TimePoint fromSqlUtc(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &consumed) !=
          6 ||
      !validDate(y, mo, d) || h > 23 || mi > 59 || se > 59) {
    throw std::invalid_argument("not a DATETIME: " + s);
  }
  std::int64_t frac = 0;
  if (static_cast<std::size_t>(consumed) < s.size() && s[consumed] == '.') {
    std::int64_t scale = 100000;
    for (std::size_t i = consumed + 1; i < s.size() && scale > 0; ++i, scale /= 10) {
      if (s[i] < '0' || s[i] > '9') throw std::invalid_argument("not a DATETIME: " + s);
      frac += (s[i] - '0') * scale;
    }
  }
  const std::int64_t secs =
      daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kSecondsPerDay +
      h * 3600 + mi * 60 + se;
  return fromMicros(secs * kMicrosPerSecond + frac);
}

std::string toSqlBeijing(TimePoint t) {
  return toSqlUtc(t + std::chrono::seconds(kBeijingOffsetSeconds));
}

TimePoint fromSqlBeijing(const std::string& s) {
  return fromSqlUtc(s) - std::chrono::seconds(kBeijingOffsetSeconds);
}

std::string formatBeijing(TimePoint t, bool with_seconds) {
  const Civil c = civilFromMicros(micros(t) + kBeijingOffsetSeconds * kMicrosPerSecond);
  char buf[40];
  if (with_seconds) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u:%02u",
                  static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u", static_cast<long long>(c.year),
                  c.month, c.day, c.hour, c.minute);
  }
  return buf;
}

std::string formatBeijingMinuteCeil(TimePoint t) {
  constexpr std::int64_t kMinute = 60 * kMicrosPerSecond;
  std::int64_t us = micros(t) + kBeijingOffsetSeconds * kMicrosPerSecond;
  us = (us + kMinute - 1) / kMinute * kMinute;
  const Civil c = civilFromMicros(us);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u:%02u", c.hour, c.minute);
  return buf;
}

std::optional<TimePoint> beijingDayStart(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (date[i] < '0' || date[i] > '9') return std::nullopt;
  }
  const int y = std::stoi(date.substr(0, 4));
  const int m = std::stoi(date.substr(5, 2));
  const int d = std::stoi(date.substr(8, 2));
  if (!validDate(y, m, d)) return std::nullopt;
  const std::int64_t secs =
      daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * kSecondsPerDay -
      kBeijingOffsetSeconds;
  return fromMicros(secs * kMicrosPerSecond);
}

}  // namespace portal::accounts
