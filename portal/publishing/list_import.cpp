#include "portal/publishing/list_import.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <unordered_map>
#include <utility>

#include "base/utf8.h"
#include "db/error.h"
#include "db/transaction.h"
#include "portal/accounts/session_token.h"
#include "portal/publishing/department_list_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/import_mapping_store.h"
#include "portal/publishing/import_staging_store.h"
#include "portal/publishing/item_fields.h"
#include "portal/publishing/legal_basis.h"
#include "portal/publishing/publishing_service.h"

namespace portal::publishing {

namespace {

// Where a row stands, as people read it: "第 3 行", or "工作表“行政处罚”第 3 行" when the list
// spans several sheets.
std::string rowPlace(const std::string& sheet, int row) {
  return (sheet.empty() ? "" : "工作表“" + sheet + "”") + "第 " + std::to_string(row) + " 行";
}

using Cells = std::array<std::string, kListFieldCount>;
constexpr std::size_t at(ListField f) { return static_cast<std::size_t>(f); }
std::string header(ListField f) { return std::string(listFieldName(f)); }

// The written type of rows whose list names no type at all (no column, title or section).
constexpr std::string_view kNoType = "（未写明类型）";

// Reason used to validate rows in a preview, where no reason has been given yet.
constexpr std::string_view kPreviewReason = "（预览）";

// A cell our own export protected against formula injection ('=…, '+…, '-…, '@…): the value
// without the apostrophe, so export → import changes nothing.
std::string withoutFormulaGuard(std::string s) {
  if (s.size() >= 2 && s[0] == '\'' &&
      std::string_view("=+-@\t\r").find(s[1]) != std::string_view::npos) {
    s.erase(0, 1);
  }
  return s;
}

std::string codeKey(std::string_view code) {
  std::string key(code);
  for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

std::vector<std::string> splitOn(std::string_view text, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find(sep, pos);
    out.emplace_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + sep.size();
  }
  return out;
}

// One value per line, trimmed, empty lines dropped; `also` splits further (子项 on "；").
std::vector<std::string> cellLines(std::string_view cell, std::string_view also = {}) {
  std::vector<std::string> out;
  for (const auto& line : splitOn(cell, "\n")) {
    const auto parts = also.empty() ? std::vector<std::string>{line} : splitOn(line, also);
    for (const auto& part : parts) {
      std::string v = base::trim(part);
      if (!v.empty()) out.push_back(std::move(v));
    }
  }
  return out;
}


// Lines of a cell joined into one: a line break inside a name or a body is the publisher's
// hard wrap, so Chinese text joins without a space, Latin text with one.
std::string joinWrapped(std::string_view s) {
  std::string out;
  for (const auto& line : splitOn(s, "\n")) {
    const std::string t = base::trim(line);
    if (t.empty()) continue;
    if (!out.empty()) {
      const bool ascii_end = static_cast<unsigned char>(out.back()) < 0x80;
      const bool ascii_start = static_cast<unsigned char>(t.front()) < 0x80;
      if (ascii_end && ascii_start) out += ' ';
    }
    out += t;
  }
  return out;
}

// A code as lists write it: spaces inside removed ("001110 09000"). nullopt when what is left
// cannot be a code.
std::optional<std::string> cleanCode(std::string_view cell) {
  std::string code;
  for (char c : base::trim(cell)) {
    if (c != ' ' && c != '\t' && c != '\n') code += c;
  }
  static const std::regex kCode("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
  if (code.empty() || !std::regex_match(code, kCode)) return std::nullopt;
  return code;
}

// A 序号 that holds a code (360829NYJ-XK-001) rather than a number.
bool looksLikeCode(const std::string& code) {
  if (code.size() < 5) return false;
  bool letter_or_dash = false;
  for (char c : code) letter_or_dash |= std::isalpha(static_cast<unsigned char>(c)) || c == '-';
  return letter_or_dash;
}

std::string nameKey(std::string_view name) {
  std::string out;
  for (char c : joinWrapped(name)) {
    if (c != ' ') out += c;
  }
  return out;
}

std::string hash8(std::string_view s) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08X", h);
  return buf;
}

std::string codePrefix(const Department& d) {
  std::string p;
  for (char c : d.slug) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (p.size() >= 16) break;
  }
  return p.empty() ? "D" + std::to_string(d.id) : p;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, with an Excel "0:00" time tolerated.
std::optional<std::string> normaliseDate(std::string_view cell) {
  static const std::regex kDate(
      "^(\\d{4})(?:-|/|\\.|年)(\\d{1,2})(?:-|/|\\.|月)(\\d{1,2})(?:日)?"
      "(?:\\s+0{1,2}:00(?::00)?)?$");
  std::smatch m;
  const std::string s(cell);
  if (!std::regex_match(s, m, kDate)) return std::nullopt;
  const int y = std::stoi(m[1].str());
  const int mo = std::stoi(m[2].str());
  const int d = std::stoi(m[3].str());
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return std::nullopt;
  if (d > kDays[mo - 1] + (mo == 2 && isLeap(y) ? 1 : 0)) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  return std::string(buf);
}

std::optional<ItemStatus> parseStatusCell(std::string_view cell) {
  if (auto s = parseStatus(cell)) return s;
  if (cell == "取消") return ItemStatus::Cancelled;
  if (cell == "下放") return ItemStatus::Delegated;
  return std::nullopt;
}

// Words published lists (and the systems they are exported from) write in a 状态 column for an
// item that is in force: 克拉玛依市消防救援支队's list has 实施 on every row.
bool meansInForce(std::string_view cell) {
  for (std::string_view w :
       {"实施", "实行", "施行", "执行", "现行", "在用", "正常", "保留", "启用", "生效"}) {
    if (cell == w) return true;
  }
  return false;
}

// The 子项 cell of a row that lists several sub-items of its 事项 in one cell, numbered from 1
// and set apart by line breaks or runs of spaces, as 克拉玛依市自然资源局 published 开采矿产资源审批:
// "1.新设采矿权审批             2.采矿权延续登记 …". Returns the sub-items without their numbers
// when there are at least two numbered 1, 2, 3, … in order from the start of the cell; else
// nothing (a single "1.煤矿建设项目安全设施设计审查" is the row's own 子项 name).
std::vector<std::string> numberedSubItems(std::string_view cell) {
  const std::string s = base::trim(cell);
  // The number written at `i` (ASCII or full-width digits) followed by ".", "．" or "、": its
  // value and where the text after it starts; nullopt when no such number starts at `i`.
  const auto numberAt = [&](std::size_t i) -> std::optional<std::pair<int, std::size_t>> {
    int value = 0;
    std::size_t j = i;
    int digits = 0;
    while (j < s.size() && digits < 3) {
      const auto c = static_cast<unsigned char>(s[j]);
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        j += 1;
      } else if (c == 0xEF && j + 2 < s.size() && static_cast<unsigned char>(s[j + 1]) == 0xBC &&
                 static_cast<unsigned char>(s[j + 2]) >= 0x90 &&
                 static_cast<unsigned char>(s[j + 2]) <= 0x99) {
        value = value * 10 + (static_cast<unsigned char>(s[j + 2]) - 0x90);
        j += 3;
      } else {
        break;
      }
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (std::string_view mark : {".", "\xEF\xBC\x8E", "\xE3\x80\x81"}) {  // . ． 、
      if (s.compare(j, mark.size(), mark) == 0) return std::make_pair(value, j + mark.size());
    }
    return std::nullopt;
  };
  const auto spaceBefore = [&](std::size_t i) {
    if (i == 0) return true;
    const char c = s[i - 1];
    if (c == ' ' || c == '\t' || c == '\n') return true;
    return i >= 3 && s.compare(i - 3, 3, "\xE3\x80\x80") == 0;  // full-width space
  };
  std::vector<std::pair<std::size_t, std::size_t>> marks;  // (number starts, text starts)
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!spaceBefore(i)) continue;
    const auto n = numberAt(i);
    if (!n || n->first != static_cast<int>(marks.size()) + 1) continue;
    if (marks.empty() && i != 0) return {};
    marks.emplace_back(i, n->second);
  }
  if (marks.size() < 2) return {};
  std::vector<std::string> out;
  for (std::size_t k = 0; k < marks.size(); ++k) {
    const std::size_t end = k + 1 < marks.size() ? marks[k + 1].first : s.size();
    std::string v = base::trim(std::string_view(s).substr(marks[k].second, end - marks[k].second));
    while (v.size() >= 3 && v.compare(v.size() - 3, 3, "\xE3\x80\x80") == 0) {
      v = base::trim(std::string_view(v).substr(0, v.size() - 3));
    }
    if (v.empty()) return {};
    out.push_back(joinWrapped(v));
  }
  return out;
}

