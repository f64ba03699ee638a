#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hotline/complaint.h"

namespace hotline {

// What a handler, the legal office or the complainant can do to a complaint.
enum class Action { Assign, Accept, Reject, Transfer, Start, Note, Conclude, Evaluate };

// 分派 受理 不予受理 移送 开始办理 添加办理记录 办结 评价
std::string_view actionName(Action action);

// Why an action is refused, in a form the HTTP layer maps to a status code.
enum class RefusalKind {
  Forbidden,  // the actor may not touch this complaint (403)
  Conflict,   // not allowed in the complaint's current state (409)
};

struct Refusal {
  RefusalKind kind = RefusalKind::Conflict;
  std::string message;  // Chinese, for the person who tried
};

// The state machine and the transfer rules (seed items 10, 21), in one place and free of I/O:
// std::nullopt when `action` is allowed on `complaint` by `actor`; a std::nullopt actor is the
// complainant (who may only Evaluate). Field-level checks (required texts, the transfer
// target) are the service's. Pure; thread safe.
//
//   received    --accept-->   accepted      (a department must be assigned)
//   received    --reject-->   rejected      (final)
//   received    --transfer--> transferred   (once; the receiver must handle it)
//   transferred --accept-->   accepted      (the receiver may not reject or transfer again)
//   accepted    --start-->    in_progress
//   accepted | in_progress | reopened --conclude--> concluded
//   concluded   --evaluate--> evaluated, or reopened when unsatisfied (the legal office's)
//   reopened    --start-->    in_progress
//   received (no department) --assign--> received, by the legal office only
//   transferred --assign-->   transferred, to another department: the legal office corrects a
//                             wrong transfer (deadlines unchanged)
//   notes: in every state but rejected and evaluated
// The handling department never evaluates (staff record a rating given by phone from the
// legal office), and once 不满意 reopened a complaint its start and conclusion are the legal
// office's review (the department may still add notes).
// Reopened by 不满意 and not concluded again: under the legal office's review (seed item 24,
// DESIGN: "unsatisfied reopens for the supervisor"). A complaint reaches 办理中 after a
// conclusion only through the review's start.
bool inReview(const Complaint& complaint);

std::optional<Refusal> checkAction(const Complaint& complaint, Action action,
                                   const std::optional<StaffActor>& actor);

// The state an allowed action leads to. `rating` matters for Evaluate only.
ComplaintState nextState(ComplaintState current, Action action,
                         std::optional<Rating> rating = std::nullopt);

}  // namespace hotline
