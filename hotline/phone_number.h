#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

// The mark between a landline and its extension in the canonical form.
inline constexpr std::string_view kExtensionMark = "转";
inline constexpr std::size_t kMaxExtensionDigits = 6;

// A complainant's phone number in one canonical form: a mainland mobile as 11 digits
// ("13812345678"), a landline as area code, hyphen, local number ("0431-81912345"), with an
// extension of up to 6 digits after 转 ("0431-81912345转801"; kept for staff to call, never
// an SMS recipient). Input may carry spaces, hyphens, parentheses, full-width digits and a
// +86 / 0086 prefix, or 86 without the plus before a mobile ("8613800138000"); an extension
// follows the landline after 转, 分机, ext, x, # or a hyphen ("0431-81912345-801").
// Returns std::nullopt for anything else (too short, a local number without area code,
// letters, a foreign number). Pure; thread safe.
std::optional<std::string> normalizePhone(std::string_view input);

// What staff see by default: "138****5678", "0431-****2345", "0431-****2345转801". Any other text keeps only its
// last four characters visible. Pure.
std::string maskPhone(std::string_view normalized);

}  // namespace hotline
