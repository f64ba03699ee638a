#include "portal/web/svg_chart.h"

#include <gtest/gtest.h>

namespace portal::web {
namespace {

TEST(SvgChart, LabelsAreEscapedAndEveryBarCarriesItsValue) {
  const std::string svg = horizontalBarChart(
      "各部门<公开>决定数", {{"<script>alert(1)</script>", 3, "3"}, {"新区生态环境分局", 1, "1"}});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("<title>各部门&lt;公开&gt;决定数</title>"), std::string::npos);
  EXPECT_NE(svg.find(">新区生态环境分局</text>"), std::string::npos);
  EXPECT_NE(svg.find("width=\"240.0\""), std::string::npos) << "the largest bar fills the width";
  EXPECT_NE(svg.find("width=\"80.0\""), std::string::npos) << "a third of it";
}

TEST(SvgChart, EmptyAndZeroDataDrawNoBrokenBars) {
  const std::string none = horizontalBarChart("按月份", {});
  EXPECT_NE(none.find("</svg>"), std::string::npos);
  const std::string zero = horizontalBarChart("按月份", {{"26-01", 0, "0"}});
  EXPECT_NE(zero.find("width=\"0.0\""), std::string::npos);
  EXPECT_EQ(zero.find("nan"), std::string::npos);
}

// Labels 13 units high, the chart sized in em of that: at the page's text size the labels are
// the chart's font size on every screen that fits it, and grow with the large-text mode
// (issue 15: 5-8 px labels on a phone when the chart was scaled to the page width).
TEST(SvgChart, SizedInEmSoLabelsGrowWithTheText) {
  const std::string svg = horizontalBarChart("各部门", {{"新区城市管理综合行政执法局", 4, "4"}});
  EXPECT_NE(svg.find("viewBox=\"0 0 288 48\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("width=\"22.2em\" height=\"3.7em\""), std::string::npos) << svg;
}

// The certificates chart's values are long ("1 即将到期 / 0 已过期"): the bars give way, so the
// chart stays about as wide as the others and its labels keep their size on a phone.
TEST(SvgChart, LongValueLabelsShortenTheBarsNotTheText) {
  const std::string svg = horizontalBarChart(
      "各部门即将到期或已过期的执法证件",
      {{"新区综合行政执法局", 1, "1 即将到期 / 0 已过期"}, {"新区市场监督管理局", 2, "0 即将到期 / 2 已过期"}});
  const auto at = svg.find("viewBox=\"0 0 ");
  ASSERT_NE(at, std::string::npos);
  const int width = std::stoi(svg.substr(at + std::string("viewBox=\"0 0 ").size()));
  EXPECT_LE(width, 310) << svg;
  EXPECT_NE(svg.find("0 即将到期 / 2 已过期</text>"), std::string::npos);
}

}  // namespace
}  // namespace portal::web
