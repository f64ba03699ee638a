#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/civil_date.h"

namespace hotline {

// What a State Council holiday notice says about one date.
enum class DayKind {
  Holiday,         // a day off, weekday or not ("holiday" in the TSV)
  MakeupWorkday,   // a Saturday or Sunday worked in exchange (调休上班, "workday" in the TSV)
};

// One line of a holiday notice.
struct CalendarEntry {
  CivilDate date;
  DayKind kind = DayKind::Holiday;
  std::string name;    // 国庆节、中秋节 / 国庆节调休上班; shown to people as the reason
  std::string notice;  // the notice it comes from (document number, title, date)
};

// A problem in a calendar file, for the person who loads it. `message` is Chinese and does not
// repeat the line number; `toString()` prefixes it ("第5行：...").
struct CalendarParseError {
  int line = 0;  // 1-based line in the text; 0 when it concerns the file as a whole
  std::string message;

  std::string toString() const;
};

struct CalendarParseResult {
  std::vector<CalendarEntry> entries;  // in file order; empty whenever `errors` is not
  std::vector<CalendarParseError> errors;

  bool ok() const { return errors.empty(); }
};

// Parses the shipped calendar format (data/cn-workday-calendar.tsv): UTF-8, tab-separated, lines
// starting with '#' and blank lines ignored, first other line the header
// "date\tkind\tname\tnotice", then one date per line with kind "holiday" or "workday" and a
// non-empty name and notice. A "workday" must fall on a Saturday or Sunday, and a date may appear
// only once. CRLF line ends and a leading BOM are accepted.
// Never throws on bad input: every problem found is reported, and then no entry is returned,
// because a half-loaded notice would give wrong deadlines.
CalendarParseResult parseCalendarTsv(std::string_view text);

// Why a day is or is not a working day.
enum class DayCategory {
  Workday,        // Monday-Friday not listed as a holiday
  Weekend,        // Saturday or Sunday not listed as a make-up workday
  Holiday,        // listed as a holiday
  MakeupWorkday,  // weekend day listed as a make-up workday
};

struct DayInfo {
  CivilDate date;
  DayCategory category = DayCategory::Workday;
  bool working = true;
  // Short Chinese reason: 工作日, 周六, 周日, the holiday's name (国庆节、中秋节), or the make-up
  // workday's name (国庆节调休上班).
  std::string reason;
  // False when no notice for date.year() is loaded: the answer then follows weekends only and
  // may change once the notice is loaded.
  bool year_loaded = false;
};

// The working-day calendar: Saturdays and Sundays are off unless a notice makes them a make-up
// workday; listed holidays are off; every other day is a working day. A year counts as loaded
// when at least one entry falls in it (every notice lists 元旦 and 春节, so a real notice always
// has entries). In a year whose notice is not loaded, the statutory days off of
// 《全国年节及纪念日放假办法》 (statutoryHolidays(): 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节,
// 国庆节, lunar dates computed) are off as well, so a provisional deadline never lands on a
// public holiday; only that year's bridging days and make-up workdays remain unknown.
// Immutable after construction, so const calls are safe from any number of threads. To load a
// new year's notice, build a new calendar from the old and new entries and swap it in.
class WorkingCalendar {
 public:
  WorkingCalendar() = default;
  // Precondition: dates are unique (parseCalendarTsv guarantees it within one file); when a date
  // repeats, the last entry wins.
  explicit WorkingCalendar(std::vector<CalendarEntry> entries);

  bool isWorkingDay(const CivilDate& date) const;
  DayInfo dayInfo(const CivilDate& date) const;
  bool isYearLoaded(int year) const;
  const std::set<int>& loadedYears() const { return loaded_years_; }
  // The notices cited by the year's entries, in date order of first use; empty if not loaded.
  std::vector<std::string> noticesForYear(int year) const;
  // The entry for `date`, if a notice lists it.
  std::optional<CalendarEntry> entryFor(const CivilDate& date) const;

 private:
  std::map<CivilDate, CalendarEntry> entries_;
  std::set<int> loaded_years_;
};

}  // namespace hotline
