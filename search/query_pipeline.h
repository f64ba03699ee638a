#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.h"

// The query pipeline: pure functions from what a citizen typed to what the index is asked.
// Nothing here touches an index; everything is safe to call from any thread (a SynonymTable
// is immutable once built; the traditional-to-simplified converter buildQuery() uses is loaded
// once per process and only read afterwards).

namespace search {

class SituationModel;

// Full-width ASCII to half-width, ideographic and other spaces to a space, Unicode lower
// case, every character that is not a letter, mark or digit (punctuation, symbols, controls)
// to a space, spaces collapsed and trimmed. Invalid UTF-8 bytes are dropped. The index
// applies the same function to the text it indexes, so both sides tokenise alike.
std::string normalize(std::string_view text);

// The key for exact lookups: width and case folded, whitespace removed, punctuation kept
// inside but trimmed at both ends ("《CF－ZHZF－0001》" -> "cf-zhzf-0001").
std::string exactKey(std::string_view text);

// The index terms a normalised text is searched by, in order: every CJK run gives its
// bigrams (a single character gives itself), every other word gives itself.
// indexTermsOf("建筑许可 b2") == {"建筑", "筑许", "许可", "b2"}.
std::vector<std::string> indexTermsOf(std::string_view normalized);

// The title terms a phrase is found by without reading positions: every stretch of three and
// of four characters of the CJK runs of a normalised title (titleGramsOf("户外广告审批") holds
// 户外广, 外广告, …, 户外广告, 外广告审, 广告审批). The index stores them with no weight.
std::vector<std::string> titleGramsOf(std::string_view normalized);
// The title grams a title holding the phrase `unigrams` (three or more characters) holds: a
// phrase of three characters is its one 3-gram, a longer one all of its 4-grams; none for a
// shorter phrase. A title holding them all holds the phrase, or (rarely) pieces of it that
// overlap by three characters.
std::vector<std::string> phraseTitleGrams(const std::vector<std::string>& unigrams);
// Number of code points in valid UTF-8.
inline std::size_t codePointCount(std::string_view utf8) { return base::utf8Length(utf8); }

// An index term (a bigram, a single character or a word, normalised) and its common spelling
// variants, the term itself first: 挖沙 -> {挖沙, 挖砂}, 对帐 -> {对帐, 对账}, 图象 -> {图象, 图像}.
// Character variants (沙/砂, 帐/账) apply in any term; 象/像 only inside the words where
// writing one for the other is common (图象, 影象, 录象, 头象, 肖象, 好象 and back).
std::vector<std::string> spellingVariants(std::string_view term);

// A plain-language phrase and the formal wordings searched with it.
struct Expansion {
  std::string plain;                // 野广告
  std::vector<std::string> formal;  // 户外广告, 擅自设置
};

// Colloquial -> formal wordings, from TSV text: `plain<TAB>formal1|formal2[<TAB>source]`, one
// mapping a line, '#' starts a comment line; the source (where the pairing was found) is not used.
// A plain side of several words separated by spaces is a situation, not a phrase: it applies
// when every one of its words occurs somewhere in the query (晚上 干活 -> 夜间 施工), and its formal
// wordings name the act that situation describes (the concept layer: situation -> act -> items). Both sides are normalised when loaded; inside one formal
// alternative a space means AND ("拖欠 工资" needs both words). Immutable after loading.
class SynonymTable {
 public:
  SynonymTable() = default;

  // Throws SearchError (Kind::Config) naming the first malformed line.
  static SynonymTable fromTsv(std::string_view tsv);
  // Throws SearchError (Kind::Config) when the file cannot be read or parsed.
  static SynonymTable loadFile(const std::string& path);
  // The table shipped in data/synonyms.tsv plus the concept layer of data/concepts.tsv and the
  // situation model trained on data/situations.tsv, compiled into the library.
  static const SynonymTable& shipped();

