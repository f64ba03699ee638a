#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace test_support {

// Writes small .xlsx workbooks for tests and benchmarks with libzip, the way Excel lays them
// out: [Content_Types].xml, xl/workbook.xml and its relationships, shared strings, styles
// (style 1 shows a number as 0000, style 2 as a date), one worksheet part per sheet with
// <mergeCells> and hidden rows. Text cells go to the shared strings.
struct XlsxSheet {
  std::string name = "Sheet1";
  bool hidden = false;
  std::vector<std::vector<std::string>> rows;  // see xlsxNumber() for numeric cells
  std::vector<std::string> merges;             // "A1:D1"
  std::set<int> hidden_rows;                   // 1-based row numbers
  std::set<int> hidden_columns;                // 1-based column numbers
};

struct XlsxExtras {
  bool macro_enabled = false;    // content type of a .xlsm and an xl/vbaProject.bin part
  std::string doctype;           // put into the first sheet part before <worksheet>
  std::string padding;           // appended inside the first sheet part as an XML comment
};

// `s` with & < > " written as XML entities.
std::string xmlEscape(const std::string& s);

// A zip of the named parts (an Office Open XML package when the parts are one's).
std::string writeZip(const std::map<std::string, std::string>& parts);

enum class XlsxStyle { General = 0, ZeroPadded4 = 1, Date = 2 };

// A numeric cell: `value` stored as a number with the given style.
std::string xlsxNumber(double value, XlsxStyle style = XlsxStyle::General);

// The workbook's bytes. Throws std::runtime_error if libzip fails.
std::string writeXlsx(const std::vector<XlsxSheet>& sheets, const XlsxExtras& extras = {});

}  // namespace test_support
