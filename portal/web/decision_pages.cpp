// After-enforcement disclosure (事后公开): the public list and page of enforcement decisions
// (a withdrawn decision shows the withdrawal notice instead of its content), the JSON API, and
// the staff pages: register a decision, the publication clock, the redaction check, publish,
// correct (更正, in place, with a public note), withdraw.
#include "portal/accounts/permissions.h"
#include "portal/disclosure/decision_service.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::disclosure;

namespace {

std::string decisionUrl(std::int64_t id) { return "/decisions/" + std::to_string(id); }
std::string adminUrl(std::int64_t id) { return "/admin/decisions/" + std::to_string(id); }

std::int64_t decisionId(const Request& req) {
  const auto id = http::parseWholeNumber(req.params.at("id"));
  if (!id) throw http::HttpError(404, "未找到该执法决定。", "not_found");
  return *id;
}

std::string outcomeName(const std::string& code) {
  const OutcomeType* t = findOutcomeType(code);
  return t ? t->name : code;
}

// What the public may see of a decision. Withdrawn: the notice only.
json publicDecisionJson(const Decision& d) {
  json j{{"id", d.id},
         {"url", decisionUrl(d.id)},
         {"decision_number", d.decision_number},
         {"department", {{"slug", d.department_slug}, {"name", d.department_name}}},
         {"decision_kind", std::string(decisionKindCode(d.kind))},
         {"decision_kind_name", std::string(decisionKindName(d.kind))},
         {"decision_date", d.decision_date.toString()},
         {"published_on", d.published_on ? d.published_on->toString() : ""},
         {"state", std::string(decisionStateCode(d.state))},
         {"state_name", std::string(decisionStateName(d.state))},
         {"withdrawn", d.state == DecisionState::Withdrawn}};
  if (d.state == DecisionState::Withdrawn) {
    j["withdrawal"] = {{"reason", d.withdraw_reason},
                       {"withdrawn_on", d.withdrawn_on ? d.withdrawn_on->toString() : ""}};
    return j;
  }
  j.update({{"party_kind", std::string(partyKindCode(d.party_kind))},
            {"party_kind_name", std::string(partyKindName(d.party_kind))},
            {"party", d.publicPartyName()},
            {"facts", d.maskParty(d.facts)},
            {"legal_basis", d.maskParty(d.legal_basis)},
            {"outcome_type", d.outcome_type},
            {"outcome_type_name", outcomeName(d.outcome_type)},
            {"outcome", d.maskParty(d.outcome_text)}});
  // One line for lists: "罚款 5000 元", "没收违法所得、没收非法财物，罚款 50000 元".
  std::string summary = d.outcome_type == "fine" && d.fine_amount_fen ? "" : outcomeName(d.outcome_type);
  if (d.fine_amount_fen) {
    j["fine_amount_yuan"] = formatYuan(*d.fine_amount_fen);
    summary += (summary.empty() ? "罚款 " : "，罚款 ") + formatYuan(*d.fine_amount_fen) + " 元";
  }
  j["outcome_summary"] = summary;
  return j;
}

// The corrections of a public decision, newest first, each with its public line.
json correctionsJson(const std::vector<DecisionCorrection>& corrections) {
  json rows = json::array();
  for (const DecisionCorrection& c : corrections) {
    rows.push_back({{"corrected_on", c.corrected_on.toString()},
                    {"note", c.note},
                    {"line", correctionLine(c)}});
  }
  return rows;
}

// A decision's public page and API: the decision with its corrections (not for a withdrawn
// one, whose content is no longer shown).
json publicDecisionJson(const Decision& d, const std::vector<DecisionCorrection>& corrections) {
  json j = publicDecisionJson(d);
  if (d.state != DecisionState::Withdrawn) {
    j["corrections"] = correctionsJson(corrections);
    j["corrected"] = !corrections.empty();
  }
  return j;
}

json clockJson(const hotline::Deadline& deadline, const hotline::CivilDate& today,
               std::optional<hotline::CivilDate> done_on) {
  const bool overdue = done_on ? *done_on > deadline.due : hotline::isOverdue(deadline, today);
  return json{{"due", deadline.due.toString()},
              {"summary", deadline.summary},
              {"provisional", deadline.provisional},
              {"overdue", overdue},
              {"done", done_on.has_value()}};
}

json staffRowJson(DecisionService& decisions, const Decision& d) {
  json j = publicDecisionJson(d);
  j["admin_url"] = adminUrl(d.id);
  j["party"] = d.publicPartyName();
  j["outcome_type_name"] = outcomeName(d.outcome_type);
  j["publish_due"] = d.publish_due.toString();
  j["involves_minor"] = d.involves_minor;
  const hotline::CivilDate today = decisions.today();
  const bool draft = d.state == DecisionState::Draft;
  j["draft"] = draft;
  j["overdue"] = draft && !d.involves_minor && today > d.publish_due;
  j["late"] = !draft && d.published_on && *d.published_on > d.publish_due;
  j["days_left"] = draft ? decisions.workingDaysLeft(d) : 0;
  // Changed or revoked, not yet withdrawn: the withdrawal clock runs.
  const bool pending = d.state == DecisionState::Published && d.withdraw_due.has_value();
  j["pending_withdrawal"] = pending;
  j["withdraw_due"] = d.withdraw_due ? d.withdraw_due->toString() : "";
  j["withdraw_provisional"] = d.withdraw_provisional;
  j["withdraw_overdue"] = pending && today > *d.withdraw_due;
  return j;
}

// Filters shared by the public list and the API; 400 in Chinese for a bad value.
DecisionFilter parseDecisionFilter(Context& ctx, const Request& req, json& chosen) {
  DecisionFilter f;
  const Paging paging = parsePaging(req, 20);
  f.page = paging.page;
  f.page_size = paging.page_size;
  if (auto slug = req.queryValue("department"); slug && !slug->empty()) {
    auto d = ctx.catalog.department(*slug);
    if (!d) throw http::HttpError(400, "未知的部门。", "bad_department");
    f.department_id = d->id;
    chosen["department"] = d->slug;
  }
  if (auto kind = req.queryValue("kind"); kind && !kind->empty()) {
    f.kind = parseDecisionKind(*kind);
    if (!f.kind) throw http::HttpError(400, "未知的决定类别。", "bad_kind");
    chosen["kind"] = *kind;
  }
  if (auto type = req.queryValue("outcome"); type && !type->empty()) {
    if (!findOutcomeType(*type)) throw http::HttpError(400, "未知的处理结果种类。", "bad_outcome");
    f.outcome_type = *type;
    chosen["outcome"] = *type;
  }
  if (auto year = req.queryValue("year"); year && !year->empty()) {
    const auto y = http::parseWholeNumber(*year, 4);
    if (!y || year->size() != 4) throw http::HttpError(400, "年份须为四位数字。", "bad_year");
    f.year = static_cast<int>(*y);
    chosen["year"] = *year;
  }
  return f;
}

std::string decisionListUrl(const json& chosen, int page) {
  std::string q;
  for (const char* key : {"department", "kind", "outcome", "year"}) {
    if (chosen.contains(key)) {
      q += (q.empty() ? "?" : "&") + std::string(key) + "=" +
           http::percentEncode(chosen[key].get<std::string>());
    }
  }
  if (page > 1) q += (q.empty() ? "?" : "&") + std::string("page=") + std::to_string(page);
  return "/decisions" + q;
}

json decisionInputJson(const DecisionInput& in) {
  json types = json::array();
  for (const auto& t : outcomeTypes()) {
    types.push_back({{"code", t.code},
                     {"name", std::string(t.penalty ? "行政处罚：" : "") + t.name},
                     {"selected", in.outcome_type == t.code}});
  }
  return json{{"decision_number", in.decision_number},
              {"penalty", in.decision_kind != "other"},
              {"other", in.decision_kind == "other"},
              {"organisation", in.party_kind != "person"},
              {"person", in.party_kind == "person"},
              {"party_name", in.party_name},
              {"facts", in.facts},
              {"legal_basis", in.legal_basis},
              {"outcome_types", types},
              {"outcome_text", in.outcome_text},
              {"fine_amount", in.fine_amount},
              {"decision_date", in.decision_date},
              {"involves_minor", in.involves_minor}};
}

DecisionInput inputFromForm(const Form& form) {
  DecisionInput in;
  in.decision_number = http::formValue(form, "decision_number");
  in.decision_kind = http::formValue(form, "decision_kind");
  in.party_kind = http::formValue(form, "party_kind");
  in.party_name = http::formValue(form, "party_name");
  in.facts = http::formValue(form, "facts");
  in.legal_basis = http::formValue(form, "legal_basis");
  in.outcome_type = http::formValue(form, "outcome_type");
  in.outcome_text = http::formValue(form, "outcome_text");
  in.fine_amount = http::formValue(form, "fine_amount");
  in.decision_date = http::formValue(form, "decision_date");
  in.involves_minor = http::formValue(form, "involves_minor") == "1";
  return in;
}

DecisionInput inputOf(const Decision& d) {
  DecisionInput in;
  in.decision_number = d.decision_number;
  in.decision_kind = std::string(decisionKindCode(d.kind));
  in.party_kind = std::string(partyKindCode(d.party_kind));
  in.party_name = d.party_name;
  in.facts = d.facts;
  in.legal_basis = d.legal_basis;
  in.outcome_type = d.outcome_type;
  in.outcome_text = d.outcome_text;
  in.fine_amount = d.fine_amount_fen ? formatYuan(*d.fine_amount_fen) : "";
  in.decision_date = d.decision_date.toString();
  in.involves_minor = d.involves_minor;
  return in;
}

accounts::Actor actorOf(const accounts::Principal& p, const Request& req) {
  return accounts::Actor::staff(p, req.remote_addr);
}

bool canView(const accounts::Principal& p, const Decision& d) {
  return accounts::canEditItemOf(p, d.department_id) || accounts::canReview(p);
}

Decision viewable(Context& ctx, const Request& req, const accounts::Principal& p) {
  auto d = ctx.decisions.find(decisionId(req));
  if (!d) throw http::HttpError(404, "未找到该执法决定。", "not_found");
  if (!canView(p, *d)) throw http::HttpError(403, "您不能查看其他部门的执法决定。", "forbidden");
  return *d;
}

publishing::Department editableDepartment(Context& ctx, const Request& req,
                                          const accounts::Principal& p) {
  auto d = ctx.catalog.department(req.params.at("slug"));
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  if (!accounts::canEditItemOf(p, d->id)) {
    throw http::HttpError(403, "您只能登记本部门的执法决定。", "forbidden");
  }
  return *d;
}

Response renderForm(Context& ctx, const Request& req, const accounts::Principal& p,
                    const std::string& department_name, const std::string& action,
                    const DecisionInput& in, bool editing, std::vector<std::string> errors,
                    int status) {
  json view{{"decision", decisionInputJson(in)},
            {"department_name", department_name},
            {"action", action},
            {"editing", editing},
            {"errors", errors},
            {"penalty_days", ctx.decisions.options().penalty_publish_working_days},
            {"other_days", ctx.decisions.options().other_publish_working_days}};
  return renderAdmin(ctx, req, "admin_decision_form", editing ? "修改执法决定" : "登记执法决定",
                     view, &p, status);
}

Response renderDecision(Context& ctx, const Request& req, const accounts::Principal& p,
                        std::vector<std::string> errors = {}, int status = 200) {
  const Decision d = viewable(ctx, req, p);
  json view = staffRowJson(ctx.decisions, d);
  view["party_full"] = d.party_name;
  view["facts"] = d.facts;
  view["legal_basis"] = d.legal_basis;
  view["outcome"] = d.outcome_text;
  const hotline::CivilDate today = ctx.decisions.today();
  view["publication_clock"] = clockJson(ctx.decisions.publicationClock(d), today, d.published_on);
  if (auto w = ctx.decisions.withdrawalClock(d)) {
    view["withdrawal_clock"] = clockJson(*w, today, d.withdrawn_on);
    view["changed_on"] = d.changed_on->toString();
  }
  json findings = json::array();
  if (d.state == DecisionState::Draft) {
    for (const DecisionFinding& f : findingsOf(d)) {
      findings.push_back({{"field_name", f.field_name},
                          {"label", findingLabel(f.finding.kind)},
                          {"text", f.finding.text},
                          {"context", f.context},
                          {"key", f.key},
                          {"confirmable", f.confirmable},
                          {"confirmed", f.confirmed}});
    }
  }
  const bool may_edit = accounts::canEditItemOf(p, d.department_id);
  const json corrections = correctionsJson(ctx.decisions.corrections(d.id));
  view.update({{"findings", findings},
               {"has_findings", !findings.empty()},
               {"can_edit", may_edit && d.state == DecisionState::Draft},
               {"can_publish", may_edit && d.state == DecisionState::Draft && !d.involves_minor},
               {"can_withdraw", may_edit && d.state == DecisionState::Published},
               {"can_correct", may_edit && !ctx.decisions.correctionRefusal(d)},
               {"corrections", corrections},
               {"has_corrections", !corrections.empty()},
               {"can_record_change",
                may_edit && d.state == DecisionState::Published && !d.changed_on},
               {"withdraw_changed_on", d.changed_on ? d.changed_on->toString() : today.toString()},
               {"public", d.state != DecisionState::Draft},
               {"published_at", d.published_at},
               {"withdrawn_at", d.withdrawn_at},
               {"today", today.toString()},
               {"errors", errors}});
  return renderAdmin(ctx, req, "admin_decision", "执法决定 " + d.decision_number, view, &p,
                     status);
}

// The correction form: the published fields to edit, the public note, and the findings of the
// redaction check in the text as submitted (to confirm or remove) after a refusal.
Response renderCorrectionForm(Context& ctx, const Request& req, const accounts::Principal& p,
                              const Decision& d, const DecisionInput& in, const std::string& note,
                              std::vector<std::string> errors, int status) {
  json findings = json::array();
  ValidatedDecision v = validateDecision(in, ctx.decisions.today());
  if (v.errors.empty() && status == 422) {
    for (const DecisionFinding& f : findingsOf(v.decision)) {
      if (!f.confirmable) continue;
      findings.push_back({{"field_name", f.field_name},
                          {"label", findingLabel(f.finding.kind)},
                          {"text", f.finding.text},
                          {"context", f.context},
                          {"key", f.key}});
    }
  }
  json view{{"decision", decisionInputJson(in)},
            {"department_name", d.department_name},
            {"action", adminUrl(d.id) + "/correct"},
            {"correcting", true},
            {"note", note},
            {"findings", findings},
            {"has_findings", !findings.empty()},
            {"errors", errors}};
  return renderAdmin(ctx, req, "admin_decision_form", "更正执法决定 " + d.decision_number, view, &p,
                     status);
}

// A published decision `p` may correct: 403 another department's, 409 when it cannot be
// corrected (DecisionService::correctionRefusal).
Decision correctable(Context& ctx, const Request& req, const accounts::Principal& p) {
  const Decision d = viewable(ctx, req, p);
  if (!accounts::canEditItemOf(p, d.department_id)) {
    throw http::HttpError(403, "您只能更正本部门的执法决定。", "forbidden");
  }
  if (const auto why = ctx.decisions.correctionRefusal(d)) {
    throw http::HttpError(409, *why, "conflict");
  }
  return d;
}

std::vector<std::string> confirmedOf(const Form& form) {
  std::vector<std::string> confirmed;
  for (const auto& [k, v] : form) {
    if (k == "confirm") confirmed.push_back(v);
  }
  return confirmed;
}

// A decision the public may open: 404 for an unknown one or a draft, 410 once past retention.
Decision publicDecision(Context& ctx, const Request& req) {
  auto d = ctx.decisions.find(decisionId(req));
  if (!d || d->state == DecisionState::Draft) {
    throw http::HttpError(404, "未找到该执法决定，或该决定尚未公开。", "not_found");
  }
  if (ctx.decisions.isRetired(*d)) {
    throw http::HttpError(410, "该执法决定已超过公开期限，不再公示。", "gone");
  }
  return *d;
}

int pageCount(const DecisionPage& page, int page_size) {
  return static_cast<int>(std::max<std::int64_t>(1, (page.total + page_size - 1) / page_size));
}

// A refusal about the request itself ends it; one about the content is shown on `page`.
template <typename Page>
Response afterResult(const DecisionResult& result, Page page) {
  if (const auto* id = std::get_if<std::int64_t>(&result)) return Response::redirect(adminUrl(*id));
  const auto& r = std::get<Refused>(result);
  const std::string message = r.errors.empty() ? "" : r.errors.front();
  if (r.status == 403) throw http::HttpError(403, message, "forbidden");
  if (r.status == 404) throw http::HttpError(404, message, "not_found");
  return page(r.errors, r.status);
}

}  // namespace

