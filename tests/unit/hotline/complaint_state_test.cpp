#include <gtest/gtest.h>

#include <thread>

#include "hotline_fixture.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;

class StateTest : public HotlineTest {
 protected:
  const StaffActor dept1_ = handler(1);
  const StaffActor dept2_ = handler(2);

  // A fresh complaint of department 1 driven to `state` by legal moves.
  std::int64_t complaintIn(ComplaintState state) {
    const std::int64_t id = submitOk(request(1)).complaint_id;
    using S = ComplaintState;
    auto must = [](const ActionResult& r) {
      ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().message);
    };
    switch (state) {
      case S::Received:
        break;
      case S::Accepted:
        must(service_->accept(id, dept1_, ""));
        break;
      case S::Rejected:
        must(service_->reject(id, dept1_, "no_facts", "未提供具体地址和时间"));
        break;
      case S::Transferred:
        must(service_->transfer(id, dept1_, 2, "属于市场监管职责"));
        break;
      case S::InProgress:
        must(service_->accept(id, dept1_, ""));
        must(service_->start(id, dept1_, ""));
        break;
      case S::Concluded:
        must(service_->accept(id, dept1_, ""));
        must(service_->conclude(id, dept1_, "已责令停止夜间施工"));
        break;
      case S::Evaluated:
        must(service_->accept(id, dept1_, ""));
        must(service_->conclude(id, dept1_, "已责令停止夜间施工"));
        must(service_->recordEvaluation(id, supervisor(), Rating::Satisfied, ""));
        break;
      case S::Reopened:
        must(service_->accept(id, dept1_, ""));
        must(service_->conclude(id, dept1_, "已责令停止夜间施工"));
        must(service_->recordEvaluation(id, supervisor(), Rating::Unsatisfied, "仍在施工"));
        break;
    }
    return id;
  }
};

TEST_F(StateTest, TheWholeLifeOfAComplaintWithOneEventPerChange) {
  const std::int64_t id = complaintIn(ComplaintState::Received);
  ActionResult r = service_->accept(id, dept1_, "已受理，将于近日现场核查");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.state, ComplaintState::Accepted);
  EXPECT_EQ(r.version, 2);
  EXPECT_TRUE(service_->start(id, dept1_, "").ok());
  EXPECT_TRUE(service_->addNote(id, dept1_, "已现场核查，施工方承诺整改", true).ok());
  EXPECT_TRUE(service_->addNote(id, dept1_, "内部：施工方负责人李四 13900001111", false).ok());
  r = service_->conclude(id, dept1_, "已责令施工单位停止夜间施工，并处罚款");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.state, ComplaintState::Concluded);
  r = service_->recordEvaluation(id, supervisor(), Rating::Satisfied, "处理及时");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.state, ComplaintState::Evaluated);

  const auto d = service_->detail(id, dept1_);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->complaint.acknowledged_on->toString(), "2025-09-26");
  EXPECT_EQ(d->complaint.result_text, "已责令施工单位停止夜间施工，并处罚款");
  EXPECT_EQ(d->complaint.evaluation, Rating::Satisfied);
  std::vector<std::string> kinds;
  for (const auto& e : d->events) kinds.push_back(std::string(eventKindCode(e.kind)));
  EXPECT_EQ(kinds, (std::vector<std::string>{"registered", "accepted", "started", "note", "note",
                                             "concluded", "evaluated"}));
  EXPECT_EQ(d->events[3].is_public, true);
  EXPECT_EQ(d->events[4].is_public, false);
  EXPECT_EQ(d->events[1].actor, "handler1");
  EXPECT_EQ(d->events[1].from_state, ComplaintState::Received);
  EXPECT_EQ(d->events[1].to_state, ComplaintState::Accepted);
  EXPECT_TRUE(d->allowed_actions.empty()) << "evaluated is final";
}

struct IllegalCase {
  ComplaintState state;
  Action action;
  const char* message_part;
};

