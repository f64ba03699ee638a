#include "portal/publishing/legal_basis.h"

#include <array>
#include <cstddef>

#include "base/utf8.h"

namespace portal::publishing {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view charAt(std::string_view s, std::size_t i) {
  if (i >= s.size()) return {};
  return s.substr(i, base::utf8SequenceLength(static_cast<unsigned char>(s[i])));
}

bool isOneOf(std::string_view ch, std::initializer_list<std::string_view> set) {
  for (auto c : set) {
    if (ch == c) return true;
  }
  return false;
}

bool isSpace(std::string_view ch) {
  std::size_t i = 0;
  return !ch.empty() && base::isBlank(base::decodeUtf8(ch, i));
}

using base::trimView;

bool isNumeral(std::string_view ch) {
  if (ch.size() == 1) return ch[0] >= '0' && ch[0] <= '9';
  // Full-width digits ０-９ are EF BC 90..99.
  if (ch.size() == 3 && static_cast<unsigned char>(ch[0]) == 0xEF &&
      static_cast<unsigned char>(ch[1]) == 0xBC && static_cast<unsigned char>(ch[2]) >= 0x90 &&
      static_cast<unsigned char>(ch[2]) <= 0x99) {
    return true;
  }
  return isOneOf(ch, {"零", "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                      "百", "千", "两"});
}

bool isUnit(std::string_view ch) { return isOneOf(ch, {"条", "款", "项", "目", "章", "节"}); }

// Length of a numeral ("三十六", "48", "(三)") at the start of `s`, 0 if none.
std::size_t numeral(std::string_view s) {
  const auto open = charAt(s, 0);
  if (open == "(" || open == "（") {
    const std::size_t inner = numeral(s.substr(open.size()));
    const auto close = charAt(s, open.size() + inner);
    if (inner > 0 && (close == ")" || close == "）")) return open.size() + inner + close.size();
    return 0;
  }
  std::size_t i = 0;
  while (i < s.size()) {
    const auto ch = charAt(s, i);
    if (!isNumeral(ch)) break;
    i += ch.size();
  }
  return i;
}

bool isListJoiner(std::string_view ch) { return isOneOf(ch, {"、", "，", ","}); }

// Numerals and their unit: "三十六条", "二、四、七条", "(三)项", "12条之一"; 0 if none.
std::size_t numberedUnit(std::string_view s) {
  std::size_t i = numeral(s);
  if (i == 0) return 0;
  while (true) {
    while (charAt(s, i) == " ") ++i;
    const auto ch = charAt(s, i);
    if (isListJoiner(ch)) {
      if (std::size_t more = numeral(s.substr(i + ch.size()))) {
        i += ch.size() + more;
        continue;
      }
    }
    break;
  }
  if (!isUnit(charAt(s, i))) return 0;
  i += charAt(s, i).size();
  if (startsWith(s.substr(i), "之")) {
    const std::size_t n = numeral(s.substr(i + std::string_view("之").size()));
    if (n > 0) i += std::string_view("之").size() + n;
  }
  return i;
}

// Length of "第N条" (款/项/目, 之一, lists of numerals) starting at `s`, 0 if there is none.
std::size_t oneArticle(std::string_view s) {
  if (!startsWith(s, "第")) return 0;
  const std::size_t n = numberedUnit(s.substr(std::string_view("第").size()));
  return n == 0 ? 0 : std::string_view("第").size() + n;
}

// Length of an article run: 第N条, 第N条第M款第K项, 第N条、第M条, 第三十六条、三十七条 ...
std::size_t articleRun(std::string_view s) {
  std::size_t end = oneArticle(s);
  if (end == 0) return 0;
  while (true) {
    if (std::size_t more = oneArticle(s.substr(end))) {
      end += more;
      continue;
    }
    const auto joiner = charAt(s, end);
    if (isOneOf(joiner, {"、", "，", ",", "和", "及", "与", "至", "到", "—", "-", "～", "~"})) {
      const std::string_view rest = s.substr(end + joiner.size());
      if (std::size_t more = oneArticle(rest)) {
        end += joiner.size() + more;
        continue;
      }
      if (std::size_t more = numberedUnit(rest)) {
        end += joiner.size() + more;
        continue;
      }
    }
    break;
  }
  return end;
}

bool isOpenBracket(std::string_view ch) { return ch == "（" || ch == "(" || ch == "〔"; }
bool isCloseBracket(std::string_view ch) { return ch == "）" || ch == ")" || ch == "〕"; }

// Length of a bracketed note at the start of `s` ("（2019年修订）"), 0 if none.
std::size_t bracketNote(std::string_view s) {
  const auto open = charAt(s, 0);
  if (!isOpenBracket(open)) return 0;
  int depth = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto ch = charAt(s, i);
    if (isOpenBracket(ch)) ++depth;
    if (isCloseBracket(ch) && --depth == 0) return i + ch.size();
    i += ch.size();
  }
  return 0;
}

// An edition note rather than part of a title: it names a year, an order, an edition.
bool isEditionNote(std::string_view note) {
  for (std::string_view w : {"年", "令", "号", "修订", "修正", "修改", "通过", "公布", "施行",
                             "发布", "试行", "暂行", "版"}) {
    if (note.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// Length of a leading list number: "1." "1、" "(1)" "（一）" "一、" "①".
std::size_t enumeration(std::string_view s) {
  std::size_t i = 0;
  if (std::size_t n = bracketNote(s)) {
    const auto inner = s.substr(charAt(s, 0).size(), n - 2 * charAt(s, 0).size());
    bool numeric = !inner.empty();
    for (std::size_t k = 0; k < inner.size(); k += charAt(inner, k).size()) {
      numeric = numeric && isNumeral(charAt(inner, k));
    }
    return numeric ? n : 0;
  }
  const auto first = charAt(s, 0);
  if (first.size() == 3 && static_cast<unsigned char>(first[0]) == 0xE2 &&
      static_cast<unsigned char>(first[1]) == 0x91 && static_cast<unsigned char>(first[2]) >= 0xA0 &&
      static_cast<unsigned char>(first[2]) <= 0xB3) {
    return first.size();  // ① .. ⑳
  }
  while (i < s.size() && isNumeral(charAt(s, i))) i += charAt(s, i).size();
  if (i == 0) return 0;
  const auto mark = charAt(s, i);
  if (isOneOf(mark, {".", "、", "．", ")", "）"})) {
    // "1.5" is a number, not a list mark.
    if (mark == "." && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') return 0;
    return i + mark.size();
  }
  return 0;
}

// A tag such as 【法律】 or [行政法规] at the start.
std::size_t tag(std::string_view s) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"【", "】"},
                             std::pair<std::string_view, std::string_view>{"[", "]"},
                             std::pair<std::string_view, std::string_view>{"〖", "〗"}}) {
    if (!startsWith(s, open)) continue;
    const std::size_t end = s.find(close);
    if (end != std::string_view::npos && end <= 30) return end + close.size();
  }
  // A tag whose opening bracket was lost ("法律】《中华人民共和国测绘法》", as 克拉玛依市自然资源局
  // published it): only the kinds of law lists write in tags.
  for (std::string_view kind : {"法律", "法规", "行政法规", "地方性法规", "规章", "部门规章",
                                "政府规章", "地方政府规章", "规范性文件", "其他"}) {
    if (startsWith(s, kind) && startsWith(s.substr(kind.size()), "】")) {
      return kind.size() + std::string_view("】").size();
    }
  }
  return 0;
}

std::string_view stripLead(std::string_view s) {
  for (bool changed = true; changed;) {
    changed = false;
    s = trimView(s);
    if (std::size_t n = enumeration(s)) {
      s.remove_prefix(n);
      changed = true;
    }
    if (std::size_t n = tag(s)) {
      s.remove_prefix(n);
      changed = true;
    }
  }
  return trimView(s);
}

std::string_view stripTrailingPunctuation(std::string_view s) {
  for (bool changed = true; changed;) {
    changed = false;
    s = trimView(s);
    for (std::string_view p : {"；", ";", "。", "，", ",", "、"}) {
      if (endsWith(s, p)) {
        s.remove_suffix(p.size());
        changed = true;
      }
    }
  }
  return s;
}

// Does a new basis start here (after a separator)?
bool startsBasis(std::string_view s) {
  s = trimView(s);
  const std::size_t lead = enumeration(s);
  std::string_view rest = trimView(s.substr(lead));
  return startsWith(rest, "《") || tag(rest) > 0 || oneArticle(rest) > 0;
}

// Splits one line into bases. Outside the provision text, "、" "，" ";" "；" "。" before a
// title split; inside it (after "：") only "；" ";" "。" before a title, tag or 第N条 do.
std::vector<std::string_view> splitLine(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  bool in_title = false;
  bool in_text = false;
  for (std::size_t i = 0; i < line.size();) {
    const auto ch = charAt(line, i);
    const std::size_t next = i + ch.size();
    if (ch == "《") in_title = true;
    if (ch == "》") in_title = false;
    if (!in_title && (ch == "：" || ch == ":")) in_text = true;
    const bool strong = isOneOf(ch, {"；", ";", "。"});
    const bool weak = isOneOf(ch, {"、", "，", ","});
    if (!in_title && (strong || (weak && !in_text)) && startsBasis(line.substr(next))) {
      const std::string_view rest = stripLead(line.substr(next));
      // "、第五条" continues an article run; it does not start a basis of its own.
      if (!(weak && oneArticle(rest) > 0)) {
        out.push_back(line.substr(start, i - start));
        start = next;
        in_text = false;
      }
    }
    i = next;
  }
  out.push_back(line.substr(start));
  return out;
}

std::string withoutSpaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto ch = charAt(s, i);
    if (!isSpace(ch)) out += ch;
    i += ch.size();
  }
  return out;
}

