// libFuzzer target for the CSV reader: any bytes must give a table or a CsvError, never a
// crash, hang or sanitizer report; and a table written back with writeCsv must read back to
// the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portal/publishing/csv_reader.h"

using portal::publishing::CsvLimits;
using portal::publishing::CsvReader;
using portal::publishing::CsvTable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CsvLimits limits;
  limits.max_records = 2000;  // keeps each run fast; the limit code path still runs
  const CsvReader reader(limits);
  const auto result = reader.read(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto* table = std::get_if<CsvTable>(&result);
  if (table == nullptr) return 0;
  std::vector<std::vector<std::string>> records;
  for (const auto& r : table->records) {
    if (r.line < 1) std::abort();
    for (const auto& f : r.fields) {
      if (!portal::publishing::isValidUtf8(f)) std::abort();  // decoded text is always UTF-8
    }
    records.push_back(r.fields);
  }
  CsvLimits unlimited;
  unlimited.max_bytes = static_cast<std::size_t>(-1);
  unlimited.max_records = static_cast<std::size_t>(-1);
  unlimited.max_fields = static_cast<std::size_t>(-1);
  const auto again = CsvReader(unlimited).read(portal::publishing::writeCsv(records));
  const auto* round_trip = std::get_if<CsvTable>(&again);
  if (round_trip == nullptr || round_trip->records.size() != records.size()) std::abort();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (round_trip->records[i].fields != records[i]) std::abort();
  }
  return 0;
}
