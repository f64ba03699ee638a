#pragma once

#include <cstddef>
#include <cstdint>
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

// A whole number given as plain ASCII digits (an id in a path, a version in a form): nullopt
// when `s` is empty, has more than `max_digits` digits (at most 18, so it fits std::int64_t) or
// holds anything else. Callers decide what a missing or bad value means.
std::optional<std::int64_t> parseWholeNumber(std::string_view s, std::size_t max_digits = 18);

}  // namespace portal::http
