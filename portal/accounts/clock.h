#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace portal::accounts {

using TimePoint = std::chrono::system_clock::time_point;

// Where the accounts services read the time. Tests inject a settable clock, so no test sleeps.
// Must be callable from several threads at once.
using Clock = std::function<TimePoint()>;
Clock systemClock();

// UTC as DATETIME(6) text: "2025-03-01 06:05:09.123456" (microseconds, truncated). The
// accounts tables hold Beijing time instead: sql_time.h.
std::string toSqlUtc(TimePoint t);
// Parses what toSqlUtc writes (the fraction may be absent). Throws std::invalid_argument.
TimePoint fromSqlUtc(const std::string& s);

// For people: Beijing time (UTC+8, no daylight saving), "2025-03-01 14:05" or with ":09".
std::string formatBeijing(TimePoint t, bool with_seconds = false);
// "14:05" in Beijing time, rounded up to the next whole minute (for "retry after").
std::string formatBeijingMinuteCeil(TimePoint t);
// Midnight, Beijing time, at the start of the day "YYYY-MM-DD"; nullopt unless a valid date.
// For date filters typed by people: [beijingDayStart(from), beijingDayStart(to) + 24h).
std::optional<TimePoint> beijingDayStart(const std::string& date);

}  // namespace portal::accounts
