#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/item_draft.h"

namespace portal::publishing {

// SQL for drafts (list_item_drafts) and each department's review flag. Works on a connection
// the caller holds (and its transaction, if any). Throws db::DbError on infrastructure failure.
class DraftStore {
 public:
  explicit DraftStore(db::Connection& conn) : conn_(conn) {}

  // departments.requires_review; false for an unknown department.
  bool requiresReview(std::int64_t department_id);
  void setRequiresReview(std::int64_t department_id, bool required);

  // Inserts `draft` (id, names, reviewer and times ignored); returns the new id.
  std::int64_t insert(const ItemDraft& draft);
  // Replaces the item code and fields and the state of draft `draft.id`.
  void updateContent(const ItemDraft& draft);
  // Records a review decision or a publication.
  void updateState(std::int64_t id, DraftState state, std::optional<std::int64_t> reviewer_id,
                   const std::string& review_comment, std::optional<int> published_version);
  // With `lock`, the row stays locked until the transaction ends (SELECT ... FOR UPDATE).
  std::optional<ItemDraft> find(std::int64_t id, bool lock = false);
  // An author's drafts that are not published yet, newest first.
  std::vector<ItemDraft> openByAuthor(std::int64_t author_id, int limit);
  // Drafts in `state`, oldest first (the review queue is first come, first served).
  std::vector<ItemDraft> byState(DraftState state, int limit);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
