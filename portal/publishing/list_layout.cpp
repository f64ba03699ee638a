#include "portal/publishing/list_layout.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/utf8.h"
#include "base/whole_number.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

struct FieldInfo {
  ListField field;
  std::string_view key;
  std::string_view name;
};
constexpr std::array<FieldInfo, kListFieldCount> kFields = {{
    {ListField::Code, "code", "事项编码"},
    {ListField::Name, "name", "事项名称"},
    {ListField::Type, "type", "事项类型"},
    {ListField::SubItems, "sub_items", "子项"},
    {ListField::Body, "body", "实施主体"},
    {ListField::Level, "level", "行使层级"},
    {ListField::Bases, "bases", "设定依据"},
    {ListField::Responsibilities, "responsibilities", "责任事项"},
    {ListField::Accountability, "accountability", "追责情形"},
    {ListField::Phone, "phone", "监督电话"},
    {ListField::Remarks, "remarks", "备注"},
    {ListField::Status, "status", "状态"},
    {ListField::EffectiveDate, "effective_date", "生效日期"},
    {ListField::MainItem, "main_item", "主项"},
    {ListField::SubName, "sub_name", "子项名称"},
    {ListField::Seq, "seq", "序号"},
}};

// Exact header names (after normaliseHeaderText), by field.
const std::vector<std::pair<std::string_view, ListField>>& synonyms() {
  static const std::vector<std::pair<std::string_view, ListField>> kSynonyms = {
      {"事项编码", ListField::Code},         {"编码", ListField::Code},
      {"项目编码", ListField::Code},         {"权力编码", ListField::Code},
      {"职权编码", ListField::Code},         {"基本编码", ListField::Code},
      {"事项代码", ListField::Code},         {"权力事项编码", ListField::Code},
      {"清单编码", ListField::Code},         {"编号", ListField::Code},
      {"事项编号", ListField::Code},         {"权力编号", ListField::Code},
      {"实施编码", ListField::Code},         {"职权编号", ListField::Code},
      {"事项名称", ListField::Name},         {"权力名称", ListField::Name},
      {"职权名称", ListField::Name},         {"权力事项名称", ListField::Name},
      {"项目名称", ListField::Name},         {"名称", ListField::Name},
      {"权责事项", ListField::Name},         {"权力事项", ListField::Name},
      {"执法事项", ListField::Name},         {"职权事项", ListField::Name},
      {"事项", ListField::Name},             {"权责事项名称", ListField::Name},
      {"执法事项名称", ListField::Name},     {"行政职权名称", ListField::Name},
      {"职权项目", ListField::Name},         {"行政处罚内容", ListField::Name},
      {"处罚事项", ListField::Name},         {"处罚内容", ListField::Name},
      {"项目名称(主项)", ListField::Name},   {"事项名称(主项)", ListField::Name},
      {"主项", ListField::MainItem},         {"主项名称", ListField::MainItem},
      {"项目", ListField::MainItem},         {"子项名称", ListField::SubName},
      {"主要职责", ListField::MainItem},     {"项目子项", ListField::SubName},
      {"子项名称及编码", ListField::SubName}, {"子项目", ListField::SubName},
      {"事项类型", ListField::Type},         {"权力类别", ListField::Type},
      {"权力类型", ListField::Type},         {"职权类别", ListField::Type},
      {"职权类型", ListField::Type},         {"类型", ListField::Type},
      {"类别", ListField::Type},             {"事项类别", ListField::Type},
      {"权力种类", ListField::Type},         {"权种类别", ListField::Type},
      {"权种", ListField::Type},             {"行政职权类别", ListField::Type},
      {"行政职权类型", ListField::Type},     {"职权种类", ListField::Type},
      {"权责类别", ListField::Type},         {"权责类型", ListField::Type},
      {"事项种类", ListField::Type},         {"权力属性", ListField::Type},
      {"子项", ListField::SubItems},         {"实施主体", ListField::Body},
      {"责任主体", ListField::Body},         {"承办机构", ListField::Body},
      {"实施机关", ListField::Body},         {"实施单位", ListField::Body},
      {"行使主体", ListField::Body},         {"执法主体", ListField::Body},
      {"实施部门", ListField::Body},         {"行政决定部门", ListField::Body},
      {"责任单位", ListField::Body},         {"实施主体名称", ListField::Body},
      {"承办机构(科室)", ListField::Body},   {"主管部门", ListField::Body},
      {"行使层级", ListField::Level},        {"层级", ListField::Level},
      {"行使层次", ListField::Level},        {"实施层级", ListField::Level},
      {"权限", ListField::Level},            {"设定依据", ListField::Bases},
      {"实施依据", ListField::Bases},        {"法律依据", ListField::Bases},
      {"依据", ListField::Bases},            {"职权依据", ListField::Bases},
      {"设定和实施依据", ListField::Bases},  {"法定依据", ListField::Bases},
      {"执法依据", ListField::Bases},        {"设定依据及条款", ListField::Bases},
      {"行使依据", ListField::Bases},        {"法律法规依据", ListField::Bases},
      {"处罚依据", ListField::Bases},        {"权力依据", ListField::Bases},
      {"责任事项", ListField::Responsibilities}, {"责任内容", ListField::Responsibilities},
      {"责任事项内容", ListField::Responsibilities}, {"职责", ListField::Responsibilities},
      {"行使内容", ListField::Responsibilities}, {"追责情形", ListField::Accountability},
      {"追责对象及情形", ListField::Accountability}, {"问责依据", ListField::Accountability},
      {"追责依据", ListField::Accountability}, {"追责对象与情形", ListField::Accountability},
      {"问责情形", ListField::Accountability}, {"责任追究", ListField::Accountability},
      {"追责对象范围", ListField::Accountability}, {"追责情形及依据", ListField::Accountability},
      {"监督电话", ListField::Phone},        {"投诉电话", ListField::Phone},
      {"监督投诉电话", ListField::Phone},    {"备注", ListField::Remarks},
      // 相山区司法局's list (blind4/62) writes the phone under 监督方式.
      {"监督方式", ListField::Phone},        {"监督投诉方式", ListField::Phone},
      {"说明", ListField::Remarks},          {"状态", ListField::Status},
      {"生效日期", ListField::EffectiveDate}, {"序号", ListField::Seq},
      {"-", ListField::Seq},                 {"序", ListField::Seq},
      {"No.", ListField::Seq},               {"编排序号", ListField::Seq},
  };
  return kSynonyms;
}

std::string withoutBrackets(std::string_view s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (depth == 0) out += c;
    if (c == ')' && depth > 0) --depth;
  }
  return out;
}

// Headers under a two-row 事项名称: which name part they are.
std::optional<ListField> namePart(std::string_view bottom) {
  if (bottom == "项目" || bottom == "主项" || bottom == "项目名称" || bottom == "主项名称" ||
      bottom == "名称" || bottom == "事项名称") {
    return ListField::MainItem;
  }
  if (bottom == "子项" || bottom == "子项名称" || bottom == "子项目") return ListField::SubName;
  return std::nullopt;
}


const std::string& cellAt(const SheetRow& r, std::size_t c) {
  static const std::string kEmpty;
  return c < r.cells.size() ? r.cells[c] : kEmpty;
}

std::size_t nonEmpty(const SheetRow& r) {
  std::size_t n = 0;
  for (const auto& c : r.cells) n += !base::trim(c).empty();
  return n;
}

