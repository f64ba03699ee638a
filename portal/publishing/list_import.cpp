#include "portal/publishing/list_import.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>
#include <utility>

#include "db/error.h"
#include "db/transaction.h"
#include "portal/publishing/department_list_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/publishing_service.h"

namespace portal::publishing {

namespace {

enum class Column {
  Code,
  Name,
  Type,
  SubItems,
  Body,
  Level,
  Bases,
  Responsibilities,
  Accountability,
  Phone,
  Remarks,
  Status,
  EffectiveDate,
};
constexpr std::size_t kColumnCount = 13;

struct ColumnSpec {
  std::string_view header;
  bool required;
};
// Export order; the order of a file's columns does not matter.
constexpr std::array<ColumnSpec, kColumnCount> kColumns = {{
    {"事项编码", true},
    {"事项名称", true},
    {"事项类型", true},
    {"子项", false},
    {"实施主体", true},
    {"行使层级", true},
    {"设定依据", true},
    {"责任事项", true},
    {"追责情形", true},
    {"监督电话", false},
    {"备注", false},
    {"状态", false},
    {"生效日期", false},
}};

constexpr std::size_t at(Column c) { return static_cast<std::size_t>(c); }
std::string header(Column c) { return std::string(kColumns[at(c)].header); }

using Cells = std::array<std::string, kColumnCount>;

// Reason used to validate rows in a preview, where no reason has been given yet.
constexpr std::string_view kPreviewReason = "（预览）";

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Spaces Excel users leave around cells: ASCII, the ideographic space, NBSP and a stray BOM.
std::string trim(std::string_view s) {
  static constexpr std::string_view kSpaces[] = {
      " ", "\t", "\n", "\r", "\xE3\x80\x80", "\xC2\xA0", "\xEF\xBB\xBF"};
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view sp : kSpaces) {
      if (startsWith(s, sp)) {
        s.remove_prefix(sp.size());
        changed = true;
      }
      if (endsWith(s, sp)) {
        s.remove_suffix(sp.size());
        changed = true;
      }
    }
  }
  return std::string(s);
}

// A cell our own export protected against formula injection ('=…, '+…, '-…, '@…): the value
// without the apostrophe, so export → import changes nothing.
std::string withoutFormulaGuard(std::string s) {
  if (s.size() >= 2 && s[0] == '\'' &&
      std::string_view("=+-@\t\r").find(s[1]) != std::string_view::npos) {
    s.erase(0, 1);
  }
  return s;
}

std::size_t charCount(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
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
      std::string v = trim(part);
      if (!v.empty()) out.push_back(std::move(v));
    }
  }
  return out;
}

std::string oneLine(std::string_view s) {
  std::string out;
  for (const auto& line : splitOn(s, "\n")) {
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// Length in bytes of an edition note right after a title: "（2018年修正）" or "(2018)".
std::size_t editionNoteLength(std::string_view s) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"},
                             std::pair<std::string_view, std::string_view>{"(", ")"}}) {
    if (!startsWith(s, open)) continue;
    const std::size_t end = s.find(close);
    if (end != std::string_view::npos) return end + close.size();
  }
  return 0;
}

