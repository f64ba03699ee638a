#include "search/snippet.h"

#include <vector>

#include "base/utf8.h"

namespace search {

namespace {

struct Segment {
  std::string text;
  bool highlighted = false;
};

// Xapian escapes & < > itself; quotes are left to us.
void appendQuotesEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else {
      out += c;
    }
  }
}

// Characters as a reader sees them: an entity such as &amp; is one.
std::size_t visibleChars(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    if (s[i] == '&') {
      const std::size_t semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        i = semi + 1;
        continue;
      }
    }
    i += base::utf8SequenceLength(static_cast<unsigned char>(s[i]));
  }
  return n;
}

}  // namespace

std::string tidySnippet(std::string_view raw, std::string_view hi_start, std::string_view hi_end,
                        bool drop_lone_characters) {
  std::vector<Segment> segments;
  const auto add = [&](std::string_view text, bool highlighted) {
    if (text.empty()) return;
    if (!segments.empty() && segments.back().highlighted == highlighted) {
      segments.back().text.append(text.data(), text.size());
    } else {
      segments.push_back({std::string(text), highlighted});
    }
  };
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::size_t start = hi_start.empty() ? std::string_view::npos : raw.find(hi_start, pos);
    if (start == std::string_view::npos) {
      add(raw.substr(pos), false);
      break;
    }
    add(raw.substr(pos, start - pos), false);
    const std::size_t inner = start + hi_start.size();
    const std::size_t end = raw.find(hi_end, inner);
    if (end == std::string_view::npos) {
      add(raw.substr(inner), false);
      break;
    }
    add(raw.substr(inner, end - inner), true);
    pos = end + hi_end.size();
  }

  std::string out;
  out.reserve(raw.size() + 16);
  for (const Segment& s : segments) {
    if (s.highlighted && !(drop_lone_characters && visibleChars(s.text) == 1)) {
      out += "<mark>";
      appendQuotesEscaped(out, s.text);
      out += "</mark>";
    } else {
      appendQuotesEscaped(out, s.text);
    }
  }
  return out;
}

}  // namespace search
