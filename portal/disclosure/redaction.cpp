#include "portal/disclosure/redaction.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <optional>

#include "base/utf8.h"

// Hand-written scanning over decoded code points: every detector looks at a bounded window
// around a trigger (a digit run, a cue word, a road or estate suffix), so the whole scan stays
// linear in the input and no regex engine sees user text.

namespace portal::disclosure {

namespace {

using Word = std::u32string_view;

// The input decoded once: code points plus the byte offset of each (off[size()] = bytes).
// An invalid byte becomes U+FFFD covering that one byte, so offsets always map back exactly.
struct Text {
  std::u32string cp;
  std::vector<std::size_t> off;

  std::size_t size() const { return cp.size(); }
  char32_t at(std::size_t i) const { return i < cp.size() ? cp[i] : U'\0'; }
  char32_t before(std::size_t i) const { return i == 0 || i > cp.size() ? U'\0' : cp[i - 1]; }
  bool startsWith(std::size_t i, Word w) const {
    if (w.empty()) return true;
    if (i >= cp.size() || cp[i] != w.front() || cp.size() - i < w.size()) return false;
    return std::equal(w.begin(), w.end(), cp.begin() + static_cast<std::ptrdiff_t>(i));
  }
  bool endsWith(std::size_t end, Word w) const {
    if (w.empty()) return true;
    if (end == 0 || end > cp.size() || cp[end - 1] != w.back() || end < w.size()) return false;
    return std::equal(w.begin(), w.end(), cp.begin() + static_cast<std::ptrdiff_t>(end - w.size()));
  }
};

Text decode(std::string_view s) {
  Text t;
  t.cp.reserve(s.size());
  t.off.reserve(s.size() + 1);
  std::size_t i = 0;
  while (i < s.size()) {
    t.off.push_back(i);
    const char32_t c = base::decodeUtf8(s, i);
    t.cp.push_back(c == base::kInvalidCodePoint ? 0xFFFD : c);
  }
  t.off.push_back(s.size());
  return t;
}

// ---- character classes -------------------------------------------------------------------

int digitOf(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);  // full-width digits
  return -1;
}
bool isDigit(char32_t c) { return digitOf(c) >= 0; }
bool isLatinLetter(char32_t c) {
  return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}
bool isUpperLatin(char32_t c) { return (c >= U'A' && c <= U'Z') || (c >= 0xFF21 && c <= 0xFF3A); }
bool isHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}
bool isCheckX(char32_t c) { return c == U'X' || c == U'x' || c == 0xFF38 || c == 0xFF58; }
bool isGroupSeparator(char32_t c) {
  return c == U' ' || c == U'-' || c == 0xFF0D /* － */ || c == 0x2014 /* — */;
}
bool isHyphen(char32_t c) { return c == U'-' || c == 0xFF0D || c == 0x2014; }
bool in(char32_t c, Word set) { return set.find(c) != Word::npos; }

bool isSentenceEnd(char32_t c) { return in(c, U"。；;！？!?\n\r"); }
bool isClauseEnd(char32_t c) { return isSentenceEnd(c) || in(c, U"，,、"); }

// ---- cue words ---------------------------------------------------------------------------

template <typename Kind>
struct Cue {
  Word word;
  Kind kind;
};

// The cue of `cues` ending exactly at `end`; the first listed wins, so longer cues that end
// in a shorter one (营业地址 / 地址) are listed first.
template <typename Kind, std::size_t N>
const Cue<Kind>* cueEndingAt(const Text& t, std::size_t end, const Cue<Kind> (&cues)[N]) {
  for (const auto& c : cues) {
    if (t.endsWith(end, c.word)) return &c;
  }
  return nullptr;
}

struct CueHit {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The nearest cue ending at or before `pos`, looking back at most `window` code points and not
// across a terminator (`stop`).
template <typename Kind, std::size_t N>
std::optional<std::pair<Kind, CueHit>> nearestCueBefore(const Text& t, std::size_t pos,
                                                        const Cue<Kind> (&cues)[N],
                                                        std::size_t window,
                                                        bool (*stop)(char32_t)) {
  const std::size_t lo = pos > window ? pos - window : 0;
  for (std::size_t e = pos;; --e) {
    if (const auto* c = cueEndingAt(t, e, cues)) {
      return std::make_pair(c->kind, CueHit{e - c->word.size(), e});
    }
    if (e == lo || e == 0 || stop(t.cp[e - 1])) break;
  }
  return std::nullopt;
}

// ---- numbers: ID cards, mobiles, landlines, bank cards -----------------------------------

enum class NumberCue { Identity, Phone, Bank, Code };

// Nearest wins. A "code" cue (编号, 信用代码, 执法证号 ...) means the number is an identifier of
// a thing, not of a person, and suppresses every number finding after it in the clause.
const Cue<NumberCue> kNumberCues[] = {
    {U"公民身份号码", NumberCue::Identity},
    {U"身份证号码", NumberCue::Identity},
    {U"身份证号", NumberCue::Identity},
    {U"身份证", NumberCue::Identity},
    {U"证件号码", NumberCue::Identity},
    {U"证件号", NumberCue::Identity},
    {U"电话", NumberCue::Phone},
    {U"手机", NumberCue::Phone},
    {U"联系方式", NumberCue::Phone},
    {U"银行卡号", NumberCue::Bank},
    {U"银行卡", NumberCue::Bank},
    {U"银行账号", NumberCue::Bank},
    {U"银行账户", NumberCue::Bank},
    {U"账号", NumberCue::Bank},
    {U"帐号", NumberCue::Bank},
    {U"卡号", NumberCue::Bank},
    {U"开户行", NumberCue::Bank},
    {U"账户", NumberCue::Bank},
    {U"信用代码", NumberCue::Code},
    {U"注册号", NumberCue::Code},
    {U"证书号", NumberCue::Code},
    {U"证书编号", NumberCue::Code},
    {U"证号", NumberCue::Code},  // 执法证号, 许可证号; 身份证号 is listed above and wins
    {U"编号", NumberCue::Code},
    {U"文号", NumberCue::Code},
    {U"批号", NumberCue::Code},
    {U"案号", NumberCue::Code},
    {U"单号", NumberCue::Code},
    {U"流水号", NumberCue::Code},
    {U"条码", NumberCue::Code},
};

std::optional<NumberCue> numberCueBefore(const Text& t, std::size_t pos) {
  auto hit = nearestCueBefore(t, pos, kNumberCues, 14, isClauseEnd);
  if (!hit) return std::nullopt;
  return hit->first;
}

std::string digitsOf(const Text& t, std::size_t begin, std::size_t end) {
  std::string d;
  d.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) d.push_back(static_cast<char>('0' + digitOf(t.cp[i])));
  return d;
}

