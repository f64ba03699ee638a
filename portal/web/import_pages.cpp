// Spreadsheet import (preview, then apply all-or-nothing) and the public CSV export.
#include <cstdio>

#include "portal/accounts/audit_service.h"
#include "portal/accounts/permissions.h"
#include "portal/http/multipart.h"
#include "portal/http/url.h"
#include "portal/publishing/list_layout.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

Department editableDepartment(Context& ctx, const Request& req, const accounts::Principal& p) {
  const auto d = ctx.catalog.department(req.params.at("slug"));
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  if (!accounts::canEditItemOf(p, d->id)) {
    throw http::HttpError(403, "您只能导入本部门的清单。", "forbidden");
  }
  return *d;
}

json fieldOptions(const std::optional<ListField>& selected) {
  json options = json::array();
  options.push_back({{"key", "ignore"}, {"name", "不导入"}, {"selected", !selected}});
  for (std::size_t f = 0; f < kListFieldCount; ++f) {
    const auto field = static_cast<ListField>(f);
    options.push_back({{"key", std::string(listFieldKey(field))},
                       {"name", std::string(listFieldName(field))},
                       {"selected", selected == field}});
  }
  return options;
}

json typeOptions(const std::string& selected) {
  json options = json::array();
  for (const auto& t : itemTypes()) {
    options.push_back({{"key", std::string(t.code)},
                       {"name", std::string(t.name)},
                       {"selected", t.code == selected}});
  }
  return options;
}

// A page lists at most this many errors and changes, then says how many more there are: a
// file of 20,000 bad rows must not become a 13 MB page.
constexpr std::size_t kMaxListed = 200;
// The sheet picker's value for "every sheet of a list split by type" (Excel forbids * in names).
constexpr std::string_view kAllSheets = "*";

json reportJson(const ImportReport& r) {
  json changes = json::array();
  std::size_t changes_more = 0;
  for (const auto& c : r.changes) {
    if (!c.kind) continue;  // 无变化 rows are counted, not listed
    if (changes.size() >= kMaxListed) {
      ++changes_more;
      continue;
    }
    std::string fields;
    for (const auto& f : c.changed_fields) fields += (fields.empty() ? "" : "、") + f;
    changes.push_back(
        {{"row", c.row == 0 ? std::string("文件中没有")
                            : (c.sheet.empty() ? "" : "“" + c.sheet + "”") + std::to_string(c.row)},
         {"code", c.code},
         {"name", c.name},
         {"action", c.actionName()},
         {"fields", fields}});
  }
  json errors = json::array();
  for (std::size_t i = 0; i < r.errors.size() && i < kMaxListed; ++i) {
    errors.push_back(r.errors[i].describe());
  }
  const std::size_t errors_more = r.errors.size() - errors.size();
  json mapping = json::array();
  for (std::size_t i = 0; i < r.mapping.size(); ++i) {
    const auto& g = r.mapping[i];
    mapping.push_back({{"index", i},
                       {"header", g.header},
                       {"key", g.key()},
                       {"field", g.field ? std::string(listFieldName(*g.field)) : "不导入"},
                       {"chosen", g.chosen},
                       {"options", fieldOptions(g.field)}});
  }
  json types = json::array();
  for (std::size_t i = 0; i < r.unknown_types.size(); ++i) {
    const auto& u = r.unknown_types[i];
    types.push_back({{"index", i},
                     {"written", u.written},
                     {"rows", u.rows},
                     {"options", typeOptions(u.mapped_to)}});
  }
  json unmatched = json::array();
  for (std::size_t i = 0; i < r.unmatched.size() && i < kMaxListed; ++i) {
    unmatched.push_back(r.unmatched[i].describe());
  }
  // A list split over sheets by type was read from all of them: the picker offers that first
  // (value kAllSheets), then each sheet alone.
  const bool split = r.sheets_imported.size() > 1;
  json sheets = json::array();
  for (const auto& name : r.sheets) {
    sheets.push_back({{"name", name}, {"selected", !split && name == r.sheet}});
  }
  return json{{"changes", changes},
              {"unmatched", unmatched},
              {"has_unmatched", !r.unmatched.empty()},
              {"unmatched_count", r.unmatched.size()},
              {"unmatched_more", r.unmatched.size() - unmatched.size()},
              {"unmatched_truncated", r.unmatched.size() > unmatched.size()},
              {"sheets", sheets},
              {"has_sheets", r.sheets.size() > 1},
              {"changes_more", changes_more},
              {"errors", errors},
              {"error_count", r.errors.size()},
              {"errors_more", errors_more},
              {"errors_truncated", errors_more > 0},
              {"changes_truncated", changes_more > 0},
              {"ok", r.ok()},
              {"has_changes", r.changeCount() > 0},
              {"created", r.created},
              {"amended", r.amended},
              {"cancelled", r.cancelled},
              {"delegated", r.delegated},
              {"unchanged", r.unchanged},
              {"ignored_columns", r.ignored_columns},
              {"format", r.format ? std::string(fileFormatName(*r.format)) : std::string()},
              {"sheet", r.sheet},
              {"split_sheets", split},
              {"previewed_sheet", split ? std::string(kAllSheets) : r.sheet},
              {"sheet_label", r.sheets_imported.size() > 1
                                  ? "全部 " + std::to_string(r.sheets_imported.size()) +
                                        " 个工作表（按事项类型分表）"
                                  : (r.sheet.empty() ? std::string() : "工作表“" + r.sheet + "”")},
              {"mapping", mapping},
              {"has_mapping", !mapping.empty()},
              {"unknown_types", types},
              {"has_unknown_types", !types.empty()},
              {"notes", r.notes},
              {"has_notes", !r.notes.empty()},
              {"warnings", r.warnings},
              {"has_warnings", !r.warnings.empty()},
              {"encoding", r.encoding && r.format == FileFormat::Csv
                               ? "字符编码 " + std::string(csvEncodingName(*r.encoding))
                               : std::string()},
              {"item_rows", r.item_rows},
              {"rows_refused", r.rows_refused},
              {"has_refused", r.rows_refused > 0},
              {"choices_json", choicesToJson(r.choices)}};
}

