#include "portal/publishing/workbook.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace portal::publishing {

std::string_view fileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::Csv:
      return "CSV";
    case FileFormat::Xlsx:
      return "Excel 工作簿（.xlsx）";
    case FileFormat::Xls:
      return "Excel 97-2003 工作簿（.xls）";
    case FileFormat::Docx:
      return "Word 文档（.docx）";
  }
  return "CSV";
}

std::size_t Sheet::columns() const {
  std::size_t n = 0;
  for (const auto& r : rows) n = std::max(n, r.cells.size());
  return n;
}

std::optional<std::string> excelSerialDate(double serial) {
  if (!(serial >= 1 && serial < 2958466) || serial != std::floor(serial)) return std::nullopt;
  long days = static_cast<long>(serial);
  if (days == 60) return "1900-02-29";  // Lotus's leap day, kept by Excel
  if (days > 60) --days;
  // Serial 25569 is 1970-01-01; civil-from-days (H. Hinnant) from 0000-03-01.
  const long z = days - 25568 + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y % 10000),
                static_cast<int>(m % 100), static_cast<int>(d % 100));
  return std::string(buf);
}

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

WorkbookResult readCsvWorkbook(std::string_view bytes, const WorkbookLimits& limits) {
  CsvLimits csv;
  csv.max_bytes = limits.max_bytes;
  csv.max_records = limits.max_rows;
  csv.max_fields = limits.max_columns;
  CsvReadResult read = CsvReader(csv).read(bytes);
  if (auto* e = std::get_if<CsvError>(&read)) return WorkbookError{e->message};
  CsvTable& table = std::get<CsvTable>(read);
  Workbook book;
  book.format = FileFormat::Csv;
  book.encoding = table.encoding;
  book.delimiter = table.delimiter;
  Sheet sheet;
  int number = 0;
  for (auto& record : table.records) {
    SheetRow row;
    row.number = ++number;
    row.line = record.line;
    row.cells = std::move(record.fields);
    sheet.rows.push_back(std::move(row));
  }
  book.sheets.push_back(std::move(sheet));
  return book;
}

}  // namespace

