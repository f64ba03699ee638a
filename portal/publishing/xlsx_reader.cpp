// .xlsx (Office Open XML) through libzip and expat, streaming: a part is inflated in chunks
// and fed to the XML parser, never held whole, and the inflated total is capped.
#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/utf8.h"
#include "portal/publishing/ooxml.h"
#include "portal/publishing/workbook.h"

namespace portal::publishing::detail {

namespace {

using ooxml::Archive;
using ooxml::attr;
using ooxml::Refusal;
using ooxml::XmlPass;

constexpr std::string_view kNotWorkbook =
    "文件无法作为 Excel 工作簿打开（文件已损坏，或并非 .xlsx）。请用 Excel 打开确认后另存为 "
    ".xlsx 再导入。";

// "_x000D_" escapes of OOXML strings, then CR LF / CR to LF.
std::string unescapeOoxml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 4])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 5]))) {
      const unsigned cp = static_cast<unsigned>(std::stoul(s.substr(i + 2, 4), nullptr, 16));
      base::appendUtf8(out, cp);
      i += 6;
      continue;
    }
    out += s[i];
  }
  std::string lf;
  lf.reserve(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r') {
      lf += '\n';
      if (i + 1 < out.size() && out[i + 1] == '\n') ++i;
    } else {
      lf += out[i];
    }
  }
  return lf;
}

class ContentTypes : public XmlPass {
 public:
  bool macros = false;

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (name != "Override" && name != "Default") return;
    const char* type = attr(atts, "ContentType");
    if (type && std::strstr(type, "macroEnabled")) macros = true;
    if (type && std::strstr(type, "vbaProject")) macros = true;
  }
  void end(std::string_view) override {}
};

struct SheetRef {
  std::string name;
  std::string rel_id;
  bool hidden = false;
};

class WorkbookPart : public XmlPass {
 public:
  std::vector<SheetRef> sheets;
  bool date1904 = false;

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (name == "sheet") {
      SheetRef s;
      if (const char* n = attr(atts, "name")) s.name = n;
      if (const char* id = attr(atts, "id")) s.rel_id = id;
      if (const char* st = attr(atts, "state")) s.hidden = std::strcmp(st, "visible") != 0;
      sheets.push_back(std::move(s));
    } else if (name == "workbookPr") {
      const char* d = attr(atts, "date1904");
      date1904 = d && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0);
    }
  }
  void end(std::string_view) override {}
};

class Relationships : public XmlPass {
 public:
  std::map<std::string, std::string> targets;

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (name != "Relationship") return;
    const char* id = attr(atts, "Id");
    const char* target = attr(atts, "Target");
    if (id && target) targets[id] = target;
  }
  void end(std::string_view) override {}
};

class SharedStrings : public XmlPass {
 public:
  explicit SharedStrings(const WorkbookLimits& limits) : limits_(limits) {}
  std::vector<std::string> strings;

 protected:
  void start(std::string_view name, const XML_Char**) override {
    if (name == "si") current_.clear();
    if (name == "rPh") ++phonetic_;
    if (name == "t" && phonetic_ == 0) in_t_ = true;
  }
  void end(std::string_view name) override {
    if (name == "t") in_t_ = false;
    if (name == "rPh") --phonetic_;
    if (name == "si") strings.push_back(unescapeOoxml(current_));
  }
  void text(std::string_view s) override {
    if (!in_t_) return;
    if (current_.size() + s.size() > limits_.max_cell_bytes) {
      refuse("工作簿中有一个单元格超过 " + std::to_string(limits_.max_cell_bytes / 1024) +
             " KB 文字，不像是清单内容，已拒绝。");
      return;
    }
    current_.append(s);
  }

 private:
  const WorkbookLimits& limits_;
  std::string current_;
  bool in_t_ = false;
  int phonetic_ = 0;
};

// Number formats by style index: which styles show dates, which pad codes with zeros.
struct CellStyle {
  bool date = false;
  int zero_pad = 0;  // "0000": an integer shown with at least 4 digits
};

class Styles : public XmlPass {
 public:
  std::vector<CellStyle> styles;

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (name == "numFmt") {
      const char* id = attr(atts, "numFmtId");
      const char* code = attr(atts, "formatCode");
      if (id && code) formats_[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_xfs_ = true;
    } else if (name == "xf" && in_xfs_) {
      const char* id = attr(atts, "numFmtId");
      styles.push_back(styleOf(id ? std::atoi(id) : 0));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_xfs_ = false;
  }

 private:
  CellStyle styleOf(int id) const {
    CellStyle s;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58)) {
      s.date = true;
      return s;
    }
    const auto f = formats_.find(id);
    if (f == formats_.end()) return s;
    const std::string& code = f->second;
    bool all_zero = !code.empty();
    for (char c : code) all_zero = all_zero && c == '0';
    if (all_zero) {
      s.zero_pad = static_cast<int>(code.size());
      return s;
    }
    // A date format has y, m or d outside quotes and [brackets] (colours, conditions).
    bool quoted = false;
    int bracket = 0;
    for (char c : code) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '[') ++bracket;
      if (c == ']') --bracket;
      if (bracket > 0) continue;
      if (c == 'y' || c == 'Y' || c == 'd' || c == 'D' || c == 'm' || c == 'M') s.date = true;
    }
    return s;
  }
  std::map<int, std::string> formats_;
  bool in_xfs_ = false;
};

