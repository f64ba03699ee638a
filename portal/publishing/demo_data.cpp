#include "portal/publishing/demo_data.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/draft_store.h"
#include "portal/publishing/item_fields.h"
#include "portal/publishing/item_store.h"

namespace portal::seed {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal::publishing {

namespace {
std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key)) {
    for (const auto& v : j.at(key)) out.push_back(v.get<std::string>());
  }
  return out;
}
}  // namespace

DemoLoadResult loadDemoJson(db::Pool& pool, const std::string& json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text);
  DemoLoadResult result;
  auto conn = pool.acquire();
  db::Transaction tx(*conn);
  DepartmentStore departments(*conn);
  if (departments.count() > 0) return result;
  ItemStore items(*conn);
  changes::ChangeLogWriter change_log(*conn);
  for (const auto& jd : doc.at("departments")) {
    Department d;
    d.slug = jd.at("slug").get<std::string>();
    d.name = jd.at("name").get<std::string>();
    d.short_name = jd.at("short_name").get<std::string>();
    d.description = jd.at("description").get<std::string>();
    d.main_duties = strings(jd, "main_duties");
    d.complaint_scope = jd.at("complaint_scope").get<std::string>();
    d.hotline_phone = jd.at("hotline_phone").get<std::string>();
    d.complaint_email = jd.at("complaint_email").get<std::string>();
    d.postal_address = jd.at("postal_address").get<std::string>();
    d.office_hours = jd.at("office_hours").get<std::string>();
    d.sort_order = jd.value("sort_order", 0);
    d.id = departments.insert(d);
    if (jd.value("requires_review", false)) DraftStore(*conn).setRequiresReview(d.id, true);
    change_log.record(changes::DocKind::Department, d.slug, false);
    ++result.departments;
    for (const auto& ji : jd.value("items", nlohmann::json::array())) {
      // The item's fields by their API names; absent ones stay empty, a type may be its name.
      ListItem item;
      for (const auto& f : itemFields()) {
        const std::string key(f.key);
        if ((f.uses & kUseApi) && f.kind != FieldKind::Status && ji.contains(key)) {
          setFieldJson(f, item, ji.at(key));
        }
      }
      item.department_id = d.id;
      if (auto code = itemTypeCode(item.type)) item.type = *code;
      const auto status = parseStatus(ji.value("status", std::string("in_force")));
      if (!status) throw std::runtime_error("demo item " + item.code + ": unknown status");
      item.status = *status;
      item.change_kind = ChangeKind::Create;
      item.change_reason = "权责清单首次公布";
      const auto errors = validateItem(item);
      if (!errors.empty()) {
        throw std::runtime_error("demo item " + item.code + " is invalid: " + errors.front());
      }
      items.insertPublished(item);
      change_log.record(changes::DocKind::Item, itemDocKey(item.department_id, item.code), false);
      ++result.items;
    }
  }
  tx.commit();
  result.loaded = true;
  return result;
}

DemoLoadResult loadDemoLists(db::Pool& pool) {
  for (const auto& [name, text] : portal::seed::embeddedFiles()) {
    if (name == "demo.json") return loadDemoJson(pool, std::string(text));
  }
  throw std::runtime_error("no demo data compiled in (db/seed/demo.json)");
}

}  // namespace portal::publishing
