#include <gtest/gtest.h>

#include "hotline_fixture.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;

class QueueTest : public HotlineTest {};

// Open311's GET requests and requests/{id} are open to anyone. A number that is not there
// must be looked up, not searched for among every complaint (FIND_IN_SET read them all, newest
// first: 0.8 s at 400,000 complaints), a 90-day window must not read the years before it, and
// a window of years must not be sorted in full for its newest few.
// One connection, so its own row counters (Handler_read_*) say what the lookups read.
class PublicRequestsTest : public HotlineTest {
 protected:
  PublicRequestsTest() : HotlineTest(1) {}

  std::int64_t rowsRead() {
    auto conn = pool_->acquire();
    db::Rows r = conn->query(
        "SELECT CAST(SUM(VARIABLE_VALUE) AS SIGNED) AS n FROM information_schema.SESSION_STATUS "
        "WHERE VARIABLE_NAME LIKE 'HANDLER\\_READ\\_%'");
    EXPECT_TRUE(r.next());
    return r.i64("n");
  }
  // Rows read by `f`, less what reading the counters costs.
  std::int64_t rowsReadBy(const PublicRequestFilter& f, std::size_t expected) {
    const std::int64_t a = rowsRead();
    const std::int64_t b = rowsRead();
    EXPECT_EQ(service_->publicRequests(f).size(), expected);
    return rowsRead() - b - (b - a);
  }
};

TEST_F(PublicRequestsTest, LookupsReadTheRowsTheyAnswerNotEveryComplaint) {
  submitOk(request(1));  // TS-2025-000001, received 2025-09-26
  {
    // 3,000 older complaints, numbered after it (as imported history would be).
    auto conn = pool_->acquire();
    conn->execute(
        "INSERT INTO complaints (registration_no, source, reg_year, reg_seq, channel, category, "
        "description, tracking_code_hash, tracking_code_sealed, idempotency_key_hash, state, "
        "received_at, received_date, ack_working_days, ack_due, ack_due_provisional, "
        "handling_working_days, handling_due, handling_due_provisional, updated_at) "
        "SELECT CONCAT('TS-2020-', LPAD(seq, 6, '0')), 'TS', 2020, seq, 'web', 'noise', '噪声', "
        "'x', 'x', SHA2(CONCAT('history-', seq), 256), 'concluded', "
        "TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE, DATE('2020-01-01'), 5, '2020-01-08', 0, "
        "20, '2020-02-05', 0, TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE FROM seq_1_to_3000");
  }
  PublicRequestFilter unknown;
  unknown.registration_nos = {"TS-2019-000001", "TS-2020-000007", "TS-2020-000007"};
  EXPECT_LT(rowsReadBy(unknown, 1), 100);

  PublicRequestFilter window;  // GeoReport v2's default: the 90 days up to now
  window.received_from = "2025-06-28 10:00:00";
  window.received_to = "2025-09-26 10:00:00";
  EXPECT_LT(rowsReadBy(window, 1), 100);

  PublicRequestFilter since;  // start_date alone: everything since, the newest first
  since.received_from = "2019-01-01 00:00:00";
  since.limit = 10;
  EXPECT_LT(rowsReadBy(since, 10), 100);
  EXPECT_EQ(service_->publicRequests(since).front().registration_no, "TS-2025-000001");
}

