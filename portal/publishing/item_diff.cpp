#include "portal/publishing/item_diff.h"

#include "portal/publishing/legal_basis.h"

namespace portal::publishing {

std::string formatLegalBases(const std::vector<LegalBasis>& bases) {
  std::string out;
  for (const auto& b : bases) out += (out.empty() ? "" : "\n") + basisDisplay(b);
  return out;
}

std::vector<LegalBasis> parseLegalBases(std::string_view text) {
  return parseLegalBasisCell(text);
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