struct ParsedRow {
  ListItem item;                              // status/effective_date not yet defaulted
  std::optional<ItemStatus> status;           // nullopt: empty cell or no column
  std::optional<std::string> effective_date;  // nullopt: empty cell or no column
  bool explicit_code = false;                 // the file gave the code
  std::string written_type;                   // the type as the file spells it
  std::string spelled_type;                   // a known type spelled otherwise (行政许可(2项))
  std::string spelled_status;                 // 状态 written as a word for 有效 (实施)
  bool type_from_name = false;                // no type anywhere: the name stated it
  // The 子项 cell listed several numbered sub-items (numberedSubItems): the row is its 事项,
  // item.sub_items holds them.
  bool sub_items_from_name_cell = false;
  std::vector<std::string> errors;
};

// How a file's rows are read: what the layout and the person decided.
struct RowContext {
  const ListLayout* layout = nullptr;
  const LayoutChoices* choices = nullptr;
};

// What lists write in a cell that has nothing: "无", "/", "-".
bool isPlaceholder(const std::string& v) {
  return v == "无" || v == "/" || v == "-" || v == "—" || v == "／" || v == "无子项" || v == "——";
}

// The row's own name as parseCells takes it (子项, else 事项名称, else 主项), before parsing.
std::string rowName(const Cells& cells) {
  for (ListField f : {ListField::SubName, ListField::Name, ListField::MainItem}) {
    std::string v = base::trim(cells[at(f)]);
    if (f == ListField::SubName && isPlaceholder(v)) continue;
    if (!v.empty()) return joinWrapped(v);
  }
  return {};
}

