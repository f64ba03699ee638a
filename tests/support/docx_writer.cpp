#include "tests/support/docx_writer.h"

#include <map>

#include "tests/support/xlsx_writer.h"

namespace test_support {

namespace {

// Paragraphs of `text`, one per line.
std::string paragraphs(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += "<w:p><w:r><w:t xml:space=\"preserve\">" + xmlEscape(line) + "</w:t></w:r></w:p>";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace

std::string writeDocx(const std::vector<DocxBlock>& body) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
  for (const auto& block : body) {
    if (block.table.empty()) {
      doc += paragraphs(block.paragraph);
      continue;
    }
    doc += "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>";
    for (const auto& row : block.table) {
      doc += "<w:tr>";
      for (const auto& cell : row) {
        doc += "<w:tc><w:tcPr>";
        if (cell.span > 1) doc += "<w:gridSpan w:val=\"" + std::to_string(cell.span) + "\"/>";
        if (cell.vmerge == DocxCell::VMerge::Restart) doc += "<w:vMerge w:val=\"restart\"/>";
        if (cell.vmerge == DocxCell::VMerge::Continue) doc += "<w:vMerge/>";
        doc += "</w:tcPr>" + paragraphs(cell.text) + "</w:tc>";
      }
      doc += "</w:tr>";
    }
    doc += "</w:tbl><w:p/>";
  }
  doc += "</w:body></w:document>";
  std::map<std::string, std::string> parts;
  parts["[Content_Types].xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/word/document.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
      "</Types>";
  parts["_rels/.rels"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"word/document.xml\"/></Relationships>";
  parts["word/document.xml"] = doc;
  return writeZip(parts);
}

}  // namespace test_support
