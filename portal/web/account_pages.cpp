// Staff accounts for administrators (outside audit M3): who has access, with role, department,
// state and last login; deactivating an account (asked first on a page of its own, since it
// ends the person's sessions at once), reactivating it, and creating one. The rules (admin
// only, not oneself, sessions ended, audit row) are AccountService's.
#include <map>
#include <optional>
#include <string>

#include "portal/accounts/account_service.h"
#include "portal/accounts/audit_service.h"
#include "portal/accounts/permissions.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"

namespace portal::web {

using nlohmann::json;

namespace {

constexpr const char* kAccountsUrl = "/admin/accounts";

std::string accountUrl(std::int64_t id) {
  return std::string(kAccountsUrl) + "/" + std::to_string(id);
}

accounts::Principal requireAdmin(Context& ctx, const Request& req) {
  auto p = requireStaff(ctx, req);
  if (!accounts::canManageAccounts(p)) {
    throw http::HttpError(403, "只有系统管理员可以管理工作人员账号。", "forbidden");
  }
  return p;
}

// A staff POST: the admin behind it, its form with the CSRF token checked.
struct AdminPost {
  accounts::Principal principal;
  Form form;
};

AdminPost readAdminPost(Context& ctx, const Request& req) {
  AdminPost a{requireAdmin(ctx, req), req.form()};
  requireCsrf(a.principal, a.form);
  return a;
}

std::int64_t accountIdParam(const Request& req) {
  const auto id = http::parseWholeNumber(req.params.at("id"));
  if (!id || *id <= 0) throw http::HttpError(404, "未找到该账号。", "not_found");
  return *id;
}

accounts::Account requireAccount(Context& ctx, std::int64_t id) {
  auto a = ctx.accounts.account(id);
  if (!a) throw http::HttpError(404, "未找到该账号。", "not_found");
  return *a;
}

std::map<std::int64_t, std::string> departmentNames(Context& ctx) {
  std::map<std::int64_t, std::string> names;
  for (const auto& o : ctx.catalog.departments()) names[o.department.id] = o.department.name;
  return names;
}

json accountJson(const accounts::Account& a, const std::map<std::int64_t, std::string>& depts,
                 const std::map<std::int64_t, accounts::TimePoint>& last_logins,
                 const accounts::Principal& viewer) {
  std::string dept;
  if (a.department_id) {
    const auto it = depts.find(*a.department_id);
    dept = it == depts.end() ? "（未知部门）" : it->second;
  }
  const auto login = last_logins.find(a.id);
  return json{
      {"id", a.id},
      {"username", a.username},
      {"display_name", a.display_name},
      {"role_name", std::string(accounts::roleName(a.role))},
      {"department", dept},
      {"active", a.active},
      {"is_self", a.id == viewer.account_id},
      {"last_login", login == last_logins.end() ? std::string("从未登录")
                                                : accounts::formatBeijing(login->second, false)},
      {"deactivate_url", accountUrl(a.id) + "/deactivate"},
      {"activate_url", accountUrl(a.id) + "/activate"}};
}

// The notice after a change (?deactivated=ID, ?activated=ID, ?created=ID), naming the account.
std::optional<std::string> changeNotice(const Request& req,
                                        const std::vector<accounts::Account>& all) {
  static const std::pair<const char*, const char*> kNotices[] = {
      {"deactivated", "已停用，其所有登录会话已结束，不能再登录。"},
      {"activated", "已启用，可以重新登录。"},
      {"created", "已创建，请把初始密码当面或通过安全渠道告知本人。"}};
  for (const auto& [key, text] : kNotices) {
    const auto id = http::parseWholeNumber(req.queryValue(key).value_or(""));
    if (!id) continue;
    for (const auto& a : all) {
      if (a.id == *id) return "账号 " + a.username + "（" + a.display_name + "）" + text;
    }
  }
  return std::nullopt;
}

json roleOptions(const std::string& selected) {
  json roles = json::array();
  for (const auto r : accounts::allRoles()) {
    roles.push_back({{"code", std::string(accounts::roleCode(r))},
                     {"name", std::string(accounts::roleName(r))},
                     {"selected", accounts::roleCode(r) == selected}});
  }
  return roles;
}

json departmentOptions(Context& ctx, std::optional<std::int64_t> selected) {
  json depts = json::array();
  for (const auto& o : ctx.catalog.departments()) {
    depts.push_back({{"id", o.department.id},
                     {"name", o.department.name},
                     {"selected", selected == o.department.id}});
  }
  return depts;
}

// The list, with the create form (`form` as typed, `errors` field by field) and any notice.
Response renderAccounts(Context& ctx, const Request& req, const accounts::Principal& p,
                        const accounts::NewAccount& form,
                        const std::vector<accounts::FieldError>& errors, int status) {
  const auto all = ctx.accounts.accounts();
  const auto depts = departmentNames(ctx);
  const auto last_logins = ctx.accounts.lastLogins();
  json rows = json::array();
  for (const auto& a : all) rows.push_back(accountJson(a, depts, last_logins, p));
  json field_errors = json::object();
  json messages = json::array();
  for (const auto& e : errors) {
    messages.push_back(e.message);
    if (!e.field.empty() && !field_errors.contains(e.field)) field_errors[e.field] = e.message;
  }
  json view{{"accounts", rows},
            {"total", all.size()},
            {"create_action", kAccountsUrl},
            {"form", {{"username", form.username}, {"display_name", form.display_name}}},
            {"roles", roleOptions(form.role)},
            {"departments", departmentOptions(ctx, form.department_id)},
            {"errors", messages},
            {"has_errors", !errors.empty()},
            {"field_errors", field_errors}};
  if (const auto notice = changeNotice(req, all)) view["notice"] = *notice;
  return renderAdmin(ctx, req, "admin_accounts", "工作人员账号", std::move(view), &p, status);
}

// Ends the request when the service refused (403 with its reason, 404); otherwise back to the
// list with the notice `notice_key`.
Response afterChange(const accounts::ChangeResult& r, const std::string& notice_key) {
  const std::string message = r.errors.empty() ? "" : r.errors.front().message;
  if (r.status == accounts::ChangeStatus::NotFound) {
    throw http::HttpError(404, message.empty() ? "未找到该账号。" : message, "not_found");
  }
  if (!r.ok()) throw http::HttpError(403, message, "forbidden");
  return Response::redirect(std::string(kAccountsUrl) + "?" + notice_key + "=" +
                            std::to_string(r.account_id));
}

accounts::NewAccount newAccountFrom(const Form& form) {
  accounts::NewAccount a;
  a.username = http::formValue(form, "username");
  a.display_name = http::formValue(form, "display_name");
  a.password = http::formValue(form, "password");
  a.role = http::formValue(form, "role");
  const std::string dept = http::formValue(form, "department_id");
  // Not a department's id at all ("abc", "-1"): one that does not exist, which the service
  // refuses as such, never silently none.
  if (!dept.empty()) {
    const auto id = http::parseWholeNumber(dept);
    a.department_id = id && *id > 0 ? *id : 0;
  }
  return a;
}

}  // namespace

Response adminAccountsPage(Context& ctx, const Request& req) {
  const auto p = requireAdmin(ctx, req);
  return renderAccounts(ctx, req, p, {}, {}, 200);
}

// The create form: the account, or the list again with the form as typed and why (422).
Response adminCreateAccount(Context& ctx, const Request& req) {
  const AdminPost a = readAdminPost(ctx, req);
  const accounts::NewAccount typed = newAccountFrom(a.form);
  const auto result =
      ctx.accounts.createAccount(accounts::Actor::staff(a.principal, req.remote_addr), typed);
  if (result.status == accounts::ChangeStatus::Invalid) {
    return renderAccounts(ctx, req, a.principal, typed, result.errors, 422);
  }
  return afterChange(result, "created");
}

// Asks before deactivating: whose account, and that their sessions end at once.
Response adminDeactivateConfirmPage(Context& ctx, const Request& req) {
  const auto p = requireAdmin(ctx, req);
  const auto account = requireAccount(ctx, accountIdParam(req));
  json view{{"account", accountJson(account, departmentNames(ctx), ctx.accounts.lastLogins(), p)},
            {"accounts_url", kAccountsUrl},
            {"post_url", accountUrl(account.id) + "/deactivate"}};
  return renderAdmin(ctx, req, "admin_account_deactivate", "停用账号 " + account.username,
                     std::move(view), &p);
}

Response adminDeactivateAccount(Context& ctx, const Request& req) {
  const AdminPost a = readAdminPost(ctx, req);
  const auto result = ctx.accounts.setActive(accounts::Actor::staff(a.principal, req.remote_addr),
                                             accountIdParam(req), false);
  return afterChange(result, "deactivated");
}

Response adminActivateAccount(Context& ctx, const Request& req) {
  const AdminPost a = readAdminPost(ctx, req);
  const auto result = ctx.accounts.setActive(accounts::Actor::staff(a.principal, req.remote_addr),
                                             accountIdParam(req), true);
  return afterChange(result, "activated");
}

}  // namespace portal::web
