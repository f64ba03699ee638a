#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace base {

// Percent-decodes `s`; with `plus_is_space` a '+' becomes ' ' (query strings and forms).
// nullopt when an escape is malformed ("%4", "%zz") or the result is not valid UTF-8 or
// contains a NUL byte.
std::optional<std::string> percentDecode(std::string_view s, bool plus_is_space);

// Why percentDecode refuses `s`: a '%' without two hexadecimal digits after it ("100%" sent
// unencoded), a NUL byte (%00), or decoded bytes that are not UTF-8 (GBK); nullopt when it
// decodes.
enum class PercentDecodeProblem { MalformedEscape, NulByte, NotUtf8 };
std::optional<PercentDecodeProblem> percentDecodeProblem(std::string_view s, bool plus_is_space);

// Percent-encodes everything but unreserved characters (RFC 3986): safe in a path segment and
// in a query value.
std::string percentEncode(std::string_view s);

}  // namespace base
