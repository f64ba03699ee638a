#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "portal/publishing/csv_reader.h"

namespace portal::publishing {

// A spreadsheet as departments send it, whatever the file: CSV (UTF-8 with or without BOM,
// GBK, UTF-16 comma- or tab-separated), .xlsx (read with libzip and expat), .xls (BIFF,
// read with libfreexl), or a list published as a table in a Word document (.docx, one sheet:
// docx_reader.cpp).
enum class FileFormat { Csv, Xlsx, Xls, Docx };
std::string_view fileFormatName(FileFormat f);  // CSV | Excel 工作簿 (.xlsx) | Excel 97-2003 (.xls) | Word 文档 (.docx)

struct SheetRow {
  int number = 0;  // the row number Excel shows (1-based); for CSV the record's position
  int line = 0;    // CSV: physical line where the record starts; 0 otherwise
  bool hidden = false;
  std::vector<std::string> cells;  // UTF-8, line ends "\n"; trailing empty cells may be absent
};

// A merged area, 0-based and inclusive, in row positions of Sheet::rows (not row numbers)
// and column indexes. Only the top-left cell holds the value; covered cells are empty.
struct MergedArea {
  std::size_t first_row = 0;
  std::size_t last_row = 0;
  std::size_t first_col = 0;
  std::size_t last_col = 0;
};

struct Sheet {
  std::string name;
  bool hidden = false;
  std::vector<SheetRow> rows;  // only rows with a cell; in order
  std::vector<MergedArea> merges;
  // Columns Excel hides (0-based) that held text. Their cells are left out of `rows`: Excel does
  // not show them, and what a department hides is not what it publishes (克拉玛依市商务局 keeps
  // an older copy of four columns hidden beside the current ones).
  std::vector<std::size_t> hidden_columns;
  std::size_t columns() const;
};

struct Workbook {
  FileFormat format = FileFormat::Csv;
  std::optional<CsvEncoding> encoding;  // CSV only
  char delimiter = ',';                 // CSV only: '\t' for tab-separated UTF-16 text
  // Sheet::merges and the hidden rows are as the file says (.xlsx; .xls when its records could
  // be read). Otherwise covered cells are merely empty, and readers of the list guess.
  bool merges_known = false;
  std::vector<Sheet> sheets;            // at least one
};

// What a reader accepts before it refuses a file: bounded memory and time whatever the file
// claims. Defaults suit lists of tens of thousands of rows.
struct WorkbookLimits {
  std::size_t max_bytes = 20 * 1024 * 1024;             // the file as uploaded
  std::size_t max_rows = 50001;                         // per sheet, with title and header rows
  std::size_t max_columns = 200;                        // real lists have about 15
  std::size_t max_unpacked_bytes = 256 * 1024 * 1024;   // .xlsx: all parts read, inflated
  std::size_t max_cell_bytes = 256 * 1024;              // one cell's text
  // All cells' text, a merged area's counted once for every cell it covers (the importer fills
  // them): a 100 KB file repeating one long text (a shared string, a merge down 5,000 rows)
  // would otherwise take gigabytes.
  std::size_t max_text_bytes = 128 * 1024 * 1024;
};

// Why a file cannot be read, in Chinese for the person who sent it.
struct WorkbookError {
  std::string message;
};

using WorkbookResult = std::variant<Workbook, WorkbookError>;

// Reads any of the formats, told apart by their first bytes, not by the file's name. Refuses
// (as WorkbookError, nothing else happens): encrypted workbooks, workbooks with macros, PDF and
// other files renamed, zip bombs, XML with a DTD (entity expansion), more rows or columns than
// the limits, files without any cell. Never throws for bad input (std::bad_alloc aside).
// Stateless; safe from any thread.
WorkbookResult readWorkbook(std::string_view bytes, const WorkbookLimits& limits = {});

// Excel's day number (1900 date system, with its 1900-02-29) as YYYY-MM-DD; nullopt outside
// 1900..9999 or when not a whole day count.
std::optional<std::string> excelSerialDate(double serial);

namespace detail {
// The refusal when a workbook's text passes limits.max_text_bytes.
std::string tooMuchText(const WorkbookLimits& limits);
// Adds merged areas given in row numbers (as Excel shows them, 1-based) and column indexes to
// sheet.merges, in positions of sheet.rows (rows without cells are absent). `rows` and `cols`
// pair up: the first and last row, the first and last column of each area.
void placeMerges(Sheet& sheet, const std::vector<std::pair<long, long>>& rows,
                 const std::vector<std::pair<std::size_t, std::size_t>>& cols);
// Leaves out the cells of the columns in `hidden` (0-based, inclusive ranges) and lists those
// that held text in sheet.hidden_columns.
void leaveOutHiddenColumns(Sheet& sheet, const std::vector<std::pair<std::size_t, std::size_t>>& hidden);
WorkbookResult readXlsx(std::string_view bytes, const WorkbookLimits& limits);
WorkbookResult readXls(std::string_view bytes, const WorkbookLimits& limits);
WorkbookResult readDocx(std::string_view bytes, const WorkbookLimits& limits);
}  // namespace detail

}  // namespace portal::publishing
