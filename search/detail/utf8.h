#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Minimal UTF-8 helpers. Internal to the search module.

namespace search::detail {

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i past it. An invalid, overlong or truncated
// sequence, or a surrogate, yields kInvalidCodePoint and advances one byte.
char32_t decodeUtf8(std::string_view s, std::size_t& i);
void appendUtf8(std::string& out, char32_t cp);

// Mirrors Xapian 1.4's CJK::codepoint_is_cjk, which decides what FLAG_CJK_NGRAM n-grams.
bool isCjk(char32_t cp);

}  // namespace search::detail