ParsedRow parseCells(const Cells& cells, const std::optional<std::string>& fallback_type,
                     const std::string& fallback_kind, const LayoutChoices& choices) {
  ParsedRow p;
  ListItem& item = p.item;
  const auto cell = [&](ListField c) {
    std::string v = normaliseLineEnds(withoutFormulaGuard(base::trim(cells[at(c)])));
    if (isPlaceholder(v) && c != ListField::Name && c != ListField::Remarks &&
        c != ListField::Responsibilities && c != ListField::Accountability) {
      v.clear();
    }
    return v;
  };
  if (auto code = cleanCode(cell(ListField::Code))) {
    item.code = *code;
    p.explicit_code = true;
  } else if (!cell(ListField::Code).empty()) {
    p.errors.push_back("事项编码“" + cell(ListField::Code) +
                       "”只能由字母、数字、“-”“_”“.”组成，且不超过 64 个字符。");
  } else if (auto seq = cleanCode(cell(ListField::Seq)); seq && looksLikeCode(*seq)) {
    item.code = *seq;
    p.explicit_code = true;
  }
  // The row's own name is the most specific one: 子项, else 事项名称, else 主项.
  const std::string named = joinWrapped(cell(ListField::Name));
  const std::string main = joinWrapped(cell(ListField::MainItem));
  std::vector<std::string> listed_subs = numberedSubItems(cell(ListField::SubName));
  if (named.empty() && main.empty()) listed_subs.clear();  // no 事项 to list them under
  const std::string sub = listed_subs.empty() ? joinWrapped(cell(ListField::SubName)) : "";
  item.name = !sub.empty() ? sub : !named.empty() ? named : main;
  const std::string parent = !sub.empty() ? (!named.empty() ? named : main)
                                          : (!named.empty() ? main : "");
  std::string remarks = cell(ListField::Remarks);
  if (!parent.empty() && parent != item.name) {
    remarks = "所属主项：" + parent + (remarks.empty() ? "" : "\n" + remarks);
  }
  if (item.name.empty()) p.errors.push_back("这一行没有事项名称。");

  const std::string type = joinWrapped(cell(ListField::Type));
  p.written_type = normaliseHeaderText(type);
  if (type.empty()) {
    if (fallback_type) {
      item.type = *fallback_type;
    } else {
      // No type anywhere: like an unknown type, listed once for the person to map.
      p.written_type = !fallback_kind.empty() ? normaliseHeaderText(fallback_kind)
                                              : std::string(kNoType);
      // A name that states its type comes first: the mapping of rows without a type (carried
      // from the preview) is for the rows whose name does not.
      const auto chosen = choices.types.find(p.written_type);
      if (auto from_name = fallback_kind.empty() ? typeFromItemName(item.name) : std::nullopt) {
        item.type = *from_name;
        p.type_from_name = true;
        p.written_type.clear();
      } else if (chosen != choices.types.end()) {
        item.type = chosen->second;
      } else {
        item.type = "qt";
      }
    }
  } else if (auto chosen = choices.types.find(p.written_type); chosen != choices.types.end()) {
    item.type = chosen->second;
  } else if (auto code = typeCodeFor(type)) {
    item.type = *code;
    if (p.written_type != itemTypeName(*code)) p.spelled_type = p.written_type;
    p.written_type.clear();
  } else {
    item.type = "qt";  // listed in the report for the person to map
  }
  item.sub_items = cellLines(cell(ListField::SubItems), "；");
  if (!listed_subs.empty() && item.sub_items.empty()) {
    item.sub_items = std::move(listed_subs);
    p.sub_items_from_name_cell = true;
  }
  item.implementing_body = joinWrapped(cell(ListField::Body));
  item.level = joinWrapped(cell(ListField::Level));
  item.legal_bases = parseLegalBasisCell(cell(ListField::Bases));
  item.responsibilities = cellLines(cell(ListField::Responsibilities));
  item.accountability = cellLines(cell(ListField::Accountability));
  item.supervision_phone = joinWrapped(cell(ListField::Phone));
  item.remarks = remarks;
  if (const std::string s = cell(ListField::Status); !s.empty()) {
    p.status = parseStatusCell(s);
    if (!p.status && meansInForce(s)) {
      p.status = ItemStatus::InForce;
      p.spelled_status = s;
    }
    if (!p.status) p.errors.push_back("未知的状态“" + s + "”，应为有效、已取消或已下放。");
  }
  if (const std::string d = cell(ListField::EffectiveDate); !d.empty()) {
    p.effective_date = normaliseDate(d);
    if (!p.effective_date) {
      p.errors.push_back("生效日期“" + d + "”无法识别，请写成 2024-03-01 的形式。");
    }
  }
  return p;
}

Cells cellsOf(const ListItem& item) {
  Cells c;
  for (const auto& f : itemFields()) {
    if ((f.uses & kUseExport) && f.column) c[at(*f.column)] = fieldText(f, item);
  }
  return c;
}

// The current item as the spreadsheet represents it, so that comparing it with a row ignores
// what a spreadsheet cannot carry (line breaks inside a basis, spaces around cells, CR LF).
ListItem spreadsheetForm(const ListItem& current) {
  ListItem form = parseCells(cellsOf(current), std::nullopt, "", LayoutChoices{}).item;
  form.type = current.type;
  form.status = current.status;
  form.effective_date = current.effective_date;
  return form;
}

std::vector<std::string> differingColumns(const ListItem& a, const ListItem& b) {
  std::vector<std::string> out;
  for (const auto& f : itemFields()) {
    if ((f.uses & kUseShown) && f.column && !sameFieldContent(f, a, b)) {
      out.push_back(header(*f.column));
    }
  }
  return out;
}

struct PlannedWrite {
  std::size_t change = 0;    // index into ImportReport::changes
  std::int64_t item_id = 0;  // 0: a new item
  int version = 1;
  ListItem item;
};

struct Plan {
  ImportReport report;
  std::vector<PlannedWrite> writes;  // in the order of report.changes
};

struct PlanInput {
  std::int64_t department_id = 0;
  std::string_view file;
  std::string today;
  std::string reason;
  std::string legal_trigger;
  bool lock = false;
  std::optional<LayoutChoices> choices;  // nullopt: the remembered ones
  ImportMode mode = ImportMode::Whole;
};

void addFileError(ImportReport& report, std::string message, int line = 0) {
  report.errors.push_back(ImportError{0, line, "", std::move(message)});
}

void count(ImportReport& report, const std::optional<ChangeKind>& kind) {
  if (!kind) {
    ++report.unchanged;
    return;
  }
  switch (*kind) {
    case ChangeKind::Create:
      ++report.created;
      break;
    case ChangeKind::Amend:
      ++report.amended;
      break;
    case ChangeKind::Cancel:
      ++report.cancelled;
      break;
    case ChangeKind::Delegate:
      ++report.delegated;
      break;
  }
}

