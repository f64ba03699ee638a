#include "portal/publishing/text_diff.h"

#include <gtest/gtest.h>

#include <string>

namespace portal::publishing {
namespace {

// Renders runs as the comparison page marks them: [-removed-] and {+added+}.
std::string marked(std::string_view before, std::string_view after, std::size_t cells = 4'000'000) {
  std::string out;
  for (const auto& r : diffText(before, after, cells)) {
    switch (r.kind) {
      case TextDiffRun::Kind::Same:
        out += r.text;
        break;
      case TextDiffRun::Kind::Removed:
        out += "[-" + r.text + "-]";
        break;
      case TextDiffRun::Kind::Added:
        out += "{+" + r.text + "+}";
        break;
    }
  }
  return out;
}

TEST(TextDiff, MarksTheAddedWordsInsideAField) {
  EXPECT_EQ(marked("对擅自设置大型户外广告的行政处罚",
                   "对擅自设置或者未按规定设置大型户外广告的行政处罚"),
            "对擅自设置{+或者未按规定设置+}大型户外广告的行政处罚");
}

TEST(TextDiff, MarksRemovedAndChangedCharacters) {
  EXPECT_EQ(marked("处五千元以上三万元以下罚款", "处一万元以上五万元以下罚款"),
            "处[-五千-]{+一万+}元以上[-三-]{+五+}万元以下罚款");
  EXPECT_EQ(marked("第二十条、第三十条", "第二十条"), "第二十条[-、第三十条-]");
}

TEST(TextDiff, EqualAndEmptyTexts) {
  EXPECT_EQ(marked("不变", "不变"), "不变");
  EXPECT_EQ(marked("", "新增内容"), "{+新增内容+}");
  EXPECT_EQ(marked("取消内容", ""), "[-取消内容-]");
  EXPECT_TRUE(diffText("", "").empty());
}

TEST(TextDiff, ALoneCommonCharacterDoesNotSplitARewrite) {
  // 的 is in both phrases; marking it as kept would scatter the change into pieces.
  EXPECT_EQ(marked("甲：城管的职责", "甲：市场监管部门的监督检查"),
            "甲：[-城管的职责-]{+市场监管部门的监督检查+}");
}

TEST(TextDiff, BoundedMemoryFallsBackToOneRemovalAndOneAddition) {
  EXPECT_EQ(marked("前甲乙丙后", "前丙乙甲后", 4), "前[-甲乙丙-]{+丙乙甲+}后");
}

TEST(TextDiff, KeepsMultiByteCharactersWhole) {
  for (const auto& r : diffText("条例𠀀第一条", "条例𠀁第一条")) {
    EXPECT_FALSE(r.text.empty());
    EXPECT_NE(static_cast<unsigned char>(r.text[0]) & 0xC0, 0x80)
        << "a run starts inside a character";
  }
  EXPECT_EQ(marked("a条b", "a款b"), "a[-条-]{+款+}b");
}

}  // namespace
}  // namespace portal::publishing
