// Before-enforcement disclosures (事前公开): the public pages and JSON, and the staff forms that
// publish a new version of a section.
#include <algorithm>
#include <map>

#include "portal/accounts/permissions.h"
#include "portal/disclosure/disclosure_service.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::disclosure;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

// Blank fieldsets offered below the rows of the edit form, for adding rows.
constexpr int kBlankRows = 3;
// Row numbers accepted from a form; anything beyond is not a row of ours.
constexpr int kMaxFormRows = 200;

std::string publicUrl(const publishing::Department& d) {
  return "/departments/" + http::percentEncode(d.slug) + "/disclosures";
}

std::string historyUrl(const publishing::Department& d, Section s) {
  return publicUrl(d) + "/" + sectionCode(s) + "/history";
}

std::string editUrl(const publishing::Department& d, Section s) {
  return "/admin/departments/" + http::percentEncode(d.slug) + "/disclosures/" + sectionCode(s);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? nl : nl - start);
    if (!line.empty()) out.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string value(const Row& row, const std::string& key) {
  auto it = row.find(key);
  return it == row.end() ? "" : it->second;
}

json columnsJson(Section s) {
  json cols = json::array();
  for (const auto& f : sectionSpec(s).fields) cols.push_back({{"label", f.label}});
  return cols;
}

// One row for the public table: a lines field (procedure steps) as an ordered list, long
// text as paragraphs.
json rowJson(Section s, const Row& row) {
  json cells = json::array();
  for (const auto& f : sectionSpec(s).fields) {
    const std::string v = value(row, f.key);
    cells.push_back({{"label", f.label},
                     {"steps", f.lines ? json(lines(v)) : json::array()},
                     {"is_steps", f.lines},
                     {"paragraphs", f.lines ? json::array() : json(lines(v))}});
  }
  return json{{"cells", cells}};
}

json sectionJson(const publishing::Department& d, Section s,
                 const std::optional<SectionVersion>& v) {
  json rows = json::array();
  if (v) {
    for (const Row& r : v->rows) rows.push_back(rowJson(s, r));
  }
  return json{{"code", sectionCode(s)},
              {"name", sectionName(s)},
              {"published", v.has_value()},
              {"version", v ? v->version : 0},
              {"published_at", v ? v->published_at : ""},
              {"reason", v ? v->reason : ""},
              {"columns", columnsJson(s)},
              {"rows", rows},
              {"row_count", rows.size()},
              {"history_url", historyUrl(d, s)},
              {"edit_url", editUrl(d, s)}};
}

std::optional<SectionVersion> find(const std::vector<SectionVersion>& list, Section s) {
  for (const auto& v : list) {
    if (v.section == s) return v;
  }
  return std::nullopt;
}

publishing::Department requireDepartment(Context& ctx, const std::string& slug_or_id) {
  auto d = ctx.catalog.department(slug_or_id);
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  return *d;
}

Section requireSection(const std::string& code) {
  auto s = parseSection(code);
  if (!s) throw http::HttpError(404, "没有这一类执法公示内容。", "not_found");
  return *s;
}

// The rows of an edit form: fields named "<key>_<row number>", in row-number order. Blank
// rows stay here; the service drops them.
std::vector<Row> rowsFromForm(Section s, const Form& form) {
  std::map<int, Row> by_number;
  for (const auto& [name, v] : form) {
    const auto underscore = name.rfind('_');
    if (underscore == std::string::npos || underscore + 1 >= name.size()) continue;
    const std::string digits = name.substr(underscore + 1);
    if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const int n = std::stoi(digits);
    if (n >= kMaxFormRows) continue;
    const std::string key = name.substr(0, underscore);
    for (const auto& f : sectionSpec(s).fields) {
      if (f.key == key) by_number[n][key] = v;
    }
  }
  std::vector<Row> rows;
  for (auto& [n, row] : by_number) rows.push_back(std::move(row));
  return rows;
}

