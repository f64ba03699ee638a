#include "search/query_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "search/search_error.h"
#include "search/searcher.h"
#include "tests/unit/search/title_index.h"

namespace search {
namespace {

struct NormalizeCase {
  std::string input;
  std::string expected;
};

TEST(Normalize, FoldsWidthCaseSpacesAndPunctuation) {
  const std::vector<NormalizeCase> cases = {
      {"", ""},
      {"   ", ""},
      {"野广告", "野广告"},
      {"ＣＦ－ＺＨＺＦ－０００１", "cf zhzf 0001"},
      {"CF-ZHZF-0001", "cf zhzf 0001"},
      {"噪音\u3000扰民", "噪音 扰民"},  // ideographic space
      {"  野广告！！", "野广告"},       // full-width punctuation
      {"《中华人民共和国噪声污染防治法》第八十七条", "中华人民共和国噪声污染防治法 第八十七条"},
      {"建筑许可，在哪里办？", "建筑许可 在哪里办"},
      {"Hello,World", "hello world"},
      {"ÄÖÜ Straße", "äöü straße"},
      {"第８９条", "第89条"},  // full-width digits
      {"a\tb\r\nc", "a b c"},
      {"噪\xff音\xc3扰民", "噪音扰民"},  // invalid UTF-8 bytes dropped
      {"\xe5\x99", ""},                  // truncated sequence
      {"野\u200b广告", "野广告"},        // zero-width space
      {"工地 ， 扬尘", "工地 扬尘"},
  };
  for (const auto& c : cases) EXPECT_EQ(normalize(c.input), c.expected) << "input: " << c.input;
}

TEST(ExactKey, KeepsInnerPunctuationAndTrimsTheEnds) {
  EXPECT_EQ(exactKey("CF-ZHZF-0001"), "cf-zhzf-0001");
  EXPECT_EQ(exactKey("《ＣＦ－ＺＨＺＦ－０００１》"), "cf-zhzf-0001");
  EXPECT_EQ(exactKey(" 京 A12345 "), "京a12345");
  EXPECT_EQ(exactKey("长新管办发【2017】52号"), "长新管办发【2017】52号");
  EXPECT_EQ(exactKey("！！"), "");
}

TEST(IndexTermsOf, GivesBigramsForCjkRunsAndWholeWords) {
  EXPECT_EQ(indexTermsOf("建筑许可 b2"), (std::vector<std::string>{"建筑", "筑许", "许可", "b2"}));
  EXPECT_EQ(indexTermsOf("罚"), (std::vector<std::string>{"罚"}));
  EXPECT_EQ(indexTermsOf("第89条"), (std::vector<std::string>{"第", "89", "条"}));
  EXPECT_EQ(indexTermsOf(""), std::vector<std::string>{});
}

TEST(TitleGrams, HoldEveryThreeAndFourCharacterStretchOfTheCjkRuns) {
  EXPECT_EQ(titleGramsOf("户外广告 b2 罚款"), (std::vector<std::string>{"户外广", "外广告", "户外广告"}));
  // A phrase is looked up by its 4-grams (its one 3-gram when it has three characters); a
  // title holding it holds them all.
  const std::vector<std::string> phrase{"广", "告", "审", "批", "表"};
  EXPECT_EQ(phraseTitleGrams(phrase), (std::vector<std::string>{"广告审批", "告审批表"}));
  EXPECT_EQ(phraseTitleGrams({"罚", "款", "单"}), (std::vector<std::string>{"罚款单"}));
  EXPECT_EQ(phraseTitleGrams({"罚", "款"}), std::vector<std::string>{});
  const std::vector<std::string> title = titleGramsOf("户外广告审批表格");
  for (const auto& g : phraseTitleGrams(phrase)) {
    EXPECT_NE(std::find(title.begin(), title.end(), g), title.end()) << g;
  }
}

TEST(QueryProblems, AreReportedNotThrown) {
  EXPECT_EQ(buildQuery("", SynonymTable()).problem, QueryProblem::Empty);
  EXPECT_EQ(buildQuery(" \u3000 \t", SynonymTable()).problem, QueryProblem::Empty);
  EXPECT_EQ(buildQuery("！？。，……", SynonymTable()).problem, QueryProblem::NoSearchableText);
  EXPECT_EQ(buildQuery("???", SynonymTable()).problem, QueryProblem::NoSearchableText);

  std::string at_limit;
  for (std::size_t i = 0; i < kMaxQueryChars; ++i) at_limit += "法";
  EXPECT_EQ(buildQuery(at_limit, SynonymTable()).problem, QueryProblem::None);
  EXPECT_EQ(buildQuery(at_limit + "法", SynonymTable()).problem, QueryProblem::TooLong);

  std::string very_long;
  for (int i = 0; i < 2000; ++i) very_long += "噪";
  EXPECT_EQ(buildQuery(very_long, SynonymTable()).problem, QueryProblem::TooLong);
  // Long only before normalisation: punctuation does not count.
  EXPECT_EQ(buildQuery("噪声" + std::string(300, '!'), SynonymTable()).problem, QueryProblem::None);
}

TEST(QueryProblems, ValidateQueryGivesChineseMessages) {
  EXPECT_EQ(validateQuery("噪声"), std::nullopt);
  ASSERT_TRUE(validateQuery("").has_value());
  EXPECT_EQ(*validateQuery(""), "请输入要搜索的内容。");
  EXPECT_NE(validateQuery(std::string(2000, 'a'))->find("200"), std::string::npos);
  EXPECT_NE(validateQuery("。。。")->find("标点"), std::string::npos);
}

TEST(SynonymTable, ParsesTsvWithCommentsAndNormalisesBothSides) {
  const SynonymTable t = SynonymTable::fromTsv(
      "# comment\n"
      "\n"
      "ＫＴＶ\t歌舞娱乐场所\r\n"
      "拖欠工资\t拖欠  工资|劳动报酬||劳动报酬\n");
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.find("ktv"), nullptr);
  EXPECT_EQ(*t.find("ktv"), std::vector<std::string>{"歌舞娱乐场所"});
  ASSERT_NE(t.find("拖欠工资"), nullptr);
  EXPECT_EQ(*t.find("拖欠工资"), (std::vector<std::string>{"拖欠 工资", "劳动报酬"}));
  EXPECT_EQ(t.find("工资"), nullptr);
  EXPECT_EQ(t.maxKeyChars(), 4u);
}

TEST(SynonymTable, NamesTheMalformedLine) {
  const auto lineOf = [](const std::string& tsv) {
    try {
      SynonymTable::fromTsv(tsv);
    } catch (const SearchError& e) {
      EXPECT_EQ(e.kind(), SearchError::Kind::Config);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(lineOf("a\tb\n# x\nno tab here\n").find("line 3"), std::string::npos);
  EXPECT_NE(lineOf("a\t|\n").find("line 1"), std::string::npos);
  EXPECT_NE(lineOf("a\tb\nＡ\tc\n").find("duplicate"), std::string::npos);
}

TEST(SynonymTable, ShippedTableCoversWhatCitizensType) {
  const SynonymTable& t = SynonymTable::shipped();
  EXPECT_GE(t.size(), 60u);
  const SynonymTable from_file = SynonymTable::loadFile(SEARCH_SYNONYMS_TSV);
  EXPECT_EQ(from_file.size(), t.size());

  const std::vector<std::pair<std::string, std::string>> expected = {
      {"野广告", "户外广告"},   {"噪音扰民", "噪声"},
      {"工地扬尘", "扬尘"},     {"建筑许可", "建筑工程施工许可"},
      {"无证行医", "非法行医"}, {"拖欠工资", "劳动报酬"},
      {"黑车", "非法营运"},     {"占道", "占道经营"},
      {"缺斤短两", "计量"},     {"偷排", "排放污染物"},
      {"地沟油", "废弃油脂"},   {"过期食品", "超过保质期"},
      {"违建", "违法建设"},     {"乱倒垃圾", "随意倾倒"},
      {"小摊贩", "摊贩"},
  };
  for (const auto& [plain, formal] : expected) {
    const auto* alternatives = t.find(plain);
    ASSERT_NE(alternatives, nullptr) << plain;
    EXPECT_NE(std::find(alternatives->begin(), alternatives->end(), formal), alternatives->end())
        << plain << " -> " << formal;
  }
}

TEST(SynonymTable, MissingFileIsAConfigError) {
  try {
    SynonymTable::loadFile("/nonexistent/synonyms.tsv");
    FAIL() << "expected SearchError";
  } catch (const SearchError& e) {
    EXPECT_EQ(e.kind(), SearchError::Kind::Config);
  }
}

TEST(BuildQuery, ExpandsTheLongestSynonymKey) {
  const SynonymTable& t = SynonymTable::shipped();
  const QueryPlan plan = buildQuery("噪音扰民", t);
  ASSERT_EQ(plan.pieces.size(), 1u);
  EXPECT_EQ(plan.pieces[0].text, "噪音扰民");
  EXPECT_EQ(plan.pieces[0].expansions, std::vector<std::string>{"噪声"});
  ASSERT_EQ(plan.expansions.size(), 1u);
  EXPECT_EQ(plan.expansions[0].plain, "噪音扰民");

  const QueryPlan inside = buildQuery("小区工地扬尘严重", t);
  std::vector<std::string> pieces;
  for (const auto& p : inside.pieces) pieces.push_back(p.text);
  EXPECT_EQ(pieces, (std::vector<std::string>{"小区", "工地扬尘", "严重"}));
  EXPECT_EQ(inside.pieces[1].expansions, (std::vector<std::string>{"扬尘", "施工"}));
}

TEST(BuildQuery, FullWidthItemCodeBecomesAnExactKey) {
  const QueryPlan plan = buildQuery("ＣＦ－ＺＨＺＦ－０００１", SynonymTable());
  EXPECT_EQ(plan.normalized, "cf zhzf 0001");
  EXPECT_EQ(plan.exact_keys, std::vector<std::string>{"cf-zhzf-0001"});
  const QueryPlan two = buildQuery("京 A12345", SynonymTable());
  EXPECT_EQ(two.exact_keys, (std::vector<std::string>{"京", "a12345", "京a12345"}));
}

TEST(BuildQuery, RelaxedPassNeedsAShareOfTheUnits) {
  // n units -> required: 1 or 2 -> 1; 3 and more -> 2 (cap).
  EXPECT_EQ(buildQuery("行政法", SynonymTable()).relaxed_min_match, 1u);    // 行政 政法
  EXPECT_EQ(buildQuery("建筑许可", SynonymTable()).relaxed_min_match, 2u);  // 3 bigrams
  EXPECT_EQ(buildQuery("我家楼下饭店油烟很大", SynonymTable()).relaxed_min_match, 2u);
  EXPECT_EQ(buildQuery("噪声", SynonymTable()).relaxed_min_match, 1u);
}

bool hasUnit(const QueryPlan& plan, const std::string& bigram) {
  return std::find(plan.relaxed_units.begin(), plan.relaxed_units.end(), std::vector<std::string>{bigram}) !=
         plan.relaxed_units.end();
}

TEST(BuildQuery, BigramsThatOnlyHoldAParticleNeitherSearchNorMark) {
  // 称有另外的车前来转运他们 (a passenger's words): 外的 and 的车 say nothing of the matter.
  const QueryPlan plan = buildQuery("称有另外的车前来转运他们", SynonymTable());
  EXPECT_TRUE(hasUnit(plan, "另外"));
  EXPECT_TRUE(hasUnit(plan, "转运"));
  EXPECT_FALSE(hasUnit(plan, "外的"));
  EXPECT_FALSE(hasUnit(plan, "的车"));
  for (const auto& h : plan.highlights) EXPECT_NE(h, (std::vector<std::string>{"的", "车"}));
  for (const auto& [a, b] : plan.char_pairs) EXPECT_TRUE(a != "的" && b != "的") << a << b;
  // The strict pass still asks for every character as typed.
  EXPECT_NE(describe(plan).strict.find("的车"), std::string::npos);
  // Where 的 is part of the word (a taxi), it stays; a text of particles only keeps them.
  EXPECT_TRUE(hasUnit(buildQuery("打的被绕路", SynonymTable()), "打的"));
  EXPECT_TRUE(hasUnit(buildQuery("的哥拒载", SynonymTable()), "的哥"));
  EXPECT_TRUE(hasUnit(buildQuery("有了吧", SynonymTable()), "了吧"));
  EXPECT_EQ(buildQuery("的了", SynonymTable()).char_pairs.size(), 1u);
}

struct DescriptionCase {
  std::string query;
  std::string exact;
  std::string strict;
  std::string relaxed;
};

TEST(Describe, StrictRelaxedAndExactQueries) {
  const std::vector<DescriptionCase> cases = {
      {"噪声", "Query((XE噪声 AND_MAYBE 噪声))", "Query(噪声)", "Query(噪声)"},
      {"噪音扰民", "Query((XE噪音扰民 AND_MAYBE (噪音 OR 音扰 OR 扰民 OR 噪声)))",
       "Query((((噪音 AND 音扰 AND 扰民) OR 噪声) AND_MAYBE 2 * (噪 PHRASE 4 音 PHRASE 4 扰 PHRASE "
       "4 民)))",
       "Query(((噪音 OR 音扰 OR 扰民 OR 噪声) AND_MAYBE 2 * (噪 PHRASE 4 音 PHRASE 4 扰 PHRASE 4 "
       "民)))"},
      {"建筑许可",
       "Query((XE建筑许可 AND_MAYBE (建筑 OR 筑许 OR 许可 OR (建筑 AND 筑工 AND 工程 AND 程施 AND "
       "施工 AND 工许 AND 许可))))",
       "Query((((建筑 AND 筑许 AND 许可) OR (建筑 AND 筑工 AND 工程 AND 程施 AND 施工 AND 工许 AND "
       "许可)) AND_MAYBE "
       "2 * ((建 PHRASE 4 筑 PHRASE 4 许 PHRASE 4 可) OR (建 PHRASE 8 筑 PHRASE 8 工 PHRASE 8 程 "
       "PHRASE 8 施 PHRASE 8 "
       "工 PHRASE 8 许 PHRASE 8 可))))",
       "Query(((建筑 OR 筑许 OR 许可 OR (建筑 AND 筑工 AND 工程 AND 程施 AND 施工 AND 工许 AND "
       "许可)) AND_MAYBE "
       "2 * ((建 PHRASE 4 筑 PHRASE 4 许 PHRASE 4 可) OR (建 PHRASE 8 筑 PHRASE 8 工 PHRASE 8 程 "
       "PHRASE 8 施 PHRASE 8 "
       "工 PHRASE 8 许 PHRASE 8 可))))"},
      {"CF-ZHZF-0001", "Query((XEcf-zhzf-0001 AND_MAYBE (cf OR zhzf OR 0001)))",
       "Query((cf AND zhzf AND 0001))", "Query((cf OR zhzf OR 0001))"},
      {"第89条", "Query((XE第89条 AND_MAYBE (第 OR 89 OR 条)))", "Query((第 AND 89 AND 条))",
       "Query((第 OR 89 OR 条))"},
      {"！！", "Query()", "Query()", "Query()"},
  };
  for (const auto& c : cases) {
    const QueryDescription d = describe(buildQuery(c.query, SynonymTable::shipped()));
    EXPECT_EQ(d.exact, c.exact) << c.query;
    EXPECT_EQ(d.strict, c.strict) << c.query;
    EXPECT_EQ(d.relaxed, c.relaxed) << c.query;
  }
}

TEST(Describe, SynonymInsideALongerQueryIsOneAlternativeOfItsPiece) {
  const QueryDescription d = describe(buildQuery("小区工地扬尘严重", SynonymTable::shipped()));
  EXPECT_NE(d.strict.find("(小区 AND ((工地 AND 地扬 AND 扬尘) OR 扬尘 OR 施工) AND 严重)"),
            std::string::npos)
      << d.strict;
  // Without synonyms, plain Xapian-style AND of every bigram.
  const QueryDescription plain = describe(buildQuery("工地扬尘", SynonymTable()));
  EXPECT_EQ(
      plain.strict,
      "Query(((工地 AND 地扬 AND 扬尘) AND_MAYBE 2 * (工 PHRASE 4 地 PHRASE 4 扬 PHRASE 4 尘)))");
}

}  // namespace
}  // namespace search

namespace search {
namespace {

TEST(SpellingVariants, SwapCommonCharactersAndWords) {
  EXPECT_EQ(spellingVariants("挖沙"), (std::vector<std::string>{"挖沙", "挖砂"}));
  EXPECT_EQ(spellingVariants("砂"), (std::vector<std::string>{"砂", "沙"}));
  EXPECT_EQ(spellingVariants("帐簿"), (std::vector<std::string>{"帐簿", "账簿"}));
  EXPECT_EQ(spellingVariants("图象"), (std::vector<std::string>{"图象", "图像"}));
  EXPECT_EQ(spellingVariants("现象"), std::vector<std::string>{"现象"});  // never 现像
  EXPECT_EQ(spellingVariants("噪声"), std::vector<std::string>{"噪声"});
}

TEST(Describe, FallbackPasses) {
  const std::vector<std::pair<std::string, QueryDescription>> cases = {
      {"挖沙",
       {"Query((XE挖沙 AND_MAYBE (挖沙 OR 挖砂)))", "Query((挖沙 OR 挖砂))", "Query()",
        "Query((挖沙 OR 挖砂))",
        "Query()", "Query((挖 NEAR 4 (沙 OR 砂)))", "Query((挖 OR (沙 OR 砂)))"}},
      // Five bigrams: the relaxed pass needs two; the fill pass (any one) is its own query.
      {"户外广告审批",
       {"Query((XE户外广告审批 AND_MAYBE (户外 OR 外广 OR 广告 OR 告审 OR 审批)))",
        "Query(((户外 AND 外广 AND 广告 AND 告审 AND 审批) AND_MAYBE 2 * (户 PHRASE 6 外 PHRASE 6 广 "
        "PHRASE 6 告 PHRASE 6 审 PHRASE 6 批)))",
        "Query()",
        "Query(((户外 OR 外广 OR 广告 OR 告审 OR 审批) AND_MAYBE 2 * (户 PHRASE 6 外 PHRASE 6 广 "
        "PHRASE 6 告 PHRASE 6 审 PHRASE 6 批)))",
        "Query(((户外 OR 外广 OR 广告 OR 告审 OR 审批) AND_MAYBE 2 * (户 PHRASE 6 外 PHRASE 6 广 "
        "PHRASE 6 告 PHRASE 6 审 PHRASE 6 批)))",
        "Query(((户 NEAR 4 外) OR (户 NEAR 4 广) OR (外 NEAR 4 广) OR (外 NEAR 4 告) OR (广 NEAR 4 "
        "告) OR (广 NEAR 4 审) OR (告 NEAR 4 审) OR (告 NEAR 4 批) OR (审 NEAR 4 批)))",
        "Query((户 OR 外 OR 广 OR 告 OR 审 OR 批))"}},
  };
  for (const auto& [query, want] : cases) {
    const QueryDescription d = describe(buildQuery(query, SynonymTable()));
    EXPECT_EQ(d.exact, want.exact) << query;
    EXPECT_EQ(d.strict, want.strict) << query;
    EXPECT_EQ(d.concept_, want.concept_) << query;
    EXPECT_EQ(d.relaxed, want.relaxed) << query;
    EXPECT_EQ(d.fill, want.fill) << query;
    EXPECT_EQ(d.nearby, want.nearby) << query;
    EXPECT_EQ(d.partial, want.partial) << query;
  }
}

}  // namespace
}  // namespace search

namespace search {
namespace {

TEST(Situations, ApplyWhenEveryWordOccursAnywhereInTheQuery) {
  const SynonymTable t = SynonymTable::fromTsv(
      "晚上 干活\t夜间 施工|噪声\thttps://example.org/a\n"
      "油烟\t餐饮服务\n");
  const QueryPlan plan = buildQuery("家楼下一到晚上就开始干活", t);
  ASSERT_EQ(plan.situations.size(), 1u);
  EXPECT_EQ(plan.situations[0].plain, "晚上 干活");
  EXPECT_EQ(plan.situations[0].formal, (std::vector<std::string>{"夜间 施工", "噪声"}));
  EXPECT_TRUE(plan.expansions.empty()) << "a situation is not a phrase of the query";
  // Found by one formal wording, ranked by the query's own words and phrases too.
  // Found by a formal wording of the act, which also counts double in the ranking, so the item
  // naming the act leads; then the query's own words and phrases.
  EXPECT_EQ(describe(plan).concept_,
            "Query((((夜间 AND 施工) OR 噪声) AND_MAYBE (2 * ((夜间 AND 施工) OR 噪声) OR (家楼 OR 楼下 OR 下一 OR "
            "一到 OR 到晚 OR 晚上 OR 上就 OR 就开 OR 开始 OR 始干 OR 干活 OR (夜间 AND 施工) OR 噪声) OR 3 * ((S夜间 AND "
            "S施工) OR S噪声) OR 2 * (家 "
            "PHRASE 12 楼 PHRASE 12 下 PHRASE 12 一 PHRASE 12 到 PHRASE 12 晚 PHRASE 12 上 PHRASE 12 就 PHRASE 12 "
            "开 PHRASE 12 始 PHRASE 12 干 PHRASE 12 活))))");
  EXPECT_TRUE(buildQuery("晚上很吵", t).situations.empty()) << "干活 is missing";
  EXPECT_TRUE(buildQuery("干活", t).situations.empty());
}

// Each shipped line is "plain<TAB>formal<TAB>source". The source is the public page that uses the
// plain word and the formal wording for the same matter, a law's article, or an explicit
// "本项目编写（…）" for what the project wrote itself (misspellings, its own relevance set): a line
// without a source column, or with a blank or unrecognised one, is refused.
TEST(SynonymTable, EveryShippedLineNamesItsSource) {
  std::ifstream in(SEARCH_SYNONYMS_TSV);
  ASSERT_TRUE(in);
  std::string line;
  int entries = 0;
  int from_pages = 0;
  std::vector<std::string> plains;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++entries;
    std::vector<std::string> cols;
    std::string::size_type start = 0;
    for (;;) {
      const auto tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    ASSERT_EQ(cols.size(), 3u) << "plain, formal and source: " << line;
    EXPECT_FALSE(cols[0].empty()) << line;
    EXPECT_FALSE(cols[1].empty()) << line;
    const std::string& source = cols[2];
    const bool page = source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
    const bool law = source.rfind("《", 0) == 0;
    const bool own = source.rfind("本项目编写（", 0) == 0;
    EXPECT_TRUE(page || law || own) << "no recognisable source: " << line;
    if (page) {
      ++from_pages;
      EXPECT_EQ(source.find(' '), std::string::npos) << "one address, no remarks after it: " << line;
    }
    plains.push_back(cols[0]);
  }
  EXPECT_GT(entries, 100);
  // Most lines are grown from public pages; the project's own lines are the exception.
  EXPECT_GE(from_pages, 150);
  EXPECT_GT(from_pages * 3, entries * 2);
  std::sort(plains.begin(), plains.end());
  EXPECT_EQ(std::adjacent_find(plains.begin(), plains.end()), plains.end()) << "a plain word has two lines";
}

}  // namespace
}  // namespace search

namespace search {
namespace {

TEST(Concepts, OneCueWordAnywhereInTheQueryNamesTheAct) {
  const SynonymTable t = SynonymTable::fromTsv("").withConcepts(
      "# comment\n"
      "电梯\t特种设备\thttps://example.org/a\t电梯作为特种设备\n"
      "凌晨 施工\t夜间 施工\thttps://example.org/b\t从晚上10点到凌晨4点工地一直在施工\n");
  EXPECT_EQ(t.situationCount(), 2u);
  EXPECT_EQ(t.size(), 0u) << "a concept is not a synonym of a phrase";
  const QueryPlan plan = buildQuery("小区电梯又坏了", t);
  ASSERT_EQ(plan.situations.size(), 1u);
  EXPECT_EQ(plan.situations[0].plain, "电梯");
  EXPECT_EQ(plan.situations[0].formal, std::vector<std::string>{"特种设备"});
  EXPECT_EQ(describe(plan).concept_,
            "Query(((特种 AND 种设 AND 设备) AND_MAYBE (2 * (特种 AND 种设 AND 设备) OR (小区 OR 区电 OR 电梯 OR "
            "梯又 OR 又坏 OR (特种 AND 种设 AND 设备)) OR 3 * (S特种 AND S种设 AND S设备) OR 2 * ((小 PHRASE 7 区 "
            "PHRASE 7 电 PHRASE 7 梯 "
            "PHRASE 7 又 PHRASE 7 坏 PHRASE 7 了) OR (特 PHRASE 4 种 PHRASE 4 设 PHRASE 4 备)))))");
  EXPECT_EQ(buildQuery("凌晨四点还在施工", t).situations.size(), 1u);
  EXPECT_TRUE(buildQuery("凌晨四点", t).situations.empty()) << "施工 is missing";
}

// A cue word led by a digit is a number with its unit, however the number is written; the
// unit alone, or a digit elsewhere, does not make the cue.
TEST(Concepts, ANumberAndItsUnitMakeACue) {
  const SynonymTable t =
      SynonymTable().withConcepts("0升 油\t计量器具\thttps://example.org/a\t加了52升油\n");
  for (const char* query : {"加了50.3升油", "怎么会加进去67.96L汽油", "我开车这么多年都没加过80升油"}) {
    EXPECT_EQ(buildQuery(query, t).situations.size(), 1u) << query;
  }
  for (const char* query : {"油价升了", "升级 3号油罐", "加了很多升油", "2020年 油烟"}) {
    EXPECT_TRUE(buildQuery(query, t).situations.empty()) << query;
  }
}

// A cue word of three or more characters also occurs with one character added inside it, as
// citizens write compounds (人行过道 for the cue 人行道); a two-character cue stays exact, and
// two added characters, or a space, are no occurrence.
TEST(Concepts, ALongCueWordWithOneCharacterAddedInsideIsStillTheCue) {
  const SynonymTable t = SynonymTable().withConcepts(
      "人行道\t占道经营\thttps://example.org/a\t占用人行道\n"
      "电梯\t特种设备\thttps://example.org/b\t电梯作为特种设备\n");
  for (const char* query : {"装饰汽车挤占人行过道作业", "人行道上摆摊", "行人道人行小道"}) {
    const QueryPlan plan = buildQuery(query, t);
    ASSERT_EQ(plan.situations.size(), 1u) << query;
    EXPECT_EQ(plan.situations[0].formal, std::vector<std::string>{"占道经营"}) << query;
  }
  for (const char* query : {"人行小过道", "人行 道", "行人道", "电动扶梯"}) {
    EXPECT_TRUE(buildQuery(query, t).situations.empty()) << query;
  }
}

TEST(Concepts, ALineWithoutItsSourceIsRefused) {
  try {
    SynonymTable::fromTsv("").withConcepts("电梯\t特种设备\thttps://example.org/a\tx\n油烟\t餐饮服务\n");
    FAIL() << "expected SearchError";
  } catch (const SearchError& e) {
    EXPECT_EQ(e.kind(), SearchError::Kind::Config);
    EXPECT_NE(std::string(e.what()).find("concepts line 2"), std::string::npos) << e.what();
  }
}

// Every shipped concept names a public source and quotes it; the cue words are the citizen's
// own, so each occurs in the quoted excerpt.
TEST(Concepts, EveryShippedConceptQuotesItsSource) {
  std::ifstream in(SEARCH_CONCEPTS_TSV);
  ASSERT_TRUE(in);
  std::string line;
  int concepts = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++concepts;
    std::vector<std::string> cells;
    std::size_t from = 0;
    for (std::size_t tab; (tab = line.find('\t', from)) != std::string::npos; from = tab + 1) {
      cells.push_back(line.substr(from, tab - from));
    }
    cells.push_back(line.substr(from));
    ASSERT_EQ(cells.size(), 4u) << line;
    EXPECT_EQ(cells[2].rfind("http", 0), 0u) << line;
    std::size_t word_from = 0;
    for (std::size_t end = 0; end != std::string::npos; word_from = end + 1) {
      end = cells[0].find(' ', word_from);
      const std::string word = cells[0].substr(word_from, end == std::string::npos ? end : end - word_from);
      // A word led by a digit ("0升") is a number and its unit: the excerpt has a number there.
      const std::size_t unit = word.find_first_not_of("0123456789");
      bool quoted = cells[3].find(word) != std::string::npos;
      if (unit != 0 && unit != std::string::npos) {
        const std::string rest = word.substr(unit);
        for (std::size_t p = cells[3].find(rest); p != std::string::npos && !quoted;
             p = cells[3].find(rest, p + 1)) {
          quoted = p > 0 && cells[3][p - 1] >= '0' && cells[3][p - 1] <= '9';
        }
      }
      EXPECT_TRUE(quoted) << word << " not in the excerpt of " << line;
    }
  }
  EXPECT_GE(concepts, 80);
  EXPECT_EQ(SynonymTable::shipped().situationCount(),
            SynonymTable::loadFile(SEARCH_SYNONYMS_TSV).situationCount() + static_cast<std::size_t>(concepts));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"电梯里一直没有看到年检标志", "特种设备"},
      {"鬼秤", "计量器具"},
      {"乱摆乱卖", "占道经营"},
      {"工厂排出的废气", "大气污染物"},
      {"自己的车是45升的油箱,但是加了50.3升油", "计量器具"},
      {"城区不少路段尘土飞扬", "扬尘"},
  };
  for (const auto& [query, act] : expected) {
    bool found = false;
    for (const Expansion& e : buildQuery(query, SynonymTable::shipped()).situations) {
      found = found || std::find(e.formal.begin(), e.formal.end(), act) != e.formal.end();
    }
    EXPECT_TRUE(found) << query << " -> " << act;
  }
}

}  // namespace
}  // namespace search