// --- public -----------------------------------------------------------------------------

namespace {

// The department and outcome filters of the public list, the chosen one selected.
json decisionFiltersJson(Context& ctx, const json& chosen) {
  json departments = json::array();
  for (const auto& department : ctx.catalog.departmentList()) {
    departments.push_back({{"slug", department.slug},
                           {"name", department.name},
                           {"selected", chosen.value("department", "") == department.slug}});
  }
  json outcomes = json::array();
  for (const auto& t : outcomeTypes()) {
    outcomes.push_back(
        {{"code", t.code}, {"name", t.name}, {"selected", chosen.value("outcome", "") == t.code}});
  }
  return json{{"departments", departments}, {"outcomes", outcomes}};
}

json decisionsView(Context& ctx, const DecisionFilter& f, const json& chosen,
                   const DecisionPage& page) {
  json rows = json::array();
  for (const Decision& d : page.decisions) rows.push_back(publicDecisionJson(d));
  const int page_count = pageCount(page, f.page_size);
  json view{{"decisions", rows},
            {"has_decisions", !rows.empty()},
            {"total", page.total},
            {"page", f.page},
            {"page_count", page_count},
            {"kind_penalty", chosen.value("kind", "") == "penalty"},
            {"kind_other", chosen.value("kind", "") == "other"},
            {"year", chosen.value("year", "")},
            {"filtered", !chosen.empty()},
            {"retention_years", ctx.decisions.options().retention_days / 365}};
  view.update(decisionFiltersJson(ctx, chosen));
  if (f.page > 1) view["prev_url"] = decisionListUrl(chosen, f.page - 1);
  if (f.page < page_count) view["next_url"] = decisionListUrl(chosen, f.page + 1);
  return view;
}

}  // namespace

