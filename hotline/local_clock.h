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

// Turns the system clock into local civil time at a fixed UTC offset (China has no daylight
// saving). The source of "now" can be replaced for tests. Copyable; thread safe when the
// source is.
class LocalClock {
 public:
  using Source = std::function<std::chrono::system_clock::time_point()>;

  explicit LocalClock(int utc_offset_minutes = 480, Source source = {});

  LocalTime now() const;
  static LocalTime toLocal(std::chrono::system_clock::time_point tp, int utc_offset_minutes);

 private:
  int utc_offset_minutes_;
  Source source_;
};

}  // namespace hotline
