// Freshness under load, for bench/search.sh: publishes N new list items one after another
// through PublishingService (as the admin pages do: version, change log, one transaction) and
// polls the search API of a running portal until each is found. Prints p50/p99/max of the time
// from the commit to the first answer that holds the item.
// Usage: bench_freshness PORT [N]   (database from PORTAL_DB_* settings, with bench_corpus's
// departments)
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/config.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/publishing_service.h"

extern char** environ;

using namespace portal::publishing;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_freshness PORT [N]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int n = argc > 2 ? std::atoi(argv[2]) : 40;
  portal::Config config;
  portal::applyEnvironment(config, environ);
  db::initDriver();
  db::Pool pool(config.db);
  const auto department = CatalogService(pool).department("bench0");
  if (!department) {
    std::fprintf(stderr, "no department bench0: run bench_corpus first\n");
    return 2;
  }
  PublishingService publishing(pool, hotline::LocalClock().instantSource());
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  const std::string run = std::to_string(std::time(nullptr) % 100000);
  std::vector<double> ms;
  int timeouts = 0;
  for (int i = 0; i < n; ++i) {
    const std::string token = "fresh" + run + "x" + std::to_string(i);
    ListItem item;
    item.code = "FR-" + run + "-" + std::to_string(i);
    item.department_id = department->id;
    item.name = "对" + token + "号设施擅自悬挂标语的行政处罚";
    item.type = "cf";
    item.implementing_body = department->name;
    item.level = "区级";
    item.legal_bases = {{"《城市市容和环境卫生管理条例》", "第三十四条", "有下列行为之一者……", ""}};
    item.responsibilities = {"立案责任：发现违法行为，予以审查，决定是否立案。"};
    item.accountability = {"对应当立案而不予立案的。"};
    item.effective_date = "2026-11-01";
    item.change_reason = "新鲜度基准测试";
    if (!std::holds_alternative<Published>(publishing.create(item))) {
      std::fprintf(stderr, "publishing %s was refused\n", item.code.c_str());
      return 1;
    }
    const auto committed = Clock::now();
    const std::string path = "/api/v1/search?q=" + token;
    bool found = false;
    while (!found && Clock::now() - committed < std::chrono::seconds(10)) {
      auto r = client.Get(path.c_str());
      // The hit's id is item:<department id>/<code> and its link /items/<slug>/<code>.
      found = r && r->status == 200 && r->body.find("/" + item.code + "\"") != std::string::npos;
      if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!found) ++timeouts;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - committed).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("freshness under load: %d edits, commit -> searchable p50 %.0f ms, p99 %.0f ms, max %.0f ms%s\n",
              n, ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], ms.back(),
              timeouts ? (", " + std::to_string(timeouts) + " not found within 10 s").c_str() : "");
  return timeouts ? 1 : 0;
}
