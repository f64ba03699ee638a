#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

// The BIFF records of an .xls's Workbook stream, for tests that change a real list's records
// (add a sheet, a merged area, hidden rows) and write the file again: read and written with
// libgsf's compound file (OLE2) reader and writer.
struct XlsRecord {
  std::uint16_t type = 0;
  std::string data;
};

// One substream: BOF .. EOF (the workbook globals first, then each sheet's).
using XlsSubstream = std::vector<XlsRecord>;

// The substreams of `xls`'s Workbook stream, in stream order; empty when there is none.
std::vector<XlsSubstream> readXlsSubstreams(std::string_view xls);

// An .xls whose Workbook stream is `subs` laid end to end; the k-th BOUNDSHEET (0x0085) of the
// globals (subs[0]) is pointed at the substream subs[sheet_of[k]] (k-th sheet substream, subs[k+1],
// when sheet_of is shorter).
std::string writeXls(const std::vector<XlsSubstream>& subs, const std::vector<std::size_t>& sheet_of = {});

// A BOUNDSHEET record of a sheet named `name` (ASCII or UTF-8 CJK), of type `dt` (0 worksheet, 2
// chart), hidden state `state` (0 visible, 1 hidden); its position is set by writeXls.
XlsRecord boundSheet(const std::string& name, std::uint8_t dt = 0, std::uint8_t state = 0);

// A BOF record of BIFF8 of substream type `dt` (0x0005 globals, 0x0010 sheet, 0x0020 chart).
XlsRecord bof(std::uint16_t dt);
XlsRecord eof();
// A MERGEDCELLS record of one area (0-based, inclusive).
XlsRecord mergedCells(std::uint16_t first_row, std::uint16_t last_row, std::uint16_t first_col,
                      std::uint16_t last_col);
// A ROW record of row `row` (0-based), hidden or not.
XlsRecord rowRecord(std::uint16_t row, bool hidden);
// A NUMBER cell record (0-based row and column).
XlsRecord numberCell(std::uint16_t row, std::uint16_t col, double value);

}  // namespace test_support
