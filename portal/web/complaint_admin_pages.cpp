// Staff complaint pages behind login: the department's queue, a complaint's page with every
// action it allows, the audited reading of a phone number, phone entry and statistics.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "hotline/complaint_rules.h"
#include "hotline/local_clock.h"
#include "hotline/registration_number.h"
#include "portal/accounts/session_token.h"
#include "portal/http/url.h"
#include "portal/web/complaint_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

json staffBarJson(const accounts::Principal& p) {
  return json{{"display_name", p.display_name.empty() ? p.username : p.display_name},
              {"username", p.username},
              {"role_name", std::string(accounts::roleName(p.role))},
              {"csrf_token", p.csrf_token}};
}

Response renderStaff(Context& ctx, const Request& req, const accounts::Principal& p,
                     const std::string& name, const std::string& title, json view,
                     int status = 200) {
  view.update(layoutJson(ctx.config.site, req, title, "admin"));
  view["staff"] = staffBarJson(p);
  Response r = Response::html(ctx.renderer.render(name, view), status);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

std::string detailUrl(const std::string& number) {
  return "/admin/complaints/" + http::percentEncode(number);
}

std::string clockName(hotline::RunningClock c) {
  switch (c) {
    case hotline::RunningClock::Acknowledgment:
      return "告知是否受理";
    case hotline::RunningClock::Handling:
      return "办结";
    case hotline::RunningClock::Review:
      return "复核";
    case hotline::RunningClock::None:
      break;
  }
  return "";
}

std::string eventKindName(hotline::EventKind k) {
  switch (k) {
    case hotline::EventKind::Registered:
      return "登记";
    case hotline::EventKind::Assigned:
      return "分派";
    case hotline::EventKind::Accepted:
      return "受理";
    case hotline::EventKind::Rejected:
      return "不予受理";
    case hotline::EventKind::Transferred:
      return "移送";
    case hotline::EventKind::Started:
      return "开始办理";
    case hotline::EventKind::Note:
      return "办理记录";
    case hotline::EventKind::Concluded:
      return "办结";
    case hotline::EventKind::Evaluated:
      return "评价";
    case hotline::EventKind::Reopened:
      return "不满意，转复核";
    case hotline::EventKind::DeadlineRecomputed:
      return "期限重新计算";
    case hotline::EventKind::PhoneRevealed:
      return "查看联系电话";
  }
  return "";
}

// Who wrote an event, in words staff read: the complainant and the system are not accounts.
std::string actorName(const std::string& actor) {
  if (actor == "complainant") return "投诉人";
  if (actor == "system") return "系统";
  return actor;
}

// Where an Open311 client said it happened, as decimal degrees ("北纬 43.8171°，东经
// 125.3235°（WGS-84）"); "" without coordinates. Such a request may carry no address at all
// (GeoReport v2: lat and long, or an address), and staff need to know where to go.
std::string coordinatesText(const hotline::Complaint& c) {
  if (!c.latitude || !c.longitude) return "";
  const auto degrees = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", std::fabs(v));
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + "°";
  };
  return std::string(*c.latitude < 0 ? "南纬 " : "北纬 ") + degrees(*c.latitude) +
         (*c.longitude < 0 ? "，西经 " : "，东经 ") + degrees(*c.longitude) + "（WGS-84）";
}

// The complaint page: the case, its deadlines, every event, and a form per allowed action.
// A step taken on `on`: {on_words, weekday, late} ("已于12月9日（周三）受理", 已超期 when after
// `due`); null when not taken. The year is named only when it is not the complaint's.
json stepDone(const std::optional<hotline::CivilDate>& on, const hotline::CivilDate& due,
              int received_year) {
  json j = doneOnJson(on, received_year);
  if (on) j["late"] = due < *on;
  return j;
}