std::ostream& operator<<(std::ostream& out, const IllegalCase& c) {
  return out << stateCode(c.state) << "_" << static_cast<int>(c.action);
}

class IllegalTransitionTest : public StateTest,
                              public ::testing::WithParamInterface<IllegalCase> {};

TEST_P(IllegalTransitionTest, IsRefusedWithAReasonAndWritesNothing) {
  const IllegalCase& c = GetParam();
  const std::int64_t id = complaintIn(c.state);
  const StaffActor& actor = c.state == ComplaintState::Transferred ? dept2_ : dept1_;
  const Complaint before = stored(id);
  const std::int64_t events = eventCount(id);
  ActionResult r;
  switch (c.action) {
    case Action::Accept:
      r = service_->accept(id, actor, "");
      break;
    case Action::Reject:
      r = service_->reject(id, actor, "no_facts", "说明");
      break;
    case Action::Transfer:
      r = service_->transfer(id, actor, 3, "理由");
      break;
    case Action::Start:
      r = service_->start(id, actor, "");
      break;
    case Action::Note:
      r = service_->addNote(id, actor, "记录", true);
      break;
    case Action::Conclude:
      r = service_->conclude(id, actor, "结果");
      break;
    case Action::Evaluate:  // a rating given by phone, recorded by the legal office
      r = service_->recordEvaluation(id, supervisor(), Rating::Satisfied, "");
      break;
    case Action::Assign:
      r = service_->assign(id, supervisor(), 3);
      break;
  }
  EXPECT_EQ(r.status, ActionStatus::Conflict);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find(c.message_part), std::string::npos) << r.errors[0].message;
  const Complaint after = stored(id);
  EXPECT_EQ(after.state, before.state);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.department_id, before.department_id);
  EXPECT_EQ(eventCount(id), events);
}

using S = ComplaintState;
using A = Action;
INSTANTIATE_TEST_SUITE_P(
    Table, IllegalTransitionTest,
    ::testing::Values(IllegalCase{S::Received, A::Start, "当前状态为“已登记”，不能开始办理"},
                      IllegalCase{S::Received, A::Conclude, "不能办结"},
                      IllegalCase{S::Received, A::Evaluate, "尚未办结"},
                      IllegalCase{S::Accepted, A::Accept, "当前状态为“已受理”，不能受理"},
                      IllegalCase{S::Accepted, A::Reject, "不能不予受理"},
                      IllegalCase{S::Accepted, A::Transfer, "不能移送"},
                      IllegalCase{S::Rejected, A::Accept, "不予受理"},
                      IllegalCase{S::Rejected, A::Note, "不能添加办理记录"},
                      IllegalCase{S::Transferred, A::Reject, "不得拒绝受理"},
                      IllegalCase{S::Transferred, A::Transfer, "不得再次移送"},
                      IllegalCase{S::Transferred, A::Conclude, "不能办结"},
                      IllegalCase{S::InProgress, A::Accept, "不能受理"},
                      IllegalCase{S::InProgress, A::Evaluate, "尚未办结"},
                      IllegalCase{S::Concluded, A::Conclude, "不能办结"},
                      IllegalCase{S::Concluded, A::Start, "不能开始办理"},
                      IllegalCase{S::Evaluated, A::Evaluate, "不能重复评价"},
                      IllegalCase{S::Evaluated, A::Note, "不能添加办理记录"},
                      IllegalCase{S::Reopened, A::Accept, "不能受理"},
                      IllegalCase{S::Accepted, A::Assign, "不能分派"}));

