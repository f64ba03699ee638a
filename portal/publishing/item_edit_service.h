#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "portal/accounts/account.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/draft_service.h"
#include "portal/publishing/item_fields.h"
#include "portal/publishing/publishing_service.h"

namespace portal::publishing {

// What the staff's item form shows.
struct ItemForm {
  Department department;
  ListItem item;  // editing: the public version (without its change reason and legal trigger);
                  // new: a blank item with the department's defaults
  bool editing = false;
  bool requires_review = false;        // the department's changes go through the legal office
  std::vector<BasisFlag> basis_flags;  // editing: the legal office's flags on the public version
};

// A submitted item form.
struct ItemSubmission {
  FormFields fields;          // the form's fields by name (itemFromForm, and change_kind)
  int expected_version = -1;  // editing: the version the form showed; -1 when unreadable
  bool keep_draft = false;    // "保存草稿" was pressed: save a draft, publish nothing
};

// What a submission became: a public version, a draft (saved, submitted for review, or
// published at once), or the form's problems (`item` is what was submitted, to show again).
struct ItemSaved {
  ItemForm form;
  std::variant<Published, DraftOutcome, Refused> outcome;
};

// Refused here: 404 no such item or department, 403 the actor may not edit its list (a console
// actor never may). Nothing was written.
using ItemFormResult = std::variant<ItemForm, Refused>;
using ItemSaveResult = std::variant<ItemSaved, Refused>;

// The staff's item form over the publishing and draft services: who may edit which list, what
// the form shows, and whether a submission is published at once (with its audit row) or
// becomes a draft (the department requires review, or the editor saved a draft). Thread safe
// (holds only thread-safe services); throws db::DbError on infrastructure failure.
class ItemEditService {
 public:
  ItemEditService(CatalogService& catalog, PublishingService& publishing, DraftService& drafts)
      : catalog_(catalog), publishing_(publishing), drafts_(drafts) {}

  // The form to change the item `code` of `department` (slug or id).
  ItemFormResult editForm(const accounts::Actor& actor, const std::string& department,
                          const std::string& code);
  // A blank form for a new item of the department `department` (slug or id).
  ItemFormResult newForm(const accounts::Actor& actor, const std::string& department);
  // A new version of the item `code` (change kind from the field change_kind), refused as stale
  // (409) when the public version is no longer `expected_version`, or as 无变化 (422).
  ItemSaveResult saveChange(const accounts::Actor& actor, const std::string& department,
                            const std::string& code, const ItemSubmission& submission);
  // A new item of the department `department` (slug or id), change kind 新增.
  ItemSaveResult create(const accounts::Actor& actor, const std::string& department,
                        const ItemSubmission& submission);

 private:
  CatalogService& catalog_;
  PublishingService& publishing_;
  DraftService& drafts_;
};

}  // namespace portal::publishing
