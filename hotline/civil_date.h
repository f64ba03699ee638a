#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

// ISO numbering: Monday = 1 ... Sunday = 7.
enum class Weekday { Monday = 1, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

// "周一" ... "周日".
std::string_view weekdayName(Weekday weekday);

// A day in the proleptic Gregorian calendar, with no time of day and no time zone: the date a
// complaint was received or a deadline falls on, as printed on the notice. An immutable value;
// safe to share between threads. Arithmetic goes through a day count (days since 1970-01-01,
// Howard Hinnant's days_from_civil), so it never touches the C library's local-time state.
class CivilDate {
 public:
  // 1970-01-01.
  CivilDate() = default;

  // std::nullopt unless the triple names a real day (month 1-12, day within the month, leap
  // years honoured, year 1-9999).
  static std::optional<CivilDate> fromYmd(int year, int month, int day);

  // Exactly "YYYY-MM-DD" with a valid date; anything else (other separators, missing zero
  // padding, surrounding spaces, 2025-02-29) is std::nullopt.
  static std::optional<CivilDate> parse(std::string_view text);

  // Inverse of daysSinceEpoch(). Precondition: the result lies in years 1-9999.
  static CivilDate fromDaysSinceEpoch(std::int64_t days);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }

  // Days since 1970-01-01 (negative before it).
  std::int64_t daysSinceEpoch() const;
  Weekday weekday() const;
  bool isWeekend() const;
  CivilDate addDays(std::int64_t days) const;

  // "YYYY-MM-DD".
  std::string toString() const;

  friend bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.year_ == b.year_ && a.month_ == b.month_ && a.day_ == b.day_;
  }
  friend bool operator!=(const CivilDate& a, const CivilDate& b) { return !(a == b); }
  friend bool operator<(const CivilDate& a, const CivilDate& b) {
    if (a.year_ != b.year_) return a.year_ < b.year_;
    if (a.month_ != b.month_) return a.month_ < b.month_;
    return a.day_ < b.day_;
  }
  friend bool operator>(const CivilDate& a, const CivilDate& b) { return b < a; }
  friend bool operator<=(const CivilDate& a, const CivilDate& b) { return !(b < a); }
  friend bool operator>=(const CivilDate& a, const CivilDate& b) { return !(a < b); }

 private:
  CivilDate(int year, int month, int day) : year_(year), month_(month), day_(day) {}

  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

// Days from `from` to `to`; negative when `to` is earlier.
std::int64_t daysBetween(const CivilDate& from, const CivilDate& to);

std::ostream& operator<<(std::ostream& out, const CivilDate& date);

}  // namespace hotline
