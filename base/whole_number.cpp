#include "base/whole_number.h"

#include <algorithm>

namespace base {

std::optional<std::int64_t> parseWholeNumber(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > std::min<std::size_t>(max_digits, 18) ||
      s.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

}  // namespace base
