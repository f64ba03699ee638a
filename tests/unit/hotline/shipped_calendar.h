#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "hotline/civil_date.h"
#include "hotline/working_calendar.h"

namespace hotline::test_support {

inline std::string readShippedCalendarText() {
  std::ifstream in(HOTLINE_CALENDAR_TSV, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " HOTLINE_CALENDAR_TSV);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The calendar the product ships; every expectation in these tests was checked by hand against
// data/cn-workday-calendar.tsv.
inline const WorkingCalendar& shippedCalendar() {
  static const WorkingCalendar calendar = [] {
    CalendarParseResult parsed = parseCalendarTsv(readShippedCalendarText());
    if (!parsed.ok()) throw std::runtime_error(parsed.errors.front().toString());
    return WorkingCalendar(std::move(parsed.entries));
  }();
  return calendar;
}

inline CivilDate date(const char* text) {
  const std::optional<CivilDate> parsed = CivilDate::parse(text);
  if (!parsed) throw std::invalid_argument(std::string("bad test date ") + text);
  return *parsed;
}

}  // namespace hotline::test_support