json formRowsJson(Section s, const std::vector<Row>& rows) {
  json out = json::array();
  const int total = static_cast<int>(rows.size()) + kBlankRows;
  for (int i = 0; i < total; ++i) {
    const Row empty;
    const Row& row = i < static_cast<int>(rows.size()) ? rows[i] : empty;
    json fields = json::array();
    for (const auto& f : sectionSpec(s).fields) {
      const std::string v = value(row, f.key);
      json options = json::array();
      for (const auto& c : f.choices) options.push_back({{"value", c}, {"selected", c == v}});
      fields.push_back(
          {{"name", f.key + "_" + std::to_string(i)},
           {"label", f.label + (f.lines ? "（每行一步）" : "") + (f.required ? "" : "（可不填）")},
           {"value", v},
           {"textarea", f.long_text && f.choices.empty()},
           {"rows", f.lines ? 7 : 3},
           {"select", !f.choices.empty()},
           {"blank_selected", v.empty()},
           {"options", options},
           {"maxlength", f.lines ? std::string() : std::to_string(f.max_chars)}});
    }
    out.push_back(
        {{"number", i + 1}, {"is_new", i >= static_cast<int>(rows.size())}, {"fields", fields}});
  }
  return out;
}

Response renderForm(Context& ctx, const Request& req, const accounts::Principal& p,
                    const publishing::Department& d, Section s, const std::vector<Row>& rows,
                    const std::string& expected_version, const std::string& reason,
                    const std::vector<std::string>& errors, int status) {
  json view{{"department", departmentJson(d)},
            {"section", {{"code", sectionCode(s)}, {"name", sectionName(s)}}},
            {"rows", formRowsJson(s, rows)},
            {"expected_version", expected_version},
            {"reason", reason},
            {"errors", errors},
            {"action", editUrl(d, s)},
            {"overview_url", "/admin/departments/" + http::percentEncode(d.slug) + "/disclosures"},
            {"public_url", publicUrl(d) + "#" + sectionCode(s)}};
  return renderAdmin(ctx, req, "admin_disclosure_form", "编辑" + sectionName(s), view, &p, status);
}

std::string changeKindLabel(RowChange::Kind k) {
  switch (k) {
    case RowChange::Kind::Added:
      return "新增";
    case RowChange::Kind::Removed:
      return "删除";
    case RowChange::Kind::Changed:
      return "修改";
    case RowChange::Kind::Unchanged:
      return "未变";
  }
  return "";
}

std::string changeKindCode(RowChange::Kind k) {
  switch (k) {
    case RowChange::Kind::Added:
      return "added";
    case RowChange::Kind::Removed:
      return "removed";
    case RowChange::Kind::Changed:
      return "changed";
    case RowChange::Kind::Unchanged:
      return "unchanged";
  }
  return "";
}

json diffJson(Section s, const std::vector<RowChange>& changes) {
  const auto& spec = sectionSpec(s);
  json out = json::array();
  for (const auto& c : changes) {
    if (c.kind == RowChange::Kind::Unchanged) continue;
    const Row& named = c.kind == RowChange::Kind::Removed ? c.before : c.after;
    json fields = json::array();
    for (const auto& f : spec.fields) {
      const bool changed = std::find(c.changed_fields.begin(), c.changed_fields.end(), f.key) !=
                           c.changed_fields.end();
      fields.push_back({{"label", f.label},
                        {"before", value(c.before, f.key)},
                        {"after", value(c.after, f.key)},
                        {"changed", changed || c.kind == RowChange::Kind::Added ||
                                        c.kind == RowChange::Kind::Removed}});
    }
    out.push_back({{"kind", changeKindCode(c.kind)},
                   {"kind_label", changeKindLabel(c.kind)},
                   {"name", value(named, spec.fields.front().key)},
                   {"fields", fields}});
  }
  return out;
}

