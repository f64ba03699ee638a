#include "search/simplified_script.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "search/query_pipeline.h"

namespace search {
namespace {

struct Case {
  std::string typed;
  std::string simplified;
};

// Traditional queries as citizens type them with a traditional input method.
const std::vector<Case> kTraditional = {
    {"飯店油煙擾民", "饭店油烟扰民"},
    {"無證經營", "无证经营"},
    {"噪音擾民", "噪音扰民"},
    {"拖欠工資", "拖欠工资"},
    {"樓下燒烤店晚上太吵了", "楼下烧烤店晚上太吵了"},
    {"違章建築", "违章建筑"},
    {"裡面", "里面"},          // the Taiwan form of 裏
    {"發現頭髮", "发现头发"},  // 發 and 髮 both become 发
};

TEST(SimplifiedScript, TraditionalQueriesAreSearchedInSimplifiedCharacters) {
  for (const auto& c : kTraditional) {
    const QueryPlan traditional = buildQuery(c.typed, SynonymTable::shipped());
    const QueryPlan simplified = buildQuery(c.simplified, SynonymTable::shipped());
    EXPECT_EQ(traditional.simplified, c.simplified) << c.typed;
    EXPECT_EQ(traditional.normalized, c.simplified) << c.typed;
    // The index is asked exactly what the simplified query asks it.
    const QueryDescription t = describe(traditional);
    const QueryDescription s = describe(simplified);
    EXPECT_EQ(t.strict, s.strict) << c.typed;
    EXPECT_EQ(t.concept_, s.concept_) << c.typed;
    EXPECT_EQ(t.relaxed, s.relaxed) << c.typed;
    EXPECT_EQ(t.nearby, s.nearby) << c.typed;
    EXPECT_EQ(traditional.expansions.size(), simplified.expansions.size()) << c.typed;
  }
}

TEST(SimplifiedScript, ATraditionalQueryGetsTheSynonymsOfItsSimplifiedForm) {
  const QueryPlan plan = buildQuery("噪音擾民", SynonymTable::shipped());
  ASSERT_FALSE(plan.expansions.empty());
  EXPECT_EQ(plan.expansions.front().plain, "噪音扰民");
}

TEST(SimplifiedScript, SimplifiedQueriesAreLeftAlone) {
  // Characters that exist in both scripts, and simplified words OpenCC keeps by its phrase
  // table although their characters alone would convert (显著, 瞭望, 乾隆).
  const std::vector<std::string> simplified = {
      "饭店油烟扰民", "无证经营",   "显著",     "著名商标",     "瞭望塔",
      "乾隆",         "头发",       "里面",     "干部",         "面条",
      "后来",         "皇后",       "二噁英",   "制造假冒",     "注册商标",
      "周末加班",     "台风",       "占道经营", "CF-ZHZF-0001", "ＣＦ－ＺＨＺＦ－０００１",
      "第八十七条",   "野广告！！", "",
  };
  for (const auto& text : simplified) {
    EXPECT_EQ(toSimplified(text), std::nullopt) << text;
    EXPECT_EQ(buildQuery(text, SynonymTable()).simplified, "") << text;
  }
}

// Every query of the tune halves and of the phrasings no item answers (real citizen text, all
// simplified) is searched exactly as typed. The blind halves are not read here.
TEST(SimplifiedScript, NoCitizenQueryOfTheTuneHalvesIsChanged) {
  int queries = 0;
  for (const char* file : {"tune.tsv", "fresh-tune.tsv", "fresh2-tune.tsv", "fresh3-tune.tsv",
                           "unmapped.tsv", "unmapped2.tsv", "unmapped3.tsv", "unmapped4.tsv"}) {
    std::ifstream in(std::string(CITIZEN_QUERIES_DIR) + "/" + file);
    ASSERT_TRUE(in) << file;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      const std::string query = line.substr(0, line.find('\t'));
      if (query.empty()) continue;
      ++queries;
      EXPECT_EQ(toSimplified(query), std::nullopt) << file << ": " << query;
    }
  }
  EXPECT_GT(queries, 350);
}

TEST(SimplifiedScript, MixedTextConvertsOnlyItsTraditionalPart) {
  const std::vector<Case> cases = {
      {"飯店油烟扰民", "饭店油烟扰民"},            // one traditional word among simplified
      {"CF-ZHZF-0001 無證", "CF-ZHZF-0001 无证"},  // ASCII kept byte for byte
      {"ＣＦ－ＺＨＺＦ－０００１無證", "ＣＦ－ＺＨＺＦ－０００１无证"},  // full width kept
      {"《噪聲污染防治法》第87條", "《噪声污染防治法》第87条"},
      {"  飯店 Noise 擾民！", "  饭店 Noise 扰民！"},
  };
  for (const auto& c : cases) EXPECT_EQ(toSimplified(c.typed), c.simplified) << c.typed;
  EXPECT_EQ(buildQuery("  飯店 Noise 擾民！ ", SynonymTable()).simplified, "饭店 Noise 扰民！");
  EXPECT_EQ(buildQuery("  飯店 Noise 擾民！ ", SynonymTable()).normalized, "饭店 noise 扰民");
}

TEST(SimplifiedScript, HongKongFormsThatDebiansOpenCCMissesAreConverted) {
  EXPECT_EQ(toSimplified("店舖"), "店铺");
  EXPECT_EQ(toSimplified("哄擡物價"), "哄抬物价");
}

TEST(SimplifiedScript, BrokenInputNeitherCrashesNorReachesTheConverterBroken) {
  EXPECT_EQ(toSimplified("擾\xff民"), "扰民");        // invalid byte dropped
  EXPECT_EQ(toSimplified("擾民\xe5\x99"), "扰民");    // truncated sequence at the end
  EXPECT_EQ(toSimplified("\xe6\x93"), std::nullopt);  // nothing but a truncated sequence
  EXPECT_EQ(toSimplified(std::string("擾\0民", 7)), std::string("扰\0民", 7));  // NUL kept
  const QueryPlan plan = buildQuery("擾\xff民", SynonymTable());
  EXPECT_EQ(plan.normalized, "扰民");
}

TEST(SimplifiedScript, OneConverterServesManyThreadsAlike) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong, t] {
      for (int i = 0; i < 200; ++i) {
        for (const auto& c : kTraditional) wrong[t] += toSimplified(c.typed) != c.simplified;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace search
