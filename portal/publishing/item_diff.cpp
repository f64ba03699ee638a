#include "portal/publishing/item_diff.h"

#include <algorithm>
#include <utility>

#include "portal/publishing/item_fields.h"
#include "portal/publishing/legal_basis.h"

namespace portal::publishing {

namespace {

// The laws the bases cite, as the amendment listing matches them.
std::vector<std::string> lawsOf(const ListItem& item) {
  std::vector<std::string> out;
  for (const auto& b : item.legal_bases) out.push_back(lawKey(b.law));
  return out;
}

}  // namespace

std::string formatLegalBases(const std::vector<LegalBasis>& bases) {
  std::string out;
  for (const auto& b : bases) out += (out.empty() ? "" : "\n") + basisDisplay(b);
  return out;
}

std::vector<LegalBasis> parseLegalBases(std::string_view text) {
  return parseLegalBasisCell(text);
}

std::vector<LegalBasis> parseLegalBases(std::string_view text,
                                        const std::vector<LegalBasis>& known) {
  const std::string all = normaliseLineEnds(text);
  // Longest first, so a basis shown on two lines wins over one shown as its first line.
  std::vector<std::pair<std::string, const LegalBasis*>> shown;
  for (const auto& b : known) {
    std::string d = normaliseLineEnds(basisDisplay(b));
    if (!d.empty()) shown.emplace_back(std::move(d), &b);
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::vector<LegalBasis> out;
  std::string changed;  // consecutive lines that match no known basis, parsed together
  const auto flush = [&] {
    for (auto& b : parseLegalBasisCell(changed)) out.push_back(std::move(b));
    changed.clear();
  };
  std::size_t pos = 0;
  while (pos < all.size()) {
    const LegalBasis* kept = nullptr;
    std::size_t end = pos;
    for (const auto& [display, basis] : shown) {
      end = pos + display.size();
      if (all.compare(pos, display.size(), display) == 0 &&
          (end == all.size() || all[end] == '\n')) {
        kept = basis;
        break;
      }
    }
    if (kept) {
      flush();
      out.push_back(*kept);
      pos = end + 1;
      continue;
    }
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) nl = all.size();
    changed.append(all, pos, nl - pos).push_back('\n');
    pos = nl + 1;
  }
  flush();
  return out;
}

bool sameContent(const ListItem& before, const ListItem& after) {
  for (const auto& f : diffItems(before, after)) {
    if (f.changed) return false;
  }
  return lawsOf(before) == lawsOf(after);
}

std::vector<FieldChange> diffItems(const ListItem& a, const ListItem& b) {
  std::vector<FieldChange> out;
  for (const auto& f : itemFields()) {
    if (!(f.uses & kUseShown)) continue;
    std::string before = fieldText(f, a), after = fieldText(f, b);
    const bool changed = before != after;
    out.push_back(FieldChange{std::string(f.label), std::move(before), std::move(after), changed});
  }
  return out;
}

}  // namespace portal::publishing
