// Several portal nodes (issue 13): each instance keeps its files in its own DATA_DIR, and what
// one node changes in MariaDB reaches the memory of the others (page cache, working-day
// calendar) within two seconds, without a restart.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "portal/app.h"
#include "tests/e2e/e2e_support.h"

namespace {

namespace fs = std::filesystem;

double gauge(httplib::Client& cli, const std::string& name) {
  auto r = cli.Get("/metrics");
  if (!r) return -1;
  std::smatch m;
  if (!std::regex_search(r->body, m, std::regex("\n" + name + " ([0-9.e+]+)\n"))) return -1;
  return std::stod(m[1]);
}

httplib::Client clientFor(portal::App& app) {
  httplib::Client c("127.0.0.1", app.port());
  c.set_read_timeout(10, 0);
  return c;
}

// A node's cached copy of `path` is dropped within two seconds of a change made elsewhere:
// some request within that time is rendered again (a cache miss).
bool renderedAgainWithin2s(httplib::Client& cli, const std::string& path) {
  const double misses = gauge(cli, "portal_page_cache_misses");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = cli.Get(path);
    if (r && r->status == 200 && gauge(cli, "portal_page_cache_misses") > misses) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

portal::Config nodeConfig(const db::Options& database, const std::string& data_dir) {
  portal::Config c = e2e::testConfig(database);
  c.data_dir = data_dir;
  c.search.index_dir = "";  // from data_dir
  return c;
}

TEST(DataDir, TwoInstancesWithTheirOwnDataDirRunSideBySide) {
  test_support::TestDatabase db_a;
  test_support::TestDatabase db_b;
  e2e::TempDir a;
  e2e::TempDir b;
  portal::App one(nodeConfig(db_a.options(), a.path()));
  portal::App two(nodeConfig(db_b.options(), b.path()));
  one.start();
  two.start();  // before: both in var/index, and Xapian's write lock refused the second
  for (portal::App* app : {&one, &two}) {
    auto cli = clientFor(*app);
    auto r = cli.Get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->body.find("\"galera\":\"not a cluster\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"takes_writes\":true"), std::string::npos) << r->body;
  }
  for (const std::string& dir : {a.path(), b.path()}) {
    EXPECT_TRUE(fs::exists(fs::path(dir) / "index")) << dir;
    EXPECT_TRUE(fs::exists(fs::path(dir) / "tracking-code.key")) << dir;
  }
  one.stop();
  two.stop();
}

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two nodes over one database, each with its own DATA_DIR, one tracking key.
    portal::Config a = nodeConfig(database_.options(), dir_a_.path());
    portal::Config b = nodeConfig(database_.options(), dir_b_.path());
    a.tracking_key_file = b.tracking_key_file = dir_a_.path() + "/shared.key";
    node_a_ = std::make_unique<portal::App>(a);
    node_b_ = std::make_unique<portal::App>(b);
    node_a_->start();
    node_b_->start();
    // Both indexes have applied the demo data and both watchers have read the generations:
    // from here on a cache miss means the change under test.
    for (portal::App* app : {node_a_.get(), node_b_.get()}) {
      auto cli = clientFor(*app);
      for (int i = 0; i < 100; ++i) {
        auto r = cli.Get("/healthz");
        if (r && r->body.find("\"lag\":0") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  }
  void TearDown() override {
    node_a_->stop();
    node_b_->stop();
  }

  // Node b serves `path` from its cache (asked twice: the second is a hit).
  void cachedOnB(const std::string& path) {
    auto cli = clientFor(*node_b_);
    ASSERT_TRUE(cli.Get(path));
    const double hits = gauge(cli, "portal_page_cache_hits");
    ASSERT_TRUE(cli.Get(path));
    ASSERT_GT(gauge(cli, "portal_page_cache_hits"), hits) << "the page is not cached on node b";
  }

  test_support::TestDatabase database_;
  e2e::TempDir dir_a_;
  e2e::TempDir dir_b_;
  std::unique_ptr<portal::App> node_a_;
  std::unique_ptr<portal::App> node_b_;
};

TEST_F(TwoNodes, AStaffWriteOnOneNodeEmptiesThePageCacheOfTheOther) {
  cachedOnB("/departments/zhzf");
  // A staff POST on node a (a login attempt is one): node b must not keep serving its copy.
  auto a = clientFor(*node_a_);
  ASSERT_TRUE(a.Post("/admin/login", "username=x&password=y", "application/x-www-form-urlencoded"));
  auto b = clientFor(*node_b_);
  EXPECT_TRUE(renderedAgainWithin2s(b, "/departments/zhzf"));
}

TEST_F(TwoNodes, ACalendarLoadedElsewhereReachesTheOtherNodeWithoutRestart) {
  cachedOnB("/departments/zhzf");
  // `portal calendar-load` on another machine: its own pool and calendar service.
  std::ifstream in(std::string(PORTAL_SOURCE_DIR) + "/data/cn-workday-calendar.tsv");
  std::stringstream text;
  text << in.rdbuf();
  db::Pool pool(database_.options());
  hotline::CalendarService elsewhere(pool);
  ASSERT_TRUE(elsewhere.loadTsv(text.str(), hotline::CalendarLoadMode::ReplaceYears).ok());
  auto b = clientFor(*node_b_);
  EXPECT_TRUE(renderedAgainWithin2s(b, "/departments/zhzf"))
      << "node b did not reload its calendar (its pages keep the old deadlines)";
}

TEST_F(TwoNodes, TrackingCodesIssuedByOneNodeOpenOnTheOther) {
  auto a = clientFor(*node_a_);
  auto form = a.Get("/complaints/new");
  ASSERT_TRUE(form);
  std::smatch key;
  ASSERT_TRUE(std::regex_search(form->body, key,
                                std::regex("name=\"idempotency_key\" value=\"([^\"]+)\"")));
  std::smatch dept;
  ASSERT_TRUE(std::regex_search(form->body, dept, std::regex("<option value=\"(\\d+)\"")));
  httplib::Params fields{{"department_id", dept[1]},
                         {"category", "noise"},
                         {"description", "夜间施工噪声扰民"},
                         {"location", "新区创新大街88号"},
                         {"idempotency_key", key[1]}};
  auto filed = a.Post("/complaints/new", fields);
  ASSERT_TRUE(filed);
  ASSERT_EQ(filed->status, 200);
  std::smatch number, code;
  ASSERT_TRUE(std::regex_search(filed->body, number,
                                std::regex("class=\"registration-no\">([^<]+)<")));
  ASSERT_TRUE(std::regex_search(filed->body, code, std::regex("class=\"tracking-code\">([^<]+)<")));
  // The same submission retried on the other node: the same number, not a second complaint.
  auto b = clientFor(*node_b_);
  auto again = b.Post("/complaints/new", fields);
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find(number[1].str()), std::string::npos);
  auto tracked = b.Post("/track", httplib::Params{{"registration_no", number[1]},
                                                  {"tracking_code", code[1]}});
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->status, 200) << "node b cannot open a code node a issued";
}

}  // namespace
