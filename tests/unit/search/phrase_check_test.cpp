// The searcher checks a phrase's positions only in documents holding all of its bigrams (a
// speed measure: see PhraseCheck in search/detail/xapian_query.h). These pin that the phrase
// boost still decides the order where it did.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "search/index_writer.h"
#include "search/searcher.h"
#include "tests/unit/search/title_index.h"

namespace search {
namespace {

class PhraseCheckTest : public ::testing::Test {
 protected:
  void index(const std::vector<std::pair<std::string, std::string>>& titles) { titles_.add(titles); }
  std::vector<std::string> order(const std::string& q) {
    Searcher s(titles_.dir(), std::make_shared<SynonymTable>());
    SearchRequest r;
    r.q = q;
    std::vector<std::string> ids;
    for (const auto& h : s.search(r).hits) ids.push_back(h.id);
    return ids;
  }
  test::TitleIndex titles_;
};

TEST_F(PhraseCheckTest, AParticleIsNeitherEvidenceNorMarked) {
  // 另外的车辆: both items hold 车辆; 的车 in the first (渣土的车辆) is no reason to rank it
  // higher, nor to mark 的 on the page.
  index({{"item:A", "对运输渣土的车辆未采取密闭措施的行政处罚"}, {"item:B", "对擅自变更客运车辆的行政处罚"}});
  Searcher s(titles_.dir(), std::make_shared<SynonymTable>());
  SearchRequest r;
  r.q = "另外的车辆";
  const SearchResult result = s.search(r);
  ASSERT_EQ(result.hits.size(), 2u);
  for (const Hit& h : result.hits) {
    EXPECT_NE(h.title_html.find("<mark>车辆</mark>"), std::string::npos) << h.title_html;
    EXPECT_EQ(h.title_html.find("<mark>的"), std::string::npos) << h.title_html;
  }
}

TEST_F(PhraseCheckTest, TheItemHoldingTheWholePhraseLeadsTheStrictHits) {
  // Every item holds every bigram of the query; only item:P holds it as one phrase. The others
  // repeat the words, so without the boost they would weigh more.
  index({{"item:A", "户外广告设置和广告审批，户外广告的广告审查，户外广告与广告审批"},
         {"item:P", "户外广告审批"},
         {"item:B", "广告审批，户外广告；户外广告，广告审批；户外广告，广告审批事项"}});
  const std::vector<std::string> ids = order("户外广告审批");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "item:P");
}

TEST_F(PhraseCheckTest, TheItemHoldingTheWholePhraseLeadsTheRelaxedHits) {
  // No item holds 流程, so none is a strict hit; the phrase 户外广告审批 still ranks them.
  index({{"item:A", "户外广告设置和广告审批，户外广告的广告审查，户外广告与广告审批"},
         {"item:P", "户外广告审批"},
         {"item:B", "广告审批，户外广告；户外广告，广告审批；户外广告，广告审批事项"}});
  const std::vector<std::string> ids = order("户外广告审批 流程");
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], "item:P");
}

// With more strict hits than the phrase boost re-ranks (200: checking a phrase reads positions,
// the costliest part of a search), the item whose title holds the whole phrase is still among
// those re-ranked, found by its title grams, and leads.
TEST_F(PhraseCheckTest, TheItemHoldingTheWholePhraseLeadsHundredsOfStrictHits) {
  std::vector<std::pair<std::string, std::string>> items;
  for (int i = 0; i < 260; ++i) {
    items.emplace_back("item:A" + std::to_string(i),
                       "户外广告设置和广告审批，户外广告的广告审查，户外广告与广告审批（" + std::to_string(i) + "）");
  }
  items.emplace_back("item:P", "户外广告审批");
  index(items);
  const std::vector<std::string> ids = order("户外广告审批");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "item:P");
}

// Paging through a pass with more strict hits than the phrase boost re-ranks lists each hit
// once. The first pages rank the best by words; the deeper ones ranked every hit instead, so
// an item holding the whole phrase outside that best (here in its text, not its title) came
// first there: page 3 opened with the last item of page 2, and that item was on no page.
TEST_F(PhraseCheckTest, PagingThroughHundredsOfStrictHitsListsEachOnce) {
  const std::string dir = titles_.dir();
  {
    IndexWriter writer(dir);
    std::vector<Change> changes;
    std::uint64_t seq = 0;
    for (int i = 0; i < 70; ++i) {
      Document d;
      d.id = "item:A" + std::to_string(i);
      d.kind = "item";
      d.title = "户外广告设置和广告审批，户外广告的广告审查，户外广告与广告审批（" + std::to_string(i) + "）";
      changes.push_back(Change::upsert(++seq, d));
    }
    Document p;
    p.id = "item:P";
    p.kind = "item";
    p.title = "其他事项";
    p.fields.push_back({"basis", "户外广告审批"});
    changes.push_back(Change::upsert(++seq, p));
    writer.apply(changes);
  }
  Searcher s(dir, std::make_shared<SynonymTable>());
  std::vector<std::string> listed;
  for (int page = 1; page <= 10; ++page) {
    SearchRequest r;
    r.q = "户外广告审批";
    r.page = page;
    r.page_size = 20;
    const SearchResult result = s.search(r);
    for (const auto& h : result.hits) listed.push_back(h.id);
    if (result.hits.empty()) break;
  }
  std::vector<std::string> sorted = listed;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "an item listed twice";
  EXPECT_EQ(sorted.size(), 71u);
  EXPECT_TRUE(std::binary_search(sorted.begin(), sorted.end(), std::string("item:P")));
}

}  // namespace
}  // namespace search

