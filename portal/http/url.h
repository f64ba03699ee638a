#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/percent_encoding.h"
#include "base/utf8.h"
#include "base/whole_number.h"

namespace portal::http {

// The text primitives live in base; these names stay for the HTTP layer's callers.
using base::isValidUtf8;
using base::parseWholeNumber;
using base::percentDecode;
using base::percentEncode;

// Parses "a=1&b=%E4%B8%AD" (no leading '?'); nullopt if any part fails to decode.
std::optional<std::vector<std::pair<std::string, std::string>>> parseQueryString(
    std::string_view qs);

}  // namespace portal::http
