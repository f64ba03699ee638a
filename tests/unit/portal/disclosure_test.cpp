// The before-enforcement disclosure rows: what an editor may publish, and how versions compare.
#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

#include "portal/disclosure/enforcement_disclosure.h"

namespace portal::seed {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace {

using namespace portal::disclosure;

Row body(const std::string& name, const std::string& nature = "行政机关") {
  return Row{{"name", name},
             {"nature", nature},
             {"powers", "集中行使市容环境卫生方面的行政处罚权"},
             {"basis", "《中华人民共和国行政处罚法》第十八条"}};
}

bool hasError(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors) {
    if (e.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(DisclosureRows, SectionCodesRoundTripAndHaveChineseNames) {
  ASSERT_EQ(allSections().size(), 4u);
  for (Section s : allSections()) {
    EXPECT_EQ(parseSection(sectionCode(s)), s);
    EXPECT_FALSE(sectionName(s).empty());
  }
  EXPECT_EQ(sectionName(Section::Inspections), "随机抽查事项清单");
  EXPECT_FALSE(parseSection("officers").has_value());
  EXPECT_FALSE(parseSection("").has_value());
}

TEST(DisclosureRows, BlankRowsOfTheFormAreDroppedAndValuesTrimmed) {
  std::vector<Row> rows = {Row{{"name", "  新区综合行政执法局\u3000"},
                               {"nature", "行政机关"},
                               {"powers", "x"},
                               {"basis", "y"}},
                           Row{{"name", " "}, {"nature", ""}, {"powers", "\n"}, {"basis", ""}},
                           Row{}};
  const auto out = normalizeRows(Section::Bodies, rows);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at("name"), "新区综合行政执法局");
}

TEST(DisclosureRows, StepsKeepTheirOrderWithoutBlankLines) {
  std::vector<Row> rows = {Row{{"name", "行政处罚一般程序"},
                               {"steps", "立案\r\n\n 调查取证 \n告知\n\n决定\n"},
                               {"basis", "《中华人民共和国行政处罚法》第五十四条"}}};
  const auto out = normalizeRows(Section::Procedures, rows);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at("steps"), "立案\n调查取证\n告知\n决定");
  EXPECT_EQ(out[0].at("time_limit"), "");
  EXPECT_TRUE(validateRows(Section::Procedures, out).empty());
  const auto j = rowsToJson(Section::Procedures, out);
  ASSERT_TRUE(j[0]["steps"].is_array());
  EXPECT_EQ(j[0]["steps"].size(), 4u);
  EXPECT_EQ(j[0]["steps"][1], "调查取证");
  EXPECT_EQ(rowsFromJson(Section::Procedures, j), out);
}

TEST(DisclosureRows, RefusalsNameTheRowAndTheFieldInChinese) {
  struct Case {
    const char* what;
    Section section;
    std::vector<Row> rows;
    const char* expected;
  };
  std::string long_chinese;
  for (int i = 0; i < 101; ++i) long_chinese += "局";
  std::vector<Row> too_many;
  for (int i = 0; i < 21; ++i) too_many.push_back(body("主体" + std::to_string(i)));
  const std::vector<Case> cases = {
      {"nothing at all", Section::Bodies, {}, "请至少填写一行执法主体及职权"},
      {"missing basis",
       Section::Bodies,
       {body("新区综合行政执法局"), Row{{"name", "新区综合行政执法大队"},
                                        {"nature", "受委托组织"},
                                        {"powers", "委托范围内的处罚"}}},
       "第 2 行：依据不能为空"},
      {"unknown nature",
       Section::Bodies,
       {body("新区综合行政执法局", "事业单位")},
       "第 1 行：主体性质应为行政机关、法律法规授权组织、受委托组织之一"},
      {"name too long", Section::Bodies, {body(long_chinese)}, "第 1 行：主体名称不能超过 100 字"},
      {"too many rows", Section::Bodies, too_many, "最多 20 行，现有 21 行"},
      {"same name twice",
       Section::Bodies,
       {body("新区综合行政执法局"), body("新区综合行政执法局")},
       "第 2 行：主体名称“新区综合行政执法局”与前面的行重复"},
      {"procedure without steps",
       Section::Procedures,
       {Row{{"name", "行政处罚听证程序"}, {"basis", "《中华人民共和国行政处罚法》第六十四条"}}},
       "第 1 行：流程步骤不能为空"},
      {"inspection without method",
       Section::Inspections,
       {Row{{"item", "户外广告设施设置情况检查"},
            {"subject", "设置户外广告的单位"},
            {"basis", "条例"},
            {"content", "是否经审批"}}},
       "第 1 行：检查方式不能为空"},
      {"remedy without contact",
       Section::Remedies,
       {Row{{"channel", "行政复议"}, {"authority", "新区管委会"}}},
       "第 1 行：联系方式或地址不能为空"},
  };
  for (const auto& c : cases) {
    const auto errors = validateRows(c.section, normalizeRows(c.section, c.rows));
    EXPECT_TRUE(hasError(errors, c.expected))
        << c.what << ": " << (errors.empty() ? "" : errors[0]);
  }
  // Length is counted in characters, not bytes: 100 Chinese characters are fine.
  EXPECT_TRUE(validateRows(Section::Bodies, {body(long_chinese.substr(3))}).empty());
  EXPECT_TRUE(validateRows(Section::Bodies, {body("新区综合行政执法局")}).empty());
}

TEST(DisclosureRows, OptionalFieldsMayBeEmpty) {
  const std::vector<Row> rows = {Row{{"channel", "行政复议"},
                                     {"authority", "新区管委会"},
                                     {"contact", "0431-81912148"},
                                     {"note", ""}}};
  EXPECT_TRUE(validateRows(Section::Remedies, normalizeRows(Section::Remedies, rows)).empty());
}

TEST(DisclosureRows, TooManyStepsOrALongStepIsRefused) {
  std::string steps;
  for (int i = 0; i < 31; ++i) steps += "步骤" + std::to_string(i) + "\n";
  const auto errors =
      validateRows(Section::Procedures,
                   normalizeRows(Section::Procedures,
                                 {Row{{"name", "程序"}, {"steps", steps}, {"basis", "法"}}}));
  EXPECT_TRUE(hasError(errors, "第 1 行：流程步骤最多 30 项")) << errors.size();
  std::string long_step;
  for (int i = 0; i < 301; ++i) long_step += "步";
  const auto long_errors = validateRows(
      Section::Procedures,
      normalizeRows(Section::Procedures,
                    {Row{{"name", "程序"}, {"steps", "立案\n" + long_step}, {"basis", "法"}}}));
  EXPECT_TRUE(hasError(long_errors, "第 1 行：流程步骤第 2 项不能超过 300 字"));
}

TEST(DisclosureRows, AReasonIsRequiredAndBounded) {
  EXPECT_TRUE(hasError(validateReason(""), "请填写修改理由"));
  EXPECT_TRUE(hasError(validateReason(" \n\u3000"), "请填写修改理由"));
  std::string long_reason;
  for (int i = 0; i < 501; ++i) long_reason += "因";
  EXPECT_TRUE(hasError(validateReason(long_reason), "不能超过 500 字"));
  EXPECT_TRUE(validateReason("新增年度抽查事项").empty());
}

TEST(DisclosureRows, DiffShowsAddedRemovedAndChangedRowsByName) {
  Row changed = body("新区综合行政执法大队", "受委托组织");
  Row changed_after = changed;
  changed_after["powers"] = "委托范围内的行政处罚和行政检查";
  const std::vector<Row> before = {body("新区综合行政执法局"), changed, body("新区城管监察支队")};
  const std::vector<Row> after = {body("新区综合行政执法局"), changed_after, body("新区环卫所")};
  const auto diff = diffRows(Section::Bodies, before, after);
  ASSERT_EQ(diff.size(), 4u);
  EXPECT_EQ(diff[0].kind, RowChange::Kind::Unchanged);
  EXPECT_EQ(diff[1].kind, RowChange::Kind::Changed);
  EXPECT_EQ(diff[1].changed_fields, std::vector<std::string>{"powers"});
  EXPECT_EQ(diff[2].kind, RowChange::Kind::Added);
  EXPECT_EQ(diff[2].after.at("name"), "新区环卫所");
  EXPECT_EQ(diff[3].kind, RowChange::Kind::Removed);
  EXPECT_EQ(diff[3].before.at("name"), "新区城管监察支队");
}

TEST(DisclosureRows, TheShippedDemoDisclosuresAreValid) {
  std::string text;
  for (const auto& [name, body] : portal::seed::embeddedFiles()) {
    if (name == "disclosures.json") text = std::string(body);
  }
  ASSERT_FALSE(text.empty());
  const auto doc = nlohmann::json::parse(text);
  ASSERT_GE(doc.at("departments").size(), 3u);
  for (const auto& d : doc.at("departments")) {
    for (Section s : allSections()) {
      ASSERT_TRUE(d.at("sections").contains(sectionCode(s)))
          << d.at("slug") << " lacks " << sectionCode(s);
      const auto rows = normalizeRows(s, rowsFromJson(s, d.at("sections").at(sectionCode(s))));
      const auto errors = validateRows(s, rows);
      EXPECT_TRUE(errors.empty()) << d.at("slug") << "/" << sectionCode(s) << ": "
                                  << (errors.empty() ? "" : errors[0]);
    }
  }
}

}  // namespace