// The mapping form: col_N/colh_N (header, field key), type_N/typeh_N (written type, code);
// the sheet picker: sheet (a sheet's name). Another sheet than the one previewed has other
// columns, so its columns are guessed afresh (the type choices stay: they are the
// department's words for types, whatever the sheet).
LayoutChoices choicesFromForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  LayoutChoices c = choicesFromJson(http::formValue(fields, "choices_json"));
  const std::string sheet = http::formValue(fields, "sheet");
  const bool other_sheet = !sheet.empty() && sheet != http::formValue(fields, "previewed_sheet");
  if (other_sheet) {
    c.sheet = sheet == kAllSheets ? std::string() : sheet;  // empty: every sheet of a split list
    c.columns.clear();
  }
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    if (name.rfind("colh_", 0) == 0) {
      if (other_sheet) continue;
      const std::string key = http::formValue(fields, "col_" + name.substr(5));
      if (key == "ignore" || parseListFieldKey(key)) c.columns[value] = key;
    } else if (name.rfind("typeh_", 0) == 0) {
      const std::string code = http::formValue(fields, "type_" + name.substr(6));
      if (itemTypeCode(code)) c.types[value] = code;
    }
  }
  return c;
}

// The import mode the form chose (mode=supplement), whole list otherwise.
ImportMode modeFromForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  return http::formValue(fields, "mode") == "supplement" ? ImportMode::Supplement
                                                         : ImportMode::Whole;
}

json modeJson(ImportMode mode) {
  const bool supplement = mode == ImportMode::Supplement;
  return json{{"mode", supplement ? "supplement" : "whole"}, {"supplement", supplement}};
}

Response renderImport(Context& ctx, const Request& req, const accounts::Principal& p, json view,
                      int status = 200) {
  view.update(layoutJson(ctx.config.site, req, "导入清单", "admin"));
  view["staff"] = {{"display_name", p.display_name.empty() ? p.username : p.display_name},
                   {"role_name", std::string(accounts::roleName(p.role))},
                   {"csrf_token", p.csrf_token}};
  return Response::html(ctx.renderer.render("admin_import", view), status);
}

}  // namespace

Response importPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Department d = editableDepartment(ctx, req, p);
  return renderImport(ctx, req, p, json{{"department", departmentJson(d)}, {"step_upload", true}});
}