// The mapping actually used, as choices the person can confirm or correct.
LayoutChoices effectiveChoices(const Workbook& book, const ListLayout& layout,
                               const ImportReport& report, const LayoutChoices& given) {
  LayoutChoices c;
  // A list split over sheets by type is read from all of them again next time.
  if (book.sheets.size() > 1 && layout.parts.empty()) c.sheet = book.sheets[layout.sheet].name;
  for (const auto& g : layout.columns) {
    c.columns[g.key()] = g.field ? std::string(listFieldKey(*g.field)) : "ignore";
  }
  c.types = given.types;
  for (const auto& u : report.unknown_types) c.types[u.written] = u.mapped_to;
  return c;
}

// The fields of `from` whose column the file does not have, into `item`.
void keepAbsentColumns(ListItem& item, const ListItem& from, const ListLayout& layout) {
  for (const auto& f : itemFields()) {
    if ((f.uses & kUseKept) && f.column && !layout.columnOf(*f.column)) copyField(f, item, from);
  }
}

// One row of a supplement file: matched by code, else by name (the n-th row of a name with
// the n-th item of that name); a match takes the row's responsibility fields where they are
// given. Adds the change (or the unmatched row, or the row's errors) to the plan.
void planSupplementRow(Plan& plan, const ListRow& lr, const ListItem& row,
                       std::vector<std::string> parse_errors, const std::vector<ListItem>& current,
                       const std::unordered_map<std::string, std::size_t>& by_code,
                       const std::unordered_map<std::string, std::vector<std::size_t>>& by_name,
                       std::vector<bool>& listed, std::unordered_map<std::string, int>& row_of_code,
                       const std::string& reason, const std::string& legal_trigger) {
  ImportReport& report = plan.report;
  std::vector<std::string> errors;
  for (auto& e : parse_errors) {
    // The type, status and date are the item's own; only the name and code find it.
    if (!row.name.empty() || !row.code.empty()) continue;
    errors.push_back(std::move(e));
  }
  std::optional<std::size_t> existing;
  if (!row.code.empty()) {
    const std::string key = codeKey(row.code);
    if (auto [it, inserted] = row_of_code.emplace(key, lr.row); !inserted) {
      errors.push_back("事项编码 " + row.code + " 与第 " + std::to_string(it->second) +
                       " 行重复。");
    }
    if (auto c = by_code.find(key); c != by_code.end() && !listed[c->second]) {
      existing = c->second;
    }
  }
  if (!existing && !row.name.empty()) {
    if (auto m = by_name.find(nameKey(row.name)); m != by_name.end()) {
      for (std::size_t i : m->second) {
        if (!listed[i]) {
          existing = i;
          break;
        }
      }
    }
  }
  if (!errors.empty()) {
    ++report.rows_refused;
    for (auto& message : errors) {
      report.errors.push_back(ImportError{lr.row, lr.line, row.code, std::move(message), lr.sheet});
    }
    return;
  }
  if (!existing) {
    report.unmatched.push_back(UnmatchedRow{lr.row, row.code, row.name});
    return;
  }
  listed[*existing] = true;
  const ListItem& cur = current[*existing];
  ListItem item = cur;
  if (!row.responsibilities.empty()) item.responsibilities = row.responsibilities;
  if (!row.accountability.empty()) item.accountability = row.accountability;
  if (!row.supervision_phone.empty()) item.supervision_phone = row.supervision_phone;
  normaliseItem(item);
  std::vector<std::string> changed = differingColumns(cur, item);
  std::optional<ChangeKind> kind;
  if (!changed.empty()) {
    kind = ChangeKind::Amend;
    item.change_kind = ChangeKind::Amend;
    item.change_reason = reason;
    item.legal_trigger = legal_trigger;
    if (auto problems = validateItem(item); !problems.empty()) {
      ++report.rows_refused;
      for (auto& message : problems) {
        report.errors.push_back(
            ImportError{lr.row, lr.line, cur.code, std::move(message), lr.sheet});
      }
      return;
    }
  }
  report.changes.push_back(
      ImportChange{lr.row, cur.code, cur.name, kind, changed, false, lr.sheet});
  count(report, kind);
  if (kind) {
    plan.writes.push_back(
        PlannedWrite{report.changes.size() - 1, cur.id, cur.version + 1, std::move(item)});
  }
}

// The preview's word on rows whose 设定依据 cell is empty: the item is published without a
// legal basis. A CSV's empty cell is never filled from the row above (listRows), so a list
// saved as CSV from merged cells shows here, row by row, instead of borrowing a basis.
std::string withoutBasisNote(const std::vector<std::string>& rows, FileFormat format) {
  constexpr std::size_t kNamed = 20;
  std::string where;
  for (std::size_t i = 0; i < rows.size() && i < kNamed; ++i) where += (i ? "、" : "") + rows[i];
  if (rows.size() > kNamed) where += "等 " + std::to_string(rows.size()) + " 行";
  std::string note = where +
                     "没有设定依据（“设定依据”单元格为空），这些事项将作为没有设定依据的事项导入"
                     "并公开。";
  if (format == FileFormat::Csv) {
    note +=
        "CSV 文件没有合并单元格，空的设定依据不会沿用上一行的内容；如原表是合并单元格，请直接"
        "上传 Excel 文件或在每一行填写依据。";
  }
  return note;
}

