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

// Where the entity at `i` (&amp;, &#39;) ends, or npos when no entity starts there: a reader
// sees one character.
std::size_t entityEnd(std::string_view s, std::size_t i) {
  if (s[i] != '&') return std::string_view::npos;
  const std::size_t semi = s.find(';', i);
  return semi != std::string_view::npos && semi - i <= 8 ? semi + 1 : std::string_view::npos;
}

// Characters as a reader sees them: an entity such as &amp; is one.
std::size_t visibleChars(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const std::size_t entity = entityEnd(s, i);
    i = entity != std::string_view::npos ? entity
                                         : i + base::utf8SequenceLength(static_cast<unsigned char>(s[i]));
  }
  return n;
}

// One character as a reader sees it (an entity such as &amp; is one), whether it is marked,
// and the character it is compared as: lower case, half-width; 0 for an entity, which no
// needle holds (needles are normalised text, without punctuation).
struct Unit {
  std::string_view text;
  bool marked;
  char32_t folded;
};

char32_t folded(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  if (cp >= U'A' && cp <= U'Z') cp += U'a' - U'A';
  return cp;
}

// A letter or digit of a Latin word or number (folded): Xapian's terms for such a word are
// whole words, so a needle that starts or ends with one matches only where the word does.
bool isWordChar(char32_t cp) { return (cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9'); }

// The segments again, each occurrence of a needle marked as well as what Xapian marked.
std::vector<Segment> withNeedlesMarked(const std::vector<Segment>& segments,
                                       const std::vector<std::string>& needles) {
  std::vector<Unit> units;
  for (const Segment& s : segments) {
    const std::string_view text = s.text;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t start = i;
      char32_t cp = 0;
      if (const std::size_t entity = entityEnd(text, i); entity != std::string_view::npos) {
        i = entity;
      } else {
        cp = base::decodeUtf8(text, i);
        if (cp == base::kInvalidCodePoint) cp = 0;
      }
      units.push_back({text.substr(start, i - start), s.highlighted, folded(cp)});
    }
  }
  for (const std::string& needle : needles) {
    const std::vector<char32_t> n = base::codePoints(needle);
    if (n.empty() || n.size() > units.size()) continue;
    for (std::size_t at = 0; at + n.size() <= units.size(); ++at) {
      std::size_t k = 0;
      while (k < n.size() && units[at + k].folded == n[k]) ++k;
      if (k < n.size()) continue;
      if (isWordChar(n.front()) && at > 0 && isWordChar(units[at - 1].folded)) continue;
      if (isWordChar(n.back()) && at + n.size() < units.size() && isWordChar(units[at + n.size()].folded))
        continue;
      for (k = 0; k < n.size(); ++k) units[at + k].marked = true;
    }
  }
  std::vector<Segment> out;
  for (const Unit& u : units) {
    if (out.empty() || out.back().highlighted != u.marked) out.push_back({std::string(), u.marked});
    out.back().text.append(u.text.data(), u.text.size());
  }
  return out;
}

}  // namespace

std::string tidySnippet(std::string_view raw, std::string_view hi_start, std::string_view hi_end,
                        bool drop_lone_characters, const std::vector<std::string>& needles) {
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

  if (!needles.empty()) segments = withNeedlesMarked(segments, needles);

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
