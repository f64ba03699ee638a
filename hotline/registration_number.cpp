#include "hotline/registration_number.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <utility>

#include "base/utf8.h"

namespace hotline {
namespace {

// Walks the pattern, calling `literal(text)` and `field(name, padding)` in order.
template <typename Literal, typename Field>
void walk(const std::string& pattern, Literal literal, Field field) {
  std::size_t i = 0;
  while (i < pattern.size()) {
    const std::size_t open = pattern.find('{', i);
    if (open == std::string::npos) {
      literal(std::string_view(pattern).substr(i));
      return;
    }
    literal(std::string_view(pattern).substr(i, open - i));
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) {
      throw std::invalid_argument("registration_format: unclosed '{' in " + pattern);
    }
    std::string name = pattern.substr(open + 1, close - open - 1);
    int padding = 0;
    const std::size_t colon = name.find(':');
    if (colon != std::string::npos) {
      const std::string digits = name.substr(colon + 1);
      name.resize(colon);
      if (digits.empty() || digits.size() > 2 ||
          digits.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument("registration_format: bad padding in " + pattern);
      }
      padding = std::stoi(digits);
      if (padding < 1 || padding > 12 || name != "seq") {
        throw std::invalid_argument("registration_format: padding 1-12 on {seq} only: " + pattern);
      }
    }
    if (name != "source" && name != "year" && name != "seq") {
      throw std::invalid_argument("registration_format: unknown placeholder {" + name + "}");
    }
    field(name, padding);
    i = close + 1;
  }
}

// The source whose code `s` has at `at` (moving `at` past it), or std::nullopt.
std::optional<Source> sourceAt(std::string_view s, std::size_t& at) {
  for (Source source : {Source::Complaint, Source::Inspection, Source::Assigned, Source::Referred}) {
    const std::string_view code = sourceCode(source);
    if (s.substr(at, code.size()) == code) {
      at += code.size();
      return source;
    }
  }
  return std::nullopt;
}

}  // namespace

RegistrationNumberFormat::RegistrationNumberFormat(std::string pattern)
    : pattern_(std::move(pattern)) {
  bool source = false, year = false, seq = false;
  walk(
      pattern_, [](std::string_view) {},
      [&](const std::string& name, int) {
        source |= name == "source";
        year |= name == "year";
        seq |= name == "seq";
      });
  if (!source || !year || !seq) {
    throw std::invalid_argument("registration_format must contain {source}, {year} and {seq}: " +
                                pattern_);
  }
}

std::string RegistrationNumberFormat::format(Source source, int year, std::int64_t sequence) const {
  std::string out;
  walk(
      pattern_, [&](std::string_view text) { out += text; },
      [&](const std::string& name, int padding) {
        if (name == "source") {
          out += sourceCode(source);
        } else if (name == "year") {
          out += std::to_string(year);
        } else {
          std::string digits = std::to_string(sequence);
          if (static_cast<int>(digits.size()) < padding) {
            digits.insert(0, static_cast<std::size_t>(padding) - digits.size(), '0');
          }
          out += digits;
        }
      });
  return out;
}

bool RegistrationNumberFormat::matches(std::string_view normalized) const {
  std::size_t at = 0;
  bool ok = true;
  const auto digitsFrom = [&normalized](std::size_t from) {
    std::size_t end = from;
    while (end < normalized.size() && normalized[end] >= '0' && normalized[end] <= '9') ++end;
    return end - from;
  };
  walk(
      pattern_,
      [&](std::string_view text) {
        if (!ok) return;
        ok = normalized.substr(at, text.size()) == text;
        at += text.size();
      },
      [&](const std::string& name, int padding) {
        if (!ok) return;
        if (name == "source") {
          ok = sourceAt(normalized, at).has_value();
        } else if (name == "year") {
          ok = digitsFrom(at) >= 4;
          at += 4;
        } else {
          const std::size_t n = digitsFrom(at);
          ok = n >= static_cast<std::size_t>(std::max(padding, 1));
          at += n;
        }
      });
  return ok && at == normalized.size();
}

std::optional<std::string> RegistrationNumberFormat::canonical(std::string_view normalized) const {
  std::size_t at = 0;
  bool ok = true;
  Source source = Source::Complaint;
  int year = 0;
  std::int64_t sequence = 0;
  const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  walk(
      pattern_,
      [&](std::string_view text) {
        if (!ok) return;
        if (normalized.substr(at, text.size()) == text) {
          at += text.size();
          return;
        }
        // ASCII punctuation between the fields (the hyphens) may be left out; letters, digits
        // and other text ("长执", "第") may not.
        for (char c : text) {
          const auto u = static_cast<unsigned char>(c);
          if (u >= 0x80 || std::isalnum(u)) ok = false;
        }
      },
      [&](const std::string& name, int) {
        if (!ok) return;
        if (name == "source") {
          const auto found = sourceAt(normalized, at);
          ok = found.has_value();
          if (ok) source = *found;
        } else if (name == "year") {
          ok = at + 4 <= normalized.size() &&
               std::all_of(normalized.begin() + static_cast<std::ptrdiff_t>(at),
                           normalized.begin() + static_cast<std::ptrdiff_t>(at + 4), isDigit);
          if (ok) year = std::stoi(std::string(normalized.substr(at, 4)));
          at += 4;
        } else {
          std::size_t end = at;
          while (end < normalized.size() && isDigit(normalized[end])) ++end;
          std::size_t first = at;
          while (first + 1 < end && normalized[first] == '0') ++first;  // leading zeros
          ok = end > at && end - first <= 12;
          if (ok) sequence = std::stoll(std::string(normalized.substr(first, end - first)));
          at = end;
        }
      });
  if (!ok || at != normalized.size() || sequence < 1) return std::nullopt;
  return format(source, year, sequence);
}

std::string normalizeRegistrationNo(std::string_view typed) {
  std::string out;
  std::size_t i = 0;
  while (i < typed.size()) {
    std::size_t next = i;
    char32_t cp = base::decodeUtf8(typed, next);
    const std::size_t len = next - i;
    if (cp == base::kInvalidCodePoint) cp = static_cast<unsigned char>(typed[i]);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x30FC) cp = '-';
    if (base::isBlank(cp)) {
      i += len;
      continue;
    }
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      out += c;
    } else {
      out.append(typed.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string normalizeRegistrationNo(std::string_view typed,
                                    const RegistrationNumberFormat& format) {
  std::string normalized = normalizeRegistrationNo(typed);
  if (auto whole = format.canonical(normalized)) return *whole;
  return normalized;
}

}  // namespace hotline
