#include "portal/publishing/item_diff.h"

namespace portal::publishing {

std::string formatLegalBases(const std::vector<LegalBasis>& bases) {
  std::string out;
  for (const auto& b : bases) {
    out += (out.empty() ? "" : "\n") + b.law + b.article + "：" + b.text;
  }
  return out;
}

namespace {
std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}
}  // namespace

std::vector<LegalBasis> parseLegalBases(std::string_view text) {
  std::vector<LegalBasis> out;
  for (const std::string& raw : splitLines(text)) {
    const std::string line = trim(raw);
    if (line.empty()) continue;
    LegalBasis b;
    std::size_t colon = line.find("：");
    std::size_t colon_len = 3;
    if (colon == std::string::npos) {
      colon = line.find(':');
      colon_len = 1;
    }
    const std::string head = colon == std::string::npos ? line : line.substr(0, colon);
    b.text = colon == std::string::npos ? "" : trim(line.substr(colon + colon_len));
    const std::size_t close = head.find("》");
    if (close != std::string::npos) {
      b.law = trim(head.substr(0, close + 3));
      b.article = trim(head.substr(close + 3));
    } else {
      b.law = trim(head);
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<FieldChange> diffItems(const ListItem& a, const ListItem& b) {
  std::vector<FieldChange> out;
  auto add = [&out](const char* label, const std::string& before, const std::string& after) {
    out.push_back(FieldChange{label, before, after, before != after});
  };
  add("事项名称", a.name, b.name);
  add("事项类型", itemTypeName(a.type), itemTypeName(b.type));
  add("子项", joinLines(a.sub_items), joinLines(b.sub_items));
  add("实施主体", a.implementing_body, b.implementing_body);
  add("行使层级", a.level, b.level);
  add("设定依据", formatLegalBases(a.legal_bases), formatLegalBases(b.legal_bases));
  add("责任事项", joinLines(a.responsibilities), joinLines(b.responsibilities));
  add("追责情形", joinLines(a.accountability), joinLines(b.accountability));
  add("监督电话", a.supervision_phone, b.supervision_phone);
  add("备注", a.remarks, b.remarks);
  add("状态", std::string(statusName(a.status)), std::string(statusName(b.status)));
  add("生效日期", a.effective_date, b.effective_date);
  return out;
}

}  // namespace portal::publishing
