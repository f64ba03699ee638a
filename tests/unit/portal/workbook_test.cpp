// Workbooks as departments send them, and the files they must not be able to hurt us with.
// Every .xlsx here is written by tests/support/xlsx_writer (libzip), nothing is a stored blob;
// the .xls are real published lists (tests/data/real-lists, sources in its README).
#include "portal/publishing/workbook.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "portal/publishing/list_layout.h"
#include "tests/support/xlsx_writer.h"

namespace {

using namespace portal::publishing;
using test_support::writeXlsx;
using test_support::xlsxNumber;
using test_support::XlsxSheet;
using test_support::XlsxStyle;

const Workbook& book(const WorkbookResult& r) {
  if (const auto* e = std::get_if<WorkbookError>(&r)) ADD_FAILURE() << e->message;
  return std::get<Workbook>(r);
}

std::string refusal(const WorkbookResult& r) {
  const auto* e = std::get_if<WorkbookError>(&r);
  return e ? e->message : "(read without a refusal)";
}

// A published list's shape: a hidden note sheet, a title merged across, a two-row header
// with 职权名称 merged over 项目/子项, 实施主体 merged down, a hidden row, a code shown as 0101
// and a date stored as a serial number.
std::string publishedWorkbook() {
  XlsxSheet note;
  note.name = "填报说明";
  note.hidden = true;
  note.rows = {{"本表由系统导出"}};
  XlsxSheet list;
  list.name = "权力清单";
  list.rows = {
      {"新区城市管理局权力清单（2024年版）"},
      {"序号", "事项编码", "职权名称", "", "职权类别", "实施主体", "设定依据", "生效日期"},
      {"", "", "项目", "子项", "", "", "", ""},
      {xlsxNumber(1), xlsxNumber(101, XlsxStyle::ZeroPadded4), "对违法设置户外广告的处罚", "",
       "处罚", "新区城市管理局", "《城市市容和环境卫生管理条例》第三十六条",
       xlsxNumber(45292, XlsxStyle::Date)},
      {xlsxNumber(2), xlsxNumber(102, XlsxStyle::ZeroPadded4), "对占道经营的处罚", "", "处罚", "",
       "《城市市容和环境卫生管理条例》第三十四条", ""},
      {xlsxNumber(3), xlsxNumber(103, XlsxStyle::ZeroPadded4), "已取消的旧事项", "", "处罚", "",
       "", ""},
      {xlsxNumber(4), xlsxNumber(104, XlsxStyle::ZeroPadded4), "户外广告设置许可", "", "许可", "",
       "《城市市容和环境卫生管理条例》第十一条", ""},
  };
  list.merges = {"A1:H1", "C2:D2", "F4:F7"};
  list.hidden_rows = {6};
  return writeXlsx({note, list});
}

TEST(Workbook, XlsxKeepsCodesAsShownDatesAndMergedCells) {
  const auto read = readWorkbook(publishedWorkbook());
  const Workbook& b = book(read);
  ASSERT_EQ(b.format, FileFormat::Xlsx);
  ASSERT_EQ(b.sheets.size(), 2u);
  EXPECT_TRUE(b.sheets[0].hidden);
  const Sheet& s = b.sheets[1];
  EXPECT_EQ(s.name, "权力清单");
  ASSERT_EQ(s.rows.size(), 7u);
  EXPECT_EQ(s.rows[3].cells[1], "0101");  // a number shown with the format 0000
  EXPECT_EQ(s.rows[3].cells[7], "2024-01-01");
  EXPECT_EQ(s.rows[3].cells[0], "1");
  EXPECT_TRUE(s.rows[5].hidden);
  EXPECT_EQ(s.merges.size(), 3u);
}

TEST(Workbook, LayoutOfAPublishedWorkbook) {
  const auto read = readWorkbook(publishedWorkbook());
  const Workbook& b = book(read);
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  EXPECT_EQ(layout->sheet, 1u);  // the hidden note sheet is passed over
  EXPECT_EQ(layout->header_row, 1u);
  EXPECT_EQ(layout->header_rows, 2u);
  EXPECT_EQ(layout->columnOf(ListField::MainItem), 2u);
  EXPECT_EQ(layout->columnOf(ListField::SubName), 3u);
  EXPECT_EQ(layout->columnOf(ListField::Type), 4u);
  EXPECT_EQ(layout->columnOf(ListField::Body), 5u);
  EXPECT_EQ(layout->columnOf(ListField::Code), 1u);
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 3u);  // the hidden row is not imported
  for (const auto& r : rows) {
    EXPECT_EQ(r.cells[static_cast<std::size_t>(ListField::Body)], "新区城市管理局") << r.row;
  }
  EXPECT_EQ(rows[2].row, 7);
  EXPECT_EQ(rows[2].cells[static_cast<std::size_t>(ListField::Code)], "0104");
  bool told_hidden = false;
  bool told_merged = false;
  for (const auto& n : notes) {
    told_hidden |= n.find("隐藏行") != std::string::npos;
    told_merged |= n.find("合并单元格") != std::string::npos;
  }
  EXPECT_TRUE(told_hidden);
  EXPECT_TRUE(told_merged);
  LayoutChoices pick;
  pick.sheet = "填报说明";
  EXPECT_FALSE(detectLayout(b, pick, why));
  EXPECT_NE(why.find("找不到表头"), std::string::npos) << why;
}

