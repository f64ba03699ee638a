#include "search/situation_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_set>
#include <utility>

#include "base/utf8.h"
#include "search/detail/data_lines.h"
#include "search/detail/utf8.h"
#include "search/query_pipeline.h"
#include "search/search_error.h"

namespace search {

namespace {

using detail::appendUtf8;
using detail::decodeUtf8;
using detail::isCjk;
using detail::kInvalidCodePoint;

bool onlyDigits(const std::string& word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> wordingsOf(const std::string& act) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t bar = act.find('|', from);
    std::string alt =
        normalize(std::string_view(act).substr(from, bar == std::string::npos ? bar : bar - from));
    if (!alt.empty() && std::find(out.begin(), out.end(), alt) == out.end())
      out.push_back(std::move(alt));
    if (bar == std::string::npos) break;
    from = bar + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> situationFeaturesOf(std::string_view normalized) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  const auto add = [&](std::string f) {
    if (!f.empty() && seen.insert(f).second) out.push_back(std::move(f));
  };
  std::string prev;  // the previous CJK character of the current run
  std::string word;  // the current non-CJK word
  const auto endWord = [&] {
    if (!word.empty() && !onlyDigits(word)) add(word);
    word.clear();
  };
  for (std::size_t i = 0; i < normalized.size();) {
    const char32_t cp = decodeUtf8(normalized, i);
    if (cp == kInvalidCodePoint) continue;
    if (cp == U' ') {
      endWord();
      prev.clear();
      continue;
    }
    if (!isCjk(cp)) {
      prev.clear();
      appendUtf8(word, cp);
      continue;
    }
    endWord();
    std::string ch;
    appendUtf8(ch, cp);
    add(ch);
    if (!prev.empty()) add(prev + ch);
    prev = std::move(ch);
  }
  endWord();
  return out;
}

std::vector<SituationExample> SituationModel::parseTsv(std::string_view tsv) {
  std::vector<SituationExample> out;
  detail::forEachDataLine(tsv, [&](std::size_t line_no, std::string_view line) {
    const auto fail = [&](const std::string& why) {
      throw SearchError(SearchError::Kind::Config,
                        "situations line " + std::to_string(line_no) + ": " + why);
    };
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) fail("expected act<TAB>sentence<TAB>source");
    SituationExample e{base::trim(line.substr(0, tab1)),
                       base::trim(line.substr(tab1 + 1, tab2 - tab1 - 1)),
                       base::trim(line.substr(tab2 + 1))};
    if (e.act != kNoAct && wordingsOf(e.act).empty()) fail("no act");
    if (normalize(e.sentence).empty()) fail("no sentence");
    if (e.source.empty()) fail("no source for \"" + e.sentence + "\"");
    out.push_back(std::move(e));
  });
  return out;
}

SituationModel SituationModel::fromTsv(std::string_view tsv, SituationModelOptions options,
                                       const std::vector<std::string>& cues) {
  return SituationModel(parseTsv(tsv), options, cues);
}

std::vector<std::string> SituationModel::featuresOf(std::string_view normalized) const {
  std::vector<std::string> out = situationFeaturesOf(normalized);
  if (cues_.empty()) return out;
  // The cue words starting with each character are compared there; a cue counts once all of
  // its words were found.
  std::vector<std::size_t> found(cues_.size(), 0);
  std::vector<bool> seen(cue_words_.size(), false);
  for (std::size_t i = 0; i < normalized.size();) {
    const std::size_t start = i;
    const auto it = words_by_first_.find(decodeUtf8(normalized, i));
    if (it == words_by_first_.end()) continue;
    for (const std::size_t w : it->second) {
      const CueWord& word = cue_words_[w];
      if (seen[w] || normalized.compare(start, word.text.size(), word.text) != 0) continue;
      seen[w] = true;
      for (const std::size_t cue : word.cues) {
        if (++found[cue] == cue_sizes_[cue]) out.push_back("=" + cues_[cue]);
      }
    }
  }
  return out;
}

// Each act is a bag of pages (the sentences of one source page for one act count as one
// unit, so a page quoted five times is not five witnesses). For a feature f and act c:
//   p(f)   = units showing f / all units                       (the background)
//   P(f|c) = (units of c showing f + smoothing * p(f)) / (units of c + smoothing)
// and a text's evidence for c is the sum over its known features of log(P(f|c) / p(f)),
// single characters weighted by unigram_weight, each ratio at most max_log_ratio.
SituationModel::SituationModel(const std::vector<SituationExample>& examples,
                               SituationModelOptions options, const std::vector<std::string>& cues)
    : options_(options) {
  std::unordered_map<std::string, std::size_t> word_index;
  std::unordered_set<std::string> known_cues;
  for (const std::string& cue : cues) {
    if (!known_cues.insert(cue).second) continue;
    std::vector<std::string> words;
    std::size_t chars = 0;
    std::size_t from = 0;
    for (;;) {
      const std::size_t sp = cue.find(' ', from);
      std::string word = cue.substr(from, sp == std::string::npos ? sp : sp - from);
      if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end()) {
        chars += base::utf8Length(word);
        words.push_back(std::move(word));
      }
      if (sp == std::string::npos) break;
      from = sp + 1;
    }
    if (chars < 2) continue;  // a single character is a feature already
    for (std::string& word : words) {
      auto [it, added] = word_index.emplace(word, cue_words_.size());
      if (added) {
        std::size_t at = 0;
        words_by_first_[decodeUtf8(word, at)].push_back(cue_words_.size());
        cue_words_.push_back(CueWord{std::move(word), {}});
      }
      cue_words_[it->second].cues.push_back(cues_.size());
    }
    cue_sizes_.push_back(words.size());
    cues_.push_back(cue);
  }

