#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hotline {

// A complainant's phone number in one canonical form: a mainland mobile as 11 digits
// ("13812345678"), a landline as area code, hyphen, local number ("0431-81912345").
// Input may carry spaces, hyphens, parentheses, full-width digits and a +86 / 0086 prefix.
// Returns std::nullopt for anything else (too short, a local number without area code,
// letters, a foreign number). Pure; thread safe.
std::optional<std::string> normalizePhone(std::string_view input);

// What staff see by default: "138****5678", "0431-****2345". Any other text keeps only its
// last four characters visible. Pure.
std::string maskPhone(std::string_view normalized);

}  // namespace hotline
