#pragma once

#include <string>
#include <vector>

namespace portal::web {

// Charts drawn on the server as inline SVG: no JavaScript, readable by screen readers (a
// <title> and <desc>, and every bar labelled with its value), printable. Text is escaped.

struct ChartBar {
  std::string label;  // category: a department, a month
  double value = 0;
  std::string value_label;  // shown at the end of the bar, e.g. "12" or "91.7%"
};

// Horizontal bars, one row per category (label above its bar), scaled to `max_value` (the
// largest value when 0). Sized in em, so it grows with the page's text.
std::string horizontalBarChart(const std::string& title, const std::vector<ChartBar>& bars,
                               double max_value = 0);

}  // namespace portal::web
