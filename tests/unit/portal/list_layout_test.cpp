// Header detection and column mapping on the shapes published lists come in.
#include "portal/publishing/list_layout.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace portal::publishing;

Workbook csvBook(const std::vector<std::vector<std::string>>& rows) {
  Workbook b;
  b.format = FileFormat::Csv;
  Sheet s;
  int n = 0;
  for (const auto& r : rows) s.rows.push_back(SheetRow{++n, n, false, r});
  b.sheets.push_back(std::move(s));
  return b;
}

TEST(ListLayout, HeadersAsListsWriteThem) {
  const struct {
    const char* header;
    std::optional<ListField> field;
  } cases[] = {
      {"事项名称", ListField::Name},       {"权力名称", ListField::Name},
      {"职权名称", ListField::Name},       {"权力事项名称", ListField::Name},
      {"项 目 名 称", ListField::Name},    {"事项名称(主项)", ListField::Name},
      {"执法事项", ListField::Name},       {"事项类型", ListField::Type},
      {"权力\n类型", ListField::Type},     {"权种 类别", ListField::Type},
      {"职权类别", ListField::Type},       {"行政职权类别", ListField::Type},
      {"设定依据", ListField::Bases},      {"依   据", ListField::Bases},
      {"实施依据", ListField::Bases},      {"法律依据", ListField::Bases},
      {"职权依据", ListField::Bases},      {"实施主体", ListField::Body},
      {"责任主体", ListField::Body},       {"承办机构", ListField::Body},
      {"实施 单位", ListField::Body},      {"行政决定部门", ListField::Body},
      {"责任事项", ListField::Responsibilities}, {"责任内容", ListField::Responsibilities},
      {"追责情形", ListField::Accountability}, {"追责对象及情形", ListField::Accountability},
      {"问责依据", ListField::Accountability}, {"*事项编码", ListField::Code},
      {"基本 编码", ListField::Code},      {"序号", ListField::Seq},
      {"备注", ListField::Remarks},        {"行政相对人", std::nullopt},
      {"监督方式", ListField::Phone},      {"监督投诉方式", ListField::Phone},
      {"投诉举报电话", ListField::Phone},
      {"部门意见", std::nullopt},
      // 克拉玛依市消防救援支队's list (full/76_*): the corps above the body, and how the item is
      // disclosed.
      {"隶属机构", std::nullopt},          {"上级机构", std::nullopt},
      {"公开类型", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(fieldForHeader(c.header), c.field);
  }
}

TEST(ListLayout, TypesByEveryCommonSpelling) {
  const struct {
    const char* written;
    std::optional<std::string> code;
  } cases[] = {
      {"行政许可", "xk"}, {"许可", "xk"},       {"行政审批", "xk"},     {"行政处罚", "cf"},
      {"处罚", "cf"},     {"行政强制措施", "qz"}, {"其他权力", "qt"},   {"其他行政权力", "qt"},
      {"其他类", "qt"},   {"其它", "qt"},       {"行政检查", "jc"},     {"行政许可类", "xk"},
      {" 行政确认 ", "qr"}, {"行政备案", std::nullopt}, {"公共服务", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.written);
    EXPECT_EQ(typeCodeFor(c.written), c.code);
  }
}

// Headers and types of tests/data/real-lists/blind3 (the third blind audit).
TEST(ListLayout, HeadersAndTypesOfTheThirdBlindSet) {
  const struct {
    const char* header;
    std::optional<ListField> field;
  } headers[] = {
      {"职权名称及数量", ListField::Name},  // 56: count rows write their count in it
      {"检查事项", ListField::Name},        {"行政检查事项", ListField::Name},
      {"目录名称", ListField::Name},        {"行政处罚事项名称", ListField::Name},
      {"子项数量", std::nullopt},           {"主项/子项", std::nullopt},  // 57: 主项 or 子项
      {"责任事项依据", std::nullopt},       {"实施机构", ListField::Body},
      {"受理机构", ListField::Body},        {"职权类别及数量", ListField::Type},
      {"行政处罚设定依据", ListField::Bases}, {"追责情形及依据", ListField::Accountability},
  };
  for (const auto& c : headers) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(fieldForHeader(c.header), c.field);
  }
  EXPECT_EQ(typeCodeFor("行政许可 (2项)"), "xk");
  EXPECT_EQ(typeCodeFor("行政处罚(22项)"), "cf");
  EXPECT_EQ(typeCodeFor("行政处罚(二十二项)"), "cf");
  EXPECT_EQ(typeCodeFor("公共服务(3项)"), std::nullopt);
  EXPECT_EQ(typeFromItemName("对单用途预付卡行政处罚"), "cf");
  EXPECT_EQ(typeFromItemName("危害气象设施行为的处罚"), "cf");
  EXPECT_EQ(typeFromItemName("对森林资源的行政检查"), "jc");
  EXPECT_EQ(typeFromItemName("安全监管属地备案"), std::nullopt);
}

