#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portal::http {

// Percent-decodes `s`; with `plus_is_space` a '+' becomes ' ' (query strings and forms).
// nullopt when an escape is malformed ("%4", "%zz") or the result is not valid UTF-8 or
// contains a NUL byte.
std::optional<std::string> percentDecode(std::string_view s, bool plus_is_space);

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string percentEncode(std::string_view s);

// Parses "a=1&b=%E4%B8%AD" (no leading '?'); nullopt if any part fails to decode.
std::optional<std::vector<std::pair<std::string, std::string>>> parseQueryString(
    std::string_view qs);

bool isValidUtf8(std::string_view s);

}  // namespace portal::http