// "《法律名称》第X条：条文" -> law, article, text. Lenient about what is missing; validation
// says what a basis must have.
LegalBasis parseBasis(std::string_view line) {
  std::size_t law_end = 0;
  if (startsWith(line, "《")) {
    const std::size_t close = line.find("》");
    if (close != std::string_view::npos) {
      law_end = close + std::string_view("》").size();
      while (std::size_t note = editionNoteLength(line.substr(law_end))) law_end += note;
    }
  }
  std::size_t sep = std::string_view::npos;
  std::size_t sep_len = 0;
  for (std::string_view s : {std::string_view("："), std::string_view(":")}) {
    const std::size_t p = line.find(s, law_end);
    if (p != std::string_view::npos && p < sep) {
      sep = p;
      sep_len = s.size();
    }
  }
  const std::string_view head = line.substr(0, sep);
  LegalBasis basis;
  if (sep != std::string_view::npos) basis.text = trim(line.substr(sep + sep_len));
  if (law_end > 0) {
    basis.law = trim(head.substr(0, law_end));
    basis.article = trim(head.substr(law_end));
    return basis;
  }
  // No 《》: the article is a trailing "第...条/款/项" if there is one.
  // std::regex works on bytes: multi-byte characters only as whole literals, never in [].
  static const std::regex kArticle("^(.*?)(第.*(?:条|款|项|目))$");
  std::smatch m;
  const std::string h(head);
  if (std::regex_match(h, m, kArticle) && !trim(m[1].str()).empty()) {
    basis.law = trim(m[1].str());
    basis.article = m[2].str();
  } else {
    basis.law = trim(h);
  }
  return basis;
}

