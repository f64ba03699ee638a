#include "portal/publishing/item_edit_service.h"

#include <nlohmann/json.hpp>

#include "portal/accounts/audit_store.h"
#include "portal/accounts/permissions.h"

namespace portal::publishing {

namespace {

bool mayEdit(const accounts::Actor& actor, std::int64_t department_id) {
  return actor.principal && accounts::canEditItemOf(*actor.principal, department_id);
}

accounts::AuditEntry auditFor(const accounts::Actor& actor, const std::string& action,
                              const Department& d, const std::string& code,
                              const std::string& summary) {
  accounts::AuditEntry e = accounts::auditEntryFor(actor);
  e.action = action;
  e.department_id = d.id;
  e.object_type = "item";
  e.object_id = code;
  e.summary = summary;
  return e;
}

// The published content before and after, each field as the API writes it.
std::string auditJson(const ListItem& item) { return itemFieldsJson(item, kUseShown).dump(); }

// A submission that becomes a draft: saved, or submitted (published at once when the
// department requires no review).
DraftResult saveAsDraft(DraftService& drafts, const accounts::Actor& actor, const ItemForm& form,
                        const ListItem& item, const ItemSubmission& s) {
  const std::optional<int> base =
      form.editing ? std::optional<int>(s.expected_version) : std::nullopt;
  return drafts.create(actor, form.department.id, item, base,
                       s.keep_draft ? AfterSave::KeepDraft : AfterSave::Submit);
}

template <typename Result>
ItemSaved savedAs(ItemForm form, ListItem item, const Result& result) {
  form.item = std::move(item);
  ItemSaved saved{std::move(form), Refused{}};
  std::visit([&saved](const auto& r) { saved.outcome = r; }, result);
  return saved;
}

}  // namespace

ItemFormResult ItemEditService::editForm(const accounts::Actor& actor,
                                         const std::string& department, const std::string& code) {
  auto found = catalog_.item(department, code);
  if (!found) return Refused{404, {"未找到该事项。"}};
  if (!mayEdit(actor, found->department.id)) return Refused{403, {"您只能修改本部门的事项。"}};
  const bool review = drafts_.requiresReview(found->department.id);
  // A change states its own reason and legal trigger: the form starts without the last ones.
  found->item.change_reason.clear();
  found->item.legal_trigger.clear();
  return ItemForm{std::move(found->department), std::move(found->item), true, review,
                  std::move(found->basis_flags)};
}

ItemFormResult ItemEditService::newForm(const accounts::Actor& actor,
                                        const std::string& department) {
  auto d = catalog_.department(department);
  if (!d) return Refused{404, {"未找到该部门。"}};
  if (!mayEdit(actor, d->id)) return Refused{403, {"您只能在本部门的清单中新增事项。"}};
  ListItem blank;
  blank.implementing_body = d->name;
  blank.level = "区级";
  const bool review = drafts_.requiresReview(d->id);
  return ItemForm{std::move(*d), std::move(blank), false, review, {}};
}

ItemSaveResult ItemEditService::saveChange(const accounts::Actor& actor,
                                           const std::string& department, const std::string& code,
                                           const ItemSubmission& s) {
  auto shown = editForm(actor, department, code);
  if (auto* refused = std::get_if<Refused>(&shown)) return *refused;
  auto& form = std::get<ItemForm>(shown);
  ListItem item = itemFromForm(s.fields, &form.item);
  item.change_kind = parseChangeKind(formField(s.fields, "change_kind")).value_or(ChangeKind::Create);
  item.code = form.item.code;
  if (s.keep_draft || form.requires_review) {
    return savedAs(form, item, saveAsDraft(drafts_, actor, form, item, s));
  }
  auto audit = auditFor(
      actor, "item.publish", form.department, code,
      "发布“" + item.name + "”的新版本（" + std::string(changeKindName(item.change_kind)) + "）");
  audit.before_json = auditJson(form.item);
  audit.after_json = auditJson(item);
  const auto result = publishing_.publishChange(form.department.id, code, item, s.expected_version,
                                                   &audit);
  return savedAs(form, item, result);
}

ItemSaveResult ItemEditService::create(const accounts::Actor& actor, const std::string& department,
                                       const ItemSubmission& s) {
  auto blank = newForm(actor, department);
  if (auto* refused = std::get_if<Refused>(&blank)) return *refused;
  auto& form = std::get<ItemForm>(blank);
  ListItem item = itemFromForm(s.fields);
  item.department_id = form.department.id;
  if (s.keep_draft || form.requires_review) {
    return savedAs(form, item, saveAsDraft(drafts_, actor, form, item, s));
  }
  auto audit = auditFor(actor, "item.create", form.department, item.code,
                        "新增事项“" + item.name + "”");
  audit.after_json = auditJson(item);
  return savedAs(form, item, publishing_.create(item, &audit));
}

}  // namespace portal::publishing