// 西峡县财政局's 行政职权目录 (blind3/56): rows counting the items of a section sit between the
// items, the type written only on the count row of its section.
TEST(ListLayout, CountRowsAreNotItemsAndTheirTypeStartsTheSection) {
  const Workbook b = csvBook({
      {"序号", "类别", "职权名称及数量", "实施机构", "备注"},
      {"", "", "总计78项", "", "共34页"},
      {"", "行政许可", "共0项", "", "第1页"},
      {"", "", "……", "", "第1页"},
      {"", "行政处罚", "共31项", "", "第2-15页"},
      {"1", "", "供应商违法行为的处罚", "财政监督大队、政府采购办公室", "第4页"},
      {"2", "", "采购人员与供应商有利害关系而不依法回避的处罚", "财政监督大队", "第5页"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->columnOf(ListField::Name), 2u);
  EXPECT_EQ(layout->columnOf(ListField::Body), 3u);
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].section_type, "cf");
  EXPECT_EQ(rows[1].section_type, "cf");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Type)], "");
  std::string all;
  for (const auto& n : notes) all += n + "\n";
  EXPECT_NE(all.find("第 5 行“行政处罚 共31项 第2-15页”是计数行"), std::string::npos) << all;
}

// blind5/64's shape (新华区审计局 权责清单事项总表): the type only in section rows that write
// it with its part number, their count in the name column (项目名称及数量); every item row has
// the running number (总序号) and its number within the type in the type column (类别及序号).
TEST(ListLayout, SectionRowsWithPartNumberAndCountAndNumbersWithinTheType) {
  EXPECT_EQ(typeCodeFor("一、行政许可"), "xk");
  EXPECT_EQ(typeCodeFor("十、其他类"), "qt");
  EXPECT_EQ(fieldForHeader("总序号"), ListField::Seq);
  EXPECT_EQ(fieldForHeader("类别及序号"), ListField::Type);
  const Workbook b = csvBook({
      {"石家庄市新华区审计局权责清单事项总表", "", "", ""},
      {"(共3类、20项)", "", "", ""},
      {"总序号", "类别及序号", "项目名称及数量", "备注"},
      {"", "一、行政许可", "0", ""},
      {"", "二、行政处罚", "2", ""},
      {"1", "1", "对被审计单位拒绝、阻碍审计监督检查行为的处罚", ""},
      {"2", "2", "违反财务收支行为的处罚", ""},
      {"", "三、行政强制", "2", ""},
      {"3", "1", "封存有关账册、资料、资产,申请法院冻结存款", ""},
      {"", "十、其他类", "16", ""},
      {"5", "1", "财政审计监督", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->columnOf(ListField::Seq), 0u);
  EXPECT_EQ(layout->columnOf(ListField::Type), 1u);
  EXPECT_EQ(layout->columnOf(ListField::Name), 2u);
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 4u);  // the four section rows are not items
  const auto type = static_cast<std::size_t>(ListField::Type);
  const auto name = static_cast<std::size_t>(ListField::Name);
  EXPECT_EQ(rows[0].cells[name], "对被审计单位拒绝、阻碍审计监督检查行为的处罚");
  EXPECT_EQ(rows[0].cells[type], "");  // "1" is a number, not a type
  EXPECT_EQ(rows[0].section_type, "cf");
  EXPECT_EQ(rows[1].section_type, "cf");
  EXPECT_EQ(rows[2].section_type, "qz");
  EXPECT_EQ(rows[3].section_type, "qt");
  EXPECT_EQ(rows[3].cells[static_cast<std::size_t>(ListField::Seq)], "5");
  std::string all;
  for (const auto& n : notes) all += n + "\n";
  EXPECT_NE(all.find("第 4 行“一、行政许可 0”是计数行（这一类 0 项），不是事项，未导入。"),
            std::string::npos)
      << all;
  EXPECT_NE(
      all.find("第 5 行“二、行政处罚 2”是计数行，不是事项，未导入；下面的事项没有写类型的，按“"
               "行政处罚”导入。"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("“类别及序号”列有 4 行写的是类别内的序号"), std::string::npos) << all;
}

// A number in a name cell is an item's name when nothing in its row is a type: only a section
// row's count is skipped.
TEST(ListLayout, ABareNumberIsACountOnlyBesideAType) {
  const Workbook b = csvBook({
      {"序号", "事项名称", "事项类型"},
      {"1", "2", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  EXPECT_EQ(listRows(b, *layout, notes).size(), 1u);
}

// blind5/65's shape (湖南省地震局 行政职责): no table, one line per item with its number glued to
// it (1. under 行政许可, 1、 under 行政处罚), under section lines naming the type.
TEST(ListLayout, NumberedLinesUnderTypedSectionLinesAreItems) {
  EXPECT_EQ(numberedLine("1.建设工程抗震设防要求审批"),
            std::make_pair(std::string("1"), std::string("建设工程抗震设防要求审批")));
  EXPECT_EQ(numberedLine("12、地震安全性评价单位超越资质许可的范围承揽地震安全性评价业务")->first,
            "12");
  EXPECT_EQ(numberedLine("（3）破坏典型地震遗址")->second, "破坏典型地震遗址");
  EXPECT_EQ(numberedLine("１．全角编号")->first, "1");
  EXPECT_FALSE(numberedLine("一、行政许可(共7项)"));
  EXPECT_FALSE(numberedLine("2020年本"));
  EXPECT_FALSE(numberedLine("3."));
  const Workbook b = csvBook({
      {"行政职责"},
      {"一、行政许可(共7项)"},
      {"1.建设工程抗震设防要求审批"},
      {"2.在地震监测设施和地震观测环境保护范围内进行工程建设核准"},
      {"二、行政处罚(共20项)"},
      {"1、新建、扩建、改建建设工程,对地震监测设施或者地震观测环境造成危害,"
       "又未依法事先征得同意并采取相应措施"},
      {"2、破坏典型地震遗址、遗迹"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_TRUE(layout->numbered_lines);
  std::string said;
  for (const auto& n : layout->notes) said += n + "\n";
  EXPECT_NE(said.find("文件不是表格，没有表头：每行一项，4 行以编号开头"), std::string::npos)
      << said;
  EXPECT_NE(said.find("分类行写明的类型（如“一、行政许可(共7项)”）用于其下各行"), std::string::npos)
      << said;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 4u);
  const auto name = static_cast<std::size_t>(ListField::Name);
  EXPECT_EQ(rows[0].cells[name], "建设工程抗震设防要求审批");
  EXPECT_EQ(rows[0].section_type, "xk");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Seq)], "2");
  EXPECT_EQ(rows[3].cells[name], "破坏典型地震遗址、遗迹");
  EXPECT_EQ(rows[3].section_type, "cf");
}

// Numbered lines under no line naming a power type (a report's 1. 2. 3.) are no list: refused.
TEST(ListLayout, NumberedLinesWithoutATypeAboveAreStillRefused) {
  const Workbook b = csvBook({
      {"某局2023年工作总结"},
      {"1.加强组织领导"},
      {"2.完善工作制度"},
  });
  std::string why;
  EXPECT_FALSE(detectLayout(b, {}, why));
  EXPECT_NE(why.find("找不到表头"), std::string::npos) << why;
}

TEST(ListLayout, TitleAndCountLinesAboveAHeaderWithoutSeqText) {
  // tune/08_xifeng_power.csv's shape: title, count line, 序号 column without header text.
  const Workbook b = csvBook({
      {"息烽县水务管理局2021年执法事项清单 (共105项)"},
      {"(行政许可5项、行政处罚63项、行政裁决4项)"},
      {"", "权力\n类型", "执法事项", "依   据", "执法主体"},
      {"1", "行政许可", "取水许可", "《中华人民共和国水法》第48条", "息烽县水务管理局"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->header_row, 2u);
  EXPECT_EQ(layout->columnOf(ListField::Seq), 0u);
  EXPECT_EQ(layout->columnOf(ListField::Type), 1u);
  EXPECT_EQ(layout->columnOf(ListField::Name), 2u);
  EXPECT_EQ(layout->columnOf(ListField::Bases), 3u);
  EXPECT_FALSE(layout->title_type);  // the count line names several types
}

// blind4/63's shape (马鞍山市市场监管 总目录): a title, then number, name and type per row and no
// header row at all. A reader sees the columns; the import reads them by what they hold.
TEST(ListLayout, ATableWithoutAHeaderRowIsReadByWhatItsColumnsHold) {
  const Workbook b = csvBook({
      {"【权责清单总目录】马鞍山市市场监督管理局(知识产权局)权力清单和责任清单总目录表(2020年)", "",
       ""},
      {"1", "企业登记", "行政许可"},
      {"2", "新闻媒体广告发布登记", "行政许可"},
      {"4", "对经营者实施引人误认为是他人商品或者与他人存在特定联系的混淆行为的处罚", "行政处罚"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->columnOf(ListField::Seq), 0u);
  EXPECT_EQ(layout->columnOf(ListField::Name), 1u);
  EXPECT_EQ(layout->columnOf(ListField::Type), 2u);
  std::string said;
  for (const auto& n : layout->notes) said += n + "\n";
  EXPECT_NE(said.find("文件没有表头行"), std::string::npos) << said;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Name)], "企业登记");
  EXPECT_EQ(rows[2].cells[static_cast<std::size_t>(ListField::Type)], "行政处罚");

  // The person's mapping of such a column is kept.
  LayoutChoices choices;
  choices.columns["（无表头）第1列"] = "code";
  const auto mapped = detectLayout(b, choices, why);
  ASSERT_TRUE(mapped) << why;
  EXPECT_EQ(mapped->columnOf(ListField::Code), 0u);
}

// Without a header and without a type in one column of every row, the columns cannot be told
// apart: the file is still refused, saying why.
TEST(ListLayout, RowsWithoutHeaderOrTypesAreStillRefused) {
  const Workbook b = csvBook({
      {"某局工作总结", ""},
      {"一是", "加强领导"},
      {"二是", "完善制度"},
  });
  std::string why;
  EXPECT_FALSE(detectLayout(b, {}, why));
  EXPECT_NE(why.find("找不到表头"), std::string::npos) << why;
}

TEST(ListLayout, SectionLinesGiveTheTypeAndRepeatedHeadersAreSkipped) {
  const Workbook b = csvBook({
      {"某县农业局行政权力清单"},
      {"行政许可(五项)"},
      {"-", "项目名称", "设定依据"},
      {"1", "农药经营许可", "《农药管理条例》第二十四条"},
      {"行政处罚(三十六项)"},
      {"-", "项目名称", "设定依据"},
      {"1", "对违法经营农药的处罚", "《农药管理条例》第五十五条"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].section_type, "xk");
  EXPECT_EQ(rows[1].section_type, "cf");
}

TEST(ListLayout, CoveredCellsTakeTheValueAboveOnlyWhereListsMergeThem) {
  const Workbook b = csvBook({
      {"序号", "实施主体", "事项名称", "事项类别", "备注"},
      {"1", "白城市市场监督管理局", "企业设立登记", "行政许可", "保留"},
      {"2", "", "计量标准器具核准", "", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Body)], "白城市市场监督管理局");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Type)], "行政许可");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Remarks)], "");  // not merged
  ASSERT_FALSE(notes.empty());
}

