#pragma once

#include <optional>
#include <string>
#include <string_view>

// Traditional Chinese read as simplified. The index holds simplified text only, so a query typed
// with a traditional input method or pasted from a Hong Kong, Taiwan or Macau page (飯店油煙擾民)
// is searched in simplified characters (饭店油烟扰民), and the page says so.

namespace search {

// `text` in simplified characters, or nullopt when it holds no traditional character (nothing
// would change). Conversion is OpenCC's t2s (Debian's libopencc 1.1.6: traditional phrases
// first, then characters), plus the few characters that upstream OpenCC converts since and
// 1.1.6 does not (擡 -> 抬, 舖 -> 铺, ...). A character OpenCC would turn into a rare form outside
// the Basic Multilingual Plane, which nobody types and the index never holds (噁 in 二噁英), is
// kept as typed. Only stretches of non-ASCII text are converted; ASCII is kept byte for byte
// and invalid UTF-8 bytes are dropped. Mixed text converts its traditional part only.
//
// Simplified text comes back as nullopt: none of the 2,517 simplified queries of the benchmark
// and the citizen query sets' tune halves changes (docs/search.md). Rare simplified spellings
// that t2s does change exist (the surname 於 -> 于, 夥 -> 伙); they are left to OpenCC.
//
// Thread safety: safe from any thread. The converter is loaded once per process, on the first
// call, and only read afterwards (OpenCC's Converter::Convert is const and keeps no state
// between calls). Throws SearchError (Kind::Config) when OpenCC's t2s configuration or its
// dictionaries cannot be loaded (package libopencc-data missing); a later call tries again.
std::optional<std::string> toSimplified(std::string_view text);

// Loads the converter now, so that a missing dictionary stops a server at start rather than
// failing its first search. Throws as toSimplified().
void loadSimplifiedScript();

}  // namespace search
