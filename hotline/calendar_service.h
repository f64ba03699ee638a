#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "db/pool.h"
#include "hotline/local_clock.h"
#include "hotline/working_calendar.h"

namespace hotline {

enum class CalendarLoadMode {
  // Every year in the file replaces what the database has for that year (a corrected notice,
  // `portalctl calendar load FILE`).
  ReplaceYears,
  // Years the database already has are left alone (start-up loading of the shipped file, so a
  // notice loaded later by hand is never overwritten by an older copy).
  OnlyMissingYears,
};

struct CalendarLoadResult {
  // Non-empty: the file was refused and nothing was written. Each names its line (1-based).
  std::vector<CalendarParseError> errors;
  std::vector<int> years_loaded;   // written, ascending
  std::vector<int> years_skipped;  // already present (OnlyMissingYears), ascending
  std::size_t days_written = 0;
  // Complaints whose provisional deadlines were recomputed in the same transaction.
  std::size_t complaints_recomputed = 0;

  bool ok() const { return errors.empty(); }
};

// The working-day calendar kept in MariaDB (calendar_days). Thread safe: the calendar is an
// immutable WorkingCalendar behind a shared_ptr that is swapped when a notice is loaded.
// Other nodes see a newly loaded notice after reload(). Throws db::DbError on infrastructure
// failure.
class CalendarService {
 public:
  // `clock` stamps the deadline_recomputed events (Beijing time by default).
  explicit CalendarService(db::Pool& pool, LocalClock clock = LocalClock())
      : pool_(pool), clock_(std::move(clock)) {}

  // Parses a notice (parseCalendarTsv's format) and, if it is valid, writes it in one
  // transaction together with the recomputed deadlines of every complaint whose deadline was
  // provisional (each recomputation leaves an internal deadline_recomputed event).
  // All or nothing: a bad line, or a database failure midway, leaves the database unchanged.
  CalendarLoadResult loadTsv(std::string_view text,
                             CalendarLoadMode mode = CalendarLoadMode::ReplaceYears);

  // Re-reads the calendar and recomputes every provisional deadline that it now settles, in
  // one transaction; returns how many complaints changed. loadTsv() does this itself; call it
  // at start-up and after reload() on other nodes, to settle an intake that raced a load.
  std::size_t recomputeProvisionalDeadlines();

  // The calendar as last read from the database (read on first use).
  std::shared_ptr<const WorkingCalendar> calendar();
  // Re-reads calendar_days (another node loaded a notice).
  void reload();
  // Counts the calendars this node has read: it moves whenever calendar() may answer
  // differently (caches of pages showing deadlines key on it). Never blocks.
  std::uint64_t generation() const { return generation_.load(); }

 private:
  std::size_t recompute(db::Connection& conn, const WorkingCalendar& calendar);

  db::Pool& pool_;
  LocalClock clock_;
  std::mutex mu_;
  std::shared_ptr<const WorkingCalendar> calendar_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace hotline
