#include "tests/e2e/e2e_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"

namespace e2e {

portal::Config testConfig(const db::Options& database) {
  portal::Config c;
  c.db = database;
  c.server.port = 0;
  c.server.workers = 4;
  c.server.log_requests = false;
  c.server.max_request_bytes = 64 * 1024;
  c.load_demo_data = true;
  c.search.index_dir = "";  // RunningPortal makes a temporary one
  c.search.feeder_poll_ms = 50;
  // Every test client is 127.0.0.1 and many give the same phone: the abuse limits are off
  // except in the tests about them.
  c.hotline.intake_limits.per_address = 0;
  c.hotline.intake_limits.per_phone = 0;
  c.hotline.intake_limits.per_api_key = 0;
  return c;
}

LoginForm loginForm(int port) {
  httplib::Client c("127.0.0.1", port);
  LoginForm form;
  auto r = c.Get("/admin/login");
  if (!r) return form;
  const std::string set = r->get_header_value("Set-Cookie");
  form.cookie = set.substr(0, set.find(';'));
  const std::string marker = "name=\"csrf_token\" value=\"";
  const auto at = r->body.find(marker);
  if (at != std::string::npos) {
    const auto start = at + marker.size();
    form.token = r->body.substr(start, r->body.find('"', start) - start);
  }
  return form;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/portal-e2e.XXXXXX";
  path_ = mkdtemp(tmpl);
}

TempDir::~TempDir() { std::filesystem::remove_all(path_); }

RunningPortal::RunningPortal(portal::Config config) {
  if (config.search.index_dir.empty()) {
    char tmpl[] = "/tmp/portal-e2e-index.XXXXXX";
    temp_dir_ = mkdtemp(tmpl);
    config.search.index_dir = temp_dir_ + "/index";
  }
  app_ = std::make_unique<portal::App>(config);
  app_->start();
}

RunningPortal::~RunningPortal() {
  app_->stop();
  app_.reset();
  if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
}

httplib::Client RunningPortal::client() const {
  httplib::Client c("127.0.0.1", port());
  c.set_read_timeout(10, 0);
  c.set_connection_timeout(5, 0);
  return c;
}

std::string rawExchange(int port, const std::string& request, bool until_close) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on an oversized request
    sent += static_cast<std::size_t>(n);
  }
  // Read until the server closes, or until one whole response with a Content-Length arrived
  // (a server may keep the connection open after answering).
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    const auto end = out.find("\r\n\r\n");
    if (end == std::string::npos || until_close) continue;
    std::string head = out.substr(0, end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto cl = head.find("content-length:");
    if (cl == std::string::npos) continue;
    const std::size_t length = std::stoul(head.substr(cl + 15));
    const bool head_request = request.rfind("HEAD ", 0) == 0;
    if (head_request || out.size() >= end + 4 + length) break;
  }
  close(fd);
  return out;
}

int statusOf(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::stoi(raw.substr(9, 3));
}

std::string unescapeHtml(std::string s) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"&quot;", "\""},
                                 {"&#39;", "'"},
                                 {"&lt;", "<"},
                                 {"&gt;", ">"},
                                 {"&amp;", "&"}}) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
      s.replace(p, from.size(), to);
    }
  }
  return s;
}

std::string hiddenValue(const std::string& body, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto start = body.find(marker);
  if (start == std::string::npos) return "";
  const auto v = start + marker.size();
  return unescapeHtml(body.substr(v, body.find('"', v) - v));
}

void createStaff(RunningPortal& portal, const std::string& username, const std::string& role,
                 const std::string& department_slug) {
  portal::accounts::AccountOptions options;
  options.hash_cost = portal::accounts::HashCost::Minimum;  // a valid argon2id hash, made fast
  portal::accounts::AccountService accounts(portal.app().pool(), options);
  std::optional<std::int64_t> department_id;
  if (!department_slug.empty()) {
    const auto department =
        portal::publishing::CatalogService(portal.app().pool()).department(department_slug);
    ASSERT_TRUE(department) << department_slug;
    department_id = department->id;
  }
  const auto r = accounts.createAccount(portal::accounts::Actor::console(),
                                        {username, "测试", kStaffPassword, role, department_id});
  ASSERT_TRUE(r.ok()) << username << ": " << (r.errors.empty() ? "" : r.errors[0].message);
}

int StaffBrowser::login(const std::string& username, const std::string& password) {
  using portal::http::percentEncode;
  const LoginForm form = loginForm(portal_.port());
  auto r = portal_.client().Post("/admin/login", httplib::Headers{{"Cookie", form.cookie}},
                                 "username=" + percentEncode(username) + "&password=" +
                                     percentEncode(password) + "&next=%2Fadmin&csrf_token=" +
                                     percentEncode(form.token),
                                 "application/x-www-form-urlencoded");
  if (!r) return 0;
  const std::string cookie = r->get_header_value("Set-Cookie");
  if (r->status == 303) {
    cookie_ = cookie.substr(0, cookie.find(';'));
    get("/admin");  // picks up the CSRF token
  }
  return r->status;
}

httplib::Result StaffBrowser::get(const std::string& path) {
  auto r = portal_.client().Get(path.c_str(), headers());
  if (r) rememberCsrf(r->body);
  return r;
}

httplib::Result StaffBrowser::post(const std::string& path, std::string body, bool with_csrf) {
  if (with_csrf) body += "&csrf_token=" + portal::http::percentEncode(csrf_);
  return portal_.client().Post(path.c_str(), headers(), body,
                               "application/x-www-form-urlencoded");
}

httplib::Result StaffBrowser::postMultipart(const std::string& path,
                                            httplib::MultipartFormDataItems items) {
  items.push_back({"csrf_token", csrf_, "", ""});
  return portal_.client().Post(path.c_str(), headers(), items);
}

httplib::Headers StaffBrowser::headers() const {
  httplib::Headers h;
  if (!cookie_.empty()) h.emplace("Cookie", cookie_);
  return h;
}

void StaffBrowser::rememberCsrf(const std::string& body) {
  static const std::regex kToken("name=\"csrf_token\" value=\"([^\"]+)\"");
  std::smatch m;
  if (std::regex_search(body, m, kToken)) csrf_ = m[1];
}

}  // namespace e2e
