#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace base {

// A whole number given as plain ASCII digits (an id in a path, a version in a form, a key in
// the change log): nullopt when `s` is empty, has more than `max_digits` digits (at most 18, so
// it fits std::int64_t) or holds anything else. Callers decide what a missing or bad value means.
std::optional<std::int64_t> parseWholeNumber(std::string_view s, std::size_t max_digits = 18);

}  // namespace base
