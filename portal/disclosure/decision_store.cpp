#include "portal/disclosure/decision_store.h"

#include <nlohmann/json.hpp>

namespace portal::disclosure {

namespace {

constexpr const char* kColumns =
    "SELECT d.id, d.department_id, d.decision_number, d.decision_kind, d.party_kind, "
    "d.party_name, d.facts, d.legal_basis, d.outcome_type, d.outcome_text, d.fine_amount_fen, "
    "DATE_FORMAT(d.decision_date, '%Y-%m-%d') AS decision_date, "
    "DATE_FORMAT(d.publish_due, '%Y-%m-%d') AS publish_due, d.publish_provisional, "
    "d.involves_minor, d.state, d.confirmed_findings, "
    "DATE_FORMAT(d.published_at, '%Y-%m-%d %H:%i:%s') AS published_at, "
    "DATE_FORMAT(d.published_on, '%Y-%m-%d') AS published_on, "
    "DATE_FORMAT(d.changed_on, '%Y-%m-%d') AS changed_on, "
    "DATE_FORMAT(d.withdraw_due, '%Y-%m-%d') AS withdraw_due, d.withdraw_provisional, "
    "DATE_FORMAT(d.withdrawn_at, '%Y-%m-%d %H:%i:%s') AS withdrawn_at, "
    "DATE_FORMAT(d.withdrawn_on, '%Y-%m-%d') AS withdrawn_on, d.withdraw_reason, d.author_id, "
    "d.retired_at IS NOT NULL AS retired, "
    "DATE_FORMAT(d.created_at, '%Y-%m-%d %H:%i:%s') AS created_at, "
    "dep.slug AS department_slug, dep.name AS department_name "
    "FROM enforcement_decisions d JOIN departments dep ON dep.id = d.department_id ";

std::optional<hotline::CivilDate> optDate(const db::Rows& r, const char* column) {
  const auto s = r.optStr(column);
  return s ? hotline::CivilDate::parse(*s) : std::nullopt;
}

Decision readDecision(const db::Rows& r) {
  Decision d;
  d.id = r.i64("id");
  d.department_id = r.i64("department_id");
  d.decision_number = r.str("decision_number");
  d.kind = parseDecisionKind(r.str("decision_kind")).value_or(DecisionKind::Penalty);
  d.party_kind = parsePartyKind(r.str("party_kind")).value_or(PartyKind::Organisation);
  d.party_name = r.str("party_name");
  d.facts = r.str("facts");
  d.legal_basis = r.str("legal_basis");
  d.outcome_type = r.str("outcome_type");
  d.outcome_text = r.str("outcome_text");
  d.fine_amount_fen = r.optI64("fine_amount_fen");
  d.decision_date = optDate(r, "decision_date").value_or(hotline::CivilDate());
  d.publish_due = optDate(r, "publish_due").value_or(hotline::CivilDate());
  d.publish_provisional = r.i64("publish_provisional") != 0;
  d.involves_minor = r.i64("involves_minor") != 0;
  d.state = parseDecisionState(r.str("state")).value_or(DecisionState::Draft);
  const auto confirmed = nlohmann::json::parse(r.str("confirmed_findings"), nullptr, false);
  if (confirmed.is_array()) {
    for (const auto& k : confirmed) {
      if (k.is_string()) d.confirmed_findings.push_back(k.get<std::string>());
    }
  }
  d.published_at = r.str("published_at");
  d.published_on = optDate(r, "published_on");
  d.changed_on = optDate(r, "changed_on");
  d.withdraw_due = optDate(r, "withdraw_due");
  d.withdraw_provisional = r.i64("withdraw_provisional") != 0;
  d.withdrawn_at = r.str("withdrawn_at");
  d.withdrawn_on = optDate(r, "withdrawn_on");
  d.withdraw_reason = r.str("withdraw_reason");
  d.retired = r.i64("retired") != 0;
  d.author_id = r.optI64("author_id");
  d.created_at = r.str("created_at");
  d.department_slug = r.str("department_slug");
  d.department_name = r.str("department_name");
  return d;
}

std::string confirmedJson(const std::vector<std::string>& keys) {
  return nlohmann::json(keys).dump();
}

}  // namespace

std::int64_t DecisionStore::count() {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM enforcement_decisions");
  return r.next() ? r.i64("n") : 0;
}

std::int64_t DecisionStore::insert(const Decision& d) {
  conn_.execute(
      "INSERT INTO enforcement_decisions (department_id, decision_number, decision_kind, "
      "party_kind, party_name, facts, legal_basis, outcome_type, outcome_text, fine_amount_fen, "
      "decision_date, publish_due, publish_provisional, involves_minor, state, "
      "confirmed_findings, author_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
      d.department_id, d.decision_number, decisionKindCode(d.kind), partyKindCode(d.party_kind),
      d.party_name, d.facts, d.legal_basis, d.outcome_type, d.outcome_text, d.fine_amount_fen,
      d.decision_date.toString(), d.publish_due.toString(), d.publish_provisional, d.involves_minor,
      confirmedJson(d.confirmed_findings), d.author_id);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

bool DecisionStore::updateDraft(const Decision& d) {
  // affected rows count changed rows only; a save without changes still matches.
  const auto before = find(d.id);
  if (!before || before->state != DecisionState::Draft) return false;
  conn_.execute(
      "UPDATE enforcement_decisions SET decision_number = ?, decision_kind = ?, party_kind = ?, "
      "party_name = ?, facts = ?, legal_basis = ?, outcome_type = ?, outcome_text = ?, "
      "fine_amount_fen = ?, decision_date = ?, publish_due = ?, publish_provisional = ?, "
      "involves_minor = ?, confirmed_findings = ?, updated_at = CURRENT_TIMESTAMP "
      "WHERE id = ? AND state = 'draft'",
      d.decision_number, decisionKindCode(d.kind), partyKindCode(d.party_kind), d.party_name,
      d.facts, d.legal_basis, d.outcome_type, d.outcome_text, d.fine_amount_fen,
      d.decision_date.toString(), d.publish_due.toString(), d.publish_provisional, d.involves_minor,
      confirmedJson(d.confirmed_findings), d.id);
  return true;
}

std::optional<Decision> DecisionStore::findWith(std::int64_t id, bool for_update) {
  const std::string sql =
      std::string(kColumns) + "WHERE d.id = ?" + (for_update ? " FOR UPDATE" : "");
  db::Rows r = conn_.query(sql, id);
  if (!r.next()) return std::nullopt;
  return readDecision(r);
}

std::optional<Decision> DecisionStore::find(std::int64_t id) { return findWith(id, false); }
std::optional<Decision> DecisionStore::findForUpdate(std::int64_t id) { return findWith(id, true); }

void DecisionStore::setConfirmedFindings(std::int64_t id, const std::vector<std::string>& keys) {
  conn_.execute("UPDATE enforcement_decisions SET confirmed_findings = ? WHERE id = ?",
                confirmedJson(keys), id);
}

bool DecisionStore::updatePublished(const Decision& d) {
  const auto before = find(d.id);
  if (!before || before->state != DecisionState::Published) return false;
  conn_.execute(
      "UPDATE enforcement_decisions SET decision_number = ?, decision_kind = ?, party_kind = ?, "
      "party_name = ?, facts = ?, legal_basis = ?, outcome_type = ?, outcome_text = ?, "
      "fine_amount_fen = ?, decision_date = ?, involves_minor = ?, confirmed_findings = ?, "
      "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'published'",
      d.decision_number, decisionKindCode(d.kind), partyKindCode(d.party_kind), d.party_name,
      d.facts, d.legal_basis, d.outcome_type, d.outcome_text, d.fine_amount_fen,
      d.decision_date.toString(), d.involves_minor, confirmedJson(d.confirmed_findings), d.id);
  return true;
}

std::int64_t DecisionStore::insertCorrection(const DecisionCorrection& c) {
  conn_.execute(
      "INSERT INTO decision_corrections (decision_id, corrected_at, corrected_on, note, "
      "before_json, after_json, author_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      c.decision_id, c.corrected_at, c.corrected_on.toString(), c.note, c.before_json, c.after_json,
      c.author_id);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

std::vector<DecisionCorrection> DecisionStore::corrections(std::int64_t decision_id) {
  db::Rows r = conn_.query(
      "SELECT id, decision_id, DATE_FORMAT(corrected_at, '%Y-%m-%d %H:%i:%s') AS corrected_at, "
      "DATE_FORMAT(corrected_on, '%Y-%m-%d') AS corrected_on, note, "
      "CAST(before_json AS CHAR) AS before_json, CAST(after_json AS CHAR) AS after_json, "
      "author_id FROM decision_corrections WHERE decision_id = ? "
      "ORDER BY corrected_at DESC, id DESC",
      decision_id);
  std::vector<DecisionCorrection> out;
  while (r.next()) {
    DecisionCorrection c;
    c.id = r.i64("id");
    c.decision_id = r.i64("decision_id");
    c.corrected_at = r.str("corrected_at");
    c.corrected_on = optDate(r, "corrected_on").value_or(hotline::CivilDate());
    c.note = r.str("note");
    c.before_json = r.str("before_json");
    c.after_json = r.str("after_json");
    c.author_id = r.optI64("author_id");
    out.push_back(std::move(c));
  }
  return out;
}

void DecisionStore::markPublished(std::int64_t id, const std::string& at,
                                  const hotline::CivilDate& on) {
  conn_.execute(
      "UPDATE enforcement_decisions SET state = 'published', published_at = ?, published_on = ?, "
      "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'draft'",
      at, on.toString(), id);
}

void DecisionStore::markChanged(std::int64_t id, const hotline::CivilDate& changed_on,
                                const hotline::CivilDate& due, bool due_provisional) {
  conn_.execute(
      "UPDATE enforcement_decisions SET changed_on = ?, withdraw_due = ?, withdraw_provisional = "
      "?, "
      "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'published'",
      changed_on.toString(), due.toString(), due_provisional, id);
}

void DecisionStore::markWithdrawn(std::int64_t id, const hotline::CivilDate& changed_on,
                                  const hotline::CivilDate& due, bool due_provisional,
                                  const std::string& at, const hotline::CivilDate& on,
                                  const std::string& reason) {
  conn_.execute(
      "UPDATE enforcement_decisions SET state = 'withdrawn', changed_on = ?, withdraw_due = ?, "
      "withdraw_provisional = ?, withdrawn_at = ?, withdrawn_on = ?, withdraw_reason = ?, "
      "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'published'",
      changed_on.toString(), due.toString(), due_provisional, at, on.toString(), reason, id);
}

DecisionPage DecisionStore::listPublic(const DecisionFilter& f,
                                       const hotline::CivilDate& published_since) {
  std::string where =
      "WHERE d.state IN ('published', 'withdrawn') AND d.retired_at IS NULL AND d.published_on >= "
      "?";
  std::vector<db::Param> params{published_since.toString()};
  if (f.department_id) {
    where += " AND d.department_id = ?";
    params.push_back(*f.department_id);
  }
  if (f.kind) {
    where += " AND d.decision_kind = ?";
    params.push_back(std::string(decisionKindCode(*f.kind)));
  }
  if (f.outcome_type) {
    where += " AND d.outcome_type = ?";
    params.push_back(*f.outcome_type);
  }
  if (f.year) {
    where += " AND d.decision_date >= ? AND d.decision_date < ?";
    params.push_back(std::to_string(*f.year) + "-01-01");
    params.push_back(std::to_string(*f.year + 1) + "-01-01");
  }
  DecisionPage page;
  db::Rows total =
      conn_.queryParams("SELECT COUNT(*) AS n FROM enforcement_decisions d " + where, params);
  if (total.next()) page.total = total.i64("n");
  params.push_back(static_cast<std::int64_t>(f.page_size));
  params.push_back(static_cast<std::int64_t>((f.page - 1) * f.page_size));
  db::Rows r = conn_.queryParams(
      std::string(kColumns) + where + " ORDER BY d.decision_date DESC, d.id DESC LIMIT ? OFFSET ?",
      params);
  while (r.next()) page.decisions.push_back(readDecision(r));
  return page;
}

std::vector<Decision> DecisionStore::listForStaff(std::optional<std::int64_t> department_id,
                                                  std::optional<DecisionState> state, int limit) {
  std::string where = "WHERE d.retired_at IS NULL";
  std::vector<db::Param> params;
  if (department_id) {
    where += " AND d.department_id = ?";
    params.push_back(*department_id);
  }
  if (state) {
    where += " AND d.state = ?";
    params.push_back(std::string(decisionStateCode(*state)));
  }
  params.push_back(static_cast<std::int64_t>(limit));
  db::Rows r = conn_.queryParams(
      std::string(kColumns) + where +
          // What needs doing first: drafts by publication due date, then decisions waiting to
          // be withdrawn by withdrawal due date, then the rest.
          " ORDER BY d.state = 'draft' DESC, (d.state = 'published' AND d.changed_on IS NOT NULL) "
          "DESC, d.publish_due ASC, d.withdraw_due ASC, d.decision_date DESC, d.id DESC "
          "LIMIT ?",
      params);
  std::vector<Decision> out;
  while (r.next()) out.push_back(readDecision(r));
  return out;
}

std::vector<std::int64_t> DecisionStore::dueForRetirement(const hotline::CivilDate& cutoff,
                                                          int limit) {
  db::Rows r = conn_.query(
      "SELECT id FROM enforcement_decisions WHERE state IN ('published', 'withdrawn') "
      "AND retired_at IS NULL AND published_on < ? ORDER BY id LIMIT ?",
      cutoff.toString(), limit);
  std::vector<std::int64_t> ids;
  while (r.next()) ids.push_back(r.i64("id"));
  return ids;
}

void DecisionStore::markRetired(std::int64_t id, const std::string& at) {
  conn_.execute(
      "UPDATE enforcement_decisions SET retired_at = ? WHERE id = ? AND retired_at IS NULL", at,
      id);
}

std::vector<std::int64_t> DecisionStore::publicIds() {
  db::Rows r = conn_.query(
      "SELECT id FROM enforcement_decisions WHERE state = 'published' AND retired_at IS NULL "
      "ORDER BY id");
  std::vector<std::int64_t> ids;
  while (r.next()) ids.push_back(r.i64("id"));
  return ids;
}

std::vector<Decision> DecisionStore::withProvisionalClock() {
  db::Rows r = conn_.query(std::string(kColumns) +
                           "WHERE d.publish_provisional = 1 OR d.withdraw_provisional = 1 "
                           "ORDER BY d.id FOR UPDATE");
  std::vector<Decision> out;
  while (r.next()) out.push_back(readDecision(r));
  return out;
}

void DecisionStore::setPublishDue(std::int64_t id, const hotline::CivilDate& due,
                                  bool provisional) {
  conn_.execute(
      "UPDATE enforcement_decisions SET publish_due = ?, publish_provisional = ? WHERE id = ?",
      due.toString(), provisional, id);
}

void DecisionStore::setWithdrawDue(std::int64_t id, const hotline::CivilDate& due,
                                   bool provisional) {
  conn_.execute(
      "UPDATE enforcement_decisions SET withdraw_due = ?, withdraw_provisional = ? WHERE id = ?",
      due.toString(), provisional, id);
}

std::vector<DecisionCount> DecisionStore::counts(const hotline::CivilDate& from,
                                                 const hotline::CivilDate& to,
                                                 const hotline::CivilDate& today) {
  db::Rows r = conn_.query(
      "SELECT dep.name AS department_name, DATE_FORMAT(d.decision_date, '%Y-%m') AS month, "
      "d.decision_kind, d.outcome_type, "
      "SUM(d.state <> 'draft') AS published, "
      "SUM(d.state <> 'draft' AND d.published_on <= d.publish_due) AS on_time, "
      // A decision about a minor is never published: neither pending nor overdue.
      "SUM(d.state = 'draft' AND NOT d.involves_minor) AS pending, "
      "SUM(d.state = 'draft' AND NOT d.involves_minor AND d.publish_due < ?) AS overdue "
      "FROM enforcement_decisions d JOIN departments dep ON dep.id = d.department_id "
      "WHERE d.decision_date >= ? AND d.decision_date <= ? "
      "GROUP BY dep.sort_order, dep.name, month, d.decision_kind, d.outcome_type "
      "ORDER BY dep.sort_order, dep.name, month",
      today.toString(), from.toString(), to.toString());
  std::vector<DecisionCount> out;
  while (r.next()) {
    out.push_back({r.str("department_name"), r.str("month"), r.str("decision_kind"),
                   r.str("outcome_type"), r.i64("published"), r.i64("on_time"), r.i64("pending"),
                   r.i64("overdue")});
  }
  return out;
}

}  // namespace portal::disclosure
