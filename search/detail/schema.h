#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// How documents are laid out in the Xapian index; shared by the writer and the searcher.
// Internal to the search module. Prefixes follow Omega's conventions (termprefixes.rst):
// Q unique id, S title; our own start with X.

namespace search::detail {

inline constexpr char kIdPrefix[] = "Q";
inline constexpr char kTitlePrefix[] = "S";
inline constexpr char kExactPrefix[] = "XE";
inline constexpr char kFilterPrefix[] = "XF";  // XF<NAME>:<value>, e.g. XFDEPARTMENT:城管局
inline constexpr char kTitleGramPrefix[] = "XT";  // XT<gram>, wdf 0: see titleGramsOf

inline constexpr unsigned kDateSlot = 0;  // YYYY-MM-DD

// Metadata key holding the last applied change-log seq, as decimal.
inline constexpr char kLastSeqKey[] = "search.last_applied_seq";

inline constexpr std::size_t kMaxIdBytes = 200;
inline constexpr std::size_t kMaxBooleanValueBytes = 200;
// Xapian's TermGenerator skips longer words, so the query side must too.
inline constexpr std::size_t kMaxWordBytes = 64;
// Keeps fields and the title from forming phrases across their boundary.
inline constexpr unsigned kFieldPositionGap = 100;

// Value slot counting facet `name`, or nullopt when it is not a facet.
std::optional<unsigned> facetSlot(std::string_view name);
// [a-z][a-z0-9_]*
bool isValidFilterName(std::string_view name);
std::string filterTerm(std::string_view name, std::string_view value);
bool isValidDate(std::string_view date);

}  // namespace search::detail
