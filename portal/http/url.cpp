#include "portal/http/url.h"

namespace portal::http {

std::optional<std::vector<std::pair<std::string, std::string>>> parseQueryString(
    std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos <= qs.size()) {
    std::size_t amp = qs.find('&', pos);
    if (amp == std::string_view::npos) amp = qs.size();
    std::string_view part = qs.substr(pos, amp - pos);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      auto key = percentDecode(part.substr(0, eq), true);
      auto value = percentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
      if (!key || !value) return std::nullopt;
      out.emplace_back(std::move(*key), std::move(*value));
    }
    pos = amp + 1;
  }
  return out;
}

}  // namespace portal::http