  // A copy that also asks `model` which act a query describes (see situation_model.h); the
  // model is shared, not copied. Null removes it.
  SynonymTable withModel(std::shared_ptr<const SituationModel> model) const;
  const SituationModel* situationModel() const { return model_.get(); }
  // The citizens' words of every line, synonyms and concepts (normalised; a concept's words
  // separated by a space), in no particular order: the situation model's cue features.
  std::vector<std::string> plainPhrases() const;

  // A copy with the concept layer of `concepts_tsv` added: one line per concept,
  // `cue<TAB>act1|act2<TAB>source<TAB>excerpt`. The cue is a situation, consequence or place as
  // citizens write it (one word, or several separated by spaces that must all occur somewhere in
  // the query); the acts are the formal wordings of the violation it points to, as the lists
  // name it. Every line must name its source. Throws SearchError (Kind::Config) naming the first
  // malformed line.
  SynonymTable withConcepts(std::string_view concepts_tsv) const;

  // A copy with `overrides` (plain phrase -> formal wordings, as a person typed them) added,
  // each replacing an entry with the same normalised plain phrase. Throws SearchError
  // (Kind::Config) for an empty plain phrase or one without any formal wording.
  SynonymTable withOverrides(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& overrides) const;

  // Formal alternatives for a normalised plain phrase, or nullptr.
  const std::vector<std::string>* find(std::string_view normalized_plain) const;
  // The situations whose every word occurs in `normalized_query`, in table order. A word that
  // starts with a digit is a number and its unit: "0升" occurs in 加了50.3升油 and in 67.96L汽油.
  // A CJK word of three or more characters also occurs with one CJK character added inside it:
  // "人行道" occurs in 挤占人行过道.
  std::vector<Expansion> situationsIn(std::string_view normalized_query) const;
  std::size_t size() const { return entries_.size(); }
  std::size_t situationCount() const { return situations_.size(); }
  std::size_t maxKeyChars() const { return max_key_chars_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> entries_;
  struct Situation {
    std::string plain;               // as in the table, words separated by a space
    std::vector<std::string> words;  // each must occur in the query
    std::vector<std::string> formal;
  };
  std::vector<Situation> situations_;
  std::size_t max_key_chars_ = 0;
  std::shared_ptr<const SituationModel> model_;

  // Parses synonym lines (`concepts` false) or concept lines into this table.
  void addLines(std::string_view tsv, bool concepts);
};

inline constexpr std::size_t kMaxQueryChars = 200;

// Why a query cannot be run; not an error, the page says so to the user.
enum class QueryProblem {
  None,
  Empty,             // nothing typed
  TooLong,           // more than kMaxQueryChars characters after normalisation
  NoSearchableText,  // only punctuation or symbols
};

// The Chinese sentence shown to the user for a problem; empty for QueryProblem::None.
std::string problemMessage(QueryProblem problem);

// For form validation: the Chinese message when the query cannot be run, else nullopt.
std::optional<std::string> validateQuery(std::string_view raw);

// A stretch of the query, searched as a unit in the strict pass.
struct QueryPiece {
  std::string text;  // normalised; a CJK run, part of one, or a word
  bool cjk = false;
  std::vector<std::string> expansions;  // formal alternatives when `text` is a synonym key
};

// Everything the searcher asks the index, derived from one query string. The passes rank
// in this order, each excluding the documents of the passes before it:
//   exact:   any of `exact_keys` equals an exact term of the document;
//   strict:  every piece matches (its bigrams, or one of its formal alternatives);
//   concept: one of the formal wordings of a recognised situation matches;
//   sure:    (only when `inferred_sure`) as `inferred` below, ranked here instead;
//   relaxed: at least `relaxed_min_match` of `relaxed_units` match (the query's bigrams, less
//            those that only hold a particle such as 的 or 了, and its formal alternatives;
//            two neighbouring bigrams of one run, see `relaxed_chains`, count as one);
//            with `inferred` (not sure) and the passes above short of a page, its best three
//            come first, then the inferred act's best two, then the rest (searcher.cpp);
//   fill:    (only while the passes above found fewer than a page) any one relaxed unit;
//   inferred:(only while the passes above found fewer than a page) one of the wordings of the
//            act the situation model recognised in the whole query (situation_model.h);
//   guessed: (only while the passes above found fewer than a page) one of the wordings of the
//            act the model ranks first when it recognised none (with at least kGuessMinScore
//            of evidence, query_pipeline.cpp);
//   nearby:  (only while the passes above found fewer than a page) both characters of one of
//            `char_pairs` within kCharWindow positions (挖沙 finds 非法采挖河砂; no pair with a
//            particle while there are others);
//   partial: (only when everything above found nothing) any of `characters`, shown to the
//            user as a partial match.
// Strict and relaxed hits rank higher when a CJK run of 3+ characters occurs as a phrase.
// Every term is searched together with its spellingVariants().
struct QueryPlan {
  std::string normalized;
  // What was typed, in simplified characters and trimmed, when it held traditional ones
  // (饭店油烟扰民 for 飯店油煙擾民; see simplified_script.h); empty otherwise. Everything
  // below is derived from this simplified text.
  std::string simplified;
  QueryProblem problem = QueryProblem::None;
  std::vector<std::string> exact_keys;
  std::vector<QueryPiece> pieces;
  std::vector<std::vector<std::string>> relaxed_units;  // each: terms that must all occur
  std::size_t relaxed_min_match = 0;
  // Runs of relaxed units that are neighbouring bigrams of the query (办公 公室 室内 of 办公室内):
  // two neighbours overlap, so a document holding only them has one piece of evidence, not
  // two. A unit is in one chain at most: a bigram the query already gave ends the chain, so
  // where a word comes back (烧烤店将烧烤炉: 烧烤 again, then 烤炉) its new neighbour is not
  // chained to it, and an item holding only 烧烤炉 still has two units.
  std::vector<std::vector<std::string>> relaxed_chains;
  std::vector<std::vector<std::string>> phrases;     // unigram sequences for the phrase boost
  std::vector<std::vector<std::string>> highlights;  // a term, or a two-character phrase
  std::vector<Expansion> expansions;                 // synonyms applied, in query order
  std::vector<Expansion> situations;                 // situations recognised (concept layer)
  std::vector<Expansion> inferred;  // the act the situation model recognised (plain: its label)
  std::vector<Expansion> guessed;   // else the act it ranks first, below its bar
  // The model recognised `inferred` with overwhelming evidence (kSureMinScore, kSureMinMargin in
  // query_pipeline.cpp): its items rank right after the concept pass, ahead of the relaxed pass.
  bool inferred_sure = false;
  bool has_single_character = false;                 // a lone CJK character was searched on its own
  // Two characters of one CJK run, at most two apart in the query, in query order.
  std::vector<std::pair<std::string, std::string>> char_pairs;
  std::vector<std::string> characters;  // distinct CJK characters and words of the query
};

// How far apart (in positions, both included) the two characters of a pair may stand in a
// document for the nearby pass: 挖 and 砂 in 采挖河砂 span 3.
inline constexpr unsigned kCharWindow = 4;

// Throws SearchError (Kind::Config) only when the traditional-to-simplified converter cannot be
// loaded (see simplified_script.h); bad input is a QueryProblem.
QueryPlan buildQuery(std::string_view raw, const SynonymTable& synonyms);

// plan.relaxed_chains as positions in plan.relaxed_units: each chain's runs of two or more
// neighbours that are units of `plan` (a long text's search keeps only some of them). Two
// units are neighbours, one piece of evidence, only when they stand side by side in one of
// these.
std::vector<std::vector<std::size_t>> chainedUnits(const QueryPlan& plan);

// Xapian's description of each pass's ranking query (without filters and exclusions), e.g.
// strict for 噪音扰民: "Query((((噪音 AND 音扰 AND 扰民) OR 噪声) AND_MAYBE 2 * (噪 PHRASE 4 音
// PHRASE 4 扰 PHRASE 4 民)))"; "Query()" for a pass that is not run.
struct QueryDescription {
  std::string exact;
  std::string strict;
  std::string concept_;
  std::string relaxed;
  std::string fill;
  std::string nearby;
  std::string partial;
};
QueryDescription describe(const QueryPlan& plan);

}  // namespace search
