// The CSV reader on the awkward files departments really upload.
#include "portal/publishing/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using portal::publishing::CsvEncoding;
using portal::publishing::CsvError;
using portal::publishing::CsvLimits;
using portal::publishing::CsvReader;
using portal::publishing::CsvTable;
using Records = std::vector<std::vector<std::string>>;

Records fieldsOf(const CsvTable& t) {
  Records out;
  for (const auto& r : t.records) out.push_back(r.fields);
  return out;
}

struct ReadCase {
  const char* name;
  std::string input;
  CsvEncoding encoding;
  Records records;
  std::vector<int> lines;  // where each record starts; empty: not checked
};

TEST(CsvReader, ReadsAwkwardButValidFiles) {
  const ReadCase cases[] = {
      {"LF", "a,b\n1,2\n", CsvEncoding::Utf8, {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"CRLF", "a,b\r\n1,2\r\n", CsvEncoding::Utf8, {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"lone CR (old Mac Excel)", "a\rb\r", CsvEncoding::Utf8, {{"a"}, {"b"}}, {1, 2}},
      {"no final line break", "a,b", CsvEncoding::Utf8, {{"a", "b"}}, {1}},
      {"empty trailing lines", "a\r\n\r\n\r\n", CsvEncoding::Utf8, {{"a"}}, {1}},
      {"blank line inside is skipped", "a\n\nb\n", CsvEncoding::Utf8, {{"a"}, {"b"}}, {1, 3}},
      {"UTF-8 with BOM", "\xEF\xBB\xBF事项,b\r\n", CsvEncoding::Utf8Bom, {{"事项", "b"}}, {1}},
      {"UTF-8 without BOM", "事项,名称\n", CsvEncoding::Utf8, {{"事项", "名称"}}, {1}},
      {"GBK (事项,名称)",
       "\xca\xc2\xcf\xee,\xc3\xfb\xb3\xc6\r\n",
       CsvEncoding::Gbk,
       {{"事项", "名称"}},
       {1}},
      {"GBK quoted with comma (\"事项,测试\")",
       "\"\xca\xc2\xcf\xee,\xb2\xe2\xca\xd4\",x\r\n",
       CsvEncoding::Gbk,
       {{"事项,测试", "x"}},
       {1}},
      {"embedded comma, quote and line break",
       "\"a,b\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nx,y,z\r\n",
       CsvEncoding::Utf8,
       {{"a,b", "say \"hi\"", "line1\nline2"}, {"x", "y", "z"}},
       {1, 3}},
      {"line break inside quotes as LF",
       "\"1\n2\n3\",x\n",
       CsvEncoding::Utf8,
       {{"1\n2\n3", "x"}},
       {1}},
      {"empty quoted fields", "\"\",x,\"\"\n", CsvEncoding::Utf8, {{"", "x", ""}}, {1}},
      {"trailing comma", "a,\n", CsvEncoding::Utf8, {{"a", ""}}, {1}},
      {"ragged rows kept as they are",
       "a,b,c\n1\n1,2,3,4\n",
       CsvEncoding::Utf8,
       {{"a", "b", "c"}, {"1"}, {"1", "2", "3", "4"}},
       {1, 2, 3}},
      {"quote inside an unquoted field is literal",
       "ab\"c,d\n",
       CsvEncoding::Utf8,
       {{"ab\"c", "d"}},
       {1}},
      {"Excel's empty spreadsheet row",
       "a,b\n,\n",
       CsvEncoding::Utf8,
       {{"a", "b"}, {"", ""}},
       {1, 2}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto result = CsvReader().read(c.input);
    const auto* table = std::get_if<CsvTable>(&result);
    ASSERT_NE(table, nullptr) << std::get<CsvError>(result).message;
    EXPECT_EQ(table->encoding, c.encoding);
    EXPECT_EQ(fieldsOf(*table), c.records);
    if (!c.lines.empty()) {
      std::vector<int> lines;
      for (const auto& r : table->records) lines.push_back(r.line);
      EXPECT_EQ(lines, c.lines);
    }
  }
}

struct RefusalCase {
  const char* name;
  std::string input;
  int line;              // 0: the whole file
  const char* contains;  // in the Chinese message
};

TEST(CsvReader, RefusesBrokenFilesWithAChineseReasonAndLine) {
  const RefusalCase cases[] = {
      {"unbalanced quote", "a,b\n1,\"open\n2,3\n", 2, "第 2 行"},
      {"unbalanced quote says why", "a,b\n1,\"open\n2,3\n", 2, "缺少结束引号"},
      {"text after a closing quote", "a\n\"x\"y,z\n", 2, "结束引号后面还有其他字符"},
      {"neither UTF-8 nor GBK", "abc\n\x80\x80\n", 2, "既不是有效的 UTF-8，也不是有效的 GBK"},
      {"BOM but not UTF-8 after it",
       "\xEF\xBB\xBF"
       "a\n\xca\xc2\n",
       2, "无效的 UTF-8"},
      {"empty file", "", 0, "文件是空的"},
      {"only line breaks", "\r\n\r\n", 0, "没有任何内容"},
      {"an .xlsx workbook", std::string("PK\x03\x04\x14\x00", 6), 0, ".xlsx"},
      {"an old .xls workbook", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 0, ".xls"},
      {"UTF-16 cut in the middle of a character",
       std::string("\xFF\xFE"
                   "a\0,\0b",
                   7),
       1, "不是有效的 UTF-16"},
      {"UTF-16 with an unpaired surrogate",
       std::string("\xFF\xFE"
                   "a\0\n\0\x00\xD8"
                   "b\0",
                   10),
       2, "不是有效的 UTF-16"},
      {"UTF-16 with a NUL character", std::string("\xFE\xFF\0a\0\0", 6), 1, "空字符"},
      {"NUL bytes", std::string("a,b\nc\0d\n", 8), 2, "空字符"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto result = CsvReader().read(c.input);
    const auto* error = std::get_if<CsvError>(&result);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->line, c.line);
    EXPECT_NE(error->message.find(c.contains), std::string::npos) << error->message;
  }
}

// Excel's "Unicode 文本" (UTF-16 LE with a BOM, tab-separated) and a UTF-16 CSV (audit L3).
std::string utf16(const std::u16string& text, bool little) {
  std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t u : text) {
    const char lo = static_cast<char>(u & 0xFF);
    const char hi = static_cast<char>(u >> 8);
    out += little ? std::string{lo, hi} : std::string{hi, lo};
  }
  return out;
}

TEST(CsvReader, ReadsUtf16TabSeparatedAsExcelsUnicodeTextAndUtf16Csv) {
  const auto tabbed = CsvReader().read(
      utf16(u"事项编码\t事项名称\t设定依据\r\nCF-1\t对违法建设的处罚\t\"《城乡规划法》第六十四条，"
            u"第六十五条\"\r\nCF-2\t\U0002A6A5字号\t\r\n",
            true));
  const auto* table = std::get_if<CsvTable>(&tabbed);
  ASSERT_NE(table, nullptr) << std::get<CsvError>(tabbed).message;
  EXPECT_EQ(table->encoding, CsvEncoding::Utf16Le);
  EXPECT_EQ(table->delimiter, '\t');
  EXPECT_EQ(fieldsOf(*table),
            (Records{{"事项编码", "事项名称", "设定依据"},
                     {"CF-1", "对违法建设的处罚", "《城乡规划法》第六十四条，第六十五条"},
                     {"CF-2", "\xF0\xAA\x9A\xA5字号", ""}}));
  EXPECT_EQ(portal::publishing::csvEncodingName(table->encoding), "UTF-16");

  const auto commas = CsvReader().read(utf16(u"事项编码,事项名称\nCF-1,\"甲\t乙\"\n", false));
  table = std::get_if<CsvTable>(&commas);
  ASSERT_NE(table, nullptr) << std::get<CsvError>(commas).message;
  EXPECT_EQ(table->encoding, CsvEncoding::Utf16Be);
  EXPECT_EQ(table->delimiter, ',');
  EXPECT_EQ(fieldsOf(*table), (Records{{"事项编码", "事项名称"}, {"CF-1", "甲\t乙"}}));
}

TEST(CsvReader, Refuses50000RowsEarly) {
  std::string input = "事项编码,事项名称\r\n";
  for (int i = 0; i < 50000; ++i) input += "CF-" + std::to_string(i) + ",名称\r\n";
  const auto result = CsvReader().read(input);
  const auto* error = std::get_if<CsvError>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 20002);
  EXPECT_NE(error->message.find("最多 20001 行（含表头）"), std::string::npos) << error->message;
}

TEST(CsvReader, AcceptsExactlyTheRowLimit) {
  CsvLimits limits;
  limits.max_records = 3;
  EXPECT_TRUE(std::holds_alternative<CsvTable>(CsvReader(limits).read("h\n1\n2\n")));
  EXPECT_TRUE(std::holds_alternative<CsvError>(CsvReader(limits).read("h\n1\n2\n3\n")));
}

TEST(CsvReader, RefusesA20MegabyteFileBeforeReadingIt) {
  const std::string input(20 * 1024 * 1024, 'a');
  const auto result = CsvReader().read(input);
  const auto* error = std::get_if<CsvError>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 0);
  EXPECT_NE(error->message.find("文件大小为 20 MB，超过上限 10 MB"), std::string::npos)
      << error->message;
}

