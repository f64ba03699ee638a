#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hotline {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// Unicode code points in well-formed UTF-8 text: "举报" is 2, not 6. This is what length
// limits count.
std::size_t utf8Length(std::string_view text);

// True when `text` holds a control character other than tab, line feed and carriage return:
// C0 controls, DEL, or C1 controls (U+0080-U+009F). Such characters are never part of a
// complaint and could hide text or upset terminals and exports.
bool hasControlCharacters(std::string_view text);

// Without leading and trailing ASCII whitespace and U+3000 (ideographic space).
std::string trimText(std::string_view text);

}  // namespace hotline
