#include "portal/disclosure/enforcement_disclosure.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "base/utf8.h"

namespace portal::disclosure {

namespace {

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    line = base::trim(line);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::vector<SectionSpec> buildSpecs() {
  std::vector<SectionSpec> specs;
  specs.push_back(SectionSpec{Section::Bodies,
                              {
                                  {"name", "主体名称", true, 100, false, false, {}},
                                  {"nature",
                                   "主体性质",
                                   true,
                                   20,
                                   false,
                                   false,
                                   {"行政机关", "法律法规授权组织", "受委托组织"}},
                                  {"powers", "职权范围", true, 2000, false, true, {}},
                                  {"basis", "依据", true, 1000, false, true, {}},
                              },
                              20,
                              30});
  specs.push_back(SectionSpec{Section::Procedures,
                              {
                                  {"name", "程序名称", true, 100, false, false, {}},
                                  {"steps", "流程步骤", true, 300, true, true, {}},
                                  {"basis", "依据", true, 1000, false, true, {}},
                                  {"time_limit", "办理时限", false, 500, false, true, {}},
                              },
                              20,
                              30});
  specs.push_back(SectionSpec{Section::Inspections,
                              {
                                  {"item", "抽查事项", true, 200, false, false, {}},
                                  {"subject", "检查对象", true, 200, false, false, {}},
                                  {"basis", "检查依据", true, 1000, false, true, {}},
                                  {"method", "检查方式", true, 100, false, false, {}},
                                  {"content", "检查内容", true, 1000, false, true, {}},
                              },
                              100,
                              30});
  specs.push_back(SectionSpec{Section::Remedies,
                              {
                                  {"channel", "渠道", true, 50, false, false, {}},
                                  {"authority", "受理机关", true, 100, false, false, {}},
                                  {"contact", "联系方式或地址", true, 300, false, false, {}},
                                  {"note", "期限及说明", false, 500, false, true, {}},
                              },
                              30,
                              30});
  return specs;
}

}  // namespace

const std::vector<Section>& allSections() {
  static const std::vector<Section> kAll = {Section::Bodies, Section::Procedures,
                                            Section::Inspections, Section::Remedies};
  return kAll;
}

std::string sectionCode(Section s) {
  switch (s) {
    case Section::Bodies:
      return "bodies";
    case Section::Procedures:
      return "procedures";
    case Section::Inspections:
      return "inspections";
    case Section::Remedies:
      return "remedies";
  }
  return "";
}

std::string sectionName(Section s) {
  switch (s) {
    case Section::Bodies:
      return "执法主体及职权";
    case Section::Procedures:
      return "执法程序与流程";
    case Section::Inspections:
      return "随机抽查事项清单";
    case Section::Remedies:
      return "监督救济渠道";
  }
  return "";
}

std::optional<Section> parseSection(const std::string& code) {
  for (Section s : allSections()) {
    if (sectionCode(s) == code) return s;
  }
  return std::nullopt;
}

const SectionSpec& sectionSpec(Section s) {
  static const std::vector<SectionSpec> kSpecs = buildSpecs();
  return kSpecs.at(static_cast<std::size_t>(s));
}

std::vector<Row> normalizeRows(Section s, std::vector<Row> rows) {
  const SectionSpec& spec = sectionSpec(s);
  std::vector<Row> out;
  for (const Row& raw : rows) {
    Row row;
    bool any = false;
    for (const FieldSpec& f : spec.fields) {
      auto it = raw.find(f.key);
      std::string v = it == raw.end() ? "" : it->second;
      v = f.lines ? joinLines(splitLines(v)) : base::trim(v);
      if (!v.empty()) any = true;
      row[f.key] = v;
    }
    if (any) out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> validateRows(Section s, const std::vector<Row>& rows) {
  const SectionSpec& spec = sectionSpec(s);
  std::vector<std::string> errors;
  if (rows.empty()) errors.push_back("请至少填写一行" + sectionName(s) + "。");
  if (rows.size() > spec.max_rows) {
    errors.push_back(sectionName(s) + "最多 " + std::to_string(spec.max_rows) + " 行，现有 " +
                     std::to_string(rows.size()) + " 行。");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = "第 " + std::to_string(i + 1) + " 行：";
    for (const FieldSpec& f : spec.fields) {
      auto it = rows[i].find(f.key);
      const std::string v = it == rows[i].end() ? "" : it->second;
      if (v.empty()) {
        if (f.required) errors.push_back(where + f.label + "不能为空。");
        continue;
      }
      if (f.lines) {
        const auto lines = splitLines(v);
        if (lines.size() > spec.max_lines) {
          errors.push_back(where + f.label + "最多 " + std::to_string(spec.max_lines) + " 项。");
        }
        for (std::size_t k = 0; k < lines.size(); ++k) {
          if (charCount(lines[k]) > f.max_chars) {
            errors.push_back(where + f.label + "第 " + std::to_string(k + 1) + " 项不能超过 " +
                             std::to_string(f.max_chars) + " 字。");
          }
        }
        continue;
      }
      if (charCount(v) > f.max_chars) {
        errors.push_back(where + f.label + "不能超过 " + std::to_string(f.max_chars) + " 字。");
      }
      if (!f.choices.empty() &&
          std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end()) {
        std::string list;
        for (const auto& c : f.choices) list += (list.empty() ? "" : "、") + c;
        errors.push_back(where + f.label + "应为" + list + "之一。");
      }
    }
  }
  std::set<std::string> names;
  const std::string& first = spec.fields.front().key;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto it = rows[i].find(first);
    if (it == rows[i].end() || it->second.empty()) continue;
    if (!names.insert(it->second).second) {
      errors.push_back("第 " + std::to_string(i + 1) + " 行：" + spec.fields.front().label + "“" +
                       it->second + "”与前面的行重复。");
    }
  }
  return errors;
}

std::vector<std::string> validateReason(const std::string& reason) {
  const std::string r = base::trim(reason);
  if (r.empty()) return {"请填写修改理由（公开）。"};
  if (charCount(r) > 500) return {"修改理由不能超过 500 字。"};
  return {};
}

nlohmann::json rowsToJson(Section s, const std::vector<Row>& rows) {
  const SectionSpec& spec = sectionSpec(s);
  nlohmann::json out = nlohmann::json::array();
  for (const Row& row : rows) {
    nlohmann::json o = nlohmann::json::object();
    for (const FieldSpec& f : spec.fields) {
      auto it = row.find(f.key);
      const std::string v = it == row.end() ? "" : it->second;
      if (f.lines) {
        o[f.key] = splitLines(v);
      } else {
        o[f.key] = v;
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Row> rowsFromJson(Section s, const nlohmann::json& j) {
  const SectionSpec& spec = sectionSpec(s);
  if (!j.is_array()) throw nlohmann::json::type_error::create(302, "rows must be an array", &j);
  std::vector<Row> rows;
  for (const auto& o : j) {
    if (!o.is_object()) throw nlohmann::json::type_error::create(302, "row must be an object", &o);
    Row row;
    for (const FieldSpec& f : spec.fields) {
      if (!o.contains(f.key)) {
        row[f.key] = "";
      } else if (f.lines && o.at(f.key).is_array()) {
        row[f.key] = joinLines(o.at(f.key).get<std::vector<std::string>>());
      } else {
        row[f.key] = o.at(f.key).get<std::string>();
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string rowsText(Section s, const std::vector<Row>& rows, const std::string& except) {
  const SectionSpec& spec = sectionSpec(s);
  std::string out;
  for (const Row& row : rows) {
    for (const FieldSpec& f : spec.fields) {
      if (f.key == except) continue;
      auto it = row.find(f.key);
      if (it != row.end() && !it->second.empty()) out += it->second + "\n";
    }
  }
  return out;
}

std::string columnText(const std::vector<Row>& rows, const std::string& key) {
  std::string out;
  for (const Row& row : rows) {
    auto it = row.find(key);
    if (it != row.end() && !it->second.empty()) out += it->second + "\n";
  }
  return out;
}

std::vector<RowChange> diffRows(Section s, const std::vector<Row>& before,
                                const std::vector<Row>& after) {
  const SectionSpec& spec = sectionSpec(s);
  const std::string& key = spec.fields.front().key;
  auto name = [&key](const Row& r) {
    auto it = r.find(key);
    return it == r.end() ? std::string() : it->second;
  };
  std::vector<bool> matched(before.size(), false);
  std::vector<RowChange> out;
  for (const Row& a : after) {
    RowChange c;
    c.after = a;
    c.kind = RowChange::Kind::Added;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (matched[i] || name(before[i]) != name(a)) continue;
      matched[i] = true;
      c.before = before[i];
      for (const FieldSpec& f : spec.fields) {
        auto b = before[i].find(f.key);
        auto n = a.find(f.key);
        const std::string bv = b == before[i].end() ? "" : b->second;
        const std::string av = n == a.end() ? "" : n->second;
        if (bv != av) c.changed_fields.push_back(f.key);
      }
      c.kind = c.changed_fields.empty() ? RowChange::Kind::Unchanged : RowChange::Kind::Changed;
      break;
    }
    out.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (matched[i]) continue;
    RowChange c;
    c.kind = RowChange::Kind::Removed;
    c.before = before[i];
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace portal::disclosure