std::string formatBasis(const LegalBasis& b) {
  std::string out = oneLine(b.law) + oneLine(b.article);
  const std::string text = oneLine(b.text);
  if (!text.empty()) out += "：" + text;
  return out;
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

std::string typeNames() {
  std::string out;
  for (const auto& t : itemTypes()) out += (out.empty() ? "" : "、") + std::string(t.name);
  return out;
}

struct ParsedRow {
  ListItem item;                              // status/effective_date not yet defaulted
  std::optional<ItemStatus> status;           // nullopt: empty cell or no column
  std::optional<std::string> effective_date;  // nullopt: empty cell or no column
  std::vector<std::string> errors;
  std::vector<std::string_view> covered;  // validateItem messages these errors already cover
};

ParsedRow parseCells(const Cells& cells) {
  ParsedRow p;
  ListItem& item = p.item;
  const auto cell = [&](Column c) { return withoutFormulaGuard(trim(cells[at(c)])); };
  const auto single = [&](Column c, std::size_t max_chars) {
    std::string v = cell(c);
    if (v.find('\n') != std::string::npos) {
      p.errors.push_back("“" + header(c) + "”不能换行。");
    }
    if (charCount(v) > max_chars) {
      p.errors.push_back("“" + header(c) + "”超过 " + std::to_string(max_chars) + " 个字。");
    }
    return v;
  };
  item.code = single(Column::Code, 64);
  if (item.code.empty()) {
    p.errors.push_back("请填写事项编码。");
    p.covered.push_back("事项编码");
  }
  item.name = single(Column::Name, 255);
  const std::string type = single(Column::Type, 64);
  if (auto code = itemTypeCode(type)) {
    item.type = *code;
  } else {
    item.type = type;
    p.errors.push_back(type.empty()
                           ? "请填写事项类型（" + typeNames() + "）。"
                           : "未知的事项类型“" + type + "”，应为" + typeNames() + "之一。");
    p.covered.push_back("事项类型");
  }
  item.sub_items = cellLines(cells[at(Column::SubItems)], "；");
  item.implementing_body = single(Column::Body, 255);
  item.level = single(Column::Level, 64);
  int n = 0;
  for (const auto& line : cellLines(cells[at(Column::Bases)])) {
    ++n;
    LegalBasis b = parseBasis(line);
    if (b.law.empty() || b.text.empty()) {
      p.errors.push_back("设定依据第 " + std::to_string(n) + " 条“" + line +
                         "”应写成“《法律名称》第X条：条文内容”。");
      p.covered.push_back("设定依据");
    } else if (charCount(b.law) > 255 || charCount(b.article) > 64) {
      p.errors.push_back("设定依据第 " + std::to_string(n) + " 条的法律名称或条款号过长。");
    }
    item.legal_bases.push_back(std::move(b));
  }
  item.responsibilities = cellLines(cells[at(Column::Responsibilities)]);
  item.accountability = cellLines(cells[at(Column::Accountability)]);
  item.supervision_phone = single(Column::Phone, 64);
  item.remarks = cell(Column::Remarks);
  if (const std::string s = cell(Column::Status); !s.empty()) {
    p.status = parseStatusCell(s);
    if (!p.status) p.errors.push_back("未知的状态“" + s + "”，应为有效、已取消或已下放。");
  }
  if (const std::string d = cell(Column::EffectiveDate); !d.empty()) {
    p.effective_date = normaliseDate(d);
    if (!p.effective_date) {
      p.errors.push_back("生效日期“" + d + "”无法识别，请写成 2024-03-01 的形式。");
    }
  }
  return p;
}

Cells cellsOf(const ListItem& item) {
  Cells c;
  c[at(Column::Code)] = item.code;
  c[at(Column::Name)] = item.name;
  c[at(Column::Type)] = itemTypeName(item.type);
  c[at(Column::SubItems)] = joinLines(item.sub_items);
  c[at(Column::Body)] = item.implementing_body;
  c[at(Column::Level)] = item.level;
  std::vector<std::string> bases;
  for (const auto& b : item.legal_bases) bases.push_back(formatBasis(b));
  c[at(Column::Bases)] = joinLines(bases);
  c[at(Column::Responsibilities)] = joinLines(item.responsibilities);
  c[at(Column::Accountability)] = joinLines(item.accountability);
  c[at(Column::Phone)] = item.supervision_phone;
  c[at(Column::Remarks)] = item.remarks;
  c[at(Column::Status)] = std::string(statusName(item.status));
  c[at(Column::EffectiveDate)] = item.effective_date;
  return c;
}

// The current item as the spreadsheet represents it, so that comparing it with a row ignores
// what a spreadsheet cannot carry (line breaks inside a basis, spaces around cells).
ListItem spreadsheetForm(const ListItem& current) {
  ListItem form = parseCells(cellsOf(current)).item;
  form.status = current.status;
  form.effective_date = current.effective_date;
  return form;
}

bool sameBases(const std::vector<LegalBasis>& a, const std::vector<LegalBasis>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].law != b[i].law || a[i].article != b[i].article || a[i].text != b[i].text) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> differingColumns(const ListItem& a, const ListItem& b) {
  std::vector<std::string> out;
  const auto check = [&](bool same, Column c) {
    if (!same) out.push_back(header(c));
  };
  check(a.name == b.name, Column::Name);
  check(a.type == b.type, Column::Type);
  check(a.sub_items == b.sub_items, Column::SubItems);
  check(a.implementing_body == b.implementing_body, Column::Body);
  check(a.level == b.level, Column::Level);
  check(sameBases(a.legal_bases, b.legal_bases), Column::Bases);
  check(a.responsibilities == b.responsibilities, Column::Responsibilities);
  check(a.accountability == b.accountability, Column::Accountability);
  check(a.supervision_phone == b.supervision_phone, Column::Phone);
  check(a.remarks == b.remarks, Column::Remarks);
  check(a.status == b.status, Column::Status);
  check(a.effective_date == b.effective_date, Column::EffectiveDate);
  return out;
}

