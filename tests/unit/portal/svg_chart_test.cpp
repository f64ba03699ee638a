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
  EXPECT_NE(svg.find("width=\"360.0\""), std::string::npos) << "the largest bar fills the width";
  EXPECT_NE(svg.find("width=\"120.0\""), std::string::npos) << "a third of it";
}

TEST(SvgChart, EmptyAndZeroDataDrawNoBrokenBars) {
  const std::string none = columnChart("按月份", {});
  EXPECT_NE(none.find("</svg>"), std::string::npos);
  const std::string zero = columnChart("按月份", {{"26-01", 0, "0"}});
  EXPECT_NE(zero.find("height=\"0.0\""), std::string::npos);
  EXPECT_EQ(zero.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace portal::web
