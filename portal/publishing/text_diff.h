#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace portal::publishing {

// One run of a character-level comparison of two texts.
struct TextDiffRun {
  enum class Kind { Same, Removed, Added };
  Kind kind = Kind::Same;
  std::string text;  // whole UTF-8 characters
};

// The runs that turn `before` into `after`, compared character by character (Unicode code
// points, so a Chinese character is one unit): Same runs are in both, Removed only in `before`,
// Added only in `after`. The common beginning and end are found first; the part in between is
// compared with a longest-common-subsequence table of at most `max_cells` entries (memory is
// bounded: beyond it that part is one removal and one addition). Lone matching characters
// between changes (a 的 or 和 common to two different sentences) are folded into the change,
// so a rewritten phrase reads as one removal and one addition. Pure, thread safe.
std::vector<TextDiffRun> diffText(std::string_view before, std::string_view after,
                                  std::size_t max_cells = 4'000'000);

}  // namespace portal::publishing