accounts::Principal requireEditor(Context& ctx, const Request& req,
                                  const publishing::Department& d) {
  auto p = requireStaff(ctx, req);
  if (!accounts::canEditItemOf(p, d.id)) {
    throw http::HttpError(403, "您只能修改本部门的执法公示。", "forbidden");
  }
  return p;
}

}  // namespace

Response disclosuresIndexPage(Context& ctx, const Request& req) {
  std::map<std::int64_t, DisclosureSummary> by_department;
  for (const auto& s : DisclosureService(ctx.pool, ctx.clock.instantSource()).summaries())
    by_department[s.department_id] = s;
  json published = json::array();
  json pending = json::array();
  for (const auto& d : ctx.catalog.departmentList()) {
    json j = departmentJson(d);
    j["disclosures_url"] = publicUrl(d);
    auto it = by_department.find(d.id);
    if (it == by_department.end()) {
      pending.push_back(j);
      continue;
    }
    j["sections"] = it->second.sections;
    j["updated_at"] = it->second.updated_at;
    published.push_back(j);
  }
  json view{{"departments", published},
            {"has_departments", !published.empty()},
            {"pending", pending},
            {"has_pending", !pending.empty()},
            {"section_count", allSections().size()}};
  view.update(layoutJson(ctx.config.site, req, "执法公示·事前公开", "disclosures"));
  return Response::html(ctx.renderer.render("disclosures", view));
}

Response departmentDisclosuresPage(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const auto current = DisclosureService(ctx.pool, ctx.clock.instantSource()).current(d.id);
  json sections = json::array();
  for (Section s : allSections()) sections.push_back(sectionJson(d, s, find(current, s)));
  json view{{"department", departmentJson(d)},
            {"sections", sections},
            {"any_published", !current.empty()}};
  view.update(layoutJson(ctx.config.site, req, d.name + " 执法公示", "disclosures"));
  return Response::html(ctx.renderer.render("department_disclosures", view));
}

Response disclosureHistoryPage(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const Section s = requireSection(req.params.at("section"));
  const auto versions = DisclosureService(ctx.pool, ctx.clock.instantSource()).history(d.id, s);
  if (versions.empty()) throw http::HttpError(404, "该部分尚未公布。", "not_found");
  int shown = versions.front().version;
  if (auto v = req.queryValue("version"); v && !v->empty()) {
    const auto n = http::parseWholeNumber(*v, 6);
    if (!n) throw http::HttpError(400, "版本号应为正整数。", "bad_version");
    shown = static_cast<int>(*n);
  }
  const SectionVersion* to = nullptr;
  const SectionVersion* from = nullptr;
  for (const auto& v : versions) {
    if (v.version == shown) to = &v;
    if (v.version == shown - 1) from = &v;
  }
  if (!to) throw http::HttpError(404, "没有这个版本。", "not_found");
  json list = json::array();
  for (const auto& v : versions) {
    list.push_back({{"version", v.version},
                    {"published_at", v.published_at},
                    {"reason", v.reason},
                    {"row_count", v.rows.size()},
                    {"current", v.version == shown},
                    {"url", historyUrl(d, s) + "?version=" + std::to_string(v.version)}});
  }
  const auto changes = diffRows(s, from ? from->rows : std::vector<Row>{}, to->rows);
  int added = 0, removed = 0, changed = 0;
  json unchanged = json::array();
  for (const auto& c : changes) {
    if (c.kind == RowChange::Kind::Unchanged) {
      unchanged.push_back(value(c.after, sectionSpec(s).fields.front().key));
    }
    added += c.kind == RowChange::Kind::Added;
    removed += c.kind == RowChange::Kind::Removed;
    changed += c.kind == RowChange::Kind::Changed;
  }
  json view{{"department", departmentJson(d)},
            {"section", {{"code", sectionCode(s)}, {"name", sectionName(s)}}},
            {"public_url", publicUrl(d) + "#" + sectionCode(s)},
            {"disclosures_url", publicUrl(d)},
            {"versions", list},
            {"shown", shown},
            {"shown_reason", to->reason},
            {"shown_at", to->published_at},
            {"has_previous", from != nullptr},
            {"previous", shown - 1},
            {"added", added},
            {"removed", removed},
            {"changed", changed},
            {"diff", diffJson(s, changes)},
            {"unchanged", unchanged},
            {"has_unchanged", !unchanged.empty()}};
  view.update(
      layoutJson(ctx.config.site, req, d.name + " " + sectionName(s) + " 变更记录", "disclosures"));
  return Response::html(ctx.renderer.render("disclosure_history", view));
}

