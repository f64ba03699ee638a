#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "hotline/complaint.h"
#include "hotline/complaint_attachment.h"
#include "hotline/complaint_service.h"
#include "hotline/deadline.h"
#include "hotline/evidence.h"
#include "portal/http/request.h"
#include "portal/accounts/account.h"

namespace portal::web {

// View models and small mappings shared by the complaint pages (public and staff) and Open311.

// {due, working_days, provisional, unloaded_years, summary}: the deadline with how it was
// computed, for the page to show beside the date.
nlohmann::json deadlineJson(const hotline::Deadline& d);
// {on_words, weekday} of a step already taken ("已于12月9日（周三）受理"); null without a date.
// The year is named only when it is not `base_year` (the complaint's).
nlohmann::json doneOnJson(const std::optional<hotline::CivilDate>& date, int base_year);

// {field: message} for the form, and a list of every message for the summary at its top.
nlohmann::json fieldErrorsJson(const std::vector<hotline::FieldError>& errors);

// A form POST as the complaint forms send it: multipart/form-data (with evidence files) or
// urlencoded (no files). Fields are decoded like Request::form(); file parts named "evidence"
// become uploads, unchecked (the service checks them). Throws HttpError 400 for another type,
// a malformed body or a field that is not UTF-8.
struct ComplaintFormInput {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<hotline::EvidenceUpload> files;
  // True when at least one file was chosen: a refused form must ask for them again.
  bool had_files = false;
};
ComplaintFormInput readComplaintForm(const http::Request& req);

// The form's evidence part: the limits as text, and the note that chosen files are not kept
// when the form comes back with errors.
nlohmann::json evidenceFormJson(const ComplaintFormInput& input,
                                const std::vector<hotline::FieldError>& errors);
// [{n, name, type, size, url}] for the staff page; url downloads the file.
nlohmann::json evidenceJson(const std::string& registration_no,
                            const std::vector<hotline::EvidenceInfo>& files);

// The HTTP status for a refused action: 422, 404, 403, 409 (200 for Ok).
int statusFor(hotline::ActionStatus status);

// The hotline actor behind a signed-in staff member: department editors act for their
// department; reviewers and administrators are the legal office (no department), which
// supervises every complaint and alone assigns the unaddressed ones.
hotline::StaffActor staffActor(const accounts::Principal& p);

// Code/name options for a <select>, with `selected` marked.
nlohmann::json optionsJson(const std::vector<hotline::CodeName>& list, const std::string& selected);
nlohmann::json departmentOptionsJson(const std::vector<hotline::DepartmentRef>& list,
                                     const std::string& selected);

// The complaint form's fields (public form and staff phone entry share them) as an intake
// request for `channel`; the caller adds the operator for phone entries and the evidence
// files (readComplaintForm). The web forms take files, not attachment descriptions (only
// Open311 still sends those).
hotline::IntakeRequest intakeFromForm(const std::vector<std::pair<std::string, std::string>>& form,
                                      hotline::Channel channel);
// The Chinese explanation of an abuse-limit refusal (429), naming when to try again.
std::string intakeLimitMessage(const hotline::LimitRefusal& refusal);

// The idempotency key to render into a refused form: the submitted one, or a fresh one when
// the service refused the key itself (so the corrected form can be sent).
std::string idempotencyKeyForRetry(const hotline::IntakeRequest& in,
                                   const std::vector<hotline::FieldError>& errors);

// [{kind, kind_name, file_name, description, n}] for the staff page and the confirmation.
nlohmann::json attachmentsJson(const std::vector<hotline::ComplaintAttachment>& attachments);

// What the confirmation page shows of a registered complaint (its number, tracking code,
// attachments, evidence and deadlines); the staff phone entry adds its own fields.
nlohmann::json registeredView(const hotline::Registration& reg);

// What /admin shows of a staff member's complaints: {overdue, week, review, review_overdue,
// has_review_overdue}, counted like the queue (the running clock of each complaint).
nlohmann::json complaintsDueJson(hotline::ComplaintService& complaints,
                                 const hotline::StaffActor& actor);

// What a tracking form with a field left blank is told (which one to fill in), std::nullopt
// when both are filled in. Such a form is no guess at a code: it never counts toward the
// lookup limits.
std::optional<std::string> trackingFormMissing(std::string_view registration_no,
                                               std::string_view tracking_code);

// The public tracking view (no identity, no internal notes).
nlohmann::json trackingJson(const hotline::TrackingView& v);

}  // namespace portal::web
