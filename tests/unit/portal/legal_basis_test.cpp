// Legal bases as published lists write them. Every cell below is copied from a real list in
// tests/data/real-lists/tune/ (file named per case) or quoted in issue 11.
#include "portal/publishing/legal_basis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "portal/publishing/item_diff.h"

namespace {

using namespace portal::publishing;

struct Want {
  std::string law;
  std::string article;
  std::string text_starts;  // the provision's first characters; "" when none
};

struct Case {
  const char* source;
  std::string cell;
  std::vector<Want> bases;
};

std::string head(const std::string& s, std::size_t bytes) { return s.substr(0, bytes); }

TEST(LegalBasis, PublishedFormsAreReadIntoTitleArticlesAndText) {
  const std::vector<Case> cases = {
      {"issue 11", "《城市市容和环境卫生管理条例》第三十六条",
       {{"《城市市容和环境卫生管理条例》", "第三十六条", ""}}},
      {"issue 11", "《中华人民共和国行政许可法》", {{"《中华人民共和国行政许可法》", "", ""}}},
      {"issue 11", "《中华人民共和国行政许可法》（2019年修订）第十二条；《城市市容和环境卫生管理条例》第三十六条",
       {{"《中华人民共和国行政许可法》", "第十二条", ""},
        {"《城市市容和环境卫生管理条例》", "第三十六条", ""}}},
      {"issue 11", "《中华人民共和国行政处罚法》第八十九条：违反本法规定的，依法给予处分。",
       {{"《中华人民共和国行政处罚法》", "第八十九条", "违反本法"}}},
      {"issue 11", "《X条例》第十条第二款第三项、第十二条",
       {{"《X条例》", "第十条第二款第三项、第十二条", ""}}},
      {"issue 11", "《中华人民共和国食品安全法》、《食品生产许可管理办法》",
       {{"《中华人民共和国食品安全法》", "", ""}, {"《食品生产许可管理办法》", "", ""}}},
      {"issue 11", "法律法规名称:《中华人民共和国消防法》;依据文号:主席令第29号;条款号:第十五条;条款内容:公众聚集场所投入使用前应当申请检查",
       {{"《中华人民共和国消防法》", "第十五条", "公众聚集场所"}}},
      {"tune/07", "1.《中华人民共和国城乡规划法》(中华人民共和国主席令第29号)(2019年修正)第三十六条、三十七条;\n"
                  "2.《建设项目用地预审管理办法》(2016年国土资源部令第68号)第二、四、七条。",
       {{"《中华人民共和国城乡规划法》", "第三十六条、三十七条", ""},
        {"《建设项目用地预审管理办法》", "第二、四、七条", ""}}},
      {"tune/07", "5.《广东省实施〈中华人民共和国土地管理法〉办法》(广东省第十届人民代表大会常务委员会公告第17号)第四条第二款,第八条,第二十九条第一款第(三)项,第四十四条;\n"
                  "7.《关于深化改革严格土地管理的决定》(国发〔2004〕28号)第(十七)条;\n"
                  "8. 《中华人民共和国行政许可法》(中华人民共和国主席令第7号)第五十条。",
       {{"《广东省实施〈中华人民共和国土地管理法〉办法》", "第四条第二款,第八条,第二十九条第一款第(三)项,第四十四条", ""},
        {"《关于深化改革严格土地管理的决定》", "第(十七)条", ""},
        {"《中华人民共和国行政许可法》", "第五十条", ""}}},
      {"tune/08", "《中华人民共和国水法》第48条:直接从江河、湖泊或者地下取用水资源的单位和个人,应当申请。但是,家庭生活的除外;"
                  "《取水许可和水资源费征收管理条例》第11条:申请取水应当提交下列材料:(一)申请书;(二)与第三者利害关系的相关说明。",
       {{"《中华人民共和国水法》", "第48条", "直接从江河"},
        {"《取水许可和水资源费征收管理条例》", "第11条", "申请取水"}}},
      {"tune/09", "《植物检疫条例》第三条 县级以上地方各级农业主管部门负责执行国家的植物检疫任务。第七条 调运植物和植物产品,必须经过检疫。"
                  "《江西省植物检疫办法》第三条 县级以上农业、林业行政主管部门负责。",
       {{"《植物检疫条例》", "第三条", "县级以上地方"},
        {"《植物检疫条例》", "第七条", "调运植物"},
        {"《江西省植物检疫办法》", "第三条", "县级以上农业"}}},
      {"tune/04", "《安徽省人口与计划生育条例》第三十九条\n 在国家提倡一对夫妻生育一个子女期间,\n自愿终身只生育一个子女的夫妻\n"
                  "第四十九条已经领取独生子女父母光荣证的夫妻\n,依法生育第二个子女的,注销其独生子女父\n母光荣证。",
       {{"《安徽省人口与计划生育条例》", "第三十九条", "在国家提倡"},
        {"《安徽省人口与计划生育条例》", "第四十九条", "已经领取"}}},
      {"tune/05", "【法律】《中华人民共和国消防法》(2019年修正)第十五条 公众聚集场所在投入使用、营业前,应当申请消防安全检查。 "
                  "根据《关于下放消防救援支队列管单位消防监督管理权限的决定》(辽消〔2020〕87号),实施层级下放至县级消防机构",
       {{"《中华人民共和国消防法》", "第十五条", "公众聚集场所"}}},
      {"tune/11", "【法律】《中华人民共和国旅游法》(2013年4月25日主席令第3号)第二十八条;设立旅行社,应当具备下列条件。\n"
                  "《旅行社条例》(2009年国务院令第550号,2016年2月6日予以修改)第七条:申请经营国内旅游业务的,应当提出申请。",
       {{"《中华人民共和国旅游法》", "第二十八条", "设立旅行社"},
        {"《旅行社条例》", "第七条", "申请经营"}}},
      {"title without brackets", "中华人民共和国道路运输条例第六十三条",
       {{"《中华人民共和国道路运输条例》", "第六十三条", ""}}},
      {"edition note inside the title", "《中华人民共和国食品安全法（2021年修正）》第三十五条",
       {{"《中华人民共和国食品安全法》", "第三十五条", ""}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.source) + ": " + c.cell);
    const auto bases = parseLegalBasisCell(c.cell);
    ASSERT_EQ(bases.size(), c.bases.size());
    for (std::size_t i = 0; i < bases.size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(bases[i].law, c.bases[i].law);
      EXPECT_EQ(bases[i].article, c.bases[i].article);
      EXPECT_EQ(head(bases[i].text, c.bases[i].text_starts.size()), c.bases[i].text_starts);
      if (c.bases[i].text_starts.empty()) {
        EXPECT_EQ(bases[i].text, "");
      }
      EXPECT_FALSE(bases[i].written.empty());  // shown as the list wrote it
    }
  }
}

TEST(LegalBasis, WhatCannotBeReadIsKeptAsWrittenNeverRefused) {
  const auto bases = parseLegalBasisCell("国务院关于某事项的有关规定");
  ASSERT_EQ(bases.size(), 1u);
  EXPECT_EQ(bases[0].law, "");
  EXPECT_EQ(bases[0].written, "国务院关于某事项的有关规定");
  EXPECT_EQ(basisDisplay(bases[0]), "国务院关于某事项的有关规定");
  EXPECT_TRUE(parseLegalBasisCell("").empty());
  EXPECT_TRUE(parseLegalBasisCell(" \n ；").empty());
}

TEST(LegalBasis, TitlesNormaliseSoEveryCitationOfOneLawIsFound) {
  for (const char* written :
       {"《中华人民共和国行政处罚法》", "《中华人民共和国行政处罚法》（2021年修订）",
        "《中华人民共和国行政处罚法(2021年修订)》", "中华人民共和国行政处罚法", "《行政处罚法》",
        "【法律】《中华人民共和国 行政处罚法》"}) {
    SCOPED_TRACE(written);
    EXPECT_EQ(lawKey(written), "行政处罚法");
  }
  EXPECT_EQ(normaliseLawTitle("《中华人民共和国食品安全法（2021年修正）》"),
            "《中华人民共和国食品安全法》");
  EXPECT_NE(lawKey("《中华人民共和国行政许可法》"), lawKey("《中华人民共和国行政处罚法》"));
}

}  // namespace