json detailView(Context& ctx, const hotline::ComplaintDetail& d) {
  using hotline::RunningClock;
  const hotline::Complaint& c = d.complaint;
  const RunningClock clock = d.clock;
  const bool rejected = c.state == hotline::ComplaintState::Rejected;
  const bool in_review = hotline::inReview(c);
  // A review's conclusion is late against the review deadline, a first one (the one shown while
  // the review runs) against handling's.
  const hotline::CivilDate conclusion_due =
      c.reopened_count > 0 && c.review_due && !in_review ? *c.review_due : c.handling_due;
  json events = json::array();
  for (const auto& e : d.events) {
    events.push_back({{"at", e.created_at},
                      {"kind", eventKindName(e.kind)},
                      {"is_public", e.is_public},
                      {"actor", actorName(e.actor)},
                      {"department_name", e.department_name},
                      {"to_state", e.to_state ? std::string(hotline::stateName(*e.to_state)) : ""},
                      {"text", e.text}});
  }
  json actions = json::object();
  for (hotline::Action a : d.allowed_actions) {
    switch (a) {
      case hotline::Action::Assign:
        actions["assign"] = true;
        break;
      case hotline::Action::Accept:
        actions["accept"] = true;
        break;
      case hotline::Action::Reject:
        actions["reject"] = true;
        break;
      case hotline::Action::Transfer:
        actions["transfer"] = true;
        break;
      case hotline::Action::Start:
        actions["start"] = true;
        break;
      case hotline::Action::Note:
        actions["note"] = true;
        break;
      case hotline::Action::Conclude:
        actions["conclude"] = true;
        break;
      case hotline::Action::Evaluate:
        actions["evaluate"] = true;
        break;
    }
  }
  actions["any"] = !d.allowed_actions.empty();
  std::vector<hotline::DepartmentRef> others;
  for (const auto& dep : ctx.complaints.departments()) {
    if (dep.id != c.department_id.value_or(0)) others.push_back(dep);
  }
  json ratings = json::array();
  for (auto r : {hotline::Rating::Satisfied, hotline::Rating::BasicallySatisfied,
                 hotline::Rating::Unsatisfied}) {
    ratings.push_back({{"code", std::string(hotline::ratingCode(r))},
                       {"name", std::string(hotline::ratingName(r))}});
  }
  return json{{"complaint",
               {{"registration_no", c.registration_no},
                {"url", detailUrl(c.registration_no)},
                {"source_name", std::string(hotline::sourceName(c.source))},
                {"channel_name", std::string(hotline::channelName(c.channel))},
                {"operator_account", c.operator_account.value_or("")},
                {"state_name", std::string(hotline::stateName(c.state))},
                {"department_name", c.department_name},
                {"unassigned", !c.department_id.has_value()},
                {"transferred_from", c.transferred_from_department_name},
                {"transfer_reason", c.transfer_reason.value_or("")},
                {"category_name", c.category_name},
                {"description", c.description},
                {"location", c.location},
                {"coordinates", coordinatesText(c)},
                {"complainant_name", c.complainant_name.value_or("")},
                {"masked_phone", c.complainant_phone.value_or("")},
                {"has_phone", c.complainant_phone.has_value()},
                {"anonymous", !c.complainant_name && !c.complainant_phone},
                {"personal_hidden", !d.personal_visible},
                {"reassign", c.state == hotline::ComplaintState::Transferred},
                {"in_review", in_review},
                {"received_at", c.received_at},
                {"acknowledged_on", c.acknowledged_on ? c.acknowledged_on->toString() : ""},
                {"reject_reason", c.reject_reason_name},
                {"reject_reason_text", c.reject_reason_text.value_or("")},
                {"result_text", c.result_text.value_or("")},
                {"evaluation", c.evaluation ? std::string(hotline::ratingName(*c.evaluation)) : ""},
                {"evaluation_comment", c.evaluation_comment.value_or("")},
                {"version", c.version}}},
              // A deadline while its step is open; a step taken says when, and whether late.
              {"ack_deadline", clock == RunningClock::Acknowledgment ? deadlineJson(d.ack_deadline)
                                                                     : json()},
              {"accepted_on", rejected ? json() : stepDone(c.acknowledged_on, c.ack_due, c.received_date.year())},
              {"rejected_on", rejected ? stepDone(c.acknowledged_on, c.ack_due, c.received_date.year()) : json()},
              {"handling_deadline",
               clock == RunningClock::Acknowledgment || clock == RunningClock::Handling
                   ? deadlineJson(d.handling_deadline)
                   : json()},
              {"concluded_on", stepDone(c.concluded_on, conclusion_due, c.received_date.year())},
              {"review_deadline", clock == RunningClock::Review && d.review_deadline
                                      ? deadlineJson(*d.review_deadline)
                                      : json()},
              {"clock_ack", d.clock == hotline::RunningClock::Acknowledgment},
              {"clock_handling", d.clock == hotline::RunningClock::Handling},
              {"clock_review", d.clock == hotline::RunningClock::Review},
              {"overdue", d.overdue},
              {"events", events},
              {"attachments", attachmentsJson(d.attachments)},
              {"has_attachments", !d.attachments.empty()},
              {"evidence", evidenceJson(c.registration_no, d.evidence)},
              {"has_evidence", !d.evidence.empty()},
              {"evidence_hidden", !d.evidence_visible && d.evidence_count > 0},
              {"evidence_count", d.evidence_count},
              {"actions", actions},
              {"reject_reasons", optionsJson(ctx.complaints.rejectReasons(), "")},
              {"other_departments", departmentOptionsJson(others, "")},
              {"ratings", ratings}};
}