// A note under the table merged across the whole row (克拉玛依市财政局's list: 备注：包括市、区两级
// 行使行政权力事项数量。) is in every column only by the merge: it is a note, not a 20th item
// named by it.
TEST(Workbook, ANoteMergedAcrossUnderTheTableIsNotAnItem) {
  XlsxSheet list;
  list.rows = {
      {"序号", "事项名称", "事项类型", "实施主体"},
      {xlsxNumber(1), "对违法设置户外广告的处罚", "行政处罚", "新区城市管理局"},
      {xlsxNumber(2), "户外广告设置许可", "行政许可", "新区城市管理局"},
      {"备注：包括市、区两级行使行政权力事项数量。", "", "", ""},
  };
  list.merges = {"A4:D4"};
  const auto read = readWorkbook(writeXlsx({list}));
  const Workbook& b = book(read);
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Name)], "户外广告设置许可");
  bool told = false;
  for (const auto& n : notes) told = told || n.find("第 4 行“备注：包括市、区两级行使行政权力事项数量。”是分类或说明行") == 0;
  EXPECT_TRUE(told) << ::testing::PrintToString(notes);
}

// What a department hides is not what it publishes: 克拉玛依市商务局's list (full/79_*) keeps an
// older copy of 责任事项依据/追责对象范围/追责情形/备注 in hidden columns L-O beside the current
// ones. A hidden column's cells are left out, and the preview says which columns.
TEST(Workbook, HiddenColumnsAreNotImported) {
  XlsxSheet list;
  list.rows = {
      {"序号", "事项名称", "事项类型", "追责情形", "追责情形"},
      {xlsxNumber(1), "对违法设置户外广告的处罚", "行政处罚", "旧版追责情形", "现行追责情形"},
      {xlsxNumber(2), "户外广告设置许可", "行政许可", "", "现行追责情形二"},
  };
  list.hidden_columns = {4};
  const auto read = readWorkbook(writeXlsx({list}));
  const Workbook& b = book(read);
  ASSERT_EQ(b.sheets.size(), 1u);
  EXPECT_EQ(b.sheets[0].hidden_columns, std::vector<std::size_t>{3});
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  const auto rows = listRows(b, *layout, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Accountability)], "现行追责情形");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Accountability)], "现行追责情形二");
  EXPECT_NE(std::find(notes.begin(), notes.end(), "D 列（第 4 列）在 Excel 中是隐藏的，其内容未导入。"), notes.end())
      << ::testing::PrintToString(notes);
}

