#include "base/utf8.h"

#include <algorithm>

namespace base {

char32_t decodeUtf8(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kInvalidCodePoint;
  }
  if (len > s.size() - i) {
    ++i;
    return kInvalidCodePoint;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalidCodePoint;
  }
  i += len;
  return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t utf8SequenceLength(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

std::size_t firstInvalidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    if (decodeUtf8(s, i) == kInvalidCodePoint) return at;
  }
  return std::string_view::npos;
}

bool isValidUtf8(std::string_view s) { return firstInvalidUtf8(s) == std::string_view::npos; }

std::size_t utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view utf8Prefix(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0;
  for (std::size_t chars = 0; i < s.size() && chars < max_chars; ++chars) {
    i += utf8SequenceLength(static_cast<unsigned char>(s[i]));
  }
  return s.substr(0, std::min(i, s.size()));
}

std::string_view utf8BytePrefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

bool isControlCharacter(char32_t cp) {
  return (cp < 0x20 && cp != U'\t' && cp != U'\n' && cp != U'\r') || (cp >= 0x7F && cp <= 0x9F);
}

bool hasControlCharacters(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (isControlCharacter(decodeUtf8(s, i))) return true;
  }
  return false;
}

std::string stripControlCharacters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    if (!isControlCharacter(decodeUtf8(s, i))) out.append(s.substr(at, i - at));
  }
  return out;
}

bool isBlank(char32_t cp) {
  // White space: ASCII, U+0085, the Zs space separators, the line and paragraph separators.
  if ((cp >= U'\t' && cp <= U'\r') || cp == U' ' || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
      (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
      cp == 0x205F || cp == 0x3000) {
    return true;
  }
  // Format characters (Cf, Unicode 15): invisible, so a text of nothing else looks empty.
  return cp == 0xAD || (cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD ||
         cp == 0x70F || cp == 0x890 || cp == 0x891 || cp == 0x8E2 || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0x110BD || cp == 0x110CD ||
         (cp >= 0x13430 && cp <= 0x1343F) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
         (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
}

namespace {

// The byte length of the blank code point that ends `s`, 0 when it does not end in one.
std::size_t blankSuffix(std::string_view s) {
  for (std::size_t len = 1; len <= 4 && len <= s.size(); ++len) {
    const auto lead = static_cast<unsigned char>(s[s.size() - len]);
    if ((lead & 0xC0) == 0x80) continue;  // still inside the sequence
    std::size_t i = s.size() - len;
    const char32_t cp = decodeUtf8(s, i);
    return i == s.size() && isBlank(cp) ? len : 0;
  }
  return 0;
}

}  // namespace

std::string_view trimView(std::string_view s) {
  while (!s.empty()) {
    std::size_t i = 0;
    if (!isBlank(decodeUtf8(s, i))) break;
    s.remove_prefix(i);
  }
  while (const std::size_t n = blankSuffix(s)) s.remove_suffix(n);
  return s;
}

std::string trim(std::string_view s) { return std::string(trimView(s)); }

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<char32_t> codePoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = decodeUtf8(s, i);
    if (cp != kInvalidCodePoint) out.push_back(cp);
  }
  return out;
}

}  // namespace base
