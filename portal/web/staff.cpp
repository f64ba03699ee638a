#include "portal/web/staff.h"

#include "portal/accounts/permissions.h"
#include "portal/http/url.h"
#include "portal/web/guards.h"

namespace portal::web {

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
