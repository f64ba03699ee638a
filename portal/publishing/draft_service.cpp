#include "portal/publishing/draft_service.h"

#include <functional>

#include "base/utf8.h"
#include "db/error.h"
#include "db/retry.h"
#include "db/transaction.h"
#include "portal/accounts/audit_store.h"
#include "portal/accounts/permissions.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/draft_store.h"
#include "portal/publishing/item_store.h"

namespace portal::publishing {

bool canViewDraft(const accounts::Principal& p, const ItemDraft& d) {
  return d.author_id == p.account_id || accounts::canEditItemOf(p, d.department_id) ||
         accounts::canReview(p);
}

bool canChangeDraft(const accounts::Principal& p, const ItemDraft& d) {
  return d.author_id == p.account_id && d.isOpen() && accounts::canEditItemOf(p, d.department_id);
}

bool canReviewDraft(const accounts::Principal& p, const ItemDraft& d) {
  return accounts::canReview(p) && d.author_id != p.account_id && d.state == DraftState::Submitted;
}

bool canRecallDraft(const accounts::Principal& p, const ItemDraft& d) {
  return d.author_id == p.account_id && d.state == DraftState::Submitted &&
         accounts::canEditItemOf(p, d.department_id);
}

namespace {

const Refused kNoStaff{403, {"请以工作人员身份登录。"}};
const Refused kNoDraft{404, {"未找到该草稿。"}};

std::string itemLabel(const ItemDraft& d) { return d.item.code + "“" + d.item.name + "”"; }

void audit(db::Connection& conn, const accounts::Clock& clock, const accounts::Actor& actor,
           const std::string& action, const ItemDraft& d, const std::string& summary) {
  accounts::AuditEntry e = accounts::auditEntryFor(actor);
  e.action = action;
  e.department_id = d.department_id;
  e.object_type = "draft";
  e.object_id = std::to_string(d.id);
  e.summary = summary;
  e.after_json = draftItemToJson(d.item);
  accounts::AuditStore(conn, clock).append(e);
}

// Gives the draft back to its author with the reviewer's `comment`, and audits it.
void returnDraft(db::Connection& conn, const accounts::Clock& clock, DraftStore& drafts,
                 const accounts::Actor& actor,
                 ItemDraft& d, const std::string& comment) {
  d.state = DraftState::Returned;
  d.review_comment = comment;
  drafts.updateState(d.id, d.state, actor.principal->account_id, comment, std::nullopt);
  audit(conn, clock, actor, "draft.return", d, "退回事项 " + itemLabel(d) + " 的草稿：" + comment);
}

// One review step's transaction: the connection, its transaction and the draft under review,
// locked.
struct Review {
  db::Connection& conn;
  db::Transaction& tx;
  DraftStore& drafts;
  ItemDraft& draft;
};

// Runs `step` in a transaction of its own on the submitted draft `draft_id`, locked, when
// `actor` (signed in) may review it: a legal reviewer who did not write it. Otherwise why not.
// `step` commits what it keeps.
DraftResult review(db::Pool& pool, const accounts::Actor& actor, std::int64_t draft_id,
                   const std::function<DraftResult(Review&)>& step) {
  auto conn = pool.acquire();
  db::Transaction tx(*conn);
  DraftStore drafts(*conn);
  auto d = drafts.find(draft_id, true);
  if (!d) return kNoDraft;
  if (!accounts::canReview(*actor.principal)) {
    return Refused{403, {"只有法制审核人员可以审核草稿。"}};
  }
  if (d->author_id == actor.principal->account_id) {
    return Refused{403, {"不能审核自己编写的草稿。"}};
  }
  if (d->state != DraftState::Submitted) return Refused{409, {"该草稿不在待审核状态。"}};
  Review r{*conn, tx, drafts, *d};
  return step(r);
}

// The same normalisation PublishingService applies: a type given by its Chinese name is
// stored as its code; a new item's change kind is 新增.
void normalise(ListItem& item, bool new_item) {
  normaliseItem(item);
  if (auto code = itemTypeCode(item.type)) item.type = *code;
  if (new_item) item.change_kind = ChangeKind::Create;
}

// Writes the draft's item as a public version through the helpers every publication uses, on
// the caller's connection and transaction. Returns the new public version or why not.
std::variant<int, Refused> publishDraft(db::Connection& conn, const ItemDraft& d) {
  ItemStore items(conn);
  ListItem item = d.item;
  item.department_id = d.department_id;
  normalise(item, d.isNewItem());
  const auto current = items.findByCode(item.department_id, item.code);
  if (d.isNewItem()) {
    if (current) return Refused{409, {"本部门已有事项编码为 " + item.code + " 的事项，不能发布。"}};
    try {
      writeNewItem(conn, item);
    } catch (const db::DbError& e) {
      if (e.isDuplicateKey()) {
        return Refused{409, {"本部门已有事项编码为 " + item.code + " 的事项，不能发布。"}};
      }
      throw;
    }
    return 1;
  }
  if (!current) return Refused{404, {"未找到该事项。"}};
  const int version = items.lockCurrentVersion(current->id);
  if (version != *d.base_version) {
    return Refused{
        409,
        {"该事项已被他人更新为第 " + std::to_string(version) + " 版，本草稿基于第 " +
         std::to_string(*d.base_version) + " 版，不能发布。请在最新版本的基础上重新修改。"}};
  }
  // A 变更 amends the text; whether the item is in force is what 取消/下放 change.
  if (item.change_kind == ChangeKind::Amend) item.status = current->status;
  if (auto unchanged = refuseUnchangedAmend(*current, item)) return *unchanged;
  writeNextVersion(conn, current->id, version + 1, std::move(item));
  return version + 1;
}

// A 变更 that changes no field of the public version is refused when it is saved (422, 无变化),
// as a direct edit is, rather than becoming a draft that the legal office can only refuse.
std::optional<Refused> refuseUnchangedDraft(const ListItem& current, ListItem item) {
  if (item.change_kind == ChangeKind::Amend) item.status = current.status;
  return refuseUnchangedAmend(current, item);
}

// After a save (or on submit): keep it, submit it for review, or publish it, as the
// department's policy says. Runs in the caller's transaction; on refusal the caller rolls back.
DraftResult advance(db::Connection& conn, const accounts::Clock& clock,
                    const accounts::Actor& actor, ItemDraft& d, AfterSave then) {
  DraftOutcome out{d.id, d.state, d.item.code, std::nullopt};
  if (then == AfterSave::KeepDraft) return out;
  DraftStore drafts(conn);
  if (drafts.requiresReview(d.department_id)) {
    d.state = DraftState::Submitted;
    drafts.updateState(d.id, d.state, std::nullopt, d.review_comment, std::nullopt);
    audit(conn, clock, actor, "draft.submit", d,
          "提交事项 " + itemLabel(d) + " 的草稿，等待法制审核");
    out.state = d.state;
    return out;
  }
  const auto published = publishDraft(conn, d);
  if (const auto* refused = std::get_if<Refused>(&published)) return *refused;
  const int version = std::get<int>(published);
  d.state = DraftState::Published;
  drafts.updateState(d.id, d.state, std::nullopt, d.review_comment, version);
  audit(conn, clock, actor, "draft.publish", d,
        "发布事项 " + itemLabel(d) + " 的草稿为第 " + std::to_string(version) + " 版（" +
            std::string(changeKindName(d.item.change_kind)) + "）");
  out.state = d.state;
  out.published_version = version;
  return out;
}

}  // namespace

bool DraftService::requiresReview(std::int64_t department_id) {
  auto conn = pool_.acquire();
  return DraftStore(*conn).requiresReview(department_id);
}

DraftResult DraftService::create(const accounts::Actor& actor, std::int64_t department_id,
                                 ListItem item, std::optional<int> base_version, AfterSave then) {
  if (!actor.principal) return kNoStaff;
  const bool new_item = !base_version;
  item.department_id = department_id;
  normalise(item, new_item);
  auto errors = then == AfterSave::Submit ? validateForPublish(item, new_item)
                                          : validateDraft(item, new_item);
  if (base_version && *base_version < 1) errors.push_back("表单已过期，请重新打开修改页面。");
  if (!errors.empty()) return Refused{422, std::move(errors)};
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  if (!DepartmentStore(*conn).findById(department_id)) return Refused{404, {"未找到该部门。"}};
  if (!accounts::canEditItemOf(*actor.principal, department_id)) {
    return Refused{403, {"您只能为本部门的事项保存草稿。"}};
  }
  const auto current = ItemStore(*conn).findByCode(department_id, item.code);
  if (new_item && current) {
    return Refused{409, {"本部门已有事项编码为 " + item.code + " 的事项。"}};
  }
  if (!new_item && !current) {
    return Refused{404, {"未找到该事项。"}};
  }
  if (!new_item) {
    if (auto unchanged = refuseUnchangedDraft(*current, item)) return *unchanged;
  }
  ItemDraft d;
  d.department_id = department_id;
  d.base_version = base_version;
  d.item = std::move(item);
  d.author_id = actor.principal->account_id;
  DraftStore drafts(*conn);
  d.id = drafts.insert(d);
  audit(*conn, clock_, actor, "draft.save", d, "保存事项 " + itemLabel(d) + " 的草稿");
  auto result = advance(*conn, clock_, actor, d, then);
  if (std::holds_alternative<DraftOutcome>(result)) tx.commit();
  return result;
}

DraftResult DraftService::update(const accounts::Actor& actor, std::int64_t draft_id, ListItem item,
                                 AfterSave then) {
  if (!actor.principal) return kNoStaff;
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  DraftStore drafts(*conn);
  auto d = drafts.find(draft_id, true);
  if (!d) return kNoDraft;
  if (!canChangeDraft(*actor.principal, *d)) {
    return Refused{403, {"只有草稿的作者可以修改未提交或已退回的草稿。"}};
  }
  // A new item's draft may still change its code; an existing item's may not.
  if (!d->isNewItem() || item.code.empty()) item.code = d->item.code;
  item.department_id = d->department_id;
  normalise(item, d->isNewItem());
  auto errors = then == AfterSave::Submit ? validateForPublish(item, d->isNewItem())
                                          : validateDraft(item, d->isNewItem());
  if (!errors.empty()) return Refused{422, std::move(errors)};
  if (!d->isNewItem()) {
    const auto current = ItemStore(*conn).findByCode(d->department_id, item.code);
    if (current) {
      if (auto unchanged = refuseUnchangedDraft(*current, item)) return *unchanged;
    }
  }
  d->item = std::move(item);
  d->state = DraftState::Draft;
  drafts.updateContent(*d);
  audit(*conn, clock_, actor, "draft.save", *d, "保存事项 " + itemLabel(*d) + " 的草稿");
  auto result = advance(*conn, clock_, actor, *d, then);
  if (std::holds_alternative<DraftOutcome>(result)) tx.commit();
  return result;
}

DraftResult DraftService::submit(const accounts::Actor& actor, std::int64_t draft_id) {
  if (!actor.principal) return kNoStaff;
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  auto d = DraftStore(*conn).find(draft_id, true);
  if (!d) return kNoDraft;
  if (!canChangeDraft(*actor.principal, *d)) {
    return Refused{403, {"只有草稿的作者可以提交未提交或已退回的草稿。"}};
  }
  auto errors = validateForPublish(d->item, d->isNewItem());
  if (!errors.empty()) return Refused{422, std::move(errors)};
  auto result = advance(*conn, clock_, actor, *d, AfterSave::Submit);
  if (std::holds_alternative<DraftOutcome>(result)) tx.commit();
  return result;
}

DraftResult DraftService::recall(const accounts::Actor& actor, std::int64_t draft_id) {
  if (!actor.principal) return kNoStaff;
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  DraftStore drafts(*conn);
  auto d = drafts.find(draft_id, true);
  if (!d) return kNoDraft;
  if (d->author_id != actor.principal->account_id ||
      !accounts::canEditItemOf(*actor.principal, d->department_id)) {
    return Refused{403, {"只有草稿的作者可以撤回提交。"}};
  }
  switch (d->state) {
    case DraftState::Submitted:
      break;
    case DraftState::Published:
      return Refused{
          409,
          {d->reviewer_id ? "该草稿已审核通过并发布，不能撤回。" : "该草稿已发布，不能撤回。"}};
    case DraftState::Returned:
      return Refused{409, {"该草稿已被法制审核退回，不能撤回；请直接修改后重新提交。"}};
    case DraftState::Draft:
      return Refused{409, {"该草稿尚未提交审核，无需撤回。"}};
  }
  d->state = DraftState::Draft;
  drafts.updateState(d->id, d->state, std::nullopt, d->review_comment, std::nullopt);
  audit(*conn, clock_, actor, "draft.recall", *d,
        "撤回事项 " + itemLabel(*d) + " 的草稿，不再等待法制审核");
  tx.commit();
  return DraftOutcome{d->id, d->state, d->item.code, std::nullopt};
}

DraftResult DraftService::approve(const accounts::Actor& actor, std::int64_t draft_id) {
  if (!actor.principal) return kNoStaff;
  // A deadlock or lock-wait timeout rolled the attempt back: run it again.
  return db::withRetry([&]() -> DraftResult {
    return review(pool_, actor, draft_id, [&](Review& r) -> DraftResult {
      ItemDraft* const d = &r.draft;
      auto errors = validateForPublish(d->item, d->isNewItem());
      if (!errors.empty()) return Refused{422, std::move(errors)};
      const auto reviewer = actor.principal->account_id;
      const auto published = publishDraft(r.conn, *d);
      if (const auto* refused = std::get_if<Refused>(&published)) {
        // Nothing was published; the author gets the draft back with the reason.
        Refused returned = *refused;
        returned.errors.back() += "草稿已退回作者。";
        returnDraft(r.conn, clock_, r.drafts, actor, *d, returned.errors.back());
        r.tx.commit();
        return returned;
      }
      const int version = std::get<int>(published);
      d->state = DraftState::Published;
      r.drafts.updateState(d->id, d->state, reviewer, "", version);
      audit(r.conn, clock_, actor, "draft.approve", *d,
            "审核通过并发布事项 " + itemLabel(*d) + " 第 " + std::to_string(version) + " 版（" +
                std::string(changeKindName(d->item.change_kind)) + "）");
      r.tx.commit();
      return DraftOutcome{d->id, d->state, d->item.code, version};
    });
  });
}

DraftResult DraftService::returnToAuthor(const accounts::Actor& actor, std::int64_t draft_id,
                                         const std::string& comment) {
  if (!actor.principal) return kNoStaff;
  const std::string text = base::trim(comment);
  return review(pool_, actor, draft_id, [&](Review& r) -> DraftResult {
    if (text.empty()) return Refused{422, {"退回时请填写审核意见。"}};
    returnDraft(r.conn, clock_, r.drafts, actor, r.draft, text);
    r.tx.commit();
    return DraftOutcome{r.draft.id, r.draft.state, r.draft.item.code, std::nullopt};
  });
}

std::optional<ItemDraft> DraftService::find(std::int64_t draft_id) {
  auto conn = pool_.acquire();
  return DraftStore(*conn).find(draft_id);
}

std::vector<ItemDraft> DraftService::openDraftsOf(std::int64_t account_id) {
  auto conn = pool_.acquire();
  return DraftStore(*conn).openByAuthor(account_id, 100);
}

std::vector<ItemDraft> DraftService::awaitingReview() {
  auto conn = pool_.acquire();
  return DraftStore(*conn).byState(DraftState::Submitted, 200);
}

}  // namespace portal::publishing