// "AB12" -> column 27 (0-based), row 12; false when malformed.
bool parseRef(std::string_view ref, std::size_t& col, long& row) {
  std::size_t i = 0;
  std::size_t c = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    c = c * 26 + static_cast<std::size_t>(std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (c > 20000) return false;
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  long r = 0;
  for (; i < ref.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(ref[i]))) return false;
    r = r * 10 + (ref[i] - '0');
    if (r > 10'000'000) return false;
  }
  col = c - 1;
  row = r;
  return r > 0;
}

std::string formatNumber(const std::string& raw, const CellStyle& style, bool date1904) {
  char* end = nullptr;
  const double v = std::strtod(raw.c_str(), &end);
  if (end == raw.c_str() || *end != '\0' || !std::isfinite(v)) return raw;
  if (style.date && !date1904) {
    if (auto d = excelSerialDate(v)) return *d;
  }
  if (style.date && date1904) {
    if (auto d = excelSerialDate(v + 1462)) return *d;
  }
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*lld", style.zero_pad, static_cast<long long>(v));
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

class SheetPart : public XmlPass {
 public:
  // `text_bytes`: the text of every sheet read so far, against limits.max_text_bytes (a shared
  // string is copied into each cell that uses it).
  SheetPart(const WorkbookLimits& limits, const std::vector<std::string>& strings,
            const std::vector<CellStyle>& styles, bool date1904, std::size_t& text_bytes)
      : limits_(limits), strings_(strings), styles_(styles), date1904_(date1904), text_bytes_(text_bytes) {}

  Sheet sheet;
  std::vector<std::pair<long, long>> merge_rows;  // row numbers of each merge, to map later
  std::vector<std::pair<std::size_t, std::size_t>> merge_cols;
  std::vector<std::pair<std::size_t, std::size_t>> hidden_cols;  // 0-based, inclusive

 protected:
  void start(std::string_view name, const XML_Char** atts) override {
    if (refused()) return;
    if (name == "row") {
      row_ = SheetRow();
      const char* r = attr(atts, "r");
      row_number_ = r ? std::atol(r) : row_number_ + 1;
      const char* h = attr(atts, "hidden");
      row_.hidden = h && (std::strcmp(h, "1") == 0 || std::strcmp(h, "true") == 0);
      in_row_ = true;
      next_col_ = 0;
    } else if (name == "c") {
      cell_type_ = "n";
      style_ = 0;
      value_.clear();
      col_ = next_col_;
      if (const char* t = attr(atts, "t")) cell_type_ = t;
      if (const char* s = attr(atts, "s")) style_ = static_cast<std::size_t>(std::atol(s));
      if (const char* r = attr(atts, "r")) {
        long rn = 0;
        if (!parseRef(r, col_, rn)) col_ = next_col_;
      }
      next_col_ = col_ + 1;
    } else if (name == "v" || (name == "t" && cell_type_ == "inlineStr")) {
      in_value_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "col") {
      const char* h = attr(atts, "hidden");
      const char* min = attr(atts, "min");
      const char* max = attr(atts, "max");
      if (!h || !(std::strcmp(h, "1") == 0 || std::strcmp(h, "true") == 0) || !min || !max) return;
      const long first = std::atol(min);
      const long last = std::atol(max);
      if (first >= 1 && last >= first) {
        hidden_cols.emplace_back(static_cast<std::size_t>(first - 1), static_cast<std::size_t>(last - 1));
      }
    } else if (name == "mergeCell") {
      const char* ref = attr(atts, "ref");
      if (!ref) return;
      std::string_view r(ref);
      const std::size_t colon = r.find(':');
      std::size_t c1 = 0, c2 = 0;
      long r1 = 0, r2 = 0;
      if (colon == std::string_view::npos || !parseRef(r.substr(0, colon), c1, r1) ||
          !parseRef(r.substr(colon + 1), c2, r2) || r2 < r1 || c2 < c1) {
        return;
      }
      merge_rows.emplace_back(r1, r2);
      merge_cols.emplace_back(c1, std::min(c2, limits_.max_columns));
    }
  }
  void end(std::string_view name) override {
    if (refused()) return;
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c") {
      std::string v = cellValue();
      if (v.empty()) return;
      if (col_ >= limits_.max_columns) {
        refuse("工作表“" + sheet.name + "”有内容的列超过 " + std::to_string(limits_.max_columns) +
               " 列，不像是一份清单，已拒绝。请删去多余的列后再导入。");
        return;
      }
      text_bytes_ += v.size();
      if (text_bytes_ > limits_.max_text_bytes) {
        refuse(tooMuchText(limits_));
        return;
      }
      if (row_.cells.size() <= col_) row_.cells.resize(col_ + 1);
      row_.cells[col_] = std::move(v);
    } else if (name == "row") {
      in_row_ = false;
      if (row_.cells.empty()) return;
      if (sheet.rows.size() >= limits_.max_rows) {
        refuse("工作表“" + sheet.name + "”超过 " + std::to_string(limits_.max_rows - 1) +
               " 行，请拆分后再导入。");
        return;
      }
      row_.number = static_cast<int>(row_number_);
      sheet.rows.push_back(std::move(row_));
    }
  }
  void text(std::string_view s) override {
    if (!in_value_ || phonetic_ > 0 || refused()) return;
    if (value_.size() + s.size() > limits_.max_cell_bytes) {
      refuse("工作表中有一个单元格超过 " + std::to_string(limits_.max_cell_bytes / 1024) +
             " KB 文字，不像是清单内容，已拒绝。");
      return;
    }
    value_.append(s);
  }

 private:
  std::string cellValue() const {
    if (cell_type_ == "s") {
      char* end = nullptr;
      const unsigned long i = std::strtoul(value_.c_str(), &end, 10);
      if (end == value_.c_str() || i >= strings_.size()) return "";
      return strings_[i];
    }
    if (cell_type_ == "inlineStr" || cell_type_ == "str") return unescapeOoxml(value_);
    if (cell_type_ == "b") return value_ == "1" ? "是" : "否";
    if (cell_type_ == "e") return "";
    if (value_.empty()) return "";
    const CellStyle style = style_ < styles_.size() ? styles_[style_] : CellStyle{};
    return formatNumber(value_, style, date1904_);
  }

  const WorkbookLimits& limits_;
  const std::vector<std::string>& strings_;
  const std::vector<CellStyle>& styles_;
  bool date1904_;
  std::size_t& text_bytes_;
  SheetRow row_;
  long row_number_ = 0;
  bool in_row_ = false;
  std::size_t next_col_ = 0;
  std::size_t col_ = 0;
  std::string cell_type_;
  std::size_t style_ = 0;
  std::string value_;
  bool in_value_ = false;
  int phonetic_ = 0;
};

