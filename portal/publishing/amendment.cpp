#include "portal/publishing/amendment.h"

#include <set>

namespace portal::publishing {

std::string_view amendmentKindCode(AmendmentKind k) {
  return k == AmendmentKind::Repealed ? "repealed" : "amended";
}

std::string_view amendmentKindName(AmendmentKind k) {
  return k == AmendmentKind::Repealed ? "已废止" : "已修订";
}

std::optional<AmendmentKind> parseAmendmentKind(std::string_view s) {
  for (std::string_view a : {"amended", "修订", "修正", "已修订", "已修正", "修改", "已修改"}) {
    if (s == a) return AmendmentKind::Amended;
  }
  for (std::string_view r : {"repealed", "废止", "已废止"}) {
    if (s == r) return AmendmentKind::Repealed;
  }
  return std::nullopt;
}

std::string flagNotice(AmendmentKind k) {
  return k == AmendmentKind::Repealed ? "依据已废止，待更新" : "依据已修订，待更新";
}

std::size_t LawImpact::departmentCount() const {
  std::set<std::int64_t> ids;
  for (const auto& i : items) ids.insert(i.department_id);
  return ids.size();
}

}  // namespace portal::publishing
