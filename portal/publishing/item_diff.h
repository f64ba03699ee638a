#pragma once

#include <string>
#include <vector>

#include "portal/publishing/catalog.h"

namespace portal::publishing {

struct FieldChange {
  std::string label;  // 事项名称, 设定依据, ...
  std::string before;
  std::string after;
  bool changed = false;
};

// Every public field of two versions side by side, in the order the item page shows them.
std::vector<FieldChange> diffItems(const ListItem& from, const ListItem& to);

// "《法》第X条：条文" one per line, as the diff and the edit form show legal bases.
std::string formatLegalBases(const std::vector<LegalBasis>& bases);
// The reverse, for the edit form: one basis per non-empty line, law up to and including
// "》", the article up to the first "：" (or ":"), the provision after it.
std::vector<LegalBasis> parseLegalBases(std::string_view text);

}  // namespace portal::publishing
