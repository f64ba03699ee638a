#include "portal/disclosure/disclosure_demo.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/disclosure/disclosure_service.h"
#include "portal/disclosure/disclosure_store.h"
#include "portal/publishing/department_store.h"

namespace portal::seed {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal::disclosure {

int loadDemoDisclosuresJson(db::Pool& pool, const std::string& json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text);
  const std::string reason = doc.at("reason").get<std::string>();
  auto conn = pool.acquire();
  db::Transaction tx(*conn);
  DisclosureStore store(*conn);
  if (!store.empty()) return 0;
  publishing::DepartmentStore departments(*conn);
  changes::ChangeLogWriter change_log(*conn);
  int loaded = 0;
  const nlohmann::json& list = doc.at("departments");
  for (const auto& jd : list) {
    const std::string slug = jd.at("slug").get<std::string>();
    const auto department = departments.findBySlug(slug);
    if (!department) continue;
    const nlohmann::json& sections = jd.at("sections");
    for (Section s : allSections()) {
      if (!sections.contains(sectionCode(s))) continue;
      const auto rows = normalizeRows(s, rowsFromJson(s, sections.at(sectionCode(s))));
      const auto errors = validateRows(s, rows);
      if (!errors.empty()) {
        throw std::runtime_error("demo disclosure " + slug + "/" + sectionCode(s) +
                                 " is invalid: " + errors.front());
      }
      store.appendVersion(department->id, s, 1, rows, reason, std::nullopt);
      change_log.record(changes::DocKind::Disclosure, searchKey(slug, s), false);
      ++loaded;
    }
  }
  tx.commit();
  return loaded;
}

int loadDemoDisclosures(db::Pool& pool) {
  for (const auto& [name, text] : portal::seed::embeddedFiles()) {
    if (name == "disclosures.json") return loadDemoDisclosuresJson(pool, std::string(text));
  }
  throw std::runtime_error("no demo disclosures compiled in (db/seed/disclosures.json)");
}

}  // namespace portal::disclosure
