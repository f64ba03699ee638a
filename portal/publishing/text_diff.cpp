#include "portal/publishing/text_diff.h"

#include <algorithm>
#include <cstdint>

#include "base/utf8.h"

namespace portal::publishing {

namespace {

using Kind = TextDiffRun::Kind;

// Splits UTF-8 into characters; a malformed byte is one of its own (the texts compared here
// were validated when they were saved).
std::vector<std::string_view> characters(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = base::utf8SequenceLength(static_cast<unsigned char>(s[i]));
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

void append(std::vector<TextDiffRun>& runs, Kind kind, std::string_view text) {
  if (text.empty()) return;
  if (!runs.empty() && runs.back().kind == kind) {
    runs.back().text += text;
  } else {
    runs.push_back({kind, std::string(text)});
  }
}

// A Same run of one character between two changes becomes part of both sides of the change.
std::vector<TextDiffRun> foldLoneMatches(std::vector<TextDiffRun> runs) {
  for (bool again = true; again;) {
    again = false;
    for (std::size_t i = 1; i + 1 < runs.size(); ++i) {
      if (runs[i].kind != Kind::Same || base::utf8Length(runs[i].text) > 1) continue;
      if (runs[i - 1].kind == Kind::Same || runs[i + 1].kind == Kind::Same) continue;
      // ... [changes] x [changes] ... → gather removals and additions around x.
      std::size_t first = i - 1;
      while (first > 0 && runs[first - 1].kind != Kind::Same) --first;
      std::size_t last = i + 1;
      while (last + 1 < runs.size() && runs[last + 1].kind != Kind::Same) ++last;
      std::string removed, added;
      for (std::size_t k = first; k <= last; ++k) {
        if (runs[k].kind != Kind::Added) removed += runs[k].text;
        if (runs[k].kind != Kind::Removed) added += runs[k].text;
      }
      std::vector<TextDiffRun> merged(runs.begin(), runs.begin() + static_cast<long>(first));
      merged.push_back({Kind::Removed, removed});
      merged.push_back({Kind::Added, added});
      merged.insert(merged.end(), runs.begin() + static_cast<long>(last) + 1, runs.end());
      runs = std::move(merged);
      again = true;
      break;
    }
  }
  return runs;
}

// Each stretch of changes between two Same runs as one removal followed by one addition.
std::vector<TextDiffRun> groupChanges(const std::vector<TextDiffRun>& runs) {
  std::vector<TextDiffRun> out;
  std::string removed, added;
  auto flush = [&] {
    append(out, Kind::Removed, removed);
    append(out, Kind::Added, added);
    removed.clear();
    added.clear();
  };
  for (const auto& r : runs) {
    if (r.kind == Kind::Same) {
      flush();
      append(out, Kind::Same, r.text);
    } else {
      (r.kind == Kind::Removed ? removed : added) += r.text;
    }
  }
  flush();
  return out;
}

}  // namespace

std::vector<TextDiffRun> diffText(std::string_view before, std::string_view after,
                                  std::size_t max_cells) {
  const auto a = characters(before);
  const auto b = characters(after);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<TextDiffRun> runs;
  for (std::size_t i = 0; i < prefix; ++i) append(runs, Kind::Same, a[i]);

  const std::size_t n = a.size() - prefix - suffix;
  const std::size_t m = b.size() - prefix - suffix;
  std::vector<TextDiffRun> middle;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > max_cells) {
    for (std::size_t i = 0; i < n; ++i) append(middle, Kind::Removed, a[prefix + i]);
    for (std::size_t j = 0; j < m; ++j) append(middle, Kind::Added, b[prefix + j]);
  } else {
    // lcs[i][j]: the longest common subsequence of the middles' tails from i and j.
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1
                                                  : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        append(middle, Kind::Same, a[prefix + i]);
        ++i, ++j;
      } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
        append(middle, Kind::Added, b[prefix + j]);
        ++j;
      } else {
        append(middle, Kind::Removed, a[prefix + i]);
        ++i;
      }
    }
    middle = groupChanges(foldLoneMatches(groupChanges(middle)));
  }
  for (auto& r : middle) append(runs, r.kind, r.text);
  for (std::size_t i = a.size() - suffix; i < a.size(); ++i) append(runs, Kind::Same, a[i]);
  return runs;
}

}  // namespace portal::publishing
