#include "base/percent_encoding.h"

#include "base/utf8.h"

namespace base {

namespace {
int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The one decoder: the bytes of `s` into *out, or why not.
std::optional<PercentDecodeProblem> decode(std::string_view s, bool plus_is_space,
                                           std::string& out) {
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return PercentDecodeProblem::MalformedEscape;
      const int hi = hexValue(s[i + 1]);
      const int lo = hexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return PercentDecodeProblem::MalformedEscape;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (out.find('\0') != std::string::npos) return PercentDecodeProblem::NulByte;
  if (!isValidUtf8(out)) return PercentDecodeProblem::NotUtf8;
  return std::nullopt;
}
}  // namespace

std::optional<std::string> percentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  if (decode(s, plus_is_space, out)) return std::nullopt;
  return out;
}

std::optional<PercentDecodeProblem> percentDecodeProblem(std::string_view s, bool plus_is_space) {
  std::string out;
  return decode(s, plus_is_space, out);
}

std::string percentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace base