TEST_F(QueueTest, ADepartmentsQueueFiltersByStateOverdueAndThisWeek) {
  // Received Friday 2025-09-26 (ack due 2025-10-10) and Thursday 2025-10-09 (due 2025-10-16).
  const std::int64_t early = submitOk(request(1)).complaint_id;
  IntakeRequest anonymous = request(1);
  anonymous.complainant_phone = "";
  anonymous.complainant_name = "";
  setNow("2025-10-09 09:00:00");
  const std::int64_t late = submitOk(anonymous).complaint_id;
  submitOk(request(2));
  submitOk(request(std::nullopt));

  QueueFilter f;
  f.department_id = 1;
  QueuePage page = service_->queue(f);
  ASSERT_EQ(page.total, 2);
  EXPECT_EQ(page.rows[0].id, early) << "ordered by the running deadline";
  EXPECT_EQ(page.rows[0].masked_phone, "138****5678");
  EXPECT_FALSE(page.rows[0].anonymous);
  EXPECT_TRUE(page.rows[1].anonymous);
  EXPECT_EQ(page.rows[1].masked_phone, "");
  EXPECT_EQ(page.rows[0].clock, RunningClock::Acknowledgment);
  EXPECT_EQ(page.rows[0].due->toString(), "2025-10-10");
  EXPECT_FALSE(page.rows[0].overdue);

  // Thursday 2025-10-09: this week runs 10-06..10-12.
  f.due_this_week = true;
  page = service_->queue(f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.rows[0].id, early);

  setNow("2025-10-13 09:00:00");
  f.due_this_week = false;
  f.overdue_only = true;
  page = service_->queue(f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.rows[0].id, early);
  EXPECT_TRUE(page.rows[0].overdue);

  // Accepting switches the running clock to handling, which is not overdue.
  ASSERT_TRUE(service_->accept(early, handler(1), "").ok());
  EXPECT_EQ(service_->queue(f).total, 0);
  f.overdue_only = false;
  f.state = ComplaintState::Accepted;
  page = service_->queue(f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.rows[0].clock, RunningClock::Handling);

  QueueFilter unassigned;
  unassigned.unassigned_only = true;
  EXPECT_EQ(service_->queue(unassigned).total, 1);
  QueueFilter all;
  all.page_size = 1;
  all.page = 2;
  page = service_->queue(all);
  EXPECT_EQ(page.total, 4);
  EXPECT_EQ(page.rows.size(), 1u);
  (void)late;
}

TEST_F(QueueTest, StatisticsCountByDepartmentStateMonthAndTheShareAcknowledgedOnTime) {
  const std::int64_t on_time = submitOk(request(1)).complaint_id;  // due 2025-10-10
  const std::int64_t late = submitOk(request(1)).complaint_id;
  const std::int64_t open = submitOk(request(1)).complaint_id;
  submitOk(request(2));
  setNow("2025-10-09 10:00:00");
  ASSERT_TRUE(service_->accept(on_time, handler(1), "").ok());
  setNow("2025-10-20 10:00:00");
  ASSERT_TRUE(service_->reject(late, handler(1), "no_facts", "无线索").ok());
  (void)open;

  const Statistics s =
      service_->statistics(test_support::date("2025-09-01"), test_support::date("2025-10-31"));
  ASSERT_EQ(s.by_department.size(), 3u);  // two departments and the total
  const DepartmentStatistics& d1 = s.by_department[0];
  EXPECT_EQ(d1.department_name, "区城市管理局");
  EXPECT_EQ(d1.received, 3);
  EXPECT_EQ(d1.acknowledged, 2);
  EXPECT_EQ(d1.acknowledged_on_time, 1);
  EXPECT_EQ(d1.ack_overdue_open, 1);
  EXPECT_DOUBLE_EQ(d1.on_time_share, 1.0 / 3.0);
  const DepartmentStatistics& total = s.by_department.back();
  EXPECT_EQ(total.department_name, "合计");
  EXPECT_EQ(total.received, 4);
  EXPECT_EQ(total.ack_overdue_open, 2);

  std::int64_t counted = 0;
  for (const StateCount& c : s.by_department_month_state) {
    EXPECT_EQ(c.month, "2025-09");
    counted += c.count;
    if (c.department_id == 1 && c.state == ComplaintState::Rejected) {
      EXPECT_EQ(c.count, 1);
    }
  }
  EXPECT_EQ(counted, 4);
}

}  // namespace
}  // namespace hotline
