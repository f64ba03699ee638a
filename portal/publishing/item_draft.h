#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portal/publishing/catalog.h"

namespace portal::publishing {

// Where a draft stands. A department that requires review goes draft -> submitted ->
// published (approved) or -> returned (with the reviewer's comment) -> draft again; one that
// does not goes draft -> published. A published draft is kept, read-only, as the record.
enum class DraftState { Draft, Submitted, Returned, Published };
std::string_view draftStateCode(DraftState s);  // draft | submitted | returned | published
std::string_view draftStateName(DraftState s);  // 草稿 | 待审核 | 已退回 | 已发布
std::optional<DraftState> parseDraftState(std::string_view code);

// A proposed change to a department's list that is not public yet.
struct ItemDraft {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::optional<int> base_version;  // the public version it changes; nullopt: a new item
  ListItem item;                    // code, fields, change kind, reason and legal trigger
  DraftState state = DraftState::Draft;
  std::int64_t author_id = 0;
  std::string author_name;  // username
  std::optional<std::int64_t> reviewer_id;
  std::string reviewer_name;
  std::string review_comment;
  std::optional<int> published_version;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS"
  std::string updated_at;

  bool isNewItem() const { return !base_version.has_value(); }
  // The author may still change it (draft or returned).
  bool isOpen() const { return state == DraftState::Draft || state == DraftState::Returned; }
};

// What a draft needs to be saved at all, in Chinese; empty means it can be saved. Drafts may
// be incomplete: only the code (the draft's key), the name (how lists show it), a known type
// when one is given, and a change kind that fits (新增 only for a new item) are checked.
// Submitting or publishing runs validateForPublish().
std::vector<std::string> validateDraft(const ListItem& item, bool new_item);
// validateItem() plus the change-kind rule: everything a published version must satisfy.
std::vector<std::string> validateForPublish(const ListItem& item, bool new_item);

// The item's fields (not id, department, version, status or publication time) as the JSON
// text stored with a draft, and back. draftItemFromJson throws nlohmann::json::exception on
// text that draftItemToJson did not write.
std::string draftItemToJson(const ListItem& item);
ListItem draftItemFromJson(const std::string& text);

}  // namespace portal::publishing
