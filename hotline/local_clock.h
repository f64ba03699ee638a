#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "hotline/civil_date.h"

namespace hotline {

// A moment in the district's local time.
struct LocalTime {
  CivilDate date;
  std::string text;  // "YYYY-MM-DD HH:MM:SS"
};

// The portal's one time convention: Beijing time, UTC+8, no daylight saving. Dates people see
// and DATETIME columns written with NOW()/CURRENT_TIMESTAMP are Beijing time (db/connection.cpp
// sets the same +08:00 as every MariaDB session's time zone); README "Time" lists the columns
// that hold UTC instead.
inline constexpr int kBeijingUtcOffsetMinutes = 480;

// Turns the system clock into local civil time at a fixed UTC offset (China has no daylight
// saving). The source of "now" can be replaced for tests. App builds one and hands it to every
// service and to the handlers (web::Context::clock): nothing else reads the time of day.
// Copyable; thread safe when the source is.
class LocalClock {
 public:
  using Source = std::function<std::chrono::system_clock::time_point()>;

  explicit LocalClock(int utc_offset_minutes = kBeijingUtcOffsetMinutes, Source source = {});
  // Beijing time from `source`.
  explicit LocalClock(Source source);

  LocalTime now() const;
  // The same moment as now(), as an instant (for UTC columns and durations).
  std::chrono::system_clock::time_point instant() const;
  // instant() as a function (a copy of this clock): what portal::accounts::Clock expects.
  Source instantSource() const;
  static LocalTime toLocal(std::chrono::system_clock::time_point tp, int utc_offset_minutes);

 private:
  int utc_offset_minutes_;
  Source source_;
};

}  // namespace hotline
