#include "search/query_pipeline.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "search/detail/data_lines.h"
#include "search/detail/schema.h"
#include "search/detail/utf8.h"
#include "search/detail/xapian_query.h"
#include "search/search_error.h"
#include "search/simplified_script.h"
#include "search/situation_model.h"

namespace search::synonyms_data {
// Generated from data/synonyms.tsv and data/concepts.tsv by cmake/Embed.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}  // namespace search::synonyms_data

namespace search {

namespace {

using detail::appendUtf8;
using detail::decodeUtf8;
using detail::isCjk;
using detail::kInvalidCodePoint;

// A longer query string is refused before normalising it at all.
constexpr std::size_t kMaxRawBytes = 8 * 1024;
constexpr std::size_t kMaxExactKeys = 8;
// Relaxed pass: a document must match this share of the query's units, at least one and at
// most kRelaxedMaxRequired. A long sentence has many bigrams that straddle two words
// (晚上工地 -> 上工) and match nothing, so the share alone would find nothing for it.
constexpr double kRelaxedRequiredShare = 0.4;
constexpr std::size_t kRelaxedMaxRequired = 2;
constexpr std::size_t kMaxPhrases = 8;
// When the situation model recognises no act (below its own bar of evidence or margin), its
// best act with at least this much evidence is still searched, after every pass on the
// citizen's own words and before characters apart, and labelled as a guess. Words that are no
// complaint at all reach 1.0-1.7 (火星殖民地 1.72, 今天天气怎么样 1.42, 你好 0.84). On the tune
// halves (before situations6): 2.0 found fresh2-tune 66 -> 68 of 73, the rest unchanged; 1.0 one
// more of fresh4-tune, but also guessed for those words; 3.0 only 67; two guesses instead of
// one lost a query of fresh-tune.
constexpr double kGuessMinScore = 2.0;
// When the situation model recognises an act with at least this much evidence and this far
// ahead of the next class, its items rank ahead of the relaxed pass, not after the fill pass. A
// description's relaxed pass holds every item sharing two of its bigrams, and in a long sentence
// those are often everyday words (地方, 修建, 没有) that fill the page with unrelated items, so
// the act the model is all but certain of never reached the page (违章修建的两处车棚…: 违法建设 at
// 11.2, 9.3 ahead). Measured on the five tune halves against 4 / 1.5 (the model's own bar), 6 / 3,
// 8 / 5 and 10 / 8: every setting kept every found query; 10 / 8 found one more (fresh3-tune),
// ranked 19 queries higher and 6 lower (MRR@10 up on four halves, fresh2-tune 0.690 -> 0.679);
// lower bars moved more queries down (8 / 5: 14, 4 / 1.5: 30) and found none more.
constexpr double kSureMinScore = 10.0;
constexpr double kSureMinMargin = 8.0;
// Bounds on the fallback passes, so a 200-character query stays cheap.
constexpr std::size_t kMaxCharPairs = 24;
constexpr std::size_t kMaxCharacters = 32;

// Characters written for one another so often that a citizen's spelling should find the
// list's (沙/砂: 挖沙 vs 采挖河砂; 帐/账: 假帐 vs 假账). Both directions.
constexpr std::pair<char32_t, char32_t> kCharacterVariants[] = {{U'沙', U'砂'}, {U'帐', U'账'}};
// 象/像 only inside these words (现象 and 大象 are never written with 像).
constexpr std::pair<std::string_view, std::string_view> kWordVariants[] = {
    {"图象", "图像"}, {"影象", "影像"}, {"录象", "录像"},
    {"头象", "头像"}, {"肖象", "肖像"}, {"好象", "好像"}};

bool isZeroWidth(char32_t cp) {
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF;
}

// Full-width ASCII variants and the ideographic space to their ASCII forms.
char32_t foldWidth(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
  if (cp == 0x3000) return U' ';
  return cp;
}

char32_t foldCase(char32_t cp) { return Xapian::Unicode::tolower(static_cast<unsigned>(cp)); }

bool isWordChar(char32_t cp) { return Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp)); }

bool isSpace(char32_t cp) {
  return cp == U' ' || (cp < 0x20) || cp == 0x7F ||
         Xapian::Unicode::is_whitespace(static_cast<unsigned>(cp));
}

using base::codePoints;

std::string toUtf8(const std::vector<char32_t>& cps, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) appendUtf8(out, cps[i]);
  return out;
}

