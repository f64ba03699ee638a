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
#include "portal/publishing/xls_layout.h"
#include "tests/support/docx_writer.h"
#include "tests/support/xls_records.h"
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

// The items of `b`'s list as the importer reads them, with its notes in `notes`; a failure
// (and none) when no header is found.
std::vector<ListRow> listOf(const Workbook& b, std::vector<std::string>& notes) {
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  if (!layout) {
    ADD_FAILURE() << why;
    return {};
  }
  return listRows(b, *layout, notes);
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
  std::vector<std::string> notes;
  const auto rows = listOf(b, notes);
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
  std::vector<std::string> notes;
  const auto rows = listOf(b, notes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Accountability)], "现行追责情形");
  EXPECT_EQ(rows[1].cells[static_cast<std::size_t>(ListField::Accountability)], "现行追责情形二");
  EXPECT_NE(std::find(notes.begin(), notes.end(), "D 列（第 4 列）在 Excel 中是隐藏的，其内容未导入。"), notes.end())
      << ::testing::PrintToString(notes);
}

// A small file whose text is huge once read: one long 设定依据 merged down every row, or one
// long shared string used in every row. Each would take gigabytes at 50,000 rows (review of the
// .xls records); both are refused in Chinese within the text budget, and a list of the same
// shape with short texts is read.
TEST(Workbook, TextRepeatedByMergesOrSharedStringsIsRefusedPastTheBudget) {
  WorkbookLimits limits;
  limits.max_text_bytes = 4 * 1024 * 1024;
  const std::string basis(100 * 1024, 'x');
  const auto list = [&](bool merged, const std::string& text) {
    XlsxSheet sheet;
    sheet.rows = {{"序号", "事项名称", "设定依据"}};
    for (int i = 1; i <= 100; ++i) {
      sheet.rows.push_back({xlsxNumber(i), "事项" + std::to_string(i), merged && i > 1 ? "" : text});
    }
    if (merged) sheet.merges = {"C2:C101"};
    return writeXlsx({sheet});
  };
  EXPECT_NE(refusal(readWorkbook(list(true, basis), limits)).find("合并单元格的内容按其覆盖的每一格计"), std::string::npos);
  EXPECT_NE(refusal(readWorkbook(list(false, basis), limits)).find("表格中的文字展开后超过 4 MB"), std::string::npos);
  EXPECT_EQ(refusal(readWorkbook(list(true, "《城市市容和环境卫生管理条例》第三十六条"), limits)),
            "(read without a refusal)");
}

// Lists are often published as a table in a Word document. The rows of 白城市市场监督管理局's
// list (tests/data/real-lists/tune/12_baicheng_power.csv, its first four items as published),
// laid out as Word would: a line above the table, 实施主体 one cell merged down over the items
// (w:vMerge), a closing row spanning the table (w:gridSpan), a note under it.
TEST(Workbook, AListPublishedAsATableInAWordDocumentIsRead) {
  using test_support::DocxBlock;
  const auto paragraph = [](const std::string& text) {
    DocxBlock b;
    b.paragraph = text;
    return b;
  };
  using test_support::DocxCell;
  const auto restart = DocxCell::VMerge::Restart;
  const auto covered = DocxCell::VMerge::Continue;
  DocxBlock table;
  table.table = {
      {{"序号"}, {"实施主体"}, {"事项名称(主项)"}, {"事项类别"}, {"行使层级"}},
      {{"1"}, {"白城市市场监督管理局", 1, restart}, {"企业设立、变更、注销登记"}, {"行政许可"}, {"市级"}},
      {{"2"}, {"", 1, covered}, {"计量标准器具核准"}, {"行政许可"}, {"市级"}},
      {{"3"}, {"", 1, covered}, {"承担国家法定计量检定机构任务授权"}, {"行政许可"}, {"市级"}},
      {{"4"}, {"", 1, covered}, {"特种设备安全管理人员和作业\n人员资格认定"}, {"行政许可"}, {"市级"}},
      {{"共 4 项", 5}},
  };
  const std::string docx =
      test_support::writeDocx({paragraph("附件"), table, paragraph("注：本清单随机构改革动态调整。")});
  const auto read = readWorkbook(docx);
  const Workbook& b = book(read);
  ASSERT_EQ(b.format, FileFormat::Docx);
  EXPECT_TRUE(b.merges_known);
  ASSERT_EQ(b.sheets.size(), 1u);
  std::vector<std::string> notes;
  const auto rows = listOf(b, notes);
  ASSERT_EQ(rows.size(), 4u) << ::testing::PrintToString(notes);
  for (const auto& r : rows) {
    EXPECT_EQ(r.cells[static_cast<std::size_t>(ListField::Body)], "白城市市场监督管理局") << r.row;
    EXPECT_EQ(r.cells[static_cast<std::size_t>(ListField::Type)], "行政许可") << r.row;
  }
  EXPECT_EQ(rows[3].cells[static_cast<std::size_t>(ListField::Name)], "特种设备安全管理人员和作业\n人员资格认定");
  EXPECT_EQ(rows[0].cells[static_cast<std::size_t>(ListField::Name)], "企业设立、变更、注销登记");
}

