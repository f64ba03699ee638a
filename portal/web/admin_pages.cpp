// Staff pages behind login: sign in and out, the dashboard, editing a department's list (each
// change a new public version with its reason), the audit log.
#include "portal/accounts/audit_store.h"
#include "portal/accounts/clock.h"
#include "portal/accounts/permissions.h"
#include "portal/accounts/session_token.h"
#include "portal/http/url.h"
#include "portal/publishing/item_diff.h"
#include "portal/web/admin_views.h"
#include "portal/web/complaint_views.h"
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

// The edit form's fields as the item they describe (the code and department come from the URL).
ListItem itemFromForm(const Form& form, const ListItem* shown) {
  ListItem item;
  item.code = http::formValue(form, "code");
  item.name = http::formValue(form, "name");
  item.type = http::formValue(form, "type");
  item.sub_items = splitLines(http::formValue(form, "sub_items"));
  item.implementing_body = http::formValue(form, "implementing_body");
  item.level = http::formValue(form, "level");
  item.legal_bases = shown
                         ? parseLegalBases(http::formValue(form, "legal_bases"), shown->legal_bases)
                         : parseLegalBases(http::formValue(form, "legal_bases"));
  item.responsibilities = splitLines(http::formValue(form, "responsibilities"));
  item.accountability = splitLines(http::formValue(form, "accountability"));
  item.supervision_phone = http::formValue(form, "supervision_phone");
  item.remarks = http::formValue(form, "remarks");
  item.effective_date = http::formValue(form, "effective_date");
  item.change_reason = http::formValue(form, "change_reason");
  item.legal_trigger = http::formValue(form, "legal_trigger");
  return item;
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
  return json{{"code", item.code},
              {"name", item.name},
              {"types", types},
              {"change_kinds", kinds},
              {"sub_items", joinLines(item.sub_items)},
              {"implementing_body", item.implementing_body},
              {"level", item.level},
              {"legal_bases", formatLegalBases(item.legal_bases)},
              {"responsibilities", joinLines(item.responsibilities)},
              {"accountability", joinLines(item.accountability)},
              {"supervision_phone", item.supervision_phone},
              {"remarks", item.remarks},
              {"effective_date", item.effective_date},
              {"change_reason", item.change_reason},
              {"legal_trigger", item.legal_trigger}};
}

namespace {

accounts::AuditEntry auditFor(const accounts::Principal& p, const Request& req,
                              const std::string& action, const Department& d,
                              const std::string& code, const std::string& summary) {
  accounts::AuditEntry e = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  e.action = action;
  e.department_id = d.id;
  e.object_type = "item";
  e.object_id = code;
  e.summary = summary;
  return e;
}

json itemAuditJson(const ListItem& item) {
  json bases = json::array();
  for (const auto& b : item.legal_bases) bases.push_back({b.law, b.article, b.text, b.written});
  return json{{"name", item.name},
              {"type", item.type},
              {"sub_items", item.sub_items},
              {"implementing_body", item.implementing_body},
              {"level", item.level},
              {"legal_bases", bases},
              {"responsibilities", item.responsibilities},
              {"accountability", item.accountability},
              {"supervision_phone", item.supervision_phone},
              {"remarks", item.remarks},
              {"status", std::string(statusCode(item.status))},
              {"effective_date", item.effective_date}};
}

}  // namespace

namespace {

// The login form's CSRF token: there is no session yet, so the token is a random value in a
// cookie only this site's pages can set (double submit), and the form must carry the same.
constexpr const char* kLoginCsrfCookie = "portal_login_csrf";

Response loginForm(Context& ctx, const Request& req, json view, int status) {
  const std::string token = accounts::randomToken();
  view["csrf_token"] = token;
  Response r = renderAdmin(ctx, req, "admin_login", "工作人员登录", std::move(view), nullptr, status);
  const bool tls = ctx.config.site.base_url.rfind("https://", 0) == 0;
  r.headers.emplace_back("Set-Cookie", std::string(kLoginCsrfCookie) + "=" + token +
                                           "; Path=/admin/login; HttpOnly; SameSite=Strict" +
                                           (tls ? "; Secure" : ""));
  return r;
}

}  // namespace

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
      const auto wait = std::chrono::duration_cast<std::chrono::seconds>(
          *result.retry_at - std::chrono::system_clock::now());
      r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, wait.count())));
    }
    return r;
  }
  Response r = Response::redirect(next);
  r.headers.emplace_back("Set-Cookie", sessionCookie(ctx, result.session_token));
  return r;
}