TEST_F(StateTest, TransferCarriesTheAckClockOverAndTheReceiverMustHandleIt) {
  const std::int64_t id = complaintIn(ComplaintState::Received);
  const Complaint before = stored(id);
  setNow("2025-09-30 15:00:00");
  ASSERT_TRUE(service_->transfer(id, dept1_, 2, "属于区市场监督管理局职责").ok());
  Complaint c = stored(id);
  EXPECT_EQ(c.state, ComplaintState::Transferred);
  EXPECT_EQ(c.department_id, 2);
  EXPECT_EQ(c.transferred_from_department_id, 1);
  EXPECT_EQ(c.transfer_reason, "属于区市场监督管理局职责");
  EXPECT_EQ(c.ack_due, before.ack_due) << "the acknowledgment clock carries over";
  EXPECT_EQ(c.ack_due.toString(), "2025-10-10");
  EXPECT_EQ(c.handling_due, before.handling_due);
  EXPECT_FALSE(c.acknowledged_on) << "a transfer is not an acknowledgment";

  // The sender no longer acts on it (but may still read it).
  EXPECT_EQ(service_->accept(id, dept1_, "").status, ActionStatus::Forbidden);
  EXPECT_TRUE(service_->detail(id, dept1_));
  EXPECT_FALSE(service_->detail(id, handler(3)));

  // The receiver can neither refuse nor pass it on.
  EXPECT_EQ(service_->reject(id, dept2_, "out_of_scope", "不归我们管").status,
            ActionStatus::Conflict);
  EXPECT_EQ(service_->transfer(id, dept2_, 3, "再转").status, ActionStatus::Conflict);
  EXPECT_EQ(service_->transfer(id, supervisor(), 3, "再转").status, ActionStatus::Conflict)
      << "not even the legal office transfers twice";
  setNow("2025-10-09 09:00:00");
  ASSERT_TRUE(service_->accept(id, dept2_, "").ok());
  c = stored(id);
  EXPECT_EQ(c.acknowledged_on->toString(), "2025-10-09");
  EXPECT_EQ(c.ack_due.toString(), "2025-10-10");
  // Accepted after a transfer, it still may not be transferred again.
  ASSERT_TRUE(service_->start(id, dept2_, "").ok());
  EXPECT_EQ(service_->transfer(id, dept2_, 3, "再转").status, ActionStatus::Conflict);
}

TEST_F(StateTest, FieldErrorsOnActionsAreListedAndNothingIsWritten) {
  const std::int64_t id = complaintIn(ComplaintState::Received);
  ActionResult r = service_->reject(id, dept1_, "", "  ");
  EXPECT_EQ(r.status, ActionStatus::Invalid);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].field, "reason_code");
  EXPECT_EQ(r.errors[1].field, "reason_text");
  EXPECT_NE(r.errors[1].message.find("告知投诉人"), std::string::npos);
  r = service_->reject(id, dept1_, "made_up", "说明");
  EXPECT_EQ(r.status, ActionStatus::Invalid);
  EXPECT_EQ(r.errors[0].field, "reason_code");
  EXPECT_EQ(service_->transfer(id, dept1_, 1, "理由").errors[0].message, "不能移送给本部门");
  EXPECT_EQ(service_->transfer(id, dept1_, 99, "理由").errors[0].field, "department_id");
  EXPECT_EQ(service_->transfer(id, dept1_, 2, "").errors[0].field, "reason");
  EXPECT_EQ(stored(id).version, 1);
  EXPECT_EQ(eventCount(id), 1);

  ASSERT_TRUE(service_->reject(id, dept1_, "no_facts", "未提供具体地址").ok());
  const Complaint c = stored(id);
  EXPECT_EQ(c.reject_reason_code, "no_facts");
  EXPECT_EQ(c.reject_reason_name, "未提供具体的违法事实或线索");
  EXPECT_EQ(c.reject_reason_text, "未提供具体地址");
}

