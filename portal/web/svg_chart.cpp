#include "portal/web/svg_chart.h"

#include <algorithm>
#include <cstdio>

#include "base/utf8.h"
#include "portal/web/xml.h"

namespace portal::web {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr int kFontUnits = 13;  // the text's size in the viewBox's units

// Approximate width of `text` at the chart's 13-unit font: CJK glyphs are square, Latin narrower.
int textWidth(const std::string& text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = base::utf8SequenceLength(static_cast<unsigned char>(text[i]));
    width += len >= 3 ? 13 : 8;
    i += len;
  }
  return width;
}

double maxOf(const std::vector<ChartBar>& bars) {
  double m = 0;
  for (const auto& b : bars) m = std::max(m, b.value);
  return m;
}

// The chart's size in em of its own text, so its labels stay at the chart's font size
// (site.css: a little smaller than the page's text) and grow with the large-text mode, instead
// of shrinking with the page width; site.css lets a chart narrow to fit a phone.
std::string em(int units) { return num(units / static_cast<double>(kFontUnits)) + "em"; }

std::string header(const std::string& title, int width, int height, std::size_t bars) {
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" width=\"" + em(width) +
         "\" height=\"" + em(height) + "\" role=\"img\">" + "<title>" + xmlEscape(title) +
         "</title><desc>" + std::to_string(bars) + " 项数据，数值见各条末尾。</desc>";
}

}  // namespace

// Each row: the label on its own line, the bar under it with its value at the end. Labels above
// the bars keep the chart narrow (about 300 units) so that it fits a phone at full text size.
std::string horizontalBarChart(const std::string& title, const std::vector<ChartBar>& bars,
                               double max_value) {
  constexpr int kBarArea = 240;
  constexpr int kRow = 42;
  int label_width = 60;
  int value_width = 40;
  for (const auto& b : bars) {
    label_width = std::max(label_width, textWidth(b.label) + 8);
    value_width = std::max(value_width, textWidth(b.value_label) + 12);
  }
  // Long value labels ("1 即将到期 / 0 已过期") take from the bars, not from the phone's width:
  // a 407-unit chart was shrunk to 9 px labels on a 390 px screen.
  const int bar_area = std::clamp(300 - value_width, 120, kBarArea);
  const int width = std::max(label_width, bar_area + value_width) + 8;
  const int height = std::max<int>(kRow, static_cast<int>(bars.size()) * kRow) + 6;
  const double max = max_value > 0 ? max_value : std::max(1.0, maxOf(bars));
  std::string svg = header(title, width, height, bars.size());
  int y = 2;
  for (const auto& b : bars) {
    const double w = std::clamp(b.value / max, 0.0, 1.0) * bar_area;
    svg += "<g><text x=\"4\" y=\"" + std::to_string(y + 14) + "\">" + xmlEscape(b.label) +
           "</text>";
    svg += "<rect x=\"4\" y=\"" + std::to_string(y + 20) + "\" width=\"" + num(w) +
           "\" height=\"14\"/>";
    svg += "<text x=\"" + num(4 + w + 6) + "\" y=\"" + std::to_string(y + 32) + "\">" +
           xmlEscape(b.value_label) + "</text></g>";
    y += kRow;
  }
  return svg + "</svg>";
}

}  // namespace portal::web