// The distinct non-empty values of a row (a title merged across is one value).
std::set<std::string> distinctValues(const SheetRow& r) {
  std::set<std::string> out;
  for (const auto& c : r.cells) {
    std::string t = base::trim(c);
    if (!t.empty()) out.insert(std::move(t));
  }
  return out;
}

// The one type a line names ("…行政处罚权力清单", "行政许可（五项）"); nullopt when it names
// none or several (a count line).
std::optional<std::string> typeNamedIn(std::string_view line) {
  std::optional<std::string> found;
  for (const auto& t : itemTypes()) {
    if (t.code == "qt") continue;
    if (contains(line, t.name)) {
      if (found) return std::nullopt;
      found = std::string(t.code);
    }
  }
  if (!found && contains(line, "行政审批")) found = "xk";
  if (!found && (contains(line, "其他行政权力") || contains(line, "其他权力"))) found = "qt";
  return found;
}

// "2", "22", "二十二", "〇": the number in a count ("行政许可(2项)", "共31项").
bool isCountNumber(std::string_view s) {
  if (s.empty()) return false;
  static constexpr std::string_view kNumerals = "〇零一二三四五六七八九十百千";
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t cp = base::decodeUtf8(s, i);
    if (cp >= '0' && cp <= '9') continue;
    if (kNumerals.find(s.substr(at, i - at)) == std::string_view::npos) return false;
  }
  return true;
}