bool validDate(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

int num(const std::string& d, std::size_t pos, std::size_t len) {
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (d[i] - '0');
  return v;
}

// GB/T 2260 province-level codes: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83.
bool validProvince(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         (p >= 81 && p <= 83);
}

// Region and birth date of an 18-character number are plausible (the check digit aside).
bool idShape18(const std::string& d) {
  if (!validProvince(num(d, 0, 2))) return false;
  const int y = num(d, 6, 4);
  return y >= 1900 && y <= 2099 && validDate(y, num(d, 10, 2), num(d, 12, 2));
}

// ISO 7064 MOD 11-2 as used by GB 11643.
char idCheckChar(const std::string& d17) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (d17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

bool validOldId15(const std::string& d) {
  return validProvince(num(d, 0, 2)) && validDate(1900 + num(d, 6, 2), num(d, 8, 2), num(d, 10, 2));
}

bool luhn(const std::string& d) {
  int sum = 0;
  bool twice = false;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = *it - '0';
    if (twice) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool isMobile(const std::string& d) {
  return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

// Nothing after a number that would make it part of something longer: more digits or letters,
// a decimal part, a range or date continuation, or a unit of money.
bool rightBounded(const Text& t, std::size_t end) {
  const char32_t c = t.at(end);
  if (isDigit(c) || isLatinLetter(c)) return false;
  if (in(c, U".-/:－") && isDigit(t.at(end + 1))) return false;
  return !in(c, U"元万亿%％");
}

struct Span {
  FindingKind kind;
  std::size_t begin;
  std::size_t end;
};

struct Group {
  std::size_t begin;
  std::size_t end;
  std::size_t size() const { return end - begin; }
};

// Digit groups from `i` joined by single separators (a space, a hyphen): 0431-81912345,
// 139 1234 5678, 6222 0212 3456 7890 123. Bounded, so the scan stays linear.
struct Groups {
  std::array<Group, 8> g{};
  std::size_t n = 0;
};

Groups readGroups(const Text& t, std::size_t i) {
  Groups out;
  while (out.n < out.g.size()) {
    std::size_t e = i;
    while (e < t.size() && isDigit(t.cp[e]) && e - i < 40) ++e;
    while (e < t.size() && isDigit(t.cp[e])) ++e;  // a very long run still ends in one group
    out.g[out.n++] = Group{i, e};
    if (!isGroupSeparator(t.at(e)) || !isDigit(t.at(e + 1))) break;
    i = e + 1;
  }
  return out;
}

std::optional<Span> matchMobile(const Text& t, const Groups& gs, std::size_t first) {
  std::size_t begin = gs.g[first].begin;
  std::size_t body = first;
  const std::string d0 = digitsOf(t, gs.g[first].begin, gs.g[first].end);
  const bool plus = t.before(begin) == U'+' || t.before(begin) == 0xFF0B;
  if (plus) --begin;
  if (d0 == "86" && gs.n > first + 1) {
    body = first + 1;
  } else if (d0.size() == 13 && d0.compare(0, 2, "86") == 0 && isMobile(d0.substr(2))) {
    if (rightBounded(t, gs.g[first].end)) return Span{FindingKind::Mobile, begin, gs.g[first].end};
    return std::nullopt;
  } else if (plus) {
    return std::nullopt;
  }
  const Group& b = gs.g[body];
  std::optional<std::size_t> end;
  if (b.size() == 11 && isMobile(digitsOf(t, b.begin, b.end))) {
    end = b.end;
  } else if (b.size() == 3 && gs.n > body + 2 && gs.g[body + 1].size() == 4 &&
             gs.g[body + 2].size() == 4 &&
             isMobile(digitsOf(t, b.begin, b.end) +
                      digitsOf(t, gs.g[body + 1].begin, gs.g[body + 1].end) +
                      digitsOf(t, gs.g[body + 2].begin, gs.g[body + 2].end))) {
    end = gs.g[body + 2].end;
  }
  if (!end || !rightBounded(t, *end)) return std::nullopt;
  return Span{FindingKind::Mobile, begin, *end};
}

bool isAreaCode(const std::string& d) {
  return (d.size() == 3 || d.size() == 4) && d[0] == '0' && d[1] != '0';
}
bool isLocalNumber(const std::string& d) { return (d.size() == 7 || d.size() == 8) && d[0] != '0'; }

// An extension after a landline: -8001, 转8001, 分机8001.
std::size_t extendExtension(const Text& t, std::size_t end) {
  std::size_t k = end;
  if (isHyphen(t.at(k))) {
    k += 1;
  } else if (t.at(k) == U'转') {
    k += 1;
  } else if (t.startsWith(k, U"分机")) {
    k += 2;
  } else {
    return end;
  }
  std::size_t e = k;
  while (e < t.size() && isDigit(t.cp[e]) && e - k < 7) ++e;
  if (e == k || e - k > 6 || isDigit(t.at(e))) return end;
  return e;
}

std::optional<Span> matchLandline(const Text& t, const Groups& gs, std::size_t first) {
  if (gs.n < first + 2 || !isGroupSeparator(t.at(gs.g[first].end))) return std::nullopt;
  if (!isAreaCode(digitsOf(t, gs.g[first].begin, gs.g[first].end))) return std::nullopt;
  const Group& local = gs.g[first + 1];
  if (!isLocalNumber(digitsOf(t, local.begin, local.end))) return std::nullopt;
  const std::size_t end = extendExtension(t, local.end);
  if (!rightBounded(t, end)) return std::nullopt;
  return Span{FindingKind::Landline, gs.g[first].begin, end};
}

// (0431)81912345, （0431）81912345, (010) 12345678.
std::optional<Span> matchParenthesisedLandline(const Text& t, std::size_t open) {
  std::size_t k = open + 1;
  std::size_t e = k;
  while (e < t.size() && isDigit(t.cp[e]) && e - k < 5) ++e;
  if (!isAreaCode(digitsOf(t, k, e)) || (t.at(e) != U')' && t.at(e) != U'）')) return std::nullopt;
  k = e + 1;
  if (isGroupSeparator(t.at(k))) ++k;
  e = k;
  while (e < t.size() && isDigit(t.cp[e]) && e - k < 9) ++e;
  if (!isLocalNumber(digitsOf(t, k, e))) return std::nullopt;
  const std::size_t end = extendExtension(t, e);
  if (!rightBounded(t, end)) return std::nullopt;
  return Span{FindingKind::Landline, open, end};
}

std::optional<Span> matchBankCard(const Text& t, const Groups& gs, std::size_t first, bool bank_cue,
                                  bool id_shaped) {
  std::string digits = digitsOf(t, gs.g[first].begin, gs.g[first].end);
  std::size_t end = gs.g[first].end;
  if (digits.size() == 4) {
    // Groups of four with one kind of separator; the last group may be shorter (19 digits).
    const char32_t sep = t.at(end);
    for (std::size_t k = first + 1; k < gs.n && t.at(gs.g[k - 1].end) == sep; ++k) {
      const std::size_t len = gs.g[k].size();
      if (len > 4 || digits.size() + len > 25) break;
      digits += digitsOf(t, gs.g[k].begin, gs.g[k].end);
      end = gs.g[k].end;
      if (len < 4) break;
    }
  }
  if (!rightBounded(t, end)) return std::nullopt;
  const bool card = digits.size() >= 16 && digits.size() <= 19 && luhn(digits) && !id_shaped;
  const bool account = bank_cue && digits.size() >= 12 && digits.size() <= 25;
  if (!card && !account) return std::nullopt;
  return Span{FindingKind::BankCard, gs.g[first].begin, end};
}

// All findings that start at the digit run `i` (which no digit precedes).
std::optional<Span> matchNumberAt(const Text& t, std::size_t i) {
  if (isLatinLetter(t.before(i))) return std::nullopt;  // part of a code: 91220101MA0...
  const auto cue = numberCueBefore(t, i);
  if (cue == NumberCue::Code) return std::nullopt;
  const Groups gs = readGroups(t, i);
  const Group& g0 = gs.g[0];

  // After 身份证号 the shape is enough: a wrong check digit is a mistyped ID, still a person's.
  if (cue == NumberCue::Identity) {
    if (g0.size() == 18 && rightBounded(t, g0.end)) return Span{FindingKind::IdNumber, i, g0.end};
    if (g0.size() == 17 && isCheckX(t.at(g0.end)) && rightBounded(t, g0.end + 1)) {
      return Span{FindingKind::IdNumber, i, g0.end + 1};
    }
    if (g0.size() == 15 && rightBounded(t, g0.end)) return Span{FindingKind::IdNumber, i, g0.end};
  }

  bool id_shaped = false;
  if (g0.size() == 18 || (g0.size() == 17 && isCheckX(t.at(g0.end)))) {
    const std::size_t end = g0.begin + 18;
    const std::string d = digitsOf(t, g0.begin, g0.begin + 17);
    if (rightBounded(t, end) && idShape18(d + "0")) {
      char check = isCheckX(t.at(g0.begin + 17))
                       ? 'X'
                       : static_cast<char>('0' + digitOf(t.at(g0.begin + 17)));
      if (idCheckChar(d) == check) return Span{FindingKind::IdNumber, i, end};
      id_shaped = true;
    }
  } else if (g0.size() == 15 && rightBounded(t, g0.end) &&
             validOldId15(digitsOf(t, g0.begin, g0.end))) {
    return Span{FindingKind::IdNumber, i, g0.end};
  }
  if (auto m = matchMobile(t, gs, 0)) return m;
  if (auto m = matchLandline(t, gs, 0)) return m;
  return matchBankCard(t, gs, 0, cue == NumberCue::Bank, id_shaped);
}

std::size_t runLength(const Text& t, std::size_t i) {
  std::size_t e = i;
  while (e < t.size() && isDigit(t.cp[e]) && e - i < 5) ++e;
  return e - i;
}

// Digits ending just before `end`, counted up to 5.
std::size_t runLengthBefore(const Text& t, std::size_t end) {
  std::size_t b = end;
  while (b > 0 && isDigit(t.cp[b - 1]) && end - b < 5) --b;
  return end - b;
}

void findNumbers(const Text& t, std::vector<Span>& out) {
  std::size_t last_end = static_cast<std::size_t>(-1);
  std::size_t i = 0;
  while (i < t.size()) {
    const char32_t c = t.cp[i];
    if ((c == U'(' || c == U'（') && digitOf(t.at(i + 1)) == 0) {
      if (auto m = matchParenthesisedLandline(t, i)) {
        out.push_back(*m);
        last_end = i = m->end;
        continue;
      }
    }
    if (!isDigit(c) || isDigit(t.before(i))) {
      ++i;
      continue;
    }
    // A run hyphenated, dotted or slashed onto an earlier number (2026-03-05, 50000.00, 1/2)
    // is not a start, unless that earlier number was itself a finding.
    // Likewise the middle of a card written in fours (6222 0212 3456 7890 1280 0000).
    const bool continuation =
        i >= 2 && isDigit(t.cp[i - 2]) &&
        (in(t.cp[i - 1], U"-.－—/:：") ||
         (t.cp[i - 1] == U' ' && runLength(t, i) == 4 && runLengthBefore(t, i - 1) == 4));
    if (!continuation || last_end == i - 1) {
      if (auto m = matchNumberAt(t, i)) {
        out.push_back(*m);
        last_end = i = m->end;
        continue;
      }
    }
    while (i < t.size() && isDigit(t.cp[i])) ++i;
  }
}

// ---- addresses ---------------------------------------------------------------------------

enum class AddressCue { Home, Domicile, Organisation };

// 住址/家住 always introduce a person's home; 住所/地址 are a person's home only when the party
// is a person; the organisation cues introduce premises that are public for companies.
const Cue<AddressCue> kAddressCues[] = {
    {U"经营场所", AddressCue::Organisation},
    {U"营业场所", AddressCue::Organisation},
    {U"办公场所", AddressCue::Organisation},
    {U"生产场所", AddressCue::Organisation},
    {U"营业地址", AddressCue::Organisation},
    {U"单位地址", AddressCue::Organisation},
    {U"注册地址", AddressCue::Organisation},
    {U"经营地址", AddressCue::Organisation},
    {U"办公地址", AddressCue::Organisation},
    {U"生产地址", AddressCue::Organisation},
    {U"公司地址", AddressCue::Organisation},
    {U"门店地址", AddressCue::Organisation},
    {U"家庭住址", AddressCue::Home},
    {U"家庭地址", AddressCue::Home},
    {U"现住址", AddressCue::Home},
    {U"住址", AddressCue::Home},
    {U"家住", AddressCue::Home},
    {U"现住", AddressCue::Home},
    {U"暂住", AddressCue::Home},
    {U"住在", AddressCue::Home},
    {U"居住地", AddressCue::Home},
    {U"居住于", AddressCue::Home},
    {U"户籍所在地", AddressCue::Home},
    {U"户籍地", AddressCue::Home},
    {U"住所地", AddressCue::Domicile},
    {U"住所", AddressCue::Domicile},
    {U"地址", AddressCue::Domicile},
    {U"位于", AddressCue::Domicile},
    {U"坐落于", AddressCue::Domicile},
    {U"居住", AddressCue::Home},
};

enum class PartyMarker { Organisation, Person };

const Cue<PartyMarker> kPartyMarkers[] = {
    {U"公司", PartyMarker::Organisation},
    {U"厂", PartyMarker::Organisation},
    {U"店", PartyMarker::Organisation},
    {U"中心", PartyMarker::Organisation},
    {U"合作社", PartyMarker::Organisation},
    {U"商行", PartyMarker::Organisation},
    {U"经营部", PartyMarker::Organisation},
    {U"门市部", PartyMarker::Organisation},
    {U"超市", PartyMarker::Organisation},
    {U"医院", PartyMarker::Organisation},
    {U"诊所", PartyMarker::Organisation},
    {U"学校", PartyMarker::Organisation},
    {U"幼儿园", PartyMarker::Organisation},
    {U"酒店", PartyMarker::Organisation},
    {U"宾馆", PartyMarker::Organisation},
    {U"药房", PartyMarker::Organisation},
    {U"事务所", PartyMarker::Organisation},
    {U"集团", PartyMarker::Organisation},
    {U"协会", PartyMarker::Organisation},
    {U"工作室", PartyMarker::Organisation},
    {U"餐厅", PartyMarker::Organisation},
    {U"市场", PartyMarker::Organisation},
    {U"单位", PartyMarker::Organisation},
    {U"机构", PartyMarker::Organisation},
    {U"个体工商户", PartyMarker::Organisation},
    {U"法定代表人", PartyMarker::Person},
    {U"负责人", PartyMarker::Person},
    {U"经营者", PartyMarker::Person},
    {U"代理人", PartyMarker::Person},
    {U"证人", PartyMarker::Person},
    {U"受害人", PartyMarker::Person},
    {U"被害人", PartyMarker::Person},
    {U"举报人", PartyMarker::Person},
    {U"投诉人", PartyMarker::Person},
    {U"联系人", PartyMarker::Person},
    {U"男", PartyMarker::Person},
    {U"女", PartyMarker::Person},
    {U"出生", PartyMarker::Person},
    {U"身份证", PartyMarker::Person},
    {U"民族", PartyMarker::Person},
};

// Whose 住所/地址 is it: the nearest party marker before the cue in the same sentence decides;
// with none, a person is assumed (asking once too often beats publishing a home address).
bool partyIsOrganisation(const Text& t, std::size_t cue_begin) {
  auto hit = nearestCueBefore(t, cue_begin, kPartyMarkers, 80, isSentenceEnd);
  return hit && hit->first == PartyMarker::Organisation;
}

// Characters that end a place name when reading backwards (当事人在幸福小区 -> 幸福小区).
bool isAddressStopHan(char32_t c) {
  return in(c, U"在于住至到为是的和与及系即从由向往对将了其该之把被等已曾现原称并或位落");
}

std::size_t parseAddressNumber(const Text& t, std::size_t j) {
  std::size_t k = j;
  if (isUpperLatin(t.at(k))) ++k;
  while (k < t.size() && isDigit(t.cp[k]) && k - j < 6) ++k;
  if (k == j) {
    while (k < t.size() && in(t.cp[k], U"一二三四五六七八九十百零〇两") && k - j < 5) ++k;
  }
  return k;
}

// Building / unit / floor / room parts after a house number or an estate name:
// 4栋2单元501室, 5号楼, 3-2-501. Returns the end; `dwelling` counts parts finer than 号.
std::size_t parseDwellingParts(const Text& t, std::size_t j, int& dwelling) {
  static const Word kMarkers[] = {U"号楼", U"单元", U"栋", U"幢", U"座",
                                  U"楼",   U"层",   U"室", U"户", U"号"};
  for (int part = 0; part < 6; ++part) {
    const std::size_t k = parseAddressNumber(t, j);
    if (k == j) break;
    if (isHyphen(t.at(k)) && isDigit(t.at(k + 1))) {
      std::size_t e = parseAddressNumber(t, k + 1);
      if (isHyphen(t.at(e)) && isDigit(t.at(e + 1))) e = parseAddressNumber(t, e + 1);
      if (t.at(e) == U'室' || t.at(e) == U'号') ++e;
      if (isDigit(t.at(e))) break;
      ++dwelling;
      j = e;
      continue;
    }
    const Word* marker = nullptr;
    for (const auto& m : kMarkers) {
      if (t.startsWith(k, m)) {
        marker = &m;
        break;
      }
    }
    if (marker == nullptr) break;
    if (*marker != U"号") ++dwelling;
    j = k + marker->size();
  }
  return j;
}

std::size_t extendPlaceNameBack(const Text& t, std::size_t i) {
  std::size_t k = i;
  while (k > 0 && i - k < 24) {
    if (cueEndingAt(t, k, kAddressCues) != nullptr) break;
    const char32_t c = t.cp[k - 1];
    if (!(isHan(c) && !isAddressStopHan(c)) && !isDigit(c)) break;
    --k;
  }
  // Do not start on digits left over from something else (2026年...).
  while (k < i && isDigit(t.cp[k])) ++k;
  return k;
}

bool publicByCue(const Text& t, std::size_t begin) {
  auto hit = nearestCueBefore(t, begin, kAddressCues, 60, isSentenceEnd);
  if (!hit) return false;
  if (hit->first == AddressCue::Organisation) return true;
  return hit->first == AddressCue::Domicile && partyIsOrganisation(t, hit->second.begin);
}

// After 住址/家住 (or 住所 of a person): the place up to its last house/room/village marker.
void findCuedAddresses(const Text& t, std::vector<Span>& out) {
  for (std::size_t e = 1; e <= t.size(); ++e) {
    const auto* cue = cueEndingAt(t, e, kAddressCues);
    if (cue == nullptr || cue->kind == AddressCue::Organisation) continue;
    if (cue->word == U"位于" || cue->word == U"坐落于") continue;  // premises, not a home
    const std::size_t cue_begin = e - cue->word.size();
    bool longer_cue_follows = false;  // 住所 in 住所地, 现住 in 现住址: take the longer one
    for (std::size_t d = 1; d <= 3 && !longer_cue_follows; ++d) {
      const auto* next = cueEndingAt(t, e + d, kAddressCues);
      longer_cue_follows = next != nullptr && e + d - next->word.size() <= cue_begin;
    }
    if (longer_cue_follows) continue;
    if (cue->kind == AddressCue::Domicile && partyIsOrganisation(t, cue_begin)) continue;
    std::size_t j = e;
    while (j < t.size() && in(t.cp[j], U"：: 　为在于")) ++j;
    const std::size_t begin = j;
    std::size_t end = begin;
    for (; j < t.size() && j - begin < 50; ++j) {
      const char32_t c = t.cp[j];
      if (isClauseEnd(c) || in(c, U"（()）")) break;
      if (in(c, U"号室栋幢村组屯户楼层弄") || (c == U'元' && t.before(j) == U'单')) end = j + 1;
    }
    if (end > begin) {
      out.push_back(Span{FindingKind::Address, begin, end});
      e = end;
    }
  }
}

// 人民大街123号4栋501室, 幸福小区3栋2单元501室, 前进路88号3-2-501 — anywhere, unless an
// organisation's premises are being described.
void findPatternAddresses(const Text& t, std::vector<Span>& out) {
  static const Word kEstates[] = {U"小区", U"花园", U"家园", U"公寓",
                                  U"新村", U"嘉园", U"苑",   U"家属院"};
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (!isHan(t.cp[i - 1])) continue;
    std::size_t parts_begin = 0;
    const char32_t c = t.cp[i];
    if (in(c, U"路街道巷弄") || (c == U'同' && t.before(i) == U'胡')) {
      const std::size_t k = parseAddressNumber(t, i + 1);
      if (k == i + 1 || t.at(k) != U'号') continue;
      parts_begin = k + 1;
    } else {
      for (const auto& w : kEstates) {
        if (t.startsWith(i, w)) {
          parts_begin = i + w.size();
          break;
        }
      }
      if (parts_begin == 0) continue;
    }
    int dwelling = 0;
    const std::size_t end = parseDwellingParts(t, parts_begin, dwelling);
    if (dwelling == 0) continue;
    const std::size_t begin = extendPlaceNameBack(t, i);
    if (begin == i || publicByCue(t, begin)) {
      i = end;
      continue;
    }
    out.push_back(Span{FindingKind::Address, begin, end});
    i = end;
  }
}

// ---- third persons' names ----------------------------------------------------------------

const Word kCompoundSurnames[] = {U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟",
                                  U"公孙", U"慕容", U"长孙", U"宇文", U"司徒", U"夏侯", U"令狐",
                                  U"端木", U"轩辕", U"独孤", U"南宫", U"西门", U"百里", U"呼延",
                                  U"万俟", U"闻人", U"澹台", U"公冶", U"申屠", U"太史", U"濮阳",
                                  U"赫连", U"钟离", U"宗政", U"鲜于"};

std::size_t compoundSurnameAt(const Text& t, std::size_t i) {
  for (const auto& s : kCompoundSurnames) {
    if (t.startsWith(i, s)) return s.size();
  }
  return 0;
}

// Common single surnames. Characters that mostly start ordinary words (和, 来, 文 ...) are left
// out on purpose: a name is only reported when it starts with one of these.
constexpr Word kSurnames =
    U"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    U"苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    U"龚邵万钱严覃武戴莫孔汤施牛樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞左柳祝舒阮柯纪梅童"
    U"凌毕季裴霍涂苗谷盛翁冉骆蓝辛靳柴鲍喻祁蒲滕饶艾穆卓吉缪麦褚娄窦戚岑晏柏瞿佟臧闵苟邬卞姬"
    U"仇栾刁寇虞巩鞠冀郁胥栗鄢谌奚粟冼蔺阚";

// Characters that cannot open a given name here (陈述, 高度, 金额, 于是, 曾经 ...).
constexpr Word kNotGivenNameStart =
    U"多经于在是已未不没也都就还又再被把将对向从自为以及与和或等的了着过所其该此这那各每均共仅"
    U"只便即则并而且因由按据称说表证述现当本次案今昨前后们员度额件式面务序续围边末重格全排住复"
    U"系括装位贴改报请辩右律晨业款费材法可时种事绝工色油戏上年某";

// Characters that start what follows a name (证人张三证实, 投诉人王小明称).
constexpr Word kAfterName =
    U"证称说陈反表于在的到向对将已是为系和与及等因提签确现购投举也均都曾就把被从未亦不没所则即"
    U"作出当手电身住家年男女回告承同去来并又还再拨联通持携知发看见听要应自经共每以之处时拒前后"
    U"会分亲本先带请让使给此无有次多报打受遭目指辨认";

// Words that start like a surname and a given name but are not (工人高处作业, 学生于放学后).
constexpr Word kNotNames[] = {U"白天", U"庞大", U"黄金", U"黎明", U"高于", U"周年", U"方可",
                              U"石材", U"高处", U"高温", U"高空", U"高峰", U"高速", U"田间",
                              U"万人", U"万元", U"于当", U"于次", U"于同", U"于放", U"于上",
                              U"于下", U"于中", U"于晚", U"于凌", U"于早", U"于夜", U"于本"};

// Words after which a private person's name is written: roles in the case, people who saw or
// reported it, the party's family and staff. Other people than the party may not be named in
// public (浙江省行政处罚结果信息网上公开暂行办法 art. 7: 被处罚人以外的自然人姓名 are hidden).
constexpr Word kNameCues[] = {
    // roles in the case
    U"证人", U"受害人", U"被害人", U"举报人", U"投诉人", U"法定代表人", U"负责人", U"联系人",
    U"委托代理人", U"经办人", U"目击者", U"见证人", U"报案人", U"报警人", U"求助人", U"知情人",
    U"第三人", U"利害关系人", U"被询问人", U"被调查人",
    // bystanders and neighbours
    U"邻居", U"群众", U"村民", U"居民", U"市民", U"住户", U"业主", U"租户", U"租客", U"房东",
    U"路人", U"行人", U"乘客", U"患者", U"病人", U"学生", U"顾客", U"消费者",
    // the party's family
    U"其妻", U"其子", U"其女", U"其夫", U"其父", U"其母", U"其兄", U"其弟", U"其姐", U"其妹",
    U"之子", U"之女", U"之妻", U"之夫", U"之父", U"之母", U"儿子", U"女儿", U"妻子", U"丈夫",
    U"父亲", U"母亲", U"孙子", U"孙女", U"亲属", U"亲戚", U"家属", U"同事", U"朋友",
    // the party's staff
    U"员工", U"店员", U"雇员", U"雇工", U"帮工", U"学徒", U"服务员", U"收银员", U"营业员", U"厨师",
    U"司机", U"驾驶员", U"驾驶人", U"工人", U"从业人员"};

// A name starting at `i`: 2-4 Han characters, surname first. Returns its end, or i for none.
std::size_t nameAt(const Text& t, std::size_t i) {
  std::size_t run = i;
  while (run < t.size() && isHan(t.cp[run]) && run - i < 6) ++run;
  const std::size_t len = run - i;
  std::size_t s = compoundSurnameAt(t, i);
  if (s == 0 || len < 3) s = in(t.at(i), kSurnames) ? 1 : 0;
  if (s == 0 || len < s + 1) return i;
  for (std::size_t k = i; k < i + std::min<std::size_t>(len, s + 2); ++k) {
    if (t.cp[k] == U'某') return i;
  }
  const char32_t given = t.cp[i + s];
  if (in(given, kNotGivenNameStart)) return i;
  for (const auto& w : kNotNames) {
    if (t.startsWith(i, w)) return i;
  }
  for (Word title : {Word(U"女士"), Word(U"先生"), Word(U"师傅"), Word(U"同志"), Word(U"老师"),
                     Word(U"经理"), Word(U"总"), Word(U"姓"), Word(U"家属")}) {
    if (t.startsWith(i + s, title)) return i;
  }
  std::size_t n = 0;
  if (len == s + 1 || in(t.cp[i + s + 1], kAfterName)) {
    n = s + 1;
  } else if (len == s + 2 || in(t.cp[i + s + 2], kAfterName)) {
    n = s + 2;
  } else {
    return i;  // cannot tell where the name ends: say nothing
  }
  return i + n;
}

// An officer is named with the certificate number: 王强（执法证号：22010012345）. Officers'
// names are public (行政执法公示: 执法人员姓名及执法证号).
bool officerCertificateFollows(const Text& t, std::size_t end) {
  std::size_t j = end;
  if (in(t.at(j), U"（(，,：: ")) ++j;
  return t.startsWith(j, U"执法证") || t.startsWith(j, U"执法资格证");
}

void findNames(const Text& t, std::vector<Span>& out) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const Word* cue = nullptr;
    for (const auto& c : kNameCues) {
      if (t.startsWith(i, c) && (cue == nullptr || c.size() > cue->size())) cue = &c;
    }
    if (cue == nullptr) continue;
    std::size_t j = i + cue->size();
    if (in(t.at(j), U"：:")) ++j;
    if (t.at(j) == U' ') ++j;
    bool named = false;
    for (int listed = 0; listed < 10; ++listed) {
      const std::size_t end = nameAt(t, j);
      if (end == j) break;
      if (!officerCertificateFollows(t, end)) out.push_back(Span{FindingKind::PersonName, j, end});
      named = true;
      j = end;
      if (t.at(j) != U'、') break;  // 证人张三、李四
      ++j;
    }
    // Without a name the cue may overlap a longer one (其妻子徐慧: 其妻, then 妻子).
    if (named) i = std::max(i, j - 1);
  }
}

// ---- minors ------------------------------------------------------------------------------

int chineseNumeralOf(char32_t c) {
  static constexpr Word kDigits = U"〇一二三四五六七八九";
  if (c == U'零') return 0;
  if (c == U'两') return 2;
  const std::size_t at = kDigits.find(c);
  return at == Word::npos ? -1 : static_cast<int>(at);
}
bool isChineseNumeral(char32_t c) { return c == U'十' || chineseNumeralOf(c) >= 0; }

// The value of 七, 十, 十五, 二十, 二十三 (at most three characters); -1 for anything else.
int chineseNumberValue(const Text& t, std::size_t begin, std::size_t end) {
  const std::size_t n = end - begin;
  const auto d = [&](std::size_t k) { return chineseNumeralOf(t.cp[k]); };
  if (n == 1) return t.cp[begin] == U'十' ? 10 : d(begin);
  if (n == 2 && t.cp[begin] == U'十' && d(begin + 1) > 0) return 10 + d(begin + 1);
  if (n == 2 && d(begin) > 1 && t.cp[begin + 1] == U'十') return d(begin) * 10;
  if (n == 3 && d(begin) > 1 && t.cp[begin + 1] == U'十' && d(begin + 2) > 0) {
    return d(begin) * 10 + d(begin + 2);
  }
  return -1;
}

// The age written just before `num_end` (digits or Chinese numerals): its start and value.
std::optional<std::pair<std::size_t, int>> ageBefore(const Text& t, std::size_t num_end) {
  std::size_t b = num_end;
  while (b > 0 && isDigit(t.cp[b - 1]) && num_end - b < 4) --b;
  if (b < num_end) {
    if (num_end - b > 2 || isDigit(t.before(b))) return std::nullopt;
    int v = 0;
    for (std::size_t k = b; k < num_end; ++k) v = v * 10 + digitOf(t.cp[k]);
    return std::make_pair(b, v);
  }
  while (b > 0 && isChineseNumeral(t.cp[b - 1]) && num_end - b < 4) --b;
  if (b == num_end || num_end - b > 3 || isChineseNumeral(t.before(b))) return std::nullopt;
  const int v = chineseNumberValue(t, b, num_end);
  if (v < 0) return std::nullopt;
  return std::make_pair(b, v);
}

// 刘洋（15岁）, 男，16周岁, 年仅十五岁 — but not 不满十四周岁, 已满16周岁, 6岁以下, 12至16岁.
void findMinors(const Text& t, std::vector<Span>& out) {
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t.cp[i] != U'岁') continue;
    const std::size_t num_end = t.cp[i - 1] == U'周' ? i - 1 : i;
    const auto age = ageBefore(t, num_end);
    if (!age || age->second >= 18) continue;
    std::size_t begin = age->first;
    std::size_t end = i + 1;
    if (in(t.before(begin), U"满足于过至到~～-－—")) continue;  // a threshold or a range
    // A product's or a place's age group, not a person's: 适用年龄为3岁, 适合8岁儿童使用,
    // 未对12岁儿童设置防护.
    bool age_group = false;
    for (Word w : {Word(U"适用"), Word(U"适合"), Word(U"年龄为"), Word(U"标称"), Word(U"标注"),
                   Word(U"年龄段")}) {
      age_group = age_group || (begin >= w.size() && t.startsWith(begin - w.size(), w));
    }
    for (Word w : {Word(U"儿童"), Word(U"幼儿"), Word(U"婴幼儿"), Word(U"以下儿童"),
                   Word(U"及以下")}) {
      age_group = age_group || t.startsWith(end, w);
    }
    if (age_group) continue;
    bool threshold = false;
    for (Word w : {Word(U"以下"), Word(U"以上"), Word(U"以内"), Word(U"及以"), Word(U"之间"),
                   Word(U"至"), Word(U"到"), Word(U"-"), Word(U"～")}) {
      threshold = threshold || t.startsWith(end, w);
    }
    if (threshold) continue;
    if (in(t.before(begin), U"（(") && in(t.at(end), U"）)")) {
      --begin;
      ++end;
      // The name written right before the bracket belongs to the finding: 刘洋（15岁）.
      for (std::size_t len = 4; len >= 2; --len) {
        if (begin >= len && nameAt(t, begin - len) == begin) {
          begin -= len;
          break;
        }
      }
    }
    out.push_back(Span{FindingKind::Minor, begin, end});
    i = end;
  }
}

