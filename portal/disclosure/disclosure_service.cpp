#include "portal/disclosure/disclosure_service.h"

#include "db/error.h"
#include "db/retry.h"
#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"

namespace portal::disclosure {

std::string searchKey(const std::string& department_slug, Section section) {
  return department_slug + "/" + sectionCode(section);
}

std::vector<SectionVersion> DisclosureService::current(std::int64_t department_id) {
  auto conn = pool_.acquire();
  return DisclosureStore(*conn).current(department_id);
}

std::optional<SectionVersion> DisclosureService::current(std::int64_t department_id,
                                                         Section section) {
  auto conn = pool_.acquire();
  return DisclosureStore(*conn).current(department_id, section);
}

std::vector<SectionVersion> DisclosureService::history(std::int64_t department_id,
                                                       Section section) {
  auto conn = pool_.acquire();
  return DisclosureStore(*conn).history(department_id, section);
}

std::vector<DisclosureSummary> DisclosureService::summaries() {
  auto conn = pool_.acquire();
  return DisclosureStore(*conn).summaries();
}

SaveResult DisclosureService::save(const publishing::Department& department, Section section,
                                   std::vector<Row> rows, const std::string& reason,
                                   int expected_version, accounts::AuditEntry audit) {
  rows = normalizeRows(section, std::move(rows));
  auto errors = validateRows(section, rows);
  const auto reason_errors = validateReason(reason);
  errors.insert(errors.begin(), reason_errors.begin(), reason_errors.end());
  if (!errors.empty()) return SectionRefused{422, std::move(errors)};
  // A deadlock or lock-wait timeout rolled the attempt back: run it again.
  return db::withRetry([&]() -> SaveResult {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    DisclosureStore store(*conn);
    const int version = store.lockCurrentVersion(department.id, section);
    const std::string stale = "“" + sectionName(section) + "”已被他人更新为第 " +
                              std::to_string(version) + " 版，请在最新版本的基础上重新修改。";
    if (version != expected_version) return SectionRefused{409, {stale}};
    if (version > 0) {
      if (auto before = store.current(department.id, section)) {
        // Saving the form untouched publishes nothing (as an item's 变更 without a change):
        // the stored rows are compared as they would be stored now.
        if (rowsToJson(section, normalizeRows(section, before->rows)) ==
            rowsToJson(section, rows)) {
          return SectionRefused{422, {"与当前公开的第 " + std::to_string(version) +
                                      " 版相比没有任何内容发生变化（无变化），未发布新版本。"}};
        }
        audit.before_json = rowsToJson(section, before->rows).dump();
      }
    }
    audit.after_json = rowsToJson(section, rows).dump();
    audit.department_id = department.id;
    audit.object_type = "disclosure";
    audit.object_id = searchKey(department.slug, section);
    try {
      store.appendVersion(department.id, section, version + 1, rows, reason, audit.account_id);
    } catch (const db::DbError& e) {
      // Two first versions at once: the other one won.
      if (e.isDuplicateKey()) {
        return SectionRefused{409,
                              {"“" + sectionName(section) + "”刚被他人发布，请刷新后重新修改。"}};
      }
      throw;
    }
  changes::ChangeLogWriter(*conn).record(changes::DocKind::Disclosure,
                                         searchKey(department.slug, section), false);
    accounts::AuditStore(*conn, clock_).append(audit);
    tx.commit();
    return SectionSaved{version + 1};
  });
}

}  // namespace portal::disclosure
