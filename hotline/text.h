#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.h"

namespace hotline {

// UTF-8 validation, length and trimming (base::trim, one rule of what is blank) live in base.
using base::isValidUtf8;
using base::utf8Length;

// A control character (C0 but tab, LF, CR; DEL; C1) is never part of a complaint.
using base::hasControlCharacters;

}  // namespace hotline
