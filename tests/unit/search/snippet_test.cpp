#include "search/snippet.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/escape.h"

namespace search {
namespace {

struct SnippetCase {
  std::string raw;
  std::string expected;
};

TEST(TidySnippet, MergesAdjacentHighlightsAndDropsLoneCharacters) {
  const std::vector<SnippetCase> cases = {
      {"<b>依</b><b>法</b>行政", "<mark>依法</mark>行政"},
      {"对<b>建筑</b><b>施工</b>单位", "对<mark>建筑施工</mark>单位"},
      {"依<b>法</b>行政", "依法行政"},  // isolated single character
      {"<b>噪声</b>与<b>法</b>", "<mark>噪声</mark>与法"},
      {"<b>a</b><b>b</b> c", "<mark>ab</mark> c"},
      {"no highlight", "no highlight"},
      {"", ""},
      {"<b>&amp;</b>", "&amp;"},  // an entity is one character
      {"say \"<b>噪声</b>\" & 'x'", "say &quot;<mark>噪声</mark>&quot; & &#39;x&#39;"},
      {"...<b>户外</b><b>广告</b>...", "...<mark>户外广告</mark>..."},
      {"<b>未闭合", "未闭合"},  // defensive: unmatched start
  };
  for (const auto& c : cases) EXPECT_EQ(tidySnippet(c.raw), c.expected) << c.raw;
}

TEST(TidySnippet, KeepsLoneCharactersWhenAskedAndTakesOtherMarkers) {
  EXPECT_EQ(tidySnippet("依<b>法</b>行政", "<b>", "</b>", false), "依<mark>法</mark>行政");
  EXPECT_EQ(tidySnippet("[噪][声]扰民", "[", "]"), "<mark>噪声</mark>扰民");
}

// Xapian marks the bigram phrases of 消费者投诉 one after another (消费, then 者投) and leaves
// the last character of a run of odd length unmarked; every needle occurrence is marked.
TEST(TidySnippet, MarksEveryOccurrenceOfTheQuerysWordsInFull) {
  const std::vector<std::string> bigrams = {"消费", "费者", "者投", "投诉"};
  EXPECT_EQ(tidySnippet("<b>消费</b><b>者投</b>诉处理", "<b>", "</b>", true, bigrams),
            "<mark>消费者投诉</mark>处理");
  EXPECT_EQ(tidySnippet("受理<b>消费</b><b>者投</b>诉，答复<b>投诉</b>人", "<b>", "</b>", true, bigrams),
            "受理<mark>消费者投诉</mark>，答复<mark>投诉</mark>人");
  const std::vector<std::string> pollutant = {"排放", "放污", "污染", "染物"};
  EXPECT_EQ(tidySnippet("违法<b>排放</b><b>污染</b>物的", "<b>", "</b>", true, pollutant),
            "违法<mark>排放污染物</mark>的");
  // Words compare without case and width; entities and quotes stay escaped and unmarked.
  EXPECT_EQ(tidySnippet("ＫＴＶ &amp; \"ktv\"", "<b>", "</b>", true, {"ktv"}),
            "<mark>ＫＴＶ</mark> &amp; &quot;<mark>ktv</mark>&quot;");
  // What Xapian marked stays marked; a lone character is still dropped.
  EXPECT_EQ(tidySnippet("<b>噪声</b>扰民", "<b>", "</b>", true, {"扰民"}), "<mark>噪声扰民</mark>");
  EXPECT_EQ(tidySnippet("依法行政", "<b>", "</b>", true, {"法"}), "依法行政");
  EXPECT_EQ(tidySnippet("依法行政", "<b>", "</b>", false, {"法"}), "依<mark>法</mark>行政");
}

// A number or a Latin word of the query is a whole term to Xapian: 500 is not marked inside
// 5000, nor app inside whatsapp; next to a CJK character it is whole (ＡＰＰ下载).
TEST(TidySnippet, MarksANumberOrLatinWordOnlyWhereItStandsWhole) {
  EXPECT_EQ(tidySnippet("罚款<b>500</b>元，另处罚款5000元、1500元", "<b>", "</b>", true, {"500"}),
            "罚款<mark>500</mark>元，另处罚款5000元、1500元");
  EXPECT_EQ(tidySnippet("用<b>app</b>投诉，不用whatsapp；ＡＰＰ下载", "<b>", "</b>", true, {"app"}),
            "用<mark>app</mark>投诉，不用whatsapp；<mark>ＡＰＰ</mark>下载");
  // A CJK needle still matches anywhere, and a Latin one after an entity.
  EXPECT_EQ(tidySnippet("&amp;app 消费者投诉", "<b>", "</b>", true, {"app", "投诉"}),
            "&amp;<mark>app</mark> 消费者<mark>投诉</mark>");
}

TEST(EscapeHtml, EscapesAllFive) {
  EXPECT_EQ(base::htmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(base::htmlEscape("户外广告"), "户外广告");
}

}  // namespace
}  // namespace search
