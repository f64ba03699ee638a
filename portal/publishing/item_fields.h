#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "portal/publishing/catalog.h"
#include "portal/publishing/list_layout.h"

namespace portal::publishing {

// The list item's fields, declared once: each field's name (the key in JSON, the API, the audit
// log, drafts and the edit form), its Chinese label, where it lives in ListItem, how it is shown
// and compared, and which representations carry it. JSON, CSV export, the version diff, the
// audit log, drafts and the edit form all walk this table, so a field is added or changed in
// one place and the representations cannot drift apart. Immutable; safe from any thread.

// How a field's value is held, shown and serialised.
enum class FieldKind {
  Text,    // std::string; shown and serialised as is
  Lines,   // std::vector<std::string>; shown one per line, JSON an array of strings
  Bases,   // std::vector<LegalBasis>; shown as formatLegalBases(), JSON an array of
           // {law, article, text, written}
  Type,    // std::string type code; shown as itemTypeName(), JSON the code
  Status,  // ItemStatus; shown as statusName(), JSON statusCode()
  Change,  // ChangeKind; shown as changeKindName(), JSON changeKindCode()
};

// Which representations carry a field (bits of ItemField::uses).
enum FieldUse : unsigned {
  kUseShown = 1u << 0,   // the published content: the item page's fields, the version diff
                         // (无变化 when none changed) and the audit log's before/after
  kUseExport = 1u << 1,  // a column of the CSV export (ListField order)
  kUseApi = 1u << 2,     // the public JSON of an item
  kUseForm = 1u << 3,    // the staff edit form (a field of kind Type is a select)
  kUseDraft = 1u << 4,   // the JSON stored with a draft
  kUseKept = 1u << 5,    // an import keeps the current value when the file lacks the column
};

using ItemMember = std::variant<std::string ListItem::*, std::vector<std::string> ListItem::*,
                                std::vector<LegalBasis> ListItem::*, ItemStatus ListItem::*,
                                ChangeKind ListItem::*>;

struct ItemField {
  std::string_view key;    // name, sub_items, legal_bases, ...
  std::string_view label;  // 事项名称, 子项, 设定依据, ...
  FieldKind kind;
  ItemMember member;
  unsigned uses;                     // FieldUse bits
  std::optional<ListField> column;   // its spreadsheet column, if any
};

// Every field, in the order the item page, the diff and the CSV export show them.
const std::vector<ItemField>& itemFields();
// The field with this key; nullptr for an unknown key.
const ItemField* itemField(std::string_view key);

// The value as people read it: the diff, the CSV cell, the edit form's text.
std::string fieldText(const ItemField& f, const ListItem& item);
// The reverse of fieldText() for what a person typed (the edit form). A Lines field splits at
// line ends, a Bases field is parsed (keeping the bases of `shown`, the version the form
// showed, where their lines are unchanged: parseLegalBases), a Type field takes the text as
// written (the services map a name to its code). A Status or Change field ignores text it
// does not know.
void setFieldText(const ItemField& f, ListItem& item, std::string_view text,
                  const ListItem* shown = nullptr);

nlohmann::json fieldJson(const ItemField& f, const ListItem& item);
// The reverse of fieldJson(); a basis may leave out its article and written form. Throws
// nlohmann::json::exception on a value of the wrong shape.
void setFieldJson(const ItemField& f, ListItem& item, const nlohmann::json& value);

// The fields with any of `uses` as one JSON object, key -> fieldJson().
nlohmann::json itemFieldsJson(const ListItem& item, unsigned uses);
// The reverse: each field with `uses` taken from `j`. Throws nlohmann::json::exception when a
// key is missing or a value has the wrong shape.
void setItemFieldsFromJson(ListItem& item, const nlohmann::json& j, unsigned uses);

// A submitted item form: field name -> value, as sent (the first of a repeated name counts).
using FormFields = std::vector<std::pair<std::string, std::string>>;
// The form's fields (kUseForm) as the item they describe; a field the form lacks is empty.
// `shown`: the version the form was filled from (its legal bases are kept where the person
// left them as shown, see parseLegalBases); nullptr for a blank form. The change kind is not
// read (the services decide what a form's change kind may be).
ListItem itemFromForm(const FormFields& form, const ListItem* shown = nullptr);
// The value of `key` in `form`; empty when absent.
std::string formField(const FormFields& form, std::string_view key);

// `to`'s field takes `from`'s value.
void copyField(const ItemField& f, ListItem& to, const ListItem& from);

// True when the field says the same in both, ignoring how lines ended (CR LF, CR) and, for
// legal bases, how a basis was split into law, article and text when it reads the same and
// cites the same law. How an import decides that a row changes nothing.
bool sameFieldContent(const ItemField& f, const ListItem& a, const ListItem& b);

}  // namespace portal::publishing
