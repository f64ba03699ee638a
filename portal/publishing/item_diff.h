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

// One basis per line, each as basisDisplay() shows it, as the diff and the edit form show them.
std::string formatLegalBases(const std::vector<LegalBasis>& bases);
// The reverse, for the edit form and the API: parseLegalBasisCell() (legal_basis.h).
std::vector<LegalBasis> parseLegalBases(std::string_view text);

}  // namespace portal::publishing