// A maximal stretch of CJK characters, or a word of other word characters, in normalised
// text; the same split Xapian's TermGenerator makes with FLAG_CJK_NGRAM.
struct Run {
  std::vector<char32_t> cps;
  bool cjk = false;
  std::string text() const { return toUtf8(cps, 0, cps.size()); }
};

std::vector<Run> splitRuns(std::string_view normalized) {
  std::vector<Run> runs;
  bool in_run = false;
  for (char32_t cp : codePoints(normalized)) {
    if (cp == U' ') {
      in_run = false;
      continue;
    }
    const bool cjk = isCjk(cp);
    if (!in_run || runs.back().cjk != cjk) runs.push_back(Run{{}, cjk});
    runs.back().cps.push_back(cp);
    in_run = true;
  }
  return runs;
}

void appendRunTerms(const Run& run, std::vector<std::string>& terms) {
  if (!run.cjk) {
    std::string word = run.text();
    if (word.size() <= detail::kMaxWordBytes) terms.push_back(std::move(word));
    return;
  }
  if (run.cps.size() == 1) {
    terms.push_back(run.text());
    return;
  }
  for (std::size_t i = 0; i + 1 < run.cps.size(); ++i) terms.push_back(toUtf8(run.cps, i, i + 2));
}

template <typename T>
void pushUnique(std::vector<T>& v, T item) {
  if (std::find(v.begin(), v.end(), item) == v.end()) v.push_back(std::move(item));
}

// Whether `cp` is a particle: the structural 的 or a sentence-final or aspect particle.
bool isParticle(char32_t cp) { return std::u32string_view(U"的了吗呢吧啊呀嘛").find(cp) != std::u32string_view::npos; }

// Whether the bigram at `i` of `cps` holds a particle outside the few words where it carries
// meaning (的士, 的哥: a taxi). Such a bigram says nothing about what the citizen means
// (另外的车 -> 的车, 长绿毛了 -> 毛了), yet among a few hundred items it is rare enough to
// weigh like a real word: 称有另外的车前来转运他们 put the spoil-transport item first for 的车
// and marked 的车 in its title.
bool isParticleBigram(const std::vector<char32_t>& cps, std::size_t i) {
  if (!isParticle(cps[i]) && !isParticle(cps[i + 1])) return false;
  static constexpr std::string_view kMeaningful[] = {"的士", "的哥", "的姐", "打的"};
  const std::string word = toUtf8(cps, i, i + 2);
  return std::find(std::begin(kMeaningful), std::end(kMeaningful), word) == std::end(kMeaningful);
}

// The bigram positions of a CJK run that a relaxed unit or a highlight is made of: those
// without a particle, or all of them when every one holds one (了吧).
std::vector<std::size_t> tellingBigrams(const Run& run) {
  std::vector<std::size_t> all, telling;
  for (std::size_t i = 0; i + 1 < run.cps.size(); ++i) {
    all.push_back(i);
    if (!isParticleBigram(run.cps, i)) telling.push_back(i);
  }
  return telling.empty() ? all : telling;
}