// Reads the file and the department's list and works out every change and every error.
// Reads only; with `lock` the department's items stay locked for the caller's transaction.
Plan planImport(db::Connection& conn, const PlanInput& in, const WorkbookLimits& limits) {
  Plan plan;
  ImportReport& report = plan.report;
  const auto department = DepartmentStore(conn).findById(in.department_id);
  if (!department) {
    addFileError(report, "所选部门不存在。");
    return plan;
  }
  WorkbookResult read = readWorkbook(in.file, limits);
  if (const auto* e = std::get_if<WorkbookError>(&read)) {
    addFileError(report, e->message);
    return plan;
  }
  const Workbook& book = std::get<Workbook>(read);
  report.format = book.format;
  report.encoding = book.encoding;
  for (const auto& s : book.sheets) report.sheets.push_back(s.name);

  const bool supplement = in.mode == ImportMode::Supplement;
  report.mode = in.mode;
  LayoutChoices given = in.choices ? *in.choices : ImportMappingStore(conn).load(in.department_id);
  // The remembered sheet is the power list's; a supplement file is another workbook.
  if (supplement && !in.choices) given.sheet.clear();
  std::string why;
  const auto layout = detectLayout(book, given, why);
  if (!layout) {
    addFileError(report, why);
    return plan;
  }
  report.sheet = book.sheets[layout->sheet].name;
  for (const auto& part : layout->parts)
    report.sheets_imported.push_back(book.sheets[part.sheet].name);
  report.mapping = layout->columns;
  report.notes = layout->notes;
  for (const auto& g : layout->columns) {
    if (!g.field) report.ignored_columns.push_back(g.header);
  }
  const bool has_type_column = layout->columnOf(ListField::Type).has_value();
  std::vector<ListRow> rows = listRows(book, *layout, report.notes);

  DepartmentListStore lists(conn);
  const std::vector<ListItem> current = lists.currentItems(in.department_id, in.lock);
  std::unordered_map<std::string, std::size_t> current_by_code;
  std::unordered_map<std::string, std::vector<std::size_t>> current_by_name;
  for (std::size_t i = 0; i < current.size(); ++i) {
    current_by_code[codeKey(current[i].code)] = i;
    current_by_name[nameKey(current[i].name)].push_back(i);
  }

  std::unordered_map<std::string, int> row_of_code;
  std::unordered_map<std::string, int> name_seen;
  std::set<std::string> codes_taken;  // generated or given in this file
  // A code the file gives to items of different names (克拉玛依市消防救援支队's list numbers
  // 对…不具备从业条件…的处罚 and 出具虚假文件的处罚 alike) tells them apart from nothing: those
  // rows are read as rows without a code (matched by name, new ones get a generated code).
  // The same code twice for one name is a repeated row and stays an error.
  std::map<std::string, std::vector<const ListRow*>> rows_of_code;
  for (const auto& r : rows) {
    if (auto c = cleanCode(r.cells[at(ListField::Code)])) {
      codes_taken.insert(codeKey(*c));
      rows_of_code[codeKey(*c)].push_back(&r);
    }
  }
  std::set<std::string> shared_codes;
  for (const auto& [key, with] : rows_of_code) {
    std::set<std::string> names;
    for (const ListRow* r : with) names.insert(nameKey(rowName(r->cells)));
    if (names.size() < 2) continue;
    shared_codes.insert(key);
    std::string where;
    for (const ListRow* r : with) {
      where += (where.empty() ? "" : "、") + rowPlace(r->sheet, r->row);
    }
    report.notes.push_back(
        "事项编码“" + base::trim(with.front()->cells[at(ListField::Code)]) + "”在" + where +
        "用于名称不同的 " + std::to_string(names.size()) +
        " 个事项，不能区分它们：这些行不按此编码，按事项名称匹配，新增的事项生成编码。");
  }
  std::vector<bool> listed(current.size(), false);
  std::map<std::string, ImportReport::UnknownType> unknown;
  const std::string reason = in.reason.empty() ? std::string(kPreviewReason) : in.reason;
  const std::string prefix = codePrefix(*department);
  bool missing_type_noted = false;
  std::map<std::string, int> typed_by_name;                         // type code -> rows
  std::map<std::pair<std::string, std::string>, int> spelled;      // (written, code) -> rows
  std::map<std::string, int> spelled_status;                       // 实施 -> rows
  const bool has_basis_column = layout->columnOf(ListField::Bases).has_value();
  // Rows per item name (under its 主项, where the list has them): a name on several rows is
  // worth a look (a row entered twice), though codes or order tell the items apart.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> rows_of_name;
  std::vector<std::string> name_order;
  std::vector<std::string> without_basis;  // rows imported without a legal basis
  std::vector<std::string> listed_sub_rows;  // rows whose 子项 cell listed several sub-items
  int listed_subs = 0;
  for (const ListRow& lr : rows) {
    ++report.item_rows;
    const std::optional<std::string> fallback =
        lr.section_type ? lr.section_type : layout->title_type;
    ParsedRow parsed = parseCells(lr.cells, fallback, layout->title_kind, given);
    ListItem& item = parsed.item;
    if (parsed.explicit_code && shared_codes.count(codeKey(item.code))) {
      item.code.clear();
      parsed.explicit_code = false;
    }
    if (!item.name.empty()) {
      const std::string parent = item.remarks.rfind("所属主项：", 0) == 0
                                     ? item.remarks.substr(0, item.remarks.find('\n'))
                                     : std::string();
      auto& [shown, where] = rows_of_name[nameKey(item.name) + "\n" + parent];
      if (where.empty()) {
        shown = item.name;
        name_order.push_back(nameKey(item.name) + "\n" + parent);
      }
      where.push_back(rowPlace(lr.sheet, lr.row));
    }
    std::vector<std::string> errors = std::move(parsed.errors);
    if (supplement) {
      planSupplementRow(plan, lr, item, std::move(errors), current, current_by_code,
                        current_by_name, listed, row_of_code, reason, in.legal_trigger);
      continue;
    }
    if (!parsed.written_type.empty() && !item.type.empty()) {
      auto& u = unknown[parsed.written_type];
      u.written = parsed.written_type;
      u.mapped_to = item.type;
      u.chosen = given.types.count(parsed.written_type) > 0;
      ++u.rows;
    }
    if (!has_type_column && fallback && !missing_type_noted) {
      missing_type_noted = true;
    }
    if (parsed.sub_items_from_name_cell) {
      listed_sub_rows.push_back(rowPlace(lr.sheet, lr.row));
      listed_subs += static_cast<int>(item.sub_items.size());
    }
    if (parsed.type_from_name) ++typed_by_name[item.type];
    if (!parsed.spelled_type.empty()) ++spelled[{parsed.spelled_type, item.type}];
    if (!parsed.spelled_status.empty()) ++spelled_status[parsed.spelled_status];

    std::optional<std::size_t> existing;
    const std::string name_key = nameKey(item.name);
    const int occurrence = item.name.empty() ? 0 : ++name_seen[name_key];
    if (!item.code.empty()) {
      const std::string key = codeKey(item.code);
      if (auto [it, inserted] = row_of_code.emplace(key, lr.row); !inserted) {
        errors.push_back("事项编码 " + item.code + " 与第 " + std::to_string(it->second) +
                         " 行重复。");
      }
      if (auto c = current_by_code.find(key); c != current_by_code.end()) {
        existing = c->second;
        listed[c->second] = true;
      }
    } else if (!item.name.empty()) {
      // No code in the file: the n-th row of a name is the n-th item of that name.
      if (auto m = current_by_name.find(name_key); m != current_by_name.end()) {
        std::size_t seen = 0;
        for (std::size_t i : m->second) {
          if (listed[i]) continue;
          if (++seen == 1) {
            existing = i;
            listed[i] = true;
            break;
          }
        }
      }
      if (!existing) {
        std::string base = prefix + "-" + (item.type.empty() ? "QT" : item.type) + "-" +
                           hash8(name_key + (occurrence > 1 ? "#" + std::to_string(occurrence) : ""));
        for (auto& ch : base) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        std::string code = base;
        for (int n = 2; codes_taken.count(codeKey(code)) || current_by_code.count(codeKey(code));
             ++n) {
          code = base + "-" + std::to_string(n);
        }
        codes_taken.insert(codeKey(code));
        item.code = code;
      }
    }

    std::optional<ChangeKind> kind;
    std::vector<std::string> changed;
    if (existing) {
      const ListItem& cur = current[*existing];
      item.code = cur.code;
      item.department_id = cur.department_id;
      item.status = parsed.status.value_or(cur.status);
      const bool status_changed = item.status != cur.status;
      // A status change whose date cell was left as it was takes effect on the import date.
      const bool date_kept = !parsed.effective_date || *parsed.effective_date == cur.effective_date;
      item.effective_date =
          date_kept ? (status_changed ? in.today : cur.effective_date) : *parsed.effective_date;
      // A column the file does not have keeps what the item says: a power list without the
      // responsibility columns does not clear what a supplement filled in.
      const ListItem form = spreadsheetForm(cur);
      // Sub-items listed in the 子项 cell come from the file, though it has no 子项 column.
      const std::vector<std::string> listed = parsed.sub_items_from_name_cell
                                                  ? item.sub_items
                                                  : std::vector<std::string>{};
      keepAbsentColumns(item, form, *layout);
      if (parsed.sub_items_from_name_cell) item.sub_items = listed;
      changed = differingColumns(form, item);
      keepAbsentColumns(item, cur, *layout);  // written as stored, not as re-read
      if (parsed.sub_items_from_name_cell) item.sub_items = listed;
      if (status_changed) {
        kind = item.status == ItemStatus::Cancelled   ? ChangeKind::Cancel
               : item.status == ItemStatus::Delegated ? ChangeKind::Delegate
                                                      : ChangeKind::Amend;
      } else if (!changed.empty()) {
        kind = ChangeKind::Amend;
      }
    } else {
      item.department_id = in.department_id;
      item.status = parsed.status.value_or(ItemStatus::InForce);
      item.effective_date = parsed.effective_date.value_or(in.today);
      if (item.status != ItemStatus::InForce) {
        errors.push_back("新增事项的状态只能是“有效”。");
      }
      kind = ChangeKind::Create;
    }
    if (kind && errors.empty()) {
      item.change_kind = *kind;
      item.change_reason = reason;
      item.legal_trigger = in.legal_trigger;
      normaliseItem(item);
      for (auto& message : validateItem(item)) errors.push_back(std::move(message));
    }
    if (!errors.empty()) {
      ++report.rows_refused;
      for (auto& message : errors) {
        report.errors.push_back(
            ImportError{lr.row, lr.line, item.code, std::move(message), lr.sheet});
      }
      continue;
    }
    if (has_basis_column && item.legal_bases.empty()) {
      without_basis.push_back(rowPlace(lr.sheet, lr.row));
    }
    report.changes.push_back(
        ImportChange{lr.row, item.code, item.name, kind, changed, false, lr.sheet});
    count(report, kind);
    if (kind) {
      PlannedWrite w;
      w.change = report.changes.size() - 1;
      if (existing) {
        w.item_id = current[*existing].id;
        w.version = current[*existing].version + 1;
      }
      w.item = std::move(item);
      plan.writes.push_back(std::move(w));
    }
  }
  for (auto& [written, u] : unknown) {
    report.unknown_types.push_back(u);
    if (!u.chosen && written == kNoType) {
      report.notes.push_back(std::to_string(u.rows) +
                             " 行没有写明事项类型（表格没有类型列，标题和分类行也没有写明），暂按“" +
                             itemTypeName(u.mapped_to) + "”导入；请在映射中选择应归入的类型。");
    } else if (!u.chosen) {
      report.notes.push_back("事项类型“" + written + "”不是十类权力之一，" +
                             std::to_string(u.rows) + " 行暂按“" + itemTypeName(u.mapped_to) +
                             "”导入；如应归入其他类型，请在映射中选择。");
    }
  }
  for (const auto& [written_code, rows_spelled] : spelled) {
    report.notes.push_back("事项类型写作“" + written_code.first + "”的 " +
                           std::to_string(rows_spelled) + " 行按“" +
                           itemTypeName(written_code.second) + "”导入。");
  }
  for (const auto& [written, rows_spelled] : spelled_status) {
    report.notes.push_back("“状态”列写作“" + written + "”的 " + std::to_string(rows_spelled) +
                           " 行按“有效”导入。");
  }
  for (const auto& [code, rows_named] : typed_by_name) {
    report.notes.push_back(std::to_string(rows_named) +
                           " 行没有写明事项类型（表格没有类型列，标题和分类行也没有写明），按事项名称推定为“" +
                           itemTypeName(code) + "”导入；如不对，请在文件中加上类型列。");
  }
  if (!listed_sub_rows.empty()) {
    std::string at;
    for (std::size_t i = 0; i < listed_sub_rows.size(); ++i) {
      at += (i ? "、" : "") + listed_sub_rows[i];
    }
    report.notes.push_back(at + "的“子项名称”一格列出了多个编号的子项（共 " +
                           std::to_string(listed_subs) +
                           " 个）：每行按“事项名称”导入为一个事项，这些子项去掉编号后列在该事项的“子项”中。");
  }
  if (!without_basis.empty()) report.notes.push_back(withoutBasisNote(without_basis, book.format));
  constexpr std::size_t kNamesWarned = 50;
  std::size_t repeated_names = 0;
  for (const auto& key : name_order) {
    const auto& [shown, where] = rows_of_name[key];
    if (where.size() < 2 || ++repeated_names > kNamesWarned) continue;
    std::string at;
    for (std::size_t i = 0; i < where.size(); ++i) at += (i ? "、" : "") + where[i];
    report.warnings.push_back(
        "事项名称“" + shown + "”在" + at + "出现了 " + std::to_string(where.size()) +
        " 次：请核对是否重复录入。" +
        (supplement ? "这不妨碍导入。" : "这不妨碍导入，各行分别作为一个事项导入。"));
  }
  if (repeated_names > kNamesWarned) {
    report.warnings.push_back("另有 " + std::to_string(repeated_names - kNamesWarned) +
                              " 个事项名称也在多行出现，未一一列出。");
  }
  if (book.format == FileFormat::Csv && book.delimiter == '\t') {
    report.notes.push_back("文件各列以制表符分隔（Excel 的“Unicode 文本”格式），按此读取。");
  }
  if (book.format == FileFormat::Docx) {
    // A Word document has no row numbers: say how the rows named below are counted.
    report.notes.push_back(
        "Word 文档按正文顺序读取：表格的每一行、表格之外的每个段落各算一行，本页所说的“第 N 行”按此计数。");
  }
  report.choices = effectiveChoices(book, *layout, report, given);
  if (report.item_rows == 0) {
    addFileError(report, "表头下面没有任何事项。如确要取消本部门的全部事项，请逐项操作。");
    return plan;
  }

  // The file is the whole list: what it no longer lists is cancelled.
  for (std::size_t i = 0; i < current.size() && !supplement; ++i) {
    const ListItem& cur = current[i];
    if (listed[i] || cur.status == ItemStatus::Cancelled) continue;
    ListItem item = cur;
    item.status = ItemStatus::Cancelled;
    item.change_kind = ChangeKind::Cancel;
    item.effective_date = in.today;
    item.change_reason = reason;
    item.legal_trigger = in.legal_trigger;
    std::vector<std::string> changed = differingColumns(cur, item);
    report.changes.push_back(
        ImportChange{0, cur.code, cur.name, ChangeKind::Cancel, std::move(changed), true});
    count(report, ChangeKind::Cancel);
    plan.writes.push_back(
        PlannedWrite{report.changes.size() - 1, cur.id, cur.version + 1, std::move(item)});
  }
  return plan;
}

