#include "portal/disclosure/decision_service.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "db/retry.h"
#include "db/transaction.h"
#include "base/utf8.h"
#include "hotline/text.h"
#include "portal/accounts/audit_store.h"
#include "portal/accounts/permissions.h"
#include "portal/changes/change_log_writer.h"

namespace portal::disclosure {

namespace {

Refused refused(int status, std::string message) { return Refused{status, {std::move(message)}}; }

bool mayEdit(const accounts::Actor& actor, std::int64_t department_id) {
  return !actor.principal || accounts::canEditItemOf(*actor.principal, department_id);
}

std::string label(const Decision& d) { return "“" + d.decision_number + "”"; }

nlohmann::json auditJson(const Decision& d) {
  nlohmann::json j{{"decision_number", d.decision_number},
                   {"decision_kind", std::string(decisionKindCode(d.kind))},
                   {"party_kind", std::string(partyKindCode(d.party_kind))},
                   {"party_name", d.publicPartyName()},
                   {"outcome_type", d.outcome_type},
                   {"decision_date", d.decision_date.toString()},
                   {"publish_due", d.publish_due.toString()},
                   {"involves_minor", d.involves_minor},
                   {"state", std::string(decisionStateCode(d.state))}};
  if (d.fine_amount_fen) j["fine_amount"] = formatYuan(*d.fine_amount_fen);
  if (!d.withdraw_reason.empty()) j["withdraw_reason"] = d.withdraw_reason;
  return j;
}

void audit(db::Connection& conn, const hotline::LocalClock& clock, const accounts::Actor& actor,
           const std::string& action, const Decision& d, const std::string& summary,
           const std::optional<Decision>& before = std::nullopt) {
  accounts::AuditEntry e = accounts::auditEntryFor(actor);
  e.action = action;
  e.department_id = d.department_id;
  e.object_type = "decision";
  e.object_id = std::to_string(d.id);
  e.summary = summary;
  if (before) e.before_json = auditJson(*before).dump();
  e.after_json = auditJson(d).dump();
  accounts::AuditStore(conn, clock.instantSource()).append(e);
}

// What stops `d` from being public, in Chinese (empty: nothing): a decision about a minor never
// is; each finding of the redaction check must be in `confirmed` (a minor's age cannot be).
// `d.confirmed_findings` becomes the confirmations of what is found now; the rest are dropped.
// The one check of publication and correction.
std::vector<std::string> publicationBlockers(Decision& d,
                                             const std::vector<std::string>& confirmed) {
  if (d.involves_minor) return {"该决定涉及未成年人，依法不予公开。"};
  d.confirmed_findings.clear();
  std::vector<std::string> missing;
  for (const DecisionFinding& f : findingsOf(d)) {
    if (f.confirmable && std::find(confirmed.begin(), confirmed.end(), f.key) != confirmed.end()) {
      if (std::find(d.confirmed_findings.begin(), d.confirmed_findings.end(), f.key) ==
          d.confirmed_findings.end()) {
        d.confirmed_findings.push_back(f.key);
      }
    } else {
      missing.push_back(findingMessage(f));
    }
  }
  return missing;
}

// Personal data in a text staff write for the public (a withdrawal reason, a correction note),
// each quoted where it stands: "<what>中疑似手机号码“…”（“…”）：<what>将公开，请删除。"
void refusePersonalData(const std::string& what, const std::string& public_text,
                        std::vector<std::string>& errors) {
  for (const Finding& f : findPersonalData(public_text)) {
    errors.push_back(what + "中疑似" + std::string(findingLabel(f.kind)) + "“" + f.text + "”（“" +
                     findingContext(public_text, f) + "”）：" + what + "将公开，请删除。");
  }
}

}  // namespace

hotline::Deadline DecisionService::publicationClock(const Decision& d) {
  return publicationDeadline(*calendar_.calendar(), d.decision_date, d.kind, options_);
}

std::optional<hotline::Deadline> DecisionService::withdrawalClock(const Decision& d) {
  if (!d.changed_on) return std::nullopt;
  return withdrawalDeadline(*calendar_.calendar(), *d.changed_on, options_);
}

int DecisionService::workingDaysLeft(const Decision& d) {
  return hotline::workingDaysBetween(*calendar_.calendar(), today(), d.publish_due);
}

hotline::CivilDate DecisionService::retentionCutoff() const {
  return today().addDays(-options_.retention_days);
}

std::optional<std::string> DecisionService::correctionRefusal(const Decision& d) const {
  if (d.state != DecisionState::Published || isRetired(d)) return "只有正在公开的决定可以更正。";
  if (d.changed_on) return "该决定已登记变更或撤销，请撤下，不要更正。";
  return std::nullopt;
}

bool DecisionService::isRetired(const Decision& d) const {
  return d.retired || (d.published_on && *d.published_on < retentionCutoff());
}

DecisionResult DecisionService::create(const accounts::Actor& actor, std::int64_t department_id,
                                       const DecisionInput& input) {
  if (!mayEdit(actor, department_id)) return refused(403, "您只能登记本部门的执法决定。");
  ValidatedDecision v = validateDecision(input, today());
  if (!v.errors.empty()) return Refused{422, v.errors};
  Decision& d = v.decision;
  d.department_id = department_id;
  d.author_id = actor.accountId();
  const hotline::Deadline due = publicationClock(d);
  d.publish_due = due.due;
  d.publish_provisional = due.provisional;
  auto conn = pool_.acquire();
  try {
    db::Transaction tx(*conn);
    DecisionStore store(*conn);
    d.id = store.insert(d);
    audit(*conn, clock_, actor, "decision.create", d,
          "登记执法决定 " + label(d) + "，应于 " + d.publish_due.toString() + " 前公开");
    tx.commit();
  } catch (const db::DbError& e) {
    if (e.isDuplicateKey())
      return refused(409, "本部门已登记文号为“" + d.decision_number + "”的决定。");
    throw;
  }
  return d.id;
}

DecisionResult DecisionService::update(const accounts::Actor& actor, std::int64_t id,
                                       const DecisionInput& input) {
  auto conn = pool_.acquire();
  try {
    db::Transaction tx(*conn);
    DecisionStore store(*conn);
    const auto before = store.findForUpdate(id);
    if (!before) return refused(404, "未找到该执法决定。");
    if (!mayEdit(actor, before->department_id)) return refused(403, "您只能修改本部门的执法决定。");
    if (before->state != DecisionState::Draft) {
      return refused(409, "该决定已公开，不能再修改；决定变更或撤销的，请撤下并说明理由。");
    }
    ValidatedDecision v = validateDecision(input, today());
    if (!v.errors.empty()) return Refused{422, v.errors};
    Decision d = v.decision;
    d.id = id;
    d.department_id = before->department_id;
    d.author_id = before->author_id;
    d.confirmed_findings = before->confirmed_findings;
    const hotline::Deadline due = publicationClock(d);
    d.publish_due = due.due;
    d.publish_provisional = due.provisional;
    store.updateDraft(d);
    audit(*conn, clock_, actor, "decision.update", d, "修改执法决定 " + label(d), before);
    tx.commit();
  } catch (const db::DbError& e) {
    if (e.isDuplicateKey()) return refused(409, "本部门已有同一文号的决定。");
    throw;
  }
  return id;
}

DecisionResult DecisionService::publish(const accounts::Actor& actor, std::int64_t id,
                                        const std::vector<std::string>& confirmed) {
  // A deadlock or lock-wait timeout rolled the attempt back: run it again.
  return db::withRetry([&]() -> DecisionResult {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    DecisionStore store(*conn);
    auto d = store.findForUpdate(id);
    if (!d) return refused(404, "未找到该执法决定。");
    if (!mayEdit(actor, d->department_id)) return refused(403, "您只能公开本部门的执法决定。");
    if (d->state != DecisionState::Draft) return refused(409, "该决定已经公开过。");
    const std::vector<std::string> missing = publicationBlockers(*d, confirmed);
    if (!missing.empty()) return Refused{422, missing};
    const hotline::LocalTime now = clock_.now();
    store.setConfirmedFindings(id, d->confirmed_findings);
    store.markPublished(id, now.text, now.date);
    d->state = DecisionState::Published;
    d->published_on = now.date;
    changes::ChangeLogWriter(*conn).record(changes::DocKind::Decision, std::to_string(id), false);
    audit(*conn, clock_, actor, "decision.publish", *d,
          "公开执法决定 " + label(*d) +
              (d->publishedOnTime() ? "（按期）"
                                    : "（已超过公开期限 " + d->publish_due.toString() + "）"));
    tx.commit();
    return id;
  });
}

namespace {

// The change date typed by staff: errors in Chinese when missing, malformed or in the future.
std::optional<hotline::CivilDate> parseChangedOn(const std::string& text,
                                                 const hotline::CivilDate& today,
                                                 std::vector<std::string>& errors) {
  const auto changed_on = hotline::CivilDate::parse(base::trim(text));
  if (!changed_on) {
    errors.push_back("请填写决定被变更或撤销的日期，格式如 2026-03-05。");
  } else if (*changed_on > today) {
    errors.push_back("决定变更或撤销的日期不能晚于今天。");
  }
  return changed_on;
}

}  // namespace

DecisionResult DecisionService::recordChange(const accounts::Actor& actor, std::int64_t id,
                                             const std::string& changed_on_text) {
  std::vector<std::string> errors;
  const auto changed_on = parseChangedOn(changed_on_text, today(), errors);
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  DecisionStore store(*conn);
  auto d = store.findForUpdate(id);
  if (!d) return refused(404, "未找到该执法决定。");
  if (!mayEdit(actor, d->department_id)) return refused(403, "您只能处理本部门的执法决定。");
  if (d->state != DecisionState::Published) return refused(409, "只有已公开的决定需要撤下。");
  if (d->changed_on) {
    return refused(409, "已登记该决定于 " + d->changed_on->toString() + " 变更或撤销，请撤下。");
  }
  if (changed_on && *changed_on < d->decision_date) {
    errors.push_back("决定变更或撤销的日期不能早于作出决定的日期。");
  }
  if (!errors.empty()) return Refused{422, errors};
  const Decision before = *d;
  const hotline::Deadline due = withdrawalDeadline(*calendar_.calendar(), *changed_on, options_);
  store.markChanged(id, *changed_on, due.due, due.provisional);
  d->changed_on = changed_on;
  d->withdraw_due = due.due;
  d->withdraw_provisional = due.provisional;
  audit(*conn, clock_, actor, "decision.changed", *d,
        "登记执法决定 " + label(*d) + " 已于 " + changed_on->toString() + " 变更或撤销，应于 " +
            due.due.toString() + " 前撤下",
        before);
  tx.commit();
  return id;
}

DecisionResult DecisionService::withdraw(const accounts::Actor& actor, std::int64_t id,
                                         const std::string& changed_on_text,
                                         const std::string& reason_text) {
  const std::string reason = base::trim(reason_text);
  std::vector<std::string> errors;
  if (reason.empty()) errors.push_back("请填写撤下的理由（决定被变更、撤销或确认违法等）。");
  if (hotline::utf8Length(reason) > 500) errors.push_back("撤下理由不能超过500个字。");
  const hotline::LocalTime now = clock_.now();
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  DecisionStore store(*conn);
  auto d = store.findForUpdate(id);
  if (!d) return refused(404, "未找到该执法决定。");
  if (!mayEdit(actor, d->department_id)) return refused(403, "您只能撤下本部门的执法决定。");
  if (d->state != DecisionState::Published) return refused(409, "只有已公开的决定可以撤下。");
  const bool use_recorded = base::trim(changed_on_text).empty() && d->changed_on;
  const auto changed_on =
      use_recorded ? d->changed_on : parseChangedOn(changed_on_text, now.date, errors);
  // A recorded change date may be corrected to an earlier day, never moved later: that would
  // restart the statutory clock.
  if (changed_on && d->changed_on && *changed_on > *d->changed_on) {
    errors.push_back("已登记决定于 " + d->changed_on->toString() +
                     " 变更或撤销，撤下期限从该日起算，不能改为更晚的日期。");
  }
  // The reason stays public: it may not carry what the decision itself could not.
  const std::string public_reason = d->maskParty(reason);
  refusePersonalData("撤下理由", public_reason, errors);
  if (changed_on && *changed_on < d->decision_date) {
    errors.push_back("决定变更或撤销的日期不能早于作出决定的日期。");
  }
  if (!errors.empty()) return Refused{422, errors};
  const Decision before = *d;
  const hotline::Deadline due = withdrawalDeadline(*calendar_.calendar(), *changed_on, options_);
  store.markWithdrawn(id, *changed_on, due.due, due.provisional, now.text, now.date, public_reason);
  d->state = DecisionState::Withdrawn;
  d->changed_on = changed_on;
  d->withdraw_due = due.due;
  d->withdraw_provisional = due.provisional;
  d->withdrawn_on = now.date;
  d->withdraw_reason = public_reason;
  // The content leaves the index; the public page shows the withdrawal notice instead.
  changes::ChangeLogWriter(*conn).record(changes::DocKind::Decision, std::to_string(id), true);
  audit(*conn, clock_, actor, "decision.withdraw", *d,
        "撤下执法决定 " + label(*d) + "：" + reason +
            (d->withdrawnOnTime() ? "" : "（已超过撤下期限 " + due.due.toString() + "）"),
        before);
  tx.commit();
  return id;
}

DecisionResult DecisionService::correct(const accounts::Actor& actor, std::int64_t id,
                                        const DecisionInput& input, const std::string& note_text,
                                        const std::vector<std::string>& confirmed) {
  const std::string note = base::trim(note_text);
  std::vector<std::string> input_errors;
  if (note.empty()) input_errors.push_back("请填写更正说明（更正了什么，将在公开页面显示）。");
  if (hotline::utf8Length(note) > 500) input_errors.push_back("更正说明不能超过500个字。");
  const hotline::LocalTime now = clock_.now();
  const ValidatedDecision v = validateDecision(input, now.date);
  input_errors.insert(input_errors.end(), v.errors.begin(), v.errors.end());
  // A deadlock or lock-wait timeout rolled the attempt back: run it again.
  return db::withRetry([&]() -> DecisionResult {
    std::vector<std::string> errors = input_errors;
    auto conn = pool_.acquire();
    try {
      db::Transaction tx(*conn);
      DecisionStore store(*conn);
      const auto before = store.findForUpdate(id);
      if (!before) return refused(404, "未找到该执法决定。");
      if (!mayEdit(actor, before->department_id)) {
        return refused(403, "您只能更正本部门的执法决定。");
      }
      if (const auto why = correctionRefusal(*before)) return refused(409, *why);
      const Decision& d = v.decision;
      // The date and kind set the publication clock (and the public on-time figures): a
      // correction keeps the clock, so it may not change what the clock was computed from.
      if (d.decision_date != before->decision_date || d.kind != before->kind) {
        errors.push_back(
            "作出决定日期和决定类别决定公开期限，不能更正；确有错误的，请撤下后重新登记。");
      }
      // The note is public: a person-party's name masked, as it was before and as corrected,
      // the longer name first (王小明明 corrected to 王小明 would otherwise leave 明 showing).
      const bool before_longer = before->party_name.size() >= d.party_name.size();
      const Decision& longer = before_longer ? *before : d;
      const Decision& shorter = before_longer ? d : *before;
      const std::string public_note = shorter.maskParty(longer.maskParty(note));
      refusePersonalData("更正说明", public_note, errors);
      if (!errors.empty()) return Refused{422, errors};
      // Everything but the corrected fields stays: the address, the publication date, the clock.
      Decision corrected = *before;
      corrected.decision_number = d.decision_number;
      corrected.kind = d.kind;
      corrected.party_kind = d.party_kind;
      corrected.party_name = d.party_name;
      corrected.facts = d.facts;
      corrected.legal_basis = d.legal_basis;
      corrected.outcome_type = d.outcome_type;
      corrected.outcome_text = d.outcome_text;
      corrected.fine_amount_fen = d.fine_amount_fen;
      corrected.decision_date = d.decision_date;
      corrected.involves_minor = d.involves_minor;
      if (sameContent(corrected, *before)) {
        return refused(422, "无变化：更正后的内容与已公开的内容相同，请修改需要更正的信息。");
      }
      // Confirmed at publication and still found: stays confirmed.
      std::vector<std::string> all_confirmed = confirmed;
      all_confirmed.insert(all_confirmed.end(), before->confirmed_findings.begin(),
                           before->confirmed_findings.end());
      const std::vector<std::string> missing = publicationBlockers(corrected, all_confirmed);
      if (!missing.empty()) return Refused{422, missing};
      store.updatePublished(corrected);
      DecisionCorrection c;
      c.decision_id = id;
      c.corrected_at = now.text;
      c.corrected_on = now.date;
      c.note = public_note;
      c.before_json = contentJson(*before);
      c.after_json = contentJson(corrected);
      c.author_id = actor.accountId();
      store.insertCorrection(c);
      changes::ChangeLogWriter(*conn).record(changes::DocKind::Decision, std::to_string(id), false);
      audit(*conn, clock_, actor, "decision.correct", corrected,
            "更正执法决定 " + label(corrected) + "：" + public_note, before);
      tx.commit();
    } catch (const db::DbError& e) {
      if (e.isDuplicateKey()) return refused(409, "本部门已有同一文号的决定。");
      throw;
    }
    return id;
  });
}

std::vector<DecisionCorrection> DecisionService::corrections(std::int64_t id) {
  auto conn = pool_.acquire();
  return DecisionStore(*conn).corrections(id);
}

std::size_t DecisionService::retireExpired() {
  const hotline::CivilDate cutoff = retentionCutoff();
  const std::string at = clock_.now().text;
  std::size_t retired = 0;
  for (;;) {
    auto conn = pool_.acquire();
    db::Transaction tx(*conn);
    DecisionStore store(*conn);
    const auto ids = store.dueForRetirement(cutoff, 200);
    if (ids.empty()) break;
    changes::ChangeLogWriter log(*conn);
    for (std::int64_t id : ids) {
      store.markRetired(id, at);
      log.record(changes::DocKind::Decision, std::to_string(id), true);
    }
    tx.commit();
    retired += ids.size();
  }
  return retired;
}

std::size_t DecisionService::recomputeProvisionalClocks() {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  DecisionStore store(*conn);
  std::size_t changed = 0;
  for (const Decision& d : store.withProvisionalClock()) {
    if (d.publish_provisional) {
      const hotline::Deadline due = publicationClock(d);
      if (due.due != d.publish_due || due.provisional != d.publish_provisional) {
        store.setPublishDue(d.id, due.due, due.provisional);
        ++changed;
      }
    }
    if (d.withdraw_provisional && d.changed_on) {
      const hotline::Deadline due =
          withdrawalDeadline(*calendar_.calendar(), *d.changed_on, options_);
      if (due.due != d.withdraw_due || due.provisional != d.withdraw_provisional) {
        store.setWithdrawDue(d.id, due.due, due.provisional);
        ++changed;
      }
    }
  }
  tx.commit();
  return changed;
}

std::optional<Decision> DecisionService::find(std::int64_t id) {
  auto conn = pool_.acquire();
  return DecisionStore(*conn).find(id);
}

DecisionPage DecisionService::listPublic(const DecisionFilter& filter) {
  auto conn = pool_.acquire();
  return DecisionStore(*conn).listPublic(filter, retentionCutoff());
}

std::vector<Decision> DecisionService::listForStaff(std::optional<std::int64_t> department_id,
                                                    std::optional<DecisionState> state, int limit) {
  auto conn = pool_.acquire();
  return DecisionStore(*conn).listForStaff(department_id, state, limit);
}

std::vector<DecisionCount> DecisionService::counts(const hotline::CivilDate& from,
                                                   const hotline::CivilDate& to) {
  auto conn = pool_.acquire();
  return DecisionStore(*conn).counts(from, to, today());
}

void DecisionTotals::add(const DecisionCount& c) {
  published += c.published;
  on_time += c.on_time;
  pending += c.pending;
  overdue += c.overdue;
}

DecisionStatistics DecisionService::statistics(const hotline::CivilDate& from,
                                               const hotline::CivilDate& to) {
  DecisionStatistics s;
  s.counts = counts(from, to);
  std::map<std::string, std::int64_t> by_month;
  for (const DecisionCount& c : s.counts) {
    by_month[c.month] += c.published;
    if (c.published > 0) s.by_outcome[c.outcome_type] += c.published;
    if (s.by_department.empty() || s.by_department.back().first != c.department_name) {
      s.by_department.emplace_back(c.department_name, DecisionTotals{});
    }
    s.by_department.back().second.add(c);
    s.all.add(c);
  }
  int y = from.year();
  int m = from.month();
  while (y < to.year() || (y == to.year() && m <= to.month())) {
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", y, m);
    const auto it = by_month.find(month);
    s.by_month.emplace_back(month, it == by_month.end() ? 0 : it->second);
    if (++m == 13) {
      m = 1;
      ++y;
    }
  }
  return s;
}

}  // namespace portal::disclosure