// Units, phrases and highlights contributed by one normalised text (a query run or a
// formal alternative). The strict pass and the phrases keep every character; the relaxed units
// and highlights leave out bigrams that only hold a particle (tellingBigrams).
void addTextSignals(const std::vector<Run>& runs, QueryPlan& plan, bool as_units) {
  for (const Run& run : runs) {
    if (run.cjk && run.cps.size() >= 3 && plan.phrases.size() < kMaxPhrases) {
      std::vector<std::string> unigrams;
      for (std::size_t i = 0; i < run.cps.size(); ++i)
        unigrams.push_back(toUtf8(run.cps, i, i + 1));
      pushUnique(plan.phrases, std::move(unigrams));
    }
    if (run.cjk && run.cps.size() >= 2) {
      std::vector<std::string> chain;
      const auto endChain = [&] {
        if (chain.size() >= 2) plan.relaxed_chains.push_back(chain);
        chain.clear();
      };
      std::optional<std::size_t> previous;
      for (std::size_t i : tellingBigrams(run)) {
        const std::string bigram = toUtf8(run.cps, i, i + 2);
        if (as_units) {
          const std::vector<std::string> unit{bigram};
          const auto& units = plan.relaxed_units;
          const bool fresh = std::find(units.begin(), units.end(), unit) == units.end();
          if (!previous || *previous + 1 != i || !fresh) endChain();
          if (fresh) {
            plan.relaxed_units.push_back(unit);
            chain.push_back(bigram);
          }
        }
        previous = i;
        pushUnique(plan.highlights, std::vector<std::string>{toUtf8(run.cps, i, i + 1),
                                                             toUtf8(run.cps, i + 1, i + 2)});
      }
      endChain();
      continue;
    }
    std::vector<std::string> terms;
    appendRunTerms(run, terms);
    for (auto& t : terms) {
      if (as_units) pushUnique(plan.relaxed_units, std::vector<std::string>{t});
      pushUnique(plan.highlights, std::vector<std::string>{t});
    }
  }
}

std::vector<std::string> exactCandidates(std::string_view raw) {
  std::vector<std::string> keys;
  std::string token;
  std::string whole;
  std::size_t tokens = 0;
  const auto flush = [&] {
    if (token.empty()) return;
    ++tokens;
    std::string key = exactKey(token);
    if (!key.empty() && key.size() <= detail::kMaxBooleanValueBytes &&
        keys.size() < kMaxExactKeys) {
      pushUnique(keys, std::move(key));
    }
    token.clear();
  };
  for (std::size_t i = 0; i < raw.size();) {
    const char32_t cp = decodeUtf8(raw, i);
    if (cp == kInvalidCodePoint) continue;
    if (isSpace(foldWidth(cp))) {
      flush();
    } else {
      appendUtf8(token, cp);
      appendUtf8(whole, cp);
    }
  }
  flush();
  if (tokens > 1) {
    std::string key = exactKey(whole);
    if (!key.empty() && key.size() <= detail::kMaxBooleanValueBytes &&
        keys.size() < kMaxExactKeys) {
      pushUnique(keys, std::move(key));
    }
  }
  return keys;
}

}  // namespace

std::string normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = decodeUtf8(text, i);
    if (cp == kInvalidCodePoint || isZeroWidth(cp)) continue;
    cp = foldCase(foldWidth(cp));
    if (!isWordChar(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    appendUtf8(out, cp);
  }
  return out;
}

std::string exactKey(std::string_view text) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = decodeUtf8(text, i);
    if (cp == kInvalidCodePoint || isZeroWidth(cp)) continue;
    cp = foldWidth(cp);
    if (isSpace(cp)) continue;
    cps.push_back(foldCase(cp));
  }
  std::size_t from = 0;
  std::size_t to = cps.size();
  while (from < to && !isWordChar(cps[from])) ++from;
  while (to > from && !isWordChar(cps[to - 1])) --to;
  return toUtf8(cps, from, to);
}

std::vector<std::string> indexTermsOf(std::string_view normalized) {
  std::vector<std::string> terms;
  for (const Run& run : splitRuns(normalized)) appendRunTerms(run, terms);
  return terms;
}

std::vector<std::string> titleGramsOf(std::string_view normalized) {
  std::vector<std::string> grams;
  for (const Run& run : splitRuns(normalized)) {
    if (!run.cjk) continue;
    for (std::size_t n = 3; n <= 4; ++n) {
      for (std::size_t i = 0; i + n <= run.cps.size(); ++i) grams.push_back(toUtf8(run.cps, i, i + n));
    }
  }
  return grams;
}

std::vector<std::string> phraseTitleGrams(const std::vector<std::string>& unigrams) {
  std::vector<std::string> grams;
  if (unigrams.size() < 3) return grams;
  const std::size_t n = unigrams.size() == 3 ? 3 : 4;
  for (std::size_t i = 0; i + n <= unigrams.size(); ++i) {
    std::string gram;
    for (std::size_t j = i; j < i + n; ++j) gram += unigrams[j];
    pushUnique(grams, std::move(gram));
  }
  return grams;
}

