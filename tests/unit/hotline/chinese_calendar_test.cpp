#include "hotline/chinese_calendar.h"

#include <gtest/gtest.h>

#include <string>

#include "hotline/statutory_holidays.h"

namespace hotline {
namespace {

// The festivals as the State Council's notices and the published 农历 give them. Years with a
// leap month are the hard cases: 2020 (闰四月), 2023 (闰二月), 2025 (闰六月), 2028 (闰五月),
// 2033 (闰十一月, the "2033 problem": the New Year of 2034 comes one month later).
struct FestivalCase {
  int year;
  const char* spring_festival;  // 正月初一
  const char* qingming;         // 清明 solar term
  const char* dragon_boat;      // 五月初五
  const char* mid_autumn;       // 八月十五
};

class FestivalTest : public ::testing::TestWithParam<FestivalCase> {};

std::string str(const std::optional<CivilDate>& d) { return d ? d->toString() : "none"; }

TEST_P(FestivalTest, MatchesThePublishedDates) {
  const FestivalCase& c = GetParam();
  EXPECT_EQ(str(lunarToGregorian(c.year, 1, 1)), c.spring_festival);
  EXPECT_EQ(str(solarTermDate(c.year, 15)), c.qingming);
  EXPECT_EQ(str(lunarToGregorian(c.year, 5, 5)), c.dragon_boat);
  EXPECT_EQ(str(lunarToGregorian(c.year, 8, 15)), c.mid_autumn);
}

INSTANTIATE_TEST_SUITE_P(
    Years, FestivalTest,
    ::testing::Values(FestivalCase{2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"},
                      FestivalCase{2021, "2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21"},
                      FestivalCase{2022, "2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10"},
                      FestivalCase{2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29"},
                      FestivalCase{2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"},
                      FestivalCase{2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"},
                      FestivalCase{2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"},
                      FestivalCase{2027, "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"},
                      FestivalCase{2028, "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"},
                      FestivalCase{2029, "2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22"},
                      FestivalCase{2030, "2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12"}),
    [](const ::testing::TestParamInfo<FestivalCase>& info) {
      return std::to_string(info.param.year);
    });

TEST(ChineseCalendarTest, SpringFestivalAcrossTheLeapEleventhMonthOf2033) {
  EXPECT_EQ(str(lunarToGregorian(2031, 1, 1)), "2031-01-23");
  EXPECT_EQ(str(lunarToGregorian(2032, 1, 1)), "2032-02-11");
  EXPECT_EQ(str(lunarToGregorian(2033, 1, 1)), "2033-01-31");
  EXPECT_EQ(str(lunarToGregorian(2034, 1, 1)), "2034-02-19");
  EXPECT_EQ(str(lunarToGregorian(2035, 1, 1)), "2035-02-08");
}

TEST(ChineseCalendarTest, SolsticesAndLateMonths) {
  EXPECT_EQ(str(solarTermDate(2025, 270)), "2025-12-21");  // 23:03 Beijing time
  EXPECT_EQ(str(solarTermDate(2026, 270)), "2026-12-22");
  EXPECT_EQ(str(solarTermDate(2026, 90)), "2026-06-21");
  // 腊月初一 of the lunar year 2026 is the month before 正月初一 2027 (02-06).
  const std::optional<CivilDate> last_month = lunarToGregorian(2026, 12, 1);
  ASSERT_TRUE(last_month);
  EXPECT_LT(*last_month, *CivilDate::fromYmd(2027, 2, 6));
  EXPECT_GT(*last_month, *CivilDate::fromYmd(2026, 12, 31));
}

TEST(ChineseCalendarTest, RefusesWhatItCannotAnswer) {
  EXPECT_FALSE(lunarToGregorian(1900, 1, 1));
  EXPECT_FALSE(lunarToGregorian(2101, 1, 1));
  EXPECT_FALSE(lunarToGregorian(2027, 13, 1));
  EXPECT_FALSE(lunarToGregorian(2027, 1, 31));
  EXPECT_FALSE(solarTermDate(2027, 7));
}

TEST(StatutoryHolidaysTest, The2027DaysOffByLaw) {
  std::string listed;
  for (const StatutoryHoliday& day : statutoryHolidays(2027)) {
    listed += day.date.toString() + " " + day.name + "\n";
  }
  EXPECT_EQ(listed,
            "2027-01-01 元旦\n"
            "2027-02-05 春节\n"  // 除夕
            "2027-02-06 春节\n"
            "2027-02-07 春节\n"
            "2027-02-08 春节\n"
            "2027-04-05 清明节\n"
            "2027-05-01 劳动节\n"
            "2027-05-02 劳动节\n"
            "2027-06-09 端午节\n"
            "2027-09-15 中秋节\n"
            "2027-10-01 国庆节\n"
            "2027-10-02 国庆节\n"
            "2027-10-03 国庆节\n");
}

TEST(StatutoryHolidaysTest, MidAutumnOnNationalDayIsOneDayWithBothNames) {
  // 2020 (the 2013 rules: 春节 3 days, 劳动节 1 day): 中秋节 fell on 10-01.
  const std::vector<StatutoryHoliday>& days = statutoryHolidays(2020);
  EXPECT_EQ(days.size(), 10u);  // 元旦 1, 春节 3, 清明 1, 劳动 1, 端午 1, 国庆 3 with 中秋 inside
  bool found = false;
  for (const StatutoryHoliday& day : days) {
    if (day.date.toString() == "2020-10-01") {
      EXPECT_EQ(day.name, "国庆节、中秋节");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace hotline