// A cell that counts rows instead of naming an item ("总计78项", "共0项", "31项") or stands for
// rows left out ("……", "...").
bool isCountText(std::string_view cell) {
  std::string v;
  for (char c : base::trim(cell)) {
    if (c != ' ') v += c;
  }
  if (v.empty()) return false;
  std::string_view rest = v;
  bool only_dots = true;
  for (std::size_t i = 0; i < rest.size();) {
    const std::size_t at = i;
    base::decodeUtf8(rest, i);
    const std::string_view ch = rest.substr(at, i - at);
    if (ch != "…" && ch != "." && ch != "·" && ch != "。") only_dots = false;
  }
  if (only_dots) return true;
  for (std::string_view prefix : {"总计", "合计", "小计", "共计", "共"}) {
    if (startsWith(rest, prefix)) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  return endsWith(rest, "项") && isCountNumber(rest.substr(0, rest.size() - std::string_view("项").size()));
}

// "一、部门职责" -> "部门职责"; nullopt for other lines.
std::optional<std::string> partHeading(std::string_view line) {
  static constexpr std::string_view kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  std::size_t i = 0;
  for (bool more = true; more;) {
    more = false;
    for (auto n : kNumerals) {
      if (line.substr(i, n.size()) == n) {
        i += n.size();
        more = true;
      }
    }
  }
  if (i == 0) return std::nullopt;
  for (std::string_view mark : {"、", ".", "．"}) {
    if (line.substr(i, mark.size()) == mark) {
      std::string rest = base::trim(line.substr(i + mark.size()));
      if (!rest.empty() && rest.size() <= 60) return rest;
    }
  }
  return std::nullopt;
}

// Does this cell look like item data rather than header text?
bool looksLikeData(std::string_view normalised) {
  return normalised.size() > 60 || (!normalised.empty() && std::isdigit(static_cast<unsigned char>(normalised[0])));
}

struct HeaderScore {
  std::size_t fields = 0;
  bool has_name = false;
};

// A header cell is a short label. The body's long cells (legal bases, duties: often thousands
// of bytes) never are one, and normalising each of them on every row to look for a repeated
// header was the preview's hot spot (perf, 2,000-row .xlsx: scoreRow about 20% of the import's
// CPU, std::regex about 3%). Body rows skip such cells; the header search itself does not.
constexpr std::size_t kMaxHeaderCellBytes = 200;

HeaderScore scoreRow(const SheetRow& r, std::size_t max_cell_bytes = std::string::npos) {
  HeaderScore s;
  std::set<ListField> seen;
  for (const auto& c : r.cells) {
    if (c.size() > max_cell_bytes) continue;
    const std::string h = normaliseHeaderText(c);
    if (h.empty() || looksLikeData(h)) continue;
    if (auto f = fieldForHeader(h)) {
      seen.insert(*f);
      if (*f == ListField::Name || *f == ListField::MainItem || *f == ListField::SubName) {
        s.has_name = true;
      }
    }
  }
  s.fields = seen.size();
  return s;
}

// Whether row `r` (below a header) is a second header row: short labels, at least one under
// a cell the header row leaves empty (a merged 职权名称 or 执法依据 above them), or a known
// name part (项目/子项).
bool isSecondHeader(const SheetRow& top, const SheetRow& r) {
  bool any_label = false;
  bool under_empty = false;
  for (std::size_t c = 0; c < r.cells.size(); ++c) {
    const std::string h = normaliseHeaderText(r.cells[c]);
    if (h.empty()) continue;
    if (looksLikeData(h) || h.size() > 36) return false;
    if (namePart(h) || fieldForHeader(h)) any_label = true;
    if (normaliseHeaderText(cellAt(top, c)).empty()) under_empty = true;
  }
  return (any_label || under_empty) && nonEmpty(r) < std::max<std::size_t>(nonEmpty(top), 2);
}

// Excel's name of a 0-based column: A, B, …, Z, AA, AB, …
std::string columnLetters(std::size_t c) {
  std::string out;
  for (std::size_t n = c + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

// Covered header cells: in a merged area, every cell gets the top-left text.
std::vector<std::string> headerTexts(const Sheet& sheet, std::size_t row, std::size_t columns,
                                     bool fill_right_from_merge_guess,
                                     const SheetRow* below) {
  std::vector<std::string> out(columns);
  for (std::size_t c = 0; c < columns; ++c) out[c] = normaliseHeaderText(cellAt(sheet.rows[row], c));
  for (const auto& m : sheet.merges) {
    if (m.first_row > row || m.last_row < row) continue;
    const std::string v = normaliseHeaderText(cellAt(sheet.rows[m.first_row], m.first_col));
    for (std::size_t c = m.first_col; c <= m.last_col && c < columns; ++c) {
      if (out[c].empty()) out[c] = v;
    }
  }
  if (fill_right_from_merge_guess && below) {
    // Without merge information: an empty top cell over a sub-header belongs to the label on
    // its left (职权名称 over 项目 | 子项).
    for (std::size_t c = 1; c < columns; ++c) {
      if (out[c].empty() && !normaliseHeaderText(cellAt(*below, c)).empty()) out[c] = out[c - 1];
    }
  }
  return out;
}

}  // namespace

std::string_view listFieldName(ListField f) { return kFields[static_cast<std::size_t>(f)].name; }
std::string_view listFieldKey(ListField f) { return kFields[static_cast<std::size_t>(f)].key; }
std::optional<ListField> parseListFieldKey(std::string_view key) {
  for (const auto& f : kFields) {
    if (f.key == key || f.name == key) return f.field;
  }
  return std::nullopt;
}

std::optional<std::size_t> ListLayout::columnOf(ListField f) const {
  for (const auto& c : columns) {
    if (c.field == f) return c.column;
  }
  return std::nullopt;
}

std::string normaliseHeaderText(std::string_view cell) {
  std::string out;
  std::string_view s = cell;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t cp = base::decodeUtf8(s, i);
    const std::string_view ch = s.substr(at, i - at);
    if (base::isBlank(cp)) continue;
    if (ch == "（") {
      out += '(';
    } else if (ch == "）") {
      out += ')';
    } else if (ch == "＊") {
      out += '*';
    } else if (ch == "：" || ch == ":") {
      continue;
    } else {
      out += ch;
    }
  }
  while (startsWith(out, "*")) out.erase(0, 1);
  return out;
}

std::optional<ListField> fieldForHeader(std::string_view header) {
  const std::string h = normaliseHeaderText(header);
  if (h.empty()) return std::nullopt;
  for (const auto& [name, field] : synonyms()) {
    if (h == name) return field;
  }
  const std::string bare = withoutBrackets(h);
  if (bare != h && !bare.empty()) {
    for (const auto& [name, field] : synonyms()) {
      if (bare == name) return field;
    }
  }
  if (bare.size() > 45) return std::nullopt;  // a sentence, not a header
  // A name header that also says what else the column holds: "职权名称及数量" (count rows
  // between the items write their count in it).
  for (std::string_view name : {"职权名称", "事项名称", "权力名称", "项目名称", "行政职权名称",
                                "权力事项名称", "执法事项名称"}) {
    if (startsWith(bare, name) && !contains(bare, "子项") && !contains(bare, "编码") &&
        !contains(bare, "依据")) {
      return ListField::Name;
    }
  }
  // Longer headers that say what they hold: "设定依据（法律法规规章名称及条款）", "权力事项名称".
  if (contains(bare, "收费") || contains(bare, "时限") || contains(bare, "对象")) {
    return std::nullopt;
  }
  // "子项数量" counts; "职权类别及数量" is the type column with its counts.
  if (contains(bare, "数量") && !contains(bare, "类别") && !contains(bare, "类型")) {
    return std::nullopt;
  }
  // "主项/子项" says whether a row is a 主项 or a 子项; it is no name.
  if (contains(bare, "主项") && contains(bare, "子项") && !contains(bare, "名称")) {
    return std::nullopt;
  }
  if (contains(bare, "子项")) return ListField::SubName;
  if (contains(bare, "编码") || contains(bare, "编号")) return ListField::Code;
  // "责任事项依据" is the basis of the duties, not of the power: not a 设定依据.
  if (contains(bare, "责任") && contains(bare, "依据")) return std::nullopt;
  if (contains(bare, "依据") && !contains(bare, "问责") && !contains(bare, "追责")) {
    return ListField::Bases;
  }
  if (contains(bare, "追责") || contains(bare, "问责")) return ListField::Accountability;
  if (contains(bare, "责任事项")) return ListField::Responsibilities;
  // "公开类型" (主动公开), "公开方式": how the item is disclosed, not its type.
  if (contains(bare, "公开")) return std::nullopt;
  if (contains(bare, "类别") || contains(bare, "类型")) return ListField::Type;
  // "总序号", "编排序号": the row's running number (a "类别及序号" is the type column, above).
  if (endsWith(bare, "序号")) return ListField::Seq;
  // "隶属机构", "上级机构" (消防's 新疆消防救援总队): the body above the one that acts.
  if (startsWith(bare, "隶属") || startsWith(bare, "上级")) return std::nullopt;
  if (contains(bare, "主体") || contains(bare, "实施机关") || contains(bare, "承办") ||
      contains(bare, "机构")) {
    return ListField::Body;
  }
  if (contains(bare, "层级")) return ListField::Level;
  if (contains(bare, "电话")) return ListField::Phone;
  if (endsWith(bare, "名称") || endsWith(bare, "事项")) return ListField::Name;
  return std::nullopt;
}

std::optional<std::string> typeCodeFor(std::string_view written) {
  std::string t = normaliseHeaderText(written);
  if (t.empty()) return std::nullopt;
  if (auto c = itemTypeCode(t)) return c;
  static const std::vector<std::pair<std::string_view, std::string_view>> kSpellings = {
      {"许可", "xk"},         {"行政审批", "xk"},       {"审批", "xk"},
      {"行政许可(审批)", "xk"}, {"处罚", "cf"},         {"强制", "qz"},
      {"行政强制措施", "qz"}, {"行政强制执行", "qz"},   {"强制措施", "qz"},
      {"强制执行", "qz"},     {"征收", "zs"},           {"行政征收征用", "zs"},
      {"给付", "jf"},         {"检查", "jc"},           {"监督检查", "jc"},
      {"行政监督检查", "jc"}, {"行政监督", "jc"},       {"确认", "qr"},
      {"奖励", "jl"},         {"裁决", "cj"},           {"其他权力", "qt"},
      {"其他", "qt"},         {"其它", "qt"},           {"其它行政权力", "qt"},
      {"其他类", "qt"},       {"其他职权", "qt"},       {"其他行政职权", "qt"},
      {"其他权力事项", "qt"}, {"其他行政权力事项", "qt"}, {"其它权力", "qt"},
  };
  for (const auto& [spelling, code] : kSpellings) {
    if (t == spelling) return std::string(code);
  }
  // "一、行政许可", "十、其他类": a section's type with its part number in front.
  if (auto rest = partHeading(t)) return typeCodeFor(*rest);
  // "行政许可(2项)", "行政处罚(二十二项)": the type with the count of its rows.
  if (endsWith(t, "项)")) {
    const std::size_t open = t.rfind('(');
    if (open != std::string::npos && open > 0) {
      std::string_view inside = std::string_view(t).substr(open + 1);
      inside.remove_suffix(std::string_view("项)").size());
      if (startsWith(inside, "共")) inside.remove_prefix(std::string_view("共").size());
      if (isCountNumber(inside)) return typeCodeFor(std::string_view(t).substr(0, open));
    }
  }
  // "行政许可类", "行政处罚事项": the name with a suffix.
  for (std::string_view suffix : {"类", "事项", "权"}) {
    if (endsWith(t, suffix) && t.size() > suffix.size()) {
      return typeCodeFor(std::string_view(t).substr(0, t.size() - suffix.size()));
    }
  }
  return std::nullopt;
}

std::optional<std::string> typeFromItemName(std::string_view name) {
  const std::string n = normaliseHeaderText(name);
  if (auto t = typeNamedIn(n); t && *t != "qt") return t;
  if (endsWith(n, "处罚")) return std::string("cf");
  if (endsWith(n, "检查")) return std::string("jc");
  if (endsWith(n, "许可")) return std::string("xk");
  return std::nullopt;
}

// A seq-like number: "1", "12", "3." (lists number rows 1, 2, 3 or 1., 2.).
static bool isRowNumber(std::string_view v) {
  for (std::string_view mark : {".", "、"}) {
    if (endsWith(v, mark)) v.remove_suffix(mark.size());
  }
  return base::parseWholeNumber(v, 6).has_value();
}

// A table published without a header row (a 总目录 rendered as number, name and type per row,
// the header lost or never written): its columns are read by what they hold, when every row
// with two or more cells has a type the portal knows in the same column and one other column
// holds text in every row. The columns are named （无表头）第N列 for the person to map.
static std::optional<ListLayout> headerlessLayout(const Sheet& sheet, std::size_t s,
                                                  const LayoutChoices& choices) {
  const std::size_t columns = sheet.columns();
  if (columns < 2) return std::nullopt;
  std::vector<std::size_t> data;
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    std::size_t filled = 0;
    for (const auto& c : sheet.rows[r].cells) {
      if (!base::trim(c).empty()) ++filled;
    }
    if (filled >= 2) data.push_back(r);
  }
  if (data.size() < 2) return std::nullopt;
  // Rows above the first data row are titles: one value each.
  for (std::size_t r = 0; r < data.front(); ++r) {
    if (distinctValues(sheet.rows[r]).size() > 1) return std::nullopt;
  }
  std::vector<std::size_t> numbers(columns), types(columns), filled(columns), bytes(columns);
  for (std::size_t r : data) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string v = base::trim(cellAt(sheet.rows[r], c));
      if (v.empty()) continue;
      ++filled[c];
      if (isRowNumber(v)) {
        ++numbers[c];
      } else if (typeCodeFor(v)) {
        ++types[c];
      } else {
        bytes[c] += v.size();
      }
    }
  }
  const std::size_t n = data.size();
  std::optional<std::size_t> seq, type, name;
  for (std::size_t c = 0; c < columns; ++c) {
    if (!seq && numbers[c] == n) {
      seq = c;
    } else if (!type && types[c] == n) {
      type = c;
    }
  }
  if (!type) return std::nullopt;
  for (std::size_t c = 0; c < columns; ++c) {
    if (c == seq || c == type || filled[c] != n) continue;
    if (!name || bytes[c] > bytes[*name]) name = c;
  }
  if (!name || bytes[*name] == 0) return std::nullopt;

  ListLayout layout;
  layout.sheet = s;
  layout.header_row = data.front();
  layout.header_rows = 0;
  std::string read;
  for (std::size_t c = 0; c < columns; ++c) {
    ColumnGuess g;
    g.column = c;
    g.header = "（无表头）第" + std::to_string(c + 1) + "列";
    if (auto chosen = choices.columns.find(g.header); chosen != choices.columns.end()) {
      g.chosen = true;
      if (chosen->second != "ignore") g.field = parseListFieldKey(chosen->second);
    } else if (c == seq) {
      g.field = ListField::Seq;
    } else if (c == type) {
      g.field = ListField::Type;
    } else if (c == name) {
      g.field = ListField::Name;
    }
    if (g.field) {
      read += (read.empty() ? "" : "、") + std::string("第") + std::to_string(c + 1) + "列为“" +
              std::string(listFieldName(*g.field)) + "”";
    }
    layout.columns.push_back(std::move(g));
  }
  if (!layout.columnOf(ListField::Name)) return std::nullopt;
  for (std::size_t r = 0; r < data.front(); ++r) {
    const auto values = distinctValues(sheet.rows[r]);
    if (values.size() != 1) continue;
    if (auto t = typeNamedIn(*values.begin())) {
      layout.title_type = t;
      break;
    }
  }
  layout.notes.push_back(
      "文件没有表头行：第 " + std::to_string(sheet.rows[data.front()].number) +
      " 行起每行都有名称和事项类型，按各列内容理解为" + read + "（每列都可在下方重新指定）" +
      (data.front() > 0 ? "；上方 " + std::to_string(data.front()) + " 行标题未作为事项导入"
                        : std::string()) +
      "。");
  return layout;
}

