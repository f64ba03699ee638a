// The node's page cache as citizens and staff see it: public pages from memory, changed as
// soon as the node's index applies an edit; ETag revalidation; staff and tracking pages never
// cached. And the rule under it: nothing waits for the database on a reactor thread.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <regex>
#include <string>
#include <thread>

#include "db/error.h"
#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/http/server.h"
#include "portal/metrics.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/publishing_service.h"
#include "tests/e2e/e2e_support.h"

namespace {

using Clock = std::chrono::steady_clock;

// Every page the test follows shows the item's name.
const char* const kItem = "CF-ZHZF-0001";
const char* const kFollowed[] = {"/items/zhzf/CF-ZHZF-0001", "/departments/zhzf",
                                 "/api/v1/items/CF-ZHZF-0001", "/feeds/departments/zhzf.atom"};

class PageCache : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    portal_ = new e2e::RunningPortal(config);
    e2e::createStaff(*portal_, "cache_editor", "editor", "zhzf");
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }

  // A gauge from /metrics.
  static double gauge(const std::string& name) {
    auto r = portal_->client().Get("/metrics");
    if (!r) return -1;
    std::smatch m;
    if (!std::regex_search(r->body, m, std::regex("\n" + name + " ([0-9.e+]+)\n"))) return -1;
    return std::stod(m[1]);
  }

  // Publishes a new name for the item the way another node (or an import) would: through the
  // service and the change log, not through this node's HTTP handlers.
  static void renameElsewhere(const std::string& name) {
    portal::publishing::CatalogService catalog(portal_->app().pool());
    auto current = catalog.item("zhzf", kItem);
    ASSERT_TRUE(current);
    portal::publishing::ListItem item = current->item;
    item.name = name;
    item.change_kind = portal::publishing::ChangeKind::Amend;
    item.change_reason = "缓存测试：名称调整";
    portal::publishing::PublishingService publishing(portal_->app().pool(),
                                                     hotline::LocalClock().instantSource());
    const auto result =
        publishing.publishChange(current->department.id, kItem, item, current->item.version);
    ASSERT_TRUE(std::holds_alternative<portal::publishing::Published>(result));
  }

  // Waits until every followed page shows `text`; the time it took, or -1 after 10 s.
  static double secondsUntilAllShow(const std::string& text) {
    const auto start = Clock::now();
    while (Clock::now() - start < std::chrono::seconds(10)) {
      bool all = true;
      for (const char* path : kFollowed) {
        auto r = portal_->client().Get(path);
        all = all && r && r->status == 200 && r->body.find(text) != std::string::npos;
      }
      if (all) return std::chrono::duration<double>(Clock::now() - start).count();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* PageCache::database_ = nullptr;
e2e::RunningPortal* PageCache::portal_ = nullptr;

TEST_F(PageCache, PublicPagesComeFromMemoryAndChangeWhenTheIndexAppliesAnEdit) {
  auto cli = portal_->client();
  for (const char* path : kFollowed) ASSERT_EQ(cli.Get(path)->status, 200) << path;
  const double hits = gauge("portal_page_cache_hits");
  for (const char* path : kFollowed) {
    auto r = cli.Get(path);
    ASSERT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "public, no-cache") << path;
    EXPECT_FALSE(r->get_header_value("ETag").empty()) << path;
  }
  EXPECT_EQ(gauge("portal_page_cache_hits"), hits + 4) << "the second round came from memory";
  EXPECT_GT(gauge("portal_page_cache_bytes"), 0);

  const double applied = gauge("portal_search_applied_seq");
  renameElsewhere("对擅自设置大型户外广告的行政处罚（缓存测试一）");
  const double took = secondsUntilAllShow("（缓存测试一）");
  ASSERT_GE(took, 0) << "a cached page never changed after the edit";
  EXPECT_GT(gauge("portal_search_applied_seq"), applied);
  // The feeder polls every 250 ms; the pages follow it on the next request.
  EXPECT_LT(took, 3.0);
  std::printf("edit visible on all cached pages after %.0f ms\n", took * 1000);
}

TEST_F(PageCache, AnUnchangedPageIs304AndAChangedOne200) {
  auto cli = portal_->client();
  auto first = cli.Get("/items/zhzf/CF-ZHZF-0001");
  ASSERT_EQ(first->status, 200);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());

  auto same = cli.Get("/items/zhzf/CF-ZHZF-0001", {{"If-None-Match", etag}});
  EXPECT_EQ(same->status, 304);
  EXPECT_TRUE(same->body.empty());
  // The page the client holds is not empty: a 304 must not say its length is 0 (RFC 9110,
  // 8.6), which a cache that updates its stored headers from the 304 would believe.
  EXPECT_NE(same->get_header_value("Content-Length"), "0");
  EXPECT_EQ(same->get_header_value("ETag"), etag);
  auto listed = cli.Get("/items/zhzf/CF-ZHZF-0001", {{"If-None-Match", "\"other\", W/" + etag}});
  EXPECT_EQ(listed->status, 304) << "a list of validators, one weak";
  auto other = cli.Get("/items/zhzf/CF-ZHZF-0001", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other->status, 200);

  renameElsewhere("对擅自设置大型户外广告的行政处罚（缓存测试二）");
  ASSERT_GE(secondsUntilAllShow("（缓存测试二）"), 0);
  auto changed = cli.Get("/items/zhzf/CF-ZHZF-0001", {{"If-None-Match", etag}});
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"), etag);
  EXPECT_NE(changed->body.find("（缓存测试二）"), std::string::npos);
}