std::vector<std::string> spellingVariants(std::string_view term) {
  std::vector<std::string> out{std::string(term)};
  for (const auto& [a, b] : kWordVariants) {
    if (term == a) out.emplace_back(b);
    if (term == b) out.emplace_back(a);
  }
  const std::vector<char32_t> cps = codePoints(term);
  // Every combination of swapped characters, in a fixed order (terms have one or two).
  std::vector<std::vector<char32_t>> forms{cps};
  for (std::size_t i = 0; i < cps.size(); ++i) {
    for (const auto& [a, b] : kCharacterVariants) {
      if (cps[i] != a && cps[i] != b) continue;
      const char32_t other = cps[i] == a ? b : a;
      const std::size_t n = forms.size();
      for (std::size_t f = 0; f < n; ++f) {
        std::vector<char32_t> swapped = forms[f];
        swapped[i] = other;
        forms.push_back(std::move(swapped));
      }
    }
  }
  for (std::size_t f = 1; f < forms.size(); ++f) pushUnique(out, toUtf8(forms[f], 0, forms[f].size()));
  return out;
}

SynonymTable SynonymTable::fromTsv(std::string_view tsv) {
  SynonymTable table;
  table.addLines(tsv, false);
  return table;
}

SynonymTable SynonymTable::withConcepts(std::string_view concepts_tsv) const {
  SynonymTable table = *this;
  table.addLines(concepts_tsv, true);
  return table;
}

void SynonymTable::addLines(std::string_view tsv, bool concepts) {
  const char* const what = concepts ? "concepts" : "synonyms";
  detail::forEachDataLine(tsv, [&](std::size_t line_no, std::string_view line) {
    const auto fail = [&](const std::string& why) {
      throw SearchError(SearchError::Kind::Config,
                        std::string(what) + " line " + std::to_string(line_no) + ": " + why);
    };
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) fail("expected plain<TAB>formal1|formal2");
    const std::string plain = normalize(line.substr(0, tab));
    if (plain.empty()) fail("empty plain phrase");
    std::vector<std::string> formal;
    std::string_view rest = line.substr(tab + 1);
    // Further columns name where the pairing comes from; the search does not use them, but a
    // concept line without its source is refused.
    const std::size_t source = rest.find('\t');
    if (source != std::string_view::npos) {
      rest = rest.substr(0, source);
    } else if (concepts) {
      fail("no source for \"" + plain + "\"");
    }
    while (true) {
      const std::size_t bar = rest.find('|');
      std::string alt = normalize(rest.substr(0, bar));
      if (!alt.empty()) pushUnique(formal, std::move(alt));
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
    if (formal.empty()) fail("no formal wording for \"" + plain + "\"");
    if (concepts || plain.find(' ') != std::string::npos) {
      Situation situation{plain, {}, std::move(formal)};
      std::size_t from = 0;
      for (std::size_t sp; (sp = plain.find(' ', from)) != std::string::npos; from = sp + 1) {
        situation.words.push_back(plain.substr(from, sp - from));
      }
      situation.words.push_back(plain.substr(from));
      for (const auto& known : situations_) {
        if (known.plain == plain) fail("duplicate situation \"" + plain + "\"");
      }
      situations_.push_back(std::move(situation));
      return;
    }
    if (entries_.count(plain) != 0) fail("duplicate plain phrase \"" + plain + "\"");
    max_key_chars_ = std::max(max_key_chars_, codePointCount(plain));
    entries_.emplace(plain, std::move(formal));
  });
}

SynonymTable SynonymTable::withOverrides(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& overrides) const {
  SynonymTable table = *this;
  for (const auto& [raw_plain, raw_formal] : overrides) {
    const std::string plain = normalize(raw_plain);
    if (plain.empty()) throw SearchError(SearchError::Kind::Config, "empty plain phrase");
    std::vector<std::string> formal;
    for (const auto& f : raw_formal) {
      std::string alt = normalize(f);
      if (!alt.empty()) pushUnique(formal, std::move(alt));
    }
    if (formal.empty()) {
      throw SearchError(SearchError::Kind::Config, "no formal wording for \"" + plain + "\"");
    }
    table.max_key_chars_ = std::max(table.max_key_chars_, codePointCount(plain));
    table.entries_[plain] = std::move(formal);
  }
  return table;
}