// Title text between 《》 (or bare), without edition notes, spaces and a trailing note.
std::string cleanTitle(std::string_view inner) {
  std::string t = withoutSpaces(inner);
  // Edition notes inside the brackets: "食品安全法（2021年修正）".
  for (bool changed = true; changed;) {
    changed = false;
    std::string_view v(t);
    for (std::size_t i = 0; i < v.size();) {
      const auto ch = charAt(v, i);
      if (isOpenBracket(ch)) {
        const std::size_t n = bracketNote(v.substr(i));
        if (n > 0 && isEditionNote(v.substr(i, n))) {
          t.erase(i, n);
          changed = true;
          break;
        }
      }
      i += ch.size();
    }
  }
  return t;
}

std::string bracketed(const std::string& title) {
  return title.empty() ? std::string() : "《" + title + "》";
}

// A title written without 《》: the text up to the last of these endings before 第N条.
std::size_t bareTitleEnd(std::string_view s) {
  std::size_t best = 0;
  for (std::string_view end : {"法", "条例", "规定", "办法", "细则", "决定", "规则", "规程",
                               "意见", "通知", "解释"}) {
    for (std::size_t p = s.find(end); p != std::string_view::npos; p = s.find(end, p + 1)) {
      const std::size_t after = p + end.size();
      std::string_view rest = trimView(s.substr(after));
      while (std::size_t n = bracketNote(rest)) rest = trimView(rest.substr(n));
      if (oneArticle(rest) > 0 && after > best) best = after;
    }
  }
  return best;
}

