#pragma once

#include <cstddef>
#include <string_view>

namespace search::detail {

// Calls `each(line_no, line)` for every line of a shipped data table (synonyms, concepts,
// situations: TSV) that is neither blank nor a '#' comment, a trailing CR removed. Line numbers
// count from 1, for the error messages.
template <typename Each>
void forEachDataLine(std::string_view tsv, Each&& each) {
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    std::size_t eol = tsv.find('\n', pos);
    if (eol == std::string_view::npos) eol = tsv.size();
    std::string_view line = tsv.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || line[0] == '#') continue;
    each(line_no, line);
  }
}

}  // namespace search::detail
