#include "hotline/local_clock.h"

#include <cstdio>
#include <utility>

namespace hotline {

LocalClock::LocalClock(int utc_offset_minutes, Source source)
    : utc_offset_minutes_(utc_offset_minutes), source_(std::move(source)) {}

LocalClock::LocalClock(Source source)
    : LocalClock(kBeijingUtcOffsetMinutes, std::move(source)) {}

std::chrono::system_clock::time_point LocalClock::instant() const {
  return source_ ? source_() : std::chrono::system_clock::now();
}

LocalClock::Source LocalClock::instantSource() const {
  return [clock = *this] { return clock.instant(); };
}

LocalTime LocalClock::now() const { return toLocal(instant(), utc_offset_minutes_); }

LocalTime LocalClock::toLocal(std::chrono::system_clock::time_point tp, int utc_offset_minutes) {
  using namespace std::chrono;
  const std::int64_t seconds = duration_cast<std::chrono::seconds>(tp.time_since_epoch()).count() +
                               static_cast<std::int64_t>(utc_offset_minutes) * 60;
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  LocalTime t;
  t.date = CivilDate::fromDaysSinceEpoch(days);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  t.text = t.date.toString() + " " + buffer;
  return t;
}

}  // namespace hotline