// A CSV has no merged cells: an empty 设定依据 is an item published without a basis, not the
// row above's merged down (audit H5). An .xls whose records cannot be read (Excel 95) may have
// merged it: there the row above's still fills it. The grouping columns fill down in both.
// Where the file says which cells are merged (.xlsx, and .xls from Excel 97 on), an empty cell
// that is not merged stays empty: the basis is not invented.
TEST(ListLayout, AnEmptyBasisStaysEmptyUnlessTheFileMayHaveMergedIt) {
  const std::vector<std::vector<std::string>> sheet = {
      {"序号", "事项名称", "事项类型", "实施主体", "设定依据"},
      {"1", "对违法建设的行政处罚", "行政处罚", "区综合行政执法局",
       "《中华人民共和国城乡规划法》第六十四条"},
      {"2", "对占道经营的行政处罚", "行政处罚", "", ""},
  };
  for (const FileFormat format : {FileFormat::Csv, FileFormat::Xls}) {
    for (const bool merges_known : {false, true}) {
      if (format == FileFormat::Csv && merges_known) continue;
      SCOPED_TRACE(std::string(fileFormatName(format)) + (merges_known ? " with its merges" : ""));
      Workbook b = csvBook(sheet);
      b.format = format;
      b.merges_known = merges_known;
      std::string why;
      const auto layout = detectLayout(b, {}, why);
      ASSERT_TRUE(layout) << why;
      std::vector<std::string> notes;
      const auto rows = listRows(b, *layout, notes);
      ASSERT_EQ(rows.size(), 2u);
      const bool guessed = format == FileFormat::Xls && !merges_known;
      EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Bases)],
                guessed ? "《中华人民共和国城乡规划法》第六十四条" : "");
      EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Body)], merges_known ? "" : "区综合行政执法局");
      bool basis_noted = false;
      for (const auto& n : notes) basis_noted = basis_noted || n.find("“设定依据”列有") == 0;
      EXPECT_EQ(basis_noted, guessed);
    }
  }
}