Response decisionsPage(Context& ctx, const Request& req) {
  json chosen = json::object();
  const DecisionFilter f = parseDecisionFilter(ctx, req, chosen);
  json view = decisionsView(ctx, f, chosen, ctx.decisions.listPublic(f));
  view.update(layoutJson(ctx.config.site, req, "行政执法决定公开", "enforcement"));
  return Response::html(ctx.renderer.render("decisions", view));
}

Response decisionPage(Context& ctx, const Request& req) {
  const Decision d = publicDecision(ctx, req);
  json view{{"decision", publicDecisionJson(d, ctx.decisions.corrections(d.id))}};
  view.update(layoutJson(ctx.config.site, req, d.decision_number, "enforcement"));
  return Response::html(ctx.renderer.render("decision", view));
}

Response apiDecisions(Context& ctx, const Request& req) {
  json chosen = json::object();
  const DecisionFilter f = parseDecisionFilter(ctx, req, chosen);
  const DecisionPage page = ctx.decisions.listPublic(f);
  json rows = json::array();
  for (const Decision& d : page.decisions) rows.push_back(publicDecisionJson(d));
  const int page_count = pageCount(page, f.page_size);
  return Response::json(
      json{{"decisions", rows}, {"page", pageInfoJson(page.total, f.page, f.page_size, page_count)}}
          .dump());
}

