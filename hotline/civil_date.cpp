#include "hotline/civil_date.h"

#include <array>
#include <cstdio>
#include <ostream>

namespace hotline {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

constexpr bool isLeapYear(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int daysInMonth(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Hinnant's days_from_civil: shifts the year to start on 1 March so the leap day is last, then
// counts whole 400-year eras (146097 days each) plus the day within the era.
constexpr std::int64_t daysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  std::int64_t year;
  int month;
  int day;
};

constexpr Ymd civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);
static_assert(civilFromDays(11016).month == 2 && civilFromDays(11016).day == 29);

bool parseDigits(std::string_view text, int& out) {
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string_view weekdayName(Weekday weekday) {
  switch (weekday) {
    case Weekday::Monday: return "周一";
    case Weekday::Tuesday: return "周二";
    case Weekday::Wednesday: return "周三";
    case Weekday::Thursday: return "周四";
    case Weekday::Friday: return "周五";
    case Weekday::Saturday: return "周六";
    case Weekday::Sunday: return "周日";
  }
  return "";
}

std::optional<CivilDate> CivilDate::fromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > daysInMonth(year, month)) return std::nullopt;
  return CivilDate(year, month, day);
}

std::optional<CivilDate> CivilDate::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!parseDigits(text.substr(0, 4), year) || !parseDigits(text.substr(5, 2), month) ||
      !parseDigits(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  return fromYmd(year, month, day);
}

CivilDate CivilDate::fromDaysSinceEpoch(std::int64_t days) {
  const Ymd ymd = civilFromDays(days);
  return CivilDate(static_cast<int>(ymd.year), ymd.month, ymd.day);
}

std::int64_t CivilDate::daysSinceEpoch() const { return daysFromCivil(year_, month_, day_); }

Weekday CivilDate::weekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  const std::int64_t days = daysSinceEpoch();
  const std::int64_t iso = ((days + 3) % 7 + 7) % 7 + 1;
  return static_cast<Weekday>(iso);
}

bool CivilDate::isWeekend() const {
  const Weekday w = weekday();
  return w == Weekday::Saturday || w == Weekday::Sunday;
}

CivilDate CivilDate::addDays(std::int64_t days) const {
  return fromDaysSinceEpoch(daysSinceEpoch() + days);
}

std::string CivilDate::toString() const {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year_, month_, day_);
  return buffer;
}

std::int64_t daysBetween(const CivilDate& from, const CivilDate& to) {
  return to.daysSinceEpoch() - from.daysSinceEpoch();
}

std::ostream& operator<<(std::ostream& out, const CivilDate& date) {
  return out << date.toString();
}

}  // namespace hotline
