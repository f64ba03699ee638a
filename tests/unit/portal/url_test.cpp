#include "portal/http/url.h"

#include <gtest/gtest.h>

namespace {

using portal::http::isValidUtf8;
using portal::http::parseQueryString;
using portal::http::percentDecode;
using portal::http::percentEncode;

TEST(PercentDecode, DecodesChineseAndPlus) {
  EXPECT_EQ(percentDecode("%E5%BB%BA%E7%AD%91+%E8%AE%B8%E5%8F%AF", true), "建筑 许可");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("/items/CF-ZHZF-0001", false), "/items/CF-ZHZF-0001");
}

TEST(PercentDecode, RejectsMalformedEscapesInvalidUtf8AndNul) {
  for (const char* bad : {"%", "%4", "%zz", "abc%G1", "%FF", "%C3%28", "%ED%A0%80", "a%00b",
                          "%F4%90%80%80", "%C0%AF"}) {
    EXPECT_EQ(percentDecode(bad, true), std::nullopt) << bad;
  }
}

TEST(PercentDecode, SaysWhyItRefuses) {
  using base::PercentDecodeProblem;
  using base::percentDecodeProblem;
  for (const char* bad : {"100%", "%4", "%zz", "abc%G1"}) {
    EXPECT_EQ(percentDecodeProblem(bad, true), PercentDecodeProblem::MalformedEscape) << bad;
  }
  EXPECT_EQ(percentDecodeProblem("a%00b", true), PercentDecodeProblem::NulByte);
  for (const char* bad : {"%D4%EB", "%FF", "%C0%AF", "%ED%A0%80"}) {
    EXPECT_EQ(percentDecodeProblem(bad, true), PercentDecodeProblem::NotUtf8) << bad;
  }
  EXPECT_EQ(percentDecodeProblem("%E5%99%AA+100%25", true), std::nullopt);
}

TEST(PercentEncode, RoundTrips) {
  const std::string s = "权力清单 a/b?c=d&e";
  EXPECT_EQ(percentDecode(percentEncode(s), false), s);
  EXPECT_EQ(percentEncode("CF-ZHZF_0001.x~"), "CF-ZHZF_0001.x~");
}

TEST(ParseQueryString, KeepsOrderAndRepeatsAndEmptyValues) {
  auto q = parseQueryString("type=cf&type=xk&q=&page=2&flag");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[1], (std::pair<std::string, std::string>{"type", "xk"}));
  EXPECT_EQ((*q)[2].second, "");
  EXPECT_EQ((*q)[4].first, "flag");
  EXPECT_FALSE(parseQueryString("q=%E5%BB"));
}

TEST(Utf8, AcceptsChineseAndEmojiRejectsOverlongAndSurrogates) {
  EXPECT_TRUE(isValidUtf8("行政执法公示 😀"));
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(isValidUtf8("\xE5\xBB"));
}

}  // namespace

namespace {

TEST(ParseWholeNumber, OnlyPlainDigitsWithinTheLimit) {
  using portal::http::parseWholeNumber;
  EXPECT_EQ(parseWholeNumber("42"), 42);
  EXPECT_EQ(parseWholeNumber("999999999999999999"), 999999999999999999);
  EXPECT_FALSE(parseWholeNumber("9999999999999999999")) << "19 digits do not fit";
  EXPECT_FALSE(parseWholeNumber(""));
  EXPECT_FALSE(parseWholeNumber("-1"));
  EXPECT_FALSE(parseWholeNumber("1e3"));
  EXPECT_FALSE(parseWholeNumber(" 7"));
  EXPECT_FALSE(parseWholeNumber("1234567", 6));
  EXPECT_EQ(parseWholeNumber("123456", 6), 123456);
}

}  // namespace
