#include "portal/demo/demo_data.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/transaction.h"
#include "portal/disclosure/officer_demo.h"

namespace portal::seed {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal::demo {

publishing::DemoLoadResult loadDemoData(db::Pool& pool) {
  publishing::DemoLoadResult result = publishing::loadDemoLists(pool);
  if (!result.loaded) return result;
  for (const auto& [name, text] : portal::seed::embeddedFiles()) {
    if (name != "officers.json") continue;
    auto conn = pool.acquire();
    db::Transaction tx(*conn);
    result.officers = disclosure::loadDemoOfficers(*conn, std::string(text));
    tx.commit();
  }
  return result;
}

}  // namespace portal::demo
