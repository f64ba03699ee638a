#include "portal/web/svg_chart.h"

#include <algorithm>
#include <cstdio>

#include "portal/web/xml.h"

namespace portal::web {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Approximate width of `text` at the chart's 13px font: CJK glyphs are square, Latin narrower.
int textWidth(const std::string& text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
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

std::string header(const std::string& title, int width, int height, std::size_t bars) {
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" role=\"img\">" +
         "<title>" + xmlEscape(title) + "</title><desc>" + std::to_string(bars) +
         " 项数据，数值见各条末尾。</desc>";
}

}  // namespace

std::string horizontalBarChart(const std::string& title, const std::vector<ChartBar>& bars,
                               double max_value) {
  constexpr int kBarArea = 360;
  constexpr int kRow = 28;
  int label_width = 60;
  int value_width = 40;
  for (const auto& b : bars) {
    label_width = std::max(label_width, textWidth(b.label) + 16);
    value_width = std::max(value_width, textWidth(b.value_label) + 12);
  }
  const int kLabelWidth = label_width;
  const int width = kLabelWidth + kBarArea + value_width;
  const int height = std::max<int>(kRow, static_cast<int>(bars.size()) * kRow) + 8;
  const double max = max_value > 0 ? max_value : std::max(1.0, maxOf(bars));
  std::string svg = header(title, width, height, bars.size());
  int y = 4;
  for (const auto& b : bars) {
    const double w = std::clamp(b.value / max, 0.0, 1.0) * kBarArea;
    svg += "<g><text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" +
           std::to_string(y + 18) + "\" text-anchor=\"end\">" + xmlEscape(b.label) + "</text>";
    svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + num(w) + "\" height=\"" + std::to_string(kRow - 10) + "\"/>";
    svg += "<text x=\"" + num(kLabelWidth + w + 6) + "\" y=\"" + std::to_string(y + 18) + "\">" +
           xmlEscape(b.value_label) + "</text></g>";
    y += kRow;
  }
  return svg + "</svg>";
}

std::string columnChart(const std::string& title, const std::vector<ChartBar>& bars) {
  constexpr int kColumn = 44;
  constexpr int kPlot = 160;
  constexpr int kTop = 20;
  const int width = std::max<int>(kColumn, static_cast<int>(bars.size()) * kColumn) + 20;
  const int height = kTop + kPlot + 40;
  const double max = std::max(1.0, maxOf(bars));
  std::string svg = header(title, width, height, bars.size());
  int x = 10;
  for (const auto& b : bars) {
    const double h = std::clamp(b.value / max, 0.0, 1.0) * kPlot;
    const double top = kTop + kPlot - h;
    const std::string cx = std::to_string(x + kColumn / 2);
    svg += "<g><rect x=\"" + std::to_string(x + 8) + "\" y=\"" + num(top) + "\" width=\"" +
           std::to_string(kColumn - 16) + "\" height=\"" + num(h) + "\"/>";
    svg += "<text x=\"" + cx + "\" y=\"" + num(top - 4) + "\" text-anchor=\"middle\">" +
           xmlEscape(b.value_label) + "</text>";
    svg += "<text x=\"" + cx + "\" y=\"" + std::to_string(kTop + kPlot + 18) +
           "\" text-anchor=\"middle\" class=\"axis\">" + xmlEscape(b.label) + "</text></g>";
    x += kColumn;
  }
  return svg + "</svg>";
}

}  // namespace portal::web
