// After-enforcement decisions: the publication and withdrawal clocks on the real holiday
// calendar, what an editor must fill in, and what the public sees of the party.
#include "portal/disclosure/decision.h"

#include <gtest/gtest.h>

#include "tests/unit/hotline/shipped_calendar.h"

namespace portal::disclosure {
namespace {

using hotline::test_support::date;
using hotline::test_support::shippedCalendar;

const DisclosureOptions kOptions;

// Counted by hand against data/cn-workday-calendar.tsv (2026: 中秋节 09-25..27, 国庆节
// 10-01..07, 调休上班 09-20 and 10-10).
TEST(PublicationClock, PenaltyDecisionSkipsTheNationalDayHolidayAndCountsTheMakeupSaturday) {
  // 09-30 (1), 10-01..07 off, 10-08 (2), 10-09 (3), Sat 10-10 worked (4), 10-12..14 (5-7).
  const auto d = publicationDeadline(shippedCalendar(), date("2026-09-29"), DecisionKind::Penalty,
                                     kOptions);
  EXPECT_EQ(d.due, date("2026-10-14")) << d.summary;
  EXPECT_FALSE(d.provisional);
  EXPECT_NE(d.summary.find("国庆节调休上班"), std::string::npos) << d.summary;
  EXPECT_EQ(d.summary.rfind("自作出决定次日起算7个工作日", 0), 0u) << d.summary;
}

TEST(PublicationClock, OtherDecisionsHaveTwentyWorkingDays) {
  // 09-30 (1), 10-08..10 (2-4), 10-12..16 (5-9), 10-19..23 (10-14), 10-26..30 (15-19), 11-02 (20).
  const auto d = publicationDeadline(shippedCalendar(), date("2026-09-29"), DecisionKind::Other,
                                     kOptions);
  EXPECT_EQ(d.due, date("2026-11-02")) << d.summary;
}

TEST(PublicationClock, OrdinaryWeekCountsFromTheNextDay) {
  // Decided on Friday 2026-11-20: 11-23..27 (1-5), 11-30 (6), 12-01 (7).
  const auto d = publicationDeadline(shippedCalendar(), date("2026-11-20"), DecisionKind::Penalty,
                                     kOptions);
  EXPECT_EQ(d.due, date("2026-12-01"));
}

TEST(PublicationClock, ReachingIntoAYearWithoutANoticeIsProvisional) {
  const auto d = publicationDeadline(shippedCalendar(), date("2026-12-28"), DecisionKind::Penalty,
                                     kOptions);
  EXPECT_TRUE(d.provisional);
  EXPECT_EQ(d.unloaded_years, std::vector<int>{2027});
}

TEST(WithdrawalClock, ThreeWorkingDaysEvenAcrossTheHoliday) {
  // Revoked on Wednesday 2026-09-30: 10-08 (1), 10-09 (2), Saturday 10-10 worked (3).
  const auto d = withdrawalDeadline(shippedCalendar(), date("2026-09-30"), kOptions);
  EXPECT_EQ(d.due, date("2026-10-10")) << d.summary;
}

TEST(WithdrawalClock, SpringFestival2026) {
  // 春节 2026-02-15..23 off, 02-14 and 02-28 worked. Revoked Friday 02-13: 02-14 (1, Saturday
  // worked), 02-24 (2), 02-25 (3).
  const auto d = withdrawalDeadline(shippedCalendar(), date("2026-02-13"), kOptions);
  EXPECT_EQ(d.due, date("2026-02-25")) << d.summary;
}

DecisionInput validInput() {
  DecisionInput in;
  in.decision_number = "长新综执罚决字〔2026〕第0012号";
  in.decision_kind = "penalty";
  in.party_kind = "organisation";
  in.party_name = "长春市某某餐饮有限公司";
  in.facts = "当事人未经批准擅自设置大型户外广告。";
  in.legal_basis = "《城市市容和环境卫生管理条例》第十一条、第三十六条";
  in.outcome_type = "fine";
  in.outcome_text = "罚款人民币伍仟元整，责令限期拆除。";
  in.fine_amount = "5000";
  in.decision_date = "2026-11-20";
  return in;
}

TEST(ValidateDecision, AValidPenaltyPasses) {
  const auto v = validateDecision(validInput(), date("2026-11-26"));
  EXPECT_TRUE(v.errors.empty()) << v.errors.front();
  EXPECT_EQ(v.decision.fine_amount_fen, 500000);
  EXPECT_EQ(v.decision.decision_date, date("2026-11-20"));
}

TEST(ValidateDecision, EveryMissingOrWrongFieldIsNamedInChinese) {
  struct Case {
    const char* label;
    void (*change)(DecisionInput&);
    const char* message;
  };
  const Case cases[] = {
      {"no basis", [](DecisionInput& in) { in.legal_basis = "  "; }, "请填写法律依据"},
      // An NBSP pasted from a web page and a BOM are blank too (base::trim).
      {"basis of NBSP and BOM", [](DecisionInput& in) { in.legal_basis = "\xC2\xA0\xEF\xBB\xBF"; },
       "请填写法律依据"},
      {"no date", [](DecisionInput& in) { in.decision_date = ""; }, "请填写作出决定的日期"},
      {"bad date", [](DecisionInput& in) { in.decision_date = "2026-02-30"; }, "决定日期须为有效日期"},
      {"future", [](DecisionInput& in) { in.decision_date = "2026-11-27"; }, "不能晚于今天"},
      {"no number", [](DecisionInput& in) { in.decision_number = ""; }, "请填写决定书文号"},
      {"fine without amount", [](DecisionInput& in) { in.fine_amount = ""; }, "请填写罚款金额"},
      {"amount not a number", [](DecisionInput& in) { in.fine_amount = "五千"; }, "罚款金额须为"},
      {"penalty type on other", [](DecisionInput& in) { in.decision_kind = "other"; },
       "行政处罚的种类只能用于行政处罚决定"},
      {"no party kind", [](DecisionInput& in) { in.party_kind = "alien"; }, "请选择当事人类别"},
  };
  for (const Case& c : cases) {
    DecisionInput in = validInput();
    c.change(in);
    const auto v = validateDecision(in, date("2026-11-26"));
    ASSERT_EQ(v.errors.size(), 1u) << c.label;
    EXPECT_NE(v.errors.front().find(c.message), std::string::npos)
        << c.label << ": " << v.errors.front();
  }
}

TEST(Yuan, ParsesAndFormatsAmounts) {
  EXPECT_EQ(parseYuan("5000"), 500000);
  EXPECT_EQ(parseYuan("5,000.5"), 500050);
  EXPECT_EQ(parseYuan("0.05"), 5);
  EXPECT_FALSE(parseYuan("5."));
  EXPECT_FALSE(parseYuan("5.001"));
  EXPECT_FALSE(parseYuan("-5"));
  EXPECT_FALSE(parseYuan(""));
  EXPECT_FALSE(parseYuan("99999999999999"));
  EXPECT_EQ(formatYuan(500050), "5000.50");
  EXPECT_EQ(formatYuan(500000), "5000");
  EXPECT_EQ(formatYuan(5), "0.05");
}

TEST(PublicParty, APersonsNameIsMaskedEverywhereAnOrganisationsIsNot) {
  Decision d;
  d.party_kind = PartyKind::Person;
  d.party_name = "王小明";
  EXPECT_EQ(d.publicPartyName(), "王某某");
  EXPECT_EQ(d.maskParty("当事人王小明在店内销售过期食品，王小明承认。"),
            "当事人王某某在店内销售过期食品，王某某承认。");
  d.party_kind = PartyKind::Organisation;
  d.party_name = "长春市某某餐饮有限公司";
  EXPECT_EQ(d.publicPartyName(), "长春市某某餐饮有限公司");
}

}  // namespace
}  // namespace portal::disclosure