// What follows the articles: "：条文", ":条文", " 条文" or "条文".
std::string provisionAfter(std::string_view s) {
  s = trimView(s);
  for (std::string_view sep : {"：", ":", "，", ",", "；", ";"}) {
    if (startsWith(s, sep)) {
      s.remove_prefix(sep.size());
      break;
    }
  }
  return std::string(stripTrailingPunctuation(trimView(s)));
}

LegalBasis parseOne(std::string_view segment, const std::string& previous_law) {
  LegalBasis b;
  std::string_view written = stripTrailingPunctuation(segment);
  // The number of a list is not part of the basis; a tag is (it says what kind of law it is).
  written = trimView(written.substr(enumeration(trimView(written))));
  b.written = std::string(written);
  std::string_view s = stripLead(written);
  // What follows a title: its edition notes, its articles, then the provision's text.
  const auto readAfterTitle = [&b](std::string_view rest) {
    while (std::size_t n = bracketNote(rest)) rest = trimView(rest.substr(n));
    if (std::size_t n = articleRun(rest)) {
      b.article = withoutSpaces(rest.substr(0, n));
      rest = rest.substr(n);
    }
    b.text = provisionAfter(rest);
    return b;
  };
  if (startsWith(s, "《")) {
    const std::size_t close = s.find("》");
    if (close == std::string_view::npos) {
      b.law = bracketed(cleanTitle(s.substr(std::string_view("《").size())));
      return b;
    }
    b.law = bracketed(cleanTitle(s.substr(3, close - 3)));
    return readAfterTitle(trimView(s.substr(close + std::string_view("》").size())));
  }
  // A title whose opening 《 was lost ("【规章】药品经营使用质量监督管理办法》（2023年…", as
  // 克拉玛依市市场监督管理局 published it): the text before the first 》, when no 《 comes
  // before it and it reads as a title (no article, no sentence punctuation).
  if (const std::size_t close = s.find("》");
      close != std::string_view::npos && close > 0 && close <= 150 && articleRun(s) == 0) {
    const std::string_view title = s.substr(0, close);
    bool sentence = false;
    for (std::string_view p : {"《", "：", ":", "，", ",", "。", "；", ";", "（", "("}) {
      sentence = sentence || title.find(p) != std::string_view::npos;
    }
    // What follows a title: nothing, its edition note, its articles or its text.
    const std::string_view after = trimView(s.substr(close + std::string_view("》").size()));
    const bool title_follows = after.empty() || bracketNote(after) > 0 ||
                               articleRun(after) > 0 || startsWith(after, "：") ||
                               startsWith(after, ":");
    if (!sentence && title_follows) {
      b.law = bracketed(cleanTitle(title));
      return readAfterTitle(after);
    }
  }
  if (std::size_t n = articleRun(s)) {
    b.law = previous_law;
    b.article = withoutSpaces(s.substr(0, n));
    b.text = provisionAfter(s.substr(n));
    return b;
  }
  if (std::size_t end = bareTitleEnd(s)) {
    b.law = bracketed(cleanTitle(s.substr(0, end)));
    s = trimView(s.substr(end));
    while (std::size_t n = bracketNote(s)) s = trimView(s.substr(n));
    const std::size_t n = articleRun(s);
    b.article = withoutSpaces(s.substr(0, n));
    b.text = provisionAfter(s.substr(n));
  }
  // Anything else stays as written, without a title the amendment listing could match.
  return b;
}

