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
// The reverse of formatLegalBases() for a form that showed `known` (the version being edited):
// every run of lines that is exactly how one of `known` is shown keeps that basis as it is
// (the parser trims closing punctuation and re-reads titles, so parsing what it showed is not
// the identity); only lines the person changed or added are parsed. Line ends may be CR LF.
std::vector<LegalBasis> parseLegalBases(std::string_view text,
                                        const std::vector<LegalBasis>& known);

// True when a version with `after`'s fields would publish nothing new over `before`: every
// field the item page shows (diffItems) is the same. Both normalised (normaliseItem).
bool sameContent(const ListItem& before, const ListItem& after);

}  // namespace portal::publishing
