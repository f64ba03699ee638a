// csv_to_xlsx IN.csv OUT.xlsx [SHEET_NAME [MERGE...]]: writes the rows of a CSV file (UTF-8)
// into an .xlsx workbook with one sheet, cell by cell and unchanged, so the shell tests can
// import a real published list the way departments hand it over (as a workbook). Each MERGE
// (A1:E1) becomes a merged area, as the department's workbook merges titles, header cells and
// type cells written once over several rows.
#include <fstream>
#include <iostream>
#include <sstream>

#include "portal/publishing/csv_reader.h"
#include "tests/support/xlsx_writer.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: csv_to_xlsx IN.csv OUT.xlsx [SHEET_NAME [MERGE...]]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 1;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  const auto csv = portal::publishing::CsvReader().read(bytes.str());
  if (const auto* error = std::get_if<portal::publishing::CsvError>(&csv)) {
    std::cerr << error->message << "\n";
    return 1;
  }
  test_support::XlsxSheet sheet;
  if (argc >= 4) sheet.name = argv[3];
  for (int i = 4; i < argc; ++i) sheet.merges.push_back(argv[i]);
  for (const auto& record : std::get<portal::publishing::CsvTable>(csv).records) {
    sheet.rows.push_back(record.fields);
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << test_support::writeXlsx({sheet});
  return out ? 0 : 1;
}