TEST_F(StateTest, OtherDepartmentsAndStaleVersionsAreRefused) {
  const std::int64_t id = complaintIn(ComplaintState::Received);
  EXPECT_EQ(service_->accept(id, dept2_, "").status, ActionStatus::Forbidden);
  EXPECT_EQ(service_->accept(999999, dept1_, "").status, ActionStatus::NotFound);
  EXPECT_EQ(service_->accept(id, StaffActor{"", 1}, "").status, ActionStatus::Forbidden);
  ASSERT_TRUE(service_->addNote(id, dept1_, "先记一笔", false, 1).ok());
  const ActionResult stale = service_->accept(id, dept1_, "", 1);
  EXPECT_EQ(stale.status, ActionStatus::Conflict);
  EXPECT_NE(stale.errors[0].message.find("刷新"), std::string::npos);
  EXPECT_TRUE(service_->accept(id, dept1_, "", 2).ok());
}

TEST_F(StateTest, UnassignedComplaintsAreAssignedByTheLegalOffice) {
  const std::int64_t id = submitOk(request(std::nullopt)).complaint_id;
  EXPECT_EQ(service_->accept(id, supervisor(), "").status, ActionStatus::Conflict);
  EXPECT_EQ(service_->assign(id, dept1_, 1).status, ActionStatus::Forbidden);
  EXPECT_EQ(service_->assign(id, supervisor(), 42).status, ActionStatus::Invalid);
  ASSERT_TRUE(service_->assign(id, supervisor(), 1).ok());
  EXPECT_EQ(stored(id).state, ComplaintState::Received);
  EXPECT_TRUE(service_->accept(id, dept1_, "").ok());
}

TEST_F(StateTest, UnsatisfiedReopensForTheLegalOffice) {
  const std::int64_t id = complaintIn(ComplaintState::Concluded);
  ActionResult r = service_->recordEvaluation(id, supervisor(), Rating::Unsatisfied, "");
  EXPECT_EQ(r.status, ActionStatus::Invalid) << "unsatisfied needs a reason";
  r = service_->recordEvaluation(id, supervisor(), Rating::Unsatisfied, "夜里仍在施工");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.state, ComplaintState::Reopened);
  QueueFilter f;
  f.state = ComplaintState::Reopened;
  const QueuePage page = service_->queue(f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.rows[0].id, id);

  ASSERT_TRUE(service_->start(id, supervisor(), "法制办督办").ok());
  EXPECT_EQ(service_->conclude(id, dept1_, "已查封施工设备").status, ActionStatus::Forbidden)
      << "the review is the legal office's, not the department's whose handling was rated";
  ASSERT_TRUE(service_->conclude(id, supervisor(), "经复核，已查封施工设备").ok());
  const Complaint c = stored(id);
  EXPECT_EQ(c.reopened_count, 1);
  EXPECT_FALSE(c.evaluation) << "a new conclusion awaits a new rating";
  EXPECT_TRUE(service_->recordEvaluation(id, supervisor(), Rating::BasicallySatisfied, "").ok());
}

// An outside audit found a double click on 确认办结 answered "该投诉已被他人更新": the second
// post is the same step by the same person, done once and answered as done.
TEST_F(StateTest, TheSameStepPostedTwiceIsDoneOnceAndAnsweredAsDone) {
  const std::int64_t id = complaintIn(ComplaintState::Accepted);
  const int version = stored(id).version;
  ASSERT_TRUE(service_->conclude(id, dept1_, "已责令停工", version).ok());
  const std::int64_t events = eventCount(id);
  const ActionResult again = service_->conclude(id, dept1_, "已责令停工", version);
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.state, ComplaintState::Concluded);
  EXPECT_EQ(eventCount(id), events) << "written once";
  EXPECT_EQ(stored(id).version, version + 1);

  // Someone else working from the old version is told it changed.
  const std::int64_t other = complaintIn(ComplaintState::Accepted);
  const int v = stored(other).version;
  ASSERT_TRUE(service_->conclude(other, dept1_, "已责令停工", v).ok());
  EXPECT_EQ(service_->conclude(other, StaffActor{"colleague", 1}, "另一结果", v).status,
            ActionStatus::Conflict);
  // And a different step from the old version too.
  EXPECT_EQ(service_->addNote(other, dept1_, "补充记录", true, v).status, ActionStatus::Conflict);

  // The same person's different note from a stale second tab is not a repeat: it is told the
  // complaint changed, not "done" with nothing written (found by review).
  const std::int64_t noted = complaintIn(ComplaintState::Accepted);
  const int n = stored(noted).version;
  ASSERT_TRUE(service_->addNote(noted, dept1_, "第一条记录", false, n).ok());
  const std::int64_t written = eventCount(noted);
  EXPECT_EQ(service_->addNote(noted, dept1_, "完全不同的第二条记录", true, n).status,
            ActionStatus::Conflict);
  EXPECT_EQ(service_->addNote(noted, dept1_, "第一条记录", true, n).status, ActionStatus::Conflict)
      << "the same text made public is not the same note";
  EXPECT_TRUE(service_->addNote(noted, dept1_, "第一条记录", false, n).ok()) << "a double click";
  EXPECT_EQ(eventCount(noted), written);
}

