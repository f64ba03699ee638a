#include "search/detail/schema.h"

namespace search::detail {

namespace {

struct FacetSlot {
  std::string_view name;
  unsigned slot;
};

constexpr FacetSlot kFacetSlots[] = {
    {"kind", 1}, {"department", 2}, {"type", 3}, {"status", 4}, {"level", 5}, {"year", 6},
};

}  // namespace

std::optional<unsigned> facetSlot(std::string_view name) {
  for (const auto& f : kFacetSlots) {
    if (f.name == name) return f.slot;
  }
  return std::nullopt;
}

bool isValidFilterName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string filterTerm(std::string_view name, std::string_view value) {
  std::string term = kFilterPrefix;
  for (char c : name) term += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  term += ':';
  term += value;
  return term;
}

bool isValidDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace search::detail