std::optional<std::pair<std::string, std::string>> numberedLine(std::string_view line) {
  const std::string t = base::trim(line);
  std::string_view v = t;
  std::string digits;
  bool bracketed = false;
  for (std::string_view open : {"(", "（"}) {
    if (startsWith(v, open)) {
      v.remove_prefix(open.size());
      bracketed = true;
      break;
    }
  }
  std::size_t i = 0;
  while (i < v.size()) {
    std::size_t next = i;
    const char32_t cp = base::decodeUtf8(v, next);
    if (cp >= '0' && cp <= '9') {
      digits += static_cast<char>(cp);
    } else if (cp >= 0xFF10 && cp <= 0xFF19) {  // full-width digits
      digits += static_cast<char>('0' + (cp - 0xFF10));
    } else {
      break;
    }
    i = next;
  }
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  v.remove_prefix(i);
  bool marked = false;
  const auto marks = bracketed ? std::vector<std::string_view>{")", "）"}
                               : std::vector<std::string_view>{".", "、", "．", ")", "）"};
  for (std::string_view mark : marks) {
    if (startsWith(v, mark)) {
      v.remove_prefix(mark.size());
      marked = true;
      break;
    }
  }
  if (!marked) return std::nullopt;
  std::string text = base::trim(v);
  if (text.empty()) return std::nullopt;
  return std::make_pair(digits, std::move(text));
}

// A list that is no table: every row one line (a heading, a section line, or an item numbered
// "1." / "1、"), as a page lists powers under 一、行政许可(共7项). Read when at least two lines are
// numbered items and a line above the first of them names a type the portal knows (else a
// numbered text, 一是…二是…, is no list of powers and stays refused).
static std::optional<ListLayout> numberedLinesLayout(const Sheet& sheet, std::size_t s,
                                                     const LayoutChoices& choices) {
  std::vector<std::size_t> numbered;
  std::string typed_above;  // the first line above the items that names a type
  std::size_t lines = 0;
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto values = distinctValues(sheet.rows[r]);
    if (values.empty()) continue;
    if (values.size() > 1) return std::nullopt;
    ++lines;
    if (numberedLine(*values.begin())) {
      numbered.push_back(r);
    } else if (numbered.empty() && typed_above.empty() && typeNamedIn(*values.begin())) {
      typed_above = *values.begin();
    }
  }
  if (numbered.size() < 2 || typed_above.empty()) return std::nullopt;
  ListLayout layout;
  layout.sheet = s;
  layout.header_row = 0;
  layout.header_rows = 0;
  layout.numbered_lines = true;
  ColumnGuess g;
  g.column = 0;
  g.header = "（无表头）第1列";
  g.field = ListField::Name;
  if (auto chosen = choices.columns.find(g.header); chosen != choices.columns.end()) {
    g.chosen = true;
    g.field.reset();
    if (chosen->second != "ignore") g.field = parseListFieldKey(chosen->second);
  }
  layout.columns.push_back(std::move(g));
  if (!layout.columnOf(ListField::Name)) return std::nullopt;
  layout.notes.push_back(
      "文件不是表格，没有表头：每行一项，" + std::to_string(numbered.size()) +
      " 行以编号开头（如“1.”“1、”），按事项读入，编号作为序号，编号后的文字作为事项名称；其余 " +
      std::to_string(lines - numbered.size()) + " 行是标题或分类行，分类行写明的类型（如“" +
      typed_above + "”）用于其下各行。");
  return layout;
}