// The actions that cannot be undone get a page of their own: what will happen, the fields,
// then the POST (with the CSRF token). Without JavaScript.
struct Consequence {
  const char* title;    // 确认办结
  const char* button;   // 确认办结
  hotline::Action action;
};
const std::map<std::string, Consequence>& irreversibleActions() {
  static const std::map<std::string, Consequence> m = {
      {"conclude", {"办结", "确认办结", hotline::Action::Conclude}},
      {"reject", {"不予受理", "确认不予受理", hotline::Action::Reject}},
      {"transfer", {"移送其他部门", "确认移送", hotline::Action::Transfer}}};
  return m;
}

json confirmView(Context& ctx, const hotline::ComplaintDetail& d, const std::string& action,
                 const Form& input) {
  json view = detailView(ctx, d);
  const Consequence& c = irreversibleActions().at(action);
  view["confirm"] = {{"action", action},
                     {"title", c.title},
                     {"button", c.button},
                     {"is_" + action, true},
                     {"post_url", detailUrl(d.complaint.registration_no) + "/" + action}};
  json typed = json::object();
  for (const auto& [k, v] : input) {
    if (k != "csrf_token" && !typed.contains(k)) typed[k] = v;
  }
  view["input"] = typed;
  // Selected options keep what was chosen.
  const std::string reason = http::formValue(input, "reason_code");
  view["reject_reasons"] = optionsJson(ctx.complaints.rejectReasons(), reason);
  std::vector<hotline::DepartmentRef> others;
  for (const auto& dep : ctx.complaints.departments()) {
    if (dep.id != d.complaint.department_id.value_or(0)) others.push_back(dep);
  }
  view["other_departments"] = departmentOptionsJson(others, http::formValue(input, "department_id"));
  return view;
}

const std::map<std::string, std::string>& doneMessages() {
  static const std::map<std::string, std::string> m = {
      {"assign", "已分派。"},   {"accept", "已受理。"},        {"reject", "已作出不予受理决定。"},
      {"transfer", "已移送。"}, {"start", "已开始办理。"},     {"note", "已添加办理记录。"},
      {"conclude", "已办结。"}, {"evaluation", "已记录评价。"}};
  return m;
}

json phoneFormView(Context& ctx, const ComplaintFormInput& input, const std::string& key,
                   const std::vector<hotline::FieldError>& errors) {
  const Form& form = input.fields;
  const std::string department = http::formValue(form, "department_id");
  return json{
      {"form_action", "/admin/complaints/phone"},
      {"phone_entry", true},
      {"departments", departmentOptionsJson(ctx.complaints.departments(), department)},
      {"unsure_selected", department.empty() || department == "unsure"},
      {"categories", optionsJson(ctx.complaints.categories(), http::formValue(form, "category"))},
      {"idempotency_key", key},
      {"description", http::formValue(form, "description")},
      {"location", http::formValue(form, "location")},
      {"complainant_name", http::formValue(form, "complainant_name")},
      {"complainant_phone", http::formValue(form, "complainant_phone")},
      {"max_description", ctx.complaints.options().max_description_chars},
      {"evidence", evidenceFormJson(input, errors)},
      {"errors", fieldErrorsJson(errors)}};
}

}  // namespace

