#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "portal/disclosure/enforcement_disclosure.h"

namespace portal::disclosure {

// One published version of one section of a department's disclosure.
struct SectionVersion {
  Section section = Section::Bodies;
  int version = 0;
  std::vector<Row> rows;
  std::string reason;
  std::string published_at;  // YYYY-MM-DD HH:MM
};

// Per department: which sections are published and when the newest change was.
struct DisclosureSummary {
  std::int64_t department_id = 0;
  int sections = 0;
  std::string updated_at;  // YYYY-MM-DD
};

// SQL for enforcement_disclosures and their versions. Works on the caller's connection (and
// inside the caller's transaction for writes). Not thread safe; throws db::DbError.
class DisclosureStore {
 public:
  explicit DisclosureStore(db::Connection& conn) : conn_(conn) {}

  // The current version of each published section of the department, in section order.
  std::vector<SectionVersion> current(std::int64_t department_id);
  std::optional<SectionVersion> current(std::int64_t department_id, Section section);
  // Every version of a section, newest first.
  std::vector<SectionVersion> history(std::int64_t department_id, Section section);
  // Locks the section's row until the caller commits and returns its current version; 0 when
  // the section was never published (nothing locked then).
  int lockCurrentVersion(std::int64_t department_id, Section section);
  // Appends `version` (1 creates the section; isDuplicateKey() when someone else just did)
  // and makes it current.
  void appendVersion(std::int64_t department_id, Section section, int version,
                     const std::vector<Row>& rows, const std::string& reason,
                     std::optional<std::int64_t> author_id);
  std::vector<DisclosureSummary> summaries();
  // (department slug + "/" + section code) of every published section: the search keys.
  std::vector<std::string> publishedKeys();
  bool empty();

 private:
  db::Connection& conn_;
};

}  // namespace portal::disclosure