// The layout of one sheet under a header row (nullopt: no header with a name column).
// `own_notes_from`: the notes from this index on (the title's type, where the header is) are
// about this sheet alone; the ones before it are about the columns.
static std::optional<ListLayout> sheetLayout(const Workbook& book, std::size_t s,
                                             const LayoutChoices& choices,
                                             std::size_t& own_notes_from) {
  {
    const Sheet& sheet = book.sheets[s];
    // The header: the row among the first 30 naming the most fields, with a name column.
    std::optional<std::size_t> best;
    HeaderScore best_score;
    const std::size_t scan = std::min<std::size_t>(sheet.rows.size(), 30);
    for (std::size_t r = 0; r < scan; ++r) {
      const HeaderScore sc = scoreRow(sheet.rows[r]);
      if (!sc.has_name) continue;
      if (!best || sc.fields > best_score.fields) {
        best = r;
        best_score = sc;
      }
    }
    if (!best) return std::nullopt;
    ListLayout layout;
    layout.sheet = s;
    layout.header_row = *best;
    const SheetRow& top = sheet.rows[*best];
    const SheetRow* second = nullptr;
    if (*best + 1 < sheet.rows.size() && isSecondHeader(top, sheet.rows[*best + 1])) {
      second = &sheet.rows[*best + 1];
      layout.header_rows = 2;
    }
    const std::size_t columns = std::max(sheet.columns(), std::size_t{1});
    const bool merges_known = book.merges_known;
    const std::vector<std::string> tops =
        headerTexts(sheet, *best, columns, !merges_known, second);
    std::vector<std::string> bottoms(columns);
    if (second) bottoms = headerTexts(sheet, *best + 1, columns, false, nullptr);
    std::set<ListField> used;
    std::map<std::string, int> header_seen;
    // A second column under a header seen before: read where the first one's cell is empty.
    const auto addSpare = [&](std::size_t column, ListField field, const std::string& header) {
      layout.spare_columns.push_back({column, field});
      layout.notes.push_back("“" + header +
                             "”列出现两次：按前一列导入，前一列为空的行取后一列的内容。");
    };
    for (std::size_t c = 0; c < columns; ++c) {
      ColumnGuess g;
      g.column = c;
      const std::string& t = tops[c];
      const std::string& b = second && bottoms[c] != t ? bottoms[c] : std::string();
      g.header = b.empty() ? t : (t.empty() ? b : t + "/" + b);
      if (g.header.empty()) {
        // A first column without header text holding numbers is 序号.
        if (c == 0) g.header = "（无表头）";
        else continue;
      }
      const int occurrence = ++header_seen[g.header];
      if (occurrence > 1) g.choice_key = g.header + "#" + std::to_string(occurrence);
      if (auto chosen = choices.columns.find(g.key()); chosen != choices.columns.end()) {
        g.chosen = true;
        if (chosen->second != "ignore") g.field = parseListFieldKey(chosen->second);
        // A repeated header left out by choice is what the guess makes of it: the spare of
        // the column before it with that header (its cell used where that one is empty).
        const auto holder =
            std::find_if(layout.columns.begin(), layout.columns.end(),
                         [&](const ColumnGuess& x) { return x.header == g.header && x.field; });
        if (!g.field && occurrence > 1 && holder != layout.columns.end() &&
            *holder->field != ListField::Bases) {
          addSpare(c, *holder->field, g.header);
        }
      } else if (!b.empty()) {
        const auto top_field = fieldForHeader(t);
        const auto part = namePart(b);
        if (part && (top_field == ListField::Name || t.empty())) {
          g.field = part;
        } else if (auto f = fieldForHeader(t + b)) {
          g.field = f;
        } else if (auto f2 = fieldForHeader(b)) {
          g.field = f2;
        } else {
          g.field = top_field;
        }
      } else if (g.header == "（无表头）") {
        g.field = ListField::Seq;
      } else {
        g.field = fieldForHeader(t);
      }
      if (g.field && !g.chosen && used.count(*g.field) && *g.field != ListField::Bases) {
        // Two columns for one field: the one headed with the field's own name (追责情形 after
        // 追责对象范围, which says who answers for it) is the field; else the first one is.
        const auto earlier =
            std::find_if(layout.columns.begin(), layout.columns.end(),
                         [&](const ColumnGuess& x) { return x.field == g.field && !x.chosen; });
        if (earlier != layout.columns.end() && g.header == listFieldName(*g.field) &&
            earlier->header != g.header) {
          layout.notes.push_back("“" + earlier->header + "”列与后面的“" + g.header + "”列同为“" +
                                 g.header + "”，按“" + g.header + "”列导入，“" + earlier->header +
                                 "”列未导入。");
          earlier->field.reset();
        } else {
          const auto holder =
              std::find_if(layout.columns.begin(), layout.columns.end(),
                           [&](const ColumnGuess& x) { return x.field == g.field; });
          if (holder != layout.columns.end() && holder->header == g.header) {
            addSpare(c, *g.field, g.header);
          } else {
            layout.notes.push_back("“" + g.header + "”列与前面的列同为“" +
                                   std::string(listFieldName(*g.field)) + "”，未导入。");
          }
          g.field.reset();
        }
      }
      if (g.field) used.insert(*g.field);
      layout.columns.push_back(std::move(g));
    }
    // 子项 beside 事项名称 in the portal's own template is the list of sub-items; beside a
    // 项目名称/职权名称 of a published list it is the row's own 子项 name.
    for (auto& g : layout.columns) {
      if (g.field == ListField::SubItems && !g.chosen && used.count(ListField::Name)) {
        const auto name_col = layout.columnOf(ListField::Name);
        const bool own_template = name_col && tops[*name_col] == "事项名称";
        if (!own_template && !used.count(ListField::SubName)) {
          g.field = ListField::SubName;
          used.insert(ListField::SubName);
        }
      }
    }
    if (!used.count(ListField::Name) && used.count(ListField::MainItem) + used.count(ListField::SubName) == 0) {
      return std::nullopt;
    }
    own_notes_from = layout.notes.size();
    // Title, 填报单位 and count lines above the header: a type named there is the list's type.
    for (std::size_t r = 0; r < *best; ++r) {
      const auto values = distinctValues(sheet.rows[r]);
      if (values.size() != 1) continue;
      if (auto t = typeNamedIn(*values.begin())) {
        layout.title_type = t;
        layout.notes.push_back("表头上方的“" + *values.begin() + "”表明事项类型为“" +
                               itemTypeName(*t) + "”，没有类型的行按此类型导入。");
        break;
      }
    }
    if (!layout.title_type) {
      // A part heading (一、部门职责) names the kind of the rows below when nothing else does.
      for (std::size_t r = *best; r-- > 0;) {
        const auto values = distinctValues(sheet.rows[r]);
        if (values.size() != 1) continue;
        if (auto kind = partHeading(*values.begin())) {
          layout.title_kind = *kind;
          break;
        }
      }
    }
    if (*best > 0) {
      layout.notes.push_back("表头在第 " + std::to_string(top.number) + " 行" +
                             (layout.header_rows == 2 ? "（两行表头）" : "") + "，上方 " +
                             std::to_string(*best) + " 行标题或说明未作为事项导入。");
    } else if (layout.header_rows == 2) {
      layout.notes.push_back("第 " + std::to_string(top.number) + "、" +
                             std::to_string(top.number + 1) + " 行为两行表头。");
    }
    return layout;
  }
}

// The columns of a sheet's layout that have header text of their own: not those whose header
// is only a merged neighbour's (实施层级及权限 merged over two columns in some sheets of a
// workbook, the second column's header left empty without the merge in the others).
static std::vector<std::pair<std::size_t, std::string>> ownHeaders(const Sheet& sheet, const ListLayout& l) {
  std::vector<std::pair<std::size_t, std::string>> out;
  for (const auto& c : l.columns) {
    bool own = false;
    for (std::size_t r = l.header_row; r < l.header_row + l.header_rows && r < sheet.rows.size(); ++r) {
      own = own || !normaliseHeaderText(cellAt(sheet.rows[r], c.column)).empty();
    }
    if (own || c.column == 0) out.emplace_back(c.column, c.header);
  }
  return out;
}