// A .docx without any text is refused in Chinese, not read as an empty list.
TEST(Workbook, AWordDocumentWithoutTextIsRefusedInChinese) {
  EXPECT_NE(refusal(readWorkbook(test_support::writeDocx({}))).find("Word 文档中没有文字或表格"), std::string::npos);
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

// ---- Review of d7297e0 (.xls records) ----
// Real lists with records added (a chart sheet, a merged area, sheets), written again through
// libgsf (tests/support/xls_records).
namespace {

using test_support::XlsRecord;
using test_support::XlsSubstream;

// `path`'s records with `extra` added to the globals after the last BOUNDSHEET, `sheet_extra`
// before the first sheet's EOF, and `more` substreams after the last.
std::vector<XlsSubstream> xlsWith(const std::string& path, const std::vector<XlsRecord>& extra,
                                  const std::vector<XlsRecord>& sheet_extra,
                                  const std::vector<XlsSubstream>& more = {}) {
  std::vector<XlsSubstream> subs = test_support::readXlsSubstreams(realList(path));
  if (subs.size() < 2) return subs;
  auto& globals = subs[0];
  auto last = globals.begin();
  for (auto it = globals.begin(); it != globals.end(); ++it) {
    if (it->type == 0x0085) last = it;
  }
  globals.insert(last + 1, extra.begin(), extra.end());
  subs[1].insert(subs[1].end() - 1, sheet_extra.begin(), sheet_extra.end());
  subs.insert(subs.end(), more.begin(), more.end());
  return subs;
}

// Every item a list gives, each cell of it, with the notes.
std::vector<std::string> itemsOf(const Workbook& b) {
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  if (!layout) return {"no layout: " + why};
  std::vector<std::string> notes;
  std::vector<std::string> out;
  for (const auto& row : listRows(b, *layout, notes)) {
    std::string line = std::to_string(row.row);
    for (const auto& c : row.cells) line += "|" + c;
    out.push_back(line);
  }
  out.insert(out.end(), notes.begin(), notes.end());
  return out;
}

// The first item (or note) that differs, both ways, cut short; empty when none does.
std::string firstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(none)";
    const std::string y = i < b.size() ? b[i] : "(none)";
    if (x != y) return "#" + std::to_string(i) + ": " + x.substr(0, 300) + "\n  vs " + y.substr(0, 300);
  }
  return "";
}

const std::vector<std::string> kRealXls = {
    "full/blind/72_karamay-science_both.xls",       "full/blind2/85_karamay-ecology_both.xls",
    "full/blind2/77_karamay-hrss_both.xls",         "full/70_karamay-agriculture_both.xls",
    "full/83_karamay-forestry_both.xls",            "full/73_karamay-housing_both.xls",
    "full/82_karamay-government-offices_both.xls",  "full/78_karamay-development-reform_both.xls",
    "xls/33_karamay-medical-security_both.xls"};

// The records written again unchanged give the same workbook (the helper's own check).
TEST(ReviewXls, RealListsWrittenAgainReadTheSame) {
  for (const auto& path : kRealXls) {
    SCOPED_TRACE(path);
    const WorkbookResult a = readWorkbook(realList(path));
    const WorkbookResult b = readWorkbook(test_support::writeXls(test_support::readXlsSubstreams(realList(path))));
    EXPECT_TRUE(book(b).merges_known);
    EXPECT_EQ(firstDifference(itemsOf(book(a)), itemsOf(book(b))), "");
  }
}