namespace search {
namespace {

// Everyday words taken from public pages (the last two sections of data/synonyms.tsv) find the
// item whose name uses the formal wording, in a small index of real list items. The words were
// chosen from the items' formal wording, not from the citizen-query sets under
// tests/data/citizen-queries.
class EverydayWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    titles_.add({
        {"item:JL", "对使用不合格的计量器具或者破坏计量器具准确度的行政处罚"},
        {"item:ZL", "对建设工程质量的监督检查"},
        {"item:LJ", "城市建筑垃圾处置核准"},
        {"item:HP", "对建设单位未依法报批建设项目环境影响评价文件擅自开工建设的行政处罚"},
        {"item:PW", "对排污单位未取得排污许可证排放污染物的行政处罚"},
        {"item:TS", "特种设备使用登记"},
        {"item:XY", "对非医师行医的行政处罚"},
        {"item:FQ", "对随地吐痰、乱扔废弃物以及在城市建筑物、设施上涂写刻画或者未经批准张挂、张贴宣传品的行政处罚"},
        {"item:GG", "公共场所卫生许可"},
        {"item:BJ", "对经营者不按规定明码标价的行政处罚"},
        {"item:HW", "对擅自设置大型户外广告的行政处罚"},
        {"item:YC", "对施工工地未采取扬尘防治措施的行政处罚"},
        {"item:ZD", "对擅自占用城市道路、街道两侧和公共场地从事经营活动（占道经营）的行政处罚"},
        // Items of the lists other departments published (tests/data/real-lists/items.tsv).
        {"item:YH", "《烟花爆竹经营(零售)许可证》核发"},
        {"item:SZ", "医疗机构开展人类辅助生殖技术许可"},
        {"item:GW", "经营高危险性体育项目许可"},
        {"item:QS", "取水许可"},
        {"item:GK", "港口经营许可"},
        {"item:EL", "第二类医疗器械经营备案核准"},
        {"item:SL", "第三类医疗器械经营许可"},
        {"item:RF", "平时使用公用人防工程审批"},
    }, "dept");
  }
  std::vector<std::string> top3(const std::string& q, std::shared_ptr<const SynonymTable> table) {
    Searcher s(titles_.dir(), std::move(table));
    SearchRequest r;
    r.q = q;
    std::vector<std::string> ids;
    for (const Hit& h : s.search(r).hits) {
      if (ids.size() == 3) break;
      ids.push_back(h.id);
    }
    return ids;
  }
  test::TitleIndex titles_;
};