TEST_F(PageCache, TheEditorSeesTheirOwnEditAtOnce) {
  auto cli = portal_->client();
  ASSERT_EQ(cli.Get("/items/zhzf/CF-ZHZF-0002")->status, 200);  // cached
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("cache_editor"), 303);
  auto form = editor.get("/admin/items/zhzf/CF-ZHZF-0002/edit");
  ASSERT_EQ(form->status, 200);
  std::smatch version;
  ASSERT_TRUE(std::regex_search(form->body, version,
                                std::regex("name=\"expected_version\" value=\"([0-9]+)\"")));
  portal::publishing::CatalogService catalog(portal_->app().pool());
  const std::string name = catalog.item("zhzf", "CF-ZHZF-0002")->item.name + "（本节点编辑）";
  const auto enc = [](const std::string& v) { return httplib::detail::encode_query_param(v); };
  const std::string body =
      "name=" + enc(name) + "&type=cf&implementing_body=" + enc("新区综合行政执法局") +
      "&level=" + enc("区级") + "&legal_bases=" +
      enc("《城市市容和环境卫生管理条例》第十一条：大型户外广告的设置必须征得同意。") +
      "&responsibilities=" + enc("立案责任：发现违法行为，予以审查。") +
      "&accountability=" + enc("对应当立案而不予立案的。") +
      "&supervision_phone=0431-81912345&remarks=&effective_date=2026-12-01&change_kind=amend" +
      "&expected_version=" + version[1].str() + "&change_reason=" + enc("本节点编辑后立即可见");
  auto saved = editor.post("/admin/items/zhzf/CF-ZHZF-0002", body);
  ASSERT_EQ(saved->status, 303) << saved->body;
  auto page = cli.Get("/items/zhzf/CF-ZHZF-0002");
  EXPECT_NE(page->body.find("（本节点编辑）"), std::string::npos)
      << "right after the editor's save, before any index poll";
}

TEST_F(PageCache, TheLargeTextPageIsCachedApartFromTheNormalOne) {
  auto cli = portal_->client();
  auto normal = cli.Get("/departments/zhzf");
  auto large = cli.Get("/departments/zhzf", {{"Cookie", "text_size=large"}});
  auto normal_again = cli.Get("/departments/zhzf");
  ASSERT_EQ(large->status, 200);
  EXPECT_NE(large->body, normal->body);
  EXPECT_EQ(normal_again->body, normal->body);
  EXPECT_EQ(large->get_header_value("Vary"), "Cookie");
}