  // Features are numbered once, so the counting below works on small integers; the model is
  // built once per process, but the leave-source-out check builds it once per source page.
  std::unordered_map<std::string, std::uint32_t> feature_id;
  std::vector<std::string> feature_name;
  std::map<std::string, std::size_t> act_index;
  std::map<std::string, std::size_t> source_index;
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::uint32_t>>
      units;  // (act, source) -> features
  for (const SituationExample& e : examples) {
    auto [it, added] = act_index.emplace(e.act, acts_.size());
    if (added) {
      const bool none = e.act == kNoAct;
      acts_.push_back(Act{e.act, none ? std::vector<std::string>{} : wordingsOf(e.act), 0, none});
    }
    const std::size_t source = source_index.emplace(e.source, source_index.size()).first->second;
    auto& unit = units[{it->second, source}];
    for (auto& f : featuresOf(normalize(e.sentence))) {
      auto [id, fresh] = feature_id.emplace(std::move(f), feature_name.size());
      if (fresh) feature_name.push_back(id->first);
      unit.push_back(id->second);
    }
  }
  examples_ = examples.size();
  sources_ = source_index.size();
  if (units.empty()) return;

  std::vector<double> units_of(acts_.size(), 0);
  // feature -> (act, units of that act showing it), acts ascending: the units come act by act.
  std::vector<std::vector<std::pair<std::size_t, double>>> shown(feature_name.size());
  std::vector<std::pair<std::size_t, const std::vector<std::uint32_t>*>> by_source;
  for (auto& [key, features] : units) {
    std::sort(features.begin(), features.end());
    features.erase(std::unique(features.begin(), features.end()), features.end());
    units_of[key.first] += 1;
    for (const std::uint32_t f : features) {
      if (shown[f].empty() || shown[f].back().first != key.first)
        shown[f].push_back({key.first, 0});
      shown[f].back().second += 1;
    }
    by_source.push_back({key.second, &features});
  }
  // Distinct source pages showing each feature (one page may hold units of several acts).
  std::stable_sort(by_source.begin(), by_source.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> pages(feature_name.size(), 0);
  std::vector<std::size_t> last_page(feature_name.size(), source_index.size());
  for (const auto& [source, features] : by_source) {
    for (const std::uint32_t f : *features) {
      if (last_page[f] == source) continue;
      last_page[f] = source;
      ++pages[f];
    }
  }
  const double all = static_cast<double>(units.size());
  const double mu = options_.smoothing;
  for (std::size_t c = 0; c < acts_.size(); ++c)
    acts_[c].absent = std::log(mu / (units_of[c] + mu));
  double plain_total = 0, weighted_total = 0;
  for (std::size_t f = 0; f < feature_name.size(); ++f) {
    if (pages[f] < options_.min_sources) continue;
    double total = 0;
    for (const auto& [c, n] : shown[f]) total += n;
    const double background = total / all;
    Feature feature;
    const std::string& name = feature_name[f];
    const std::size_t chars = base::utf8Length(name);
    const bool single_cjk = chars == 1 && static_cast<unsigned char>(name[0]) >= 0x80;
    feature.weight = single_cjk ? options_.unigram_weight : 1.0;
    feature.long_weight = feature.weight;
    if (options_.specificity_power > 0) {
      // Entropy of the feature's rate in each class (the share of its units showing it),
      // shrunk toward the even spread by specificity_prior units against its `total` units:
      //   q(c) = (total * rate(c) / sum of rates + prior / classes) / (total + prior).
      double sum = 0, entropy = 0;
      for (const auto& [c, n] : shown[f]) sum += n / units_of[c];
      const double classes = static_cast<double>(acts_.size());
      const double prior = options_.specificity_prior;
      for (const auto& [c, n] : shown[f]) {
        const double q = (total * (n / units_of[c] / sum) + prior / classes) / (total + prior);
        entropy -= q * std::log(q);
      }
      if (prior > 0 && shown[f].size() < acts_.size()) {
        const double q = prior / classes / (total + prior);  // each class not showing it
        entropy -= (classes - static_cast<double>(shown[f].size())) * q * std::log(q);
      }
      const double specificity = classes > 1 ? 1 - entropy / std::log(classes) : 1;
      feature.long_weight *= std::pow(std::max(specificity, 0.0), options_.specificity_power);
      plain_total += total * feature.weight;
      weighted_total += total * feature.long_weight;
    }
    for (const auto& [c, n] : shown[f]) {
      const double p = (n + mu * background) / (units_of[c] + mu);
      double log_ratio = std::log(p / background);
      if (options_.max_log_ratio > 0) log_ratio = std::min(log_ratio, options_.max_log_ratio);
      feature.present.push_back({c, log_ratio});
    }
    features_.emplace(name, std::move(feature));
  }
  if (weighted_total > 0) {
    const double scale = plain_total / weighted_total;
    for (auto& [name, feature] : features_) feature.long_weight *= scale;
  }
}

std::size_t SituationModel::actCount() const {
  return static_cast<std::size_t>(
      std::count_if(acts_.begin(), acts_.end(), [](const Act& a) { return !a.none; }));
}

namespace {

// Characters of a normalised text, the spaces not counted.
std::size_t charsOf(std::string_view normalized) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < normalized.size();) {
    const char32_t cp = decodeUtf8(normalized, i);
    if (cp != kInvalidCodePoint && cp != U' ') ++n;
  }
  return n;
}

}  // namespace