void appendAudit(db::Connection& conn, const accounts::Clock& clock, accounts::AuditEntry entry,
                 const ImportReport& report, const PlanInput& in) {
  if (entry.summary.empty()) {
    entry.summary = "导入清单：新增 " + std::to_string(report.created) + " 项，变更 " +
                    std::to_string(report.amended) + " 项，取消 " +
                    std::to_string(report.cancelled) + " 项，下放 " +
                    std::to_string(report.delegated) + " 项，无变化 " +
                    std::to_string(report.unchanged) + " 项。";
  }
  if (!entry.department_id) entry.department_id = in.department_id;
  if (entry.object_type.empty()) entry.object_type = "department";
  if (entry.object_id.empty()) entry.object_id = std::to_string(in.department_id);
  if (!entry.after_json) {
    nlohmann::json after = {{"reason", in.reason}, {"legal_trigger", in.legal_trigger}};
    for (const auto& c : report.changes) {
      if (c.kind) after[std::string(changeKindCode(*c.kind))].push_back(c.code);
    }
    entry.after_json = after.dump();
  }
  accounts::AuditStore(conn, clock).append(entry);
}

}  // namespace

std::string ImportChange::actionName() const {
  return kind ? std::string(changeKindName(*kind)) : "无变化";
}

std::string UnmatchedRow::describe() const {
  std::string out = "第 " + std::to_string(row) + " 行";
  if (!code.empty() && !name.empty()) {
    out += "（事项编码 " + code + "，“" + name + "”）：本部门没有这个编码的事项，也没有同名事项";
  } else if (!code.empty()) {
    out += "（事项编码 " + code + "）：本部门没有这个编码的事项";
  } else {
    out += "（“" + name + "”）：本部门没有同名事项";
  }
  return out + "，本行未导入。请核对事项名称或编码是否与权力清单一致。";
}

