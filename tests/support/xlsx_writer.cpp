#include "tests/support/xlsx_writer.h"

#include <zip.h>

#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

namespace test_support {

namespace {

constexpr char kNumberMark = '\x01';

}  // namespace

std::string xmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string columnName(std::size_t c) {
  std::string out;
  ++c;
  while (c > 0) {
    out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
    c = (c - 1) / 26;
  }
  return out;
}

}  // namespace

std::string xlsxNumber(double value, XlsxStyle style) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", value);
  return std::string(1, kNumberMark) + std::to_string(static_cast<int>(style)) + buf;
}

std::string writeXlsx(const std::vector<XlsxSheet>& sheets, const XlsxExtras& extras) {
  std::map<std::string, std::string> parts;
  std::vector<std::string> strings;
  std::map<std::string, std::size_t> string_index;
  std::string types =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
  types += extras.macro_enabled
               ? "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/>"
               : "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>";
  std::string workbook =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
  std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (std::size_t s = 0; s < sheets.size(); ++s) {
    const XlsxSheet& sheet = sheets[s];
    const std::string n = std::to_string(s + 1);
    workbook += "<sheet name=\"" + xmlEscape(sheet.name) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
                "\"" + (sheet.hidden ? " state=\"hidden\"" : "") + "/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet" + n + ".xml\"/>";
    types += "<Override PartName=\"/xl/worksheets/sheet" + n +
             ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    if (s == 0) xml += extras.doctype;
    xml += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    if (!sheet.hidden_columns.empty()) {
      xml += "<cols>";
      for (int c : sheet.hidden_columns) {
        xml += "<col min=\"" + std::to_string(c) + "\" max=\"" + std::to_string(c) + "\" width=\"9\" hidden=\"1\"/>";
      }
      xml += "</cols>";
    }
    xml += "<sheetData>";
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const int rn = static_cast<int>(r) + 1;
      xml += "<row r=\"" + std::to_string(rn) + "\"" +
             (sheet.hidden_rows.count(rn) ? " hidden=\"1\"" : "") + ">";
      for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const std::string& v = sheet.rows[r][c];
        if (v.empty()) continue;
        const std::string ref = columnName(c) + std::to_string(rn);
        if (v[0] == kNumberMark) {
          xml += "<c r=\"" + ref + "\" s=\"" + v.substr(1, 1) + "\"><v>" + v.substr(2) + "</v></c>";
          continue;
        }
        auto [it, added] = string_index.emplace(v, strings.size());
        if (added) strings.push_back(v);
        xml += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(it->second) + "</v></c>";
      }
      xml += "</row>";
    }
    xml += "</sheetData>";
    if (s == 0 && !extras.padding.empty()) xml += "<!--" + extras.padding + "-->";
    if (!sheet.merges.empty()) {
      xml += "<mergeCells count=\"" + std::to_string(sheet.merges.size()) + "\">";
      for (const auto& m : sheet.merges) xml += "<mergeCell ref=\"" + m + "\"/>";
      xml += "</mergeCells>";
    }
    xml += "</worksheet>";
    parts["xl/worksheets/sheet" + n + ".xml"] = xml;
  }
  workbook += "</sheets></workbook>";
  rels += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
          "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
          "</Relationships>";
  std::string sst = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"" +
                    std::to_string(strings.size()) + "\" uniqueCount=\"" +
                    std::to_string(strings.size()) + "\">";
  for (const auto& s : strings) sst += "<si><t xml:space=\"preserve\">" + xmlEscape(s) + "</t></si>";
  sst += "</sst>";
  const std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"0000\"/></numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs>"
      "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/></cellXfs>"
      "</styleSheet>";
  types += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
           "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
           "</Types>";
  parts["[Content_Types].xml"] = types;
  parts["xl/workbook.xml"] = workbook;
  parts["xl/_rels/workbook.xml.rels"] = rels;
  parts["xl/sharedStrings.xml"] = sst;
  parts["xl/styles.xml"] = styles;
  if (extras.macro_enabled) parts["xl/vbaProject.bin"] = "not a real VBA project";

  return writeZip(parts);
}

std::string writeZip(const std::map<std::string, std::string>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!src) throw std::runtime_error("zip_source_buffer_create");
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (!z) {
    zip_source_free(src);
    throw std::runtime_error("zip_open_from_source");
  }
  for (const auto& [name, data] : parts) {
    zip_source_t* s = zip_source_buffer(z, data.data(), data.size(), 0);
    if (!s || zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
      zip_discard(z);
      zip_source_free(src);
      throw std::runtime_error("zip_file_add " + name);
    }
  }
  if (zip_close(z) != 0) {
    zip_discard(z);
    zip_source_free(src);
    throw std::runtime_error("zip_close");
  }
  std::string out;
  if (zip_source_open(src) == 0) {
    zip_source_seek(src, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    out.resize(static_cast<std::size_t>(size));
    zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(src);
  }
  zip_source_free(src);
  if (out.empty()) throw std::runtime_error("empty zip");
  return out;
}

}  // namespace test_support