Response apiDecision(Context& ctx, const Request& req) {
  const Decision d = publicDecision(ctx, req);
  return Response::json(publicDecisionJson(d, ctx.decisions.corrections(d.id)).dump());
}

// --- staff ------------------------------------------------------------------------------

namespace {

// ?department= (only one's own unless a reviewer) and ?state=; 400/403 in Chinese.
std::pair<std::optional<std::int64_t>, std::optional<DecisionState>> parseStaffDecisionFilter(
    Context& ctx, const Request& req, const accounts::Principal& p) {
  std::optional<std::int64_t> department_id;
  if (!accounts::canReview(p)) department_id = p.department_id;
  if (auto slug = req.queryValue("department"); slug && !slug->empty()) {
    auto d = ctx.catalog.department(*slug);
    if (!d) throw http::HttpError(400, "未知的部门。", "bad_department");
    if (department_id && *department_id != d->id) {
      throw http::HttpError(403, "您不能查看其他部门的执法决定。", "forbidden");
    }
    department_id = d->id;
  }
  std::optional<DecisionState> state;
  if (auto s = req.queryValue("state"); s && !s->empty()) {
    state = parseDecisionState(*s);
    if (!state) throw http::HttpError(400, "未知的状态。", "bad_state");
  }
  return {department_id, state};
}

json staffDecisionsView(Context& ctx, const accounts::Principal& p,
                        const std::vector<Decision>& decisions) {
  json rows = json::array();
  int overdue = 0;
  int pending = 0;
  for (const Decision& d : decisions) {
    json row = staffRowJson(ctx.decisions, d);
    overdue += row["overdue"].get<bool>() || row["withdraw_overdue"].get<bool>();
    pending += d.state == DecisionState::Draft && !d.involves_minor;
    rows.push_back(std::move(row));
  }
  json departments = json::array();
  for (const auto& department : ctx.catalog.departmentList()) {
    if (!accounts::canEditItemOf(p, department.id)) continue;
    departments.push_back(
        {{"name", department.name},
         {"new_url", "/admin/departments/" + http::percentEncode(department.slug) +
                         "/decisions/new"}});
  }
  return json{{"decisions", rows},
              {"has_decisions", !rows.empty()},
              {"overdue_count", overdue},
              {"pending_count", pending},
              {"departments", departments},
              {"today", ctx.decisions.today().toString()}};
}

}  // namespace

