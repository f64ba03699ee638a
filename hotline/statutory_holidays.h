#pragma once

#include <string>
#include <vector>

#include "hotline/civil_date.h"

namespace hotline {

// One day off fixed by 《全国年节及纪念日放假办法》 itself, before any State Council notice adds
// bridging days and make-up workdays (调休).
struct StatutoryHoliday {
  CivilDate date;
  std::string name;  // 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节
};

// The statutory days off of `year`, in date order. From 2025 (the 2024 revision, State Council
// decree No. 795): 元旦 1 January; 春节 4 days, the lunar New Year's Eve and the first three
// days of the first lunar month; 清明节 the day of the 清明 solar term; 劳动节 1-2 May; 端午节
// the fifth of the fifth lunar month; 中秋节 the fifteenth of the eighth lunar month; 国庆节 1-3
// October. Before 2025 (the 2013 revision): 春节 the first three lunar days and 劳动节 1 May
// only. Lunar dates and 清明 are computed (hotline/chinese_calendar.h). Empty outside 1950-2100.
// The result is computed once per process; safe from any number of threads.
const std::vector<StatutoryHoliday>& statutoryHolidays(int year);

}  // namespace hotline
