#pragma once

#include <string>
#include <string_view>

// Post-processing of Xapian snippets. Pure functions, safe from any thread.

namespace search {

// Turns a snippet from Xapian::MSet::snippet (text already escaped for & < >, matches
// wrapped in hi_start/hi_end) into HTML for the page: adjacent highlights merged into one
// <mark>…</mark> (<b>依</b><b>法</b> -> <mark>依法</mark>), quotes escaped, and, when
// `drop_lone_characters`, a highlight of a single character that touches no other highlight
// unwrapped (it is noise from the n-gram matching).
std::string tidySnippet(std::string_view xapian_snippet, std::string_view hi_start = "<b>",
                        std::string_view hi_end = "</b>", bool drop_lone_characters = true);

}  // namespace search