Response apiDepartmentDisclosures(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("id"));
  const auto current = DisclosureService(ctx.pool, ctx.clock.instantSource()).current(d.id);
  json sections = json::array();
  for (Section s : allSections()) {
    const auto v = find(current, s);
    json j{{"section", sectionCode(s)},
           {"name", sectionName(s)},
           {"published", v.has_value()},
           {"history_url", historyUrl(d, s)}};
    if (v) {
      j["version"] = v->version;
      j["published_at"] = v->published_at;
      j["reason"] = v->reason;
      j["rows"] = rowsToJson(s, v->rows);
    }
    json labels = json::object();
    for (const auto& f : sectionSpec(s).fields) labels[f.key] = f.label;
    j["fields"] = labels;
    sections.push_back(j);
  }
  return Response::json(
      json{{"department", departmentJson(d)}, {"url", publicUrl(d)}, {"sections", sections}}
          .dump());
}

Response adminDisclosuresPage(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const auto p = requireEditor(ctx, req, d);
  const auto current = DisclosureService(ctx.pool, ctx.clock.instantSource()).current(d.id);
  json sections = json::array();
  for (Section s : allSections()) sections.push_back(sectionJson(d, s, find(current, s)));
  json view{
      {"department", departmentJson(d)}, {"sections", sections}, {"public_url", publicUrl(d)}};
  return renderAdmin(ctx, req, "admin_disclosures", d.name + " 执法公示", view, &p);
}

Response editDisclosurePage(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const Section s = requireSection(req.params.at("section"));
  const auto p = requireEditor(ctx, req, d);
  const auto current = DisclosureService(ctx.pool, ctx.clock.instantSource()).current(d.id, s);
  return renderForm(ctx, req, p, d, s, current ? current->rows : std::vector<Row>{},
                    std::to_string(current ? current->version : 0), "", {}, 200);
}

Response saveDisclosure(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const Section s = requireSection(req.params.at("section"));
  const auto p = requireEditor(ctx, req, d);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto rows = rowsFromForm(s, form);
  const std::string reason = http::formValue(form, "change_reason");
  const std::string expected = http::formValue(form, "expected_version");
  const int expected_version = static_cast<int>(http::parseWholeNumber(expected, 6).value_or(-1));
  accounts::AuditEntry audit = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  audit.action = "disclosure.publish";
  audit.summary = "更新执法公示“" + sectionName(s) + "”";
  const auto result = DisclosureService(ctx.pool, ctx.clock.instantSource())
                          .save(d, s, rows, reason, expected_version, std::move(audit));
  if (std::holds_alternative<SectionSaved>(result)) {
    ctx.feeder.wake();
    return Response::redirect(historyUrl(d, s));
  }
  const auto& refused = std::get<SectionRefused>(result);
  // Stale: the form keeps what was typed and now names the current version, so that saving
  // again (after reading the published one) is a deliberate overwrite, not another 409.
  std::string form_version = expected;
  if (refused.status == 409) {
    if (const auto now = DisclosureService(ctx.pool, ctx.clock.instantSource()).current(d.id, s)) {
      form_version = std::to_string(now->version);
    }
  }
  return renderForm(ctx, req, p, d, s, normalizeRows(s, rows), form_version, reason,
                    refused.errors, refused.status);
}

}  // namespace portal::web