// A chart sheet (图表1) beside the list: FreeXL lists it as a sheet, the records as a chart. The
// list's merges are still known, and the items are those of the list without it. (Before, the
// chart made the whole workbook's merges unknown while its sheets kept them: the importer then
// guessed on top, and an empty 实施主体 or 设定依据 took the row above's.)
TEST(ReviewXls, AChartSheetBesideTheListChangesNoItem) {
  for (const auto& path : kRealXls) {
    SCOPED_TRACE(path);
    const WorkbookResult plain = readWorkbook(realList(path));
    const WorkbookResult charted = readWorkbook(test_support::writeXls(
        xlsWith(path, {test_support::boundSheet("图表1", 2)}, {}, {{test_support::bof(0x20), test_support::eof()}})));
    const Workbook& b = book(charted);
    ASSERT_EQ(b.sheets.size(), book(plain).sheets.size() + 1);
    EXPECT_TRUE(b.merges_known);
    EXPECT_EQ(firstDifference(itemsOf(b), itemsOf(book(plain))), "");
  }
}

// A merged area over columns to 65,535 (a damaged record, or one over all of BIFF8's 256) is
// cut at the columns a list may have, as an .xlsx's: its rows do not get 65,536 cells each. (A
// 62 KB file of 1,000 rows under such a merge took the importer over five minutes and 5 GB.)
TEST(ReviewXls, AMergeOverEveryColumnIsCutAtTheColumnsAListMayHave) {
  std::vector<XlsRecord> cells;
  for (int k = 0; k < 1000; ++k) cells.push_back(test_support::numberCell(static_cast<std::uint16_t>(8 + k), 0, k));
  cells.push_back(test_support::mergedCells(8, 1007, 1, 65535));
  std::vector<XlsSubstream> subs = xlsWith("full/blind/72_karamay-science_both.xls", {}, cells);
  for (auto& rec : subs[1]) {
    if (rec.type == 0x0200) rec.data[5] = 0x04;  // DIMENSION's last row: 1,024
  }
  const WorkbookLimits limits;
  const WorkbookResult r = readWorkbook(test_support::writeXls(subs), limits);
  const Workbook& b = book(r);
  ASSERT_TRUE(b.merges_known);
  bool wide = false;
  for (const auto& m : b.sheets[0].merges) {
    EXPECT_LE(m.last_col, limits.max_columns);
    wide = wide || m.last_col == limits.max_columns;
  }
  EXPECT_TRUE(wide);
  const auto items = itemsOf(b);
  EXPECT_GT(items.size(), 1000u);
}

// Two thousand BOUNDSHEETs naming the one sheet of a 1.2 MB file that hides 60,000 rows: its
// records are not followed (Excel never writes two sheets at one place), instead of reading the
// sheet two thousand times and holding 120 million hidden rows (a minute and 240 MB before).
TEST(ReviewXls, SheetsNamingOnePlaceAreNotReadOverAndOver) {
  std::vector<XlsRecord> sheets;
  for (int k = 0; k < 2000; ++k) sheets.push_back(test_support::boundSheet("S" + std::to_string(k)));
  std::vector<XlsRecord> rows;
  for (int k = 0; k < 60000; ++k) rows.push_back(test_support::rowRecord(static_cast<std::uint16_t>(k), true));
  const std::vector<std::size_t> all_at_the_first(2001, 1);
  const std::string xls =
      test_support::writeXls(xlsWith("full/blind/72_karamay-science_both.xls", sheets, rows), all_at_the_first);
  const auto layouts = portal::publishing::detail::readXlsLayout(xls);
  std::size_t held = 0;
  if (layouts) {
    for (const auto& l : *layouts) held += l.hidden_rows.size();
  }
  EXPECT_LE(held, 60000u);
}

}  // namespace
namespace {

// Merged areas that overlap (Excel never writes them): 100,000 copies of one area over 2,000
// rows, a 3 MB .xlsx (an .xls holds as many in 1.2 MB). Together they would cover more cells
// than the sheet has; the rest are left out. Before, the importer filled every cell of every
// copy: 400 million cells, about 10 s (minutes for a sheet of 50,000 rows).
TEST(ReviewXls, OverlappingMergedAreasAreNotFilledOverAndOver) {
  XlsxSheet list;
  list.rows = {{"序号", "事项名称", "事项类型", "实施主体"}};
  for (int k = 0; k < 2000; ++k) list.rows.push_back({xlsxNumber(k + 1), "事项" + std::to_string(k), "行政处罚", "区局"});
  for (int m = 0; m < 100000; ++m) list.merges.push_back("C2:D2001");
  const WorkbookResult r = readWorkbook(writeXlsx({list}));
  const Workbook& b = book(r);
  EXPECT_LE(b.sheets[0].merges.size(), 2u);
  std::string why;
  const auto layout = detectLayout(b, {}, why);
  ASSERT_TRUE(layout) << why;
  std::vector<std::string> notes;
  EXPECT_EQ(listRows(b, *layout, notes).size(), 2000u);
}

}  // namespace
