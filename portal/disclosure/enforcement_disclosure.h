#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/utf8.h"

namespace portal::disclosure {

// The four parts of a department's before-enforcement disclosure (事前公开, 国办发〔2018〕118号).
enum class Section {
  Bodies,       // 执法主体及职权
  Procedures,   // 执法程序与流程
  Inspections,  // 随机抽查事项清单
  Remedies,     // 监督救济渠道
};

// In display order.
const std::vector<Section>& allSections();
// Stable code for URLs, the database and JSON: bodies | procedures | inspections | remedies.
std::string sectionCode(Section s);
// Chinese title: 执法主体及职权 ...
std::string sectionName(Section s);
std::optional<Section> parseSection(const std::string& code);

// One column of a section's rows.
struct FieldSpec {
  std::string key;    // JSON key and form field name, e.g. "basis"
  std::string label;  // Chinese column title, e.g. 依据
  bool required = true;
  std::size_t max_chars = 200;       // per value; for a lines field, per line
  bool lines = false;                // an ordered list, one entry per line (procedure steps)
  bool long_text = false;            // edited in a textarea
  std::vector<std::string> choices;  // when not empty, the value must be one of these
};

struct SectionSpec {
  Section section;
  std::vector<FieldSpec> fields;  // the first field names a row (used to match rows in a diff)
  std::size_t max_rows = 50;
  std::size_t max_lines = 30;  // entries of a lines field
};

const SectionSpec& sectionSpec(Section s);

// One row of a section: field key -> value. A lines field holds its entries joined by "\n".
using Row = std::map<std::string, std::string>;

// Trims every value, drops blank lines of lines fields, unknown keys and rows whose fields are
// all empty (the blank rows of the edit form).
std::vector<Row> normalizeRows(Section s, std::vector<Row> rows);

// What is wrong with normalized rows, in Chinese, one message per problem ("第 2 行：主体名称
// 不能为空。"); empty when they may be published. At least one row is required.
std::vector<std::string> validateRows(Section s, const std::vector<Row>& rows);
// The public reason for a new version: required, at most 500 characters.
std::vector<std::string> validateReason(const std::string& reason);

// The stored and API form: an array of objects, a lines field as an array of strings.
nlohmann::json rowsToJson(Section s, const std::vector<Row>& rows);
// The inverse; tolerant of missing keys (they read as empty). Throws nlohmann::json::exception
// when `j` is not an array of objects.
std::vector<Row> rowsFromJson(Section s, const nlohmann::json& j);

// All text of the rows, for the search index, leaving out the column `except` (a key) if given.
std::string rowsText(Section s, const std::vector<Row>& rows, const std::string& except = "");
// The values of one column (a key), a line each.
std::string columnText(const std::vector<Row>& rows, const std::string& key);

// How a row changed between two versions. Rows are matched by their first field (the name).
struct RowChange {
  enum class Kind { Added, Removed, Changed, Unchanged };
  Kind kind = Kind::Unchanged;
  Row before;                               // empty for Added
  Row after;                                // empty for Removed
  std::vector<std::string> changed_fields;  // keys, for Changed
};

// The rows of `after` in order (added, changed or unchanged), followed by the rows of `before`
// that are gone.
std::vector<RowChange> diffRows(Section s, const std::vector<Row>& before,
                                const std::vector<Row>& after);

// Number of Unicode code points in UTF-8 text.
inline std::size_t charCount(const std::string& utf8) { return base::utf8Length(utf8); }

}  // namespace portal::disclosure
