#include "hotline/working_calendar.h"

#include <gtest/gtest.h>

#include "hotline/statutory_holidays.h"
#include "shipped_calendar.h"

namespace hotline {
namespace {

using test_support::date;
using test_support::readShippedCalendarText;
using test_support::shippedCalendar;

TEST(ParseCalendarTsvTest, ShippedFileLoadsCompletely) {
  const CalendarParseResult parsed = parseCalendarTsv(readShippedCalendarText());
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().toString();
  int holidays = 0;
  int makeup = 0;
  for (const CalendarEntry& entry : parsed.entries) {
    (entry.kind == DayKind::Holiday ? holidays : makeup)++;
  }
  EXPECT_EQ(holidays, 61);
  EXPECT_EQ(makeup, 11);
  EXPECT_EQ(parsed.entries.front().date, date("2025-01-01"));
  EXPECT_EQ(parsed.entries.front().name, "元旦");
  EXPECT_EQ(parsed.entries.back().date, date("2026-10-10"));
  EXPECT_EQ(parsed.entries.back().kind, DayKind::MakeupWorkday);
}

TEST(ParseCalendarTsvTest, ReportsEveryBadLineWithItsNumberAndLoadsNothing) {
  const std::string text =
      "# comment\n"                                   // 1
      "date\tkind\tname\tnotice\n"                    // 2
      "2027-01-01\tholiday\t元旦\t通知A\n"            // 3 fine
      "2027-02-30\tholiday\t春节\t通知A\n"            // 4 bad date
      "2027-02-06\tvacation\t春节\t通知A\n"           // 5 unknown kind
      "2027-01-01\tholiday\t元旦\t通知A\n"            // 6 duplicate of 3
      "2027-05-03\tholiday\t劳动节\n"                 // 7 three columns
      "\n"                                            // 8 blank
      "2027-05-06\tworkday\t劳动节调休上班\t通知A\n"  // 9 Thursday
      "2027-10-01\tholiday\t\t通知A\n"                // 10 no name
      "2027-10-02\tholiday\t国庆节\t\n";              // 11 no notice
  const CalendarParseResult parsed = parseCalendarTsv(text);
  EXPECT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.entries.empty());

  std::vector<std::string> messages;
  for (const CalendarParseError& error : parsed.errors) messages.push_back(error.toString());
  const std::vector<std::string> expected = {
      "第4行：日期“2027-02-30”无效，应为YYYY-MM-DD格式的有效日期",
      "第5行：类型“vacation”无效，应为holiday（放假）或workday（调休上班）",
      "第6行：日期2027-01-01重复，已在第3行出现",
      "第7行：应有4列（日期、类型、名称、通知），以制表符分隔，实际为3列",
      "第9行：2027-05-06是周四，本来就是工作日，调休上班日应为周六或周日",
      "第10行：名称为空",
      "第11行：通知为空，应写明国务院办公厅通知的文号或标题",
  };
  EXPECT_EQ(messages, expected);
}

TEST(ParseCalendarTsvTest, RequiresTheHeader) {
  const CalendarParseResult parsed =
      parseCalendarTsv("# only a comment\n2027-01-01\tholiday\t元旦\t通知A\n");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].line, 2);
  EXPECT_EQ(parsed.errors[0].toString(),
            "第2行：缺少表头，第一行应为“date<TAB>kind<TAB>name<TAB>notice”");

  const CalendarParseResult wrong_header = parseCalendarTsv("day\tkind\tname\tnotice\n");
  ASSERT_EQ(wrong_header.errors.size(), 1u);
  EXPECT_EQ(wrong_header.errors[0].line, 1);

  const CalendarParseResult empty = parseCalendarTsv("");
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].toString(), "日历文件为空：没有表头，也没有任何日期");
}

TEST(ParseCalendarTsvTest, AcceptsCrlfBomAndTrailingBlankLines) {
  const CalendarParseResult parsed = parseCalendarTsv(
      "\xEF\xBB\xBF# 2027\r\ndate\tkind\tname\tnotice\r\n2027-01-01\tholiday\t元旦\t通知A\r\n\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().toString();
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].name, "元旦");
  EXPECT_EQ(parsed.entries[0].notice, "通知A");
}

struct DayCase {
  const char* date;
  bool working;
  DayCategory category;
  const char* reason;
};

class ShippedCalendarDayTest : public ::testing::TestWithParam<DayCase> {};