TEST(Workbook, BadFilesAreRefusedInChineseWithinBounds) {
  WorkbookLimits small;
  small.max_unpacked_bytes = 1024 * 1024;
  small.max_rows = 1000;
  XlsxSheet one;
  one.rows = {{"事项名称", "事项类型"}, {"对某行为的处罚", "行政处罚"}};

  test_support::XlsxExtras bomb;  // inflates to 4 MB from a few KB
  bomb.padding = std::string(4 * 1024 * 1024, 'A');
  const std::string bomb_file = writeXlsx({one}, bomb);
  EXPECT_LT(bomb_file.size(), 64u * 1024);
  EXPECT_NE(refusal(readWorkbook(bomb_file, small)).find("解压后超过 1 MB"), std::string::npos);

  test_support::XlsxExtras laughs;  // entity expansion
  laughs.doctype =
      "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>";
  EXPECT_NE(refusal(readWorkbook(writeXlsx({one}, laughs))).find("DTD"), std::string::npos);

  XlsxSheet wide = one;
  wide.rows.push_back(std::vector<std::string>(16000, "x"));
  EXPECT_NE(refusal(readWorkbook(writeXlsx({wide}))).find("超过 200 列"), std::string::npos);

  XlsxSheet tall = one;
  for (int i = 0; i < 1200; ++i) tall.rows.push_back({"事项" + std::to_string(i), "行政处罚"});
  EXPECT_NE(refusal(readWorkbook(writeXlsx({tall}), small)).find("超过 999 行"),
            std::string::npos);

  test_support::XlsxExtras macro;
  macro.macro_enabled = true;
  EXPECT_NE(refusal(readWorkbook(writeXlsx({one}, macro))).find("含宏"), std::string::npos);

  EXPECT_NE(refusal(readWorkbook("%PDF-1.7\n1 0 obj\n")).find("PDF"), std::string::npos);
  EXPECT_NE(refusal(readWorkbook(std::string("PK\x03\x04garbage", 11))).find("无法作为 Excel"),
            std::string::npos);
  // An Office-encrypted workbook is an OLE compound file holding an "EncryptedPackage"
  // stream; this stand-in has the compound file's signature and that stream name (UTF-16LE).
  std::string encrypted("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  encrypted += std::string(504, '\0');
  for (char c : std::string("EncryptedPackage")) {
    encrypted += c;
    encrypted += '\0';
  }
  EXPECT_NE(refusal(readWorkbook(encrypted)).find("已加密"), std::string::npos);
  std::string broken_xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  broken_xls += std::string(1000, '\0');
  EXPECT_NE(refusal(readWorkbook(broken_xls)).find(".xls"), std::string::npos);
  EXPECT_EQ(refusal(readWorkbook("")), "文件是空的。");

  XlsxSheet empty;
  const auto read = readWorkbook(writeXlsx({empty}));
  std::string why;
  EXPECT_FALSE(detectLayout(book(read), {}, why));
  EXPECT_EQ(why, "工作表是空的，没有任何内容。");
}

std::string realList(const std::string& path) {
  std::ifstream in(std::string(REAL_LISTS_DIR) + "/" + path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// 克拉玛依市科技局's list (.xls): each of its first two items has its 序号, name, type, body and
// level merged over two rows (Excel rows 3-4 and 5-6), the second row holding only more 追责情形.
// FreeXL gives the covered cells as empty; the file's records say they are merged, as an
// .xlsx would, and which sheet and rows Excel hides (none here).
TEST(Workbook, XlsReportsItsMergedCellsFromItsRecords) {
  const WorkbookResult read = readWorkbook(realList("full/blind/72_karamay-science_both.xls"));
  const Workbook& b = book(read);
  ASSERT_EQ(b.format, FileFormat::Xls);
  EXPECT_TRUE(b.merges_known);
  ASSERT_EQ(b.sheets.size(), 1u);
  const Sheet& sheet = b.sheets[0];
  EXPECT_FALSE(sheet.hidden);
  const auto rowAt = [&](std::size_t position) { return sheet.rows.at(position).number; };
  bool name_merged = false;
  bool title_merged = false;
  for (const MergedArea& m : sheet.merges) {
    if (m.first_col == 1 && m.last_col == 1 && rowAt(m.first_row) == 3 && rowAt(m.last_row) == 4) name_merged = true;
    if (rowAt(m.first_row) == 1 && m.first_col == 0 && m.last_col == 14) title_merged = true;
  }
  EXPECT_TRUE(name_merged);
  EXPECT_TRUE(title_merged);
  for (const auto& r : sheet.rows) EXPECT_FALSE(r.hidden) << r.number;
}

// The records are read from bytes a person sent: a damaged .xls (bytes overwritten anywhere, or
// cut short) is read or refused in Chinese, never a crash or a hang. 400 variants of a real
// list.
TEST(Workbook, DamagedXlsIsReadOrRefusedNeverACrash) {
  const std::string original = realList("full/blind/72_karamay-science_both.xls");
  ASSERT_GT(original.size(), 4096u);
  int refused = 0;
  for (std::size_t i = 0; i < 400; ++i) {
    std::string damaged = original;
    if (i % 4 == 3) {
      damaged.resize(original.size() * (i + 1) / 401);
    } else {
      const std::size_t at = (i * 7919 + 512) % original.size();
      for (std::size_t k = 0; k < 8 && at + k < damaged.size(); ++k) damaged[at + k] = static_cast<char>(0xFF - k * i);
    }
    const WorkbookResult r = readWorkbook(damaged);
    if (const auto* e = std::get_if<WorkbookError>(&r)) {
      ++refused;
      EXPECT_FALSE(e->message.empty());
    }
  }
  EXPECT_GT(refused, 0);  // cut short, most are refused
}

TEST(Workbook, ExcelSerialDates) {
  EXPECT_EQ(excelSerialDate(1), "1900-01-01");
  EXPECT_EQ(excelSerialDate(59), "1900-02-28");
  EXPECT_EQ(excelSerialDate(61), "1900-03-01");
  EXPECT_EQ(excelSerialDate(45292), "2024-01-01");
  EXPECT_EQ(excelSerialDate(45351), "2024-02-29");
  EXPECT_FALSE(excelSerialDate(0.5));
  EXPECT_FALSE(excelSerialDate(-3));
}

}  // namespace