Response adminDecisionsPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto [department_id, state] = parseStaffDecisionFilter(ctx, req, p);
  const auto decisions = ctx.decisions.listForStaff(department_id, state);
  return renderAdmin(ctx, req, "admin_decisions", "执法决定公开",
                     staffDecisionsView(ctx, p, decisions), &p);
}

Response newDecisionPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto d = editableDepartment(ctx, req, p);
  DecisionInput in;
  in.decision_kind = "penalty";
  in.party_kind = "organisation";
  return renderForm(ctx, req, p, d.name,
                    "/admin/departments/" + http::percentEncode(d.slug) + "/decisions", in, false,
                    {}, 200);
}

Response createDecision(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto d = editableDepartment(ctx, req, p);
  const DecisionInput in = inputFromForm(form);
  return afterResult(ctx.decisions.create(actorOf(p, req), d.id, in),
                     [&](const std::vector<std::string>& errors, int status) {
                       return renderForm(ctx, req, p, d.name,
                                         "/admin/departments/" + http::percentEncode(d.slug) +
                                             "/decisions",
                                         in, false, errors, status);
                     });
}

Response adminDecisionPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  return renderDecision(ctx, req, p);
}

Response editDecisionPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Decision d = viewable(ctx, req, p);
  if (!accounts::canEditItemOf(p, d.department_id)) {
    throw http::HttpError(403, "您只能修改本部门的执法决定。", "forbidden");
  }
  if (d.state != DecisionState::Draft) {
    throw http::HttpError(409, "该决定已公开，不能再修改；决定变更或撤销的，请撤下并说明理由。",
                          "conflict");
  }
  return renderForm(ctx, req, p, d.department_name, adminUrl(d.id), inputOf(d), true, {}, 200);
}

