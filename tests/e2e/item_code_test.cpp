// Item codes are unique within a department, not across the portal (issue 11): two
// departments' published lists with the same codes both import and publish; each item has its
// own page (/items/{slug}/{code}), API address and search document; the old department-less
// address lists them. And a database (and index) of before the change upgrades in place.
// Real server, real MariaDB, real Xapian index.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "db/connection.h"
#include "db/migrator.h"
#include "db/sql_script.h"
#include "hotline/local_clock.h"
#include "portal/changes/change_log_writer.h"
#include "portal/http/url.h"
#include "portal/indexing/documents.h"
#include "portal/indexing/index_location.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"
#include "portal/publishing/list_import.h"
#include "portal/publishing/publishing_service.h"
#include "search/index_writer.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;
using namespace portal::publishing;

// Two lists numbered the same way, as departments publish them.
const char* const kZhzfList =
    "序号,事项编码,事项名称,事项类型,设定依据,实施主体\n"
    "1,GX-0001,对擅自在桥梁护栏悬挂条幅的行政处罚,行政处罚,"
    "《城市市容和环境卫生管理条例》第十七条,新区综合行政执法局\n"
    "2,GX-0002,对占用人行道堆放建筑材料的行政处罚,行政处罚,"
    "《城市道路管理条例》第二十七条,新区综合行政执法局\n";
const char* const kSthjList =
    "序号,事项编码,事项名称,事项类型,设定依据,实施主体\n"
    "1,GX-0001,对露天焚烧沥青油毡的行政处罚,行政处罚,"
    "《中华人民共和国大气污染防治法》第一百一十九条,新区生态环境局\n"
    "2,GX-0002,排污许可证核发,行政许可,《排污许可管理条例》第三条,新区生态环境局\n";

json apiSearch(e2e::RunningPortal& portal, const std::string& text) {
  auto r = portal.client().Get(("/api/v1/search?q=" + percentEncode(text)).c_str());
  if (!r || r->status != 200) return json::object();
  return json::parse(r->body);
}

