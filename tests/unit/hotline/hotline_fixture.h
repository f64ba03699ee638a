#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "db/connection.h"
#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/complaint_service.h"
#include "hotline/tracking_code.h"
#include "shipped_calendar.h"
#include "tests/support/test_database.h"

namespace hotline::testing_support {

// Seconds since the epoch for a Beijing wall-clock time "YYYY-MM-DD HH:MM:SS".
inline std::int64_t beijingSeconds(const std::string& text) {
  const CivilDate d = *CivilDate::parse(text.substr(0, 10));
  const int h = std::stoi(text.substr(11, 2));
  const int m = std::stoi(text.substr(14, 2));
  const int s = std::stoi(text.substr(17, 2));
  return d.daysSinceEpoch() * 86400 + h * 3600 + m * 60 + s - 8 * 3600;
}

// A fresh migrated database with three departments and the shipped calendar loaded, a clock
// the test sets, and the services built on them.
class HotlineTest : public ::testing::Test {
 protected:
  explicit HotlineTest(int pool_size = 8) {
    db::Options o = tdb_.options();
    o.pool_size = pool_size;
    o.acquire_timeout_ms = 60000;
    pool_ = std::make_unique<db::Pool>(o);
    {
      auto conn = pool_->acquire();
      for (const char* name : {"区城市管理局", "区市场监督管理局", "区生态环境分局"}) {
        conn->execute(
            "INSERT INTO departments (slug, name, short_name, description, main_duties, "
            "complaint_scope, hotline_phone, complaint_email, postal_address, office_hours) "
            "VALUES (?, ?, ?, '', '', '', '', '', '', '')",
            std::string("d") + std::to_string(++departments_), name, name);
      }
    }
    setNow("2025-09-26 10:00:00");
    LocalClock clock(480, [now = now_] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
    });
    calendar_ = std::make_unique<CalendarService>(*pool_, clock);
    const CalendarLoadResult loaded =
        calendar_->loadTsv(hotline::test_support::readShippedCalendarText());
    EXPECT_TRUE(loaded.ok());
    service_ = std::make_unique<ComplaintService>(*pool_, *calendar_, testOptions(), clock);
  }

  static HotlineOptions testOptions() {
    HotlineOptions o;
    static const std::string key = TrackingCode::generateKey();  // one key, like one node
    o.tracking_key = key;
    // Many submissions give the same phone: the abuse limits have tests of their own.
    o.intake_limits.per_phone = 0;
    return o;
  }

  void setNow(const std::string& beijing) { now_->store(beijingSeconds(beijing)); }

  std::string nextKey() { return "test-key-" + std::to_string(++keys_) + "-abcdefghijkl"; }

  IntakeRequest request(std::optional<std::int64_t> department = 1) {
    IntakeRequest r;
    r.department_id = department;
    r.category = "noise";
    r.description = "夜间施工噪声扰民，持续到凌晨两点";
    r.location = "长春市某区某路12号";
    r.complainant_name = "张三";
    r.complainant_phone = "138 1234 5678";
    r.idempotency_key = nextKey();
    return r;
  }

  Registration submitOk(IntakeRequest r) {
    IntakeResult result = service_->submit(r);
    EXPECT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors.front().message);
    return *result.registration;
  }

  std::int64_t scalar(const std::string& sql) {
    auto conn = pool_->acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }
  std::int64_t eventCount(std::int64_t id) {
    auto conn = pool_->acquire();
    db::Rows r =
        conn->query("SELECT COUNT(*) AS n FROM complaint_events WHERE complaint_id = ?", id);
    r.next();
    return r.i64("n");
  }
  Complaint stored(std::int64_t id) {
    auto d = service_->detail(id, supervisor());
    EXPECT_TRUE(d.has_value());
    return d ? d->complaint : Complaint{};
  }

  static StaffActor handler(std::int64_t department) {
    return StaffActor{"handler" + std::to_string(department), department};
  }
  static StaffActor supervisor() { return StaffActor{"fazhiban", std::nullopt}; }

  ::test_support::TestDatabase tdb_;
  std::shared_ptr<std::atomic<std::int64_t>> now_ = std::make_shared<std::atomic<std::int64_t>>(0);
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<CalendarService> calendar_;
  std::unique_ptr<ComplaintService> service_;
  int departments_ = 0;
  int keys_ = 0;
};

}  // namespace hotline::testing_support
