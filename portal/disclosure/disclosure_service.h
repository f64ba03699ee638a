#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/disclosure/disclosure_store.h"
#include "portal/publishing/catalog.h"

namespace portal::disclosure {

struct SectionSaved {
  int version = 0;
};

// Problems a person can fix, in Chinese; nothing was written.
struct SectionRefused {
  int status = 422;  // 409 stale, 422 invalid
  std::vector<std::string> errors;
};

using SaveResult = std::variant<SectionSaved, SectionRefused>;

// A department's before-enforcement disclosure: read the published sections, publish a new
// version of one. Each save appends a version with its public reason and writes, in the same
// transaction, the audit entry and the search change-log row. Thread safe (a connection per
// call from the pool); cheap to construct.
class DisclosureService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows.
  DisclosureService(db::Pool& pool, accounts::Clock clock)
      : pool_(pool), clock_(std::move(clock)) {}

  std::vector<SectionVersion> current(std::int64_t department_id);
  std::optional<SectionVersion> current(std::int64_t department_id, Section section);
  std::vector<SectionVersion> history(std::int64_t department_id, Section section);
  std::vector<DisclosureSummary> summaries();

  // Publishes `rows` (normalized here: blank rows are dropped) as the next version of the
  // section. `expected_version` is the version the editor started from (0: none yet); if
  // another version was published since, the save is refused as stale (409). `audit` gets the
  // before and after content and is appended in the same transaction.
  SaveResult save(const publishing::Department& department, Section section, std::vector<Row> rows,
                  const std::string& reason, int expected_version, accounts::AuditEntry audit);

 private:
  db::Pool& pool_;
  accounts::Clock clock_;
};

// The search change-log key of a section: "<department slug>/<section code>".
std::string searchKey(const std::string& department_slug, Section section);

}  // namespace portal::disclosure
