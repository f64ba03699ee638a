#pragma once

#include <string>
#include <string_view>
#include <vector>

// Post-processing of Xapian snippets. Pure functions, safe from any thread.

namespace search {

// Turns a snippet from Xapian::MSet::snippet (text already escaped for & < >, matches
// wrapped in hi_start/hi_end) into HTML for the page: adjacent highlights merged into one
// <mark>…</mark> (<b>依</b><b>法</b> -> <mark>依法</mark>), quotes escaped, and, when
// `drop_lone_characters`, a highlight of a single character that touches no other highlight
// unwrapped (it is noise from the n-gram matching).
// Every occurrence of one of `needles` (normalised text: lower case, half-width; what the
// highlight query asks for, a bigram as its two characters) is marked too. Xapian marks the
// phrases of a run one after another, each starting after the last one it marked, so of
// 消费者投诉 asked as its bigrams it marked 消费 and 者投 and left 诉 out: the last character
// of every run of odd length (排放污染物 showed as 排放污染 marked).
std::string tidySnippet(std::string_view xapian_snippet, std::string_view hi_start = "<b>",
                        std::string_view hi_end = "</b>", bool drop_lone_characters = true,
                        const std::vector<std::string>& needles = {});

}  // namespace search