namespace {

// ?state=&overdue=1&week=1&unassigned=1&no=&page=: 400 for a state that does not exist.
struct QueueQuery {
  hotline::QueueFilter filter;
  std::string state;     // as typed
  std::string typed_no;  // as typed
};

QueueQuery parseQueueQuery(const Request& req, const hotline::StaffActor& actor) {
  QueueQuery q;
  hotline::QueueFilter& filter = q.filter;
  filter.department_id = actor.department_id;
  q.state = req.queryValue("state").value_or("");
  if (!q.state.empty()) {
    filter.state = hotline::parseState(q.state);
    if (!filter.state) throw http::HttpError(400, "未知的投诉状态：" + q.state + "。", "bad_state");
  }
  filter.overdue_only = req.queryValue("overdue").value_or("") == "1";
  filter.due_this_week = req.queryValue("week").value_or("") == "1";
  filter.unassigned_only = !actor.department_id && req.queryValue("unassigned").value_or("") == "1";
  q.typed_no = req.queryValue("no").value_or("");
  filter.registration_no = q.typed_no;
  const Paging paging = parsePaging(req, 50);
  filter.page = paging.page;
  filter.page_size = paging.page_size;
  return q;
}

json queueRowsJson(const hotline::QueuePage& page) {
  json rows = json::array();
  for (const auto& r : page.rows) {
    rows.push_back({{"registration_no", r.registration_no},
                    {"url", detailUrl(r.registration_no)},
                    {"state_name", std::string(hotline::stateName(r.state))},
                    {"category_name", r.category_name},
                    {"department_name", r.department_name},
                    {"received_at", r.received_at},
                    {"masked_phone", r.masked_phone},
                    {"anonymous", r.anonymous},
                    {"clock_name", clockName(r.clock)},
                    {"due", r.due ? r.due->toString() : ""},
                    {"due_provisional", r.due_provisional},
                    {"overdue", r.overdue},
                    {"due_today", r.due_today}});
  }
  return rows;
}

json queueView(const QueueQuery& q, const hotline::QueuePage& page,
               const hotline::StaffActor& actor) {
  const hotline::QueueFilter& filter = q.filter;
  json states = json::array();
  for (auto s : hotline::allStates()) {
    const std::string code(hotline::stateCode(s));
    states.push_back({{"code", code},
                      {"name", std::string(hotline::stateName(s))},
                      {"selected", code == q.state}});
  }
  const int page_count =
      static_cast<int>((page.total + page.page_size - 1) / std::max(page.page_size, 1));
  auto pageUrl = [&](int n) {
    std::string url = "/admin/complaints?page=" + std::to_string(n);
    if (!q.state.empty()) url += "&state=" + http::percentEncode(q.state);
    if (filter.overdue_only) url += "&overdue=1";
    if (filter.due_this_week) url += "&week=1";
    if (filter.unassigned_only) url += "&unassigned=1";
    if (!q.typed_no.empty()) url += "&no=" + http::percentEncode(q.typed_no);
    return url;
  };
  const json rows = queueRowsJson(page);
  return json{{"rows", rows},
              {"has_rows", !rows.empty()},
              {"total", page.total},
              {"page", page.page},
              {"page_count", std::max(page_count, 1)},
              {"prev_url", page.page > 1 ? pageUrl(page.page - 1) : ""},
              {"next_url", page.page < page_count ? pageUrl(page.page + 1) : ""},
              {"states", states},
              {"overdue", filter.overdue_only},
              {"week", filter.due_this_week},
              {"unassigned", filter.unassigned_only},
              {"no", q.typed_no},
              {"searched_no", hotline::normalizeRegistrationNo(q.typed_no)},
              {"legal_office", !actor.department_id.has_value()},
              {"scope", actor.department_id ? "本部门" : "全区（法制办）"}};
}

}  // namespace

Response complaintQueuePage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const hotline::StaffActor actor = staffActor(p);
  const QueueQuery q = parseQueueQuery(req, actor);
  const hotline::QueuePage page = ctx.complaints.queue(q.filter);
  return renderStaff(ctx, req, p, "complaint_admin_queue", "投诉举报办理",
                     queueView(q, page, actor));
}