std::string partPath(const std::string& target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  if (target.rfind("xl/", 0) == 0) return target;
  return "xl/" + target;
}

}  // namespace

WorkbookResult readXlsx(std::string_view bytes, const WorkbookLimits& limits) {
  Archive archive(bytes, limits, kNotWorkbook);
  if (!archive.ok()) return WorkbookError{std::string(kNotWorkbook)};
  // A Word document is a package too: a list published as a table in it.
  if (!archive.has("xl/workbook.xml") && archive.has("word/document.xml")) return readDocx(bytes, limits);
  try {
    if (archive.anyEncrypted()) {
      return WorkbookError{"压缩包已加密，无法读取。请取消密码后另存为 .xlsx 再导入。"};
    }
    if (!archive.has("xl/workbook.xml")) return WorkbookError{std::string(kNotWorkbook)};
    ContentTypes types;
    types.run(archive, "[Content_Types].xml", false);
    if (types.macros || archive.has("xl/vbaProject.bin")) {
      return WorkbookError{
          "这是含宏的工作簿（.xlsm），为安全起见不导入。请在 Excel 中另存为“Excel 工作簿（.xlsx）”后再上传。"};
    }
    WorkbookPart wb;
    wb.run(archive, "xl/workbook.xml", true);
    Relationships rels;
    rels.run(archive, "xl/_rels/workbook.xml.rels", true);
    SharedStrings strings(limits);
    for (const auto& [id, target] : rels.targets) {
      if (target.find("sharedStrings") != std::string::npos) {
        strings.run(archive, partPath(target), false);
      }
    }
    Styles styles;
    styles.run(archive, "xl/styles.xml", false);
    Workbook book;
    book.format = FileFormat::Xlsx;
    book.merges_known = true;
    std::size_t text_bytes = 0;
    for (const auto& ref : wb.sheets) {
      const auto t = rels.targets.find(ref.rel_id);
      if (t == rels.targets.end()) continue;
      SheetPart part(limits, strings.strings, styles.styles, wb.date1904, text_bytes);
      part.sheet.name = ref.name;
      part.sheet.hidden = ref.hidden;
      part.run(archive, partPath(t->second), false);
      placeMerges(part.sheet, part.merge_rows, part.merge_cols);
      leaveOutHiddenColumns(part.sheet, part.hidden_cols);
      book.sheets.push_back(std::move(part.sheet));
    }
    if (book.sheets.empty()) return WorkbookError{std::string(kNotWorkbook)};
    return book;
  } catch (const Refusal& r) {
    return WorkbookError{r.message};
  }
}

}  // namespace portal::publishing::detail
