#pragma once

#include <vector>

#include "db/connection.h"
#include "hotline/working_calendar.h"

namespace hotline {

// SQL for calendar_days. Works on a connection the caller holds (and its transaction, if any).
// Throws db::DbError on infrastructure failure.
class CalendarStore {
 public:
  explicit CalendarStore(db::Connection& conn) : conn_(conn) {}

  std::vector<CalendarEntry> all();
  std::vector<int> loadedYears();
  // Deletes every listed day of `year` (a new notice replaces the old one wholly).
  void deleteYear(int year);
  void insert(const CalendarEntry& entry);

 private:
  db::Connection& conn_;
};

}  // namespace hotline