namespace search {
namespace {

// The relaxed pass ranks through a match decider instead of a boolean "two of n" filter (a
// speed measure); these pin that it still ranks the items with two or more units first.
TEST_F(PhraseCheckTest, RelaxedHitsHoldAtLeastTwoOfTheQuerysBigrams) {
  index({{"item:ONE", "户外设施"},              // 户外 only
         {"item:TWO", "户外的广告"},            // 户外 and 广告
         {"item:THREE", "户外广告设施管理"}});  // 户外, 外广, 广告
  // item:ONE comes only from the fill pass below them (the page is short).
  const std::vector<std::string> ids = order("户外广告审批 流程");
  EXPECT_EQ(ids, (std::vector<std::string>{"item:THREE", "item:TWO", "item:ONE"}));
}

// 办公室 gives two bigram units, 办公 and 公室, but an item holding that one word has one piece
// of evidence: it comes after an item holding two separate words of the query (室内, 吸烟), not
// ahead of it as the shorter item would by weight (有人在办公室内吸烟 put every 办公室 item and
// department above the health inspection of smoking indoors).
TEST_F(PhraseCheckTest, AThreeCharacterWordAloneIsOnePieceOfEvidence) {
  index({{"item:OFFICE", "管委会办公室"}, {"item:INDOORS", "对室内公共场所禁止吸烟的监督"}});
  const std::vector<std::string> ids = order("有人在办公室内吸烟");
  EXPECT_EQ(ids, (std::vector<std::string>{"item:INDOORS", "item:OFFICE"}));
}

// The relaxed pass's count and its ranking apply the same rule: paging through a query where
// most items hold only 办公室 lists every item once, the page's total says how many there are,
// and the items with two separate words lead.
TEST_F(PhraseCheckTest, PagingWhereMostItemsHoldOnlyTheOneWordListsEachOnce) {
  std::vector<std::pair<std::string, std::string>> items;
  for (int i = 0; i < 25; ++i) items.emplace_back("item:O" + std::to_string(i), "第" + std::to_string(i) + "办公室");
  for (int i = 0; i < 3; ++i) items.emplace_back("item:S" + std::to_string(i), "室内场所吸烟检查" + std::to_string(i));
  index(items);
  Searcher s(titles_.dir(), std::make_shared<SynonymTable>());
  std::vector<std::string> listed;
  for (int page = 1; page <= 5; ++page) {
    SearchRequest r;
    r.q = "有人在办公室内吸烟";
    r.page = page;
    r.page_size = 10;
    const SearchResult result = s.search(r);
    EXPECT_EQ(result.estimated_total, items.size()) << "page " << page;
    for (const auto& h : result.hits) listed.push_back(h.id);
  }
  ASSERT_EQ(listed.size(), items.size());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(listed[i].substr(0, 6), "item:S") << listed[i];
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(std::adjacent_find(listed.begin(), listed.end()), listed.end()) << "an item listed twice";
}

TEST_F(PhraseCheckTest, ALongQueryStillGetsItsPage) {
  index({{"item:A", "对擅自设置大型户外广告的行政处罚"}, {"item:B", "户外广告设置审批"}});
  std::string q;
  while (codePointCount(q) < kMaxQueryChars - 20) q += "我家楼下有人擅自设置户外广告，";
  const std::vector<std::string> ids = order(q);
  ASSERT_EQ(ids.size(), 2u);
}

// A pasted description has a relaxed unit for nearly every bigram; beyond 40 units only the 12
// rarest are searched (a bound on a long query's cost). The words that name the act are the
// rare ones, so they still decide what leads.
TEST_F(PhraseCheckTest, ALongDescriptionIsSearchedByItsRarestWords) {
  std::vector<std::pair<std::string, std::string>> items;
  // Common words: every filler item holds them, so they say nothing about which item is meant.
  const std::string common = "关于我们小区楼下附近每天晚上都有人在这里的情况反映，街道办事处工作人员多次上门协调始终没有解决";
  for (int i = 0; i < 30; ++i) items.emplace_back("item:F" + std::to_string(i), common + "第" + std::to_string(i) + "号");
  items.emplace_back("item:ACT", "对非法采挖河砂的行政处罚");
  index(items);
  std::string q = common + "，看见非法采挖河砂，";
  while (codePointCount(q) < kMaxQueryChars - 60) q += common + "，";
  const std::vector<std::string> ids = order(q);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "item:ACT");
}

}  // namespace
}  // namespace search
