// .xls (BIFF in an OLE compound file) through libfreexl. FreeXL opens files by path, so the
// bytes go to an anonymous in-memory file (memfd) opened as /proc/self/fd/N: nothing touches
// the disk. FreeXL reports neither merged cells nor hidden rows, columns and sheets; those come from the
// file's records (xls_layout.cpp). Where the records cannot be read (an Excel 95 file), merged
// cells come back as empty covered cells, which the importer fills from above where lists mean
// that.
#include <freexl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "portal/publishing/workbook.h"
#include "portal/publishing/xls_layout.h"

namespace portal::publishing::detail {

namespace {

constexpr std::string_view kNotXls =
    "文件无法作为 Excel 97-2003 工作簿（.xls）打开，可能已损坏。请用 Excel 打开确认后另存为 "
    ".xlsx 再导入。";

bool containsUtf16(std::string_view bytes, std::string_view ascii) {
  std::string wide;
  for (char c : ascii) {
    wide += c;
    wide += '\0';
  }
  return bytes.find(wide) != std::string_view::npos;
}

class MemFile {
 public:
  explicit MemFile(std::string_view bytes) {
    fd_ = memfd_create("portal-xls", MFD_CLOEXEC);
    if (fd_ < 0) return;
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) {
        ::close(fd_);
        fd_ = -1;
        return;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  bool ok() const { return fd_ >= 0; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

struct Handle {
  const void* h = nullptr;
  ~Handle() {
    if (h) freexl_close(h);
  }
};

std::string numberText(double v) {
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", v);
  }
  return buf;
}

std::string lineEnds(const char* s) {
  std::string out;
  for (; *s; ++s) {
    if (*s == '\r') {
      out += '\n';
      if (s[1] == '\n') ++s;
    } else {
      out += *s;
    }
  }
  return out;
}

}  // namespace

WorkbookResult readXls(std::string_view bytes, const WorkbookLimits& limits) {
  if (containsUtf16(bytes, "EncryptedPackage") || containsUtf16(bytes, "EncryptionInfo")) {
    return WorkbookError{"工作簿设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入。"};
  }
  if (containsUtf16(bytes, "_VBA_PROJECT")) {
    return WorkbookError{
        "这是含宏的工作簿，为安全起见不导入。请在 Excel 中另存为“Excel 工作簿（.xlsx）”后再上传。"};
  }
  if (!containsUtf16(bytes, "Workbook") && !containsUtf16(bytes, "Book")) {
    if (containsUtf16(bytes, "WordDocument")) {
      return WorkbookError{
          "这是 Word 97-2003 文档（.doc），无法直接读取。请在 Word 中另存为“Word 文档（.docx）”后上传，"
          "或把表格复制到 Excel 中另存为 .xlsx。"};
    }
    return WorkbookError{std::string(kNotXls)};
  }
  MemFile file(bytes);
  if (!file.ok()) return WorkbookError{std::string(kNotXls)};
  Handle h;
  if (freexl_open(file.path().c_str(), &h.h) != FREEXL_OK) return WorkbookError{std::string(kNotXls)};
  unsigned int info = 0;
  if (freexl_get_info(h.h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED) {
    return WorkbookError{"工作簿设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入。"};
  }
  unsigned int sheet_count = 0;
  if (freexl_get_info(h.h, FREEXL_BIFF_SHEET_COUNT, &sheet_count) != FREEXL_OK) {
    return WorkbookError{std::string(kNotXls)};
  }
  Workbook book;
  book.format = FileFormat::Xls;
  std::optional<std::vector<XlsSheetLayout>> layouts = readXlsLayout(bytes);
  // FreeXL lists every BOUNDSHEET, in the workbook's order, charts too (a chart sheet has
  // neither cells nor merges): the records' sheets are FreeXL's one for one, each of the same
  // name. When they are not, none of the records' layout is used (not some sheets' merges in a
  // workbook read as if none were known), and a sheet is found by its place, not by comparing
  // every name with every other.
  if (layouts && (layouts->size() != sheet_count || sheet_count > 0xFFFF)) layouts.reset();
  for (unsigned int s = 0; layouts && s < sheet_count; ++s) {
    const char* name = nullptr;
    if (freexl_get_worksheet_name(h.h, static_cast<unsigned short>(s), &name) != FREEXL_OK || !name ||
        (*layouts)[s].name != name) {
      layouts.reset();
    }
  }
  book.merges_known = layouts.has_value();
  std::size_t text_bytes = 0;
  for (unsigned short s = 0; s < sheet_count; ++s) {
    Sheet sheet;
    const char* name = nullptr;
    if (freexl_get_worksheet_name(h.h, s, &name) == FREEXL_OK && name) sheet.name = name;
    const XlsSheetLayout* layout = layouts ? &(*layouts)[s] : nullptr;
    if (layout) sheet.hidden = layout->hidden;
    if (freexl_select_active_worksheet(h.h, s) != FREEXL_OK) continue;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_worksheet_dimensions(h.h, &rows, &cols) != FREEXL_OK) continue;
    std::vector<bool> hidden;
    if (layout) {
      for (const std::uint16_t r : layout->hidden_rows) {
        if (r >= hidden.size()) hidden.resize(r + 1u);
        hidden[r] = true;
      }
    }
    for (unsigned int r = 0; r < rows; ++r) {
      SheetRow row;
      row.number = static_cast<int>(r) + 1;
      row.hidden = r < hidden.size() && hidden[r];
      for (unsigned short c = 0; c < cols; ++c) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(h.h, r, c, &v) != FREEXL_OK) continue;
        std::string text;
        switch (v.type) {
          case FREEXL_CELL_INT:
            text = std::to_string(v.value.int_value);
            break;
          case FREEXL_CELL_DOUBLE:
            text = numberText(v.value.double_value);
            break;
          case FREEXL_CELL_TEXT:
          case FREEXL_CELL_SST_TEXT:
          case FREEXL_CELL_DATE:
          case FREEXL_CELL_TIME:
            text = lineEnds(v.value.text_value);
            break;
          case FREEXL_CELL_DATETIME: {
            text = v.value.text_value;
            if (text.size() > 10 && text.substr(10) == " 00:00:00") text.resize(10);
            break;
          }
          default:
            break;
        }
        if (text.empty()) continue;
        if (c >= limits.max_columns) {
          return WorkbookError{"工作表“" + sheet.name + "”有内容的列超过 " +
                               std::to_string(limits.max_columns) + " 列，不像是一份清单，已拒绝。"};
        }
        // A shared string is copied into every cell that uses it.
        text_bytes += text.size();
        if (text_bytes > limits.max_text_bytes) return WorkbookError{tooMuchText(limits)};
        if (row.cells.size() <= c) row.cells.resize(c + 1u);
        row.cells[c] = std::move(text);
      }
      if (row.cells.empty()) continue;
      if (sheet.rows.size() >= limits.max_rows) {
        return WorkbookError{"工作表“" + sheet.name + "”超过 " +
                             std::to_string(limits.max_rows - 1) + " 行，请拆分后再导入。"};
      }
      sheet.rows.push_back(std::move(row));
    }
    if (layout) {
      std::vector<std::pair<long, long>> merge_rows;
      std::vector<std::pair<std::size_t, std::size_t>> merge_cols;
      for (const XlsMerge& m : layout->merges) {
        merge_rows.emplace_back(m.first_row + 1L, m.last_row + 1L);
        // At most the columns a list may have, as for an .xlsx: a merge over all 256 columns
        // (or a damaged record's 65,535) would give every covered row that many cells.
        merge_cols.emplace_back(m.first_col, std::min<std::size_t>(m.last_col, limits.max_columns));
      }
      placeMerges(sheet, merge_rows, merge_cols);
      std::vector<std::pair<std::size_t, std::size_t>> hidden_columns;
      for (const auto& [first, last] : layout->hidden_columns) hidden_columns.emplace_back(first, last);
      leaveOutHiddenColumns(sheet, hidden_columns);
    }
    book.sheets.push_back(std::move(sheet));
  }
  if (book.sheets.empty()) return WorkbookError{std::string(kNotXls)};
  return book;
}

}  // namespace portal::publishing::detail
