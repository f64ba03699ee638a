#include "portal/changes/doc_kind.h"

#include <array>
#include <utility>

namespace portal::changes {

namespace {
constexpr std::array<std::pair<DocKind, std::string_view>, 5> kNames{{
    {DocKind::Item, "item"},
    {DocKind::Department, "department"},
    {DocKind::Decision, "decision"},
    {DocKind::Officer, "officer"},
    {DocKind::Disclosure, "disclosure"},
}};
}  // namespace

std::string_view docKindName(DocKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return {};
}

std::optional<DocKind> parseDocKind(std::string_view name) {
  for (const auto& [k, n] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

}  // namespace portal::changes