// A list split over sheets by type: from the first sheet with a header on, every visible sheet
// with cells has a header of the same columns, and its name (else its title) names a type, each
// sheet another (行政许可（11项）, 行政强制（21项）, …). Two editions of one list in two sheets
// (2025年版, 2026年版) name no type and stay one sheet to pick. Every sheet is read with the
// first one's columns.
static bool splitByType(const Workbook& book, const std::vector<std::size_t>& order,
                        const LayoutChoices& choices, ListLayout& layout,
                        std::size_t own_notes_from) {
  std::vector<ListLayout::SheetPart> parts;
  std::set<std::string> types;
  std::string described;
  for (std::size_t s : order) {
    if (s < layout.sheet) continue;
    const Sheet& sheet = book.sheets[s];
    if (sheet.rows.empty()) continue;
    std::size_t ignored = 0;
    const auto l = s == layout.sheet ? std::optional<ListLayout>(layout)
                                     : sheetLayout(book, s, choices, ignored);
    if (!l || ownHeaders(sheet, *l) != ownHeaders(book.sheets[layout.sheet], layout)) return false;
    auto type = typeNamedIn(sheet.name);
    if (!type) type = l->title_type;
    if (!type || !types.insert(*type).second) return false;
    parts.push_back({s, l->header_row, l->header_rows, type});
    described += (described.empty() ? "" : "、") +
                 ("“" + sheet.name + "”（" + itemTypeName(*type)) +
                 (l->header_row > 0
                      ? "，表头在第 " + std::to_string(sheet.rows[l->header_row].number) + " 行）"
                      : "）");
  }
  if (parts.size() < 2) return false;
  layout.parts = std::move(parts);
  layout.title_type.reset();
  layout.title_kind.clear();
  layout.notes.resize(own_notes_from);
  layout.notes.push_back(
      "工作簿按事项类型分为 " + std::to_string(layout.parts.size()) +
      " 个工作表，表头相同，全部导入为一份清单：" + described +
      "。各表中没有写类型的行按所在工作表的类型导入；表头以上的标题未作为事项导入。");
  return true;
}

std::optional<ListLayout> detectLayout(const Workbook& book, const LayoutChoices& choices,
                                       std::string& why) {
  std::vector<std::size_t> order;
  for (std::size_t s = 0; s < book.sheets.size(); ++s) {
    if (!choices.sheet.empty() && book.sheets[s].name != choices.sheet) continue;
    if (choices.sheet.empty() && book.sheets[s].hidden) continue;
    order.push_back(s);
  }
  if (order.empty()) {
    why = choices.sheet.empty() ? "工作簿中没有可见的工作表。"
                                : "工作簿中没有名为“" + choices.sheet + "”的工作表。";
    return std::nullopt;
  }
  bool any_cells = false;
  for (std::size_t s : order) {
    const Sheet& sheet = book.sheets[s];
    if (sheet.rows.empty()) continue;
    any_cells = true;
    std::size_t own_notes_from = 0;
    auto layout = sheetLayout(book, s, choices, own_notes_from);
    if (!layout) continue;
    if (choices.sheet.empty() && book.sheets.size() > 1 &&
        splitByType(book, order, choices, *layout, own_notes_from)) {
      return layout;
    }
    if (order.size() > 1 || book.sheets.size() > 1) {
      layout->notes.push_back("导入的是工作表“" + sheet.name + "”（工作簿共有 " +
                              std::to_string(book.sheets.size()) + " 个工作表）。");
    }
    return layout;
  }
  // No header row anywhere: a table whose columns say by their content what they hold.
  for (std::size_t s : order) {
    if (auto layout = headerlessLayout(book.sheets[s], s, choices)) return layout;
  }
  // No table at all: numbered lines under section lines.
  for (std::size_t s : order) {
    if (auto layout = numberedLinesLayout(book.sheets[s], s, choices)) return layout;
  }
  why = any_cells
            ? "找不到表头：前 30 行中没有一行包含“事项名称”（或权力名称、职权名称、项目名称等）列。"
              "请确认上传的是权力清单或责任清单。"
            : "工作表是空的，没有任何内容。";
  return std::nullopt;
}

// A row whose name cell is a count (isCountText) and that has no legal basis of its own. A
// bare number ("0", "16") counts too when another cell of the row is a type (一、行政许可 | 0:
// a section row of a table whose name column is headed 项目名称及数量).
static bool isCountRow(const SheetRow& row, const ListLayout& layout) {
  bool counted = false;
  const auto namesType = [&](std::size_t except) {
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      if (c != except && typeCodeFor(base::trim(row.cells[c]))) return true;
    }
    return false;
  };
  for (ListField f : {ListField::Name, ListField::MainItem, ListField::SubName}) {
    const auto c = layout.columnOf(f);
    if (!c) continue;
    const std::string v = base::trim(cellAt(row, *c));
    if (v.empty()) continue;
    if (!isCountText(v) && !(isCountNumber(v) && namesType(*c))) return false;
    counted = true;
  }
  if (!counted) return false;
  const auto basis = layout.columnOf(ListField::Bases);
  return !basis || base::trim(cellAt(row, *basis)).empty();
}

// Lists number a 主项's 子项 under it (5 卫生许可, then 5-1 食品卫生许可, 5-2 …): the row
// numbered 5 only heads them when it has no legal basis of its own. It is not an item.
// `has_own_basis[i]`: row i's basis cell was not empty before covered cells took the value above.
void dropHeadingsOfNumberedSubItems(std::vector<ListRow>& rows,
                                    const std::vector<bool>& has_own_basis,
                                    std::vector<std::string>& notes) {
  const auto number = [](const ListRow& r) {
    std::string n = base::trim(r.cells[static_cast<std::size_t>(ListField::Seq)]);
    return n.empty() ? base::trim(r.cells[static_cast<std::size_t>(ListField::Code)]) : n;
  };
  std::vector<ListRow> kept;
  kept.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string n = number(rows[i]);
    bool heads = false;
    if (!n.empty() && n.size() <= 8 && i + 1 < rows.size() && !has_own_basis[i]) {
      const std::string next = number(rows[i + 1]);
      for (const char* sep : {"-", ".", "－", "—", "．"}) {
        if (next.rfind(n + sep, 0) == 0 && next.size() > n.size() + std::strlen(sep)) heads = true;
      }
    }
    if (heads) {
      notes.push_back((rows[i].sheet.empty() ? "" : "工作表“" + rows[i].sheet + "”") + "第 " +
                      std::to_string(rows[i].row) + " 行“" +
                      base::trim(rows[i].cells[static_cast<std::size_t>(ListField::Name)]) +
                      "”没有设定依据，下面是它编号为 " + number(rows[i + 1]) +
                      " 等的子项：作为子项的标题，未单独导入。");
      continue;
    }
    kept.push_back(std::move(rows[i]));
  }
  rows = std::move(kept);
}

