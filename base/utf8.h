#pragma once

#include <cstddef>
#include <string_view>

namespace base {

// True when `s` is well-formed UTF-8: no stray continuation bytes, no truncated sequence, no
// overlong form, no surrogate, nothing above U+10FFFF. The empty string is valid.
bool isValidUtf8(std::string_view s);

// Unicode code points in well-formed UTF-8 text: "举报" is 2, not 6. This is what every length
// limit counts.
std::size_t utf8Length(std::string_view s);

}  // namespace base