std::string localToday() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string normaliseHeader(std::string_view cell) {
  std::string h = trim(cell);
  for (std::string_view mark : {std::string_view("*"), std::string_view("＊")}) {
    if (startsWith(h, mark)) h = trim(std::string_view(h).substr(mark.size()));
  }
  return h;
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
  std::string_view csv;
  std::string today;
  std::string reason;
  std::string legal_trigger;
  bool lock = false;
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

// Reads the file and the department's list and works out every change and every error.
// Reads only; with `lock` the department's items stay locked for the caller's transaction.
Plan planImport(db::Connection& conn, const PlanInput& in, const CsvLimits& limits) {
  Plan plan;
  ImportReport& report = plan.report;
  if (!DepartmentStore(conn).findById(in.department_id)) {
    addFileError(report, "所选部门不存在。");
    return plan;
  }
  CsvReadResult read = CsvReader(limits).read(in.csv);
  if (const auto* e = std::get_if<CsvError>(&read)) {
    addFileError(report, e->message, e->line);
    return plan;
  }
  const CsvTable& table = std::get<CsvTable>(read);
  report.encoding = table.encoding;

  // Header: which file column holds which of ours.
  const std::vector<std::string>& head = table.records.front().fields;
  std::array<std::optional<std::size_t>, kColumnCount> source;
  for (std::size_t f = 0; f < head.size(); ++f) {
    const std::string h = normaliseHeader(head[f]);
    if (h.empty()) continue;
    bool known = false;
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (kColumns[c].header != h) continue;
      known = true;
      if (source[c]) {
        addFileError(report, "表头中“" + h + "”出现了不止一次。", table.records.front().line);
      }
      source[c] = f;
    }
    if (!known) report.ignored_columns.push_back(h);
  }
  std::string missing;
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    if (kColumns[c].required && !source[c]) {
      missing += (missing.empty() ? "" : "、") + std::string(kColumns[c].header);
    }
  }
  if (!missing.empty()) {
    addFileError(report,
                 "第一行应为表头，缺少必需的列：" + missing +
                     "。列名须与清单模板一致（事项编码、事项名称、事项类型、子项、实施主体、"
                     "行使层级、设定依据、责任事项、追责情形、监督电话、备注）。",
                 table.records.front().line);
  }
  if (!report.errors.empty()) return plan;

  DepartmentListStore lists(conn);
  const std::vector<ListItem> current = lists.currentItems(in.department_id, in.lock);
  std::unordered_map<std::string, std::size_t> current_by_code;
  for (std::size_t i = 0; i < current.size(); ++i) current_by_code[codeKey(current[i].code)] = i;
  std::unordered_map<std::string, std::string> other_owner;
  for (const auto& o : lists.codesOfOtherDepartments(in.department_id)) {
    other_owner[codeKey(o.code)] = o.department_name;
  }

  std::unordered_map<std::string, int> row_of_code;
  std::vector<bool> listed(current.size(), false);
  const std::string reason = in.reason.empty() ? std::string(kPreviewReason) : in.reason;
  int item_rows = 0;
  for (std::size_t r = 1; r < table.records.size(); ++r) {
    const CsvRecord& record = table.records[r];
    const int row = static_cast<int>(r) + 1;
    Cells cells;
    bool blank = true;
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (source[c] && *source[c] < record.fields.size()) cells[c] = record.fields[*source[c]];
      blank = blank && trim(cells[c]).empty();
    }
    std::size_t extra = 0;
    for (std::size_t f = head.size(); f < record.fields.size(); ++f) {
      if (!trim(record.fields[f]).empty()) extra = f + 1;
    }
    if (blank && extra == 0) continue;  // an empty spreadsheet row
    ++item_rows;

    ParsedRow parsed = parseCells(cells);
    ListItem& item = parsed.item;
    std::vector<std::string> errors = std::move(parsed.errors);
    if (extra > 0) {
      errors.push_back("这一行有 " + std::to_string(extra) + " 个单元格，多于表头的 " +
                       std::to_string(head.size()) + " 列。单元格内的逗号需要用引号括起来。");
    }
    const std::string key = codeKey(item.code);
    std::optional<std::size_t> existing;
    if (!item.code.empty()) {
      if (auto [it, inserted] = row_of_code.emplace(key, row); !inserted) {
        errors.push_back("事项编码 " + item.code + " 与第 " + std::to_string(it->second) +
                         " 行重复。");
      }
      if (auto o = other_owner.find(key); o != other_owner.end()) {
        errors.push_back("事项编码 " + item.code + " 属于“" + o->second + "”，不能由本部门导入。");
      }
      if (auto c = current_by_code.find(key); c != current_by_code.end()) {
        existing = c->second;
        listed[c->second] = true;
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
      changed = differingColumns(spreadsheetForm(cur), item);
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
    if (kind) {
      item.change_kind = *kind;
      item.change_reason = reason;
      item.legal_trigger = in.legal_trigger;
      for (auto& message : validateItem(item)) {
        bool covered = false;
        for (std::string_view topic : parsed.covered) covered |= message.find(topic) == 0;
        if (!covered) errors.push_back(std::move(message));
      }
    }
    if (!errors.empty()) {
      for (auto& message : errors) {
        report.errors.push_back(ImportError{row, record.line, item.code, std::move(message)});
      }
      continue;
    }
    report.changes.push_back(ImportChange{row, item.code, item.name, kind, changed, false});
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
  if (item_rows == 0) {
    addFileError(report, "文件中只有表头，没有任何事项。如确要取消本部门的全部事项，请逐项操作。");
    return plan;
  }

  // The file is the whole list: what it no longer lists is cancelled.
  for (std::size_t i = 0; i < current.size(); ++i) {
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

void appendAudit(db::Connection& conn, accounts::AuditEntry entry, const ImportReport& report,
                 const PlanInput& in) {
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
  accounts::AuditStore(conn).append(entry);
}

}  // namespace

std::string ImportChange::actionName() const {
  return kind ? std::string(changeKindName(*kind)) : "无变化";
}

std::string ImportError::describe() const {
  if (row == 0) return message;
  std::vector<std::string> notes;
  if (!code.empty()) notes.push_back("事项编码 " + code);
  if (line != 0 && line != row) notes.push_back("文件第 " + std::to_string(line) + " 行");
  std::string out = "第 " + std::to_string(row) + " 行";
  for (std::size_t i = 0; i < notes.size(); ++i) out += (i ? "，" : "（") + notes[i];
  if (!notes.empty()) out += "）";
  return out + "：" + message;
}

ImportService::ImportService(db::Pool& pool, ImportOptions options)
    : pool_(pool), options_(std::move(options)) {}

ImportReport ImportService::preview(std::int64_t department_id, std::string_view csv) {
  PlanInput in;
  in.department_id = department_id;
  in.csv = csv;
  in.today = options_.today.empty() ? localToday() : options_.today;
  auto conn = pool_.acquire();
  db::Transaction snapshot(*conn);  // one consistent view; rolled back, nothing was written
  return planImport(*conn, in, options_.csv).report;
}

ImportReport ImportService::apply(std::int64_t department_id, std::string_view csv,
                                  const ApplyRequest& request) {
  PlanInput in;
  in.department_id = department_id;
  in.csv = csv;
  in.today = options_.today.empty() ? localToday() : options_.today;
  in.reason = trim(request.reason);
  in.legal_trigger = trim(request.legal_trigger);
  in.lock = true;
  if (in.reason.empty()) {
    ImportReport report;
    addFileError(report, "请填写本次导入的变更理由。");
    return report;
  }
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  Plan plan = planImport(*conn, in, options_.csv);
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
  if (request.audit) appendAudit(*conn, *request.audit, report, in);
  tx.commit();
  report.applied = true;
  return report;
}

std::optional<std::string> ImportService::exportCsv(std::int64_t department_id) {
  auto conn = pool_.acquire();
  db::Transaction snapshot(*conn);  // one consistent view; rolled back, nothing was written
  if (!DepartmentStore(*conn).findById(department_id)) return std::nullopt;
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> head;
  for (const auto& c : kColumns) head.emplace_back(c.header);
  records.push_back(std::move(head));
  for (const auto& item : DepartmentListStore(*conn).currentItems(department_id, false)) {
    const Cells cells = cellsOf(item);
    records.emplace_back(cells.begin(), cells.end());
  }
  return writeCsv(records);
}

}  // namespace portal::publishing
