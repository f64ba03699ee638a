#include "portal/web/complaint_views.h"

#include "hotline/text.h"
#include "portal/accounts/session_token.h"
#include "portal/http/multipart.h"
#include "portal/http/request.h"
#include "portal/http/url.h"

namespace portal::web {

using nlohmann::json;

namespace {

// "12月11日", with the year when it is not `base_year`: what people say and read.
std::string dateWords(const hotline::CivilDate& date, int base_year) {
  std::string words = std::to_string(date.month()) + "月" + std::to_string(date.day()) + "日";
  if (date.year() != base_year) words = std::to_string(date.year()) + "年" + words;
  return words;
}

}  // namespace

json doneOnJson(const std::optional<hotline::CivilDate>& date, int base_year) {
  if (!date) return json();
  return json{{"on_words", dateWords(*date, base_year)},
              {"weekday", std::string(hotline::weekdayName(date->weekday()))}};
}

json deadlineJson(const hotline::Deadline& d) {
  std::string years;
  for (int y : d.unloaded_years) years += (years.empty() ? "" : "、") + std::to_string(y) + "年";
  return json{{"due", d.due.toString()},
              {"due_words", dateWords(d.due, d.received.year())},
              {"weekday", std::string(hotline::weekdayName(d.due.weekday()))},
              {"working_days", d.working_days},
              {"provisional", d.provisional},
              {"unloaded_years", years},
              {"summary", d.summary}};
}

json fieldErrorsJson(const std::vector<hotline::FieldError>& errors) {
  json by_field = json::object();
  json all = json::array();
  json items = json::array();  // for an error summary whose lines link to their fields
  for (const auto& e : errors) {
    const std::string key = e.field.empty() ? "form" : e.field;
    if (!by_field.contains(key)) {
      by_field[key] = e.message;
    } else {
      by_field[key] = by_field[key].get<std::string>() + " " + e.message;
    }
    all.push_back(e.message);
    const bool has_input = !e.field.empty() && e.field != "idempotency_key";
    items.push_back({{"message", e.message}, {"href", has_input ? "#" + e.field : ""}});
  }
  return json{{"field", by_field}, {"list", all}, {"items", items}, {"any", !errors.empty()}};
}

ComplaintFormInput readComplaintForm(const http::Request& req) {
  const std::string type = req.header("content-type").value_or("");
  ComplaintFormInput in;
  if (type.rfind("multipart/form-data", 0) != 0) {
    in.fields = req.form();
    return in;
  }
  auto parts = http::parseMultipart(type, req.body);
  if (!parts) throw http::HttpError(400, "表单内容格式无效，请从页面上的表单重新提交。", "bad_form");
  for (http::FormPart& part : *parts) {
    if (part.name == "evidence") {
      if (!part.filename.empty() || !part.content.empty()) in.had_files = true;
      in.files.push_back({std::move(part.filename), std::move(part.content)});
      continue;
    }
    if (!http::isValidUtf8(part.name) || !http::isValidUtf8(part.content)) {
      throw http::HttpError(400, "表单内容的编码无效。", "bad_form");
    }
    in.fields.emplace_back(std::move(part.name), http::stripControlCharacters(part.content));
  }
  return in;
}

json evidenceFormJson(const ComplaintFormInput& input,
                      const std::vector<hotline::FieldError>& errors) {
  return json{{"limits", hotline::evidenceLimitsText()},
              {"max_files", hotline::kMaxEvidenceFiles},
              {"max_mb", hotline::kMaxEvidenceFileBytes / (1024 * 1024)},
              {"reselect", input.had_files && !errors.empty()}};
}

json evidenceJson(const std::string& registration_no,
                  const std::vector<hotline::EvidenceInfo>& files) {
  json out = json::array();
  for (const auto& f : files) {
    const bool pdf = f.media_type == "application/pdf";
    std::string size;
    if (f.byte_size >= 1024 * 1024) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1fMB", static_cast<double>(f.byte_size) / (1024 * 1024));
      size = buf;
    } else {
      size = std::to_string((f.byte_size + 1023) / 1024) + "KB";
    }
    out.push_back(
        {{"n", f.ordinal},
         {"name", f.original_name},
         {"type", pdf ? "PDF文档" : "照片"},
         {"size", size},
         {"dimensions", pdf ? "" : std::to_string(f.width) + "×" + std::to_string(f.height)},
         {"url", "/admin/complaints/" + http::percentEncode(registration_no) + "/evidence/" +
                     std::to_string(f.ordinal)}});
  }
  return out;
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

json registeredView(const hotline::Registration& reg) {
  return json{{"registration_no", reg.registration_no},
              {"tracking_code", reg.tracking_code},
              {"received_at", reg.received_at},
              {"replayed", reg.replayed},
              {"attachments", attachmentsJson(reg.attachments)},
              {"has_attachments", !reg.attachments.empty()},
              {"evidence_count", reg.evidence_count},
              {"has_evidence", reg.evidence_count > 0},
              {"ack_deadline", deadlineJson(reg.ack_deadline)},
              {"handling_deadline", deadlineJson(reg.handling_deadline)}};
}

json complaintsDueJson(hotline::ComplaintService& complaints, const hotline::StaffActor& actor) {
  auto total = [&](std::optional<hotline::ComplaintState> state, bool overdue, bool week) {
    hotline::QueueFilter f;
    f.department_id = actor.department_id;
    f.state = state;
    f.overdue_only = overdue;
    f.due_this_week = week;
    f.page_size = 1;
    return complaints.queue(f).total;
  };
  const auto review_overdue = total(hotline::ComplaintState::Reopened, true, false);
  return json{{"overdue", total(std::nullopt, true, false)},
              {"week", total(std::nullopt, false, true)},
              {"review", total(hotline::ComplaintState::Reopened, false, false)},
              {"review_overdue", review_overdue},
              {"has_review_overdue", review_overdue > 0}};
}

std::optional<std::string> trackingFormMissing(std::string_view registration_no,
                                               std::string_view tracking_code) {
  const bool no_number = base::isBlankText(registration_no);
  const bool no_code = base::isBlankText(tracking_code);
  if (no_number && no_code) return "请填写登记编号和查询码后再查询。";
  if (no_number) return "请填写登记编号。";
  if (no_code) return "请填写查询码。";
  return std::nullopt;
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
  // Each step says what is done, in the past tense with its date, and gives the deadline of
  // the step still open (RunningClock) only.
  using hotline::RunningClock;
  const bool rejected = v.state == hotline::ComplaintState::Rejected;
  const int year = v.ack_deadline.received.year();
  json handling;
  if (v.clock == RunningClock::Acknowledgment || v.clock == RunningClock::Handling) {
    handling = deadlineJson(v.handling_deadline);
    handling["if_accepted"] = v.clock == RunningClock::Acknowledgment;
  }
  json review;
  if (v.clock == RunningClock::Review && v.review_deadline) review = deadlineJson(*v.review_deadline);
  return json{
      {"registration_no", v.registration_no},
      {"state", std::string(hotline::stateCode(v.state))},
      {"state_name", v.state_name},
      {"category_name", v.category_name},
      {"department_name", v.department_name},
      {"location", v.location},
      {"received_at", v.received_at},
      {"ack_deadline",
       v.clock == RunningClock::Acknowledgment ? deadlineJson(v.ack_deadline) : json()},
      {"accepted_on", rejected ? json() : doneOnJson(v.acknowledged_on, year)},
      {"rejected_on", rejected ? doneOnJson(v.acknowledged_on, year) : json()},
      {"handling_deadline", handling},
      {"concluded_on", rejected ? json() : doneOnJson(v.concluded_on, year)},
      {"review_deadline", review},
      {"rejected", rejected},
      {"reject_reason_name", v.reject_reason_name},
      {"reject_reason_text", v.reject_reason_text},
      {"result_text", v.result_text},
      {"evaluation_name", v.evaluation ? std::string(hotline::ratingName(*v.evaluation)) : ""},
      {"can_evaluate", v.can_evaluate},
      {"ratings", ratings},
      {"attachment_count", v.attachment_count},
      {"has_attachments", v.attachment_count > 0},
      {"evidence_count", v.evidence_count},
      {"has_evidence", v.evidence_count > 0},
      {"timeline", timeline}};
}

}  // namespace portal::web
