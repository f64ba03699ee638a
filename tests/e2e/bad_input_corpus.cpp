// The bad-input corpus: hundreds of hostile or malformed requests across every route, sent as
// raw bytes on fresh connections, against a running portal (direct port) or nginx in front of
// it. Every answer must come within a few seconds, never be a 5xx, and every refusal must be
// in the portal's format: a Chinese HTML page, {"error":...} JSON under /api, Open311's error
// list under /open311, with the security headers.
//
// Usage: bad_input_corpus PORT direct|nginx   (exit status 0 when every case passed)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Answer {
  bool connected = false;
  bool closed = false;     // the server closed the connection
  double seconds = 0;      // until the first answer was complete, or until giving up
  std::string raw;
};

struct Parsed {
  int status = 0;
  std::string head;  // lower-cased
  std::string body;
  std::size_t length = 0;  // bytes of this response in raw
};

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// One response from the start of `raw`; status 0 when incomplete.
Parsed parseResponse(const std::string& raw, bool head_request = false) {
  Parsed p;
  const auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos || raw.size() < 12) return p;
  p.head = lower(raw.substr(0, end));
  std::size_t length = 0;
  const auto cl = p.head.find("\ncontent-length:");
  if (cl != std::string::npos) length = std::strtoul(p.head.c_str() + cl + 16, nullptr, 10);
  if (head_request) length = 0;
  if (raw.size() < end + 4 + length) return p;
  p.status = std::atoi(raw.substr(9, 3).c_str());
  if (p.status == 100) {  // an interim answer: the real one follows
    Parsed next = parseResponse(raw.substr(end + 4), head_request);
    if (next.status) next.length += end + 4;
    return next;
  }
  p.body = raw.substr(end + 4, length);
  p.length = end + 4 + length;
  return p;
}

// Sends `parts` (with `pause_ms` between them) on a new connection; reads until the server
// closes, `expect` complete responses have arrived (then waits `linger_ms` for a close), or
// `limit_s` passes.
Answer exchange(int port, const std::vector<std::string>& parts, int expect = 1,
                double limit_s = 8, int pause_ms = 0, int linger_ms = 0, bool head = false) {
  Answer a;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  const auto start = Clock::now();
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return a;
  }
  a.connected = true;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 && pause_ms > 0) usleep(static_cast<useconds_t>(pause_ms) * 1000);
    std::size_t sent = 0;
    while (sent < parts[i].size()) {
      const ssize_t n =
          send(fd, parts[i].data() + sent, parts[i].size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may refuse before reading everything
      sent += static_cast<std::size_t>(n);
    }
  }
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  char buf[16384];
  double answered_at = -1;
  for (;;) {
    const double left = answered_at >= 0 ? answered_at + linger_ms / 1000.0 - elapsed()
                                         : limit_s - elapsed();
    if (left <= 0) break;
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left * 1000) + 1) <= 0) continue;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      a.closed = true;
      break;
    }
    a.raw.append(buf, static_cast<std::size_t>(n));
    if (answered_at < 0) {
      int complete = 0;
      std::size_t pos = 0;
      while (pos < a.raw.size()) {
        Parsed p = parseResponse(a.raw.substr(pos), head);
        if (!p.status) break;
        ++complete;
        pos += p.length;
      }
      if (complete >= expect) {
        answered_at = elapsed();
        a.seconds = answered_at;
        if (linger_ms == 0) break;
      }
    }
  }
  if (answered_at < 0) a.seconds = elapsed();
  close(fd);
  return a;
}

std::atomic<int> failures{0};
std::atomic<int> cases{0};
std::mutex print_m;

void fail(const std::string& name, const std::string& why, const std::string& raw) {
  ++failures;
  std::lock_guard<std::mutex> lk(print_m);
  std::printf("FAILED %s: %s\n  answer: %.300s\n", name.c_str(), why.c_str(), raw.c_str());
}

// The area a path belongs to decides the format of a refusal.
enum class Area { Page, Api, Open311, Gateway };
Area areaOf(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  auto under = [&](const std::string& p) { return path == p || path.rfind(p + "/", 0) == 0; };
  if (under("/api") || path == "/healthz") return Area::Api;
  if (under("/open311")) return Area::Open311;
  if (under("/sms")) return Area::Gateway;  // SMS gateway callbacks: short plain text
  return Area::Page;
}

