// DecisionService against a real MariaDB: publication, withdrawal and retention with a clock the
// test sets, the redaction check at publication, and what reaches the search change log.
#include "portal/disclosure/decision_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "db/pool.h"
#include "portal/demo/demo_data.h"
#include "portal/indexing/change_log_store.h"
#include "portal/publishing/catalog_service.h"
#include "tests/support/test_database.h"
#include "tests/unit/hotline/shipped_calendar.h"

namespace {

using hotline::test_support::date;
using namespace portal::disclosure;
using portal::accounts::Actor;

class DecisionServiceDb : public ::testing::Test {
 protected:
  DecisionServiceDb() : pool_(tdb_.options()), calendar_(pool_) {
    portal::demo::loadDemoData(pool_);
    calendar_.loadTsv(hotline::test_support::readShippedCalendarText());
    zhzf_ = portal::publishing::CatalogService(pool_).department("zhzf")->id;
    service_ = std::make_unique<DecisionService>(
        pool_, calendar_, options_,
        hotline::LocalClock(480, [this] { return now_; }));
  }

  // 10:00 Beijing time on `day`.
  void setToday(const char* day) {
    const auto d = date(day);
    now_ = std::chrono::system_clock::time_point(std::chrono::hours(24 * d.daysSinceEpoch() + 2));
  }

  DecisionInput input(const char* number, const char* decided) {
    DecisionInput in;
    in.decision_number = number;
    in.decision_kind = "penalty";
    in.party_kind = "organisation";
    in.party_name = "长春新区某某商贸有限公司";
    in.facts = "当事人擅自设置大型户外广告。";
    in.legal_basis = "《城市市容和环境卫生管理条例》第十一条、第三十六条";
    in.outcome_type = "fine";
    in.outcome_text = "罚款人民币叁仟元整。";
    in.fine_amount = "3000";
    in.decision_date = decided;
    return in;
  }

  std::int64_t created(const DecisionResult& r) {
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(r))
        << std::get<Refused>(r).errors.front();
    return std::holds_alternative<std::int64_t>(r) ? std::get<std::int64_t>(r) : 0;
  }

  int statusOf(const DecisionResult& r) {
    return std::holds_alternative<Refused>(r) ? std::get<Refused>(r).status : 200;
  }

  // The last change logged for decision `id`: "upsert", "remove" or "" when none.
  std::string lastLogged(std::int64_t id) {
    auto conn = pool_.acquire();
    std::string last;
    for (const auto& c : portal::indexing::ChangeLogStore(*conn).after(0, 100000).changes) {
      if (c.doc_kind == portal::changes::DocKind::Decision && c.doc_key == std::to_string(id)) {
        last = c.remove ? "remove" : "upsert";
      }
    }
    return last;
  }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  hotline::CalendarService calendar_;
  DisclosureOptions options_;
  std::chrono::system_clock::time_point now_;
  std::unique_ptr<DecisionService> service_;
  std::int64_t zhzf_ = 0;
};

TEST_F(DecisionServiceDb, PublishedAfterTheClockIsRecordedAsLateAndCountedSo) {
  setToday("2026-10-15");
  // Decided 2026-09-29: due 2026-10-14 (国庆节 skipped, 10-10 worked).
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕1号", "2026-09-29")));
  EXPECT_EQ(service_->find(id)->publish_due, date("2026-10-14"));
  EXPECT_EQ(lastLogged(id), "") << "a draft is not searchable";
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
  const auto d = service_->find(id);
  EXPECT_EQ(d->state, DecisionState::Published);
  EXPECT_FALSE(d->publishedOnTime());
  EXPECT_EQ(lastLogged(id), "upsert");
  const auto counts = service_->counts(date("2026-09-01"), date("2026-09-30"));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].published, 1);
  EXPECT_EQ(counts[0].on_time, 0);
  EXPECT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 409) << "published once only";
}

TEST_F(DecisionServiceDb, AnIdNumberStopsPublicationUntilConfirmed) {
  setToday("2026-11-26");
  DecisionInput in = input("罚〔2026〕2号", "2026-11-20");
  in.facts += "经查，现场负责人身份证号码220104198503120038。";
  const auto id = created(service_->create(Actor::console(), zhzf_, in));
  const auto refused = service_->publish(Actor::console(), id, {});
  ASSERT_EQ(statusOf(refused), 422);
  EXPECT_NE(std::get<Refused>(refused).errors.front().find("身份证号码“220104198503120038”"),
            std::string::npos)
      << std::get<Refused>(refused).errors.front();
  EXPECT_EQ(service_->find(id)->state, DecisionState::Draft);
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {"id_number:220104198503120038"})),
            200);
}

