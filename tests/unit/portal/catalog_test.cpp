#include "portal/publishing/catalog.h"

#include <gtest/gtest.h>

namespace {

using namespace portal::publishing;

ListItem validItem() {
  ListItem i;
  i.code = "CF-ZHZF-0001";
  i.name = "对擅自设置大型户外广告的行政处罚";
  i.type = "cf";
  i.implementing_body = "新区综合行政执法局";
  i.level = "区级";
  i.legal_bases = {
      {"《城市市容和环境卫生管理条例》", "第十一条", "大型户外广告的设置必须征得……同意", ""}};
  i.responsibilities = {"立案责任"};
  i.accountability = {"不履行职责的"};
  i.effective_date = "2024-01-01";
  i.change_reason = "首次公布";
  return i;
}

TEST(ItemTypes, TenTypesByCodeOrName) {
  EXPECT_EQ(itemTypes().size(), 10u);
  EXPECT_EQ(itemTypeCode("行政处罚"), "cf");
  EXPECT_EQ(itemTypeCode("cf"), "cf");
  EXPECT_EQ(itemTypeCode("其他行政权力"), "qt");
  EXPECT_EQ(itemTypeCode("行政处分"), std::nullopt);
  EXPECT_EQ(itemTypeName("xk"), "行政许可");
}

TEST(ItemStatus, ParsesCodesAndChineseNames) {
  EXPECT_EQ(parseStatus("cancelled"), ItemStatus::Cancelled);
  EXPECT_EQ(parseStatus("已下放"), ItemStatus::Delegated);
  EXPECT_EQ(parseStatus("gone"), std::nullopt);
  EXPECT_EQ(parseChangeKind("下放"), ChangeKind::Delegate);
}

TEST(ValidateItem, AcceptsACompleteItem) { EXPECT_TRUE(validateItem(validItem()).empty()); }

TEST(ValidateItem, ExplainsEachProblemInChinese) {
  struct Case {
    const char* what;
    void (*spoil)(ListItem&);
    const char* expected;
  };
  const Case cases[] = {
      {"code with spaces", [](ListItem& i) { i.code = "CF ZHZF"; }, "事项编码"},
      {"no name", [](ListItem& i) { i.name.clear(); }, "事项名称"},
      {"unknown type", [](ListItem& i) { i.type = "行政处分"; }, "事项类型无效"},
      {"name over the limit",
       [](ListItem& i) {
         i.name.clear();
         for (int n = 0; n < 1001; ++n) i.name += "对";
       },
       "事项名称最多 1000 个字，现有 1001 个字。"},
      {"body over the limit", [](ListItem& i) { i.implementing_body = std::string(501, 'x'); },
       "实施主体最多 500 个字，现有 501 个字。"},
      {"bad date", [](ListItem& i) { i.effective_date = "2024/1/1"; }, "生效日期"},
      {"no reason", [](ListItem& i) { i.change_reason.clear(); }, "变更理由"},
  };
  for (const Case& c : cases) {
    ListItem item = validItem();
    c.spoil(item);
    const auto errors = validateItem(item);
    ASSERT_EQ(errors.size(), 1u) << c.what;
    EXPECT_NE(errors[0].find(c.expected), std::string::npos) << c.what << ": " << errors[0];
  }
}

// Regression (issue 11): a name of more than 85 Chinese characters was refused as 事项名称过长
// because the limit counted bytes. Published lists have names of 300 characters.
TEST(ValidateItem, LimitsCountCharactersAndOnlyNameAndTypeAreRequired) {
  ListItem item = validItem();
  item.name.clear();
  for (int n = 0; n < 300; ++n) item.name += "罚";
  item.implementing_body.clear();
  item.level.clear();
  item.legal_bases = {{"《城市市容和环境卫生管理条例》", "第三十六条", "", ""}};  // no article text
  item.responsibilities.clear();
  item.accountability.clear();
  EXPECT_TRUE(validateItem(item).empty());
  item.legal_bases.clear();
  EXPECT_TRUE(validateItem(item).empty());
}

// Regression (issue 11): the form stores "\r\n", the import "\n"; the same remark then
// compared as changed ("备注 有变化").
TEST(NormaliseItem, LineEndsAreLfInEveryField) {
  ListItem item = validItem();
  item.remarks = "第一行\r\n第二行\r第三行";
  item.name = "名称\r\n";
  item.responsibilities = {"立案责任\r\n调查责任"};
  item.legal_bases[0].text = "条文\r\n续";
  normaliseItem(item);
  EXPECT_EQ(item.remarks, "第一行\n第二行\n第三行");
  EXPECT_EQ(item.name, "名称");  // and trimmed by base::trim, as the import stores it (issue 16)
  EXPECT_EQ(item.responsibilities, (std::vector<std::string>{"立案责任", "调查责任"}));
  EXPECT_EQ(item.legal_bases[0].text, "条文\n续");
}

TEST(Lines, SplitDropsEmptyLinesAndCarriageReturns) {
  EXPECT_EQ(splitLines("甲\r\n\n乙\n"), (std::vector<std::string>{"甲", "乙"}));
  EXPECT_EQ(joinLines({"甲", "乙"}), "甲\n乙");
}

}  // namespace