std::string ImportError::describe() const {
  if (row == 0) return message;
  std::vector<std::string> notes;
  if (!code.empty()) notes.push_back("事项编码 " + code);
  if (line != 0 && line != row) notes.push_back("文件第 " + std::to_string(line) + " 行");
  std::string out = rowPlace(sheet, row);
  for (std::size_t i = 0; i < notes.size(); ++i) out += (i ? "，" : "（") + notes[i];
  if (!notes.empty()) out += "）";
  return out + "：" + message;
}

ImportService::ImportService(db::Pool& pool, ImportOptions options, hotline::LocalClock clock)
    : pool_(pool), options_(std::move(options)), clock_(std::move(clock)) {}

ImportReport ImportService::preview(std::int64_t department_id, std::string_view file,
                                    const LayoutChoices* choices, ImportMode mode) {
  PlanInput in;
  in.mode = mode;
  in.department_id = department_id;
  in.file = file;
  in.today = options_.today.empty() ? clock_.now().date.toString() : options_.today;
  if (choices) in.choices = *choices;
  auto conn = pool_.acquire();
  db::Transaction snapshot(*conn);  // one consistent view; rolled back, nothing was written
  return planImport(*conn, in, options_.limits).report;
}

ImportReport ImportService::apply(std::int64_t department_id, std::string_view file,
                                  const ApplyRequest& request) {
  PlanInput in;
  in.department_id = department_id;
  in.file = file;
  in.today = options_.today.empty() ? clock_.now().date.toString() : options_.today;
  in.reason = base::trim(request.reason);
  in.legal_trigger = base::trim(request.legal_trigger);
  in.lock = true;
  in.choices = request.choices;
  in.mode = request.mode;
  if (in.reason.empty()) {
    ImportReport report;
    addFileError(report, "请填写本次导入的变更理由。");
    return report;
  }
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  Plan plan = planImport(*conn, in, options_.limits);
  ImportReport& report = plan.report;
  if (!report.ok()) return report;
  const std::size_t total = report.changes.size();
  std::size_t next_write = 0;
  for (std::size_t i = 0; i < total; ++i) {
    if (next_write < plan.writes.size() && plan.writes[next_write].change == i) {
      PlannedWrite& w = plan.writes[next_write++];
      if (w.item_id == 0) {
        try {
          writeNewItem(*conn, w.item);
        } catch (const db::DbError& e) {
          if (!e.isDuplicateKey()) throw;
          // Taken by someone else since the list was read: nothing is committed.
          const ImportChange& c = report.changes[i];
          report.errors.push_back(ImportError{
              c.row, 0, c.code, "事项编码 " + c.code + " 刚刚已被使用，请重新预览后再导入。"});
          return report;
        }
      } else {
        writeNextVersion(*conn, w.item_id, w.version, std::move(w.item));
      }
    }
    if (request.progress) request.progress(i + 1, total);
  }
  if (request.mode == ImportMode::Supplement) {
    // Added to the remembered mapping (the power list's), never replacing it.
    ImportMappingStore mappings(*conn);
    LayoutChoices merged = mappings.load(department_id);
    for (const auto& [header, field] : report.choices.columns) merged.columns[header] = field;
    for (const auto& [written, type] : report.choices.types) merged.types[written] = type;
    mappings.save(department_id, merged);
  } else {
    ImportMappingStore(*conn).save(department_id, report.choices);
  }
  if (request.audit) appendAudit(*conn, clock_.instantSource(), *request.audit, report, in);
  // The staged file is used once: of two confirmations at once, the second finds it gone
  // (the row lock of the first's DELETE holds it until that commits) and writes nothing.
  if (!request.staged_token.empty() &&
      ImportStagingStore(*conn).remove(accounts::tokenDigest(request.staged_token)) == 0) {
    report.errors.push_back(
        ImportError{0, 0, "", "该文件已经导入过，或预览已过期，请重新上传文件后再导入。"});
    return report;
  }
  tx.commit();
  report.applied = true;
  return report;
}

