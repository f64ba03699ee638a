#include "portal/publishing/amendment_service.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/publishing/amendment_store.h"
#include "portal/publishing/legal_basis.h"
#include "portal/publishing/list_layout.h"

namespace portal::publishing {

namespace {

struct Law {
  std::string title;  // trimmed, as written
  std::string law;    // normalised title
  std::string key;
};

std::variant<Law, Refused> readLaw(const std::string& raw) {
  Law l;
  l.title = base::trim(normaliseLineEnds(raw));
  if (l.title.empty()) return Refused{422, {"请填写法律法规名称，例如《中华人民共和国行政处罚法》。"}};
  if (const std::size_t n = charCount(l.title); n > ItemLimits::kLawTitle) {
    return Refused{422, {"法律法规名称最多 " + std::to_string(ItemLimits::kLawTitle) +
                         " 个字，现有 " + std::to_string(n) + " 个字。"}};
  }
  l.law = normaliseLawTitle(l.title);
  l.key = lawKey(l.title);
  if (l.key.empty()) return Refused{422, {"没有识别出法律法规名称，请写成《法律名称》的形式。"}};
  return l;
}

}  // namespace

std::variant<LawImpact, Refused> AmendmentService::impact(const std::string& title) {
  auto law = readLaw(title);
  if (auto* refused = std::get_if<Refused>(&law)) return *refused;
  const Law& l = std::get<Law>(law);
  auto conn = pool_.acquire();
  LawImpact out;
  out.title = l.title;
  out.law = l.law;
  out.key = l.key;
  out.items = AmendmentStore(*conn).citingItems(l.key);
  return out;
}

std::variant<FlagOutcome, Refused> AmendmentService::flag(const FlagRequest& request,
                                                          accounts::AuditEntry audit) {
  auto law = readLaw(request.title);
  if (auto* refused = std::get_if<Refused>(&law)) return *refused;
  const Law& l = std::get<Law>(law);
  std::vector<std::string> errors;
  const auto kind = parseAmendmentKind(request.kind);
  if (!kind) errors.push_back("请选择该法律的变化：已修订或已废止。");
  const std::string reason = base::trim(normaliseLineEnds(request.reason));
  if (reason.empty()) {
    errors.push_back("请填写标记理由，例如修订后的条文变化和施行日期。");
  } else if (const std::size_t n = charCount(reason); n > kMaxReason) {
    errors.push_back("标记理由最多 " + std::to_string(kMaxReason) + " 个字，现有 " +
                     std::to_string(n) + " 个字。");
  }
  std::vector<std::int64_t> ids = request.item_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) errors.push_back("请至少选择一个要标记的事项。");
  if (ids.size() > kMaxItems) {
    errors.push_back("一次最多标记 " + std::to_string(kMaxItems) + " 个事项。");
  }
  if (!errors.empty()) return Refused{422, std::move(errors)};

  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  AmendmentStore store(*conn);
  // Lock the chosen items first (in id order, as every locker here does), so that no version
  // is published between reading what they cite and flagging that version; the plain read
  // after the locks sees the latest committed versions.
  for (const std::int64_t id : ids) store.lockItem(id);
  std::vector<CitingItem> chosen;
  for (auto& item : store.citingItems(l.key)) {
    if (std::binary_search(ids.begin(), ids.end(), item.item_id)) chosen.push_back(std::move(item));
  }
  if (chosen.empty()) {
    return Refused{422, {"所选事项的现行版本都已不再引用" + l.law + "，没有标记任何事项。"}};
  }
  const std::int64_t amendment_id =
      store.insertAmendment(l.title, l.key, *kind, reason, audit.account_id);
  changes::ChangeLogWriter change_log(*conn);
  nlohmann::json items = nlohmann::json::array();
  std::map<std::int64_t, int> per_department;
  for (const auto& item : chosen) {
    store.insertFlag(amendment_id, item);
    change_log.record(changes::DocKind::Item, itemDocKey(item.department_id, item.code), false);
    items.push_back({{"code", item.code},
                     {"department_id", item.department_id},
                     {"version", item.version},
                     {"articles", item.articles}});
    ++per_department[item.department_id];
  }
  audit.action = "law_amendment.flag";
  audit.object_type = "law_amendment";
  audit.object_id = std::to_string(amendment_id);
  if (per_department.size() == 1) audit.department_id = per_department.begin()->first;
  audit.summary = "标记引用" + l.law + "（" + std::string(amendmentKindName(*kind)) + "）的事项 " +
                  std::to_string(chosen.size()) + " 项（" + std::to_string(per_department.size()) +
                  " 个部门）：" + reason;
  audit.after_json = nlohmann::json{{"title", l.title},
                                    {"law_key", l.key},
                                    {"kind", std::string(amendmentKindCode(*kind))},
                                    {"reason", reason},
                                    {"items", items}}
                         .dump();
  accounts::AuditStore(*conn, clock_).append(audit);
  tx.commit();
  return FlagOutcome{amendment_id, chosen.size()};
}

std::vector<LawAmendment> AmendmentService::recent(int limit) {
  auto conn = pool_.acquire();
  return AmendmentStore(*conn).recent(limit);
}

std::optional<LawAmendment> AmendmentService::amendment(std::int64_t id) {
  auto conn = pool_.acquire();
  return AmendmentStore(*conn).find(id);
}

std::vector<FlaggedItem> AmendmentService::flaggedItems(std::int64_t amendment_id) {
  auto conn = pool_.acquire();
  return AmendmentStore(*conn).flaggedItems(amendment_id);
}

}  // namespace portal::publishing
