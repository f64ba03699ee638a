#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.h"

// Minimal UTF-8 helpers. Internal to the search module.

namespace search::detail {

// Decoding and encoding are base's (one decoder for the whole portal).
using base::appendUtf8;
using base::decodeUtf8;
using base::kInvalidCodePoint;

// Mirrors Xapian 1.4's CJK::codepoint_is_cjk, which decides what FLAG_CJK_NGRAM n-grams.
bool isCjk(char32_t cp);

}  // namespace search::detail
