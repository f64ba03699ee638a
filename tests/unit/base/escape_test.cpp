#include "base/escape.h"

#include <gtest/gtest.h>

namespace {

TEST(Escape, XmlEscapesAllFiveCharacters) {
  EXPECT_EQ(base::xmlEscape("<a href=\"x\">'城管&执法'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;城管&amp;执法&apos;&lt;/a&gt;");
}

TEST(Escape, HtmlUsesTheHtml4ApostropheEntity) {
  EXPECT_EQ(base::htmlEscape("<b>'&'</b>"), "&lt;b&gt;&#39;&amp;&#39;&lt;/b&gt;");
  EXPECT_EQ(base::htmlEscape("户外广告"), "户外广告");
}

TEST(Escape, JsonEscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(base::jsonEscape("他说\"停\"\\"), "他说\\\"停\\\"\\\\");
  EXPECT_EQ(base::jsonEscape("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(base::jsonEscape(std::string("\x01\x1F", 2)), "\\u0001\\u001f");
  // UTF-8 and DEL are copied: JSON allows them unescaped.
  EXPECT_EQ(base::jsonEscape("举报\x7F"), "举报\x7F");
}

}  // namespace
