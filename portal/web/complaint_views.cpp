#include "portal/web/complaint_views.h"

#include "portal/accounts/session_token.h"
#include "portal/http/request.h"
#include "portal/http/url.h"

namespace portal::web {

using nlohmann::json;

json deadlineJson(const hotline::Deadline& d) {
  std::string years;
  for (int y : d.unloaded_years) years += (years.empty() ? "" : "、") + std::to_string(y) + "年";
  // "12月11日", with the year when it is not the year of receipt: what people say and read.
  std::string words = std::to_string(d.due.month()) + "月" + std::to_string(d.due.day()) + "日";
  if (d.due.year() != d.received.year()) words = std::to_string(d.due.year()) + "年" + words;
  return json{{"due", d.due.toString()},
              {"due_words", words},
              {"weekday", std::string(hotline::weekdayName(d.due.weekday()))},
              {"working_days", d.working_days},
              {"provisional", d.provisional},
              {"unloaded_years", years},
              {"summary", d.summary}};
}

json fieldErrorsJson(const std::vector<hotline::FieldError>& errors) {
  json by_field = json::object();
  json all = json::array();
  for (const auto& e : errors) {
    const std::string key = e.field.empty() ? "form" : e.field;
    if (!by_field.contains(key)) by_field[key] = e.message;
    all.push_back(e.message);
  }
  return json{{"field", by_field}, {"list", all}, {"any", !errors.empty()}};
}

int statusFor(hotline::ActionStatus status) {
  switch (status) {
    case hotline::ActionStatus::Ok:
      return 200;
    case hotline::ActionStatus::Invalid:
      return 422;
    case hotline::ActionStatus::NotFound:
      return 404;
    case hotline::ActionStatus::Forbidden:
      return 403;
    case hotline::ActionStatus::Conflict:
      return 409;
  }
  return 500;
}

hotline::StaffActor staffActor(const accounts::Principal& p) {
  hotline::StaffActor a;
  a.account = p.username;
  if (p.role == accounts::Role::Editor) a.department_id = p.department_id;
  return a;
}

json optionsJson(const std::vector<hotline::CodeName>& list, const std::string& selected) {
  json out = json::array();
  for (const auto& c : list) {
    out.push_back({{"code", c.code}, {"name", c.name}, {"selected", c.code == selected}});
  }
  return out;
}

json departmentOptionsJson(const std::vector<hotline::DepartmentRef>& list,
                           const std::string& selected) {
  json out = json::array();
  for (const auto& d : list) {
    const std::string id = std::to_string(d.id);
    out.push_back({{"code", id}, {"name", d.name}, {"selected", id == selected}});
  }
  return out;
}

namespace {

std::string attachmentField(std::size_t n, const char* part) {
  return "attachment_" + std::to_string(n) + "_" + part;
}

}  // namespace

hotline::IntakeRequest intakeFromForm(const std::vector<std::pair<std::string, std::string>>& form,
                                      hotline::Channel channel) {
  hotline::IntakeRequest in;
  in.channel = channel;
  // "" and "unsure" are 不确定; digits name a department; anything else names no department,
  // which the service reports like an unknown one.
  const std::string department = http::formValue(form, "department_id");
  if (!department.empty() && department != "unsure") {
    in.department_id = http::parseWholeNumber(department).value_or(0);
  }
  in.category = http::formValue(form, "category");
  in.description = http::formValue(form, "description");
  in.location = http::formValue(form, "location");
  in.complainant_name = http::formValue(form, "complainant_name");
  in.complainant_phone = http::formValue(form, "complainant_phone");
  in.idempotency_key = http::formValue(form, "idempotency_key");
  in.attachments = attachmentEntries(form);
  return in;
}

std::string intakeLimitMessage(const hotline::LimitRefusal& refusal) {
  const std::int64_t s = std::max<std::int64_t>(1, refusal.retry_after_s);
  const std::string wait = s < 120    ? std::to_string(s) + "秒"
                           : s < 7200 ? std::to_string((s + 59) / 60) + "分钟"
                                      : std::to_string((s + 3599) / 3600) + "小时";
  switch (refusal.scope) {
    case hotline::LimitScope::Address:
      return "您所在网络提交的投诉举报过于频繁，请" + wait +
             "后再试。如情况紧急，请拨打投诉举报电话。";
    case hotline::LimitScope::Phone:
      return "使用该联系电话提交的投诉举报过于频繁，请" + wait +
             "后再试。如需补充材料，请凭登记编号和查询码查询或拨打投诉举报电话。";
    case hotline::LimitScope::ApiKey:
      return "该接口密钥提交过于频繁，请" + wait + "后再试。";
  }
  return "提交过于频繁，请" + wait + "后再试。";
}

std::string idempotencyKeyForRetry(const hotline::IntakeRequest& in,
                                   const std::vector<hotline::FieldError>& errors) {
  for (const auto& e : errors) {
    if (e.field == "idempotency_key") return accounts::randomToken();
  }
  return in.idempotency_key;
}

std::vector<hotline::AttachmentEntry> attachmentEntries(
    const std::vector<std::pair<std::string, std::string>>& form) {
  std::vector<hotline::AttachmentEntry> out;
  for (std::size_t n = 1; n <= hotline::kMaxAttachments; ++n) {
    out.push_back({http::formValue(form, attachmentField(n, "name")),
                   http::formValue(form, attachmentField(n, "kind")),
                   http::formValue(form, attachmentField(n, "description"))});
  }
  return out;
}

json attachmentRowsJson(const std::vector<std::pair<std::string, std::string>>& form,
                        const std::vector<hotline::FieldError>& errors) {
  auto errorFor = [&](const std::string& field) -> std::string {
    for (const auto& e : errors) {
      if (e.field == field) return e.message;
    }
    return "";
  };
  json rows = json::array();
  for (std::size_t n = 1; n <= hotline::kMaxAttachments; ++n) {
    const std::string kind = http::formValue(form, attachmentField(n, "kind"));
    json kinds = json::array();
    for (hotline::AttachmentKind k : hotline::allAttachmentKinds()) {
      const std::string code(hotline::attachmentKindCode(k));
      kinds.push_back({{"code", code},
                       {"name", std::string(hotline::attachmentKindName(k))},
                       {"selected", code == kind}});
    }
    json row{{"n", n},
             {"file_name", http::formValue(form, attachmentField(n, "name"))},
             {"description", http::formValue(form, attachmentField(n, "description"))},
             {"kinds", kinds}};
    for (const char* part : {"name", "kind", "description"}) {
      const std::string message = errorFor(attachmentField(n, part));
      if (!message.empty()) row[std::string(part) + "_error"] = message;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

json attachmentsJson(const std::vector<hotline::ComplaintAttachment>& attachments) {
  json out = json::array();
  std::size_t n = 0;
  for (const auto& a : attachments) {
    out.push_back({{"n", ++n},
                   {"kind", std::string(hotline::attachmentKindCode(a.kind))},
                   {"kind_name", std::string(hotline::attachmentKindName(a.kind))},
                   {"file_name", a.file_name},
                   {"description", a.description}});
  }
  return out;
}

json trackingJson(const hotline::TrackingView& v) {
  json timeline = json::array();
  for (const auto& t : v.timeline) {
    timeline.push_back({{"at", t.at}, {"title", t.title}, {"text", t.text}});
  }
  json ratings = json::array();
  for (auto r : {hotline::Rating::Satisfied, hotline::Rating::BasicallySatisfied,
                 hotline::Rating::Unsatisfied}) {
    ratings.push_back({{"code", std::string(hotline::ratingCode(r))},
                       {"name", std::string(hotline::ratingName(r))}});
  }
  return json{
      {"registration_no", v.registration_no},
      {"state", std::string(hotline::stateCode(v.state))},
      {"state_name", v.state_name},
      {"category_name", v.category_name},
      {"department_name", v.department_name},
      {"location", v.location},
      {"received_at", v.received_at},
      {"ack_deadline", deadlineJson(v.ack_deadline)},
      {"handling_deadline", deadlineJson(v.handling_deadline)},
      {"acknowledged_on", v.acknowledged_on ? v.acknowledged_on->toString() : ""},
      {"rejected", v.state == hotline::ComplaintState::Rejected},
      {"reject_reason_name", v.reject_reason_name},
      {"reject_reason_text", v.reject_reason_text},
      {"result_text", v.result_text},
      {"evaluation_name", v.evaluation ? std::string(hotline::ratingName(*v.evaluation)) : ""},
      {"can_evaluate", v.can_evaluate},
      {"ratings", ratings},
      {"attachment_count", v.attachment_count},
      {"has_attachments", v.attachment_count > 0},
      {"timeline", timeline}};
}

}  // namespace portal::web
