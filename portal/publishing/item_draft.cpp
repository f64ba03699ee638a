#include "portal/publishing/item_draft.h"

#include <nlohmann/json.hpp>
#include <regex>

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
  nlohmann::json bases = nlohmann::json::array();
  for (const auto& b : item.legal_bases) {
    bases.push_back(
        {{"law", b.law}, {"article", b.article}, {"text", b.text}, {"written", b.written}});
  }
  return nlohmann::json{{"code", item.code},
                        {"name", item.name},
                        {"type", item.type},
                        {"sub_items", item.sub_items},
                        {"implementing_body", item.implementing_body},
                        {"level", item.level},
                        {"legal_bases", bases},
                        {"responsibilities", item.responsibilities},
                        {"accountability", item.accountability},
                        {"supervision_phone", item.supervision_phone},
                        {"remarks", item.remarks},
                        {"effective_date", item.effective_date},
                        {"change_kind", std::string(changeKindCode(item.change_kind))},
                        {"change_reason", item.change_reason},
                        {"legal_trigger", item.legal_trigger}}
      .dump();
}

ListItem draftItemFromJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  ListItem item;
  item.code = j.at("code").get<std::string>();
  item.name = j.at("name").get<std::string>();
  item.type = j.at("type").get<std::string>();
  item.sub_items = j.at("sub_items").get<std::vector<std::string>>();
  item.implementing_body = j.at("implementing_body").get<std::string>();
  item.level = j.at("level").get<std::string>();
  for (const auto& b : j.at("legal_bases")) {
    item.legal_bases.push_back(LegalBasis{b.at("law").get<std::string>(),
                                          b.at("article").get<std::string>(),
                                          b.at("text").get<std::string>(),
                                          b.value("written", std::string())});
  }
  item.responsibilities = j.at("responsibilities").get<std::vector<std::string>>();
  item.accountability = j.at("accountability").get<std::vector<std::string>>();
  item.supervision_phone = j.at("supervision_phone").get<std::string>();
  item.remarks = j.at("remarks").get<std::string>();
  item.effective_date = j.at("effective_date").get<std::string>();
  item.change_kind =
      parseChangeKind(j.at("change_kind").get<std::string>()).value_or(ChangeKind::Amend);
  item.change_reason = j.at("change_reason").get<std::string>();
  item.legal_trigger = j.at("legal_trigger").get<std::string>();
  return item;
}

}  // namespace portal::publishing