TEST_F(EverydayWordsTest, FindTheFormalItemInTheTopThreeThroughTheShippedTable) {
  const auto shipped = std::make_shared<SynonymTable>(SynonymTable::shipped());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"作弊秤", "item:JL"},   {"豆腐渣工程", "item:ZL"}, {"准运证", "item:LJ"},
      {"未批先建", "item:HP"}, {"无证排污", "item:PW"},   {"锅炉", "item:TS"},
      {"游医", "item:XY"},     {"烟蒂", "item:FQ"},       {"理发店", "item:GG"},
      {"价格刺客", "item:BJ"}, {"门头招牌", "item:HW"},   {"围挡", "item:YC"},
      {"马路市场", "item:ZD"},
      // Everyday words for items of the real published lists; none shares a character with its item.
      {"鞭炮", "item:YH"},     {"试管婴儿", "item:SZ"},   {"攀岩", "item:GW"},
      {"打井", "item:QS"},     {"码头", "item:GK"},       {"冷敷贴", "item:EL"},
      {"美瞳", "item:SL"},     {"地下车库", "item:RF"},   {"足浴", "item:GG"},
      {"缆车", "item:TS"},
  };
  for (const auto& [q, want] : cases) {
    const std::vector<std::string> top = top3(q, shipped);
    EXPECT_NE(std::find(top.begin(), top.end(), want), top.end()) << q << " -> top: " << ::testing::PrintToString(top);
  }
}

TEST_F(EverydayWordsTest, WithoutTheTableWordsSharingNoCharacterWithTheItemDoNotFindIt) {
  // The line does the work: these words share no character with the item's name.
  const auto empty = std::make_shared<SynonymTable>(SynonymTable::fromTsv(""));
  for (const auto& [q, item] : std::vector<std::pair<std::string, std::string>>{
           {"作弊秤", "item:JL"}, {"锅炉", "item:TS"}, {"烟蒂", "item:FQ"}, {"理发店", "item:GG"},
           {"鞭炮", "item:YH"}, {"试管婴儿", "item:SZ"}, {"攀岩", "item:GW"}, {"打井", "item:QS"},
           {"码头", "item:GK"}, {"冷敷贴", "item:EL"}, {"美瞳", "item:SL"}, {"地下车库", "item:RF"},
           {"足浴", "item:GG"}, {"缆车", "item:TS"}}) {
    const std::vector<std::string> top = top3(q, empty);
    EXPECT_EQ(std::find(top.begin(), top.end(), item), top.end()) << q << " -> top: " << ::testing::PrintToString(top);
  }
}

}  // namespace
}  // namespace search
