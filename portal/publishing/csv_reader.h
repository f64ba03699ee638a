#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace portal::publishing {

// What a reader accepts before it refuses a file. Every refusal is a CsvError in Chinese.
struct CsvLimits {
  // Size of the file as uploaded, before any decoding. Default 10 MiB.
  std::size_t max_bytes = 10 * 1024 * 1024;
  // Records, the header row included. Default: a header and 20,000 rows.
  std::size_t max_records = 20001;
  // Fields in one record. Default 200 (real lists have about 15 columns).
  std::size_t max_fields = 200;
};

enum class CsvEncoding {
  Utf8,     // valid UTF-8 without a byte-order mark
  Utf8Bom,  // UTF-8 with EF BB BF (Excel's "CSV UTF-8")
  Gbk,      // not UTF-8, decoded as GB18030 (a superset of GBK/CP936, Excel's "CSV" on
            // Chinese Windows)
  Utf16Le,  // FF FE: Excel's "Unicode 文本" (tab-separated) on Windows
  Utf16Be,  // FE FF
};

// How the preview names the encoding: UTF-8, UTF-8（带 BOM）, GBK, UTF-16.
std::string_view csvEncodingName(CsvEncoding e);

struct CsvRecord {
  std::vector<std::string> fields;  // UTF-8; never contains CR (line breaks inside are "\n")
  int line = 0;                     // 1-based physical line where the record starts
};

struct CsvTable {
  CsvEncoding encoding = CsvEncoding::Utf8;
  char delimiter = ',';  // '\t' for UTF-16 text whose lines hold more tabs than commas
  // Records in file order. Rows may be ragged (each keeps its own field count); lines that
  // are completely empty are skipped, so `line` numbers may jump.
  std::vector<CsvRecord> records;
};

// Why a file cannot be read, for the person who uploaded it.
struct CsvError {
  int line = 0;         // 1-based physical line the problem is on; 0 for the whole file
  std::string message;  // Chinese, complete sentence(s), names the line when there is one
};

using CsvReadResult = std::variant<CsvTable, CsvError>;

// An RFC 4180 reader for spreadsheets exported from Excel: quoted fields with embedded
// commas, doubled quotes and line breaks; CRLF, LF or CR line ends; UTF-8 with or without a
// BOM, GBK, or UTF-16 with its BOM. The encoding is detected: a UTF-16 BOM is UTF-16, valid
// UTF-8 is UTF-8, anything else is tried as GBK; bytes valid in none are refused. UTF-16 text
// is what Excel's "Unicode 文本" writes, tab-separated: there the delimiter is the tab when the
// first lines hold more tabs than commas (outside quotes), else the comma. Leniency: a quote inside
// an unquoted field is kept literally (as Excel does); text after a closing quote is an error.
//
// Stateless apart from its limits; a const CsvReader is safe to share between threads. Never
// throws for bad input (std::bad_alloc aside): every problem comes back as a CsvError.
class CsvReader {
 public:
  explicit CsvReader(CsvLimits limits = {}) : limits_(limits) {}

  CsvReadResult read(std::string_view bytes) const;

  const CsvLimits& limits() const { return limits_; }

 private:
  CsvLimits limits_;
};

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool isValidUtf8(std::string_view text);

// Writes records as CSV the way Excel reads them best: UTF-8 with a BOM, CRLF between
// records, a field quoted when it holds a comma, quote or line break (or is a record's only,
// empty field). Line breaks inside a field are written as "\n" (Excel's Alt+Enter); CR is
// dropped. A cell starting with = + - @ (or a tab or CR) is written with a leading apostrophe so
// that Excel shows it as text instead of running it as a formula; CsvReader returns the
// apostrophe, and the list import (which reads these files back) removes it again.
std::string writeCsv(const std::vector<std::vector<std::string>>& records);

}  // namespace portal::publishing