TEST_P(ShippedCalendarDayTest, SaysWhetherAndWhyTheDayIsWorked) {
  const DayCase& c = GetParam();
  const DayInfo info = shippedCalendar().dayInfo(date(c.date));
  EXPECT_EQ(info.working, c.working);
  EXPECT_EQ(shippedCalendar().isWorkingDay(date(c.date)), c.working);
  EXPECT_EQ(info.category, c.category);
  EXPECT_EQ(info.reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Days, ShippedCalendarDayTest,
    ::testing::Values(DayCase{"2025-09-26", true, DayCategory::Workday, "工作日"},
                      DayCase{"2025-09-27", false, DayCategory::Weekend, "周六"},
                      DayCase{"2025-09-28", true, DayCategory::MakeupWorkday, "国庆节调休上班"},
                      DayCase{"2025-10-01", false, DayCategory::Holiday, "国庆节、中秋节"},
                      DayCase{"2025-10-04", false, DayCategory::Holiday, "国庆节、中秋节"},
                      DayCase{"2025-10-11", true, DayCategory::MakeupWorkday, "国庆节调休上班"},
                      DayCase{"2025-10-12", false, DayCategory::Weekend, "周日"},
                      DayCase{"2025-01-26", true, DayCategory::MakeupWorkday, "春节调休上班"},
                      DayCase{"2026-01-02", false, DayCategory::Holiday, "元旦"},
                      DayCase{"2026-01-04", true, DayCategory::MakeupWorkday, "元旦调休上班"},
                      DayCase{"2026-02-23", false, DayCategory::Holiday, "春节"},
                      DayCase{"2026-09-25", false, DayCategory::Holiday, "中秋节"},
                      // 2027 has no notice yet: the statutory days off still count
                      DayCase{"2027-01-01", false, DayCategory::Holiday, "元旦"},
                      DayCase{"2027-01-04", true, DayCategory::Workday, "工作日"},
                      DayCase{"2027-02-05", false, DayCategory::Holiday, "春节"},
                      DayCase{"2027-02-08", false, DayCategory::Holiday, "春节"},
                      DayCase{"2027-02-09", true, DayCategory::Workday, "工作日"},
                      DayCase{"2027-05-03", true, DayCategory::Workday, "工作日"},
                      DayCase{"2027-09-15", false, DayCategory::Holiday, "中秋节"},
                      DayCase{"2027-01-02", false, DayCategory::Weekend, "周六"}));

TEST(WorkingCalendarTest, KnowsWhichYearsAreLoaded) {
  const WorkingCalendar& calendar = shippedCalendar();
  EXPECT_FALSE(calendar.isYearLoaded(2024));
  EXPECT_TRUE(calendar.isYearLoaded(2025));
  EXPECT_TRUE(calendar.isYearLoaded(2026));
  EXPECT_FALSE(calendar.isYearLoaded(2027));
  EXPECT_EQ(calendar.loadedYears(), (std::set<int>{2025, 2026}));
  EXPECT_TRUE(calendar.dayInfo(date("2026-12-31")).year_loaded);
  EXPECT_FALSE(calendar.dayInfo(date("2027-01-01")).year_loaded);
}

TEST(WorkingCalendarTest, CitesTheNoticeOfEachYear) {
  const WorkingCalendar& calendar = shippedCalendar();
  const std::vector<std::string> notices2025 = calendar.noticesForYear(2025);
  ASSERT_EQ(notices2025.size(), 1u);
  EXPECT_NE(notices2025[0].find("国办发明电〔2024〕12号"), std::string::npos);
  EXPECT_EQ(calendar.noticesForYear(2026).size(), 1u);
  EXPECT_TRUE(calendar.noticesForYear(2027).empty());
  ASSERT_TRUE(calendar.entryFor(date("2025-10-11")).has_value());
  EXPECT_EQ(calendar.entryFor(date("2025-10-11"))->kind, DayKind::MakeupWorkday);
  EXPECT_FALSE(calendar.entryFor(date("2025-10-09")).has_value());
}

TEST(WorkingCalendarTest, LoadingTheNextNoticeChangesItsDays) {
  std::vector<CalendarEntry> entries = parseCalendarTsv(readShippedCalendarText()).entries;
  const CalendarParseResult next =
      parseCalendarTsv("date\tkind\tname\tnotice\n2027-01-01\tholiday\t元旦\t2027年通知\n");
  ASSERT_TRUE(next.ok());
  entries.insert(entries.end(), next.entries.begin(), next.entries.end());
  const WorkingCalendar calendar(std::move(entries));
  EXPECT_TRUE(calendar.isYearLoaded(2027));
  EXPECT_FALSE(calendar.isWorkingDay(date("2027-01-01")));
  EXPECT_EQ(calendar.dayInfo(date("2027-01-01")).reason, "元旦");
}

TEST(WorkingCalendarTest, EmptyCalendarFollowsWeekendsAndStatutoryDaysAndLoadsNoYear) {
  const WorkingCalendar calendar;
  EXPECT_FALSE(calendar.isWorkingDay(date("2025-10-01"))) << "国庆节 by law";
  EXPECT_TRUE(calendar.isWorkingDay(date("2025-10-08"))) << "a bridging day only the notice gives";
  EXPECT_FALSE(calendar.isWorkingDay(date("2025-09-28")))
      << "a make-up Sunday only the notice gives";
  EXPECT_FALSE(calendar.isYearLoaded(2025));
}

// Every statutory day off computed for 2025 and 2026 is a day off in the State Council's notice
// for that year (the notices add bridging days; they never work a statutory day).
TEST(WorkingCalendarTest, StatutoryDaysAreDaysOffInTheShippedNotices) {
  const WorkingCalendar& shipped = shippedCalendar();
  for (int year : {2025, 2026}) {
    const std::vector<StatutoryHoliday>& days = statutoryHolidays(year);
    EXPECT_EQ(days.size(), 13u) << year;  // 1 + 4 + 1 + 2 + 1 + 1 + 3
    for (const StatutoryHoliday& day : days) {
      const DayInfo info = shipped.dayInfo(day.date);
      EXPECT_EQ(info.category, DayCategory::Holiday) << day.date << " " << day.name;
      EXPECT_NE(info.reason.find(day.name), std::string::npos) << day.date << " " << info.reason;
    }
  }
}

}  // namespace
}  // namespace hotline
