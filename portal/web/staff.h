#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "portal/accounts/account.h"
#include "portal/web/context.h"

namespace portal::web {

inline constexpr const char* kSessionCookie = "portal_session";
// The login form's CSRF token: there is no session yet, so the token is a random value in a
// cookie only this site's pages can set (double submit), and the form must carry the same.
inline constexpr const char* kLoginCsrfCookie = "portal_login_csrf";

// The signed-in staff member. Otherwise, for a page: a redirect (HttpError::redirect) to the
// login page that comes back here afterwards. For a form posted after the session ran out: the
// login page itself (401, HttpError::answer), saying nothing was saved, showing the text that
// was typed so it can be copied back, and coming back to the page the form was on.
accounts::Principal requireStaff(Context& ctx, const http::Request& req);
// The login page with `view` (next, username, error, kept), a fresh login CSRF token and its
// cookie.
http::Response loginForm(Context& ctx, const http::Request& req, nlohmann::json view, int status);
// Throws HttpError 403 unless the form carries this session's CSRF token.
void requireCsrf(const accounts::Principal& p,
                 const std::vector<std::pair<std::string, std::string>>& form);
// The session cookie header value; Secure when the site is served over https
// (servedOverHttps: site.base_url, or X-Forwarded-Proto from the local nginx).
std::string sessionCookie(const Context& ctx, const http::Request& req, const std::string& token,
                          bool clear = false);
// A path on this site to return to after login; "/admin" for anything else.
std::string localPath(const std::string& candidate);

}  // namespace portal::web