Response complaintDetailPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto d = ctx.complaints.detailByNumber(req.params.at("number"), staffActor(p));
  if (!d) throw http::HttpError(404, "未找到该投诉，或该投诉不由本部门办理。", "not_found");
  json view = detailView(ctx, *d);
  const std::string done = req.queryValue("done").value_or("");
  if (const auto it = doneMessages().find(done); it != doneMessages().end()) {
    view["notice"] = it->second;
  }
  return renderStaff(ctx, req, p, "complaint_admin_detail", "投诉 " + d->complaint.registration_no,
                     std::move(view));
}

Response complaintConfirmPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const std::string number = req.params.at("number");
  const std::string action = req.params.at("action");
  const auto found = irreversibleActions().find(action);
  if (found == irreversibleActions().end()) throw http::HttpError(404, "未知的操作。", "not_found");
  const auto d = ctx.complaints.detailByNumber(number, staffActor(p));
  if (!d) throw http::HttpError(404, "未找到该投诉，或该投诉不由本部门办理。", "not_found");
  const auto& allowed = d->allowed_actions;
  if (std::find(allowed.begin(), allowed.end(), found->second.action) == allowed.end()) {
    throw http::HttpError(409, "该投诉当前状态为“" + std::string(hotline::stateName(d->complaint.state)) +
                                   "”，不能" + found->second.title + "。",
                          "conflict");
  }
  json view = confirmView(ctx, *d, action, {});
  return renderStaff(ctx, req, p, "complaint_admin_confirm",
                     std::string(found->second.title) + "：投诉 " + d->complaint.registration_no,
                     std::move(view));
}

namespace {

// What every staff action on a complaint starts from: who, the form (CSRF checked), the case.
struct ActionInput {
  accounts::Principal principal;
  Form form;
  hotline::StaffActor actor;
  std::string number;
  hotline::ComplaintDetail detail;
  std::optional<int> version;  // the version the form was shown at (stale: 409)

  std::int64_t id() const { return detail.complaint.id; }
  std::string field(const std::string& name) const { return http::formValue(form, name); }
  std::int64_t department() const {
    return http::parseWholeNumber(field("department_id")).value_or(0);
  }
};

ActionInput readAction(Context& ctx, const Request& req) {
  ActionInput in{requireStaff(ctx, req), req.form(), {}, req.params.at("number"), {}, {}};
  requireCsrf(in.principal, in.form);
  in.actor = staffActor(in.principal);
  auto d = ctx.complaints.detailByNumber(in.number, in.actor);
  if (!d) throw http::HttpError(404, "未找到该投诉，或该投诉不由本部门办理。", "not_found");
  in.detail = std::move(*d);
  const auto typed_version = http::parseWholeNumber(in.field("expected_version"), 9);
  if (typed_version) in.version = static_cast<int>(*typed_version);
  return in;
}

// Done: back to the complaint with a notice. Refused: the page as it is now, the reasons on top
// and what was typed kept in its form (the confirmation page for an irreversible action).
Response afterAction(Context& ctx, const Request& req, const ActionInput& in,
                     const std::string& action, const hotline::ActionResult& result) {
  if (result.ok()) return Response::redirect(detailUrl(in.number) + "?done=" + action);
  const auto now = ctx.complaints.detailByNumber(in.number, in.actor);
  if (!now) throw http::HttpError(404, "未找到该投诉，或该投诉不由本部门办理。", "not_found");
  if (irreversibleActions().count(action) && result.status == hotline::ActionStatus::Invalid) {
    json view = confirmView(ctx, *now, action, in.form);
    view["errors"] = fieldErrorsJson(result.errors);
    return renderStaff(ctx, req, in.principal, "complaint_admin_confirm",
                       "错误：" + std::string(irreversibleActions().at(action).title) + "：投诉 " +
                           in.number,
                       std::move(view), statusFor(result.status));
  }
  json view = detailView(ctx, *now);
  view["errors"] = fieldErrorsJson(result.errors);
  view["failed_action"] = action;
  json input = json::object();
  for (const auto& [k, v] : in.form) {
    if (k != "csrf_token" && !input.contains(k)) input[k] = v;
  }
  // The note's 公开 / 仅内部 choice stays chosen.
  const std::string shown = http::formValue(in.form, "is_public");
  if (shown == "1" || shown == "0") input["is_public_" + shown] = true;
  view["input"] = input;
  return renderStaff(ctx, req, in.principal, "complaint_admin_detail", "投诉 " + in.number,
                     std::move(view), statusFor(result.status));
}

}  // namespace

