#include "hotline/complaint_rules.h"

namespace hotline {
namespace {

Refusal conflict(std::string message) { return {RefusalKind::Conflict, std::move(message)}; }

Refusal wrongState(const Complaint& c, Action action) {
  return conflict("该投诉当前状态为“" + std::string(stateName(c.state)) + "”，不能" +
                  std::string(actionName(action)));
}

bool isOneOf(ComplaintState s, std::initializer_list<ComplaintState> states) {
  for (ComplaintState t : states) {
    if (s == t) return true;
  }
  return false;
}

}  // namespace

bool inReview(const Complaint& c) {
  return c.state == ComplaintState::Reopened ||
         (c.state == ComplaintState::InProgress && c.reopened_count > 0);
}

std::string_view actionName(Action action) {
  switch (action) {
    case Action::Assign:
      return "分派";
    case Action::Accept:
      return "受理";
    case Action::Reject:
      return "不予受理";
    case Action::Transfer:
      return "移送";
    case Action::Start:
      return "开始办理";
    case Action::Note:
      return "添加办理记录";
    case Action::Conclude:
      return "办结";
    case Action::Evaluate:
      return "评价";
  }
  return "";
}

std::optional<Refusal> checkAction(const Complaint& c, Action action,
                                   const std::optional<StaffActor>& actor) {
  using S = ComplaintState;
  if (action != Action::Evaluate && !actor) {
    return Refusal{RefusalKind::Forbidden, "只有工作人员可以" + std::string(actionName(action))};
  }
  if (actor && actor->department_id) {
    if (action == Action::Assign) {
      return Refusal{RefusalKind::Forbidden, "只有法制办（热线中心）可以分派承办部门"};
    }
    if (c.department_id != actor->department_id) {
      return Refusal{RefusalKind::Forbidden,
                     "该投诉不由本部门承办，无权" + std::string(actionName(action))};
    }
    // The handling department is the one rated: it may neither rate its own handling nor
    // review it after the complainant was not satisfied.
    if (action == Action::Evaluate) {
      return Refusal{RefusalKind::Forbidden,
                     "承办部门不能代投诉人评价；投诉人电话回访的评价由法制办（热线中心）记录"};
    }
    if (inReview(c) && (action == Action::Start || action == Action::Conclude)) {
      return Refusal{RefusalKind::Forbidden,
                     "投诉人不满意，该投诉由法制办复核；承办部门可以添加办理记录，不能" +
                         std::string(actionName(action))};
    }
  }

  switch (action) {
    case Action::Assign:
      // A transfer to the wrong department is corrected by the legal office, which assigns
      // the right one (the receiver itself may neither refuse nor transfer again).
      if (c.state == S::Transferred) return std::nullopt;
      if (c.state != S::Received) return wrongState(c, action);
      if (c.department_id) return conflict("该投诉已有承办部门；不属于其职责的，应当移送");
      return std::nullopt;
    case Action::Accept:
      if (!isOneOf(c.state, {S::Received, S::Transferred})) return wrongState(c, action);
      if (!c.department_id) return conflict("请先分派承办部门");
      return std::nullopt;
    case Action::Reject:
      if (c.state == S::Transferred) {
        return conflict("该投诉由其他部门移送而来，接收部门不得拒绝受理，应当依法办理");
      }
      if (c.state != S::Received) return wrongState(c, action);
      if (!c.department_id) return conflict("请先分派承办部门");
      return std::nullopt;
    case Action::Transfer:
      if (c.state == S::Transferred || c.transferred_from_department_id) {
        if (actor && !actor->department_id && c.state == S::Transferred) {
          return conflict("该投诉已移送过一次，不能再次移送；接收部门有误的，请用“分派”改派承办部门");
        }
        return conflict("该投诉已移送过一次，接收部门不得再次移送，应当依法办理");
      }
      if (c.state != S::Received) return wrongState(c, action);
      if (!c.department_id) return conflict("该投诉尚无承办部门，请直接分派");
      return std::nullopt;
    case Action::Start:
      if (!isOneOf(c.state, {S::Accepted, S::Reopened})) return wrongState(c, action);
      return std::nullopt;
    case Action::Note:
      if (isOneOf(c.state, {S::Rejected, S::Evaluated})) return wrongState(c, action);
      return std::nullopt;
    case Action::Conclude:
      if (!isOneOf(c.state, {S::Accepted, S::InProgress, S::Reopened})) {
        return wrongState(c, action);
      }
      return std::nullopt;
    case Action::Evaluate:
      if (c.state == S::Evaluated) return conflict("该投诉已评价，不能重复评价");
      // Rated 不满意 and reopened (a double click on the rating form lands here): not "not
      // concluded yet", which the page's own history contradicts.
      if (c.state == S::Reopened && c.evaluation) {
        return conflict("该投诉已评价为不满意，正在复核；复核后重新办结的，可再次评价");
      }
      if (c.state != S::Concluded) return conflict("该投诉尚未办结，办结后才能评价");
      return std::nullopt;
  }
  return wrongState(c, action);
}

ComplaintState nextState(ComplaintState current, Action action, std::optional<Rating> rating) {
  switch (action) {
    case Action::Assign:
    case Action::Note:
      return current;
    case Action::Accept:
      return ComplaintState::Accepted;
    case Action::Reject:
      return ComplaintState::Rejected;
    case Action::Transfer:
      return ComplaintState::Transferred;
    case Action::Start:
      return ComplaintState::InProgress;
    case Action::Conclude:
      return ComplaintState::Concluded;
    case Action::Evaluate:
      return rating == Rating::Unsatisfied ? ComplaintState::Reopened : ComplaintState::Evaluated;
  }
  return current;
}

}  // namespace hotline
