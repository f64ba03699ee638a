#include "portal/publishing/draft_store.h"

namespace portal::publishing {

namespace {
constexpr const char* kDraftColumns =
    "SELECT d.id, d.department_id, d.item_code, d.base_version, d.item_json, d.state, "
    "d.author_id, a.username AS author_name, d.reviewer_id, "
    "COALESCE(r.username, '') AS reviewer_name, d.review_comment, d.published_version, "
    "DATE_FORMAT(d.created_at, '%Y-%m-%d %H:%i:%s') AS created, "
    "DATE_FORMAT(d.updated_at, '%Y-%m-%d %H:%i:%s') AS updated "
    "FROM list_item_drafts d JOIN accounts a ON a.id = d.author_id "
    "LEFT JOIN accounts r ON r.id = d.reviewer_id ";

ItemDraft readDraft(const db::Rows& r) {
  ItemDraft d;
  d.id = r.i64("id");
  d.department_id = r.i64("department_id");
  if (auto v = r.optI64("base_version")) d.base_version = static_cast<int>(*v);
  d.item = draftItemFromJson(r.str("item_json"));
  d.item.code = r.str("item_code");
  d.item.department_id = d.department_id;
  d.state = parseDraftState(r.str("state")).value_or(DraftState::Draft);
  d.author_id = r.i64("author_id");
  d.author_name = r.str("author_name");
  d.reviewer_id = r.optI64("reviewer_id");
  d.reviewer_name = r.str("reviewer_name");
  d.review_comment = r.str("review_comment");
  if (auto v = r.optI64("published_version")) d.published_version = static_cast<int>(*v);
  d.created_at = r.str("created");
  d.updated_at = r.str("updated");
  return d;
}

std::vector<ItemDraft> readAll(db::Rows& r) {
  std::vector<ItemDraft> out;
  while (r.next()) out.push_back(readDraft(r));
  return out;
}
}  // namespace

bool DraftStore::requiresReview(std::int64_t department_id) {
  db::Rows r = conn_.query("SELECT requires_review FROM departments WHERE id = ?", department_id);
  return r.next() && r.i64("requires_review") != 0;
}

void DraftStore::setRequiresReview(std::int64_t department_id, bool required) {
  conn_.execute("UPDATE departments SET requires_review = ? WHERE id = ?", required, department_id);
}

std::int64_t DraftStore::insert(const ItemDraft& d) {
  conn_.execute(
      "INSERT INTO list_item_drafts (department_id, item_code, base_version, item_json, "
      "change_kind, change_reason, legal_trigger, state, author_id, review_comment) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
      d.department_id, d.item.code, d.base_version, draftItemToJson(d.item),
      std::string(changeKindCode(d.item.change_kind)), d.item.change_reason, d.item.legal_trigger,
      std::string(draftStateCode(d.state)), d.author_id);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

void DraftStore::updateContent(const ItemDraft& d) {
  conn_.execute(
      "UPDATE list_item_drafts SET item_code = ?, item_json = ?, change_kind = ?, "
      "change_reason = ?, legal_trigger = ?, state = ?, updated_at = CURRENT_TIMESTAMP "
      "WHERE id = ?",
      d.item.code, draftItemToJson(d.item), std::string(changeKindCode(d.item.change_kind)),
      d.item.change_reason, d.item.legal_trigger, std::string(draftStateCode(d.state)), d.id);
}

void DraftStore::updateState(std::int64_t id, DraftState state,
                             std::optional<std::int64_t> reviewer_id,
                             const std::string& review_comment,
                             std::optional<int> published_version) {
  conn_.execute(
      "UPDATE list_item_drafts SET state = ?, reviewer_id = COALESCE(?, reviewer_id), "
      "review_comment = ?, published_version = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?",
      std::string(draftStateCode(state)), reviewer_id, review_comment, published_version, id);
}

std::optional<ItemDraft> DraftStore::find(std::int64_t id, bool lock) {
  if (lock) {
    // Locks the draft's row only, not the accounts the read below joins.
    db::Rows l = conn_.query("SELECT id FROM list_item_drafts WHERE id = ? FOR UPDATE", id);
    if (!l.next()) return std::nullopt;
  }
  db::Rows r = conn_.query(std::string(kDraftColumns) + "WHERE d.id = ?", id);
  if (!r.next()) return std::nullopt;
  return readDraft(r);
}

std::vector<ItemDraft> DraftStore::openByAuthor(std::int64_t author_id, int limit) {
  db::Rows r = conn_.query(std::string(kDraftColumns) +
                               "WHERE d.author_id = ? AND d.state <> 'published' "
                               "ORDER BY d.updated_at DESC, d.id DESC LIMIT ?",
                           author_id, limit);
  return readAll(r);
}

std::vector<ItemDraft> DraftStore::byState(DraftState state, int limit) {
  db::Rows r = conn_.query(
      std::string(kDraftColumns) + "WHERE d.state = ? ORDER BY d.updated_at, d.id LIMIT ?",
      std::string(draftStateCode(state)), limit);
  return readAll(r);
}

}  // namespace portal::publishing
