#include "hotline/calendar_service.h"

#include <gtest/gtest.h>

#include "hotline/deadline.h"
#include "hotline_fixture.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;

class CalendarServiceTest : public HotlineTest {};

TEST_F(CalendarServiceTest, TheShippedNoticesLoadIntoTheDatabaseAndGiveTheSameCalendar) {
  // The fixture loaded data/cn-workday-calendar.tsv already; reading it back from the database
  // must give what the file says.
  calendar_->reload();
  const auto cal = calendar_->calendar();
  EXPECT_EQ(cal->loadedYears(), (std::set<int>{2025, 2026}));
  EXPECT_EQ(computeDeadline(*cal, test_support::date("2025-09-26"), 5).due.toString(),
            "2025-10-10");
  EXPECT_EQ(cal->dayInfo(test_support::date("2025-09-28")).reason, "国庆节调休上班");
  const auto& shipped = test_support::shippedCalendar();
  for (CivilDate d = test_support::date("2025-01-01"); d <= test_support::date("2026-12-31");
       d = d.addDays(1)) {
    ASSERT_EQ(cal->isWorkingDay(d), shipped.isWorkingDay(d)) << d;
  }
  // Loading it again replaces the years and changes nothing.
  const CalendarLoadResult again = calendar_->loadTsv(test_support::readShippedCalendarText());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.years_loaded, (std::vector<int>{2025, 2026}));
  EXPECT_EQ(static_cast<std::int64_t>(again.days_written),
            scalar("SELECT COUNT(*) AS n FROM calendar_days"));
}

TEST_F(CalendarServiceTest, ABadFileIsRefusedWithLineNumbersAndNothingChanges) {
  const std::int64_t before = scalar("SELECT COUNT(*) AS n FROM calendar_days");
  const CalendarLoadResult r = calendar_->loadTsv(
      "date\tkind\tname\tnotice\n"
      "2027-01-01\tholiday\t元旦\t2027年通知\n"
      "2027-02-30\tholiday\t春节\t2027年通知\n"
      "2027-05-06\tworkday\t劳动节调休上班\t2027年通知\n");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_EQ(r.errors[1].line, 4);
  EXPECT_NE(r.errors[1].toString().find("第4行"), std::string::npos);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM calendar_days"), before);
  EXPECT_FALSE(calendar_->calendar()->isYearLoaded(2027));
}

TEST_F(CalendarServiceTest, OnlyMissingYearsKeepsWhatWasLoadedByHand) {
  const CalendarLoadResult corrected =
      calendar_->loadTsv("date\tkind\tname\tnotice\n2026-01-01\tholiday\t元旦\t更正通知\n");
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM calendar_days WHERE YEAR(day) = 2026"), 1);
  const CalendarLoadResult startup = calendar_->loadTsv(test_support::readShippedCalendarText(),
                                                        CalendarLoadMode::OnlyMissingYears);
  ASSERT_TRUE(startup.ok());
  EXPECT_EQ(startup.years_skipped, (std::vector<int>{2025, 2026}));
  EXPECT_TRUE(startup.years_loaded.empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM calendar_days WHERE YEAR(day) = 2026"), 1);
}

TEST_F(CalendarServiceTest, ProvisionalDeadlinesAreRecomputedWhenTheNextNoticeIsLoaded) {
  // Monday 2026-12-28: the fifth working day falls in 2027, whose notice is not loaded.
  setNow("2026-12-28 16:30:00");
  const Registration reg = submitOk(request(1));
  EXPECT_TRUE(reg.ack_deadline.provisional);
  // 元旦 2027-01-01 is off by law even before the notice: 12-29..12-31, 01-04, 01-05.
  EXPECT_EQ(reg.ack_deadline.due.toString(), "2027-01-05") << reg.ack_deadline.summary;
  EXPECT_NE(reg.ack_deadline.summary.find("暂定"), std::string::npos);
  const Registration settled = submitOk(request(2));
  ASSERT_TRUE(service_->accept(settled.complaint_id, handler(2), "").ok());
  const Complaint before = stored(reg.complaint_id);
  EXPECT_TRUE(before.ack_due_provisional);
  EXPECT_TRUE(before.handling_due_provisional);

  const CalendarLoadResult r = calendar_->loadTsv(
      "date\tkind\tname\tnotice\n"
      "2027-01-01\tholiday\t元旦\t国务院办公厅关于2027年部分节假日安排的通知\n"
      // A hypothetical make-up Sunday, so that loading the notice moves the deadline.
      "2027-01-03\tworkday\t元旦调休上班\t国务院办公厅关于2027年部分节假日安排的通知\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.years_loaded, std::vector<int>{2027});
  EXPECT_EQ(r.complaints_recomputed, 2u);

  const Complaint after = stored(reg.complaint_id);
  EXPECT_FALSE(after.ack_due_provisional);
  EXPECT_EQ(after.ack_due.toString(), "2027-01-04") << "Sunday 2027-01-03 is now a working day";
  EXPECT_FALSE(after.handling_due_provisional);
  EXPECT_EQ(after.version, before.version + 1);
  const auto d = service_->detail(reg.complaint_id, supervisor());
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->ack_deadline.provisional);
  EXPECT_EQ(d->ack_deadline.due.toString(), "2027-01-04");
  EXPECT_EQ(d->events.back().kind, EventKind::DeadlineRecomputed);
  EXPECT_FALSE(d->events.back().is_public);
  EXPECT_NE(d->events.back().text.find("2027-01-05改为2027-01-04"), std::string::npos)
      << d->events.back().text;
  const auto v = service_->track(reg.registration_no, reg.tracking_code);
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->ack_deadline.provisional);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints WHERE ack_due_provisional = 1 "
                   "OR handling_due_provisional = 1"),
            0);
  EXPECT_EQ(calendar_->recomputeProvisionalDeadlines(), 0u) << "nothing left to settle";
}

}  // namespace
}  // namespace hotline
