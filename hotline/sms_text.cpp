#include "hotline/sms_text.h"

#include "hotline/phone_number.h"
#include "hotline/text.h"

namespace hotline {
namespace {

// Length in bytes of the UTF-8 sequence starting with `lead` (valid text assumed).
std::size_t sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

}  // namespace

int smsSegments(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequenceLength(static_cast<unsigned char>(text[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  if (units <= 70) return 1;
  return static_cast<int>((units + 66) / 67);
}

std::optional<std::string> smsRecipient(std::string_view stored_phone) {
  const auto normalized = normalizePhone(stored_phone);
  if (!normalized || normalized->size() != 11 || (*normalized)[0] != '1') return std::nullopt;
  return "+86" + *normalized;
}

std::string cutText(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (chars == max_chars) return std::string(text.substr(0, i)) + "…";
    i += sequenceLength(static_cast<unsigned char>(text[i]));
    ++chars;
  }
  return std::string(text);
}

std::string tidySentenceEnds(std::string_view text) {
  static constexpr std::string_view kFullStop = "。";
  static constexpr std::string_view kEnders[] = {"。", "！", "？", "；", "!", "?", "."};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, kFullStop.size()) == kFullStop) {
      bool follows_ender = false;
      for (std::string_view ender : kEnders) {
        if (out.size() >= ender.size() &&
            std::string_view(out).substr(out.size() - ender.size()) == ender) {
          follows_ender = true;
        }
      }
      if (follows_ender) {
        i += kFullStop.size();
        continue;
      }
    }
    out += text[i];
    ++i;
  }
  return out;
}

std::string substitute(std::string_view tmpl, std::string_view open, std::string_view close,
                       const std::map<std::string, std::string>& values,
                       const std::function<std::string(std::string_view)>& escape) {
  std::string out;
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    const std::size_t start = tmpl.find(open, pos);
    if (start == std::string_view::npos) break;
    const std::size_t end = tmpl.find(close, start + open.size());
    if (end == std::string_view::npos) break;
    const std::string name(tmpl.substr(start + open.size(), end - start - open.size()));
    out.append(tmpl.substr(pos, start - pos));
    const auto it = values.find(name);
    if (it == values.end()) {
      out.append(tmpl.substr(start, end + close.size() - start));
    } else {
      out += escape ? escape(it->second) : it->second;
    }
    pos = end + close.size();
  }
  out.append(tmpl.substr(pos));
  return out;
}

std::optional<std::string> unknownPlaceholder(std::string_view tmpl, std::string_view open,
                                              std::string_view close,
                                              const std::map<std::string, std::string>& allowed) {
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = tmpl.find(open, pos);
    if (start == std::string_view::npos) return std::nullopt;
    const std::size_t end = tmpl.find(close, start + open.size());
    if (end == std::string_view::npos) return std::nullopt;
    std::string name(tmpl.substr(start + open.size(), end - start - open.size()));
    if (allowed.count(name) == 0) return name;
    pos = end + close.size();
  }
}

std::string percentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string jsonEscape(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0x0F];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string headerSafe(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

std::string printableExcerpt(std::string_view body) {
  std::string cut(body.substr(0, 200));
  // Drop a sequence the cut split in two, then anything still not UTF-8.
  while (!cut.empty() && !isValidUtf8(cut)) cut.pop_back();
  std::string out;
  for (const char ch : cut) {
    const unsigned char c = static_cast<unsigned char>(ch);
    out += (c < 0x20 || c == 0x7F) ? ' ' : ch;
  }
  return trimText(out);
}

std::string ucs2HexText(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const auto unit = [&out](unsigned u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xF];
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    unsigned cp = 0xFFFD;
    std::size_t len = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
    }
    if (len > 1) {
      bool ok = i + len <= s.size();
      unsigned v = b & (0x7F >> len);
      for (std::size_t k = 1; ok && k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        ok = (c & 0xC0) == 0x80;
        v = (v << 6) | (c & 0x3F);
      }
      if (ok) {
        cp = v;
      } else {
        len = 1;  // the lead byte alone becomes U+FFFD
      }
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

}  // namespace hotline