// The value after "label:" up to the next label or the end.
std::string labelled(std::string_view chunk, std::string_view label,
                     std::initializer_list<std::string_view> others) {
  const std::size_t p = chunk.find(label);
  if (p == std::string_view::npos) return "";
  std::string_view v = chunk.substr(p + label.size());
  v = trimView(v);
  for (std::string_view sep : {"：", ":"}) {
    if (startsWith(v, sep)) v.remove_prefix(sep.size());
  }
  std::size_t end = v.size();
  for (std::string_view o : others) {
    const std::size_t q = v.find(o);
    if (q != std::string_view::npos && q < end) end = q;
  }
  return std::string(stripTrailingPunctuation(v.substr(0, end)));
}

std::vector<LegalBasis> parseLabelled(std::string_view cell) {
  static constexpr std::string_view kName = "法律法规名称";
  std::vector<LegalBasis> out;
  std::size_t p = cell.find(kName);
  while (p != std::string_view::npos) {
    const std::size_t next = cell.find(kName, p + kName.size());
    const std::string_view chunk =
        cell.substr(p, next == std::string_view::npos ? std::string_view::npos : next - p);
    LegalBasis b;
    b.written = std::string(stripTrailingPunctuation(chunk));
    const auto others = {std::string_view("依据文号"), std::string_view("条款号"),
                         std::string_view("条款内容"), kName};
    std::string title = labelled(chunk, kName, others);
    std::string_view t = trimView(title);
    if (startsWith(t, "《")) t.remove_prefix(3);
    if (endsWith(t, "》")) t.remove_suffix(3);
    b.law = bracketed(cleanTitle(t));
    const std::string article = labelled(chunk, "条款号", others);
    b.article = articleRun(article) > 0 ? withoutSpaces(article) : article;
    b.text = labelled(chunk, "条款内容", others);
    out.push_back(std::move(b));
    p = next;
  }
  return out;
}

}  // namespace

bool startsWithListNumber(std::string_view line) { return enumeration(trimView(line)) > 0; }

std::vector<LegalBasis> parseLegalBasisCell(std::string_view cell) {
  std::string text;
  text.reserve(cell.size());
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\r') {
      text += '\n';
      if (i + 1 < cell.size() && cell[i + 1] == '\n') ++i;
    } else {
      text += cell[i];
    }
  }
  if (text.find("法律法规名称") != std::string::npos) return parseLabelled(text);
  std::vector<LegalBasis> out;
  std::string previous_law;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string_view line = std::string_view(text).substr(pos, nl - pos);
    const std::string_view lead = stripLead(line);
    if (!out.empty() && !lead.empty() && !startsBasis(line) && bareTitleEnd(lead) == 0) {
      // A line that starts no basis continues the one before: the publisher wrapped it.
      const std::string_view more = stripTrailingPunctuation(trimView(line));
      if (out.back().text.empty()) {
        out.back().text = provisionAfter(more);
      } else {
        out.back().text += std::string(more);
      }
      out.back().written += "\n" + std::string(more);
      pos = nl + 1;
      continue;
    }
    for (std::string_view segment : splitLine(line)) {
      if (stripLead(stripTrailingPunctuation(segment)).empty()) continue;
      LegalBasis b = parseOne(segment, previous_law);
      if (!b.law.empty()) previous_law = b.law;
      out.push_back(std::move(b));
    }
    pos = nl + 1;
  }
  return out;
}

std::string normaliseLawTitle(std::string_view title) {
  std::string_view t = stripLead(trimView(title));
  if (startsWith(t, "《")) {
    t.remove_prefix(3);
    const std::size_t close = t.find("》");
    if (close != std::string_view::npos) t = t.substr(0, close);
  }
  return bracketed(cleanTitle(t));
}

std::string lawKey(std::string_view title) {
  std::string t = normaliseLawTitle(title);
  if (t.empty()) return t;
  std::string_view v(t);
  v.remove_prefix(3);
  v.remove_suffix(3);
  for (std::string_view prefix : {"中华人民共和国"}) {
    if (startsWith(v, prefix) && v.size() > prefix.size()) v.remove_prefix(prefix.size());
  }
  return std::string(v);
}

std::string basisDisplay(const LegalBasis& b) {
  if (!b.written.empty()) return b.written;
  std::string out = b.law + b.article;
  if (!b.text.empty()) out += "：" + b.text;
  return out;
}

}  // namespace portal::publishing
