// .docx (a Word document, Office Open XML): departments publish many lists as a table in a
// Word file. The document's body is read as one sheet, in order: each row of a table is a row,
// each paragraph outside a table a row of one cell (a title, a section line such as
// 二、行政处罚, a note), so the list's layout is found as in a spreadsheet. A cell spanning grid
// columns (gridSpan) or rows (vMerge) is a merged area, as Excel's. A table inside a cell is
// read as that cell's text.
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "portal/publishing/ooxml.h"
#include "portal/publishing/workbook.h"

namespace portal::publishing::detail {

namespace {

using ooxml::Archive;
using ooxml::attr;
using ooxml::Refusal;
using ooxml::XmlPass;

constexpr std::string_view kNotDocument =
    "文件无法作为 Word 文档（.docx）打开，可能已损坏。请用 Word 打开确认后另存为 .docx，或把表格复制到 "
    "Excel 中另存为 .xlsx 再导入。";

class DocumentPart : public XmlPass {
 public:
  DocumentPart(const WorkbookLimits& limits, std::size_t& text_bytes) : limits_(limits), text_bytes_(text_bytes) {}

  Sheet sheet;
  std::vector<std::pair<long, long>> merge_rows;
  std::vector<std::pair<std::size_t, std::size_t>> merge_cols;

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (refused()) return;
    if (name == "tbl") {
      ++depth_;
      if (depth_ == 1) open_.clear();
      else if (in_cell_) separate();  // a table in a cell: its text joins the cell's
      return;
    }
    if (depth_ == 1) {
      if (name == "tr") {
        row_ = SheetRow();
        row_.number = static_cast<int>(++row_number_);
        col_ = 0;
        in_row_ = true;
        return;
      }
      if (name == "gridBefore" && in_row_ && !in_cell_) {
        col_ += number(atts);
        return;
      }
      if (name == "tc" && in_row_) {
        in_cell_ = true;
        cell_.clear();
        span_ = 1;
        vmerge_ = VMerge::None;
        return;
      }
      if (name == "gridSpan" && in_cell_) {
        span_ = std::max<std::size_t>(1, number(atts));
        return;
      }
      if (name == "vMerge" && in_cell_) {
        const char* v = attr(atts, "val");
        vmerge_ = v && std::strcmp(v, "restart") == 0 ? VMerge::Restart : VMerge::Continue;
        return;
      }
    }
    if (name == "p") {
      if (in_cell_) separate();
      else if (depth_ == 0) paragraph_.clear();
      return;
    }
    if (name == "t") {
      in_text_ = true;
    } else if (name == "tab") {
      append(" ");
    } else if (name == "br" || name == "cr") {
      append("\n");
    }
  }

  void end(std::string_view name) override {
    if (refused()) return;
    if (name == "t") {
      in_text_ = false;
    } else if (name == "tbl") {
      if (depth_ == 1) {
        for (const auto& [col, open] : open_) close(open);
        open_.clear();
      }
      if (depth_ > 0) --depth_;
    } else if (depth_ == 1 && name == "tc" && in_cell_) {
      endCell();
    } else if (depth_ == 1 && name == "tr" && in_row_) {
      in_row_ = false;
      pushRow(std::move(row_));
    } else if (name == "p" && depth_ == 0) {
      std::string text = base::trim(paragraph_);
      if (text.empty()) return;
      SheetRow row;
      row.number = static_cast<int>(++row_number_);
      row.cells.push_back(std::move(text));
      pushRow(std::move(row));
    }
  }

  void text(std::string_view s) override {
    if (in_text_) append(s);
  }

 private:
  enum class VMerge { None, Restart, Continue };
  // A vertical merge not yet closed: where it starts and which grid columns it covers.
  struct Open {
    long first_row = 0;
    long last_row = 0;
    std::size_t first_col = 0;
    std::size_t last_col = 0;
  };

  static std::size_t number(const XML_Char** atts) {
    const char* v = attr(atts, "val");
    const long n = v ? std::atol(v) : 0;
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }

  std::string& buffer() { return in_cell_ ? cell_ : paragraph_; }

  // A new paragraph in a cell starts a new line of its text.
  void separate() {
    if (!cell_.empty() && cell_.back() != '\n') cell_ += '\n';
  }

