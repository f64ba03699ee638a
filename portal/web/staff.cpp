#include "portal/web/staff.h"

#include <algorithm>
#include <map>
#include <set>

#include "portal/accounts/permissions.h"
#include "portal/accounts/session_token.h"
#include "base/utf8.h"
#include "portal/http/multipart.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/guards.h"

namespace portal::web {

namespace {

// The staff page a form was posted from (the Referer's path on this site), to come back to
// after login; the form's own address is often POST only.
std::string formPage(const http::Request& req) {
  const std::string referer = req.header("referer").value_or("");
  const auto scheme = referer.find("://");
  if (scheme == std::string::npos) return "/admin";
  const auto path = referer.find('/', scheme + 3);
  if (path == std::string::npos) return "/admin";
  const std::string page = localPath(referer.substr(path));
  if (page.rfind("/admin", 0) != 0 || page.rfind("/admin/login", 0) == 0) return "/admin";
  return page;
}

// What the person typed into the form, to show back: every field with text in it (a value with
// a character beyond ASCII, or a field known to take text), labelled where the label is known.
// Codes, ids, versions and tokens are not typed text and are left out.
nlohmann::json keptText(const http::Request& req) {
  static const std::map<std::string, std::string> kLabels = {
      {"text", "办理记录"},          {"result", "办理结果"},       {"note", "说明"},
      {"reason_text", "说明"},       {"reason", "理由"},           {"change_reason", "修改理由"},
      {"comment", "意见"},           {"description", "内容"},      {"facts", "违法事实"},
      {"legal_basis", "法律依据"},   {"legal_bases", "法律依据"},  {"remarks", "备注"},
      {"outcome_text", "处理结果"},  {"responsibilities", "责任事项"},
      {"accountability", "追责情形"}, {"sub_items", "子项"},        {"name", "名称"},
      {"location", "发生地点"},      {"complainant_name", "投诉人姓名"},
      {"complainant_phone", "联系电话"}};
  static const std::set<std::string> kNotText = {
      "csrf_token",   "password",     "expected_version", "idempotency_key",
      "next",         "import_token", "choices_json",     "previewed_sheet"};
  nlohmann::json kept = nlohmann::json::array();
  const auto type = req.header("content-type").value_or("");
  std::vector<std::pair<std::string, std::string>> fields;
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    fields = req.form();
  } else if (type.rfind("multipart/form-data", 0) == 0) {
    // The phone-entry form (with evidence files): its text parts, never the files.
    if (const auto parts = http::parseMultipart(type, req.body)) {
      for (const auto& part : *parts) {
        if (part.filename.empty() && base::isValidUtf8(part.content)) {
          fields.emplace_back(part.name, part.content);
        }
      }
    }
  }
  for (const auto& [name, value] : fields) {
    if (kNotText.count(name) || value.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    const auto label = kLabels.find(name);
    const bool typed = std::any_of(value.begin(), value.end(),
                                   [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (label == kLabels.end() && !typed) continue;
    kept.push_back({{"label", label != kLabels.end() ? label->second : "填写的内容"},
                    {"value", value}});
  }
  return kept;
}

}  // namespace

http::Response loginForm(Context& ctx, const http::Request& req, nlohmann::json view, int status) {
  const std::string token = accounts::randomToken();
  view["csrf_token"] = token;
  http::Response r =
      renderAdmin(ctx, req, "admin_login", "工作人员登录", std::move(view), nullptr, status);
  const bool tls = servedOverHttps(ctx, req);
  r.headers.emplace_back("Set-Cookie", std::string(kLoginCsrfCookie) + "=" + token +
                                           "; Path=/admin/login; HttpOnly; SameSite=Strict" +
                                           (tls ? "; Secure" : ""));
  return r;
}

std::string localPath(const std::string& candidate) {
  if (candidate.empty() || candidate[0] != '/' || (candidate.size() > 1 && candidate[1] == '/')) {
    return "/admin";
  }
  for (const char c : candidate) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '\\') return "/admin";
  }
  return candidate;
}

accounts::Principal requireStaff(Context& ctx, const http::Request& req) {
  if (auto token = req.cookie(kSessionCookie); token && !token->empty()) {
    if (auto p = ctx.accounts.validate(*token)) return *p;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    const nlohmann::json kept = keptText(req);
    nlohmann::json view{{"next", formPage(req)},
                        {"kept", kept},
                        {"has_kept", !kept.empty()},
                        {"error", "登录已超时，刚才提交的内容没有保存。请重新登录，登录后回到原页面再提交。"}};
    throw http::HttpError::answer(loginForm(ctx, req, std::move(view), 401));
  }
  std::string back = req.path;
  if (!req.raw_target.empty() && req.raw_target.find('?') != std::string::npos) {
    back += req.raw_target.substr(req.raw_target.find('?'));
  }
  throw http::HttpError::redirect("/admin/login?next=" + http::percentEncode(back));
}

void requireCsrf(const accounts::Principal& p,
                 const std::vector<std::pair<std::string, std::string>>& form) {
  const std::string token = http::formValue(form, "csrf_token");
  if (!accounts::verifyCsrf(p, token.empty() ? std::nullopt : std::optional<std::string>(token))) {
    throw http::HttpError(403, "表单已过期或来源不明，请刷新页面后重新提交。", "csrf");
  }
}

std::string sessionCookie(const Context& ctx, const http::Request& req, const std::string& token,
                          bool clear) {
  const bool tls = servedOverHttps(ctx, req);
  return std::string(kSessionCookie) + "=" + (clear ? "" : token) +
         "; Path=/; HttpOnly; SameSite=Lax" + (tls ? "; Secure" : "") +
         (clear ? "; Max-Age=0" : "");
}

}  // namespace portal::web
