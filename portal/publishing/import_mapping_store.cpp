#include "portal/publishing/import_mapping_store.h"

namespace portal::publishing {

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