namespace {

// The text a list made of `book` holds once every merged area's covered cells take its text, as
// the importer fills them; stops counting past `limit`.
std::size_t textBytes(const Workbook& book, std::size_t limit) {
  std::size_t total = 0;
  for (const auto& sheet : book.sheets) {
    for (const auto& r : sheet.rows) {
      for (const auto& c : r.cells) total += c.size();
    }
    for (const auto& m : sheet.merges) {
      if (total > limit) return total;
      if (m.first_row >= sheet.rows.size()) continue;
      const auto& top = sheet.rows[m.first_row].cells;
      const std::size_t text = m.first_col < top.size() ? top[m.first_col].size() : 0;
      const std::size_t covered = (m.last_row - m.first_row + 1) * (m.last_col - m.first_col + 1) - 1;
      total += text * covered;
    }
  }
  return total;
}

WorkbookResult readAnyFormat(std::string_view bytes, const WorkbookLimits& limits) {
  if (bytes.empty()) return WorkbookError{"文件是空的。"};
  if (bytes.size() > limits.max_bytes) {
    return WorkbookError{"文件超过 " + std::to_string(limits.max_bytes / (1024 * 1024)) +
                         " MB，请拆分后再导入。"};
  }
  if (startsWith(bytes, "%PDF")) {
    return WorkbookError{
        "这是一个 PDF 文件，不是电子表格。请上传 Excel（.xlsx/.xls）或 CSV 格式的清单。"};
  }
  if (startsWith(bytes, "PK\x03\x04") || startsWith(bytes, "PK\x05\x06")) {
    return detail::readXlsx(bytes, limits);
  }
  // Excel's "Unicode 文本": UTF-16 with its BOM (NUL bytes in every ASCII character).
  if (startsWith(bytes, "\xFF\xFE") || startsWith(bytes, "\xFE\xFF")) {
    return readCsvWorkbook(bytes, limits);
  }
  if (startsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return detail::readXls(bytes, limits);
  for (std::string_view magic :
       {std::string_view("\x89PNG"), std::string_view("\xFF\xD8\xFF"), std::string_view("GIF8"),
        std::string_view("Rar!"), std::string_view("7z\xBC\xAF"), std::string_view("\x1F\x8B")}) {
    if (startsWith(bytes, magic)) {
      return WorkbookError{
          "这个文件不是电子表格（可能是图片或压缩包）。请上传 Excel（.xlsx/.xls）或 CSV 格式的清单。"};
    }
  }
  std::string_view head = bytes.substr(0, 512);
  for (std::string_view html : {"<html", "<HTML", "<!DOCTYPE", "<!doctype", "<table", "<?xml"}) {
    if (head.find(html) != std::string_view::npos) {
      return WorkbookError{
          "这个文件是网页或 XML 格式（有的系统导出的“.xls”其实是网页），不是电子表格。请用 Excel "
          "打开后另存为 .xlsx 再导入。"};
    }
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return WorkbookError{"这个文件不是电子表格或文本文件。请上传 Excel（.xlsx/.xls）或 CSV 格式的清单。"};
  }
  return readCsvWorkbook(bytes, limits);
}

}  // namespace

WorkbookResult readWorkbook(std::string_view bytes, const WorkbookLimits& limits) {
  WorkbookResult read = readAnyFormat(bytes, limits);
  if (const auto* book = std::get_if<Workbook>(&read); book && textBytes(*book, limits.max_text_bytes) > limits.max_text_bytes) {
    return WorkbookError{detail::tooMuchText(limits)};
  }
  return read;
}

namespace detail {

std::string tooMuchText(const WorkbookLimits& limits) {
  return "表格中的文字展开后超过 " + std::to_string(limits.max_text_bytes / (1024 * 1024)) +
         " MB（合并单元格的内容按其覆盖的每一格计），不像是一份清单，已拒绝。请拆分后再导入。";
}

void placeMerges(Sheet& sheet, const std::vector<std::pair<long, long>>& rows,
                 const std::vector<std::pair<std::size_t, std::size_t>>& cols) {
  // Merged areas never overlap in a file Excel wrote, so together they cover at most the
  // sheet's cells. Beyond that they overlap, and the rest are left out: the importer fills every
  // cell of every area, and 100,000 copies of one area over 2,000 rows took it minutes.
  std::size_t widest = 0;
  for (const auto& c : cols) widest = std::max(widest, c.second);
  const std::size_t cells = sheet.rows.size() * (widest + 1);
  std::size_t covered = 0;
  for (std::size_t m = 0; m < rows.size() && m < cols.size(); ++m) {
    const auto first = std::lower_bound(
        sheet.rows.begin(), sheet.rows.end(), rows[m].first,
        [](const SheetRow& r, long n) { return r.number < n; });
    if (first == sheet.rows.end() || first->number > rows[m].second) continue;
    auto last = std::upper_bound(sheet.rows.begin(), sheet.rows.end(), rows[m].second,
                                 [](long n, const SheetRow& r) { return n < r.number; });
    MergedArea a;
    a.first_row = static_cast<std::size_t>(first - sheet.rows.begin());
    a.last_row = static_cast<std::size_t>(last - sheet.rows.begin()) - 1;
    a.first_col = cols[m].first;
    a.last_col = cols[m].second;
    if (a.first_col > a.last_col) continue;
    covered += (a.last_row - a.first_row + 1) * (a.last_col - a.first_col + 1);
    if (covered > cells) break;
    if (a.first_row != a.last_row || a.first_col != a.last_col) sheet.merges.push_back(a);
  }
}

void leaveOutHiddenColumns(Sheet& sheet, const std::vector<std::pair<std::size_t, std::size_t>>& hidden) {
  if (hidden.empty()) return;
  std::size_t widest = 0;
  for (const auto& r : sheet.rows) widest = std::max(widest, r.cells.size());
  std::vector<bool> is_hidden(widest, false);
  for (const auto& [first, last] : hidden) {
    for (std::size_t c = first; c <= last && c < widest; ++c) is_hidden[c] = true;
  }
  std::vector<bool> held(widest, false);
  for (auto& r : sheet.rows) {
    for (std::size_t c = 0; c < r.cells.size(); ++c) {
      if (!is_hidden[c] || r.cells[c].empty()) continue;
      r.cells[c].clear();
      held[c] = true;
    }
    while (!r.cells.empty() && r.cells.back().empty()) r.cells.pop_back();
  }
  for (std::size_t c = 0; c < widest; ++c) {
    if (held[c]) sheet.hidden_columns.push_back(c);
  }
}

}  // namespace detail

}  // namespace portal::publishing