bool hasChinese(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0xe4 && c <= 0xe9) return true;  // lead bytes of the common CJK block
  }
  return false;
}

// Checks one answer: in time, not 5xx, a refusal in our format.
void check(const std::string& name, const std::string& target, const Answer& a,
           bool head = false, double max_seconds = 6) {
  ++cases;
  if (!a.connected) return fail(name, "could not connect", "");
  Parsed p = parseResponse(a.raw, head);
  if (!p.status) {
    return fail(name, a.closed ? "closed without an answer" : "no answer (hang)", a.raw);
  }
  if (a.seconds > max_seconds) return fail(name, "answered too late", a.raw);
  if (p.status >= 500) return fail(name, "5xx", a.raw);
  if (p.head.find("\nx-content-type-options: nosniff") == std::string::npos) {
    return fail(name, "no security headers", a.raw);
  }
  if (p.status < 400 || head) return;
  switch (areaOf(target)) {
    case Area::Api:
      if (p.head.find("content-type: application/json") == std::string::npos ||
          p.body.find("{\"error\":{") != 0 || !hasChinese(p.body)) {
        fail(name, "refusal under /api not in {\"error\":...} JSON", a.raw);
      }
      break;
    case Area::Open311: {
      const bool xml = p.body.find("<errors><error><code>") != std::string::npos;
      const bool json = p.body.find("[{\"code\":") == 0;
      if (!(xml || json) || !hasChinese(p.body)) {
        fail(name, "refusal under /open311 not in the spec's error list", a.raw);
      }
      break;
    }
    case Area::Gateway:
      if ((p.head.find("content-type: text/plain") == std::string::npos &&
           p.head.find("content-type: text/html") == std::string::npos) ||
          !hasChinese(p.body)) {
        fail(name, "refusal to a gateway not plain Chinese text", a.raw);
      }
      break;
    case Area::Page:
      if (p.head.find("content-type: text/html") == std::string::npos ||
          p.body.find("lang=\"zh-CN\"") == std::string::npos || !hasChinese(p.body)) {
        fail(name, "refusal not a Chinese HTML page", a.raw);
      }
      break;
  }
}

std::string request(const std::string& method, const std::string& target,
                    const std::string& extra_headers = "", const std::string& body = "",
                    bool with_length = true) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: portal.test\r\nConnection: close\r\n" +
                  extra_headers;
  if (with_length && (!body.empty() || method == "POST")) {
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return r + "\r\n" + body;
}

struct RouteSample {
  const char* method;
  const char* target;
};

