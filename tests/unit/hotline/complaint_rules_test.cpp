#include "hotline/complaint_rules.h"

#include <gtest/gtest.h>

namespace hotline {
namespace {

using S = ComplaintState;
constexpr std::int64_t kDept = 7;
constexpr std::int64_t kOther = 8;

Complaint complaintIn(S state, bool transferred = false) {
  Complaint c;
  c.state = state;
  c.department_id = kDept;
  if (transferred) c.transferred_from_department_id = kOther;
  return c;
}

const StaffActor kHandler{"h", kDept};

// Every state x every action: allowed or not, for the handling department.
struct RuleCase {
  S state;
  bool transferred;
  Action action;
  bool allowed;
};

std::ostream& operator<<(std::ostream& out, const RuleCase& c) {
  return out << stateCode(c.state) << "/" << actionName(c.action);
}

class RuleTableTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleTableTest, AllowsExactlyTheLegalTransitions) {
  const RuleCase& c = GetParam();
  const auto refusal = checkAction(complaintIn(c.state, c.transferred), c.action, kHandler);
  EXPECT_EQ(!refusal.has_value(), c.allowed) << (refusal ? refusal->message : "allowed");
  if (refusal) {
    // Not the handling department's to do at all: rating its own handling, and the review
    // (starting and concluding a reopened complaint) that follows a 不满意.
    const bool not_its_role = c.action == Action::Evaluate ||
                              (c.state == S::Reopened && (c.action == Action::Start || c.action == Action::Conclude));
    EXPECT_EQ(refusal->kind, not_its_role ? RefusalKind::Forbidden : RefusalKind::Conflict);
    EXPECT_FALSE(refusal->message.empty());
  }
}

std::vector<RuleCase> allCases() {
  using A = Action;
  // Allowed (state, action) pairs for a department handler; everything else is refused.
  // Assign is the legal office's, so a handler never may; nor may it evaluate (the rating is
  // of its own handling) or start and conclude the review of a reopened complaint.
  const std::vector<std::pair<S, A>> allowed = {
      {S::Received, A::Accept},    {S::Received, A::Reject},     {S::Received, A::Transfer},
      {S::Received, A::Note},      {S::Transferred, A::Accept},  {S::Transferred, A::Note},
      {S::Accepted, A::Start},     {S::Accepted, A::Note},       {S::Accepted, A::Conclude},
      {S::InProgress, A::Note},    {S::InProgress, A::Conclude}, {S::Concluded, A::Note},
      {S::Reopened, A::Note},
  };
  std::vector<RuleCase> cases;
  for (S s : allStates()) {
    for (A a : {A::Accept, A::Reject, A::Transfer, A::Start, A::Note, A::Conclude, A::Evaluate}) {
      bool ok = false;
      for (const auto& [as, aa] : allowed) ok |= as == s && aa == a;
      cases.push_back({s, s == S::Transferred, a, ok});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryStateAndAction, RuleTableTest, ::testing::ValuesIn(allCases()));

TEST(RulesTest, TheReceiverOfATransferMayNeitherRefuseNorTransferAgain) {
  const Complaint c = complaintIn(S::Transferred, true);
  const auto reject = checkAction(c, Action::Reject, kHandler);
  ASSERT_TRUE(reject);
  EXPECT_NE(reject->message.find("不得拒绝受理"), std::string::npos) << reject->message;
  const auto transfer = checkAction(c, Action::Transfer, kHandler);
  ASSERT_TRUE(transfer);
  EXPECT_NE(transfer->message.find("不得再次移送"), std::string::npos) << transfer->message;
  // Even after the receiver has accepted it (the transfer is remembered, not just the state).
  const auto later = checkAction(complaintIn(S::Received, true), Action::Transfer, kHandler);
  ASSERT_TRUE(later);
  EXPECT_NE(later->message.find("不得再次移送"), std::string::npos);
}

TEST(RulesTest, OtherDepartmentsAreForbiddenAndOnlyTheLegalOfficeAssigns) {
  const Complaint c = complaintIn(S::Received);
  const auto other = checkAction(c, Action::Accept, StaffActor{"x", kOther});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->kind, RefusalKind::Forbidden);

  Complaint unassigned = c;
  unassigned.department_id.reset();
  EXPECT_FALSE(checkAction(unassigned, Action::Assign, StaffActor{"fzb", std::nullopt}));
  const auto by_handler = checkAction(unassigned, Action::Assign, kHandler);
  ASSERT_TRUE(by_handler);
  EXPECT_EQ(by_handler->kind, RefusalKind::Forbidden);
  const auto accept = checkAction(unassigned, Action::Accept, StaffActor{"fzb", std::nullopt});
  ASSERT_TRUE(accept);
  EXPECT_NE(accept->message.find("分派"), std::string::npos);
  EXPECT_TRUE(checkAction(c, Action::Assign, StaffActor{"fzb", std::nullopt}))
      << "an assigned complaint is transferred, not re-assigned";
}

const StaffActor kLegalOffice{"fzb", std::nullopt};

TEST(RulesTest, TheHandlingDepartmentCannotRateItsOwnHandling) {
  const auto by_handler = checkAction(complaintIn(S::Concluded), Action::Evaluate, kHandler);
  ASSERT_TRUE(by_handler);
  EXPECT_EQ(by_handler->kind, RefusalKind::Forbidden);
  EXPECT_NE(by_handler->message.find("法制办"), std::string::npos) << by_handler->message;
  // A rating given by phone is recorded by the legal office.
  EXPECT_FALSE(checkAction(complaintIn(S::Concluded), Action::Evaluate, kLegalOffice));
}

TEST(RulesTest, TheReviewAfterUnsatisfiedIsTheLegalOffices) {
  Complaint reopened = complaintIn(S::Reopened);
  reopened.reopened_count = 1;
  for (Action a : {Action::Start, Action::Conclude}) {
    const auto r = checkAction(reopened, a, kHandler);
    ASSERT_TRUE(r) << actionName(a);
    EXPECT_EQ(r->kind, RefusalKind::Forbidden);
    EXPECT_NE(r->message.find("复核"), std::string::npos) << r->message;
    EXPECT_FALSE(checkAction(reopened, a, kLegalOffice)) << actionName(a);
  }
  EXPECT_FALSE(checkAction(reopened, Action::Note, kHandler)) << "the department may still add notes";
  // Once the legal office has started the review, the department still may not conclude it.
  Complaint reviewing = complaintIn(S::InProgress);
  reviewing.reopened_count = 1;
  EXPECT_TRUE(checkAction(reviewing, Action::Conclude, kHandler));
  EXPECT_FALSE(checkAction(reviewing, Action::Conclude, kLegalOffice));
  // Before any 不满意, handling is the department's.
  EXPECT_FALSE(checkAction(complaintIn(S::InProgress), Action::Conclude, kHandler));
}

TEST(RulesTest, TheLegalOfficeCorrectsATransferToTheWrongDepartment) {
  const Complaint c = complaintIn(S::Transferred, true);
  EXPECT_FALSE(checkAction(c, Action::Assign, kLegalOffice));
  const auto by_handler = checkAction(c, Action::Assign, kHandler);
  ASSERT_TRUE(by_handler);
  EXPECT_EQ(by_handler->kind, RefusalKind::Forbidden);
  // Asked to transfer again, the legal office is told how to correct it, not that "the
  // receiver" may not.
  const auto transfer = checkAction(c, Action::Transfer, kLegalOffice);
  ASSERT_TRUE(transfer);
  EXPECT_NE(transfer->message.find("改派"), std::string::npos) << transfer->message;
  // Once the receiver accepted it, the complaint is its to handle.
  EXPECT_TRUE(checkAction(complaintIn(S::Accepted, true), Action::Assign, kLegalOffice));
}

TEST(RulesTest, TheComplainantMayOnlyEvaluate) {
  EXPECT_FALSE(checkAction(complaintIn(S::Concluded), Action::Evaluate, std::nullopt));
  EXPECT_TRUE(checkAction(complaintIn(S::Concluded), Action::Note, std::nullopt));
  EXPECT_EQ(nextState(S::Concluded, Action::Evaluate, Rating::Unsatisfied), S::Reopened);
  EXPECT_EQ(nextState(S::Concluded, Action::Evaluate, Rating::BasicallySatisfied), S::Evaluated);
}

}  // namespace
}  // namespace hotline