TEST_F(StateTest, TwoHandlersActingAtOnceCannotBothSucceed) {
  for (int round = 0; round < 5; ++round) {
    const std::int64_t id = complaintIn(ComplaintState::Received);
    ActionResult a, b;
    std::thread t1([&] { a = service_->accept(id, dept1_, ""); });
    std::thread t2([&] { b = service_->reject(id, handler(1), "no_facts", "无具体线索"); });
    t1.join();
    t2.join();
    EXPECT_NE(a.ok(), b.ok()) << "round " << round;
    EXPECT_EQ(a.ok() ? b.status : a.status, ActionStatus::Conflict);
    EXPECT_EQ(eventCount(id), 2);
    EXPECT_EQ(stored(id).version, 2);
  }
}

TEST_F(StateTest, AFailedEventWriteUndoesTheTransition) {
  const std::int64_t id = complaintIn(ComplaintState::Received);
  {
    auto conn = pool_->acquire();
    conn->executeRaw(
        "CREATE TRIGGER fail_events BEFORE INSERT ON complaint_events FOR EACH ROW "
        "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'");
  }
  EXPECT_THROW(service_->accept(id, dept1_, ""), db::DbError);
  {
    auto conn = pool_->acquire();
    conn->executeRaw("DROP TRIGGER fail_events");
  }
  const Complaint c = stored(id);
  EXPECT_EQ(c.state, ComplaintState::Received);
  EXPECT_EQ(c.version, 1);
  EXPECT_FALSE(c.acknowledged_on);
  EXPECT_EQ(eventCount(id), 1);
}

// A staff action that waits behind another transaction's row lock longer than the lock-wait
// timeout is run again, not shown to the clerk as a server error: the server rolled the first
// attempt back, so the second one decides on the complaint as it then is, and it is applied
// exactly once.
TEST_F(StateTest, AnActionThatTimesOutWaitingForARowLockIsRunAgainAndAppliedOnce) {
  const std::int64_t id = submitOk(request(1)).complaint_id;
  db::Options o = tdb_.options();
  o.lock_wait_timeout_s = 1;
  db::Pool impatient(o);
  ComplaintService service(impatient, *calendar_, testOptions(),
                           LocalClock(480, [now = now_] {
                             return std::chrono::system_clock::time_point(
                                 std::chrono::seconds(now->load()));
                           }));
  db::Connection blocker(tdb_.options());
  blocker.executeRaw("START TRANSACTION");
  blocker.query("SELECT id FROM complaints WHERE id = ? FOR UPDATE", id);
  ActionResult result;
  std::thread clerk([&] { result = service.accept(id, dept1_, "已受理"); });
  // Longer than one lock-wait timeout: the first attempt fails with 1205.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  blocker.executeRaw("COMMIT");
  clerk.join();
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors.front().message);
  const Complaint c = stored(id);
  EXPECT_EQ(c.state, ComplaintState::Accepted);
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(eventCount(id), 2);  // received, accepted: once
}

}  // namespace
}  // namespace hotline