Response logout(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  requireCsrf(p, req.form());
  ctx.accounts.logout(req.cookie(kSessionCookie).value_or(""), req.remote_addr);
  Response r = Response::redirect("/");
  r.headers.emplace_back("Set-Cookie", sessionCookie(ctx, "", true));
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
            {"can_manage_amendments", accounts::canManageAmendments(p)}};
  addDraftLists(ctx, p, view);
  view["complaints_due"] = complaintsDueJson(ctx.complaints, staffActor(p));
  return renderAdmin(ctx, req, "admin_home", "工作台", view, &p);
}

Response editItemPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto found = ctx.catalog.item(req.params.at("slug"), req.params.at("code"));
  if (!found) throw http::HttpError(404, "未找到该事项。", "not_found");
  if (!accounts::canEditItemOf(p, found->department.id)) {
    throw http::HttpError(403, "您只能修改本部门的事项。", "forbidden");
  }
  json view{{"item", formJson(found->item, "amend")},
            {"editing", true},
            {"expected_version", found->item.version},
            {"requires_review", ctx.drafts.requiresReview(found->department.id)},
            {"department", departmentJson(found->department)},
            {"action", "/admin" + itemPath(found->department.slug, found->item.code)}};
  view["item"]["change_reason"] = "";
  view["item"]["legal_trigger"] = "";
  // The legal office's flags, so the editor sees which law changed and what the item cites.
  view["basis_flags"] = publicItemJson(*found)["basis_flags"];
  return renderAdmin(ctx, req, "admin_item_form", "修改事项", view, &p);
}

Response saveItem(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto found = ctx.catalog.item(req.params.at("slug"), req.params.at("code"));
  if (!found) throw http::HttpError(404, "未找到该事项。", "not_found");
  if (!accounts::canEditItemOf(p, found->department.id)) {
    throw http::HttpError(403, "您只能修改本部门的事项。", "forbidden");
  }
  ListItem item = itemFromForm(form, &found->item);
  const std::string kind_code = http::formValue(form, "change_kind");
  const auto kind = parseChangeKind(kind_code);
  item.change_kind = kind.value_or(ChangeKind::Create);
  const std::string expected = http::formValue(form, "expected_version");
  const int expected_version = static_cast<int>(http::parseWholeNumber(expected, 6).value_or(-1));
  if (formGoesToDraft(ctx, form, found->department)) {
    item.code = found->item.code;
    return saveFormAsDraft(ctx, req, p, found->department, std::move(item), expected_version, form,
                           "/admin" + itemPath(found->department.slug, found->item.code));
  }
  auto audit = auditFor(
      p, req, "item.publish", found->department, found->item.code,
      "发布“" + item.name + "”的新版本（" + std::string(changeKindName(item.change_kind)) + "）");
  audit.before_json = itemAuditJson(found->item).dump();
  audit.after_json = itemAuditJson(item).dump();
  const auto result = ctx.publishing.publishChange(found->department.id, found->item.code, item,
                                                   expected_version, &audit);
  if (const auto* ok = std::get_if<Published>(&result)) {
    ctx.feeder.wake();
    return Response::redirect(itemPath(found->department.slug, ok->code) + "/history");
  }
  const auto& refused = std::get<Refused>(result);
  item.code = found->item.code;
  json view{{"item", formJson(item, kind_code)},
            {"editing", true},
            {"expected_version", expected},
            {"department", departmentJson(found->department)},
            {"errors", refused.errors},
            {"action", "/admin" + itemPath(found->department.slug, found->item.code)}};
  return renderAdmin(ctx, req, "admin_item_form", "修改事项", view, &p, refused.status);
}

