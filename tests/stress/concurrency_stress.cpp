// Concurrency stress for ThreadSanitizer (built by -DPORTAL_TSAN=ON, run by scripts/tsan-stress):
// many threads render through one templates::Renderer and search through one
// indexing::SearchService (zero-hit searches counted, the synonym table swapped by an
// administrator's change meanwhile), as the HTTP workers do. Exit 0 and no "WARNING:
// ThreadSanitizer" report: no data race on those paths. Needs the test MariaDB
// (PORTAL_TEST_DB_*), like the other database tests.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/accounts/audit_store.h"
#include "portal/indexing/index_location.h"
#include "portal/indexing/search_service.h"
#include "search/index_writer.h"
#include "templates/renderer.h"
#include "tests/support/test_database.h"

namespace {

constexpr int kThreads = 8;
constexpr int kRendersPerThread = 150;
constexpr int kSearchesPerThread = 40;

std::vector<search::Change> documents() {
  std::vector<search::Change> out;
  const char* names[] = {"对擅自设置大型户外广告设施的行政处罚", "对建筑工程施工许可的行政检查",
                         "对无证行医的行政处罚", "对噪音扰民的行政处罚"};
  std::uint64_t seq = 0;
  for (const char* name : names) {
    search::Document d;
    d.id = "item:STRESS-" + std::to_string(seq);
    d.kind = "item";
    d.title = name;
    d.url = "/items/STRESS-" + std::to_string(seq);
    d.fields.push_back({"description", std::string(name) + "，依法实施。", 1});
    d.date = "2026-01-15";
    out.push_back(search::Change::upsert(++seq, d));
  }
  return out;
}

}  // namespace

int main() {
  test_support::TestDatabase database;
  db::Options options = database.options();
  options.pool_size = 4;
  db::Pool pool(options);

  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("portal-stress-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::create_directories(dir);
  const std::string index = dir + "/index";
  portal::indexing::ensureIndex(index);
  {
    search::IndexWriter writer(portal::indexing::currentIndexDir(index));
    writer.apply(documents());
  }

  templates::Renderer renderer;
  int failures = 0;
  {
    portal::indexing::SearchService searching(pool, index, hotline::LocalClock().instantSource(),
                                              std::chrono::milliseconds(20),
                                              std::chrono::milliseconds(20));
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::vector<std::string> names = renderer.names();
        for (int i = 0; i < kRendersPerThread; ++i) {
          const std::string& name = names[static_cast<std::size_t>(i + t) % names.size()];
          nlohmann::json view = {{"title", "压力测试 " + std::to_string(i)},
                                 {"items", nlohmann::json::array({{{"name", "<事项>"}}})}};
          try {
            if (renderer.render(name, view).empty() && name.rfind("part_", 0) != 0) ++bad;
          } catch (const std::exception& e) {
            std::fprintf(stderr, "render %s: %s\n", name.c_str(), e.what());
            ++bad;
          }
        }
        for (int i = 0; i < kSearchesPerThread; ++i) {
          search::SearchRequest r;
          r.q = i % 3 == 0 ? "查无此词" + std::to_string(t) : (i % 3 == 1 ? "野广告" : "施工许可");
          searching.search(r);
        }
      });
    }
    // An administrator changes the synonyms meanwhile: the table is swapped under the searches.
    for (int i = 0; i < 5; ++i) {
      portal::accounts::AuditEntry audit;
      audit.username = "stress";
      audit.action = "synonym.save";
      const auto errors = searching.saveSynonym("乱贴广告", "户外广告|广告设施", audit);
      if (!errors.empty()) ++bad;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& t : threads) t.join();
    failures = bad;
  }  // the service flushes the zero-hit counts and stops its loop

  std::filesystem::remove_all(dir);
  std::printf("concurrency stress: %d threads x (%d renders + %d searches), %d failures\n",
              kThreads, kRendersPerThread, kSearchesPerThread, failures);
  return failures == 0 ? 0 : 1;
}
