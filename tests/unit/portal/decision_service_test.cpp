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

  // How many changes were logged for decision `id`.
  int loggedCount(std::int64_t id) {
    auto conn = pool_.acquire();
    int n = 0;
    for (const auto& c : portal::indexing::ChangeLogStore(*conn).after(0, 100000).changes) {
      n += c.doc_kind == portal::changes::DocKind::Decision && c.doc_key == std::to_string(id);
    }
    return n;
  }

  std::int64_t countWhere(const std::string& sql, std::int64_t id) {
    auto conn = pool_.acquire();
    db::Rows r = conn->query(sql, std::to_string(id));
    return r.next() ? r.i64("n") : -1;
  }

  // Published on 2026-11-23 (decided 11-20, due 12-01), corrected on `day`.
  std::int64_t published(const char* number) {
    setToday("2026-11-23");
    const auto id = created(service_->create(Actor::console(), zhzf_, input(number, "2026-11-20")));
    EXPECT_EQ(statusOf(service_->publish(Actor::console(), id, {})), 200);
    return id;
  }

  std::string firstError(const DecisionResult& r) {
    return std::holds_alternative<Refused>(r) && !std::get<Refused>(r).errors.empty()
               ? std::get<Refused>(r).errors.front()
               : "";
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

// 更正 (outside audit M5): a published decision is corrected in place with a public note.
TEST_F(DecisionServiceDb, ACorrectionKeepsTheAddressAndTheClockAndShowsItsNote) {
  const auto id = published("罚〔2026〕21号");
  const auto before = *service_->find(id);
  const int logged = loggedCount(id);
  setToday("2026-12-07");  // after the publication due date: the clock must not restart
  DecisionInput in = input("罚〔2026〕21号", "2026-11-20");
  in.fine_amount = "30000";
  in.outcome_text = "罚款人民币叁万元整。";
  ASSERT_EQ(
      statusOf(service_->correct(Actor::console(), id, in, " 罚款金额录入有误，已更正。 ", {})),
      200);
  const auto d = *service_->find(id);
  EXPECT_EQ(d.state, DecisionState::Published);
  EXPECT_EQ(d.fine_amount_fen, 3000000);
  EXPECT_EQ(d.outcome_text, "罚款人民币叁万元整。");
  EXPECT_EQ(d.publish_due, before.publish_due);
  EXPECT_EQ(d.published_on, before.published_on);
  EXPECT_EQ(d.published_at, before.published_at);
  EXPECT_TRUE(d.publishedOnTime()) << "published on time, corrected later: still on time";
  const auto list = service_->corrections(id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].note, "罚款金额录入有误，已更正。");
  EXPECT_EQ(correctionLine(list[0]), "本决定信息已于2026年12月7日更正：罚款金额录入有误，已更正。");
  EXPECT_NE(list[0].before_json.find("\"fine_amount\":\"3000\""), std::string::npos)
      << list[0].before_json;
  EXPECT_NE(list[0].after_json.find("\"fine_amount\":\"30000\""), std::string::npos)
      << list[0].after_json;
  EXPECT_EQ(loggedCount(id), logged + 1) << "the search document is updated";
  EXPECT_EQ(lastLogged(id), "upsert");
  EXPECT_EQ(countWhere("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'decision.correct' "
                       "AND object_id = ?",
                       id),
            1);

  setToday("2026-12-08");
  in.legal_basis = "《城市市容和环境卫生管理条例》第十四条、第三十六条";
  ASSERT_EQ(statusOf(service_->correct(Actor::console(), id, in, "法律依据条款有误，已更正。", {})),
            200);
  const auto both = service_->corrections(id);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].note, "法律依据条款有误，已更正。") << "newest first";
  EXPECT_EQ(both[1].note, "罚款金额录入有误，已更正。");
}