// From the outside audit: a mistyped ID after its label, a witness by name and a child's age.
TEST_F(DecisionServiceDb, TheAuditsFindingsStopPublicationAndTheMinorCannotBeConfirmed) {
  setToday("2026-11-26");
  DecisionInput in = input("罚〔2026〕3号", "2026-11-20");
  in.facts += "证人王建国证实，现场负责人身份证号：220104198503120039。其子刘洋（15岁）在场。";
  const auto id = created(service_->create(Actor::console(), zhzf_, in));
  const auto refused = service_->publish(Actor::console(), id, {});
  ASSERT_EQ(statusOf(refused), 422);
  const auto& errors = std::get<Refused>(refused).errors;
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0],
            "主要事实中疑似第三人姓名“王建国”（“证人王建国证实，现场负责人身份…”）："
            "请删除，或确认可以公开。");
  EXPECT_NE(errors[1].find("身份证号码“220104198503120039”"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("主要事实中有未成年人信息“刘洋（15岁）”"), std::string::npos)
      << errors[2];
  EXPECT_NE(errors[2].find("不能确认公开"), std::string::npos) << errors[2];

  // Confirming everything still leaves the child: the draft stays a draft.
  const auto still = service_->publish(
      Actor::console(), id,
      {"person_name:王建国", "id_number:220104198503120039", "minor:刘洋（15岁）"});
  ASSERT_EQ(statusOf(still), 422);
  ASSERT_EQ(std::get<Refused>(still).errors.size(), 1u);
  EXPECT_NE(std::get<Refused>(still).errors[0].find("刘洋（15岁）"), std::string::npos);
  EXPECT_EQ(service_->find(id)->state, DecisionState::Draft);
  EXPECT_EQ(lastLogged(id), "") << "nothing reaches the search index";
}

TEST_F(DecisionServiceDb, WithdrawalHasItsOwnClockAndOnlyPublishedDecisionsCanBeWithdrawn) {
  setToday("2026-09-30");
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕3号", "2026-09-29")));
  EXPECT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-09-30", "撤销")), 409)
      << "a draft is not withdrawn";
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
  setToday("2026-10-12");
  EXPECT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-09-30", "  ")), 422);
  EXPECT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-10-13", "撤销")), 422)
      << "a change date in the future";
  ASSERT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-09-30", "复议撤销")), 200);
  const auto d = service_->find(id);
  EXPECT_EQ(d->state, DecisionState::Withdrawn);
  // Changed 09-30: 10-08 (1), 10-09 (2), Saturday 10-10 worked (3); withdrawn 10-12: late.
  EXPECT_EQ(d->withdraw_due, date("2026-10-10"));
  EXPECT_FALSE(d->withdrawnOnTime());
  EXPECT_EQ(d->withdraw_reason, "复议撤销");
  EXPECT_EQ(lastLogged(id), "remove") << "the content leaves the index";
  EXPECT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-09-30", "again")), 409);
}

TEST_F(DecisionServiceDb, ARecordedChangeStartsTheWithdrawalClockBeforeTheWithdrawal) {
  setToday("2026-09-30");
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕6号", "2026-09-29")));
  EXPECT_EQ(statusOf(service_->recordChange(Actor::console(), id, "2026-09-30")), 409)
      << "a draft has nothing to withdraw";
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
  EXPECT_EQ(statusOf(service_->recordChange(Actor::console(), id, "2026-09-28")), 422)
      << "changed before it was decided";
  ASSERT_EQ(statusOf(service_->recordChange(Actor::console(), id, "2026-09-30")), 200);
  auto d = service_->find(id);
  EXPECT_EQ(d->state, DecisionState::Published) << "still public until withdrawn";
  EXPECT_EQ(d->withdraw_due, date("2026-10-10"));
  const auto queue = service_->listForStaff(zhzf_, std::nullopt);
  ASSERT_FALSE(queue.empty());
  EXPECT_EQ(queue.front().id, id) << "waiting to be withdrawn comes first";

  setToday("2026-10-09");
  ASSERT_EQ(statusOf(service_->withdraw(Actor::console(), id, "", "复议撤销")), 200)
      << "the recorded date is used";
  d = service_->find(id);
  EXPECT_EQ(d->changed_on, date("2026-09-30"));
  EXPECT_TRUE(d->withdrawnOnTime());
}

