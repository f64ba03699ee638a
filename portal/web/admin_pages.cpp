// Staff pages behind login: sign in and out, the dashboard, editing a department's list (each
// change a new public version with its reason), the audit log.
#include "portal/accounts/audit_service.h"
#include "portal/accounts/clock.h"
#include "portal/accounts/permissions.h"
#include "portal/accounts/session_token.h"
#include "portal/http/url.h"
#include "portal/publishing/item_diff.h"
#include "portal/publishing/item_fields.h"
#include "portal/web/admin_views.h"
#include "portal/web/complaint_views.h"
#include "portal/web/guards.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;
using Form = std::vector<std::pair<std::string, std::string>>;

json staffJson(const accounts::Principal& p) {
  return json{{"display_name", p.display_name.empty() ? p.username : p.display_name},
              {"username", p.username},
              {"role_name", std::string(accounts::roleName(p.role))},
              {"csrf_token", p.csrf_token}};
}

Response renderAdmin(Context& ctx, const Request& req, const std::string& name,
                     const std::string& title, json view, const accounts::Principal* p,
                     int status) {
  view.update(layoutJson(ctx.config.site, req, title, "admin"));
  if (p) view["staff"] = staffJson(*p);
  return Response::html(ctx.renderer.render(name, view), status);
}

json formJson(const ListItem& item, const std::string& change_kind) {
  json types = json::array();
  for (const auto& t : itemTypes()) {
    types.push_back({{"code", std::string(t.code)},
                     {"name", std::string(t.name)},
                     {"selected", t.code == item.type || t.name == item.type}});
  }
  json kinds = json::array();
  for (ChangeKind k : {ChangeKind::Amend, ChangeKind::Cancel, ChangeKind::Delegate}) {
    kinds.push_back({{"code", std::string(changeKindCode(k))},
                     {"name", std::string(changeKindName(k))},
                     {"selected", changeKindCode(k) == change_kind}});
  }
  json j{{"types", types}, {"change_kinds", kinds}};
  for (const auto& f : itemFields()) {
    // The type is the select above, its option marked.
    if ((f.uses & kUseForm) && f.kind != FieldKind::Type) j[std::string(f.key)] = fieldText(f, item);
  }
  return j;
}


Response loginPage(Context& ctx, const Request& req) {
  json view{{"next", localPath(req.queryValue("next").value_or("/admin"))}};
  return loginForm(ctx, req, std::move(view), 200);
}

Response login(Context& ctx, const Request& req) {
  const Form form = req.form();
  const std::string username = http::formValue(form, "username");
  const std::string next = localPath(http::formValue(form, "next"));
  const std::string sent = http::formValue(form, "csrf_token");
  const std::string expected = req.cookie(kLoginCsrfCookie).value_or("");
  if (sent.empty() || expected.empty() || !accounts::constantTimeEquals(sent, expected)) {
    json view{{"next", next},
              {"username", username},
              {"error", "登录表单已过期或来源不明，请重新输入账号和密码后登录。"}};
    return loginForm(ctx, req, std::move(view), 403);
  }
  const auto result =
      ctx.accounts.authenticate(username, http::formValue(form, "password"), req.remote_addr,
                                req.header("user-agent").value_or(""));
  if (!result.ok()) {
    json view{{"next", next}, {"username", username}, {"error", result.message}};
    const int status = result.refusal == accounts::LoginRefusal::RateLimited ? 429 : 401;
    Response r = loginForm(ctx, req, std::move(view), status);
    if (result.retry_at) {
      const auto wait =
          std::chrono::duration_cast<std::chrono::seconds>(*result.retry_at - ctx.clock.instant());
      r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, wait.count())));
    }
    return r;
  }
  Response r = Response::redirect(next);
  r.headers.emplace_back("Set-Cookie", sessionCookie(ctx, req, result.session_token));
  return r;
}

Response logout(Context& ctx, const Request& req) {
  // Already logged out (the session ran out): nothing to end and nothing typed to keep.
  const std::string token = req.cookie(kSessionCookie).value_or("");
  if (token.empty() || !ctx.accounts.validate(token)) {
    Response r = Response::redirect("/");
    r.headers.emplace_back("Set-Cookie", sessionCookie(ctx, req, "", true));
    return r;
  }
  const auto p = requireStaff(ctx, req);
  requireCsrf(p, req.form());
  ctx.accounts.logout(req.cookie(kSessionCookie).value_or(""), req.remote_addr);
  Response r = Response::redirect("/");
  r.headers.emplace_back("Set-Cookie", sessionCookie(ctx, req, "", true));
  return r;
}

