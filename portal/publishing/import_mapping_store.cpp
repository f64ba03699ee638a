#include "portal/publishing/import_mapping_store.h"

#include <nlohmann/json.hpp>

namespace portal::publishing {

std::string choicesToJson(const LayoutChoices& choices) {
  return nlohmann::json{{"sheet", choices.sheet},
                        {"columns", choices.columns},
                        {"types", choices.types}}
      .dump();
}

LayoutChoices choicesFromJson(const std::string& text) {
  LayoutChoices c;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return c;
  if (j.contains("sheet") && j["sheet"].is_string()) c.sheet = j["sheet"].get<std::string>();
  for (const char* key : {"columns", "types"}) {
    if (!j.contains(key) || !j[key].is_object()) continue;
    auto& target = std::string(key) == "columns" ? c.columns : c.types;
    for (const auto& [k, v] : j[key].items()) {
      if (v.is_string()) target[k] = v.get<std::string>();
    }
  }
  return c;
}

LayoutChoices ImportMappingStore::load(std::int64_t department_id) {
  db::Rows r = conn_.query("SELECT choices_json FROM import_mappings WHERE department_id = ?",
                           department_id);
  if (!r.next()) return {};
  return choicesFromJson(r.str("choices_json"));
}

void ImportMappingStore::save(std::int64_t department_id, const LayoutChoices& choices) {
  conn_.execute(
      "INSERT INTO import_mappings (department_id, choices_json) VALUES (?, ?) "
      "ON DUPLICATE KEY UPDATE choices_json = VALUES(choices_json)",
      department_id, choicesToJson(choices));
}

}  // namespace portal::publishing