// The shape of 滨城黄河河务局's published list (tests/data/real-lists/blind2/41_*): the item's
// cells are merged down over its three 裁量基准 steps, which are columns the portal does not
// import; the 较重 and 严重 rows are part of the item, not items without a name.
TEST(ListLayout, RowsWithContentOnlyInColumnsNotImportedContinueTheItemAbove) {
  const Workbook b = csvBook({
      {"执法类别", "事项名称", "事项编码", "执法依据", "违法程度", "处罚标准(内容)", "承办机构"},
      {"行政处罚类", "在河道管理范围内修建妨碍行洪的建筑物、构筑物等的处罚", "xzcf-0001",
       "《中华人民共和国水法》第六十五条", "一般", "处1千元以上不超过1万元的罚款;", "滨城水政监察大队"},
      {"", "", "", "", "较重", "处1万元以上不超过2万元的罚款;", ""},
      {"", "", "", "", "严重", "处2万元以上不超过5万元的罚款", ""},
      {"行政处罚类", "对在河道管理范围内弃置、堆放阻碍行洪物体的处罚", "xzcf-0002", "", "一般", "", ""},
      {"", "", "", "《中华人民共和国防洪法》第五十五条", "较重", "", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  // The last row has no name, number, type or code of its own, only the 执法依据 of the item
  // above (whose own cell is empty) beside its 较重 step: the basis is that item's, and the
  // preview says so (it was refused for its missing name before).
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Code)], "xzcf-0001");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Code)], "xzcf-0002");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Bases)],
            "《中华人民共和国防洪法》第五十五条");
  bool told = false;
  bool told_basis = false;
  for (const auto& n : notes) {
    if (n.find("第 3、4 行") != std::string::npos && n.find("违法程度") != std::string::npos &&
        n.find("续行") != std::string::npos) {
      told = true;
    }
    if (n.find("第 6 行") != std::string::npos && n.find("“执法依据”") != std::string::npos &&
        n.find("续行") != std::string::npos) {
      told_basis = true;
    }
  }
  EXPECT_TRUE(told) << "the clerk is told which rows were read as continuations";
  EXPECT_TRUE(told_basis) << "and which row's text went to the item above";
}

