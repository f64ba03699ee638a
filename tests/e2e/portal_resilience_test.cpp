// The portal when MariaDB goes away and comes back, and when more requests arrive than it can
// queue: 503 with a Chinese message, never a hang or a crash, and recovery without a restart.
#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "tests/e2e/e2e_support.h"

namespace {

// An account of its own for the portal under test, so it can be locked out and let back in.
struct AppAccount {
  std::string user;
  explicit AppAccount(const std::string& schema) : user("u_" + schema.substr(2)) {
    test_support::adminExecute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'pw'");
    test_support::adminExecute("GRANT ALL ON `" + schema + "`.* TO '" + user + "'@'localhost'");
  }
  ~AppAccount() { test_support::adminExecute("DROP USER IF EXISTS '" + user + "'@'localhost'"); }
  void lockOutAndDisconnect(const db::Options& admin) {
    test_support::adminExecute("ALTER USER '" + user + "'@'localhost' ACCOUNT LOCK");
    db::Connection conn(admin);
    db::Rows r = conn.query("SELECT id FROM information_schema.processlist WHERE user = ?", user);
    while (r.next()) test_support::adminExecute("KILL " + std::to_string(r.i64("id")));
  }
  void letBackIn() {
    test_support::adminExecute("ALTER USER '" + user + "'@'localhost' ACCOUNT UNLOCK");
  }
};

TEST(PortalResilience, DatabaseGoneGives503AndItsReturnGives200WithoutRestart) {
  test_support::TestDatabase database;
  AppAccount account(database.name());
  db::Options app_db = database.options();
  app_db.user = account.user;
  app_db.password = "pw";
  app_db.connect_timeout_s = 2;
  portal::Config config = e2e::testConfig(app_db);
  config.open311.api_keys = {"outage-key"};
  e2e::RunningPortal portal(config);
  auto cli = portal.client();

  auto before = cli.Get("/healthz");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200);

  account.lockOutAndDisconnect(database.options());
  auto health = cli.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_NE(health->body.find("unreachable"), std::string::npos);
  auto page = cli.Get("/departments/zhzf");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 503);
  EXPECT_NE(page->body.find("服务暂时不可用"), std::string::npos);
  EXPECT_EQ(page->body.find("connect failed"), std::string::npos) << "no internal text";
  auto api = cli.Get("/api/v1/departments");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503);
  EXPECT_EQ(api->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_FALSE(api->get_header_value("Retry-After").empty());
  // Open311 clients get the spec's error list, and when to try again.
  auto post = cli.Post("/open311/v2/requests.json",
                       "api_key=outage-key&service_code=noise&description=x&address_string=y",
                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 503);
  EXPECT_EQ(post->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(post->body.rfind("[{\"code\":503,\"description\":\"", 0), 0u) << post->body;
  EXPECT_FALSE(post->get_header_value("Retry-After").empty());
  auto xml = cli.Get("/open311/v2/requests.xml");
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->status, 503);
  EXPECT_NE(xml->body.find("<errors><error><code>503</code>"), std::string::npos) << xml->body;

  account.letBackIn();
  auto after = cli.Get("/healthz");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  auto page_after = cli.Get("/departments/zhzf");
  ASSERT_TRUE(page_after);
  EXPECT_EQ(page_after->status, 200);
}

TEST(PortalResilience, AFullQueueAnswers503WithRetryAfterAndTheRestAreServed) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.server.workers = 1;
  config.server.queue_limit = 1;
  e2e::RunningPortal portal(config);

  // Hold a write lock so the one worker blocks inside its query.
  db::Connection locker(database.options());
  locker.executeRaw("LOCK TABLES departments WRITE");
  std::vector<std::future<std::pair<int, std::string>>> answers;
  for (int i = 0; i < 4; ++i) {
    answers.push_back(std::async(std::launch::async, [&portal] {
      auto cli = portal.client();
      auto r = cli.Get("/api/v1/departments");
      return r ? std::make_pair(r->status, r->get_header_value("Retry-After"))
               : std::make_pair(0, std::string());
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  // Two are held (one running, one queued); the others were refused at once.
  int refused = 0;
  for (auto& a : answers) {
    if (a.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) continue;
    const auto [status, retry_after] = a.get();
    EXPECT_EQ(status, 503);
    EXPECT_EQ(retry_after, "2");
    ++refused;
  }
  EXPECT_EQ(refused, 2);
  locker.executeRaw("UNLOCK TABLES");
  int served = 0;
  for (auto& a : answers) {
    if (a.valid() && a.get().first == 200) ++served;
  }
  EXPECT_EQ(served, 2);

  auto cli = portal.client();
  const std::string resp = e2e::rawExchange(
      portal.port(), "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_NE(resp.find("route=\"overloaded\",status=\"503\"} 2"), std::string::npos);
}

}  // namespace