TEST(CsvReader, RefusesTooManyColumns) {
  CsvLimits limits;
  limits.max_fields = 3;
  const auto result = CsvReader(limits).read("a,b,c\n1,2,3,4\n");
  const auto* error = std::get_if<CsvError>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 2);
}

TEST(CsvWriter, WritesWhatExcelOpensAndReadsBackTheSameFields) {
  const Records records = {{"事项编码", "设定依据"},
                           {"CF-1", "《法》第一条：甲，乙\n《法》第二条：“丙”"},
                           {"say \"hi\"", ""},
                           {""}};
  const std::string csv = portal::publishing::writeCsv(records);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") + 2 - 3), "事项编码,设定依据\r\n");
  EXPECT_NE(csv.find("\"《法》第一条：甲，乙\n《法》第二条：“丙”\"\r\n"), std::string::npos);
  const auto result = CsvReader().read(csv);
  ASSERT_TRUE(std::holds_alternative<CsvTable>(result));
  EXPECT_EQ(std::get<CsvTable>(result).encoding, CsvEncoding::Utf8Bom);
  EXPECT_EQ(fieldsOf(std::get<CsvTable>(result)), records);
}

TEST(CsvWriter, CellsExcelWouldRunAsFormulasAreWrittenAsText) {
  const std::string csv =
      portal::publishing::writeCsv({{"=HYPERLINK(\"http://x\")", "+86 431", "-", "@SUM(A1)", "a-b"}});
  EXPECT_EQ(csv, "\xEF\xBB\xBF\"'=HYPERLINK(\"\"http://x\"\")\",'+86 431,'-,'@SUM(A1),a-b\r\n");
}

}  // namespace

