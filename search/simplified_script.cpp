#include "search/simplified_script.h"

#include <exception>
#include <memory>
#include <opencc/SimpleConverter.hpp>
#include <vector>

#include "search/detail/utf8.h"
#include "search/search_error.h"

namespace search {

namespace {

using detail::appendUtf8;
using detail::decodeUtf8;
using detail::kInvalidCodePoint;

// OpenCC finds the configuration (and the dictionaries it names) in its data directory,
// /usr/share/opencc on Debian.
constexpr const char* kConfig = "t2s.json";

// Characters upstream OpenCC converts in t2s, each to one simplified character only, that
// Debian 12's 1.1.6 leaves as they are (data/dictionary/TSCharacters.txt at BYVoid/OpenCC
// 5249273, 2026-08, against ver.1.1.6). 擡 and 舖 are how Hong Kong writes 抬 and 铺 (店舖).
constexpr std::pair<char32_t, char32_t> kNewerUpstream[] = {
    {U'幷', U'并'}, {U'拚', U'拼'}, {U'搧', U'扇'}, {U'擡', U'抬'},
    {U'舖', U'铺'}, {U'貍', U'狸'}, {U'遶', U'绕'}};

// Only a stretch holding one of these can hold a traditional character.
bool mayBeHan(char32_t cp) { return cp >= 0x2E80; }

const opencc::SimpleConverter& converter() {
  static const std::unique_ptr<const opencc::SimpleConverter> instance = [] {
    try {
      return std::make_unique<const opencc::SimpleConverter>(kConfig);
    } catch (const std::exception& e) {
      throw SearchError(SearchError::Kind::Config,
                        std::string("OpenCC ") + kConfig + " cannot be loaded: " + e.what());
    }
  }();
  return *instance;
}

std::vector<char32_t> codePointsOf(std::string_view valid_utf8) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < valid_utf8.size();) out.push_back(decodeUtf8(valid_utf8, i));
  return out;
}

// Appends the simplified form of `typed` (valid UTF-8 without ASCII) to `out`.
void appendSimplified(const std::vector<char32_t>& typed, std::string& out) {
  std::string utf8;
  bool han = false;
  for (char32_t cp : typed) {
    appendUtf8(utf8, cp);
    han = han || mayBeHan(cp);
  }
  if (!han) {
    out += utf8;
    return;
  }
  std::vector<char32_t> converted;
  try {
    converted = codePointsOf(converter().Convert(utf8));
  } catch (const SearchError&) {
    throw;
  } catch (const std::exception& e) {
    throw SearchError(SearchError::Kind::Internal, std::string("OpenCC conversion: ") + e.what());
  }
  // t2s maps every phrase and character to one of the same length, so the two line up; were
  // they ever not to, the conversion is taken as it is.
  const bool aligned = converted.size() == typed.size();
  for (std::size_t i = 0; i < converted.size(); ++i) {
    char32_t cp = converted[i];
    if (aligned && cp != typed[i] && cp > 0xFFFF) cp = typed[i];
    for (const auto& [traditional, simplified] : kNewerUpstream) {
      if (cp == traditional) cp = simplified;
    }
    appendUtf8(out, cp);
  }
}

}  // namespace

std::optional<std::string> toSimplified(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::string typed_valid;  // `text` without invalid bytes, to tell whether anything changed
  typed_valid.reserve(text.size());
  std::vector<char32_t> stretch;
  for (std::size_t i = 0; i <= text.size();) {
    const bool end = i == text.size();
    const char32_t cp = end ? U'\0' : decodeUtf8(text, i);
    if (cp == kInvalidCodePoint) continue;
    if (!end && cp >= 0x80) {
      stretch.push_back(cp);
      appendUtf8(typed_valid, cp);
      continue;
    }
    if (!stretch.empty()) appendSimplified(stretch, out);
    stretch.clear();
    if (end) break;
    out += static_cast<char>(cp);
    typed_valid += static_cast<char>(cp);
  }
  if (out == typed_valid) return std::nullopt;
  return out;
}

void loadSimplifiedScript() { converter(); }

}  // namespace search
