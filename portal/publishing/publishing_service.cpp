#include "portal/publishing/publishing_service.h"

#include "db/error.h"
#include "db/retry.h"
#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_diff.h"
#include "portal/publishing/item_store.h"

namespace portal::publishing {

std::int64_t writeNewItem(db::Connection& conn, ListItem item) {
  normaliseItem(item);
  const std::int64_t id = ItemStore(conn).insertPublished(item);
  changes::ChangeLogWriter(conn).record(changes::DocKind::Item,
                                        itemDocKey(item.department_id, item.code), false);
  return id;
}

void writeNextVersion(db::Connection& conn, std::int64_t item_id, int version, ListItem item) {
  normaliseItem(item);
  if (item.change_kind == ChangeKind::Cancel) item.status = ItemStatus::Cancelled;
  if (item.change_kind == ChangeKind::Delegate) item.status = ItemStatus::Delegated;
  ItemStore(conn).publishVersion(item_id, version, item);
  changes::ChangeLogWriter(conn).record(changes::DocKind::Item,
                                        itemDocKey(item.department_id, item.code), false);
}

std::optional<Refused> refuseUnchangedAmend(const ListItem& current, const ListItem& item) {
  if (item.change_kind != ChangeKind::Amend) return std::nullopt;
  ListItem next = item;
  normaliseItem(next);
  // A version stored before a normalisation rule existed (a name saved with a trailing space)
  // is compared as it would be stored now: saving the form untouched stays 无变化.
  ListItem was = current;
  normaliseItem(was);
  if (!sameContent(was, next)) return std::nullopt;
  return Refused{422,
                 {"与当前公开的第 " + std::to_string(current.version) +
                  " 版相比没有任何字段发生变化（无变化），未发布新版本。"}};
}

PublishResult PublishingService::create(ListItem item, const accounts::AuditEntry* audit) {
  item.change_kind = ChangeKind::Create;
  normaliseItem(item);
  if (auto code = itemTypeCode(item.type)) item.type = *code;
  auto errors = validateItem(item);
  if (!errors.empty()) return Refused{422, std::move(errors)};
  // A deadlock or lock-wait timeout rolled the attempt back: run it again.
  return db::withRetry([&]() -> PublishResult {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    if (!DepartmentStore(*conn).findById(item.department_id)) {
      return Refused{422, {"所属部门不存在。"}};
    }
    try {
      writeNewItem(*conn, item);
    } catch (const db::DbError& e) {
      if (e.isDuplicateKey()) {
        return Refused{409, {"本部门已有事项编码为 " + item.code + " 的事项。"}};
      }
      throw;
    }
    if (audit) accounts::AuditStore(*conn, clock_).append(*audit);
    tx.commit();
    return Published{item.code, 1};
  });
}

PublishResult PublishingService::publishChange(std::int64_t department_id, const std::string& code,
                                               ListItem item, int expected_version,
                                               const accounts::AuditEntry* audit) {
  if (auto type = itemTypeCode(item.type)) item.type = *type;
  item.code = code;
  normaliseItem(item);
  auto errors = validateItem(item);
  if (item.change_kind == ChangeKind::Create) errors.push_back("变更类型不能是“新增”。");
  if (!errors.empty()) return Refused{422, std::move(errors)};
  // A deadlock or lock-wait timeout rolled the attempt back (nothing was written, so the
  // expected version still holds): run it again. A lost connection is not retried: had the
  // COMMIT gone through, a second attempt would call the editor's own change someone else's.
  return db::withRetry([&]() -> PublishResult {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    ItemStore items(*conn);
    const auto current = items.findByCode(department_id, code);
    if (!current) return Refused{404, {"未找到该事项。"}};
    const int version = items.lockCurrentVersion(current->id);
    if (version != expected_version) {
      return Refused{409,
                     {"该事项已被他人更新为第 " + std::to_string(version) +
                      " 版，请在最新版本的基础上重新修改。"}};
    }
    ListItem next = item;
    // A 变更 amends the text; whether the item is in force is what 取消/下放 change.
    if (next.change_kind == ChangeKind::Amend) next.status = current->status;
    if (auto unchanged = refuseUnchangedAmend(*current, next)) return *unchanged;
    next.department_id = current->department_id;
    writeNextVersion(*conn, current->id, version + 1, std::move(next));
    if (audit) accounts::AuditStore(*conn, clock_).append(*audit);
    tx.commit();
    return Published{code, version + 1};
  });
}

}  // namespace portal::publishing
