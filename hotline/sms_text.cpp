#include "hotline/sms_text.h"

#include "base/utf8.h"
#include "hotline/phone_number.h"
#include "hotline/text.h"

namespace hotline {

int smsSegments(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = base::utf8SequenceLength(static_cast<unsigned char>(text[i]));
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
  const std::string_view kept = base::utf8Prefix(text, max_chars);
  return kept.size() < text.size() ? std::string(kept) + "…" : std::string(text);
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
  return base::trim(out);
}

std::string ucs2HexText(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const auto unit = [&out](unsigned u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xF];
  };
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = base::decodeUtf8(s, i);
    if (cp == base::kInvalidCodePoint) cp = 0xFFFD;  // the bad byte alone becomes U+FFFD
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
