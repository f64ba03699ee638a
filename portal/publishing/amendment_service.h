#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/publishing/amendment.h"
#include "portal/publishing/publishing_service.h"

namespace portal::publishing {

// What the legal office asks to flag: the law as written, amended or repealed, the reason,
// and the items (ids from the impact listing) to flag.
struct FlagRequest {
  std::string title;
  std::string kind;  // code or Chinese name, see parseAmendmentKind()
  std::string reason;
  std::vector<std::int64_t> item_ids;
};

struct FlagOutcome {
  std::int64_t amendment_id = 0;
  std::size_t flagged = 0;
};

// Amendment impact (立改废释): the legal office enters a law that was amended or repealed, sees
// every item of every department whose public version cites it (matched by lawKey(), so
// 《中华人民共和国行政处罚法》（2021年修订） and 《行政处罚法》 are one law), and flags them in
// one action. A flag shows on the item's public page (依据已修订，待更新) while the flagged
// version is the public one, so it clears by itself when the department publishes a change.
// Who may do this is the caller's check (accounts::canManageAmendments). Thread safe;
// throws db::DbError on infrastructure failure.
class AmendmentService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows.
  AmendmentService(db::Pool& pool, accounts::Clock clock) : pool_(pool), clock_(std::move(clock)) {}

  // The items citing the law `title` names, or Refused (422) when the title is empty, too
  // long or names no law.
  std::variant<LawImpact, Refused> impact(const std::string& title);
  // Records the amendment and flags those of `request.item_ids` that still cite the law at
  // their public version (items changed meanwhile are left out), in one transaction with one
  // audit row (`audit` filled by the caller with who and from where; action, object and
  // summary are set here) and a search change-log row per flagged item, so every node's page
  // cache and index learn of it. Items already showing a flag of this law are flagged again
  // under the new record. Refused (422) for a bad title, kind or reason, no items selected,
  // or none of them citing the law any more.
  std::variant<FlagOutcome, Refused> flag(const FlagRequest& request, accounts::AuditEntry audit);
  // Recorded amendments, newest first.
  std::vector<LawAmendment> recent(int limit);
  std::optional<LawAmendment> amendment(std::int64_t id);
  std::vector<FlaggedItem> flaggedItems(std::int64_t amendment_id);

  static constexpr std::size_t kMaxReason = 500;  // characters
  static constexpr std::size_t kMaxItems = 5000;  // items in one flagging

 private:
  db::Pool& pool_;
  accounts::Clock clock_;
};

}  // namespace portal::publishing
