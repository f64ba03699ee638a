#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "portal/app.h"
#include "portal/config.h"
#include "tests/support/test_database.h"

namespace e2e {

// The real portal on a free loopback port, over a fresh database with the demo data. When
// config.search.index_dir is empty it gets an index in a temporary folder, removed at the end.
class RunningPortal {
 public:
  explicit RunningPortal(portal::Config config);
  ~RunningPortal();
  int port() const { return app_->port(); }
  httplib::Client client() const;
  portal::App& app() { return *app_; }

 private:
  std::string temp_dir_;
  std::unique_ptr<portal::App> app_;
};

// A temporary folder removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Settings for a test server: port 0, quiet, the demo data loaded, the given database.
portal::Config testConfig(const db::Options& database);

// Sends `request` as bytes on a new connection and returns what the server answered: up to the
// end of the first whole response with a Content-Length (its head alone for a HEAD request),
// or, with until_close, everything until the server closed the connection (or 5 s passed).
std::string rawExchange(int port, const std::string& request, bool until_close = false);
// The status code of the first response in a raw answer, 0 if there is none.
int statusOf(const std::string& raw_response);

// Text as a browser reads it from a page: &quot; &#39; &lt; &gt; &amp; decoded (kainjow
// escapes them in text and attribute values; a form posts them back decoded).
std::string unescapeHtml(std::string s);
// The value of the hidden input `name` in a page, decoded as above; "" when there is none.
std::string hiddenValue(const std::string& body, const std::string& name);

// The login form as a browser gets it: its CSRF cookie ("portal_login_csrf=...", for the
// Cookie header) and the token the form carries (the csrf_token field).
struct LoginForm {
  std::string cookie;
  std::string token;
};
LoginForm loginForm(int port);  // from the server on 127.0.0.1:port

// The password StaffBrowser logs in with by default, and createStaff gives every account.
inline constexpr const char* kStaffPassword = "correct-horse-42";

// Creates a staff account (role editor|reviewer|admin; department slug for editors) directly
// through the account service; fails the calling test if it cannot.
void createStaff(RunningPortal& portal, const std::string& username, const std::string& role,
                 const std::string& department_slug = "");

// A logged-in browser: keeps the session cookie and the CSRF token of the last page it saw, and
// adds that token to every form it posts (as the real forms do).
class StaffBrowser {
 public:
  explicit StaffBrowser(RunningPortal& portal) : portal_(portal) {}

  // Logs in and loads /admin (for the CSRF token); returns the login answer's status (303 on
  // success) or 0 when the server did not answer.
  int login(const std::string& username, const std::string& password = kStaffPassword);
  httplib::Result get(const std::string& path);
  // `body` is form-urlencoded; the CSRF token is appended unless with_csrf is false.
  httplib::Result post(const std::string& path, std::string body, bool with_csrf = true);
  httplib::Result postMultipart(const std::string& path, httplib::MultipartFormDataItems items);
  const std::string& csrfToken() const { return csrf_; }

 private:
  httplib::Headers headers() const;
  void rememberCsrf(const std::string& body);

  RunningPortal& portal_;
  std::string cookie_;
  std::string csrf_;
};

}  // namespace e2e
