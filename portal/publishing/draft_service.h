#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/account.h"
#include "portal/accounts/clock.h"
#include "portal/publishing/item_draft.h"
#include "portal/publishing/publishing_service.h"

namespace portal::publishing {

// What happened to a draft: saved, submitted for review, or published as `published_version`.
struct DraftOutcome {
  std::int64_t draft_id = 0;
  DraftState state = DraftState::Draft;
  std::string code;
  std::optional<int> published_version;
};

// Refused (see publishing_service.h) adds 403 here: the actor may not do this to this draft.
using DraftResult = std::variant<DraftOutcome, Refused>;

// After saving: keep it as a draft, or go on as the department's policy says (submit for the
// legal office's review, or publish at once when the department requires no review).
enum class AfterSave { KeepDraft, Submit };

// Who may do what with a draft. Pure functions; handlers use them to choose what to show.
// View: the author, editors of the department, reviewers. Change or submit: the author while it
// is open. Review: a reviewer (or administrator) who is not its author, while it is submitted.
bool canViewDraft(const accounts::Principal& p, const ItemDraft& d);
bool canChangeDraft(const accounts::Principal& p, const ItemDraft& d);
bool canReviewDraft(const accounts::Principal& p, const ItemDraft& d);
// Recall (撤回): the author, while it waits for review.
bool canRecallDraft(const accounts::Principal& p, const ItemDraft& d);

// Drafts and the optional legal-office review. A draft is never public; publishing one (directly,
// or by a reviewer's approval) goes through writeNewItem / writeNextVersion in one transaction
// with the draft's new state and its audit row, with the draft's base version as the expected
// version: if someone published since, it is refused as stale (409). Every action appends an
// audit row (draft.save, draft.submit, draft.recall, draft.publish, draft.approve, draft.return)
// in the same
// transaction. Every action needs a staff actor (a console actor is refused with 403).
// Thread safe; throws db::DbError on infrastructure failure.
class DraftService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows.
  DraftService(db::Pool& pool, accounts::Clock clock) : pool_(pool), clock_(std::move(clock)) {}

  bool requiresReview(std::int64_t department_id);

  // A new draft of department `department_id`: of a new item (base_version nullopt; the change
  // kind becomes 新增) or of the existing item item.code at base_version.
  DraftResult create(const accounts::Actor& actor, std::int64_t department_id, ListItem item,
                     std::optional<int> base_version, AfterSave then);
  // The author changes an open draft (its base version stays, and its code unless it is a
  // new item's draft).
  DraftResult update(const accounts::Actor& actor, std::int64_t draft_id, ListItem item,
                     AfterSave then);
  // The author submits an open draft, or publishes it when the department requires no review.
  DraftResult submit(const accounts::Actor& actor, std::int64_t draft_id);
  // The author takes a submitted draft back before it is reviewed: it is a draft again, open to
  // change and submission, and leaves the review queue (audit row draft.recall). 409 when it no
  // longer waits for review (approved and published, or returned, meanwhile); 403 for anyone
  // but its author.
  DraftResult recall(const accounts::Actor& actor, std::int64_t draft_id);
  // A reviewer approves a submitted draft: it is published. A stale draft (or a new item whose
  // code was taken meanwhile) is refused with 409 and returned to its author with the reason.
  DraftResult approve(const accounts::Actor& actor, std::int64_t draft_id);
  // A reviewer returns a submitted draft to its author with a comment (required).
  DraftResult returnToAuthor(const accounts::Actor& actor, std::int64_t draft_id,
                             const std::string& comment);

  std::optional<ItemDraft> find(std::int64_t draft_id);
  // The account's drafts not yet published, newest first (at most 100).
  std::vector<ItemDraft> openDraftsOf(std::int64_t account_id);
  // Submitted drafts, oldest first (at most 200).
  std::vector<ItemDraft> awaitingReview();

 private:
  db::Pool& pool_;
  accounts::Clock clock_;
};

}  // namespace portal::publishing