SynonymTable SynonymTable::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SearchError(SearchError::Kind::Config, "cannot read synonyms file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return fromTsv(text.str());
  } catch (const SearchError& e) {
    throw SearchError(SearchError::Kind::Config, path + ": " + e.what());
  }
}

std::vector<std::string> SynonymTable::plainPhrases() const {
  std::vector<std::string> out;
  out.reserve(entries_.size() + situations_.size());
  for (const auto& [plain, formal] : entries_) out.push_back(plain);
  for (const Situation& s : situations_) out.push_back(s.plain);
  return out;
}

SynonymTable SynonymTable::withModel(std::shared_ptr<const SituationModel> model) const {
  SynonymTable table = *this;
  table.model_ = std::move(model);
  return table;
}

const SynonymTable& SynonymTable::shipped() {
  static const SynonymTable table = [] {
    std::string_view synonyms;
    std::string_view concepts;
    std::string_view situations;
    for (const auto& [name, content] : synonyms_data::embeddedFiles()) {
      if (name == "synonyms.tsv") synonyms = content;
      if (name == "concepts.tsv") concepts = content;
      if (name == "situations.tsv") situations = content;
    }
    const SynonymTable words = fromTsv(synonyms).withConcepts(concepts);
    return words.withModel(std::make_shared<const SituationModel>(
        SituationModel::fromTsv(situations, {}, words.plainPhrases())));
  }();
  return table;
}

namespace {

// Whether `unit` occurs in `query` right after a digit (45升, "50 3升" for 50.3升). A unit
// starting with 升 also matches the Latin litre sign after a digit ("67 96l汽油" for 67.96L汽油).
bool numberThenUnitIn(std::string_view query, std::string_view unit) {
  const auto after_digit = [query](std::string_view u) {
    for (std::size_t p = query.find(u); p != std::string_view::npos; p = query.find(u, p + 1)) {
      if (p > 0 && query[p - 1] >= '0' && query[p - 1] <= '9') return true;
    }
    return false;
  };
  constexpr std::string_view kLitre = "升";
  if (unit.empty()) return false;
  if (after_digit(unit)) return true;
  return unit.substr(0, kLitre.size()) == kLitre &&
         after_digit("l" + std::string(unit.substr(kLitre.size())));
}

// Whether a CJK word of three or more characters occurs in `query` with one more character
// standing inside it: 人行过道 holds 人行道, 夜宵小摊 holds 夜宵摊. Citizens write a compound with
// a character added as often as the lists' form; a two-character word stays exact (one inserted
// character between two is any pair of characters a word apart).
bool wordWithOneInsertedIn(std::string_view query, std::string_view word) {
  const std::vector<char32_t> cps = codePoints(word);
  if (cps.size() < 3) return false;
  for (char32_t c : cps) {
    if (!isCjk(c)) return false;
  }
  for (std::size_t k = 1; k < cps.size(); ++k) {
    const std::string head = toUtf8(cps, 0, k);
    const std::string tail = toUtf8(cps, k, cps.size());
    for (std::size_t p = query.find(head); p != std::string_view::npos; p = query.find(head, p + 1)) {
      std::size_t q = p + head.size();
      if (q >= query.size()) break;
      const char32_t inserted = decodeUtf8(query, q);  // advances q past one character
      if (isCjk(inserted) && query.substr(q, tail.size()) == tail) return true;
    }
  }
  return false;
}

// A situation word occurs in the query; a word starting with a digit ("0升") stands for any
// number followed by the rest of the word.
bool situationWordIn(std::string_view query, std::string_view word) {
  const std::size_t unit = word.find_first_not_of("0123456789");
  if (unit != 0 && unit != std::string_view::npos)
    return numberThenUnitIn(query, word.substr(unit));
  if (query.find(word) != std::string_view::npos) return true;
  return wordWithOneInsertedIn(query, word);
}

}  // namespace

