// Drafts may be incomplete but never nameless or keyless; publishing needs everything.
#include "portal/publishing/item_draft.h"

#include <gtest/gtest.h>

namespace {

using namespace portal::publishing;

ListItem completeItem() {
  ListItem item;
  item.code = "CF-TEST-0001";
  item.name = "对测试行为的行政处罚";
  item.type = "cf";
  item.sub_items = {"子项一", "子项二"};
  item.implementing_body = "新区测试局";
  item.level = "区级";
  item.legal_bases = {{"《测试法》", "第一条", "条文：含冒号", ""}};
  item.responsibilities = {"立案责任"};
  item.accountability = {"不予立案的"};
  item.supervision_phone = "12345";
  item.remarks = "备注\n第二行";
  item.effective_date = "2026-12-01";
  item.change_kind = ChangeKind::Amend;
  item.change_reason = "理由";
  item.legal_trigger = "《测试法》修订";
  return item;
}

TEST(ItemDraft, JsonRoundTripKeepsEveryField) {
  const ListItem item = completeItem();
  const ListItem back = draftItemFromJson(draftItemToJson(item));
  EXPECT_EQ(back.code, item.code);
  EXPECT_EQ(back.name, item.name);
  EXPECT_EQ(back.sub_items, item.sub_items);
  ASSERT_EQ(back.legal_bases.size(), 1u);
  EXPECT_EQ(back.legal_bases[0].text, "条文：含冒号");
  EXPECT_EQ(back.remarks, item.remarks);
  EXPECT_EQ(back.change_kind, ChangeKind::Amend);
  EXPECT_EQ(back.legal_trigger, item.legal_trigger);
}

TEST(ItemDraft, DraftNeedsOnlyCodeAndName) {
  ListItem item;
  item.code = "CF-TEST-0002";
  item.name = "只有名称";
  item.change_kind = ChangeKind::Amend;
  EXPECT_TRUE(validateDraft(item, false).empty());
  EXPECT_FALSE(validateForPublish(item, false).empty());
  item.name.clear();
  EXPECT_EQ(validateDraft(item, false).size(), 1u);
}

TEST(ItemDraft, ChangeKindMustFitNewOrExistingItem) {
  ListItem item = completeItem();
  EXPECT_TRUE(validateForPublish(item, false).empty());
  EXPECT_FALSE(validateForPublish(item, true).empty()) << "a new item is 新增";
  item.change_kind = ChangeKind::Create;
  EXPECT_TRUE(validateForPublish(item, true).empty());
  EXPECT_FALSE(validateDraft(item, false).empty()) << "an existing item is never 新增";
}

TEST(ItemDraft, UnknownTypeIsRefusedEvenInADraft) {
  ListItem item = completeItem();
  item.type = "nonsense";
  EXPECT_FALSE(validateDraft(item, false).empty());
  item.type = "";
  EXPECT_TRUE(validateDraft(item, false).empty());
}

TEST(ItemDraft, StateCodesRoundTrip) {
  for (DraftState s :
       {DraftState::Draft, DraftState::Submitted, DraftState::Returned, DraftState::Published}) {
    EXPECT_EQ(parseDraftState(draftStateCode(s)), s);
  }
  EXPECT_FALSE(parseDraftState("approved"));
}

}  // namespace
