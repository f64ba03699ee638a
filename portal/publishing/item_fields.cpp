#include "portal/publishing/item_fields.h"

#include <nlohmann/json.hpp>

#include "portal/publishing/item_diff.h"
#include "portal/publishing/legal_basis.h"

namespace portal::publishing {

namespace {

using S = std::string ListItem::*;
using L = std::vector<std::string> ListItem::*;

constexpr unsigned kContent = kUseShown | kUseExport | kUseApi | kUseForm | kUseDraft;

template <typename T>
T& ref(const ItemField& f, ListItem& item) {
  return item.*std::get<T ListItem::*>(f.member);
}
template <typename T>
const T& ref(const ItemField& f, const ListItem& item) {
  return item.*std::get<T ListItem::*>(f.member);
}

// Bases compare by what they say: the text shown and the law they cite.
bool sameBases(const std::vector<LegalBasis>& a, const std::vector<LegalBasis>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (normaliseLineEnds(basisDisplay(a[i])) != normaliseLineEnds(basisDisplay(b[i])) ||
        lawKey(a[i].law) != lawKey(b[i].law)) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::vector<ItemField>& itemFields() {
  static const std::vector<ItemField> fields = {
      {"code", "事项编码", FieldKind::Text, S(&ListItem::code),
       kUseExport | kUseApi | kUseForm | kUseDraft, ListField::Code},
      {"name", "事项名称", FieldKind::Text, S(&ListItem::name), kContent, ListField::Name},
      {"type", "事项类型", FieldKind::Type, S(&ListItem::type), kContent, ListField::Type},
      {"sub_items", "子项", FieldKind::Lines, L(&ListItem::sub_items), kContent | kUseKept,
       ListField::SubItems},
      {"implementing_body", "实施主体", FieldKind::Text, S(&ListItem::implementing_body),
       kContent | kUseKept, ListField::Body},
      {"level", "行使层级", FieldKind::Text, S(&ListItem::level), kContent | kUseKept,
       ListField::Level},
      {"legal_bases", "设定依据", FieldKind::Bases, &ListItem::legal_bases, kContent | kUseKept,
       ListField::Bases},
      {"responsibilities", "责任事项", FieldKind::Lines, L(&ListItem::responsibilities),
       kContent | kUseKept, ListField::Responsibilities},
      {"accountability", "追责情形", FieldKind::Lines, L(&ListItem::accountability),
       kContent | kUseKept, ListField::Accountability},
      {"supervision_phone", "监督电话", FieldKind::Text, S(&ListItem::supervision_phone),
       kContent | kUseKept, ListField::Phone},
      {"remarks", "备注", FieldKind::Text, S(&ListItem::remarks), kContent | kUseKept,
       ListField::Remarks},
      // The status follows from the change kind (取消/下放), so neither form nor draft has it.
      {"status", "状态", FieldKind::Status, &ListItem::status, kUseShown | kUseExport | kUseApi,
       ListField::Status},
      {"effective_date", "生效日期", FieldKind::Text, S(&ListItem::effective_date), kContent,
       ListField::EffectiveDate},
      // Why this version exists; the form's change kind is a select of its own.
      {"change_kind", "变更类型", FieldKind::Change, &ListItem::change_kind,
       kUseApi | kUseDraft, std::nullopt},
      {"change_reason", "变更理由", FieldKind::Text, S(&ListItem::change_reason),
       kUseApi | kUseForm | kUseDraft, std::nullopt},
      {"legal_trigger", "法律依据变化", FieldKind::Text, S(&ListItem::legal_trigger),
       kUseApi | kUseForm | kUseDraft, std::nullopt},
      {"published_at", "发布时间", FieldKind::Text, S(&ListItem::published_at), kUseApi,
       std::nullopt},
  };
  return fields;
}

const ItemField* itemField(std::string_view key) {
  for (const auto& f : itemFields()) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

std::string fieldText(const ItemField& f, const ListItem& item) {
  switch (f.kind) {
    case FieldKind::Text:
      return ref<std::string>(f, item);
    case FieldKind::Lines:
      return joinLines(ref<std::vector<std::string>>(f, item));
    case FieldKind::Bases:
      return formatLegalBases(ref<std::vector<LegalBasis>>(f, item));
    case FieldKind::Type:
      return itemTypeName(ref<std::string>(f, item));
    case FieldKind::Status:
      return std::string(statusName(ref<ItemStatus>(f, item)));
    case FieldKind::Change:
      return std::string(changeKindName(ref<ChangeKind>(f, item)));
  }
  return {};
}

void setFieldText(const ItemField& f, ListItem& item, std::string_view text,
                  const ListItem* shown) {
  switch (f.kind) {
    case FieldKind::Text:
    case FieldKind::Type:
      ref<std::string>(f, item) = std::string(text);
      return;
    case FieldKind::Lines:
      ref<std::vector<std::string>>(f, item) = splitLines(text);
      return;
    case FieldKind::Bases:
      ref<std::vector<LegalBasis>>(f, item) =
          shown ? parseLegalBases(text, ref<std::vector<LegalBasis>>(f, *shown))
                : parseLegalBases(text);
      return;
    case FieldKind::Status:
      if (auto s = parseStatus(text)) ref<ItemStatus>(f, item) = *s;
      return;
    case FieldKind::Change:
      if (auto k = parseChangeKind(text)) ref<ChangeKind>(f, item) = *k;
      return;
  }
}

nlohmann::json fieldJson(const ItemField& f, const ListItem& item) {
  switch (f.kind) {
    case FieldKind::Text:
    case FieldKind::Type:
      return ref<std::string>(f, item);
    case FieldKind::Lines:
      return ref<std::vector<std::string>>(f, item);
    case FieldKind::Bases: {
      nlohmann::json bases = nlohmann::json::array();
      for (const auto& b : ref<std::vector<LegalBasis>>(f, item)) {
        bases.push_back(
            {{"law", b.law}, {"article", b.article}, {"text", b.text}, {"written", b.written}});
      }
      return bases;
    }
    case FieldKind::Status:
      return std::string(statusCode(ref<ItemStatus>(f, item)));
    case FieldKind::Change:
      return std::string(changeKindCode(ref<ChangeKind>(f, item)));
  }
  return nullptr;
}

void setFieldJson(const ItemField& f, ListItem& item, const nlohmann::json& value) {
  switch (f.kind) {
    case FieldKind::Text:
    case FieldKind::Type:
      ref<std::string>(f, item) = value.get<std::string>();
      return;
    case FieldKind::Lines:
      ref<std::vector<std::string>>(f, item) = value.get<std::vector<std::string>>();
      return;
    case FieldKind::Bases: {
      auto& bases = ref<std::vector<LegalBasis>>(f, item);
      bases.clear();
      for (const auto& b : value) {
        bases.push_back(LegalBasis{b.at("law").get<std::string>(),
                                   b.value("article", std::string()),
                                   b.at("text").get<std::string>(),
                                   b.value("written", std::string())});
      }
      return;
    }
    case FieldKind::Status:
    case FieldKind::Change:
      setFieldText(f, item, value.get<std::string>());
      return;
  }
}

nlohmann::json itemFieldsJson(const ListItem& item, unsigned uses) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : itemFields()) {
    if (f.uses & uses) out[std::string(f.key)] = fieldJson(f, item);
  }
  return out;
}

void setItemFieldsFromJson(ListItem& item, const nlohmann::json& j, unsigned uses) {
  for (const auto& f : itemFields()) {
    if (f.uses & uses) setFieldJson(f, item, j.at(std::string(f.key)));
  }
}

std::string formField(const FormFields& form, std::string_view key) {
  for (const auto& [k, v] : form) {
    if (k == key) return v;
  }
  return {};
}

ListItem itemFromForm(const FormFields& form, const ListItem* shown) {
  ListItem item;
  for (const auto& f : itemFields()) {
    if (f.uses & kUseForm) setFieldText(f, item, formField(form, f.key), shown);
  }
  return item;
}

void copyField(const ItemField& f, ListItem& to, const ListItem& from) {
  std::visit([&](auto member) { to.*member = from.*member; }, f.member);
}

bool sameFieldContent(const ItemField& f, const ListItem& a, const ListItem& b) {
  switch (f.kind) {
    case FieldKind::Text:
      return normaliseLineEnds(ref<std::string>(f, a)) == normaliseLineEnds(ref<std::string>(f, b));
    case FieldKind::Type:
      return ref<std::string>(f, a) == ref<std::string>(f, b);
    case FieldKind::Lines:
      return ref<std::vector<std::string>>(f, a) == ref<std::vector<std::string>>(f, b);
    case FieldKind::Bases:
      return sameBases(ref<std::vector<LegalBasis>>(f, a), ref<std::vector<LegalBasis>>(f, b));
    case FieldKind::Status:
      return ref<ItemStatus>(f, a) == ref<ItemStatus>(f, b);
    case FieldKind::Change:
      return ref<ChangeKind>(f, a) == ref<ChangeKind>(f, b);
  }
  return false;
}

}  // namespace portal::publishing
