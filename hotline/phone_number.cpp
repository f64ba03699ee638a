#include "hotline/phone_number.h"

#include "base/utf8.h"

namespace hotline {
namespace {

bool allDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Removes separators and turns full-width digits and plus signs into ASCII; nullopt when any
// other character is present.
std::optional<std::string> compact(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    char32_t c = base::decodeUtf8(in, i);
    // Full-width ０-９ ＋ － （ ） (U+FF10-FF19, FF0B, FF0D, FF08, FF09) as their ASCII forms.
    if ((c >= 0xFF10 && c <= 0xFF19) || c == 0xFF0B || c == 0xFF0D || c == 0xFF08 || c == 0xFF09) {
      c -= 0xFEE0;
    }
    if (c >= U'0' && c <= U'9') {
      out += static_cast<char>(c);
    } else if (c == U'+') {
      if (!out.empty()) return std::nullopt;
      out += '+';
    } else if (c != U' ' && c != U'-' && c != U'(' && c != U')' && c != U'\t' && c != 0x3000) {
      return std::nullopt;  // U+3000: the ideographic space
    }
  }
  return out;
}

bool isMobile(std::string_view s) {
  return s.size() == 11 && allDigits(s) && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

// A number without an extension (see normalizePhone).
std::optional<std::string> normalizeNumber(std::string_view input) {
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
  } else if (s.size() == 13 && s.rfind("86", 0) == 0 && isMobile(s.substr(2))) {
    s.erase(0, 2);  // "8613800138000": the country code without its plus
  }
  if (!allDigits(s)) return std::nullopt;  // a remaining '+' is a foreign number

  if (isMobile(s)) return s;

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

}  // namespace

std::optional<std::string> normalizePhone(std::string_view input) {
  if (auto number = normalizeNumber(input)) return number;
  // A landline with an extension: "0431-81912345转801", "…-801", "… 分机 801", "… ext 801".
  for (std::string_view mark : {"转", "分机", "ext.", "ext", "EXT", "Ext", "x", "X", "#", "-", "－"}) {
    const std::size_t at = input.rfind(mark);
    if (at == std::string_view::npos || at == 0) continue;
    const auto number = normalizeNumber(input.substr(0, at));
    const auto extension = compact(input.substr(at + mark.size()));
    if (!number || isMobile(*number) || !extension || extension->size() > kMaxExtensionDigits ||
        !allDigits(*extension)) {
      continue;
    }
    return *number + std::string(kExtensionMark) + *extension;
  }
  return std::nullopt;
}

std::string maskPhone(std::string_view normalized) {
  if (const std::size_t mark = normalized.find(kExtensionMark); mark != std::string_view::npos) {
    return maskPhone(normalized.substr(0, mark)) + std::string(normalized.substr(mark));
  }
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