// Earlier detectors win an overlap: numbers are the most certain, names the least.
std::vector<Span> resolveOverlaps(std::vector<std::vector<Span>> by_priority) {
  std::map<std::size_t, std::size_t> taken;
  for (const auto& spans : by_priority) {
    for (const auto& s : spans) {
      auto next = taken.lower_bound(s.begin);
      if (next != taken.end() && next->first < s.end) continue;
      if (next != taken.begin() && std::prev(next)->second > s.begin) continue;
      taken.emplace(s.begin, s.end);
    }
  }
  std::vector<Span> kept;
  for (auto& spans : by_priority) {
    for (const auto& s : spans) {
      auto it = taken.find(s.begin);
      if (it != taken.end() && it->second == s.end) {
        kept.push_back(s);
        taken.erase(it);
      }
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return kept;
}

std::string encodeUtf8(char32_t c) {
  std::string s;
  base::appendUtf8(s, c);
  return s;
}

}  // namespace

const char* findingLabel(FindingKind kind) {
  switch (kind) {
    case FindingKind::IdNumber:
      return "身份证号码";
    case FindingKind::Mobile:
      return "手机号码";
    case FindingKind::Landline:
      return "固定电话";
    case FindingKind::BankCard:
      return "银行卡号";
    case FindingKind::Address:
      return "住址";
    case FindingKind::PersonName:
      return "第三人姓名";
    case FindingKind::Minor:
      return "未成年人信息";
  }
  return "个人信息";
}

const char* findingCode(FindingKind kind) {
  switch (kind) {
    case FindingKind::IdNumber:
      return "id_number";
    case FindingKind::Mobile:
      return "mobile";
    case FindingKind::Landline:
      return "landline";
    case FindingKind::BankCard:
      return "bank_card";
    case FindingKind::Address:
      return "address";
    case FindingKind::PersonName:
      return "person_name";
    case FindingKind::Minor:
      return "minor";
  }
  return "personal_data";
}

bool findingConfirmable(FindingKind kind) { return kind != FindingKind::Minor; }

std::vector<Finding> findPersonalData(std::string_view text) {
  const Text t = decode(text);
  std::vector<Span> numbers, cued_addresses, addresses, minors, names;
  findNumbers(t, numbers);
  findCuedAddresses(t, cued_addresses);
  findPatternAddresses(t, addresses);
  findMinors(t, minors);
  findNames(t, names);
  std::vector<Finding> findings;
  for (const auto& s :
       resolveOverlaps({std::move(numbers), std::move(cued_addresses), std::move(addresses),
                        std::move(minors), std::move(names)})) {
    const std::size_t begin = t.off[s.begin];
    const std::size_t end = t.off[s.end];
    findings.push_back(
        Finding{s.kind, begin, end - begin, std::string(text.substr(begin, end - begin))});
  }
  return findings;
}

std::string findingContext(std::string_view text, const Finding& f, std::size_t chars) {
  if (f.offset > text.size() || f.length > text.size() - f.offset) return "";
  const Text before = decode(text.substr(0, f.offset));
  const Text after = decode(text.substr(f.offset + f.length));
  std::size_t b = before.size();
  while (b > 0 && before.size() - b < chars && !isSentenceEnd(before.cp[b - 1])) --b;
  std::size_t e = 0;
  bool sentence_ended = false;
  while (e < after.size() && e < chars && !sentence_ended) {
    const char32_t c = after.cp[e];
    if (c == U'\n' || c == U'\r') break;
    sentence_ended = isSentenceEnd(c);
    ++e;
  }
  std::string out = b > 0 && !isSentenceEnd(before.cp[b - 1]) ? "…" : "";
  out.append(text.substr(before.off[b], f.offset + f.length + after.off[e] - before.off[b]));
  if (!sentence_ended && e < after.size() && !isSentenceEnd(after.cp[e])) out += "…";
  return out;
}

std::string maskPersonName(std::string_view name) {
  const Text t = decode(name);
  std::size_t b = 0;
  std::size_t e = t.size();
  while (b < e && in(t.cp[b], U" \t　")) ++b;
  while (e > b && in(t.cp[e - 1], U" \t　")) --e;
  if (b == e || name.find("某") != std::string_view::npos) return std::string(name);
  const char32_t first = t.cp[b];
  if (!isHan(first)) return encodeUtf8(first) + "某";
  std::size_t surname = 1;
  if (e - b >= 3 && compoundSurnameAt(t, b) == 2) surname = 2;
  const std::size_t given = e - b - surname;
  return std::string(name.substr(t.off[b], t.off[b + surname] - t.off[b])) +
         (given >= 2 ? "某某" : "某");
}

}  // namespace portal::disclosure
