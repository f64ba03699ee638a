#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portal/publishing/catalog.h"

namespace portal::publishing {

// What happened to a law the legal office records (立改废释): it was amended (修订、修正) or
// repealed (废止). Either way the items citing it must be checked by their departments.
enum class AmendmentKind { Amended, Repealed };
std::string_view amendmentKindCode(AmendmentKind k);  // amended | repealed
std::string_view amendmentKindName(AmendmentKind k);  // 已修订 | 已废止
// Accepts the code or the Chinese name (修订, 修正, 已修订, 废止, 已废止); nullopt otherwise.
std::optional<AmendmentKind> parseAmendmentKind(std::string_view code_or_name);
// The notice a flagged item shows: 依据已修订，待更新 or 依据已废止，待更新.
std::string flagNotice(AmendmentKind k);

// An item whose public version cites a law, with what it cites.
struct CitingItem {
  std::int64_t item_id = 0;
  std::string code;
  std::string name;
  ItemStatus status = ItemStatus::InForce;
  int version = 0;  // the public version that cites the law
  std::int64_t department_id = 0;
  std::string department_name;
  std::string department_slug;
  // The articles cited (第三十六条, 第8条第1款), one per basis; a basis that names the law
  // without an article is listed as 全文/未列条款 by pages; as written when it could not be read.
  std::vector<std::string> articles;
  bool flagged = false;  // already carries a flag that is still showing
};

// Every in-force or delegated item of every department whose public version cites one law.
// Cancelled items are left out (they are no longer on any list).
struct LawImpact {
  std::string title;  // as the legal office wrote it
  std::string law;    // normaliseLawTitle(title): 《中华人民共和国行政处罚法》
  std::string key;    // lawKey(title): 行政处罚法
  std::vector<CitingItem> items;  // by department (sort order), then code
  std::size_t departmentCount() const;
};

// A recorded amendment and what its flags did.
struct LawAmendment {
  std::int64_t id = 0;
  std::string title;
  std::string key;
  AmendmentKind kind = AmendmentKind::Amended;
  std::string reason;
  std::string flagged_by;  // username, or portalctl
  std::string created_at;  // "YYYY-MM-DD HH:MM", Beijing time
  std::int64_t flagged = 0;  // items flagged
  std::int64_t pending = 0;  // of those, still at the flagged version
};

// One flagged item of an amendment, with its state now.
struct FlaggedItem {
  CitingItem item;  // code, name, department as now; version = the flagged version
  int current_version = 0;
  bool updated() const { return current_version > item.version; }
};

// A flag as the public item page shows it, while the flagged version is the public one.
struct BasisFlag {
  std::int64_t amendment_id = 0;
  std::string title;  // the law as the legal office wrote it
  AmendmentKind kind = AmendmentKind::Amended;
  std::string reason;
  std::vector<std::string> articles;  // as cited by the flagged version
  std::string flagged_at;             // "YYYY-MM-DD"
};

}  // namespace portal::publishing