TEST_F(DecisionServiceDb, ACorrectionNeedsANoteAndAChange) {
  const auto id = published("罚〔2026〕22号");
  DecisionInput in = input("罚〔2026〕22号", "2026-11-20");
  in.fine_amount = "30000";
  auto r = service_->correct(Actor::console(), id, in, "   ", {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("请填写更正说明"), std::string::npos) << firstError(r);
  std::string long_note;
  for (int i = 0; i < 501; ++i) long_note += "更";
  r = service_->correct(Actor::console(), id, in, long_note, {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("更正说明不能超过500个字"), std::string::npos) << firstError(r);

  r = service_->correct(Actor::console(), id, input("罚〔2026〕22号", "2026-11-20"), "更正。", {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("无变化"), std::string::npos) << firstError(r);

  EXPECT_EQ(service_->find(id)->fine_amount_fen, 300000) << "nothing was written";
  EXPECT_TRUE(service_->corrections(id).empty());
}

// Found by review: the date and kind set the publication clock, a decision recorded as changed
// is withdrawn rather than corrected, and a person's corrected name (a prefix of the mistyped
// one) must not leave a character of the old one in the public note.
TEST_F(DecisionServiceDb, ACorrectionKeepsWhatTheClockRestsOnAndMasksBothNames) {
  const auto id = published("罚〔2026〕23号");
  setToday("2026-12-07");
  DecisionInput moved = input("罚〔2026〕23号", "2026-11-19");
  moved.fine_amount = "30000";
  auto r = service_->correct(Actor::console(), id, moved, "日期有误。", {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("不能更正"), std::string::npos) << firstError(r);

  setToday("2026-11-23");
  DecisionInput person = input("罚〔2026〕24号", "2026-11-20");
  person.party_kind = "person";
  person.party_name = "王小明明";
  const auto pid = created(service_->create(Actor::console(), zhzf_, person));
  ASSERT_EQ(statusOf(service_->publish(Actor::console(), pid, {})), 200);
  setToday("2026-12-07");
  person.party_name = "王小明";
  ASSERT_EQ(statusOf(service_->correct(Actor::console(), pid, person,
                                       "当事人姓名王小明明有误，更正为王小明。", {})),
            200);
  const auto notes = service_->corrections(pid);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].note.find("明明"), std::string::npos) << notes[0].note;
  EXPECT_EQ(notes[0].note.find("小明"), std::string::npos) << notes[0].note;
  EXPECT_EQ(notes[0].note.find("某明"), std::string::npos) << "no character of the old name";

  ASSERT_EQ(statusOf(service_->recordChange(Actor::console(), id, "2026-12-01")), 200);
  EXPECT_EQ(statusOf(service_->correct(Actor::console(), id, input("罚〔2026〕23号", "2026-11-20"),
                                       "更正。", {})),
            409);
}

TEST_F(DecisionServiceDb, PersonalDataInACorrectionIsRefusedAsAtPublication) {
  const auto id = published("罚〔2026〕23号");
  const int logged = loggedCount(id);
  DecisionInput in = input("罚〔2026〕23号", "2026-11-20");
  in.facts += "现场负责人电话13912345678。";
  auto r = service_->correct(Actor::console(), id, in, "补充事实。", {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("13912345678"), std::string::npos) << firstError(r);

  // A child's age cannot be confirmed, as at publication.
  DecisionInput minor = input("罚〔2026〕23号", "2026-11-20");
  minor.facts += "其子刘洋（15岁）在场。";
  r = service_->correct(Actor::console(), id, minor, "补充事实。", {"minor:刘洋（15岁）"});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("不能确认公开"), std::string::npos) << firstError(r);

  // Marking it as about a minor is no correction: such a decision is withdrawn.
  DecisionInput about_minor = input("罚〔2026〕23号", "2026-11-20");
  about_minor.involves_minor = true;
  EXPECT_EQ(statusOf(service_->correct(Actor::console(), id, about_minor, "涉及未成年人。", {})),
            422);

  // The note is public too.
  DecisionInput amount = input("罚〔2026〕23号", "2026-11-20");
  amount.fine_amount = "30000";
  r = service_->correct(Actor::console(), id, amount, "当事人来电13912345678反映金额有误。", {});
  ASSERT_EQ(statusOf(r), 422);
  EXPECT_NE(firstError(r).find("更正说明中疑似手机号码“13912345678”"), std::string::npos)
      << firstError(r);

  const auto d = *service_->find(id);
  EXPECT_EQ(d.facts, "当事人擅自设置大型户外广告。") << "nothing was written";
  EXPECT_EQ(d.fine_amount_fen, 300000);
  EXPECT_TRUE(service_->corrections(id).empty());
  EXPECT_EQ(loggedCount(id), logged);

  // Confirmed like at publication (e.g. a company's public phone), it is corrected.
  r = service_->correct(Actor::console(), id, in, "补充事实。", {"mobile:13912345678"});
  ASSERT_EQ(statusOf(r), 200) << firstError(r);
  EXPECT_NE(service_->find(id)->facts.find("13912345678"), std::string::npos);
}

TEST_F(DecisionServiceDb, OnlyThisDepartmentCorrectsAndOnlyAPublishedDecision) {
  const auto id = published("罚〔2026〕24号");
  const auto scjg = portal::publishing::CatalogService(pool_).department("scjg")->id;
  portal::accounts::Principal other;
  other.account_id = 1;
  other.username = "editor_scjg";
  other.role = portal::accounts::Role::Editor;
  other.department_id = scjg;
  DecisionInput in = input("罚〔2026〕24号", "2026-11-20");
  in.fine_amount = "30000";
  EXPECT_EQ(statusOf(service_->correct(Actor::staff(other, "127.0.0.1"), id, in, "更正金额。", {})),
            403);
  EXPECT_EQ(service_->find(id)->fine_amount_fen, 300000);

  const auto draft =
      created(service_->create(Actor::console(), zhzf_, input("罚〔2026〕25号", "2026-11-20")));
  DecisionInput d = input("罚〔2026〕25号", "2026-11-20");
  d.fine_amount = "30000";
  EXPECT_EQ(statusOf(service_->correct(Actor::console(), draft, d, "更正金额。", {})), 409)
      << "a draft is edited, not corrected";
  ASSERT_EQ(statusOf(service_->withdraw(Actor::console(), id, "2026-11-23", "复议撤销")), 200);
  EXPECT_EQ(statusOf(service_->correct(Actor::console(), id, in, "更正金额。", {})), 409)
      << "a withdrawn decision is not corrected";
  EXPECT_EQ(statusOf(service_->correct(Actor::console(), 999999, in, "更正金额。", {})), 404);
}

}  // namespace