Response newItemPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto d = ctx.catalog.department(req.params.at("slug"));
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  if (!accounts::canEditItemOf(p, d->id)) {
    throw http::HttpError(403, "您只能在本部门的清单中新增事项。", "forbidden");
  }
  ListItem blank;
  blank.implementing_body = d->name;
  blank.level = "区级";
  json view{{"item", formJson(blank, "")},
            {"editing", false},
            {"requires_review", ctx.drafts.requiresReview(d->id)},
            {"department", departmentJson(*d)},
            {"action", "/admin/departments/" + http::percentEncode(d->slug) + "/items"}};
  return renderAdmin(ctx, req, "admin_item_form", "新增事项", view, &p);
}

Response createItem(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto d = ctx.catalog.department(req.params.at("slug"));
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  if (!accounts::canEditItemOf(p, d->id)) {
    throw http::HttpError(403, "您只能在本部门的清单中新增事项。", "forbidden");
  }
  ListItem item = itemFromForm(form);
  item.department_id = d->id;
  if (formGoesToDraft(ctx, form, *d)) {
    return saveFormAsDraft(ctx, req, p, *d, std::move(item), std::nullopt, form,
                           "/admin/departments/" + http::percentEncode(d->slug) + "/items");
  }
  auto audit = auditFor(p, req, "item.create", *d, item.code, "新增事项“" + item.name + "”");
  audit.after_json = itemAuditJson(item).dump();
  const auto result = ctx.publishing.create(item, &audit);
  if (const auto* ok = std::get_if<Published>(&result)) {
    ctx.feeder.wake();
    return Response::redirect(itemPath(d->slug, ok->code));
  }
  const auto& refused = std::get<Refused>(result);
  json view{{"item", formJson(item, "")},
            {"editing", false},
            {"department", departmentJson(*d)},
            {"errors", refused.errors},
            {"action", "/admin/departments/" + http::percentEncode(d->slug) + "/items"}};
  return renderAdmin(ctx, req, "admin_item_form", "新增事项", view, &p, refused.status);
}

Response auditPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
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
    if (!filter.from) throw http::HttpError(400, "开始日期格式应为 YYYY-MM-DD。", "bad_date");
  }
  if (auto u = req.queryValue("until"); u && !u->empty()) {
    auto day = accounts::beijingDayStart(*u);
    if (!day) throw http::HttpError(400, "结束日期格式应为 YYYY-MM-DD。", "bad_date");
    filter.until = *day + std::chrono::hours(24);
  }
  const Paging paging = parsePaging(req, 50);
  filter.page = paging.page;
  filter.page_size = paging.page_size;
  const auto page = ctx.audit.query(p, filter);
  if (!page)
    throw http::HttpError(403, "只有法制审核人员和系统管理员可以查看审计日志。", "forbidden");
  json rows = json::array();
  for (const auto& r : page->rows) {
    rows.push_back({{"at", accounts::formatBeijing(r.at, true)},
                    {"username", r.username},
                    {"remote_addr", r.remote_addr},
                    {"action", r.action},
                    {"object", r.object_type + " " + r.object_id},
                    {"summary", r.summary},
                    {"before", r.before_json.value_or("")},
                    {"after", r.after_json.value_or("")}});
  }
  json view{{"rows", rows},
            {"total", page->total},
            {"page", page->page},
            {"page_count", page->pageCount()},
            {"filter_action", req.queryValue("action").value_or("")},
            {"filter_department", req.queryValue("department").value_or("")},
            {"filter_account", req.queryValue("account").value_or("")},
            {"filter_from", req.queryValue("from").value_or("")},
            {"filter_until", req.queryValue("until").value_or("")}};
  return renderAdmin(ctx, req, "admin_audit", "审计日志", view, &p);
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
