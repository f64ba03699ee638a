#pragma once

#include <string>

#include "portal/accounts/account.h"
#include "portal/web/context.h"

namespace portal::web {

inline constexpr const char* kSessionCookie = "portal_session";

// The signed-in staff member, or a redirect (HttpError::redirect) to the login page that
// comes back here afterwards.
accounts::Principal requireStaff(Context& ctx, const http::Request& req);
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
