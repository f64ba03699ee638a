#include "portal/disclosure/decision_demo.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/disclosure/decision_store.h"
#include "portal/publishing/department_store.h"

namespace portal::seed {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal::disclosure {

int loadShippedDemoDecisions(db::Pool& pool, const hotline::WorkingCalendar& calendar,
                             const DisclosureOptions& options, const hotline::CivilDate& today) {
  for (const auto& [name, text] : seed::embeddedFiles()) {
    if (name == "decisions.json") {
      return loadDemoDecisions(pool, calendar, options, today, std::string(text));
    }
  }
  throw std::runtime_error("no demo decisions compiled in (db/seed/decisions.json)");
}

int loadDemoDecisions(db::Pool& pool, const hotline::WorkingCalendar& calendar,
                      const DisclosureOptions& options, const hotline::CivilDate& today,
                      const std::string& json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text);
  auto conn = pool.acquire();
  db::Transaction tx(*conn);
  DecisionStore store(*conn);
  if (store.count() > 0) return 0;
  publishing::DepartmentStore departments(*conn);
  changes::ChangeLogWriter change_log(*conn);
  int loaded = 0;
  for (const auto& j : doc.at("decisions")) {
    const std::string number = j.at("number").get<std::string>();
    const auto dept = departments.findBySlug(j.at("department").get<std::string>());
    if (!dept) throw std::runtime_error("demo decision " + number + ": unknown department");
    const hotline::CivilDate decided = today.addDays(-j.at("days_ago").get<int>());
    DecisionInput in;
    in.decision_number = number;
    in.decision_kind = j.at("kind").get<std::string>();
    in.party_kind = j.at("party_kind").get<std::string>();
    in.party_name = j.at("party").get<std::string>();
    in.facts = j.at("facts").get<std::string>();
    in.legal_basis = j.at("basis").get<std::string>();
    in.outcome_type = j.at("outcome_type").get<std::string>();
    in.outcome_text = j.at("outcome").get<std::string>();
    in.fine_amount = j.value("amount", std::string());
    in.decision_date = decided.toString();
    ValidatedDecision v = validateDecision(in, today);
    if (!v.errors.empty()) {
      throw std::runtime_error("demo decision " + number + " is invalid: " + v.errors.front());
    }
    Decision& d = v.decision;
    d.department_id = dept->id;
    const hotline::Deadline due = publicationDeadline(calendar, decided, d.kind, options);
    d.publish_due = due.due;
    d.publish_provisional = due.provisional;
    d.id = store.insert(d);
    const auto& published_after = j.at("published_after");
    if (!published_after.is_null()) {
      const hotline::CivilDate on = decided.addDays(published_after.get<int>());
      store.markPublished(d.id, on.toString() + " 10:00:00", on);
      if (j.contains("withdrawn_after")) {
        const hotline::CivilDate changed = decided.addDays(j.at("withdrawn_after").get<int>());
        const hotline::Deadline w = withdrawalDeadline(calendar, changed, options);
        store.markWithdrawn(d.id, changed, w.due, w.provisional,
                            changed.addDays(1).toString() + " 09:30:00", changed.addDays(1),
                            j.at("withdraw_reason").get<std::string>());
      } else {
        change_log.record(changes::DocKind::Decision, std::to_string(d.id), false);
      }
    }
    ++loaded;
  }
  tx.commit();
  return loaded;
}

}  // namespace portal::disclosure
