#include "portal/publishing/catalog.h"

#include <regex>

#include "base/percent_encoding.h"
#include "base/utf8.h"
#include "base/whole_number.h"

namespace portal::publishing {

std::string itemPath(std::string_view department_slug, std::string_view code) {
  return "/items/" + base::percentEncode(department_slug) + "/" + base::percentEncode(code);
}

std::string itemDocKey(std::int64_t department_id, std::string_view code) {
  return std::to_string(department_id) + "/" + std::string(code);
}

std::optional<ItemDocKey> parseItemDocKey(std::string_view key) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos || slash + 1 >= key.size()) return std::nullopt;
  const auto id = base::parseWholeNumber(std::string(key.substr(0, slash)));
  if (!id || *id <= 0) return std::nullopt;
  return ItemDocKey{static_cast<std::int64_t>(*id), std::string(key.substr(slash + 1))};
}

const std::vector<ItemType>& itemTypes() {
  static const std::vector<ItemType> types = {
      {"xk", "行政许可"}, {"cf", "行政处罚"},     {"qz", "行政强制"}, {"zs", "行政征收"},
      {"jf", "行政给付"}, {"jc", "行政检查"},     {"qr", "行政确认"}, {"jl", "行政奖励"},
      {"cj", "行政裁决"}, {"qt", "其他行政权力"},
  };
  return types;
}

std::optional<std::string> itemTypeCode(std::string_view code_or_name) {
  for (const auto& t : itemTypes()) {
    if (t.code == code_or_name || t.name == code_or_name) return std::string(t.code);
  }
  return std::nullopt;
}

std::string itemTypeName(std::string_view code) {
  for (const auto& t : itemTypes()) {
    if (t.code == code) return std::string(t.name);
  }
  return std::string(code);
}

std::string_view statusCode(ItemStatus s) {
  switch (s) {
    case ItemStatus::InForce:
      return "in_force";
    case ItemStatus::Cancelled:
      return "cancelled";
    case ItemStatus::Delegated:
      return "delegated";
  }
  return "in_force";
}

std::string_view statusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::InForce:
      return "有效";
    case ItemStatus::Cancelled:
      return "已取消";
    case ItemStatus::Delegated:
      return "已下放";
  }
  return "有效";
}

std::optional<ItemStatus> parseStatus(std::string_view v) {
  for (ItemStatus s : {ItemStatus::InForce, ItemStatus::Cancelled, ItemStatus::Delegated}) {
    if (v == statusCode(s) || v == statusName(s)) return s;
  }
  return std::nullopt;
}

std::string_view changeKindCode(ChangeKind k) {
  switch (k) {
    case ChangeKind::Create:
      return "create";
    case ChangeKind::Amend:
      return "amend";
    case ChangeKind::Cancel:
      return "cancel";
    case ChangeKind::Delegate:
      return "delegate";
  }
  return "create";
}

std::string_view changeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::Create:
      return "新增";
    case ChangeKind::Amend:
      return "变更";
    case ChangeKind::Cancel:
      return "取消";
    case ChangeKind::Delegate:
      return "下放";
  }
  return "新增";
}

std::optional<ChangeKind> parseChangeKind(std::string_view v) {
  for (ChangeKind k :
       {ChangeKind::Create, ChangeKind::Amend, ChangeKind::Cancel, ChangeKind::Delegate}) {
    if (v == changeKindCode(k) || v == changeKindName(k)) return k;
  }
  return std::nullopt;
}

std::string normaliseLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

void normaliseItem(ListItem& item) {
  for (std::string* s :
       {&item.code, &item.name, &item.type, &item.implementing_body, &item.level,
        &item.supervision_phone, &item.remarks, &item.effective_date, &item.change_reason,
        &item.legal_trigger}) {
    *s = base::trim(normaliseLineEnds(*s));
  }
  for (auto* lines : {&item.sub_items, &item.responsibilities, &item.accountability}) {
    std::vector<std::string> out;
    for (const auto& l : *lines) {
      for (const auto& part : splitLines(normaliseLineEnds(l))) {
        if (std::string line = base::trim(part); !line.empty()) out.push_back(std::move(line));
      }
    }
    *lines = std::move(out);
  }
  for (auto& b : item.legal_bases) {
    for (std::string* s : {&b.law, &b.article, &b.text, &b.written}) *s = normaliseLineEnds(*s);
  }
}

namespace {
void checkLength(std::vector<std::string>& errors, std::string_view label, std::string_view value,
                 std::size_t max_chars) {
  const std::size_t n = charCount(value);
  if (n > max_chars) {
    errors.push_back(std::string(label) + "最多 " + std::to_string(max_chars) + " 个字，现有 " +
                     std::to_string(n) + " 个字。");
  }
}
}  // namespace

std::vector<std::string> validateItem(const ListItem& item) {
  std::vector<std::string> errors;
  static const std::regex kCode("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
  static const std::regex kDate("^\\d{4}-\\d{2}-\\d{2}$");
  if (!std::regex_match(item.code, kCode)) {
    errors.push_back("事项编码只能由字母、数字、“-”“_”“.”组成，且不超过64个字符。");
  }
  if (item.name.empty()) errors.push_back("请填写事项名称。");
  checkLength(errors, "事项名称", item.name, ItemLimits::kName);
  if (!itemTypeCode(item.type)) errors.push_back("事项类型无效：" + item.type + "。");
  checkLength(errors, "实施主体", item.implementing_body, ItemLimits::kBody);
  checkLength(errors, "行使层级", item.level, ItemLimits::kLevel);
  checkLength(errors, "监督电话", item.supervision_phone, ItemLimits::kPhone);
  checkLength(errors, "子项", joinLines(item.sub_items), ItemLimits::kLongText);
  checkLength(errors, "责任事项", joinLines(item.responsibilities), ItemLimits::kLongText);
  checkLength(errors, "追责情形", joinLines(item.accountability), ItemLimits::kLongText);
  checkLength(errors, "备注", item.remarks, ItemLimits::kLongText);
  for (std::size_t i = 0; i < item.legal_bases.size(); ++i) {
    const auto& b = item.legal_bases[i];
    const std::string label = "设定依据第 " + std::to_string(i + 1) + " 条的";
    checkLength(errors, label + "法律名称", b.law, ItemLimits::kLawTitle);
    checkLength(errors, label + "条款号", b.article, ItemLimits::kArticle);
    checkLength(errors, label + "条文", b.text, ItemLimits::kLongText);
    checkLength(errors, label + "原文", b.written, ItemLimits::kLongText);
  }
  if (!std::regex_match(item.effective_date, kDate)) {
    errors.push_back("生效日期格式应为 YYYY-MM-DD。");
  }
  if (item.change_reason.empty()) errors.push_back("请填写变更理由。");
  return errors;
}

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line(text.substr(pos, nl - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    pos = nl + 1;
  }
  return out;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

}  // namespace portal::publishing