bool SituationModel::scoresOf(std::string_view normalized, std::vector<double>& score) const {
  score.assign(acts_.size(), 0);
  const bool long_text = options_.specificity_power > 0 &&
                         charsOf(normalized) > options_.specificity_min_chars;
  bool any = false;
  for (const auto& f : featuresOf(normalized)) {
    const auto it = features_.find(f);
    if (it == features_.end()) continue;
    any = true;
    const Feature& feature = it->second;
    const double weight = long_text ? feature.long_weight : feature.weight;
    for (std::size_t c = 0; c < acts_.size(); ++c) score[c] += weight * acts_[c].absent;
    for (const Presence& p : feature.present)
      score[p.act] += weight * (p.log_ratio - acts_[p.act].absent);
  }
  return any;
}

std::vector<std::pair<InferredAct, bool>> SituationModel::rankAll(
    std::string_view normalized) const {
  std::vector<double> score;
  std::vector<std::pair<InferredAct, bool>> out;
  if (!scoresOf(normalized, score)) return out;
  std::vector<std::size_t> order(acts_.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Act& act = acts_[order[i]];
    const double next = i + 1 < order.size() ? score[order[i + 1]] : 0.0;
    out.push_back({{act.label, act.formal, score[order[i]], score[order[i]] - next}, act.none});
  }
  return out;
}

std::vector<InferredAct> SituationModel::rank(std::string_view normalized) const {
  std::vector<InferredAct> out;
  for (auto& [act, none] : rankAll(normalized)) {
    if (!none) out.push_back(std::move(act));
  }
  return out;
}

// The first of the best-scoring classes, as rankAll() orders them, without building the rest.
std::optional<InferredAct> SituationModel::best(std::string_view normalized) const {
  std::vector<double> score;
  if (!scoresOf(normalized, score)) return std::nullopt;
  std::size_t best = 0;
  for (std::size_t c = 1; c < score.size(); ++c) {
    if (score[c] > score[best]) best = c;
  }
  double next = 0;
  bool has_next = false;
  for (std::size_t c = 0; c < score.size(); ++c) {
    if (c == best || (has_next && score[c] <= next)) continue;
    next = score[c];
    has_next = true;
  }
  const Act& act = acts_[best];
  if (act.none) return std::nullopt;
  return InferredAct{act.label, act.formal, score[best], score[best] - next};
}

bool SituationModel::accepts(const InferredAct& act) const {
  return act.score >= options_.min_score && act.margin >= options_.min_margin;
}

std::optional<InferredAct> SituationModel::classify(std::string_view normalized) const {
  std::optional<InferredAct> act = best(normalized);
  if (!act || !accepts(*act)) return std::nullopt;
  return act;
}

}  // namespace search