namespace {

// The preview form: a file, or the token of the file uploaded before (import_token) with the
// person's corrections to the mapping, one choice per column and per unknown type.
struct UploadForm {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string file;
  bool has_file = false;
  std::optional<LayoutChoices> choices;
};

UploadForm readUpload(const Request& req) {
  const auto parts = http::parseMultipart(req.header("content-type").value_or(""), req.body);
  if (!parts)
    throw http::HttpError(400, "上传的表单格式不正确，请从页面上的表单上传。", "bad_form");
  UploadForm u;
  for (const auto& part : *parts) {
    if (part.name == "file") {
      u.file = part.content;
      u.has_file = !part.filename.empty() || !part.content.empty();
    } else {
      u.fields.emplace_back(part.name, part.content);
    }
  }
  return u;
}

// The file the form's token names (uploaded before by this person for this department).
std::string stagedFile(Context& ctx, const accounts::Principal& p, const Department& d,
                       const std::string& token) {
  auto file = ctx.imports.staged(d.id, p.account_id, token);
  if (!file) {
    const auto hours =
        std::chrono::duration_cast<std::chrono::hours>(ctx.imports.stagingLifetime());
    throw http::HttpError(404,
                          "找不到上传的清单文件：它已超过 " + std::to_string(hours.count()) +
                              " 小时的保留时间、已经导入，或不是您为本部门上传的。请重新上传文件。",
                          "import_not_found");
  }
  return std::move(*file);
}

// A new file is kept for the confirmation; a form without one names the kept file by token.
// Returns the token.
std::string useFile(Context& ctx, const accounts::Principal& p, const Department& d,
                    UploadForm& u) {
  if (u.has_file) {
    if (u.file.size() > ctx.imports.maxStagedBytes()) {
      char size[32];
      std::snprintf(size, sizeof size, "%.1f", static_cast<double>(u.file.size()) / (1 << 20));
      throw http::HttpError(413,
                            "上传的文件有 " + std::string(size) + " MB，清单文件不能超过 " +
                                std::to_string(ctx.imports.maxStagedBytes() >> 20) +
                                " MB。请删去文件中清单以外的工作表、图片等内容后重新上传。",
                            "file_too_large");
    }
    return ctx.imports.stage(d.id, p.account_id, u.file);
  }
  const std::string token = http::formValue(u.fields, "import_token");
  if (token.empty()) return token;
  u.file = stagedFile(ctx, p, d, token);
  u.has_file = true;
  u.choices = choicesFromForm(u.fields);
  return token;
}

json importView(const Department& d, const std::string& reason, const std::string& legal_trigger,
                ImportMode mode) {
  json view{{"department", departmentJson(d)}, {"reason", reason}, {"legal_trigger", legal_trigger}};
  view.update(modeJson(mode));
  return view;
}

// An import publishes at once; where the legal office must approve every change, only an
// administrator may apply one (editors submit item by item for review).
void requireMayApply(Context& ctx, const Department& d, const accounts::Principal& p) {
  if (ctx.drafts.requiresReview(d.id) && p.role != accounts::Role::Admin) {
    throw http::HttpError(
        403, "本部门的清单变更须经法制审核。请逐项修改并提交审核，或请系统管理员导入。",
        "review_required");
  }
}

ApplyRequest applyFromForm(const std::vector<std::pair<std::string, std::string>>& form,
                           const accounts::Principal& p, const Request& req, const Department& d) {
  ApplyRequest apply;
  if (const std::string c = http::formValue(form, "choices_json"); !c.empty()) {
    apply.choices = choicesFromJson(c);
  }
  apply.reason = http::formValue(form, "reason");
  apply.legal_trigger = http::formValue(form, "legal_trigger");
  apply.mode = modeFromForm(form);
  apply.staged_token = http::formValue(form, "import_token");
  accounts::AuditEntry audit = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  audit.action = "item.import";
  audit.department_id = d.id;
  audit.object_type = "department";
  audit.object_id = d.slug;
  apply.audit = audit;
  return apply;
}

}  // namespace

Response importPreview(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  UploadForm u = readUpload(req);
  requireCsrf(p, u.fields);
  const Department d = editableDepartment(ctx, req, p);
  const std::string token = useFile(ctx, p, d, u);
  const ImportMode mode = modeFromForm(u.fields);
  json view = importView(d, http::formValue(u.fields, "reason"),
                         http::formValue(u.fields, "legal_trigger"), mode);
  if (!u.has_file) {
    view["step_upload"] = true;
    view["upload_error"] = "请选择要导入的清单文件（Excel 工作簿 .xlsx/.xls、CSV 或 Word 文档 .docx）。";
    return renderImport(ctx, req, p, view, 422);
  }
  const ImportReport report =
      ctx.imports.preview(d.id, u.file, u.choices ? &*u.choices : nullptr, mode);
  view["step_preview"] = true;
  view["report"] = reportJson(report);
  view["import_token"] = token;
  return renderImport(ctx, req, p, view, report.ok() ? 200 : 422);
}

Response importApply(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto form = req.form();
  requireCsrf(p, form);
  const Department d = editableDepartment(ctx, req, p);
  requireMayApply(ctx, d, p);
  ApplyRequest apply = applyFromForm(form, p, req, d);
  const std::string file = stagedFile(ctx, p, d, apply.staged_token);
  json view = importView(d, apply.reason, apply.legal_trigger, apply.mode);
  view["import_token"] = apply.staged_token;
  if (apply.reason.empty()) {
    view["step_preview"] = true;
    view["report"] = reportJson(
        ctx.imports.preview(d.id, file, apply.choices ? &*apply.choices : nullptr, apply.mode));
    view["apply_error"] = "请填写本次导入的变更理由，它会记录在每一个新版本上并向社会公开。";
    return renderImport(ctx, req, p, view, 422);
  }
  const ImportReport report = ctx.imports.apply(d.id, file, apply);
  if (report.applied) ctx.feeder.wake();
  view["report"] = reportJson(report);
  view[report.applied ? "step_done" : "step_preview"] = true;
  return renderImport(ctx, req, p, view, report.applied ? 200 : 422);
}

Response exportCsv(Context& ctx, const Request& req) {
  const auto d = ctx.catalog.department(req.params.at("slug"));
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  const auto csv = ctx.imports.exportCsv(d->id);
  if (!csv) throw http::HttpError(404, "未找到该部门。", "not_found");
  Response r = Response::text(*csv, 200, "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + d->slug +
                                                    ".csv\"; filename*=UTF-8''" +
                                                    http::percentEncode(d->name + "权责清单.csv"));
  return r;
}

}  // namespace portal::web