// The hits' urls for `text`, once `url` is among them (the index catches up; 10 s at most).
std::vector<std::string> hitUrlsWith(e2e::RunningPortal& portal, const std::string& text,
                                     const std::string& url) {
  std::vector<std::string> urls;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    urls.clear();
    const json result = apiSearch(portal, text);
    for (const auto& h : result.value("hits", json::array())) urls.push_back(h.value("url", ""));
    if (std::find(urls.begin(), urls.end(), url) != urls.end()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return urls;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(ItemCodes, TwoDepartmentsListsWithTheSameCodesBothPublishAndEachKeepsItsOwnItem) {
  test_support::TestDatabase database;
  e2e::RunningPortal portal(e2e::testConfig(database.options()));
  CatalogService catalog(portal.app().pool());
  ImportService imports(portal.app().pool());
  ApplyRequest request;
  request.reason = "导入已公布的清单";
  for (const auto& [slug, list] :
       {std::pair<std::string, std::string>{"zhzf", kZhzfList}, {"sthj", kSthjList}}) {
    const auto report = imports.apply(catalog.department(slug)->id, list, request);
    ASSERT_TRUE(report.applied) << slug << ": "
                                << (report.errors.empty() ? "" : report.errors[0].message);
  }
  // The same file again: matched by code within the department, nothing changes.
  EXPECT_EQ(imports.preview(catalog.department("sthj")->id, kSthjList).changeCount(), 0);

  auto cli = portal.client();
  auto zhzf = cli.Get("/items/zhzf/GX-0001");
  auto sthj = cli.Get("/items/sthj/GX-0001");
  ASSERT_TRUE(zhzf && sthj);
  ASSERT_EQ(zhzf->status, 200);
  ASSERT_EQ(sthj->status, 200);
  EXPECT_NE(zhzf->body.find("对擅自在桥梁护栏悬挂条幅的行政处罚"), std::string::npos);
  EXPECT_EQ(zhzf->body.find("对露天焚烧沥青油毡的行政处罚"), std::string::npos);
  EXPECT_NE(sthj->body.find("对露天焚烧沥青油毡的行政处罚"), std::string::npos);
  EXPECT_NE(sthj->body.find("href=\"/items/sthj/GX-0001/history\""), std::string::npos);
  EXPECT_EQ(cli.Get("/items/zjj/GX-0001")->status, 404);
  auto history = cli.Get("/items/sthj/GX-0001/history");
  ASSERT_EQ(history->status, 200);
  EXPECT_NE(history->body.find("对露天焚烧沥青油毡的行政处罚"), std::string::npos);

  // The old address: both departments' items to choose from.
  for (const std::string suffix : {"", "/history"}) {
    auto both = cli.Get(("/items/GX-0001" + suffix).c_str());
    ASSERT_TRUE(both);
    EXPECT_EQ(both->status, 200) << suffix;
    EXPECT_NE(both->body.find("href=\"/items/zhzf/GX-0001" + suffix + "\""), std::string::npos);
    EXPECT_NE(both->body.find("href=\"/items/sthj/GX-0001" + suffix + "\""), std::string::npos);
    EXPECT_NE(both->body.find(catalog.department("sthj")->name + "：对露天焚烧沥青油毡的行政处罚"),
              std::string::npos);
  }
  // One department has the code: the old address moved (301), the query kept.
  auto moved = cli.Get("/items/CF-ZHZF-0001/history?to=1");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->get_header_value("Location"), "/items/zhzf/CF-ZHZF-0001/history?to=1");
  EXPECT_EQ(cli.Get("/items/NO-SUCH-CODE")->status, 404);

  // The API: the department's address; the old one answers when one department has the code,
  // and 409 with the choices when several do.
  auto api = cli.Get("/api/v1/departments/sthj/items/GX-0001");
  ASSERT_EQ(api->status, 200);
  EXPECT_EQ(json::parse(api->body)["name"], "对露天焚烧沥青油毡的行政处罚");
  EXPECT_EQ(json::parse(api->body)["url"], "/items/sthj/GX-0001");
  auto versions = cli.Get("/api/v1/departments/zhzf/items/GX-0002/versions/1");
  ASSERT_EQ(versions->status, 200);
  EXPECT_EQ(json::parse(versions->body)["name"], "对占用人行道堆放建筑材料的行政处罚");
  auto ambiguous = cli.Get("/api/v1/items/GX-0001");
  ASSERT_EQ(ambiguous->status, 409);
  const json choices = json::parse(ambiguous->body);
  ASSERT_EQ(choices["items"].size(), 2u);
  EXPECT_EQ(choices["items"][0]["api_url"], "/api/v1/departments/zhzf/items/GX-0001");
  EXPECT_EQ(choices["items"][1]["api_url"], "/api/v1/departments/sthj/items/GX-0001");
  EXPECT_EQ(cli.Get("/api/v1/items/GX-0001/versions")->status, 409);
  auto unique = cli.Get("/api/v1/items/CF-ZHZF-0002");
  ASSERT_EQ(unique->status, 200);
  EXPECT_EQ(json::parse(unique->body),
            json::parse(cli.Get("/api/v1/departments/zhzf/items/CF-ZHZF-0002")->body));

  // Search: two documents, each linking its own page.
  const auto bridge = hitUrlsWith(portal, "桥梁护栏悬挂条幅", "/items/zhzf/GX-0001");
  EXPECT_TRUE(has(bridge, "/items/zhzf/GX-0001"));
  EXPECT_FALSE(has(bridge, "/items/sthj/GX-0001"));
  const auto asphalt = hitUrlsWith(portal, "露天焚烧沥青油毡", "/items/sthj/GX-0001");
  EXPECT_TRUE(has(asphalt, "/items/sthj/GX-0001"));
  EXPECT_FALSE(has(asphalt, "/items/zhzf/GX-0001"));

  // A department still cannot hold one code twice.
  auto item = catalog.item("zhzf", "GX-0001")->item;
  item.name = "另一个事项";
  item.change_reason = "新增";
  const auto twice = PublishingService(portal.app().pool(), hotline::LocalClock().instantSource()).create(item);
  ASSERT_TRUE(std::holds_alternative<Refused>(twice));
  EXPECT_EQ(std::get<Refused>(twice).status, 409);
}

// A database and index written before codes were per department: migration 0027 lets two
// departments share a code, rewrites the change log's item keys, and the running node's index
// replaces its old item documents by new ones from the log, without a reindex.
TEST(ItemCodes, ADatabaseAndIndexOfBeforeTheChangeUpgradeInPlace) {
  test_support::TestDatabase database(false);
  db::Connection conn(database.options());
  conn.executeRaw(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY,"
      " name VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
  for (const db::Migration& m : db::knownMigrations()) {
    if (m.version > 26) break;
    for (const std::string& stmt : db::splitSqlScript(m.sql)) conn.executeRaw(stmt);
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name);
  }

  // What the old binary wrote: a department, an item, their change-log rows keyed by slug and
  // by code, and an index holding the item as "item:<code>".
  Department dept;
  dept.slug = "old";
  dept.name = "新区城市管理局";
  dept.short_name = "城管局";
  dept.description = "升级测试部门";
  dept.complaint_scope = "市容";
  dept.id = DepartmentStore(conn).insert(dept);
  ListItem item;
  item.code = "OLD-0001";
  item.department_id = dept.id;
  item.name = "对在树木上悬挂横幅标语的行政处罚";
  item.type = "cf";
  item.implementing_body = dept.name;
  item.effective_date = "2026-01-01";
  item.change_reason = "权责清单首次公布";
  ItemStore(conn).insertPublished(item);
  portal::changes::ChangeLogWriter log(conn);
  const auto dept_seq = log.record(portal::changes::DocKind::Department, dept.slug, false);
  const auto item_seq = log.record(portal::changes::DocKind::Item, item.code, false);

  e2e::TempDir dir;
  const std::string index = dir.path() + "/index";
  portal::indexing::ensureIndex(index);
  {
    search::IndexWriter writer(portal::indexing::currentIndexDir(index));
    search::Document old = portal::indexing::itemDocument(item, dept);
    old.id = "item:" + item.code;
    old.url = "/items/" + item.code;
    writer.apply({search::Change::upsert(dept_seq, portal::indexing::departmentDocument(dept)),
                  search::Change::upsert(item_seq, old)});
  }

  const auto newer = std::count_if(db::knownMigrations().begin(), db::knownMigrations().end(),
                                   [](const db::Migration& m) { return m.version > 26; });
  EXPECT_EQ(db::migrate(conn), newer);  // 0027 and every later one (numbers may skip)
  EXPECT_EQ(db::appliedVersion(conn), db::latestKnownVersion());
  db::Rows key = conn.query("SELECT doc_key FROM search_changes WHERE seq = ?",
                            static_cast<std::int64_t>(item_seq));
  ASSERT_TRUE(key.next());
  EXPECT_EQ(key.str("doc_key"), std::to_string(dept.id) + "/OLD-0001");

  portal::Config config = e2e::testConfig(database.options());
  config.load_demo_data = false;
  config.search.index_dir = index;
  e2e::RunningPortal portal(config);
  const auto banner = hitUrlsWith(portal, "树木上悬挂横幅标语", "/items/old/OLD-0001");
  EXPECT_TRUE(has(banner, "/items/old/OLD-0001")) << "indexed anew from the log";
  EXPECT_FALSE(has(banner, "/items/OLD-0001")) << "the old document is gone";
  auto moved = portal.client().Get("/items/OLD-0001");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->get_header_value("Location"), "/items/old/OLD-0001");

  // Another department may now use the same code.
  Department other = dept;
  other.slug = "other";
  other.name = "新区交通运输局";
  other.id = DepartmentStore(conn).insert(other);
  ListItem same = item;
  same.department_id = other.id;
  same.name = "对在公路用地范围内设置标语的行政处罚";
  EXPECT_TRUE(
      std::holds_alternative<Published>(PublishingService(portal.app().pool(), hotline::LocalClock().instantSource()).create(same)));
  EXPECT_TRUE(has(hitUrlsWith(portal, "OLD-0001", "/items/other/OLD-0001"), "/items/old/OLD-0001"));
}