std::vector<ListRow> listRows(const Workbook& book, const ListLayout& layout,
                              std::vector<std::string>& notes) {
  std::vector<ListLayout::SheetPart> parts = layout.parts;
  if (parts.empty()) {
    parts.push_back({layout.sheet, layout.header_row, layout.header_rows, layout.title_type});
  }
  const bool several = parts.size() > 1;
  const bool merges_known = book.merges_known;
  std::array<int, kListFieldCount> merged_filled{};
  std::vector<ListRow> out;
  std::array<int, kListFieldCount> from_above{};
  int hidden = 0;
  int numbered_in_type = 0;  // type cells holding the row's number within its type
  int skipped_lines = 0;
  int repeated_headers = 0;
  std::vector<std::string> continuation_rows;
  std::vector<std::string> continued_rows;  // rows whose text went to the item above
  std::set<std::string> continued_fields;
  std::vector<bool> has_own_basis;
  // Per row of `out`: the fields whose empty cell took the row above's value.
  std::vector<std::array<bool, kListFieldCount>> took_from_above;
  std::vector<std::string> continued_headers;
  std::vector<std::string> spare_rows;  // rows that took a repeated column's text
  std::set<std::string> spare_headers;
  const auto nameCols = {ListField::Name, ListField::MainItem, ListField::SubName};
  for (const auto& part : parts) {
    const Sheet& sheet = book.sheets[part.sheet];
    const std::string where = several ? "工作表“" + sheet.name + "”" : "";
    const std::size_t part_start = out.size();
    if (!sheet.hidden_columns.empty()) {
      std::string letters;
      std::string numbers;
      for (std::size_t c : sheet.hidden_columns) {
        letters += (letters.empty() ? "" : "、") + columnLetters(c);
        numbers += (numbers.empty() ? "" : "、") + std::to_string(c + 1);
      }
      notes.push_back((several ? where + "的 " : "") + letters + " 列（第 " + numbers +
                      " 列）在 Excel 中是隐藏的，其内容未导入。");
    }
    // Merged areas: covered cells take the top-left value (body rows only).
    std::vector<std::vector<std::string>> grid;
    grid.reserve(sheet.rows.size());
    for (const auto& r : sheet.rows) grid.push_back(r.cells);
    const std::size_t first = part.header_row + part.header_rows;
    std::vector<std::optional<ListField>> field_of(sheet.columns() + 1);
    for (const auto& g : layout.columns) {
      if (g.column < field_of.size()) field_of[g.column] = g.field;
    }
    for (const auto& m : sheet.merges) {
      if (m.last_row < first) continue;
      const std::string v = cellAt(sheet.rows[m.first_row], m.first_col);
      for (std::size_t r = std::max(m.first_row, first); r <= m.last_row && r < grid.size(); ++r) {
        for (std::size_t c = m.first_col; c <= m.last_col; ++c) {
          if (grid[r].size() <= c) grid[r].resize(c + 1);
          if (grid[r][c].empty() && !(r == m.first_row && c == m.first_col)) {
            grid[r][c] = v;
            if (c < field_of.size() && field_of[c] && r != m.first_row) {
              ++merged_filled[static_cast<std::size_t>(*field_of[c])];
            }
          }
        }
      }
    }

    std::optional<std::string> section_type = part.type;
    std::string section;
    // A line naming a new type since the last item: the next item does not take its empty type
    // cell from the item above (which belongs to the section before, or to the sheet before).
    bool new_section_type = several;
    // An item row of this sheet, under the section read so far.
    const auto itemRow = [&](const SheetRow& src) {
      ListRow lr;
      lr.row = src.number;
      lr.line = src.line;
      lr.section_type = section_type;
      lr.section = section;
      lr.sheet = several ? sheet.name : "";
      return lr;
    };
    for (std::size_t r = first; r < sheet.rows.size(); ++r) {
      const SheetRow& src = sheet.rows[r];
      SheetRow row = src;
      row.cells = grid[r];
      if (nonEmpty(row) == 0) continue;
      if (src.hidden) {
        ++hidden;
        continue;
      }
      const auto values = distinctValues(row);
      // A list without a table: a numbered line is an item, its number the 序号.
      if (layout.numbered_lines && values.size() == 1) {
        if (auto numbered = numberedLine(*values.begin())) {
          ListRow lr = itemRow(src);
          lr.cells[static_cast<std::size_t>(ListField::Seq)] = numbered->first;
          lr.cells[static_cast<std::size_t>(ListField::Name)] = numbered->second;
          has_own_basis.push_back(false);
          took_from_above.push_back({});
          out.push_back(std::move(lr));
          new_section_type = false;
          continue;
        }
      }
      // A row without a name, 序号, type or code of its own, with text only in columns that
      // describe an item (追责情形, 责任事项, 设定依据, 实施主体, 行使层级, 监督电话, 备注): the
      // item above continues on it (a cell carried over a page break, or cells left unmerged beside
      // a name merged over both rows, as .xls gives them). Its text is added to the item's cells
      // (text the cell already has is not repeated). Not when its text is in the first column,
      // where section lines and notes stand.
      if (out.size() > part_start) {
        bool continues = false;
        bool other = false;
        for (std::size_t c = 0; c < src.cells.size() && !other; ++c) {
          if (base::trim(src.cells[c]).empty()) continue;
          if (c == 0) {
            other = true;
            break;
          }
          if (c >= field_of.size() || !field_of[c].has_value()) continue;  // not imported
          switch (*field_of[c]) {
            case ListField::Accountability:
            case ListField::Responsibilities:
            case ListField::Bases:
            case ListField::Body:
            case ListField::Level:
            case ListField::Phone:
            case ListField::Remarks:
              continues = true;
              break;
            default:
              other = true;
          }
        }
        if (continues && !other) {
          ListRow& above = out.back();
          for (const auto& g : layout.columns) {
            if (!g.field || g.column >= src.cells.size()) continue;
            const std::string v = base::trim(src.cells[g.column]);
            if (v.empty()) continue;
            const auto f = static_cast<std::size_t>(*g.field);
            std::string& cell = above.cells[f];
            continued_fields.insert(g.header);
            if (took_from_above.back()[f]) {
              // The item's own cell was empty and took the value above it: its own is this one.
              took_from_above.back()[f] = false;
              --from_above[f];
              cell = v;
              continue;
            }
            if (cell.find(v) != std::string::npos) continue;  // the same text again
            cell += (base::trim(cell).empty() ? "" : "\n") + v;
          }
          continued_rows.push_back(several ? where + "第 " + std::to_string(src.number) + " 行"
                                           : std::to_string(src.number));
          continue;
        }
      }
      // A repeated header (tables split per type repeat theirs).
      if (const HeaderScore sc = scoreRow(row, kMaxHeaderCellBytes);
          sc.fields >= 2 && sc.has_name) {
        std::size_t mapped = 0;
        for (const auto& g : layout.columns) {
          if (g.field && fieldForHeader(cellAt(row, g.column)) == g.field) ++mapped;
        }
        if (mapped >= 2 && sc.fields >= 2) {
          ++repeated_headers;
          continue;
        }
      }
      if (values.size() == 1 && nonEmpty(src) <= 1) {
        // A section line (行政许可（五项）), a department line or a note under the table. (Its
        // own cells: a note merged across the row is in every column only by the merge.)
        const std::string& v = *values.begin();
        bool is_name_only = false;
        for (ListField f : nameCols) {
          if (auto c = layout.columnOf(f); c && base::trim(cellAt(src, *c)) == v && *c != 0) {
            is_name_only = true;
          }
        }
        if (!is_name_only) {
          if (auto t = typeNamedIn(v)) {
            section_type = t;
            section = v;
            new_section_type = true;
          }
          ++skipped_lines;
          notes.push_back(where + "第 " + std::to_string(src.number) + " 行“" + v +
                          "”是分类或说明行，不是事项，未导入。");
          continue;
        }
      }
      // A count row inside the table ("总计78项", "行政许可 | 共0项", "……"): its name cell counts
      // the rows of a section instead of naming an item; a type written in it starts the section.
      if (isCountRow(row, layout)) {
        std::string text;
        std::optional<std::string> named;
        for (const auto& c : row.cells) {
          const std::string v = base::trim(c);
          if (v.empty()) continue;
          text += (text.empty() ? "" : " ") + v;
          if (!named) {
            if (auto t = typeCodeFor(v)) named = t;
          }
        }
        if (named) {
          section_type = named;
          section = text;
          new_section_type = true;
        }
        // "一、行政许可 | 0", "行政许可 | 共0项": the type has no rows, nothing below takes it.
        std::string digits;
        for (const auto f : {ListField::Name, ListField::MainItem, ListField::SubName}) {
          if (const auto c = layout.columnOf(f)) {
            for (char ch : cellAt(row, *c)) {
              if (ch >= '0' && ch <= '9') digits += ch;
            }
          }
        }
        const bool none = !digits.empty() && digits.find_first_not_of('0') == std::string::npos;
        notes.push_back(where + "第 " + std::to_string(src.number) + " 行“" + text + "”是计数行" +
                        (none ? "（这一类 0 项）" : "") + "，不是事项，未导入" +
                        (named && !none
                             ? "；下面的事项没有写类型的，按“" + itemTypeName(*named) + "”导入。"
                             : "。"));
        continue;
      }
      // A row whose own cells are all in columns the portal does not import (the 较重/严重
      // steps of a 裁量基准 under an item merged down over them) continues the item above.
      if (out.size() > part_start) {
        bool own_mapped = false;
        std::vector<std::string> unmapped_headers;
        for (std::size_t c = 0; c < src.cells.size(); ++c) {
          if (base::trim(src.cells[c]).empty()) continue;
          const auto g = std::find_if(layout.columns.begin(), layout.columns.end(),
                                      [c](const ColumnGuess& x) { return x.column == c; });
          if (g == layout.columns.end() || g->field) {
            own_mapped = true;
            break;
          }
          unmapped_headers.push_back(g->header);
        }
        if (!own_mapped) {
          continuation_rows.push_back(several ? where + "第 " + std::to_string(src.number) + " 行"
                                              : std::to_string(src.number));
          for (auto& h : unmapped_headers) {
            if (std::find(continued_headers.begin(), continued_headers.end(), h) ==
                continued_headers.end()) {
              continued_headers.push_back(std::move(h));
            }
          }
          continue;
        }
      }
      ListRow lr = itemRow(src);
      for (const auto& g : layout.columns) {
        if (!g.field) continue;
        std::string& cell = lr.cells[static_cast<std::size_t>(*g.field)];
        const std::string& v = cellAt(row, g.column);
        // Bases split by rank (法律 | 行政法规 | 地方性法规 ...) under one merged header.
        if (!cell.empty() && !base::trim(v).empty()) {
          cell += "\n" + v;
        } else if (cell.empty()) {
          cell = v;
        }
      }
      for (const auto& spare : layout.spare_columns) {
        std::string& cell = lr.cells[static_cast<std::size_t>(spare.field)];
        const std::string& v = cellAt(row, spare.column);
        if (base::trim(cell).empty() && !base::trim(v).empty()) {
          cell = v;
          spare_rows.push_back(several ? where + "第 " + std::to_string(src.number) + " 行"
                                       : std::to_string(src.number));
          spare_headers.insert(std::string(listFieldName(spare.field)));
        }
      }
      // "类别及序号": the type column holds the row's number within its type (1, 2, … under
      // 二、行政处罚); the type is the section row's.
      if (auto& type = lr.cells[static_cast<std::size_t>(ListField::Type)];
          isRowNumber(base::trim(type))) {
        type.clear();
        ++numbered_in_type;
      }
      has_own_basis.push_back(
          !base::trim(lr.cells[static_cast<std::size_t>(ListField::Bases)]).empty());
      // Without merge information, covered cells are empty: take the value from above where
      // lists merge cells down (实施主体, 设定依据, 事项类型, 主项, 行使层级, 监督电话). Not the
      // 设定依据 of a CSV file: CSV has no merged cells, and an empty basis there is an item
      // published without one; taking the row above's would invent its legal basis (audit H5).
      // An .xls whose records could not be read (Excel 95) may have merged it, and the grouping columns
      // (the body, type, 主项, level and phone shared by a block of rows) are left empty under
      // their first row by lists saved from merged cells, CSV or not; the preview says so.
      std::array<bool, kListFieldCount> took{};
      if (!merges_known && out.size() > part_start) {
        for (ListField f : {ListField::Body, ListField::Bases, ListField::Type, ListField::MainItem,
                            ListField::Level, ListField::Phone}) {
          if (f == ListField::Type && new_section_type) continue;
          if (f == ListField::Bases && book.format == FileFormat::Csv) continue;
          auto& cell = lr.cells[static_cast<std::size_t>(f)];
          const auto& above = out.back().cells[static_cast<std::size_t>(f)];
          if (base::trim(cell).empty() && !base::trim(above).empty() && layout.columnOf(f)) {
            cell = above;
            ++from_above[static_cast<std::size_t>(f)];
            took[static_cast<std::size_t>(f)] = true;
          }
        }
      }
      took_from_above.push_back(took);
      out.push_back(std::move(lr));
      new_section_type = false;
    }
  }
  dropHeadingsOfNumberedSubItems(out, has_own_basis, notes);
  for (std::size_t f = 0; f < kListFieldCount; ++f) {
    const std::string name(listFieldName(static_cast<ListField>(f)));
    if (merged_filled[f] > 0) {
      notes.push_back("“" + name + "”列有合并单元格，覆盖的 " + std::to_string(merged_filled[f]) +
                      " 行都按合并单元格的内容导入。");
    }
    if (from_above[f] > 0) {
      notes.push_back("“" + name + "”列有 " + std::to_string(from_above[f]) +
                      " 个空单元格，按合并单元格的惯例沿用了上一行的内容。");
    }
  }
  // "第 3、5 行", "追责情形、备注": the rows or columns a note names.
  const auto listed = [](const auto& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : "、") + n;
    return out;
  };
  if (!continued_rows.empty()) {
    const std::string rows = listed(continued_rows);
    const std::string fields = listed(continued_fields);
    notes.push_back((several ? rows : "第 " + rows + " 行") + "没有事项名称、序号和类型，只在“" +
                    fields +
                    "”列有内容：是上一行事项的续行（事项名称等与上一行合并），其内容接在上一事项的"
                    "这些列之后（相同的内容不重复），未单独导入。");
  }
  if (!continuation_rows.empty()) {
    const std::string rows = listed(continuation_rows);
    const std::string headers = listed(continued_headers);
    notes.push_back((several ? rows : "第 " + rows + " 行") + "只在不导入的列（" + headers +
                    "）有内容，事项名称等列为空或与上一行合并，按上一事项的续行处理，未单独导入。");
  }
  if (!spare_rows.empty()) {
    const std::string rows = listed(spare_rows);
    const std::string headers = listed(spare_headers);
    notes.push_back((several ? rows : "第 " + rows + " 行") + "的前一个“" + headers +
                    "”列为空，取了后面同名列的内容。");
  }
  if (numbered_in_type > 0) {
    std::string header = "事项类型";
    for (const auto& g : layout.columns) {
      if (g.field == ListField::Type) header = g.header;
    }
    notes.push_back(
        "“" + header + "”列有 " + std::to_string(numbered_in_type) +
        " 行写的是类别内的序号（如“1”），不是事项类型：这些行按其上方分类行写明的类型导入。");
  }
  if (hidden > 0) notes.push_back(std::to_string(hidden) + " 个隐藏行未导入。");
  if (repeated_headers > 0) {
    notes.push_back(std::to_string(repeated_headers) + " 个重复的表头行已跳过。");
  }
  (void)skipped_lines;
  return out;
}

std::string choicesToJson(const LayoutChoices& choices) {
  return nlohmann::json{{"sheet", choices.sheet},
                        {"columns", choices.columns},
                        {"types", choices.types}}
      .dump();
}

LayoutChoices choicesFromJson(const std::string& text) {
  LayoutChoices c;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return c;
  if (j.contains("sheet") && j["sheet"].is_string()) c.sheet = j["sheet"].get<std::string>();
  for (const char* key : {"columns", "types"}) {
    if (!j.contains(key) || !j[key].is_object()) continue;
    auto& target = std::string(key) == "columns" ? c.columns : c.types;
    for (const auto& [k, v] : j[key].items()) {
      if (v.is_string()) target[k] = v.get<std::string>();
    }
  }
  return c;
}

}  // namespace portal::publishing