Response complaintRevealPhone(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  const auto phone = ctx.complaints.revealPhone(in.id(), in.actor);
  if (!phone) throw http::HttpError(404, "该投诉没有留下联系电话，或本部门无权查看（已移送其他部门的）。", "no_phone");
  json view = detailView(ctx, in.detail);
  view["complaint"]["revealed_phone"] = *phone;
  view["notice"] = "联系电话已显示，本次查看已记入办理记录。";
  return renderStaff(ctx, req, in.principal, "complaint_admin_detail", "投诉 " + in.number,
                     std::move(view));
}

Response complaintAssign(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(ctx, req, in, "assign",
                     ctx.complaints.assign(in.id(), in.actor, in.department(), in.version));
}

Response complaintAccept(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(ctx, req, in, "accept",
                     ctx.complaints.accept(in.id(), in.actor, in.field("note"), in.version));
}

Response complaintReject(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(ctx, req, in, "reject",
                     ctx.complaints.reject(in.id(), in.actor, in.field("reason_code"),
                                           in.field("reason_text"), in.version));
}

Response complaintTransfer(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(
      ctx, req, in, "transfer",
      ctx.complaints.transfer(in.id(), in.actor, in.department(), in.field("reason"), in.version));
}

Response complaintStart(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(ctx, req, in, "start",
                     ctx.complaints.start(in.id(), in.actor, in.field("note"), in.version));
}

Response complaintNote(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  const std::string shown = in.field("is_public");
  std::optional<bool> is_public;
  if (shown == "1" || shown == "0") is_public = shown == "1";
  return afterAction(ctx, req, in, "note",
                     ctx.complaints.addNote(in.id(), in.actor, in.field("text"), is_public,
                                            in.version));
}

Response complaintConclude(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  return afterAction(ctx, req, in, "conclude",
                     ctx.complaints.conclude(in.id(), in.actor, in.field("result"), in.version));
}

Response complaintEvaluation(Context& ctx, const Request& req) {
  const ActionInput in = readAction(ctx, req);
  hotline::ActionResult result;
  if (const auto rating = hotline::parseRating(in.field("rating"))) {
    result = ctx.complaints.recordEvaluation(in.id(), in.actor, *rating, in.field("comment"),
                                             in.version);
  } else {
    result.status = hotline::ActionStatus::Invalid;
    result.errors.push_back({"rating", "请选择评价：满意、基本满意或不满意"});
  }
  return afterAction(ctx, req, in, "evaluation", result);
}

Response complaintEvidence(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const hotline::StaffActor actor = staffActor(p);
  const auto d = ctx.complaints.detailByNumber(req.params.at("number"), actor);
  const auto n = http::parseWholeNumber(req.params.at("n"), 2);
  std::optional<hotline::EvidenceContent> file;
  if (d && n) file = ctx.complaints.evidenceFile(d->complaint.id, static_cast<int>(*n), actor);
  if (!file) {
    throw http::HttpError(404, "未找到该证据文件，或该投诉不由本部门承办。", "not_found");
  }
  const char* ext = file->info.media_type == "image/jpeg"  ? "jpg"
                    : file->info.media_type == "image/png" ? "png"
                                                           : "pdf";
  // A name made of the registration number: nothing the complainant typed reaches the header.
  const std::string name =
      file->registration_no + "-" + std::to_string(file->info.ordinal) + "." + ext;
  Response r = Response::text(std::move(file->content), 200, file->info.media_type);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

namespace {

json phoneRegisteredView(const hotline::Registration& reg) {
  json view = registeredView(reg);
  view["phone_entry"] = true;
  view["detail_url"] = detailUrl(reg.registration_no);
  return view;
}

}  // namespace

Response phoneEntryPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  return renderStaff(ctx, req, p, "complaint_form", "登记电话投诉",
                     phoneFormView(ctx, ComplaintFormInput{}, accounts::randomToken(), {}));
}