// Regression (security review): /items/{slug}/history was always the old address of an item
// coded {slug}, so a department's item coded "history" had no page. It has now, its history
// is at /items/{slug}/history/history, and the old addresses still move on as before.
TEST(ItemCodes, AnItemCodedHistoryHasItsPageAndItsHistory) {
  test_support::TestDatabase database;
  e2e::RunningPortal portal(e2e::testConfig(database.options()));
  CatalogService catalog(portal.app().pool());
  ImportService imports(portal.app().pool());
  ApplyRequest request;
  request.reason = "导入已公布的清单";
  const std::string list =
      "序号,事项编码,事项名称,事项类型,设定依据,实施主体\n"
      "1,history,对未按规定保存历史档案的行政处罚,行政处罚,"
      "《中华人民共和国档案法》第四十八条,新区生态环境局\n";
  const auto report = imports.apply(catalog.department("sthj")->id, list, request);
  ASSERT_TRUE(report.applied) << (report.errors.empty() ? "" : report.errors[0].message);

  auto cli = portal.client();
  auto page = cli.Get("/items/sthj/history");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("对未按规定保存历史档案的行政处罚"), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/items/sthj/history/history\""), std::string::npos);
  auto history = cli.Get("/items/sthj/history/history");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->status, 200);
  EXPECT_NE(history->body.find("对未按规定保存历史档案的行政处罚"), std::string::npos);
  EXPECT_NE(history->body.find("：变更记录</h1>"), std::string::npos);

  // The old addresses: of the item coded "history", and of another item's history.
  auto moved = cli.Get("/items/history");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->get_header_value("Location"), "/items/sthj/history");
  auto old_history = cli.Get("/items/CF-ZHZF-0001/history?to=1");
  ASSERT_TRUE(old_history);
  EXPECT_EQ(old_history->status, 301);
  EXPECT_EQ(old_history->get_header_value("Location"), "/items/zhzf/CF-ZHZF-0001/history?to=1");
  // A department without such an item: still the old address of the code, here unknown.
  auto unknown = cli.Get("/items/zhzf/history");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("未找到该事项"), std::string::npos);
}

}  // namespace
