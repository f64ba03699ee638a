// The HTTP layer as a client sees it: bad bytes, limits, methods, headers, keep-alive.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace {

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
  auto r = cli.Get("/items/%43F-ZHZF-0001");  // %43 is 'C'
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("对擅自设置大型户外广告的行政处罚"), std::string::npos);
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
  const std::string resp =
      raw("POST /items/CF-ZHZF-0001 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(e2e::statusOf(resp), 413);
  auto cli = portal_->client();
  auto r = cli.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(PortalHttp, WrongMethodIs405WithAllow) {
  auto cli = portal_->client();
  auto r = cli.Post("/items/CF-ZHZF-0001", "x=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET");
  EXPECT_NE(r->body.find("不支持该请求方法"), std::string::npos);
}

TEST_F(PortalHttp, HeadAnswersWithoutABody) {
  const std::string resp = raw("HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(e2e::statusOf(resp), 200);
  EXPECT_EQ(resp.find("<html"), std::string::npos);
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
  cli.Get("/items/NO-SUCH");
  auto m = cli.Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("portal_http_requests_total{route=\"item_page\",status=\"404\"}"),
            std::string::npos);
  EXPECT_NE(m->body.find("portal_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m->body.find("portal_db_pool_capacity 4"), std::string::npos);
}

}  // namespace
