#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portal::publishing::detail {

// What FreeXL does not report about an .xls: which cells are merged, which rows, columns and
// sheets are hidden. Read from the BIFF8 records of the file's Workbook stream (the compound
// file opened with libgsf): BOUNDSHEET, MERGEDCELLS, ROW, COLINFO.
struct XlsMerge {
  std::uint16_t first_row = 0;  // 0-based, inclusive, as BIFF counts
  std::uint16_t last_row = 0;
  std::uint16_t first_col = 0;
  std::uint16_t last_col = 0;
};

struct XlsSheetLayout {
  std::string name;  // UTF-8
  bool hidden = false;
  bool worksheet = true;  // not a chart, macro or dialog sheet
  std::vector<XlsMerge> merges;
  std::vector<std::uint16_t> hidden_rows;  // 0-based
  std::vector<std::pair<std::uint16_t, std::uint16_t>> hidden_columns;  // 0-based, inclusive
};

// The layout of every sheet, in the workbook's order; nullopt when the file is not BIFF8 (an
// Excel 5/95 "Book" stream has no merged cells to report) or its records cannot be followed:
// then nothing is known, and the caller guesses as before. Bounded by the stream's size; never
// throws for bad input.
std::optional<std::vector<XlsSheetLayout>> readXlsLayout(std::string_view file);

}  // namespace portal::publishing::detail
