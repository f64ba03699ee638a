#include "hotline/phone_number.h"

namespace hotline {
namespace {

bool allDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Removes separators and turns full-width digits and plus signs into ASCII; nullopt when any
// other character is present.
std::optional<std::string> compact(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c >= '0' && c <= '9') {
      out += static_cast<char>(c);
      ++i;
    } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '\t') {
      ++i;
    } else if (c == '+') {
      if (!out.empty()) return std::nullopt;
      out += '+';
      ++i;
    } else if (c == 0xEF && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xBC) {
      // U+FF00..U+FF3F: full-width ＋ (8B), －(8D), （(88), ）(89), ０-９ (90-99).
      const unsigned char t = static_cast<unsigned char>(in[i + 2]);
      if (t >= 0x90 && t <= 0x99) {
        out += static_cast<char>('0' + (t - 0x90));
      } else if (t == 0x8B) {
        if (!out.empty()) return std::nullopt;
        out += '+';
      } else if (t != 0x8D && t != 0x88 && t != 0x89) {
        return std::nullopt;
      }
      i += 3;
    } else if (c == 0xE3 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
               static_cast<unsigned char>(in[i + 2]) == 0x80) {
      i += 3;  // ideographic space
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> normalizePhone(std::string_view input) {
  std::optional<std::string> digits = compact(input);
  if (!digits) return std::nullopt;
  std::string s = *digits;
  bool international = false;
  if (s.rfind("+86", 0) == 0) {
    s.erase(0, 3);
    international = true;
  } else if (s.rfind("0086", 0) == 0) {
    s.erase(0, 4);
    international = true;
  }
  if (!allDigits(s)) return std::nullopt;  // a remaining '+' is a foreign number

  if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') return s;

  // Landline: after +86 the trunk 0 is dropped; put it back.
  if (international) {
    if (s[0] == '0') return std::nullopt;
    s.insert(0, "0");
  }
  if (s[0] != '0' || s.size() < 2 || s[1] == '0') return std::nullopt;
  // 010 and 02x are three-digit area codes; every other area code has four digits.
  const std::size_t area = (s[1] == '1' || s[1] == '2') ? 3 : 4;
  if (s.size() <= area) return std::nullopt;
  const std::string local = s.substr(area);
  if (local.size() < 7 || local.size() > 8 || local[0] == '0' || local[0] == '1') {
    return std::nullopt;
  }
  return s.substr(0, area) + "-" + local;
}

std::string maskPhone(std::string_view normalized) {
  const std::string s(normalized);
  if (s.size() == 11 && allDigits(s)) return s.substr(0, 3) + "****" + s.substr(7);
  const std::size_t dash = s.find('-');
  if (dash != std::string::npos && s.size() - dash - 1 > 4) {
    return s.substr(0, dash + 1) + "****" + s.substr(s.size() - 4);
  }
  if (s.size() <= 4) return std::string(s.size(), '*');
  return std::string(s.size() - 4, '*') + s.substr(s.size() - 4);
}

}  // namespace hotline
