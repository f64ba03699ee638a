#include "hotline/deadline.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "shipped_calendar.h"

namespace hotline {
namespace {

using test_support::date;
using test_support::shippedCalendar;

struct DeadlineCase {
  const char* label;
  const char* received;
  int working_days;
  const char* due;
  bool provisional;
};

std::ostream& operator<<(std::ostream& out, const DeadlineCase& c) { return out << c.label; }

class ShippedDeadlineTest : public ::testing::TestWithParam<DeadlineCase> {};

TEST_P(ShippedDeadlineTest, DueDateMatchesTheNotice) {
  const DeadlineCase& c = GetParam();
  const Deadline deadline = computeDeadline(shippedCalendar(), date(c.received), c.working_days);
  EXPECT_EQ(deadline.due, date(c.due)) << deadline.summary;
  EXPECT_EQ(deadline.provisional, c.provisional) << deadline.summary;
  EXPECT_EQ(workingDaysBetween(shippedCalendar(), date(c.received), deadline.due), c.working_days);
  ASSERT_FALSE(deadline.days.empty());
  EXPECT_EQ(deadline.days.front().info.date, date(c.received).addDays(1));
  EXPECT_TRUE(deadline.days.back().counted());
  EXPECT_EQ(deadline.days.back().ordinal, c.working_days);
}

// Each expectation was counted by hand against data/cn-workday-calendar.tsv; the comment gives
// the counted days.
INSTANTIATE_TEST_SUITE_P(
    Cases, ShippedDeadlineTest,
    ::testing::Values(
        // 09-28(1, Sun 调休) 09-29 09-30, 10-01..08 off, 10-09(4) 10-10(5)
        DeadlineCase{"NationalDay2025_ReceivedFriday", "2025-09-26", 5, "2025-10-10", false},
        // 10-02..08 off, 10-09 10-10 10-11(3, Sat 调休), 10-13 10-14
        DeadlineCase{"NationalDay2025_ReceivedOnHoliday", "2025-10-01", 5, "2025-10-14", false},
        // received on a 调休 Sunday: 09-29 09-30, 10-09 10-10 10-11(5, Sat 调休)
        DeadlineCase{"NationalDay2025_ReceivedOnMakeupSunday", "2025-09-28", 5, "2025-10-11",
                     false},
        // received on a 调休 Saturday: 10-12 Sun off, 10-13..10-17
        DeadlineCase{"NationalDay2025_ReceivedOnMakeupSaturday", "2025-10-11", 5, "2025-10-17",
                     false},
        // 01-26(1, Sun 调休) 01-27, 01-28..02-04 off, 02-05 02-06 02-07
        DeadlineCase{"SpringFestival2025_ReceivedBefore", "2025-01-24", 5, "2025-02-07", false},
        // 02-05 02-06 02-07 02-08(4, Sat 调休), 02-09 Sun off, 02-10
        DeadlineCase{"SpringFestival2025_ReceivedOnLastHoliday", "2025-02-04", 5, "2025-02-10",
                     false},
        // 2024 has no notice but no 2024 day is examined: 01-01 off, 01-02 01-03 01-06 01-07 01-08
        DeadlineCase{"NewYear2025_ReceivedNewYearsEve", "2024-12-31", 5, "2025-01-08", false},
        // 04-04..06 off, 04-07..04-11
        DeadlineCase{"Qingming2025", "2025-04-03", 5, "2025-04-11", false},
        // 04-26 Sat off, 04-27(1, Sun 调休) 04-28 04-29 04-30, 05-01..05 off, 05-06
        DeadlineCase{"LabourDay2025", "2025-04-25", 5, "2025-05-06", false},
        // 05-31..06-02 off, 06-03..06-06, 06-07/08 weekend, 06-09
        DeadlineCase{"DragonBoat2025", "2025-05-30", 5, "2025-06-09", false},
        // received Saturday: 03-09 Sun off, 03-10..03-14
        DeadlineCase{"OrdinaryWeek_ReceivedSaturday", "2025-03-08", 5, "2025-03-14", false},
        // 2026-01-01..03 off, 01-04(1, Sun 调休) 01-05..01-08
        DeadlineCase{"NewYear2026_ReceivedNewYearsEve", "2025-12-31", 5, "2026-01-08", false},
        // 02-14(1, Sat 调休), 02-15..23 off, 02-24..02-27
        DeadlineCase{"SpringFestival2026_ReceivedBefore", "2026-02-13", 5, "2026-02-27", false},
        // 02-21..23 off, 02-24..02-27, 02-28(5, Sat 调休)
        DeadlineCase{"SpringFestival2026_ReceivedOnHoliday", "2026-02-20", 5, "2026-02-28", false},
        // 04-04..06 off, 04-07..04-10, weekend, 04-13
        DeadlineCase{"Qingming2026", "2026-04-03", 5, "2026-04-13", false},
        // 05-01..05 off, 05-06 05-07 05-08 05-09(4, Sat 调休), 05-10 Sun off, 05-11
        DeadlineCase{"LabourDay2026", "2026-04-30", 5, "2026-05-11", false},
        // 06-19..21 off, 06-22..06-26
        DeadlineCase{"DragonBoat2026", "2026-06-18", 5, "2026-06-26", false},
        // 09-25..27 off, 09-28 09-29 09-30, 10-01..07 off, 10-08 10-09
        DeadlineCase{"MidAutumnNationalDay2026", "2026-09-24", 5, "2026-10-09", false},
        // received Saturday: 09-20(1, Sun 调休) 09-21..09-24
        DeadlineCase{"NationalDay2026_ReceivedBeforeMakeupSunday", "2026-09-19", 5, "2026-09-24",
                     false},
        // received on a 调休 Saturday: 10-11 Sun off, 10-12..10-16
        DeadlineCase{"NationalDay2026_ReceivedOnMakeupSaturday", "2026-10-10", 5, "2026-10-16",
                     false},
        // 7 working days (publication of a penalty decision): ... 10-11(6, Sat 调休), 10-13
        DeadlineCase{"SevenDays_NationalDay2025", "2025-09-26", 7, "2025-10-13", false},
        // 3 working days (withdrawal, 行政处罚法 art. 48): 10-08 10-09 10-10(3, Sat 调休)
        DeadlineCase{"ThreeDays_NationalDay2026", "2026-09-30", 3, "2026-10-10", false},
        // 12-25(1), weekend, 12-28..12-31: stays inside 2026
        DeadlineCase{"YearEnd2026_StaysInLoadedYear", "2026-12-24", 5, "2026-12-31", false},
        // 12-29 12-30 12-31, 2027-01-01 off (元旦 by law, though no 2027 notice yet), weekend,
        // 01-04 01-05
        DeadlineCase{"YearEnd2026_ReachesInto2027", "2026-12-28", 5, "2027-01-05", true},
        // all in 2027: 01-01 off, 01-04..01-08
        DeadlineCase{"ReceivedLastDayOf2026", "2026-12-31", 5, "2027-01-08", true},
        // 2027 without its notice: 春节 by law is 02-05 (除夕) to 02-08, computed from the lunar
        // calendar: 02-04(1) 02-09..02-12
        DeadlineCase{"SpringFestival2027_Provisional", "2027-02-03", 5, "2027-02-12", true},
        // 2027: 清明 04-05 (Monday) by the solar term: 04-02(1) 04-06..04-09
        DeadlineCase{"Qingming2027_Provisional", "2027-04-01", 5, "2027-04-09", true},
        // 2027: 端午 06-09 (Wednesday): 06-08(1) 06-10 06-11 06-14 06-15
        DeadlineCase{"DragonBoat2027_Provisional", "2027-06-07", 5, "2027-06-15", true},
        // 12-28/29 weekend, 12-30 12-31 (2024, no notice), 2025-01-01 off, 01-02 01-03, 01-06
        DeadlineCase{"YearEnd2024_StartsInUnloadedYear", "2024-12-27", 5, "2025-01-06", true}),
    [](const ::testing::TestParamInfo<DeadlineCase>& info) { return info.param.label; });

TEST(DeadlineTest, ExplainsEveryDayExamined) {
  const Deadline deadline = computeDeadline(shippedCalendar(), date("2025-09-26"), 5);
  std::vector<std::string> lines;
  for (const DeadlineDay& day : deadline.days) {
    lines.push_back(day.info.date.toString() + " " + day.describe());
  }
  const std::vector<std::string> expected = {
      "2025-09-27 跳过（周六）",
      "2025-09-28 第1个工作日（国庆节调休上班）",
      "2025-09-29 第2个工作日",
      "2025-09-30 第3个工作日",
      "2025-10-01 跳过（国庆节、中秋节）",
      "2025-10-02 跳过（国庆节、中秋节）",
      "2025-10-03 跳过（国庆节、中秋节）",
      "2025-10-04 跳过（国庆节、中秋节）",
      "2025-10-05 跳过（国庆节、中秋节）",
      "2025-10-06 跳过（国庆节、中秋节）",
      "2025-10-07 跳过（国庆节、中秋节）",
      "2025-10-08 跳过（国庆节、中秋节）",
      "2025-10-09 第4个工作日",
      "2025-10-10 第5个工作日",
  };
  EXPECT_EQ(lines, expected);
  EXPECT_EQ(deadline.summary,
            "自收到次日起算5个工作日，跳过：2025-09-27（周六）、2025-10-01至2025-10-08"
            "（国庆节、中秋节），计入调休上班：2025-09-28（国庆节调休上班），截止2025-10-10");
}

TEST(DeadlineTest, SummaryMergesWeekendsAndSeparatesAdjacentHolidays) {
  const Deadline deadline = computeDeadline(shippedCalendar(), date("2026-09-24"), 5);
  EXPECT_EQ(deadline.summary,
            "自收到次日起算5个工作日，跳过：2026-09-25至2026-09-27（中秋节）、"
            "2026-10-01至2026-10-07（国庆节），截止2026-10-09");

  const Deadline plain = computeDeadline(shippedCalendar(), date("2025-03-06"), 5);
  EXPECT_EQ(plain.summary,
            "自收到次日起算5个工作日，跳过：2025-03-08至2025-03-09（周末），截止2025-03-13");

  const Deadline none = computeDeadline(shippedCalendar(), date("2025-03-09"), 5);
  EXPECT_EQ(none.summary, "自收到次日起算5个工作日，跳过：无，截止2025-03-14");
}

TEST(DeadlineTest, ProvisionalDeadlineNamesTheMissingYear) {
  const Deadline deadline = computeDeadline(shippedCalendar(), date("2026-12-28"), 5);
  EXPECT_TRUE(deadline.provisional);
  EXPECT_EQ(deadline.unloaded_years, std::vector<int>{2027});
  EXPECT_EQ(deadline.summary,
            "自收到次日起算5个工作日，跳过：2027-01-01（元旦）、2027-01-02至2027-01-03（周末），"
            "截止2027-01-05（暂定：2027年放假安排未载入，载入后需重新计算）");
  ASSERT_EQ(deadline.days.size(), 8u);
  EXPECT_EQ(deadline.days[3].describe(), "跳过（元旦），暂定（2027年放假安排未载入）");
  EXPECT_EQ(deadline.days[6].describe(), "第4个工作日，暂定（2027年放假安排未载入）");
  EXPECT_EQ(deadline.days[2].describe(), "第3个工作日");
}

TEST(DeadlineTest, RecomputingAfterLoadingTheNoticeClearsProvisional) {
  std::vector<CalendarEntry> entries =
      parseCalendarTsv(test_support::readShippedCalendarText()).entries;
  const CalendarParseResult next =
      parseCalendarTsv("date\tkind\tname\tnotice\n2027-01-01\tholiday\t元旦\t2027年通知\n");
  ASSERT_TRUE(next.ok());
  entries.insert(entries.end(), next.entries.begin(), next.entries.end());
  const WorkingCalendar with2027(std::move(entries));

  const Deadline deadline = computeDeadline(with2027, date("2026-12-28"), 5);
  EXPECT_FALSE(deadline.provisional);
  EXPECT_EQ(deadline.due, date("2027-01-05"));
  EXPECT_EQ(deadline.summary,
            "自收到次日起算5个工作日，跳过：2027-01-01（元旦）、2027-01-02至2027-01-03（周末），"
            "截止2027-01-05");
}

TEST(DeadlineTest, ReceiptDayNeverCounts) {
  const Deadline deadline = computeDeadline(shippedCalendar(), date("2025-09-29"), 1);
  EXPECT_EQ(deadline.due, date("2025-09-30"));
  ASSERT_EQ(deadline.days.size(), 1u);
}

TEST(DeadlineTest, RejectsNonPositivePeriods) {
  EXPECT_THROW(computeDeadline(shippedCalendar(), date("2025-09-26"), 0), std::invalid_argument);
  EXPECT_THROW(computeDeadline(shippedCalendar(), date("2025-09-26"), -3), std::invalid_argument);
}

TEST(DeadlineTest, OverdueOnlyAfterTheDueDay) {
  const Deadline deadline = computeDeadline(shippedCalendar(), date("2025-09-26"), 5);
  EXPECT_FALSE(isOverdue(deadline, date("2025-10-09")));
  EXPECT_FALSE(isOverdue(deadline, date("2025-10-10")));
  EXPECT_TRUE(isOverdue(deadline, date("2025-10-11")));
}

TEST(DeadlineTest, WorkingDaysBetweenCountsUsedDays) {
  EXPECT_EQ(workingDaysBetween(shippedCalendar(), date("2025-09-26"), date("2025-09-26")), 0);
  EXPECT_EQ(workingDaysBetween(shippedCalendar(), date("2025-09-26"), date("2025-09-25")), 0);
  EXPECT_EQ(workingDaysBetween(shippedCalendar(), date("2025-09-26"), date("2025-10-08")), 3);
  EXPECT_EQ(workingDaysBetween(shippedCalendar(), date("2025-09-26"), date("2025-10-12")), 6);
}

}  // namespace
}  // namespace hotline