Response submitPhoneEntry(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  ComplaintFormInput input = readComplaintForm(req);
  const Form& form = input.fields;
  requireCsrf(p, form);
  hotline::IntakeRequest in = intakeFromForm(form, hotline::Channel::Phone);
  in.evidence = std::move(input.files);
  input.files.clear();
  in.operator_account = p.username;
  const hotline::IntakeResult result = ctx.complaints.submit(in);
  in.evidence.clear();
  if (!result.ok()) {
    return renderStaff(
        ctx, req, p, "complaint_form", "错误：登记电话投诉",
        phoneFormView(ctx, input, idempotencyKeyForRetry(in, result.errors), result.errors), 422);
  }
  return renderStaff(ctx, req, p, "complaint_submitted", "电话投诉已登记",
                     phoneRegisteredView(*result.registration));
}

namespace {

// ?from=&to= (YYYY-MM-DD), by default this year up to today; 400 for anything else.
std::pair<hotline::CivilDate, hotline::CivilDate> parseStatisticsPeriod(Context& ctx,
                                                                        const Request& req) {
  const hotline::CivilDate today = ctx.clock.now().date;
  hotline::CivilDate from = *hotline::CivilDate::fromYmd(today.year(), 1, 1);
  hotline::CivilDate to = today;
  if (auto f = req.queryValue("from"); f && !f->empty()) {
    auto d = hotline::CivilDate::parse(*f);
    if (!d) throw http::HttpError(400, "开始日期应为有效的日期，写作 YYYY-MM-DD，如 2026-12-01。", "bad_date");
    from = *d;
  }
  if (auto t = req.queryValue("to"); t && !t->empty()) {
    auto d = hotline::CivilDate::parse(*t);
    if (!d) throw http::HttpError(400, "结束日期应为有效的日期，写作 YYYY-MM-DD，如 2026-12-31。", "bad_date");
    to = *d;
  }
  if (to < from) throw http::HttpError(400, "结束日期不能早于开始日期。", "bad_date");
  return {from, to};
}

// An editor sees their own department's figures only; the legal office and admins see all.
std::optional<std::int64_t> statisticsScope(const accounts::Principal& p) {
  if (p.role != accounts::Role::Editor) return std::nullopt;
  if (!p.department_id) throw http::HttpError(403, "该账号未关联部门，无法查看统计。", "forbidden");
  return p.department_id;
}

json statisticsView(const hotline::Statistics& s) {
  json departments = json::array();
  for (const auto& d : s.by_department) {
    char share[16];
    std::snprintf(share, sizeof share, "%.1f%%", d.on_time_share * 100.0);
    departments.push_back({{"name", d.department_name},
                           {"total_row", !d.department_id && d.department_name == "合计"},
                           {"received", d.received},
                           {"acknowledged", d.acknowledged},
                           {"acknowledged_on_time", d.acknowledged_on_time},
                           {"ack_overdue_open", d.ack_overdue_open},
                           {"handling_overdue_open", d.handling_overdue_open},
                           {"concluded", d.concluded},
                           {"unsatisfied", d.unsatisfied},
                           {"on_time_share", share}});
  }
  json state_names = json::array();
  for (auto st : hotline::allStates()) state_names.push_back(std::string(hotline::stateName(st)));
  json months = json::array();
  for (const hotline::MonthRow& row : s.by_month) {
    months.push_back({{"month", row.month},
                      {"department_name", row.department_name},
                      {"counts", row.counts},
                      {"total", row.total}});
  }
  return json{{"from", s.from.toString()},   {"to", s.to.toString()}, {"departments", departments},
              {"state_names", state_names}, {"months", months},     {"has_months", !months.empty()}};
}

}  // namespace

Response complaintStatisticsPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto [from, to] = parseStatisticsPeriod(ctx, req);
  const hotline::Statistics s = ctx.complaints.statistics(from, to, statisticsScope(p));
  return renderStaff(ctx, req, p, "complaint_admin_stats", "投诉举报统计", statisticsView(s));
}

}  // namespace portal::web
