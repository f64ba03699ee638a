#include "portal/publishing/item_draft.h"

#include <nlohmann/json.hpp>
#include <regex>

#include "portal/publishing/item_fields.h"

namespace portal::publishing {

std::string_view draftStateCode(DraftState s) {
  switch (s) {
    case DraftState::Draft:
      return "draft";
    case DraftState::Submitted:
      return "submitted";
    case DraftState::Returned:
      return "returned";
    case DraftState::Published:
      return "published";
  }
  return "draft";
}

std::string_view draftStateName(DraftState s) {
  switch (s) {
    case DraftState::Draft:
      return "草稿";
    case DraftState::Submitted:
      return "待审核";
    case DraftState::Returned:
      return "已退回";
    case DraftState::Published:
      return "已发布";
  }
  return "草稿";
}

std::optional<DraftState> parseDraftState(std::string_view code) {
  for (DraftState s :
       {DraftState::Draft, DraftState::Submitted, DraftState::Returned, DraftState::Published}) {
    if (draftStateCode(s) == code) return s;
  }
  return std::nullopt;
}

namespace {
void checkChangeKind(const ListItem& item, bool new_item, std::vector<std::string>& errors) {
  if (new_item && item.change_kind != ChangeKind::Create) {
    errors.push_back("新增事项的变更类型只能是“新增”。");
  }
  if (!new_item && item.change_kind == ChangeKind::Create) {
    errors.push_back("变更类型不能是“新增”。");
  }
}
}  // namespace

std::vector<std::string> validateDraft(const ListItem& item, bool new_item) {
  std::vector<std::string> errors;
  static const std::regex kCode("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
  if (!std::regex_match(item.code, kCode)) {
    errors.push_back("事项编码只能由字母、数字、“-”“_”“.”组成，且不超过64个字符。");
  }
  if (item.name.empty()) errors.push_back("保存草稿至少需要填写事项名称。");
  if (const std::size_t n = charCount(item.name); n > ItemLimits::kName) {
    errors.push_back("事项名称最多 " + std::to_string(ItemLimits::kName) + " 个字，现有 " +
                     std::to_string(n) + " 个字。");
  }
  if (!item.type.empty() && !itemTypeCode(item.type)) {
    errors.push_back("事项类型无效：" + item.type + "。");
  }
  checkChangeKind(item, new_item, errors);
  return errors;
}

std::vector<std::string> validateForPublish(const ListItem& item, bool new_item) {
  auto errors = validateItem(item);
  checkChangeKind(item, new_item, errors);
  return errors;
}

std::string draftItemToJson(const ListItem& item) {
  return itemFieldsJson(item, kUseDraft).dump();
}

ListItem draftItemFromJson(const std::string& text) {
  ListItem item;
  item.change_kind = ChangeKind::Amend;  // what an unknown change kind reads as
  setItemFieldsFromJson(item, nlohmann::json::parse(text), kUseDraft);
  return item;
}

}  // namespace portal::publishing
