#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.h"

namespace hotline {

// UTF-8 validation and length live in base.
using base::isValidUtf8;
using base::utf8Length;

// True when `text` holds a control character other than tab, line feed and carriage return:
// C0 controls, DEL, or C1 controls (U+0080-U+009F). Such characters are never part of a
// complaint and could hide text or upset terminals and exports.
bool hasControlCharacters(std::string_view text);

// Without leading and trailing ASCII whitespace and U+3000 (ideographic space).
std::string trimText(std::string_view text);

}  // namespace hotline
