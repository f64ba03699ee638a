#include "hotline/statutory_holidays.h"

#include <algorithm>
#include <map>
#include <optional>

#include "hotline/chinese_calendar.h"

namespace hotline {
namespace {

constexpr int kFirstYear = 1950;
constexpr int kLastYear = 2100;
constexpr int kRevision2024Year = 2025;  // the revised days off apply from 1 January 2025

std::vector<StatutoryHoliday> compute(int year) {
  std::vector<StatutoryHoliday> days;
  auto add = [&days](std::optional<CivilDate> date, const char* name) {
    if (date) days.push_back({*date, name});
  };
  const bool revised = year >= kRevision2024Year;

  add(CivilDate::fromYmd(year, 1, 1), "元旦");
  if (const std::optional<CivilDate> new_year = lunarToGregorian(year, 1, 1)) {
    if (revised) add(new_year->addDays(-1), "春节");  // 除夕
    for (int i = 0; i < 3; ++i) add(new_year->addDays(i), "春节");
  }
  add(solarTermDate(year, 15), "清明节");
  add(CivilDate::fromYmd(year, 5, 1), "劳动节");
  if (revised) add(CivilDate::fromYmd(year, 5, 2), "劳动节");
  add(lunarToGregorian(year, 5, 5), "端午节");
  for (int day = 1; day <= 3; ++day) add(CivilDate::fromYmd(year, 10, day), "国庆节");
  add(lunarToGregorian(year, 8, 15), "中秋节");

  std::stable_sort(
      days.begin(), days.end(),
      [](const StatutoryHoliday& a, const StatutoryHoliday& b) { return a.date < b.date; });
  // 中秋节 can fall within 国庆节 (2020, 2031): one day, both names.
  std::vector<StatutoryHoliday> merged;
  for (StatutoryHoliday& day : days) {
    if (!merged.empty() && merged.back().date == day.date) {
      merged.back().name += "、" + day.name;
    } else {
      merged.push_back(std::move(day));
    }
  }
  return merged;
}

}  // namespace

const std::vector<StatutoryHoliday>& statutoryHolidays(int year) {
  static const std::map<int, std::vector<StatutoryHoliday>> kByYear = [] {
    std::map<int, std::vector<StatutoryHoliday>> by_year;
    for (int y = kFirstYear; y <= kLastYear; ++y) by_year.emplace(y, compute(y));
    return by_year;
  }();
  static const std::vector<StatutoryHoliday> kNone;
  const auto it = kByYear.find(year);
  return it == kByYear.end() ? kNone : it->second;
}

}  // namespace hotline
