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
      {"《城市市容和环境卫生管理条例》", "第十一条", "大型户外广告的设置必须征得……同意"}};
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
      {"no legal basis", [](ListItem& i) { i.legal_bases.clear(); }, "设定依据"},
      {"basis without text", [](ListItem& i) { i.legal_bases[0].text.clear(); }, "条文内容"},
      {"no responsibilities", [](ListItem& i) { i.responsibilities.clear(); }, "责任事项"},
      {"no accountability", [](ListItem& i) { i.accountability.clear(); }, "追责情形"},
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

TEST(Lines, SplitDropsEmptyLinesAndCarriageReturns) {
  EXPECT_EQ(splitLines("甲\r\n\n乙\n"), (std::vector<std::string>{"甲", "乙"}));
  EXPECT_EQ(joinLines({"甲", "乙"}), "甲\n乙");
}

}  // namespace