// Whole lists as departments published them (tests/data/real-lists/full/, see the README).
Workbook fullList(const std::string& file) {
  std::ifstream in(std::string(REAL_LISTS_DIR) + "/full/" + file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  auto read = readWorkbook(s.str());
  if (const auto* e = std::get_if<WorkbookError>(&read)) ADD_FAILURE() << e->message;
  return std::get<Workbook>(read);
}

std::string cell(const ListRow& r, ListField f) { return r.cells[static_cast<std::size_t>(f)]; }

// 克拉玛依市农业农村局 publishes its list as one workbook of nine sheets, one per type
// (行政许可（11项）, 行政强制（21项）, 行政处罚（254项）, …), each under the same header: every
// sheet is the list, not only the first (which alone gave 10 of the 311 rows).
TEST(ListLayout, AWorkbookSplitBySheetPerTypeIsReadWhole) {
  const Workbook b = fullList("70_karamay-agriculture_both.xls");
  ASSERT_EQ(b.sheets.size(), 9u);
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->parts.size(), 9u);
  std::vector<std::string> notes = layout->notes;
  const auto rows = listRows(b, *layout, notes);
  // The 行政征收 sheet's hidden rows 2-3 are not imported (see the test below).
  EXPECT_EQ(rows.size(), 310u);
  std::map<std::string, int> per_sheet;
  for (const auto& r : rows) {
    ++per_sheet[r.sheet];
    EXPECT_FALSE(cell(r, ListField::Name).empty()) << r.sheet << " row " << r.row;
  }
  EXPECT_EQ(per_sheet["行政处罚（254项）"], 254);
  EXPECT_EQ(per_sheet["行政检查（ 17项）"], 17);
  // 对生猪屠宰活动的监督检查 leaves its type cell empty: its sheet's type, not the row above's.
  for (const auto& r : rows) {
    if (cell(r, ListField::Name) == "对生猪屠宰活动的监督检查") {
      EXPECT_EQ(r.section_type, std::optional<std::string>("jc"));
    }
  }
  bool told = false;
  for (const auto& n : notes)
    told = told || n.find("工作簿按事项类型分为 9 个工作表") != std::string::npos;
  EXPECT_TRUE(told);

  // The person can still pick one sheet alone.
  LayoutChoices one;
  one.sheet = "行政奖励（2项）";
  const auto picked = detectLayout(b, one, why);
  ASSERT_TRUE(picked) << why;
  EXPECT_TRUE(picked->parts.empty());
  std::vector<std::string> picked_notes;
  EXPECT_EQ(listRows(b, *picked, picked_notes).size(), 2u);
}

