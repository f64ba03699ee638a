#pragma once

#include <optional>
#include <string_view>

namespace portal::changes {

// The kinds of public document the search index holds; each domain announces its writes as
// one of these. The names are what search_changes.doc_kind stores (and what document ids in
// the index start with), so they never change.
enum class DocKind { Item, Department, Decision, Officer, Disclosure };

// "item", "department", "decision", "officer", "disclosure".
std::string_view docKindName(DocKind kind);
// The inverse of docKindName(); nullopt for any other text.
std::optional<DocKind> parseDocKind(std::string_view name);

}  // namespace portal::changes
