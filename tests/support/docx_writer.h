#pragma once

#include <string>
#include <vector>

namespace test_support {

// Writes small .docx documents for tests with libzip (writeZip), as Word lays them out: the
// content types, the package relationships and word/document.xml with body paragraphs and
// tables (w:tbl/w:tr/w:tc, w:gridSpan, w:vMerge). A cell's or paragraph's "\n" starts another
// paragraph.
struct DocxCell {
  std::string text;
  int span = 1;  // grid columns the cell spans (w:gridSpan)
  enum class VMerge { None, Restart, Continue } vmerge = VMerge::None;
};

struct DocxBlock {
  std::string paragraph;                     // a body paragraph, when `table` is empty
  std::vector<std::vector<DocxCell>> table;  // rows of cells
};

std::string writeDocx(const std::vector<DocxBlock>& body);

}  // namespace test_support