std::vector<Expansion> SynonymTable::situationsIn(std::string_view normalized_query) const {
  std::vector<Expansion> out;
  for (const Situation& s : situations_) {
    bool all = true;
    for (const auto& w : s.words) all = all && situationWordIn(normalized_query, w);
    if (all) out.push_back({s.plain, s.formal});
  }
  return out;
}

const std::vector<std::string>* SynonymTable::find(std::string_view normalized_plain) const {
  const auto it = entries_.find(normalized_plain);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string problemMessage(QueryProblem problem) {
  switch (problem) {
    case QueryProblem::None:
      return {};
    case QueryProblem::Empty:
      return "请输入要搜索的内容。";
    case QueryProblem::TooLong:
      return "搜索内容过长，请控制在" + std::to_string(kMaxQueryChars) + "个字以内。";
    case QueryProblem::NoSearchableText:
      return "搜索内容只有标点或符号，请输入文字、事项编码或证件编号。";
  }
  return {};
}

std::optional<std::string> validateQuery(std::string_view raw) {
  const QueryPlan plan = buildQuery(raw, SynonymTable());
  if (plan.problem == QueryProblem::None) return std::nullopt;
  return problemMessage(plan.problem);
}

QueryPlan buildQuery(std::string_view typed, const SynonymTable& synonyms) {
  QueryPlan plan;
  if (typed.size() > kMaxRawBytes) {
    plan.problem = QueryProblem::TooLong;
    return plan;
  }
  // The index holds simplified text: traditional characters are searched as simplified.
  const std::optional<std::string> simplified = toSimplified(typed);
  if (simplified) plan.simplified = base::trim(*simplified);
  const std::string_view raw = simplified ? std::string_view(*simplified) : typed;
  plan.normalized = normalize(raw);
  if (plan.normalized.empty()) {
    // Nothing typed (whitespace of any kind counts as nothing), or only punctuation.
    bool only_space = true;
    for (std::size_t i = 0; i < raw.size() && only_space;) {
      const char32_t cp = decodeUtf8(raw, i);
      only_space = cp == kInvalidCodePoint || isZeroWidth(cp) || isSpace(foldWidth(cp));
    }
    plan.problem = only_space ? QueryProblem::Empty : QueryProblem::NoSearchableText;
    return plan;
  }
  if (codePointCount(plan.normalized) > kMaxQueryChars) {
    plan.problem = QueryProblem::TooLong;
    return plan;
  }

  plan.exact_keys = exactCandidates(raw);

  const std::vector<Run> runs = splitRuns(plan.normalized);
  std::set<std::string> expanded;
  const auto addPiece = [&](std::string text, bool cjk) {
    QueryPiece piece{std::move(text), cjk, {}};
    if (const auto* formal = synonyms.find(piece.text)) {
      piece.expansions = *formal;
      if (expanded.insert(piece.text).second) plan.expansions.push_back({piece.text, *formal});
    }
    if (!cjk && piece.text.size() > detail::kMaxWordBytes && piece.expansions.empty()) return;
    plan.pieces.push_back(std::move(piece));
  };

  for (const Run& run : runs) {
    if (run.cjk && run.cps.size() == 1) plan.has_single_character = true;
    if (!run.cjk) {
      addPiece(run.text(), false);
      continue;
    }
    // Leftmost-longest synonym keys; the text between them stays as plain pieces.
    const std::size_t n = run.cps.size();
    std::size_t plain_from = 0;
    std::size_t i = 0;
    while (i < n) {
      std::size_t matched = 0;
      for (std::size_t len = std::min(synonyms.maxKeyChars(), n - i); len >= 1; --len) {
        if (synonyms.find(toUtf8(run.cps, i, i + len)) != nullptr) {
          matched = len;
          break;
        }
      }
      if (matched == 0) {
        ++i;
        continue;
      }
      if (plain_from < i) addPiece(toUtf8(run.cps, plain_from, i), true);
      addPiece(toUtf8(run.cps, i, i + matched), true);
      i += matched;
      plain_from = i;
    }
    if (plain_from < n) addPiece(toUtf8(run.cps, plain_from, n), true);
  }

  addTextSignals(runs, plan, true);
  // A synonym key splits its run into pieces; each longer piece is a phrase of its own.
  for (const QueryPiece& piece : plan.pieces) {
    const std::vector<char32_t> cps = codePoints(piece.text);
    if (!piece.cjk || cps.size() < 3 || plan.phrases.size() >= kMaxPhrases) continue;
    std::vector<std::string> unigrams;
    for (std::size_t i = 0; i < cps.size(); ++i) unigrams.push_back(toUtf8(cps, i, i + 1));
    pushUnique(plan.phrases, std::move(unigrams));
  }
  plan.situations = synonyms.situationsIn(plan.normalized);
  if (const SituationModel* model = synonyms.situationModel()) {
    if (std::optional<InferredAct> act = model->best(plan.normalized)) {
      if (model->accepts(*act)) {
        plan.inferred.push_back({act->act, act->formal});
        plan.inferred_sure = act->score >= kSureMinScore && act->margin >= kSureMinMargin;
      } else if (act->score >= kGuessMinScore) {
        plan.guessed.push_back({act->act, act->formal});
      }
    }
  }
  std::vector<Expansion> wordings = plan.expansions;
  wordings.insert(wordings.end(), plan.situations.begin(), plan.situations.end());
  for (const Expansion& e : wordings) {
    for (const std::string& alt : e.formal) {
      std::vector<std::string> unit = indexTermsOf(alt);
      if (!unit.empty()) pushUnique(plan.relaxed_units, std::move(unit));
      addTextSignals(splitRuns(alt), plan, false);
    }
  }

  std::vector<std::pair<std::string, std::string>> particle_pairs;
  for (const Run& run : runs) {
    if (!run.cjk) {
      if (plan.characters.size() < kMaxCharacters && run.text().size() <= detail::kMaxWordBytes)
        pushUnique(plan.characters, run.text());
      continue;
    }
    for (std::size_t i = 0; i < run.cps.size(); ++i) {
      if (plan.characters.size() < kMaxCharacters) pushUnique(plan.characters, toUtf8(run.cps, i, i + 1));
      for (std::size_t j = i + 1; j <= i + 2 && j < run.cps.size(); ++j) {
        if (run.cps[i] == run.cps[j]) continue;
        // A particle near another character is no evidence of anything (的 near 车).
        auto& pairs = isParticle(run.cps[i]) || isParticle(run.cps[j]) ? particle_pairs : plan.char_pairs;
        if (pairs.size() >= kMaxCharPairs) continue;
        pushUnique(pairs, std::make_pair(toUtf8(run.cps, i, i + 1), toUtf8(run.cps, j, j + 1)));
      }
    }
  }
  if (plan.char_pairs.empty()) plan.char_pairs = std::move(particle_pairs);

  const std::size_t units = plan.relaxed_units.size();
  if (units > 0) {
    std::size_t required = static_cast<std::size_t>(
        std::max(1.0, std::ceil(kRelaxedRequiredShare * static_cast<double>(units))));
    plan.relaxed_min_match = std::min(required, kRelaxedMaxRequired);
  }
  return plan;
}

std::vector<std::vector<std::size_t>> chainedUnits(const QueryPlan& plan) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& chain : plan.relaxed_chains) {
    std::vector<std::size_t> run;
    const auto endRun = [&] {
      if (run.size() >= 2) out.push_back(run);
      run.clear();
    };
    for (const std::string& bigram : chain) {
      const auto& units = plan.relaxed_units;
      const auto at = std::find(units.begin(), units.end(), std::vector<std::string>{bigram});
      if (at == units.end()) {
        endRun();
      } else {
        run.push_back(static_cast<std::size_t>(at - units.begin()));
      }
    }
    endRun();
  }
  return out;
}

QueryDescription describe(const QueryPlan& plan) {
  return QueryDescription{detail::exactQuery(plan).get_description(),
                          detail::strictQuery(plan).get_description(),
                          detail::conceptQuery(plan).get_description(),
                          detail::relaxedQuery(plan).get_description(),
                          detail::fillQuery(plan).get_description(),
                          detail::nearbyQuery(plan).get_description(),
                          detail::partialQuery(plan).get_description()};
}

}  // namespace search
