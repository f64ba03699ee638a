#include "hotline/text.h"

namespace hotline {

std::string trimText(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  bool changed = true;
  while (changed && !text.empty()) {
    changed = false;
    const char f = text.front();
    if (f == ' ' || f == '\t' || f == '\r' || f == '\n' || f == '\v' || f == '\f') {
      text.remove_prefix(1);
      changed = true;
    } else if (text.substr(0, 3) == kIdeographicSpace) {
      text.remove_prefix(3);
      changed = true;
    }
    if (text.empty()) break;
    const char b = text.back();
    if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\v' || b == '\f') {
      text.remove_suffix(1);
      changed = true;
    } else if (text.size() >= 3 && text.substr(text.size() - 3) == kIdeographicSpace) {
      text.remove_suffix(3);
      changed = true;
    }
  }
  return std::string(text);
}

bool hasControlCharacters(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return true;
    // U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0x9f) return true;
    }
  }
  return false;
}

}  // namespace hotline