// The same split with the type named only in each sheet's name and title (克拉玛依市人防,
// …指导目录（行政检查类）): five sheets, 18 rows.
TEST(ListLayout, SheetsPerTypeUnderTitlesAreReadWhole) {
  const Workbook b = fullList("71_karamay-civil-defence_both.xlsx");
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 18u);
  EXPECT_EQ(cell(rows.back(), ListField::Name), "安装防空警报设施");
  EXPECT_EQ(rows.back().sheet, "其他行政权力（5项）");
}

// 克拉玛依市农业农村局's 行政征收 sheet: rows 2-3 are the same item at the region's and the
// counties' level (its name merged over both rows), row 4 the department's own; the department
// hid rows 2-3, and Excel shows row 4 alone. The .xls's records say which rows are hidden (FreeXL
// does not): row 4 is imported, and the preview says 2 hidden rows were not. (Before, rows 2-3
// came in as a second item of the same name.)
TEST(ListLayout, HiddenRowsOfAnXlsAreNotImported) {
  const Workbook b = fullList("70_karamay-agriculture_both.xls");
  ASSERT_TRUE(b.merges_known);
  LayoutChoices choices;
  choices.sheet = "行政征收（ 1 项）";
  std::string why;
  const auto layout = detectLayout(b, choices, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row, 4);
  EXPECT_EQ(cell(rows[0], ListField::Name), "对渔业资源增殖保护费的征收");
  EXPECT_EQ(cell(rows[0], ListField::Body), "地州市农业农村局");
  EXPECT_NE(std::find(notes.begin(), notes.end(), "2 个隐藏行未导入。"), notes.end())
      << ::testing::PrintToString(notes);
}

// The Karamay lists have 追责对象范围 (who answers: 1.具体承办人…) and then 追责情形 (for what):
// the 追责情形 column is the item's 追责情形.
TEST(ListLayout, TheColumnNamedAsTheFieldWinsOverASynonymBeforeIt) {
  const Workbook b = fullList("73_karamay-housing_both.xls");
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  const auto col = layout->columnOf(ListField::Accountability);
  ASSERT_TRUE(col);
  EXPECT_EQ(layout->columns[*col].header, "追责情形");
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(cell(rows[0], ListField::Accountability).rfind("因不履行或不正确履行行政职责", 0), 0u)
      << cell(rows[0], ListField::Accountability);
}