  void append(std::string_view s) {
    if (!in_cell_ && depth_ > 0) return;  // between a table's cells: nothing of a list
    std::string& b = buffer();
    if (b.size() + s.size() > limits_.max_cell_bytes) {
      refuse("文档中有一个单元格或段落超过 " + std::to_string(limits_.max_cell_bytes / 1024) +
             " KB 文字，不像是清单内容，已拒绝。");
      return;
    }
    b.append(s);
  }

  void endCell() {
    in_cell_ = false;
    const std::size_t first = col_;
    const std::size_t last = col_ + span_ - 1;
    col_ += span_;
    if (last >= limits_.max_columns) {
      refuse("文档中的表格超过 " + std::to_string(limits_.max_columns) + " 列，不像是一份清单，已拒绝。");
      return;
    }
    if (vmerge_ == VMerge::Continue) {
      // Covered by the cell above: its text (Word keeps none) is not read.
      const auto open = open_.find(first);
      if (open != open_.end()) open->second.last_row = row_.number;
      return;
    }
    if (const auto open = open_.find(first); open != open_.end()) {
      close(open->second);
      open_.erase(open);
    }
    if (vmerge_ == VMerge::Restart) {
      open_[first] = Open{row_.number, row_.number, first, last};
    } else if (last > first) {
      merge_rows.emplace_back(row_.number, row_.number);
      merge_cols.emplace_back(first, last);
    }
    std::string text = base::trim(cell_);
    if (text.empty()) return;
    text_bytes_ += text.size();
    if (text_bytes_ > limits_.max_text_bytes) {
      refuse(tooMuchText(limits_));
      return;
    }
    if (row_.cells.size() <= first) row_.cells.resize(first + 1);
    row_.cells[first] = std::move(text);
  }

  void close(const Open& o) {
    if (o.last_row == o.first_row && o.last_col == o.first_col) return;
    merge_rows.emplace_back(o.first_row, o.last_row);
    merge_cols.emplace_back(o.first_col, o.last_col);
  }

  void pushRow(SheetRow row) {
    if (row.cells.empty()) return;
    if (sheet.rows.size() >= limits_.max_rows) {
      refuse("文档中的表格超过 " + std::to_string(limits_.max_rows - 1) + " 行，请拆分后再导入。");
      return;
    }
    sheet.rows.push_back(std::move(row));
  }

  const WorkbookLimits& limits_;
  std::size_t& text_bytes_;
  int depth_ = 0;  // tables open: 1 in a list's table, more in a table inside a cell
  long row_number_ = 0;
  SheetRow row_;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_text_ = false;
  std::size_t col_ = 0;
  std::size_t span_ = 1;
  VMerge vmerge_ = VMerge::None;
  std::string cell_;
  std::string paragraph_;
  std::map<std::size_t, Open> open_;  // by first grid column
};

}  // namespace

WorkbookResult readDocx(std::string_view bytes, const WorkbookLimits& limits) {
  Archive archive(bytes, limits, kNotDocument);
  if (!archive.ok()) return WorkbookError{std::string(kNotDocument)};
  try {
    if (archive.anyEncrypted()) {
      return WorkbookError{"文档已加密，无法读取。请取消密码后另存为 .docx 再导入。"};
    }
    if (archive.has("word/vbaProject.bin")) {
      return WorkbookError{"这是含宏的 Word 文档（.docm），为安全起见不导入。请在 Word 中另存为“Word 文档（.docx）”后再上传。"};
    }
    std::size_t text_bytes = 0;
    DocumentPart part(limits, text_bytes);
    part.sheet.name = "Word 文档";
    part.run(archive, "word/document.xml", true);
    if (part.sheet.rows.empty()) {
      return WorkbookError{"Word 文档中没有文字或表格。请上传含清单表格的文档。"};
    }
    placeMerges(part.sheet, part.merge_rows, part.merge_cols);
    Workbook book;
    book.format = FileFormat::Docx;
    book.merges_known = true;
    book.sheets.push_back(std::move(part.sheet));
    return book;
  } catch (const Refusal& r) {
    return WorkbookError{r.message};
  }
}

}  // namespace portal::publishing::detail