Response adminHome(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  json departments = json::array();
  for (const auto& o : ctx.catalog.departments()) {
    if (!accounts::canEditItemOf(p, o.department.id)) continue;
    json d = overviewJson(o);
    d["new_item_url"] =
        "/admin/departments/" + http::percentEncode(o.department.slug) + "/items/new";
    d["officers_url"] =
        "/admin/departments/" + http::percentEncode(o.department.slug) + "/officers";
    d["disclosures_url"] =
        "/admin/departments/" + http::percentEncode(o.department.slug) + "/disclosures";
    departments.push_back(d);
  }
  json view{{"departments", departments},
            {"can_edit", !departments.empty()},
            {"can_read_audit", accounts::canReadAudit(p)},
            {"can_manage_accounts", accounts::canManageAccounts(p)},
            {"can_manage_amendments", accounts::canManageAmendments(p)}};
  addDraftLists(ctx, p, view);
  view["complaints_due"] = complaintsDueJson(ctx.complaints, staffActor(p));
  return renderAdmin(ctx, req, "admin_home", "工作台", view, &p);
}

namespace {

// A refusal that leaves no form to show (no such item or department, not this editor's list).
[[noreturn]] void throwRefusal(const Refused& r) {
  throw http::HttpError(r.status, r.errors.empty() ? "" : r.errors.front(),
                        r.status == 403 ? "forbidden" : "not_found");
}

template <typename T>
T orThrow(std::variant<T, Refused> result) {
  if (const auto* refused = std::get_if<Refused>(&result)) throwRefusal(*refused);
  return std::get<T>(std::move(result));
}

Response renderItemForm(Context& ctx, const Request& req, const accounts::Principal& p,
                        const ItemForm& f, const std::string& change_kind, json extra,
                        int status = 200) {
  json view{{"item", formJson(f.item, change_kind)},
            {"editing", f.editing},
            {"requires_review", f.requires_review},
            {"department", departmentJson(f.department)},
            {"action", f.editing ? "/admin" + itemPath(f.department.slug, f.item.code)
                                 : "/admin/departments/" + http::percentEncode(f.department.slug) +
                                       "/items"}};
  view.update(extra);
  return renderAdmin(ctx, req, "admin_item_form", f.editing ? "修改事项" : "新增事项", view, &p,
                     status);
}

ItemSubmission submissionOf(const Form& form) {
  const std::string expected = http::formValue(form, "expected_version");
  return ItemSubmission{form, static_cast<int>(http::parseWholeNumber(expected, 6).value_or(-1)),
                        http::formValue(form, "op") == "draft"};
}

// A published version goes to the item's page (its history when it was a change), a draft to
// the draft's page; the form's problems show on the form again.
Response afterItemSave(Context& ctx, const Request& req, const accounts::Principal& p,
                       const ItemSaveResult& result, const Form& form) {
  const ItemSaved saved = orThrow(result);
  if (const auto* ok = std::get_if<Published>(&saved.outcome)) {
    ctx.feeder.wake();
    return Response::redirect(itemPath(saved.form.department.slug, ok->code) +
                              (saved.form.editing ? "/history" : ""));
  }
  if (const auto* draft = std::get_if<DraftOutcome>(&saved.outcome)) {
    if (draft->published_version) ctx.feeder.wake();
    return Response::redirect("/admin/drafts/" + std::to_string(draft->draft_id));
  }
  const auto& refused = std::get<Refused>(saved.outcome);
  if (refused.status == 403 || refused.status == 404) throwRefusal(refused);
  return renderItemForm(
      ctx, req, p, saved.form, std::string(changeKindCode(saved.form.item.change_kind)),
      json{{"expected_version", http::formValue(form, "expected_version")},
           {"errors", refused.errors}},
      refused.status);
}

}  // namespace

Response editItemPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto f = orThrow(ctx.item_edits.editForm(accounts::Actor::staff(p, req.remote_addr),
                                                  req.params.at("slug"), req.params.at("code")));
  // The legal office's flags, so the editor sees which law changed and what the item cites.
  const json flags = publicItemJson({f.item, f.department, f.basis_flags})["basis_flags"];
  return renderItemForm(ctx, req, p, f, "amend",
                        json{{"expected_version", f.item.version}, {"basis_flags", flags}});
}

Response saveItem(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  return afterItemSave(ctx, req, p,
                       ctx.item_edits.saveChange(accounts::Actor::staff(p, req.remote_addr),
                                                 req.params.at("slug"), req.params.at("code"),
                                                 submissionOf(form)),
                       form);
}

Response newItemPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto f = orThrow(ctx.item_edits.newForm(accounts::Actor::staff(p, req.remote_addr),
                                                 req.params.at("slug")));
  return renderItemForm(ctx, req, p, f, "", json::object());
}

Response createItem(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  return afterItemSave(ctx, req, p,
                       ctx.item_edits.create(accounts::Actor::staff(p, req.remote_addr),
                                             req.params.at("slug"), submissionOf(form)),
                       form);
}

