#include "hotline/civil_date.h"

#include <gtest/gtest.h>

#include "shipped_calendar.h"

namespace hotline {
namespace {

using test_support::date;

TEST(CivilDateTest, ParsesIsoDates) {
  const std::optional<CivilDate> d = CivilDate::parse("2025-10-01");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year(), 2025);
  EXPECT_EQ(d->month(), 10);
  EXPECT_EQ(d->day(), 1);
  EXPECT_EQ(d->toString(), "2025-10-01");
}

TEST(CivilDateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* text : {"", "2025-1-01", "2025/10/01", " 2025-10-01", "2025-10-01 ", "20251001",
                           "2025-13-01", "2025-00-10", "2025-04-31", "2025-02-29", "1900-02-29",
                           "0000-01-01", "2025-1a-01", "+025-01-01"}) {
    EXPECT_FALSE(CivilDate::parse(text).has_value()) << text;
  }
}

TEST(CivilDateTest, AcceptsLeapDays) {
  EXPECT_TRUE(CivilDate::parse("2024-02-29").has_value());
  EXPECT_TRUE(CivilDate::parse("2000-02-29").has_value());
  EXPECT_TRUE(CivilDate::parse("2028-02-29").has_value());
}

TEST(CivilDateTest, KnowsTheWeekday) {
  EXPECT_EQ(date("1970-01-01").weekday(), Weekday::Thursday);
  EXPECT_EQ(date("1969-12-28").weekday(), Weekday::Sunday);
  EXPECT_EQ(date("2025-09-26").weekday(), Weekday::Friday);
  EXPECT_EQ(date("2025-09-28").weekday(), Weekday::Sunday);
  EXPECT_EQ(date("2025-10-11").weekday(), Weekday::Saturday);
  EXPECT_EQ(date("2026-01-01").weekday(), Weekday::Thursday);
  EXPECT_EQ(date("2027-01-01").weekday(), Weekday::Friday);
  EXPECT_EQ(weekdayName(date("2025-09-27").weekday()), "周六");
  EXPECT_EQ(weekdayName(date("2025-09-28").weekday()), "周日");
  EXPECT_TRUE(date("2025-09-28").isWeekend());
  EXPECT_FALSE(date("2025-09-29").isWeekend());
}

TEST(CivilDateTest, AddsDaysAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(date("2025-12-31").addDays(1), date("2026-01-01"));
  EXPECT_EQ(date("2024-02-28").addDays(1), date("2024-02-29"));
  EXPECT_EQ(date("2025-02-28").addDays(1), date("2025-03-01"));
  EXPECT_EQ(date("2025-03-01").addDays(-1), date("2025-02-28"));
  EXPECT_EQ(date("2025-01-01").addDays(365), date("2026-01-01"));
  EXPECT_EQ(daysBetween(date("2025-09-26"), date("2025-10-10")), 14);
  EXPECT_EQ(daysBetween(date("2025-10-10"), date("2025-09-26")), -14);
}

TEST(CivilDateTest, DayCountRoundTripsEveryDayFrom1900To2100) {
  const std::int64_t first = date("1900-01-01").daysSinceEpoch();
  const std::int64_t last = date("2100-12-31").daysSinceEpoch();
  EXPECT_EQ(first, -25567);
  CivilDate previous = CivilDate::fromDaysSinceEpoch(first - 1);
  for (std::int64_t days = first; days <= last; ++days) {
    const CivilDate d = CivilDate::fromDaysSinceEpoch(days);
    ASSERT_EQ(d.daysSinceEpoch(), days);
    ASSERT_TRUE(previous < d);
    ASSERT_EQ(CivilDate::parse(d.toString()), d);
    previous = d;
  }
}

TEST(CivilDateTest, Compares) {
  EXPECT_LT(date("2025-09-30"), date("2025-10-01"));
  EXPECT_LT(date("2025-12-31"), date("2026-01-01"));
  EXPECT_GT(date("2026-02-01"), date("2026-01-31"));
  EXPECT_LE(date("2026-02-01"), date("2026-02-01"));
  EXPECT_NE(date("2026-02-01"), date("2026-02-02"));
  EXPECT_EQ(CivilDate(), date("1970-01-01"));
}

}  // namespace
}  // namespace hotline
