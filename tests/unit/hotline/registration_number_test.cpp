#include "hotline/registration_number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "hotline_fixture.h"

namespace hotline {
namespace {

TEST(RegistrationNumberFormatTest, DefaultAndCustomFormats) {
  const RegistrationNumberFormat def(HotlineOptions{}.registration_format);
  EXPECT_EQ(def.format(Source::Complaint, 2026, 123), "TS-2026-000123");
  EXPECT_EQ(def.format(Source::Inspection, 2025, 1), "XC-2025-000001");
  EXPECT_EQ(def.format(Source::Assigned, 2025, 1234567), "JB-2025-1234567");
  const RegistrationNumberFormat custom("长执{year}{source}第{seq:4}号");
  EXPECT_EQ(custom.format(Source::Referred, 2026, 7), "长执2026ZB第0007号");
}

// An audit found "TS2026000043", "TS 2026 000043" and "TS-2026-43" not found on /track,
// though the README says numbers are normalised: the hyphens may be left out and the sequence
// typed without its leading zeros.
TEST(RegistrationNumberFormatTest, ANumberTypedLooselyIsTheSameNumber) {
  const RegistrationNumberFormat def(HotlineOptions{}.registration_format);
  for (const char* typed : {"TS2026000043", "TS 2026 000043", "TS-2026-43", "ts2026-43",
                            "TS-2026-000043", "ＴＳ２０２６４３", "TS-2026 0000043"}) {
    EXPECT_EQ(normalizeRegistrationNo(typed, def), "TS-2026-000043") << typed;
  }
  EXPECT_EQ(normalizeRegistrationNo("JB-2025-1234567", def), "JB-2025-1234567");
  // Parts of numbers (the staff queue's search) and other text are only normalised.
  for (const char* typed : {"000043", "2026-000043", "TS-2026", "TS-2026-0", "TS-26-43",
                            "XX-2026-43", "TS-2026-43A", "TS/2026/43"}) {
    EXPECT_EQ(normalizeRegistrationNo(typed, def), normalizeRegistrationNo(typed)) << typed;
  }
  const RegistrationNumberFormat custom("长执{year}{source}第{seq:4}号");
  EXPECT_EQ(normalizeRegistrationNo("长执2026ZB第7号", custom), "长执2026ZB第0007号");
  EXPECT_EQ(normalizeRegistrationNo("2026ZB7", custom), "2026ZB7") << "text is not optional";
}

TEST(RegistrationNumberFormatTest, RefusesFormatsThatCannotBeUnique) {
  for (const char* bad :
       {"{year}-{seq}", "{source}-{seq:6}", "{source}-{year}", "{source}-{year}-{seq",
        "{source}-{year}-{num}", "{source}-{year}-{seq:0}", "{source}-{year:4}-{seq}"}) {
    EXPECT_THROW(RegistrationNumberFormat{bad}, std::invalid_argument) << bad;
  }
}

class ConcurrentNumberingTest : public testing_support::HotlineTest {
 protected:
  ConcurrentNumberingTest() : HotlineTest(32) {}
};

TEST_F(ConcurrentNumberingTest, TwoHundredConcurrentSubmissionsGetGapFreeNumbersInTimeOrder) {
  constexpr int kThreads = 200;
  std::vector<IntakeRequest> requests;
  for (int i = 0; i < kThreads; ++i) requests.push_back(request(1 + i % 3));
  std::vector<std::string> numbers(kThreads);
  std::vector<std::string> failures(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      try {
        IntakeResult r = service_->submit(requests[i]);
        if (r.ok())
          numbers[i] = r.registration->registration_no;
        else
          failures[i] = r.errors.front().message;
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) ASSERT_EQ(failures[i], "") << "submission " << i;

  std::set<std::string> distinct(numbers.begin(), numbers.end());
  ASSERT_EQ(distinct.size(), static_cast<std::size_t>(kThreads));
  char expected[32];
  int n = 0;
  for (const std::string& number : distinct) {  // sorted: zero padding makes text order numeric
    std::snprintf(expected, sizeof expected, "TS-2025-%06d", ++n);
    EXPECT_EQ(number, expected);
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), kThreads);
  EXPECT_EQ(scalar("SELECT last_number AS n FROM registration_sequences WHERE year = 2025 AND "
                   "source = 'TS'"),
            kThreads);
  // Numbering follows receipt time: no complaint has a later number but an earlier time.
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints a JOIN complaints b "
                   "ON a.reg_seq < b.reg_seq AND a.received_at > b.received_at"),
            0);
}

TEST_F(ConcurrentNumberingTest, SequencesArePerYearAndSource) {
  EXPECT_EQ(submitOk(request()).registration_no, "TS-2025-000001");
  IntakeRequest inspection = request();
  inspection.source = Source::Inspection;
  inspection.operator_account = "xuncha01";
  EXPECT_EQ(submitOk(inspection).registration_no, "XC-2025-000001");
  EXPECT_EQ(submitOk(request()).registration_no, "TS-2025-000002");
  setNow("2026-01-05 09:00:00");
  EXPECT_EQ(submitOk(request()).registration_no, "TS-2026-000001");
}

TEST_F(ConcurrentNumberingTest, AFailedIntakeGivesItsNumberBack) {
  // Make the event insert fail: the whole intake, number included, must roll back.
  {
    auto conn = pool_->acquire();
    conn->executeRaw(
        "CREATE TRIGGER fail_events BEFORE INSERT ON complaint_events FOR EACH ROW "
        "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'");
  }
  EXPECT_THROW(service_->submit(request()), db::DbError);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), 0);
  {
    auto conn = pool_->acquire();
    conn->executeRaw("DROP TRIGGER fail_events");
  }
  EXPECT_EQ(submitOk(request()).registration_no, "TS-2025-000001");
}

}  // namespace
}  // namespace hotline