namespace {

// ?action=&department=&account=&from=&until=&page=: 400 for a department, account or date that
// does not exist.
accounts::AuditFilter parseAuditFilter(Context& ctx, const Request& req) {
  accounts::AuditFilter filter;
  if (auto a = req.queryValue("action"); a && !a->empty()) filter.action = *a;
  if (auto d = req.queryValue("department"); d && !d->empty()) {
    auto dept = ctx.catalog.department(*d);
    if (!dept) throw http::HttpError(400, "未知的部门：" + *d + "。", "bad_department");
    filter.department_id = dept->id;
  }
  if (auto u = req.queryValue("account"); u && !u->empty()) {
    auto account = ctx.accounts.accountByUsername(*u);
    if (!account) throw http::HttpError(400, "未知的账号：" + *u + "。", "bad_account");
    filter.account_id = account->id;
  }
  if (auto f = req.queryValue("from"); f && !f->empty()) {
    filter.from = accounts::beijingDayStart(*f);
    if (!filter.from) throw http::HttpError(400, "开始日期应为有效的日期，写作 YYYY-MM-DD，如 2026-12-01。", "bad_date");
  }
  if (auto u = req.queryValue("until"); u && !u->empty()) {
    auto day = accounts::beijingDayStart(*u);
    if (!day) throw http::HttpError(400, "结束日期应为有效的日期，写作 YYYY-MM-DD，如 2026-12-31。", "bad_date");
    filter.until = *day + std::chrono::hours(24);
  }
  const Paging paging = parsePaging(req, 50);
  filter.page = paging.page;
  filter.page_size = paging.page_size;
  return filter;
}

json auditView(const Request& req, const base::Page<accounts::AuditRecord>& page) {
  json rows = json::array();
  for (const auto& r : page.rows) {
    rows.push_back({{"at", accounts::formatBeijing(r.at, true)},
                    {"username", r.username},
                    {"remote_addr", r.remote_addr},
                    {"action", r.action},
                    {"object", r.object_type + " " + r.object_id},
                    {"summary", r.summary},
                    {"before", r.before_json.value_or("")},
                    {"after", r.after_json.value_or("")}});
  }
  return json{{"rows", rows},
              {"total", page.total},
              {"page", page.page},
              {"page_count", page.pageCount()},
              {"filter_action", req.queryValue("action").value_or("")},
              {"filter_department", req.queryValue("department").value_or("")},
              {"filter_account", req.queryValue("account").value_or("")},
              {"filter_from", req.queryValue("from").value_or("")},
              {"filter_until", req.queryValue("until").value_or("")}};
}

}  // namespace

Response auditPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto page = ctx.audit.query(p, parseAuditFilter(ctx, req));
  if (!page)
    throw http::HttpError(403, "只有法制审核人员和系统管理员可以查看审计日志。", "forbidden");
  return renderAdmin(ctx, req, "admin_audit", "审计日志", auditView(req, *page), &p);
}

namespace {
Response renderSearchInsights(Context& ctx, const Request& req, const accounts::Principal& p,
                              json view, int status) {
  json rows = json::array();
  for (const auto& [query, times] : ctx.search.topZeroResults(100)) {
    rows.push_back({{"query", query},
                    {"times", times},
                    {"url", "/search?q=" + http::percentEncode(query)},
                    {"add_plain", query}});
  }
  json synonyms = json::array();
  for (const auto& e : ctx.search.synonyms()) {
    synonyms.push_back({{"plain", e.plain},
                        {"formal", e.formal},
                        {"updated_by", e.updated_by},
                        {"updated_at", e.updated_at}});
  }
  view["rows"] = rows;
  view["has_rows"] = !rows.empty();
  view["synonyms"] = synonyms;
  view["can_edit_synonyms"] = accounts::canManageAccounts(p);
  return renderAdmin(ctx, req, "admin_search", "搜索统计与同义词", view, &p, status);
}
}  // namespace

Response searchInsightsPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  if (!accounts::canReadAudit(p)) {
    throw http::HttpError(403, "只有法制审核人员和系统管理员可以查看搜索统计。", "forbidden");
  }
  return renderSearchInsights(ctx, req, p, json::object(), 200);
}

Response saveSynonym(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto form = req.form();
  requireCsrf(p, form);
  if (!accounts::canManageAccounts(p)) {
    throw http::HttpError(403, "只有系统管理员可以维护同义词。", "forbidden");
  }
  const std::string plain = http::formValue(form, "plain");
  const std::string formal = http::formValue(form, "formal");
  accounts::AuditEntry audit = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  audit.object_type = "synonym";
  audit.object_id = plain;
  if (http::formValue(form, "op") == "delete") {
    audit.action = "synonym.delete";
    audit.summary = "删除同义词“" + plain + "”";
    ctx.search.removeSynonym(plain, audit);
    return Response::redirect("/admin/search");
  }
  audit.action = "synonym.save";
  audit.summary = "同义词“" + plain + "”→" + formal;
  const auto errors = ctx.search.saveSynonym(plain, formal, audit);
  if (errors.empty()) return Response::redirect("/admin/search");
  return renderSearchInsights(ctx, req, p,
                              json{{"errors", errors}, {"plain", plain}, {"formal", formal}}, 422);
}

}  // namespace portal::web