std::string ImportService::stage(std::int64_t department_id, std::int64_t account_id,
                                 std::string_view file) {
  const std::string token = accounts::randomToken();
  StagedFile f;
  f.id = accounts::tokenDigest(token);
  f.department_id = department_id;
  f.account_id = account_id;
  f.content = std::string(file);
  f.created_at = clock_.instant();
  f.expires_at = f.created_at + options_.staging_lifetime;
  auto conn = pool_.acquire();
  ImportStagingStore store(*conn);
  db::Transaction tx(*conn);
  store.removeExpired(f.created_at);
  store.removeOf(department_id, account_id);
  store.insert(f);
  tx.commit();
  return token;
}

std::optional<std::string> ImportService::staged(std::int64_t department_id,
                                                 std::int64_t account_id, std::string_view token) {
  if (token.size() != accounts::kTokenLength) return std::nullopt;
  auto conn = pool_.acquire();
  return ImportStagingStore(*conn).find(accounts::tokenDigest(token), department_id, account_id,
                                        clock_.instant());
}

LayoutChoices ImportService::rememberedChoices(std::int64_t department_id) {
  auto conn = pool_.acquire();
  return ImportMappingStore(*conn).load(department_id);
}

std::optional<std::string> ImportService::exportCsv(std::int64_t department_id) {
  auto conn = pool_.acquire();
  db::Transaction snapshot(*conn);  // one consistent view; rolled back, nothing was written
  if (!DepartmentStore(*conn).findById(department_id)) return std::nullopt;
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> head;
  for (std::size_t f = 0; f < kExportFieldCount; ++f) {
    head.emplace_back(listFieldName(static_cast<ListField>(f)));
  }
  records.push_back(std::move(head));
  for (const auto& item : DepartmentListStore(*conn).currentItems(department_id, false)) {
    const Cells cells = cellsOf(item);
    records.emplace_back(cells.begin(), cells.begin() + kExportFieldCount);
  }
  return writeCsv(records);
}

}  // namespace portal::publishing