namespace {

using namespace portal::publishing;

bool sameBasis(const LegalBasis& a, const LegalBasis& b) {
  return a.law == b.law && a.article == b.article && a.text == b.text && a.written == b.written;
}

// The edit form shows formatLegalBases() and reads back what it showed: a person who leaves
// the bases alone gets them back exactly (the parser alone trims a closing 。 and re-reads).
// Unlike the tables above, these cases are not cells of real lists: the first two are the demo
// data's (db/seed/demo.json, shortened), the others constructed shapes (kept as written, and
// written over two lines).
TEST(LegalBasesForm, WhatTheFormShowedComesBackExactly) {
  std::vector<LegalBasis> shown = {
      {"《城市市容和环境卫生管理条例》", "第十一条",
       "在城市中设置户外广告、标语牌、画廊、橱窗等，应当内容健康、外型美观，并定期维修、油饰或者拆"
       "除。",
       ""},
      {"《城市市容和环境卫生管理条例》", "第三十六条",
       "有下列行为之一者……：（一）未经同意，擅自设置大型户外广告，影响市容的；……", ""},
      {"《中华人民共和国旅游法》", "第二十八条", "",
       "【法律】《中华人民共和国旅游法》(2013年4月25日主席令第3号)第二十八条"},
      {"", "", "", "某部门规范性文件\n（第二行）"},
  };
  ASSERT_NE(parseLegalBases(formatLegalBases(shown)).front().text, shown.front().text)
      << "the plain parser is not the identity (else this test proves nothing)";
  for (const char* line_end : {"\n", "\r\n"}) {
    std::string text = formatLegalBases(shown);
    for (std::size_t p = text.find('\n'); p != std::string::npos && std::string(line_end) != "\n";
         p = text.find('\n', p + 2)) {
      text.replace(p, 1, line_end);
    }
    const auto back = parseLegalBases(text, shown);
    ASSERT_EQ(back.size(), shown.size()) << line_end;
    for (std::size_t i = 0; i < shown.size(); ++i) EXPECT_TRUE(sameBasis(back[i], shown[i])) << i;
  }
}

TEST(LegalBasesForm, OnlyTheLinesThePersonChangedAreReadAgain) {
  std::vector<LegalBasis> shown = {
      {"《城市市容和环境卫生管理条例》", "第十一条", "应当内容健康。", ""},
      {"《城市市容和环境卫生管理条例》", "第三十六条", "并可处以罚款。", ""},
  };
  std::string text = formatLegalBases(shown);
  text.replace(text.find("第三十六条"), std::string("第三十六条").size(), "第三十七条");
  text += "\n《中华人民共和国行政处罚法》第二十八条";
  const auto back = parseLegalBases(text, shown);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_TRUE(sameBasis(back[0], shown[0]));
  EXPECT_EQ(back[1].article, "第三十七条");
  EXPECT_EQ(back[2].law, "《中华人民共和国行政处罚法》");
  EXPECT_EQ(back[2].article, "第二十八条");
  EXPECT_TRUE(parseLegalBases("", shown).empty());
}

}  // namespace

