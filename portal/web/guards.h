#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portal/web/context.h"

namespace portal::web {

// Cross-site request forgery, second line (the first is the CSRF token of every staff form
// and of the login form): a state-changing POST whose Origin (or, without one, Referer)
// names another site is refused with 403. A request with neither header is let through:
// browsers send Origin with every cross-site POST, so its absence means a client that is not
// a browser (curl, a script, an Open311 client) or one that strips both for privacy, and the
// token still guards every staff form. "null" (sandboxed frames, file: pages) is foreign.
// This site is the origin (scheme, host, port) of site.base_url when it is set, and the
// request's: its Host (with nginx's Host $http_host, the port the browser used) and the scheme
// the local nginx reports in X-Forwarded-Proto (only from a loopback peer), else http. A Host
// without a port is the scheme's default port (80, 443), so the same host name on another
// port is another site.
void requireSameOrigin(const Context& ctx, const http::Request& req);

// Whether `req` may read /metrics: a loopback peer that came straight to the server (no
// X-Real-IP or X-Forwarded-For: nginx passes X-Real-IP, so a scrape through nginx is refused),
// or a client whose address is in metrics.allowed_networks.
bool metricsAllowed(const Config& config, const http::Request& req);

// Whether the browser reached this site over https: site.base_url says so, or the local
// nginx (a loopback peer) passed X-Forwarded-Proto: https because it terminated TLS. Cookies
// that carry a session or a login form's token are then marked Secure, so a browser never
// sends them over plain http, whether or not site.base_url was set.
bool servedOverHttps(const Context& ctx, const http::Request& req);

// A Host header or the authority of a URL, taken apart. `name` is lower-cased; an IPv6
// address keeps its brackets ("[::1]"). `port` is the digits written, "" when none.
struct Authority {
  std::string name;
  std::string port;
};
// std::nullopt unless `text` is "name", "name:port", "[v6]" or "[v6]:port", the name of
// letters, digits, '.' and '-' (hex digits, ':' and '.' inside brackets), the port 1-5 digits.
// No userinfo, no path.
std::optional<Authority> parseAuthority(const std::string& text);

// Whether `address` (IPv4 or IPv6 text, no brackets) is a loopback address; false for
// anything that does not parse.
bool isLoopback(const std::string& address);

// Makes `response` Cache-Control: no-store (replacing any other Cache-Control).
void setNoStore(http::Response& response);

// Whether `address` (IPv4 or IPv6 text) lies in `network` ("10.0.0.0/8", "2001:db8::/32", or a
// single address). False for anything that does not parse.
bool inNetwork(const std::string& address, const std::string& network);

}  // namespace portal::web