TEST_F(PageCache, TheHighContrastPageIsCachedApartFromTheOthers) {
  auto cli = portal_->client();
  auto normal = cli.Get("/departments/zhzf");
  auto contrast = cli.Get("/departments/zhzf", {{"Cookie", "contrast=high"}});
  auto both = cli.Get("/departments/zhzf", {{"Cookie", "text_size=large; contrast=high"}});
  auto large = cli.Get("/departments/zhzf", {{"Cookie", "text_size=large"}});
  ASSERT_EQ(contrast->status, 200);
  EXPECT_NE(contrast->body.find("<body class=\"high-contrast\">"), std::string::npos);
  EXPECT_EQ(normal->body.find("high-contrast"), std::string::npos);
  EXPECT_NE(both->body.find("<body class=\"large-text high-contrast\">"), std::string::npos);
  EXPECT_EQ(large->body.find("high-contrast"), std::string::npos)
      << "the large-text page cached after the large+contrast one is not the contrast page";
  EXPECT_EQ(cli.Get("/departments/zhzf")->body, normal->body);
}

TEST_F(PageCache, StaffTrackingAndFormPagesAreNeverCached) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("cache_editor"), 303);
  const double entries_before = gauge("portal_page_cache_entries");
  struct Case {
    std::function<httplib::Result()> request;
    const char* what;
  };
  auto cli = portal_->client();
  const Case cases[] = {
      {[&] { return editor.get("/admin"); }, "staff home"},
      {[&] { return editor.get("/admin/items/zhzf/CF-ZHZF-0001/edit"); }, "staff edit form"},
      {[&] { return editor.get("/admin/complaints"); }, "complaint queue"},
      {[&] { return cli.Get("/track"); }, "tracking form"},
      {[&] {
         return cli.Post("/track", "number=TS-2026-000001&code=ABCDEFGH",
                         "application/x-www-form-urlencoded");
       },
       "tracking answer"},
      {[&] { return cli.Get("/complaints/new"); }, "complaint form"},
      {[&] { return cli.Get("/admin/login"); }, "login form"},
  };
  for (const Case& c : cases) {
    for (int round = 0; round < 2; ++round) {
      auto r = c.request();
      ASSERT_TRUE(r) << c.what;
      EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << c.what;
      EXPECT_TRUE(r->get_header_value("ETag").empty()) << c.what;
    }
  }
  EXPECT_EQ(gauge("portal_page_cache_entries"), entries_before);
}

// The server marks its reactor threads; a handler that would wait for MariaDB there is refused
// at once (500), while the same handler on a worker gets its connection.
TEST(ReactorThread, PoolAcquireIsRefusedOnAReactorThreadAndAllowedOnAWorker) {
  test_support::TestDatabase database;
  db::Pool pool(database.options());
  auto handler = [&pool](const portal::http::Request&) {
    auto conn = pool.acquire();
    return portal::http::Response::text("connected");
  };
  portal::http::Router router;
  router.add({"GET", "/inline", "inline", handler, portal::http::Execution::Inline});
  router.add({"GET", "/worker", "worker", handler, portal::http::Execution::Worker});
  portal::Metrics metrics;
  portal::http::ServerOptions options;
  options.log_requests = false;
  portal::http::Server server(options, router, metrics, {});
  server.start();
  httplib::Client cli("127.0.0.1", server.port());
  const auto started = Clock::now();
  auto inline_answer = cli.Get("/inline");
  ASSERT_TRUE(inline_answer);
  EXPECT_EQ(inline_answer->status, 500);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(1)) << "refused, not waited out";
  auto worker_answer = cli.Get("/worker");
  ASSERT_TRUE(worker_answer);
  EXPECT_EQ(worker_answer->status, 200);
  EXPECT_EQ(worker_answer->body, "connected");
  EXPECT_EQ(pool.stats().in_use, 0);
  server.stop();

  std::thread plain([&pool] { EXPECT_NO_THROW(pool.acquire()); });
  plain.join();
  db::forbidAcquireOnThisThread();
  try {
    pool.acquire();
    ADD_FAILURE() << "acquire() ran on a marked thread";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.code(), db::DbError::kWrongThread);
  }
  db::forbidAcquireOnThisThread(false);
}

}  // namespace
