// The HTTP layer as a client sees it: bad bytes, limits, methods, headers, keep-alive.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_support.h"

namespace {

struct UntilClose {
  std::string data;
  bool closed = false;  // the server closed the connection within the time limit
};

// Sends `request` and reads until the server closes the connection or `limit` passes.
UntilClose readUntilClose(int port, const std::string& request,
                          std::chrono::milliseconds limit = std::chrono::seconds(3)) {
  UntilClose out;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[8192];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      out.closed = n == 0;
      break;
    }
    out.data.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return out;
}

class PortalHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal_ = new e2e::RunningPortal(e2e::testConfig(database_->options()));
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }
  static std::string raw(const std::string& request) {
    return e2e::rawExchange(portal_->port(), request);
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* PortalHttp::database_ = nullptr;
e2e::RunningPortal* PortalHttp::portal_ = nullptr;

TEST_F(PortalHttp, MalformedOrInvalidUrlsAre400InChinese) {
  for (const char* target : {"/items/%zz", "/items/%E5%BB", "/items/%FF%FE",
                             "/departments/zhzf?type=%G1", "/items/a%00b"}) {
    const std::string resp =
        raw(std::string("GET ") + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(e2e::statusOf(resp), 400) << target;
    EXPECT_NE(resp.find("编码无效"), std::string::npos) << target;
  }
}

TEST_F(PortalHttp, PercentEncodedPathsAndQueriesAreDecoded) {
  auto cli = portal_->client();
  auto r = cli.Get("/items/zhzf/%43F-ZHZF-0001");  // %43 is 'C'
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("对擅自设置大型户外广告的行政处罚"), std::string::npos);
}

// Chinese typed straight into a URL (curl sends it as raw UTF-8) is read as UTF-8; bytes that
// are not UTF-8 are still refused.
TEST_F(PortalHttp, RawChineseInTheUrlIsSearched) {
  const std::string page =
      raw("GET /search?q=\xe6\x88\xb7\xe5\xa4\x96\xe5\xb9\xbf\xe5\x91\x8a HTTP/1.1\r\nHost: t\r\n"
          "Connection: close\r\n\r\n");  // 户外广告
  EXPECT_EQ(e2e::statusOf(page), 200) << page.substr(0, 300);
  EXPECT_NE(page.find("value=\"户外广告\""), std::string::npos) << "the query, decoded";
  const std::string bad = raw("GET /search?q=\xe6\x88 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(bad), 400);
  EXPECT_NE(bad.find("编码无效"), std::string::npos);
}

TEST_F(PortalHttp, OverlongUrlIs414) {
  const std::string target = "/items/" + std::string(5000, 'A');
  const std::string resp =
      raw("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(resp), 414);
  EXPECT_NE(resp.find("请求地址过长"), std::string::npos);
}

TEST_F(PortalHttp, BodyOverTheLimitIsRefusedAndTheServerStaysUp) {
  const std::string body(100 * 1024, 'x');
  const std::string resp = raw(
      "POST /items/zhzf/CF-ZHZF-0001 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(e2e::statusOf(resp), 413);
  auto cli = portal_->client();
  auto r = cli.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(PortalHttp, WrongMethodIs405WithAllow) {
  auto cli = portal_->client();
  auto r = cli.Post("/items/zhzf/CF-ZHZF-0001", "x=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD");  // GET routes answer HEAD too
  EXPECT_NE(r->body.find("不支持该请求方法"), std::string::npos);
}

TEST_F(PortalHttp, HeadAnswersWithoutABodyButWithTheLengthOfTheGetBody) {
  auto cli = portal_->client();
  for (const char* path : {"/", "/departments/zhzf", "/api/v1/departments", "/static/site.css"}) {
    auto got = cli.Get(path);
    ASSERT_TRUE(got) << path;
    const std::string resp =
        raw(std::string("HEAD ") + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(e2e::statusOf(resp), 200) << path;
    // A client (a link checker, a download manager) reads the size from a HEAD: it must be the
    // size of what a GET returns, never 0.
    EXPECT_NE(resp.find("Content-Length: " + std::to_string(got->body.size()) + "\r\n"),
              std::string::npos)
        << path << "\n" << resp;
    EXPECT_EQ(resp.find("Content-Length: 0\r\n"), std::string::npos) << resp;
    EXPECT_NE(resp.find("Content-Type: " + got->get_header_value("Content-Type")),
              std::string::npos)
        << resp;
    EXPECT_NE(resp.find("X-Content-Type-Options: nosniff"), std::string::npos) << resp;
    EXPECT_EQ(resp.substr(resp.find("\r\n\r\n") + 4), "") << path;  // no body
  }
  // A page missing answers 404 to HEAD too, its length that of the GET's error page.
  const std::string missing =
      raw("HEAD /no-such-page HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(missing), 404);
  EXPECT_EQ(missing.find("Content-Length: 0\r\n"), std::string::npos) << missing;
}

TEST_F(PortalHttp, HeadOnAKeptAliveConnectionIsFollowedByTheNextAnswer) {
  // Two requests on one connection: the HEAD's answer has no body, so the GET's answer must
  // follow right after its head (a client that trusted a body of Content-Length bytes would
  // read the next answer as that body; that is why the head must end where it ends).
  const std::string both = e2e::rawExchange(
      portal_->port(),
      "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
      /*until_close=*/true);
  const auto first_end = both.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos) << both;
  EXPECT_EQ(both.compare(first_end + 4, 9, "HTTP/1.1 "), 0) << both;
}

TEST_F(PortalHttp, EveryAnswerCarriesSecurityHeadersAndARequestId) {
  auto cli = portal_->client();
  for (const char* path : {"/", "/no-such-page", "/api/v1/departments", "/static/site.css"}) {
    auto r = cli.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_NE(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_FALSE(r->get_header_value("X-Request-Id").empty()) << path;
  }
  httplib::Headers given{{"X-Request-Id", "abc-123"}};
  auto r = cli.Get("/healthz", given);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "abc-123");
}

TEST_F(PortalHttp, KeepAliveServesSeveralRequestsOnOneConnection) {
  // httplib's client keeps its connection open between calls when asked to.
  auto cli = portal_->client();
  cli.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto r = cli.Get("/healthz", httplib::Headers{{"Connection", "keep-alive"}});
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->get_header_value("Connection"), "close") << i;
  }
}

TEST_F(PortalHttp, MetricsCountRequestsByRouteAndStatus) {
  auto cli = portal_->client();
  cli.Get("/items/zhzf/NO-SUCH");
  auto m = cli.Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("portal_http_requests_total{route=\"item_page\",status=\"404\"}"),
            std::string::npos);
  EXPECT_NE(m->body.find("portal_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m->body.find("portal_db_pool_capacity 4"), std::string::npos);
}

TEST_F(PortalHttp, MalformedCookiesAndAcceptHeadersAreIgnored) {
  for (const char* header : {"Cookie: consent", "Cookie: a=1; consent", "Cookie: ;;=;",
                             "Accept: text/html;q=abc", "Accept: */*;q=-5"}) {
    const std::string resp =
        raw(std::string("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n") + header + "\r\n\r\n");
    EXPECT_EQ(e2e::statusOf(resp), 200) << header;
  }
}

TEST_F(PortalHttp, BadContentLengthAndTransferEncodingAre400InChinese) {
  for (const char* header : {"Content-Length: -1", "Content-Length: 9223372036854775808",
                             "Content-Length: 99999999999999999999999", "Transfer-Encoding: gzip"}) {
    const std::string resp = raw(std::string("POST /track HTTP/1.1\r\nHost: t\r\n") + header +
                                 "\r\n\r\n");
    EXPECT_EQ(e2e::statusOf(resp), 400) << header;
    EXPECT_NE(resp.find("lang=\"zh-CN\""), std::string::npos) << header;
    EXPECT_NE(resp.find("X-Content-Type-Options: nosniff"), std::string::npos) << header;
    EXPECT_EQ(resp.find("stoull"), std::string::npos) << header;
    EXPECT_EQ(resp.find("basic_string"), std::string::npos) << header;
  }
  const std::string api = raw("GET /api/v1/departments HTTP/2.0\r\nHost: t\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(api), 400);
  EXPECT_NE(api.find("{\"error\":{"), std::string::npos) << api;
}

TEST_F(PortalHttp, UnknownMethodsAre405InOurFormat) {
  const std::string resp = raw("PROPFIND /items/zhzf/CF-ZHZF-0001 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(resp), 405);
  EXPECT_NE(resp.find("Allow: GET, HEAD"), std::string::npos) << resp;
  EXPECT_NE(resp.find("不支持该请求方法"), std::string::npos);
}

// OPTIONS asks which methods a page (or, with "*", the server) takes: a client or a monitor
// probing the server gets the list, not a refusal (RFC 9110, 9.3.7).
TEST_F(PortalHttp, OptionsNamesTheMethodsOfTheServerAndOfAPage) {
  const std::string server = raw("OPTIONS * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(server), 204) << server;
  EXPECT_NE(server.find("Allow: GET, HEAD, POST, OPTIONS"), std::string::npos) << server;
  // A 204 has no body, and says nothing of its length (RFC 9110, 8.6: must not).
  EXPECT_EQ(server.find("Content-Length"), std::string::npos) << server;

  const std::string page =
      raw("OPTIONS /items/zhzf/CF-ZHZF-0001 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(page), 204) << page;
  EXPECT_NE(page.find("Allow: GET, HEAD, OPTIONS"), std::string::npos) << page;

  const std::string form =
      raw("OPTIONS /complaints/new HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(form), 204) << form;
  EXPECT_NE(form.find("POST"), std::string::npos) << form;

  EXPECT_EQ(e2e::statusOf(raw("OPTIONS /no-such-page HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")),
            404);
  // "*" is a target for OPTIONS only.
  EXPECT_EQ(e2e::statusOf(raw("GET * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")), 400);
}

TEST_F(PortalHttp, PipelinedRequestsAreAnsweredInOrder) {
  std::string requests;
  for (const char* path : {"/healthz", "/no-such-page", "/static/site.css", "/healthz"}) {
    requests += std::string("GET ") + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  requests += "GET /no-such-page HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  const UntilClose resp = readUntilClose(portal_->port(), requests);
  std::vector<int> statuses;
  for (std::size_t pos = resp.data.find("HTTP/1.1 "); pos != std::string::npos;
       pos = resp.data.find("HTTP/1.1 ", pos + 1)) {
    statuses.push_back(std::stoi(resp.data.substr(pos + 9, 3)));
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 404, 200, 200, 404}));
  EXPECT_TRUE(resp.closed) << "closed after the last, which asked for it";
}

// RFC 9110 15.2 and 10.1.1: HTTP/1.0 has no 1xx answers; a server must ignore an HTTP/1.0
// client's "Expect: 100-continue" and never send it "100 Continue", which such a client takes
// for the final answer (status 100, the real answer then read as its body or lost).
TEST_F(PortalHttp, Http10ClientsGetNo100ContinueOnlyTheFinalAnswer) {
  for (const int minor : {1, 0}) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(portal_->port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string head = "POST /track HTTP/1." + std::to_string(minor) +
                             "\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                             "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n";
    send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    std::string interim;
    char buf[8192];
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) > 0) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0) interim.assign(buf, static_cast<std::size_t>(n));
    }
    if (minor == 1) {
      EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    } else {
      EXPECT_EQ(interim, "") << "an HTTP/1.0 client was sent a 1xx answer";
    }
    send(fd, "a=1", 3, MSG_NOSIGNAL);
    std::string answer;
    while (poll(&p, 1, 3000) > 0) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      answer.append(buf, static_cast<std::size_t>(n));
      if (minor == 1 && answer.find("\r\n\r\n") != std::string::npos) break;
    }
    close(fd);
    const std::string final_answer = minor == 1 ? answer : interim + answer;
    const int status = e2e::statusOf(final_answer);
    EXPECT_GE(status, 200) << "HTTP/1." << minor << ": " << final_answer.substr(0, 40);
    EXPECT_EQ(final_answer.rfind("HTTP/1." + std::to_string(minor) + " ", 0), 0u);
  }
}

TEST_F(PortalHttp, ConnectionCloseAndHttp10CloseTheSocketAtOnce) {
  for (const char* request : {"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                              "GET /healthz HTTP/1.0\r\n\r\n"}) {
    const UntilClose resp = readUntilClose(portal_->port(), request);
    EXPECT_EQ(e2e::statusOf(resp.data), 200) << request;
    EXPECT_TRUE(resp.closed) << request;
  }
  // Keep-alive is the HTTP/1.1 default: the socket stays open for the next request.
  const UntilClose open = readUntilClose(portal_->port(), "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
                                         std::chrono::milliseconds(500));
  EXPECT_EQ(e2e::statusOf(open.data), 200);
  EXPECT_FALSE(open.closed);
}

// Regression: /healthz took a second pool connection (the SMS backlog) while holding one, so
// eight health checks at once held the whole eight-connection pool, waited for a ninth and
// reported the database unreachable while it was fine.
TEST_F(PortalHttp, SixteenConcurrentHealthChecksAllAnswer200) {
  portal::Config config = e2e::testConfig(database_->options());
  config.server.workers = 8;  // the production defaults: as many workers as connections
  config.db.pool_size = 8;
  e2e::RunningPortal portal(config);
  std::atomic<int> ok{0};
  std::atomic<int> other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      auto cli = portal.client();
      for (int k = 0; k < 3; ++k) {
        auto r = cli.Get("/healthz");
        (r && r->status == 200 ? ok : other)++;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, 48);
  EXPECT_EQ(other, 0);
}

}  // namespace
