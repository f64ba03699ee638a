#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portal/publishing/workbook.h"

namespace portal::publishing {

// Where a published list keeps what: the header among title, 填报单位 and count lines, one or
// two header rows (主项/子项 under a merged 事项名称), columns by any of the names lists use,
// merged cells, section lines (行政许可（五项）) and notes. Pure functions; safe from any thread.

// What a column can hold. The first thirteen are the portal's own columns, in export order.
enum class ListField {
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
  MainItem,  // 主项 / 项目 under a two-row 事项名称: the item's name when there is no 子项
  SubName,   // 子项 / 子项名称 as a row's own name (the row is the 子项)
  Seq,       // 序号: not stored; used as the code when it holds codes (360829NYJ-XK-001)
};
inline constexpr std::size_t kListFieldCount = 16;
inline constexpr std::size_t kExportFieldCount = 13;

std::string_view listFieldName(ListField f);            // 事项编码, 事项名称, ... 主项, 子项名称, 序号
std::string_view listFieldKey(ListField f);             // code, name, ... main_item, sub_name, seq
std::optional<ListField> parseListFieldKey(std::string_view key);

// Header text as compared: without any white space (`依   据`, `权力\n类型`), a leading "*",
// full-width brackets as ASCII.
std::string normaliseHeaderText(std::string_view cell);

// The field a header names, by the names lists use (事项名称/权力名称/职权名称/项目名称...,
// 事项类型/权力类别/职权类别/权种类别..., 设定依据/实施依据/法律依据/职权依据/依据...).
std::optional<ListField> fieldForHeader(std::string_view header);

// A type as lists spell it (许可, 行政审批, 其他权力, 其他类, 行政强制措施...) -> the type code;
// nullopt for a type the portal does not know.
std::optional<std::string> typeCodeFor(std::string_view written);

// The type an item's own name states, for a row whose list states none (no type column, title
// or section line): "对单用途预付卡行政处罚" names 行政处罚; a name ending in 处罚, 检查 or 许可 is
// of that type. nullopt when the name says nothing certain.
std::optional<std::string> typeFromItemName(std::string_view name);

// A line that numbers an item ("1.建设工程抗震设防要求审批", "12、破坏…", "(3)…", "１．…"):
// the number and the text after it; nullopt for other lines (一、行政许可, 2020年…, 1.5万元 is
// still "1" and "5万元": callers use it only where lines are items).
std::optional<std::pair<std::string, std::string>> numberedLine(std::string_view line);

// The person's choices, remembered per department: a header (normalised) -> a field key or
// "ignore"; a written type -> a type code.
struct LayoutChoices {
  std::string sheet;                          // empty: the first sheet with a list
  std::map<std::string, std::string> columns;  // normalised header -> field key | "ignore"
  std::map<std::string, std::string> types;    // written type (normalised) -> type code
};

// The choices as JSON {"sheet": "...", "columns": {header: key}, "types": {written: code}}
// (stored by ImportMappingStore, carried by the import form). Unreadable text gives empty
// choices (a guess, never a failure).
std::string choicesToJson(const LayoutChoices& choices);
LayoutChoices choicesFromJson(const std::string& text);

struct ColumnGuess {
  std::size_t column = 0;
  std::string header;  // as read (two-row headers joined with "/"), normalised
  std::optional<ListField> field;
  bool chosen = false;  // from LayoutChoices rather than guessed
  // Its key in LayoutChoices::columns: the header, and for the n-th column with a header seen
  // before (实施层级及权限 over two columns) "header#n", so that each keeps its own choice.
  std::string choice_key;
  const std::string& key() const { return choice_key.empty() ? header : choice_key; }
};

struct ListLayout {
  std::size_t sheet = 0;       // index into Workbook::sheets
  std::size_t header_row = 0;  // position in Sheet::rows
  std::size_t header_rows = 1;
  std::vector<ColumnGuess> columns;      // every column with header text, in order
  std::optional<std::string> title_type;  // type code named by the title or a line above
  std::string title_kind;  // else the kind a part heading names (一、部门职责 -> 部门职责), as
                           // a written type the person maps
  std::vector<std::string> notes;         // what was interpreted, in Chinese
  // Not a table: one item per line, its number glued to it ("1.建设工程…审批", "1、…"), under
  // section lines naming the type (一、行政许可(共7项)). listRows splits number and name.
  bool numbered_lines = false;
  // A workbook that splits one list over sheets by type (行政许可（11项）, 行政处罚（254项）, …),
  // every sheet under the same header: each such sheet in order, with the type its name (or its
  // title) names, for rows whose type cell is empty. Empty: the list is on `sheet` alone.
  struct SheetPart {
    std::size_t sheet = 0;
    std::size_t header_row = 0;
    std::size_t header_rows = 1;
    std::optional<std::string> type;
  };
  std::vector<SheetPart> parts;
  // A column headed exactly as the column read for its field, later in the header (商务局's
  // 责任事项依据/追责对象范围/追责情形/备注 written twice): not read, except where the first
  // column's cell is empty, whose row takes this one's text.
  struct SpareColumn {
    std::size_t column = 0;
    ListField field = ListField::Name;
  };
  std::vector<SpareColumn> spare_columns;

  std::optional<std::size_t> columnOf(ListField f) const;
};

// nullopt with `why` set (Chinese) when no sheet has a header with at least a name column.
std::optional<ListLayout> detectLayout(const Workbook& book, const LayoutChoices& choices,
                                       std::string& why);

// One item row, its cells by field, after merged cells were filled.
struct ListRow {
  int row = 0;   // Excel's row number (CSV: record number)
  int line = 0;  // CSV physical line; 0 otherwise
  std::array<std::string, kListFieldCount> cells;
  std::optional<std::string> section_type;  // type code named by the section line above it
  std::string section;                      // that section line
  std::string sheet;  // the row's sheet, when the list spans several sheets (ListLayout::parts)
};

// The item rows below the header (of every sheet in ListLayout::parts, in order). Merged
// areas (xlsx) give every covered cell the value;
// without merge information (CSV, xls) an empty 实施主体, 事项类型, 主项, 行使层级 or 监督电话
// takes the value from the row above, as lists that merge these cells mean; so does an empty
// 设定依据 of an .xls, never of a CSV (no merged cells: an empty basis is none). Section
// lines, repeated headers, hidden rows and notes are skipped. A row with nothing of its own but
// 责任事项, 追责情形, 设定依据, 实施主体 or 备注 text (an item's cell continued on the next row,
// as a page break or an unmerged cell leaves it) adds that text to the item above. Each
// interpretation is added to `notes` once, with counts.
std::vector<ListRow> listRows(const Workbook& book, const ListLayout& layout,
                              std::vector<std::string>& notes);

}  // namespace portal::publishing
