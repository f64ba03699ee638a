#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hotline/complaint.h"
#include "hotline/complaint_service.h"
#include "hotline/deadline.h"
#include "portal/accounts/account.h"

namespace portal::web {

// View models and small mappings shared by the complaint pages (public and staff) and Open311.

// {due, working_days, provisional, unloaded_years, summary}: the deadline with how it was
// computed, for the page to show beside the date.
nlohmann::json deadlineJson(const hotline::Deadline& d);

// {field: message} for the form, and a list of every message for the summary at its top.
nlohmann::json fieldErrorsJson(const std::vector<hotline::FieldError>& errors);

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

// The public tracking view (no identity, no internal notes).
nlohmann::json trackingJson(const hotline::TrackingView& v);

}  // namespace portal::web