// Every route of portal/web/routes.cpp with sample values for its parameters.
const RouteSample kRoutes[] = {
    {"GET", "/"},
    {"GET", "/departments/zhzf"},
    {"GET", "/items/CF-ZHZF-0001"},
    {"GET", "/items/CF-ZHZF-0001/history"},
    {"GET", "/items/zhzf/CF-ZHZF-0001"},
    {"GET", "/departments/zhzf/export.csv"},
    {"GET", "/items/zhzf/CF-ZHZF-0001/history"},
    {"GET", "/changes"},
    {"GET", "/departments/zhzf/changes"},
    {"GET", "/feeds/changes.atom"},
    {"GET", "/feeds/departments/zhzf.atom"},
    {"GET", "/complaint-channels"},
    {"GET", "/complaints/new"},
    {"POST", "/complaints/new"},
    {"GET", "/track"},
    {"POST", "/track"},
    {"POST", "/track/evaluate"},
    {"GET", "/enforcement"},
    {"GET", "/enforcement/statistics"},
    {"GET", "/enforcement/statistics.csv"},
    {"GET", "/decisions"},
    {"GET", "/decisions/1"},
    {"GET", "/departments/zhzf/officers"},
    {"GET", "/certificates/check"},
    {"GET", "/disclosures"},
    {"GET", "/departments/zhzf/disclosures"},
    {"GET", "/departments/zhzf/disclosures/basic/history"},
    {"GET", "/search"},
    {"GET", "/opensearch.xml"},
    {"GET", "/settings/text-size"},
    {"GET", "/settings/contrast"},
    {"GET", "/contact"},
    {"GET", "/sitemap"},
    {"GET", "/static/site.css"},
    {"GET", "/admin/login"},
    {"POST", "/admin/login"},
    {"POST", "/admin/logout"},
    {"GET", "/admin"},
    {"GET", "/admin/items/zhzf/CF-ZHZF-0001/edit"},
    {"POST", "/admin/items/zhzf/CF-ZHZF-0001"},
    {"GET", "/admin/departments/zhzf/items/new"},
    {"POST", "/admin/departments/zhzf/items"},
    {"GET", "/admin/drafts/1"},
    {"GET", "/admin/drafts/1/edit"},
    {"POST", "/admin/drafts/1"},
    {"POST", "/admin/drafts/1/submit"},
    {"POST", "/admin/drafts/1/recall"},
    {"POST", "/admin/drafts/1/approve"},
    {"POST", "/admin/drafts/1/return"},
    {"GET", "/admin/departments/zhzf/import"},
    {"POST", "/admin/departments/zhzf/import/preview"},
    {"POST", "/admin/departments/zhzf/import/apply"},
    {"GET", "/admin/departments/zhzf/officers"},
    {"POST", "/admin/departments/zhzf/officers"},
    {"POST", "/admin/departments/zhzf/officers/suspend"},
    {"GET", "/admin/departments/zhzf/officers/revoke"},
    {"GET", "/admin/departments/zhzf/disclosures"},
    {"GET", "/admin/departments/zhzf/disclosures/basic"},
    {"POST", "/admin/departments/zhzf/disclosures/basic"},
    {"GET", "/admin/search"},
    {"POST", "/admin/search/synonyms"},
    {"GET", "/admin/audit"},
    {"GET", "/admin/accounts"},
    {"POST", "/admin/accounts"},
    {"GET", "/admin/accounts/1/deactivate"},
    {"POST", "/admin/accounts/1/deactivate"},
    {"POST", "/admin/accounts/1/activate"},
    {"GET", "/admin/complaints"},
    {"GET", "/admin/complaints/statistics"},
    {"GET", "/admin/complaints/phone"},
    {"POST", "/admin/complaints/phone"},
    {"GET", "/admin/complaints/TS-2026-000001"},
    {"POST", "/admin/complaints/TS-2026-000001/accept"},
    {"GET", "/admin/decisions"},
    {"GET", "/admin/departments/zhzf/decisions/new"},
    {"POST", "/admin/departments/zhzf/decisions"},
    {"GET", "/admin/decisions/1"},
    {"GET", "/admin/decisions/1/edit"},
    {"POST", "/admin/decisions/1"},
    {"POST", "/admin/decisions/1/publish"},
    {"POST", "/admin/decisions/1/changed"},
    {"GET", "/admin/decisions/1/correct"},
    {"POST", "/admin/decisions/1/correct"},
    {"POST", "/admin/decisions/1/withdraw"},
    {"GET", "/admin/sms"},
    {"POST", "/admin/sms/1/resend"},
    {"GET", "/open311/v2/discovery.json"},
    {"GET", "/open311/v2/discovery.xml"},
    {"GET", "/open311/v2/services.json"},
    {"GET", "/open311/v2/services.xml"},
    {"GET", "/open311/v2/services/noise.json"},
    {"GET", "/open311/v2/requests.json"},
    {"GET", "/open311/v2/requests.xml"},
    {"POST", "/open311/v2/requests.json"},
    {"POST", "/open311/v2/requests.xml"},
    {"GET", "/open311/v2/requests/TS-2026-000001.json"},
    {"GET", "/open311/v2/tokens/12345.json"},
    {"OPTIONS", "/open311/v2/requests.json"},
    {"OPTIONS", "/open311/v2/services/noise.xml"},
    {"GET", "/api/v1/departments"},
    {"GET", "/api/v1/departments/zhzf/items"},
    {"GET", "/api/v1/departments/zhzf/disclosures"},
    {"GET", "/api/v1/departments/zhzf/items/CF-ZHZF-0001"},
    {"GET", "/api/v1/departments/zhzf/items/CF-ZHZF-0001/versions"},
    {"GET", "/api/v1/departments/zhzf/items/CF-ZHZF-0001/versions/1"},
    {"GET", "/api/v1/items/CF-ZHZF-0001"},
    {"GET", "/api/v1/items/CF-ZHZF-0001/versions"},
    {"GET", "/api/v1/items/CF-ZHZF-0001/versions/1"},
    {"GET", "/api/v1/search"},
    {"GET", "/api/v1/decisions"},
    {"GET", "/api/v1/decisions/1"},
    {"GET", "/api/v1/certificates/12345"},
    {"GET", "/api/v1/departments/zhzf/officers"},
    {"GET", "/sms/dlr/abc"},
    {"POST", "/sms/dlr/abc"},
    {"GET", "/healthz"},
    {"GET", "/metrics"},
    {"GET", "/no-such-page"},
    {"GET", "/api/no-such"},
    {"GET", "/open311/no-such.json"},
};

