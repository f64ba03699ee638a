#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hotline/civil_date.h"
#include "hotline/working_calendar.h"

namespace hotline {

// One day looked at while counting a deadline.
struct DeadlineDay {
  DayInfo info;
  int ordinal = 0;  // which working day this was (1-based); 0 when the day was skipped

  bool counted() const { return ordinal > 0; }
  // "第1个工作日", "第1个工作日（国庆节调休上班）", "跳过（周六）", "跳过（国庆节、中秋节）";
  // days in a year without a loaded notice add "，暂定（2027年放假安排未载入）".
  std::string describe() const;
};

// A statutory period counted in working days, with how it was computed.
struct Deadline {
  CivilDate received;
  int working_days = 0;
  CivilDate due;  // the last working day of the period; still in time on that day
  // True when a day examined falls in a year whose notice is not loaded: those days follow
  // weekends only, and the deadline must be recomputed once the notice is loaded.
  bool provisional = false;
  std::vector<int> unloaded_years;  // ascending; the years that made it provisional
  std::vector<DeadlineDay> days;    // every day from the day after receipt to `due`, in order
  // One Chinese sentence for the case file, e.g. "自收到次日起算5个工作日，跳过：
  // 2025-09-27（周六）、2025-10-01至2025-10-08（国庆节、中秋节），计入调休上班：
  // 2025-09-28（国庆节调休上班），截止2025-10-10".
  std::string summary;
};

// Counts `working_days` working days strictly after `received` (receipt day never counts, even
// when it is itself a working day; a complaint received on a day off starts with the next
// working day). `start_event` names that day in the summary: "自收到次日起算…" by default,
// "自作出决定次日起算…" for a decision's publication. Pure; safe to call from any number of
// threads.
// Throws std::invalid_argument if working_days < 1 (a programming error: periods are fixed by
// law and configuration).
Deadline computeDeadline(const WorkingCalendar& calendar, const CivilDate& received,
                         int working_days, std::string_view start_event = "收到");

// Working days d with from < d <= to; 0 when `to` is not after `from`. "How many working days of
// the period have been used by `to`".
int workingDaysBetween(const WorkingCalendar& calendar, const CivilDate& from,
                       const CivilDate& to);

// True once `today` is after the due date.
bool isOverdue(const Deadline& deadline, const CivilDate& today);

}  // namespace hotline