Response saveDecision(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const Decision d = viewable(ctx, req, p);
  const DecisionInput in = inputFromForm(form);
  return afterResult(ctx.decisions.update(actorOf(p, req), d.id, in),
                     [&](const std::vector<std::string>& errors, int status) {
                       return renderForm(ctx, req, p, d.department_name, adminUrl(d.id), in, true,
                                         errors, status);
                     });
}

Response publishDecision(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto result = ctx.decisions.publish(actorOf(p, req), decisionId(req), confirmedOf(form));
  if (std::holds_alternative<std::int64_t>(result)) ctx.feeder.wake();
  return afterResult(result, [&](const std::vector<std::string>& errors, int status) {
    return renderDecision(ctx, req, p, errors, status);
  });
}

Response correctDecisionPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Decision d = correctable(ctx, req, p);
  return renderCorrectionForm(ctx, req, p, d, inputOf(d), "", {}, 200);
}

Response correctDecision(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const Decision d = viewable(ctx, req, p);
  const DecisionInput in = inputFromForm(form);
  const std::string note = http::formValue(form, "note");
  const auto result = ctx.decisions.correct(actorOf(p, req), d.id, in, note, confirmedOf(form));
  if (std::holds_alternative<std::int64_t>(result)) ctx.feeder.wake();
  return afterResult(result, [&](const std::vector<std::string>& errors, int status) {
    return renderCorrectionForm(ctx, req, p, d, in, note, errors, status);
  });
}

Response recordDecisionChange(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto result = ctx.decisions.recordChange(actorOf(p, req), decisionId(req),
                                                 http::formValue(form, "changed_on"));
  return afterResult(result, [&](const std::vector<std::string>& errors, int status) {
    return renderDecision(ctx, req, p, errors, status);
  });
}

Response withdrawDecision(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto result =
      ctx.decisions.withdraw(actorOf(p, req), decisionId(req), http::formValue(form, "changed_on"),
                             http::formValue(form, "reason"));
  if (std::holds_alternative<std::int64_t>(result)) ctx.feeder.wake();
  return afterResult(result, [&](const std::vector<std::string>& errors, int status) {
    return renderDecision(ctx, req, p, errors, status);
  });
}

}  // namespace portal::web