// Hostile values for query strings and form fields.
const char* kHostileQueries[] = {
    "page=abc&page_size=-1",
    "q=%27%20OR%201%3D1--&type=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "page=99999999999999999999&status=%00",
    "q=%zz&x=%E5%BB",
    "start_date=yesterday&end_date=2099-99-99T99:99:99Z&service_code=%0d%0aX:1",
};

const char* kHostileForms[] = {
    "description=%01%1B%5B31m%E5%99%AA%E5%A3%B0&category=noise&csrf_token=x",
    "a=%zz&b=%E5%BB",
    "username=%27%20OR%201%3D1--&password=x&csrf=1",
    "service_code=noise&description=x&lat=north&long=1e999&api_key=x",
    "=&&&=&%3D%3D%3D",
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT direct|nginx\n", argv[0]);
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const bool via_nginx = std::strcmp(argv[2], "nginx") == 0;
  const auto started = Clock::now();

  // 1. Slow and broken framing: an answer (or, from nginx on a stalled head, a close) within
  // a few seconds of the timeouts; run side by side with
  // everything else, as each waits for a timeout.
  std::vector<std::thread> slow;
  for (const std::string& t : {std::string("/"), std::string("/api/v1/departments")}) {
    for (const std::pair<std::string, std::string>& s :
         {std::pair<std::string, std::string>{"head never ends",
                                              "GET " + t + " HTTP/1.1\r\nHost: x\r\n"},
          {"body never ends", "POST " + t + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"},
          {"chunks never end",
           "POST " + t + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}}) {
      slow.emplace_back([port, via_nginx, t, s] {
        ++cases;
        Answer a = exchange(port, {s.second}, 1, 15);
        Parsed p = parseResponse(a.raw);
        const std::string name = "slow: " + s.first + " " + t;
        if (p.status >= 500) {
          fail(name, "5xx", a.raw);
        } else if (!p.status && !(via_nginx && a.closed)) {
          fail(name, "no answer", a.raw);
        } else if (a.seconds > 12) {
          fail(name, "too slow", a.raw);
        } else if (p.status) {
          --cases;
          check(name, t, a, false, 12);
        }
      });
    }
  }
  // 2. Every route, with each kind of hostile header, query, method or body.
  for (const auto& r : kRoutes) {
    const std::string m = r.method;
    const std::string t = r.target;
    const std::string q = t + (t.find('?') == std::string::npos ? "?" : "&");
    const std::string name = m + " " + t;
    check(name + " (cookie without =)", t, exchange(port, {request(m, t, "Cookie: consent\r\n")}));
    check(name + " (cookie mess)", t,
          exchange(port, {request(m, t, "Cookie: a=1; ; =; b; c=\"x; session=%zz\r\n")}));
    check(name + " (bad Accept q)", t,
          exchange(port, {request(m, t, "Accept: text/html;q=abc, */*;q=-1\r\n")}));
    check(name + " (Accept-Language junk)", t,
          exchange(port, {request(m, t, "Accept-Language: ;;;q=zz\r\nAccept-Encoding: x;q=9\r\n")}));
    check(name + " (PROPFIND)", t, exchange(port, {request("PROPFIND", t)}));
    check(name + " (DELETE)", t, exchange(port, {request("DELETE", t)}));
    check(name + " (bad escape)", t + "%zz", exchange(port, {request(m, t + "%zz")}));
    check(name + " (Content-Length -1)", t,
          exchange(port, {request(m, t, "Content-Length: -1\r\n", "", false)}));
    check(name + " (Content-Length 2^63)", t,
          exchange(port, {request(m, t, "Content-Length: 9223372036854775808\r\n", "", false)}));
    for (const char* hq : kHostileQueries) {
      check(name + " ?" + hq, q + hq, exchange(port, {request(m, q + hq)}));
    }
    if (m == "POST") {
      for (const char* form : kHostileForms) {
        check(name + " form " + form, t,
              exchange(port, {request(m, t,
                                      "Content-Type: application/x-www-form-urlencoded\r\n",
                                      form)}));
      }
      check(name + " (multipart junk)", t,
            exchange(port, {request(m, t, "Content-Type: multipart/form-data; boundary=\r\n",
                                    "--\r\n--x--")}));
      check(name + " (json body)", t,
            exchange(port,
                     {request(m, t, "Content-Type: application/json\r\n", "{\"a\":[1,2,{")}));
    }
  }

  // 3. Framing, on a page, under /api and under /open311.
  for (const std::string& t : {std::string("/"), std::string("/api/v1/departments"), std::string("/open311/v2/requests.json")}) {
    const std::vector<std::pair<std::string, std::string>> raw = {
        {"HTTP/2.0", "GET " + t + " HTTP/2.0\r\nHost: x\r\n\r\n"},
        {"HTTP/1.2", "GET " + t + " HTTP/1.2\r\nHost: x\r\n\r\n"},
        {"Content-Length huge", "POST " + t +
                                     " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                     "99999999999999999999999\r\n\r\n"},
        {"Content-Length abc", "POST " + t + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"},
        {"two Content-Lengths",
         "POST " + t + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
        {"Transfer-Encoding gzip",
         "POST " + t + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"},
        {"TE and CL", "POST " + t +
                          " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
                          "3\r\n\r\n0\r\n\r\n"},
        {"empty chunk size", "POST " + t +
                                 " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n"},
        {"bad chunk size", "POST " + t +
                               " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
        {"folded header", "GET " + t + " HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  more\r\n\r\n"},
        {"space before colon", "GET " + t + " HTTP/1.1\r\nHost : x\r\n\r\n"},
        {"control in header", "GET " + t + " HTTP/1.1\r\nHost: x\r\nX-A: a\x01z\r\n\r\n"},
        {"oversized cookie",
         "GET " + t + " HTTP/1.1\r\nHost: x\r\nCookie: a=" + std::string(70000, 'c') + "\r\n\r\n"},
        {"oversized url", "GET " + t + "?" + std::string(70000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"oversized body", "POST " + t + " HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n" +
                               std::string(900000, 'b')},
        {"Expect unknown", "GET " + t + " HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n"},
        {"TRACE", "TRACE " + t + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"CONNECT", "CONNECT " + t + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"lower-case method", "get " + t + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"long method", std::string(300, 'M') + " " + t + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"HTTP/1.0", "GET " + t + " HTTP/1.0\r\n\r\n"},
        {"bare LF", "GET " + t + " HTTP/1.1\nHost: x\nConnection: close\n\n"},
        {"absolute form", "GET http://portal.test" + t + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"NUL in target", std::string("GET ") + t + std::string("\0x", 2) +
                              " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"UTF-8 in target", "GET " + t + "\xe4\xb8\xad HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"Host missing", "GET " + t + " HTTP/1.1\r\n\r\n"},
        {"two Hosts", "GET " + t + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
        {"X-Request-Id junk", "GET " + t + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: <x>\r\n\r\n"},
        {"X-Forwarded-Proto junk",
         "GET " + t + " HTTP/1.1\r\nHost: \"><x>\r\nX-Forwarded-Proto: javascript\r\n\r\n"},
    };
    for (const auto& [label, bytes] : raw) {
      check(label + " " + t, t, exchange(port, {bytes}, 1, 8, 0, 0));
    }
    // Garbage that is not HTTP at all: a refusal or a plain close, quickly, never a hang.
    for (const std::string& junk : {std::string("\x16\x03\x01\x02\x00\x01\x00", 7),
                                   std::string("\r\n\r\n\r\n"), std::string("\x00\x00\x00", 3)}) {
      ++cases;
      Answer a = exchange(port, {junk}, 1, 8);
      Parsed p = parseResponse(a.raw);
      if (p.status >= 500) fail("junk", "5xx", a.raw);
      if (!p.status && a.seconds > 6.5) fail("junk " + t, "no answer or close in time", a.raw);
    }
  }

  // 4. Connections: pipelined requests answered in order; Connection: close and HTTP/1.0
  // close the socket right after the answer.
  {
    ++cases;
    std::string pipelined;
    const int n = 20;
    for (int i = 0; i < n; ++i) {
      pipelined += "GET /no-such-" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n" +
                   (i == n - 1 ? "Connection: close\r\n" : "") + "\r\n";
    }
    Answer a = exchange(port, {pipelined}, n, 8, 0, 3000);
    std::size_t pos = 0;
    int seen = 0;
    bool in_order = true;
    while (pos < a.raw.size()) {
      Parsed p = parseResponse(a.raw.substr(pos));
      if (!p.status) break;
      if (p.status != 404) in_order = false;
      pos += p.length;
      ++seen;
    }
    if (seen != n || !in_order) {
      fail("pipelining", std::to_string(seen) + " answers of " + std::to_string(n), a.raw);
    }
    if (!a.closed) fail("pipelining", "socket left open after Connection: close", "");
  }
  for (const std::string& req :
       {std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        std::string("GET /healthz HTTP/1.0\r\n\r\n")}) {
    ++cases;
    Answer a = exchange(port, {req}, 1, 8, 0, 3000);
    if (!parseResponse(a.raw).status) fail("close: " + req, "no answer", a.raw);
    if (!a.closed) fail("close: " + req, "socket left open", a.raw);
  }
  {
    ++cases;  // keep-alive: two requests in turn on one connection
    Answer a = exchange(port,
                        {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                         "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
                        2, 8, 200, 0);
    std::size_t pos = 0;
    int seen = 0;
    while (pos < a.raw.size()) {
      Parsed p = parseResponse(a.raw.substr(pos));
      if (!p.status) break;
      pos += p.length;
      ++seen;
    }
    if (seen != 2) fail("keep-alive", std::to_string(seen) + " answers of 2", a.raw);
  }

  for (auto& th : slow) th.join();

  // 5. Last, as it crowds out everything else: thousands of connections that send nothing
  // (straight at the portal) or the start of a request head and no more (at nginx, which
  // closes silent ones early when it needs room), then a normal request, answered promptly.
  {
    ++cases;
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;  // our own sockets: as many as we may
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
    const std::size_t wanted = via_nginx ? 2500 : 1500;
    const std::size_t flood_size = std::min<std::size_t>(wanted, files.rlim_cur - 64);
    std::vector<int> flood;
    for (std::size_t i = 0; i < flood_size; ++i) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) break;
      timeval connect_limit{4, 0};  // a full accept queue drops SYNs: one resend is 1 s
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connect_limit, sizeof connect_limit);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        break;
      }
      if (via_nginx) {
        const std::string start = "GET / HTTP/1.1\r\nHost: x\r\n";
        send(fd, start.data(), start.size(), MSG_NOSIGNAL);
      }
      flood.push_back(fd);
    }
    const std::string name = "a normal request after " + std::to_string(flood.size()) +
                             (via_nginx ? " slow heads" : " idle connections");
    Answer a =
        exchange(port, {"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}, 1, 4);
    const Parsed p = parseResponse(a.raw);
    if (p.status != 200 || a.seconds > 2) {
      fail(name,
           p.status ? "answered " + std::to_string(p.status) + " after " +
                          std::to_string(a.seconds) + " s"
           : !a.connected ? "no connection"
           : a.closed     ? "no answer; the portal closed the connection after " +
                            std::to_string(a.seconds) + " s"
                          : "no answer in " + std::to_string(a.seconds) + " s",
           a.raw);
    }
    if (flood.size() < flood_size) {
      fail(name, "stopped accepting after " + std::to_string(flood.size()) + " connections", "");
    }
    for (const int fd : flood) close(fd);
  }
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("%s: %d cases, %d failed, %.1f s\n", via_nginx ? "nginx" : "direct", cases.load(),
              failures.load(), secs);
  return failures == 0 ? 0 : 1;
}