namespace {

// Cells of 克拉玛依市's lists (tests/data/real-lists/README.md, "import29") with a bracket lost
// as published: the tag's 【 (自然资源局, rows 139 and 160 of its 2024 list) and the title's 《
// (市场监督管理局, row 41). The law is still plain to a reader, so it must be read: else the
// item and its articles are missing when the legal office looks up who cites the law.
TEST(LegalBasis, ATitleOrTagWithItsOpeningBracketLostIsStillRead) {
  const auto survey = parseLegalBasisCell(
      "法律】《中华人民共和国测绘法》（1992年12月28日第七届全国人民代表大会常务委员会第二十九次会议"
      "通过，由中华人民共和国主席令66号公布，1993年7月1日起施行，2017年4月27日第十二届全国人民代表"
      "大会常务委员会第二十七次会议第二次修订通过，由中华人民共和国主席令67号公布，2017年7月1日起施"
      "行。）\n    第四十六条：县级以上人民政府测绘地理信息主管部门应当会同本级人民政府其他有关部门建立"
      "地理信息安全管理制度和技术防控体系，并加强对地理信息安全的监督管理。");
  ASSERT_EQ(survey.size(), 2u);
  EXPECT_EQ(survey[0].law, "《中华人民共和国测绘法》");
  EXPECT_EQ(survey[1].law, "《中华人民共和国测绘法》");
  EXPECT_EQ(survey[1].article, "第四十六条");

  const auto hazards = parseLegalBasisCell(
      "法规】《地质灾害防治条例》（2003年11月24日国务院令第394号公布，自2004年3月1日起施行）\n"
      "    第九条:任何单位和个人对地质灾害防治工作中的违法行为都有权检举和控告。");
  ASSERT_EQ(hazards.size(), 2u);
  EXPECT_EQ(hazards[1].law, "《地质灾害防治条例》");
  EXPECT_EQ(hazards[1].article, "第九条");

  const auto drugs = parseLegalBasisCell(
      "【规章】药品经营使用质量监督管理办法》（2023年9月27日 国家市场监督管理总局令第84号公布自"
      "2024年1月1日起施行）\n第四十条\u3000药品上市许可持有人、药品经营企业购销活动中的有关资质材料和"
      "购销凭证、记录保存不得少于五年，且不少于药品有效期满后一年。\n"
      "《中华人民共和国药品管理法》第一百二十六条\u3000除本法另有规定的情形外");
  ASSERT_EQ(drugs.size(), 3u);
  EXPECT_EQ(drugs[0].law, "《药品经营使用质量监督管理办法》");
  EXPECT_EQ(drugs[1].law, "《药品经营使用质量监督管理办法》");
  EXPECT_EQ(drugs[1].article, "第四十条");
  EXPECT_EQ(drugs[2].law, "《中华人民共和国药品管理法》");
  // What it says as written stays as written (the page shows the list's own words).
  EXPECT_EQ(drugs[0].written.rfind("【规章】药品经营使用质量监督管理办法》", 0), 0u);
  // A sentence with a 》 in it is no title.
  EXPECT_EQ(parseLegalBasisCell("依照本办法》规定，处以罚款")[0].law, "");
}

}  // namespace
