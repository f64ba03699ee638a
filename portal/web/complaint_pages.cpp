// Public complaint pages: the complaint form and its confirmation, and tracking by registration
// number plus tracking code (with the citizen's rating of a concluded complaint).
#include <chrono>
#include <optional>

#include "hotline/registration_number.h"
#include "portal/accounts/session_token.h"
#include "portal/web/complaint_views.h"
#include "portal/web/handlers.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

constexpr const char* kNotFound = "未找到该投诉：登记编号或查询码不正确，请核对后重新输入。";

Response renderPublic(Context& ctx, const Request& req, const std::string& name,
                      const std::string& title, json view, int status = 200) {
  view.update(
      layoutJson(ctx.config.site, req, title, name == "complaint_track" ? "track" : "complaints"));
  Response r = Response::html(ctx.renderer.render(name, view), status);
  // Pages that carry a tracking code must not be kept by a shared or back-button cache.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

json complaintFormView(Context& ctx, const ComplaintFormInput& input, const std::string& key,
                       const std::vector<hotline::FieldError>& errors) {
  const Form& form = input.fields;
  const std::string department = http::formValue(form, "department_id");
  return json{
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

// "错误：" leads the title of a page that comes back with errors, so a screen reader says it
// first and the browser tab shows it.
std::string formTitle(const std::vector<hotline::FieldError>& errors) {
  return errors.empty() ? "我要投诉举报" : "错误：我要投诉举报";
}

Response tooManyLookups(Context& ctx, const Request& req, const std::string& number,
                        std::chrono::seconds wait) {
  const auto minutes = std::max<long long>(1, (wait.count() + 59) / 60);
  json view{{"registration_no", number},
            {"error",
             "查询失败次数过多，为保护投诉人信息，请" + std::to_string(minutes) + "分钟后再试。"}};
  Response r = renderPublic(ctx, req, "complaint_track", "投诉查询", view, 429);
  r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, wait.count())));
  return r;
}


// The form again after a refused submission: 429 over the intake limit, 409 when another
// submission used this form's key, 422 with the reasons field by field.
Response refusedComplaint(Context& ctx, const Request& req, const ComplaintFormInput& input,
                          const hotline::IntakeRequest& in, const hotline::IntakeResult& result) {
  if (result.limited) {
    const std::vector<hotline::FieldError> errors = {{"", intakeLimitMessage(*result.limited)}};
    Response r = renderPublic(ctx, req, "complaint_form", formTitle(errors),
                              complaintFormView(ctx, input, in.idempotency_key, errors), 429);
    r.headers.emplace_back("Retry-After", std::to_string(result.limited->retry_after_s));
    return r;
  }
  if (result.idempotency_conflict) {
    // Another submission used this form's key: a fresh form, the complaint kept as typed.
    const std::vector<hotline::FieldError> errors = {
        {"", "该表单已提交过其他内容，请核对后重新提交。"}};
    return renderPublic(ctx, req, "complaint_form", formTitle(errors),
                        complaintFormView(ctx, input, accounts::randomToken(), errors), 409);
  }
  return renderPublic(
      ctx, req, "complaint_form", formTitle(result.errors),
      complaintFormView(ctx, input, idempotencyKeyForRetry(in, result.errors), result.errors),
      422);
}

// 400: a blank field is told by name and never counts as a wrong guess.
Response incompleteLookup(Context& ctx, const Request& req, const std::string& number,
                          const std::string& message) {
  json view{{"registration_no", number}, {"error", message}};
  return renderPublic(ctx, req, "complaint_track", "投诉查询", std::move(view), 400);
}

Response notFound(Context& ctx, const Request& req, const std::string& number) {
  json view{{"registration_no", number}, {"error", kNotFound}};
  return renderPublic(ctx, req, "complaint_track", "投诉查询", std::move(view), 404);
}

// The tracking page after a rating: the notice, or the reasons with the choice kept selected
// (e.g. 不满意 without a comment).
json evaluatedView(const std::string& number, const std::string& code,
                   const hotline::TrackingView& found, const Form& form,
                   const hotline::ActionResult& result) {
  const std::string rating_code = http::formValue(form, "rating");
  json view{{"registration_no", number},
            {"tracking_code", code},
            {"complaint", trackingJson(found)},
            {"rating_selected", rating_code},
            {"comment", http::formValue(form, "comment")}};
  if (view["complaint"].contains("ratings")) {
    for (json& r : view["complaint"]["ratings"]) r["checked"] = r.value("code", "") == rating_code;
  }
  if (result.ok()) {
    view["notice"] = hotline::parseRating(rating_code) == hotline::Rating::Unsatisfied
                         ? "已收到您的评价。您对办理结果不满意，法制办将对该投诉进行复核。"
                         : "已收到您的评价，感谢您对我们工作的监督。";
  } else {
    view["evaluation_errors"] = fieldErrorsJson(result.errors);
  }
  return view;
}