TEST_F(DecisionServiceDb, AfterTheRetentionPeriodADecisionLeavesThePublicPagesAndTheIndex) {
  setToday("2026-03-05");
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕4号", "2026-03-02")));
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
  EXPECT_EQ(service_->listPublic({}).total, 1);
  EXPECT_EQ(service_->retireExpired(), 0u);

  now_ += std::chrono::hours(24 * options_.retention_days);  // the last day it is shown
  EXPECT_EQ(service_->listPublic({}).total, 1);
  EXPECT_FALSE(service_->isRetired(*service_->find(id)));
  EXPECT_EQ(service_->retireExpired(), 0u);

  now_ += std::chrono::hours(24);
  EXPECT_EQ(service_->listPublic({}).total, 0);
  EXPECT_TRUE(service_->isRetired(*service_->find(id)));
  EXPECT_EQ(service_->retireExpired(), 1u);
  EXPECT_EQ(lastLogged(id), "remove");
  EXPECT_EQ(service_->retireExpired(), 0u) << "retired once";
}

TEST_F(DecisionServiceDb, AProvisionalClockIsSettledWhenTheNextYearsNoticeIsLoaded) {
  setToday("2026-12-28");
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕7号", "2026-12-28")));
  // Without the 2027 notice, weekends and the statutory days off (元旦) count: 12-29..31 (1-3),
  // 01-04..07 (4-7).
  auto d = service_->find(id);
  EXPECT_TRUE(d->publish_provisional);
  EXPECT_EQ(d->publish_due, date("2027-01-07"));
  EXPECT_EQ(service_->recomputeProvisionalClocks(), 0u) << "nothing new is known yet";

  const auto loaded = calendar_.loadTsv(
      "date\tkind\tname\tnotice\n2027-01-01\tholiday\t元旦\t测试用2027年通知\n"
      "2027-01-03\tworkday\t元旦调休上班\t测试用2027年通知\n",
      hotline::CalendarLoadMode::OnlyMissingYears);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(service_->recomputeProvisionalClocks(), 1u);
  d = service_->find(id);
  EXPECT_FALSE(d->publish_provisional);
  EXPECT_EQ(d->publish_due, date("2027-01-06")) << "the notice's make-up Sunday 01-03 counts";
}

TEST_F(DecisionServiceDb, AProvisionalWithdrawalClockIsSettledWhenTheNoticeIsLoaded) {
  setToday("2026-12-28");
  const auto id = created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕8号", "2026-12-14")));
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
  setToday("2026-12-31");
  // Revoked Thursday 12-31: 元旦 01-01 is off by law, weekend, 01-04 (1) .. 01-06 (3).
  ASSERT_EQ(statusOf(service_->recordChange(Actor::console(), id, "2026-12-31")), 200);
  auto d = service_->find(id);
  EXPECT_EQ(d->withdraw_due, date("2027-01-06"));
  EXPECT_TRUE(d->withdraw_provisional) << "2027's notice is not loaded yet";

  const auto loaded = calendar_.loadTsv(
      "date\tkind\tname\tnotice\n2027-01-01\tholiday\t元旦\t测试用2027年通知\n"
      "2027-01-03\tworkday\t元旦调休上班\t测试用2027年通知\n",
      hotline::CalendarLoadMode::OnlyMissingYears);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(service_->recomputeProvisionalClocks(), 1u);
  d = service_->find(id);
  EXPECT_FALSE(d->withdraw_provisional);
  EXPECT_EQ(d->withdraw_due, date("2027-01-05")) << "the make-up Sunday 01-03 counts";
  EXPECT_EQ(service_->recomputeProvisionalClocks(), 0u);
}

TEST_F(DecisionServiceDb, ADuplicateNumberInTheSameDepartmentIsRefused) {
  setToday("2026-11-26");
  created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕5号", "2026-11-20")));
  EXPECT_EQ(statusOf(service_->create(Actor::console(), zhzf_, input("罚〔2026〕5号", "2026-11-21"))),
            409);
}

}  // namespace