// 克拉玛依市商务局's list (full/79_*) writes 责任事项依据/追责对象范围/追责情形/备注 twice; the
// first 追责情形 column is read (its text matches the row's type), and a row whose first one is
// empty (对外劳务合作经营资格核准) takes the later column's text; the preview says so.
TEST(ListLayout, AColumnWrittenTwiceFillsTheRowsTheFirstLeavesEmpty) {
  const Workbook b = csvBook({
      {"序号", "事项名称", "权力类型", "追责情形", "备注", "追责情形", "备注"},
      {"1", "对报废机动车回收企业的监督检查", "行政检查", "1.对应当予以行政检查而不予行政检查的",
       "", "1.没有法律或者事实依据实施行政处罚的", ""},
      {"2", "对外劳务合作经营资格核准", "行政许可", "", "", "1.对符合法定条件的申请不予受理的", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->columnOf(ListField::Accountability), 3u);
  std::vector<std::string> notes = layout->notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(cell(rows[0], ListField::Accountability), "1.对应当予以行政检查而不予行政检查的");
  EXPECT_EQ(cell(rows[1], ListField::Accountability), "1.对符合法定条件的申请不予受理的");
  std::string all;
  for (const auto& n : notes) all += n + "\n";
  EXPECT_NE(all.find("“追责情形”列出现两次：按前一列导入，前一列为空的行取后一列的内容。"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("第 3 行的前一个“追责情形”列为空，取了后面同名列的内容。"), std::string::npos)
      << all;
}

// 克拉玛依市消防救援支队's header (full/76_*): 隶属机构 (新疆消防救援总队, the corps above it) comes
// before 承办机构 and 责任主体; the body read is the 承办机构, and 公开类型 is no second type.
TEST(ListLayout, TheBodyAboveTheOneThatActsIsNotItsBody) {
  const Workbook b = csvBook({
      {"序  号", "所属行政区划", "隶属机构", "项目", "职权类型", "职权编码", "承办机构", "公开类型",
       "责任主体", "上级机构"},
      {"1", "克拉玛依市", "新疆消防救援总队", "公众聚集场所投入使用营业前消防安全检查", "行政许可",
       "650200207XK01600", "各区消防救援大队", "主动\n公开", "克拉玛依市消防救援支队",
       "新疆消防救援总队/克拉玛依市人民政府"},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->columnOf(ListField::Body), 6u);
  EXPECT_EQ(layout->columnOf(ListField::Type), 4u);
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(cell(rows[0], ListField::Body), "各区消防救援大队");
}

// 清远市卫生局's published list (tests/data/real-lists/blind/16_*): 5 卫生许可 heads its
// 子项 5-1, 5-2 and has no basis of its own (the empty cell is not one merged down from 4);
// 4 is an item whose successor is 5, not 4-x.
TEST(ListLayout, ARowHeadingNumberedSubItemsIsNotAnItem) {
  const Workbook b = csvBook({
      {"编号", "事项名称", "设定依据", "实施主体", "备 注"},
      {"4", "护士执业注册和变更注册", "《中华人民共和国护士管理办法》(卫生部令第31号)第13条",
       "市、县(市、区)卫生行政部门", ""},
      {"5", "卫生许可", "", "", ""},
      {"5-1", "食品卫生许可", "《中华人民共和国食品卫生法》第27条", "市卫生行政部门", ""},
      {"5-2", "公共场所卫生许可", "国务院《公共场所卫生管理条例》第4条", "市卫生行政部门", ""},
  });
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Name)], "护士执业注册和变更注册");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Name)], "食品卫生许可");
  bool told = false;
  for (const auto& n : notes) told = told || n.find("“卫生许可”") != std::string::npos;
  EXPECT_TRUE(told);
}

TEST(ListLayout, ThePersonsChoiceOverridesTheGuess) {
  const Workbook b = csvBook({
      {"序号", "事项名称", "事项类型", "权限"},
      {"1", "取水许可", "行政许可", "息烽县"},
  });
  LayoutChoices choices;
  choices.columns["权限"] = "ignore";
  choices.columns["序号"] = "code";
  std::string why;
  const auto layout = detectLayout(b, choices, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_FALSE(layout->columnOf(ListField::Level));
  EXPECT_EQ(layout->columnOf(ListField::Code), 0u);
}

}  // namespace
