#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/page.h"
#include "base/utf8.h"

namespace portal::publishing {

// The ten kinds of administrative power on a 权力清单, in the order lists print them.
struct ItemType {
  std::string_view code;  // stable ASCII code used in URLs and the database, e.g. "cf"
  std::string_view name;  // 行政处罚
};
const std::vector<ItemType>& itemTypes();
// Accepts the code or the Chinese name; nullopt for anything else.
std::optional<std::string> itemTypeCode(std::string_view code_or_name);
std::string itemTypeName(std::string_view code);

enum class ItemStatus { InForce, Cancelled, Delegated };
std::string_view statusCode(ItemStatus s);  // in_force | cancelled | delegated
std::string_view statusName(ItemStatus s);  // 有效 | 已取消 | 已下放
std::optional<ItemStatus> parseStatus(std::string_view code_or_name);

// Why a version exists (立改废释 and the list's own changes).
enum class ChangeKind { Create, Amend, Cancel, Delegate };
std::string_view changeKindCode(ChangeKind k);  // create | amend | cancel | delegate
std::string_view changeKindName(ChangeKind k);  // 新增 | 变更 | 取消 | 下放
std::optional<ChangeKind> parseChangeKind(std::string_view code_or_name);

struct Department {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string short_name;
  std::string description;
  std::vector<std::string> main_duties;
  std::string complaint_scope;
  std::string hotline_phone;
  std::string complaint_email;
  std::string postal_address;
  std::string office_hours;
  int sort_order = 0;
};

struct TypeCount {
  std::string type;  // code
  std::int64_t count = 0;
};

struct DepartmentOverview {
  Department department;
  std::int64_t items_in_force = 0;
  std::int64_t items_total = 0;
  std::vector<TypeCount> in_force_by_type;  // only types with items, in itemTypes() order
};

// One legal basis, see legal_basis.h for how cells are read into it.
struct LegalBasis {
  std::string law;      // the normalised title, 《中华人民共和国行政处罚法》; may be empty when
                        // the basis could not be read (then `written` holds it)
  std::string article;  // 第八十九条, 第十二条、第十三条, 第8条第1款; may be empty
  std::string text;     // the provision; published lists often leave it out
  std::string written;  // the basis as the list wrote it (edition notes, tags, wording);
                        // empty: shown as law + article + "：" + text
};

// One version of a list item: every field a 权责清单 row carries.
struct ListItem {
  std::int64_t id = 0;
  std::string code;  // 事项编码
  std::int64_t department_id = 0;
  int version = 0;
  std::string name;
  std::string type;  // code, see itemTypes()
  std::vector<std::string> sub_items;
  std::string implementing_body;
  std::string level;  // 行使层级
  std::vector<LegalBasis> legal_bases;
  std::vector<std::string> responsibilities;  // 责任事项
  std::vector<std::string> accountability;    // 追责情形
  std::string supervision_phone;
  std::string remarks;
  ItemStatus status = ItemStatus::InForce;
  std::string effective_date;  // YYYY-MM-DD
  ChangeKind change_kind = ChangeKind::Create;
  std::string change_reason;
  std::string legal_trigger;
  std::string published_at;  // "YYYY-MM-DD HH:MM:SS"
};

struct ItemSummary {
  std::string code;
  std::string department_slug;  // codes are unique within a department, not across the portal
  std::string name;
  std::string type;
  ItemStatus status = ItemStatus::InForce;
  int version = 0;
  std::string updated_at;
};

struct ItemFilter {
  std::optional<std::string> type;  // code
  std::optional<ItemStatus> status;
  int page = 1;  // 1-based
  int page_size = 50;
};

template <typename T>
using Page = base::Page<T>;

// Item codes are unique within a department only: two departments' published lists may use
// the same codes. An item's public address is its department's slug and its code.
std::string itemPath(std::string_view department_slug,
                     std::string_view code);  // /items/{slug}/{code}
// The search change log's and index's key of an item: "<department id>/<code>" (the id has
// no '/', so the first '/' separates them even when a code contains one).
std::string itemDocKey(std::int64_t department_id, std::string_view code);
struct ItemDocKey {
  std::int64_t department_id = 0;
  std::string code;
};
std::optional<ItemDocKey> parseItemDocKey(std::string_view key);

// Lengths are counted in characters (code points), never bytes: a 300-character name is
// normal in published lists. The database columns (migration 0013) hold at least these.
struct ItemLimits {
  static constexpr std::size_t kCode = 64;            // 事项编码, ASCII
  static constexpr std::size_t kName = 1000;          // 事项名称
  static constexpr std::size_t kBody = 500;           // 实施主体
  static constexpr std::size_t kLevel = 100;          // 行使层级
  static constexpr std::size_t kPhone = 200;          // 监督电话
  static constexpr std::size_t kLawTitle = 500;       // a basis's law title
  static constexpr std::size_t kArticle = 500;        // a basis's article(s)
  static constexpr std::size_t kLongText = 20000;     // each multi-line field, and each basis's
                                                      // text: 子项, 责任事项, 追责情形, 备注
};

// Field-by-field problems with an item, in Chinese, for people to fix. Empty means valid.
// Required: code, name, a known type, the effective date and the change reason; every other
// field may be empty. A too-long field names its limit and its actual length.
std::vector<std::string> validateItem(const ListItem& item);

// Line ends as "\n" in every text field (CRLF and CR from browsers, Excel and files), and
// every single-line field and every line of a list field trimmed by base::trim (blank lines
// dropped), so that the same content compares equal whichever way it came in: a name typed
// with a trailing full-width space is the name the import stores. Legal bases are left as
// parseLegalBases made them. Every write path (form, import, API, drafts) calls this before
// validating and storing.
void normaliseItem(ListItem& item);
std::string normaliseLineEnds(std::string_view text);
inline std::size_t charCount(std::string_view utf8) { return base::utf8Length(utf8); }

std::vector<std::string> splitLines(std::string_view text);
std::string joinLines(const std::vector<std::string>& lines);

}  // namespace portal::publishing