// The tracking and rating forms' shared refusals: a field left empty (which counts as no
// guess), then the lookup limits.
std::optional<Response> refusedLookup(Context& ctx, const Request& req, const std::string& number,
                                      const std::string& code) {
  if (const auto missing = trackingFormMissing(number, code)) {
    return incompleteLookup(ctx, req, number, *missing);
  }
  if (const auto wait = ctx.tracking_limiter.refusal(number, req.remote_addr)) {
    return tooManyLookups(ctx, req, number, *wait);
  }
  return std::nullopt;
}

}  // namespace

Response complaintFormPage(Context& ctx, const Request& req) {
  // A search hit links here with its handling department chosen (?department_id=N); anything
  // that is not one of the departments leaves the choice at 不确定.
  ComplaintFormInput input;
  if (const auto chosen = req.queryValue("department_id")) {
    for (const auto& d : ctx.complaints.departments()) {
      if (std::to_string(d.id) == *chosen) input.fields.emplace_back("department_id", *chosen);
    }
  }
  json view = complaintFormView(ctx, input, accounts::randomToken(), {});
  return renderPublic(ctx, req, "complaint_form", "我要投诉举报", std::move(view));
}

Response submitComplaint(Context& ctx, const Request& req) {
  ComplaintFormInput input = readComplaintForm(req);
  const Form& form = input.fields;
  hotline::IntakeRequest in = intakeFromForm(form, hotline::Channel::Web);
  in.evidence = std::move(input.files);
  input.files.clear();
  in.client_address = req.remote_addr;
  const hotline::IntakeResult result = ctx.complaints.submit(in);
  in.evidence.clear();  // the bytes are not needed past here; a refused form asks again
  if (!result.ok()) return refusedComplaint(ctx, req, input, in, result);
  return renderPublic(ctx, req, "complaint_submitted", "投诉举报已登记",
                      registeredView(*result.registration));
}

Response trackPage(Context& ctx, const Request& req) {
  json view{{"registration_no", req.queryValue("no").value_or("")}};
  return renderPublic(ctx, req, "complaint_track", "投诉查询", std::move(view));
}

Response trackLookup(Context& ctx, const Request& req) {
  const Form form = req.form();
  // One number however it is typed (case, spaces, full-width): one lookup, one limit.
  const std::string number = ctx.complaints.registrationNo(http::formValue(form, "registration_no"));
  const std::string code = http::formValue(form, "tracking_code");
  if (auto refused = refusedLookup(ctx, req, number, code)) return std::move(*refused);
  const auto found = ctx.complaints.track(number, code);
  if (!found) {
    ctx.tracking_limiter.recordFailure(number, req.remote_addr);
    return notFound(ctx, req, number);
  }
  json view{
      {"registration_no", number}, {"tracking_code", code}, {"complaint", trackingJson(*found)}};
  return renderPublic(ctx, req, "complaint_track", "投诉查询", std::move(view));
}

Response trackEvaluate(Context& ctx, const Request& req) {
  const Form form = req.form();
  // One number however it is typed (case, spaces, full-width): one lookup, one limit.
  const std::string number = ctx.complaints.registrationNo(http::formValue(form, "registration_no"));
  const std::string code = http::formValue(form, "tracking_code");
  if (auto refused = refusedLookup(ctx, req, number, code)) return std::move(*refused);
  hotline::ActionResult result;
  if (const auto rating = hotline::parseRating(http::formValue(form, "rating"))) {
    result = ctx.complaints.evaluate(number, code, *rating, http::formValue(form, "comment"));
  } else {
    result.status = hotline::ActionStatus::Invalid;
    result.errors.push_back({"rating", "请选择评价：满意、基本满意或不满意"});
  }
  if (result.status == hotline::ActionStatus::NotFound) {
    ctx.tracking_limiter.recordFailure(number, req.remote_addr);
    return notFound(ctx, req, number);
  }
  // Without a valid rating the evaluation never looked the code up: a wrong code here is a
  // guess like one on the tracking form, and counts against the same limits.
  const auto found = ctx.complaints.track(number, code);
  if (!found) {
    ctx.tracking_limiter.recordFailure(number, req.remote_addr);
    return notFound(ctx, req, number);
  }
  return renderPublic(ctx, req, "complaint_track", "投诉查询",
                      evaluatedView(number, code, *found, form, result), statusFor(result.status));
}

}  // namespace portal::web
