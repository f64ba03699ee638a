#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/civil_date.h"
#include "hotline/deadline.h"

namespace hotline {

// Where a case comes from (seed item 16); the code prefixes the registration number.
enum class Source { Complaint, Inspection, Assigned, Referred };
std::string_view sourceCode(Source source);  // TS XC JB ZB
std::string_view sourceName(Source source);  // 投诉举报 巡查发现 上级交办 部门转办
std::optional<Source> parseSource(std::string_view code);

// The door a complaint came through.
enum class Channel { Web, Phone, Open311, Letter, Visit, Email };
std::string_view channelCode(Channel channel);  // web phone open311 letter visit email
std::string_view channelName(Channel channel);  // 网站 电话 第三方平台接入 信件 来访 电子邮件
std::optional<Channel> parseChannel(std::string_view code);

// 已登记 → 已受理 | 不予受理 | 已移送 → 办理中 → 已办结 → 已评价; 不满意 reopens it (复核中) for
// the legal office.
enum class ComplaintState {
  Received,
  Accepted,
  Rejected,
  Transferred,
  InProgress,
  Concluded,
  Evaluated,
  Reopened,
};
std::string_view stateCode(ComplaintState state);  // received accepted ... reopened
std::string_view stateName(ComplaintState state);  // 已登记 已受理 ... 复核中
std::optional<ComplaintState> parseState(std::string_view code);
const std::vector<ComplaintState>& allStates();

enum class Rating { Satisfied, BasicallySatisfied, Unsatisfied };
std::string_view ratingCode(Rating rating);  // satisfied basically_satisfied unsatisfied
std::string_view ratingName(Rating rating);  // 满意 基本满意 不满意
std::optional<Rating> parseRating(std::string_view code);

// What a complaint_events row records.
enum class EventKind {
  Registered,
  Assigned,
  Accepted,
  Rejected,
  Transferred,
  Started,
  Note,
  Concluded,
  Evaluated,
  Reopened,
  DeadlineRecomputed,
  PhoneRevealed,
};
std::string_view eventKindCode(EventKind kind);
std::optional<EventKind> parseEventKind(std::string_view code);

// One thing wrong with a person's input. `field` is the request field's name (description,
// complainant_phone, ...) so a form can put the message next to it; `message` is Chinese.
struct FieldError {
  std::string field;
  std::string message;
};

// A category or reject reason from the database, for forms and Open311 `services`.
struct CodeName {
  std::string code;
  std::string name;
};

// A department a complaint can be addressed to (read from `departments`).
struct DepartmentRef {
  std::int64_t id = 0;
  std::string name;
};

// A staff member acting on a complaint. The caller (the HTTP layer) has authenticated them.
struct StaffActor {
  std::string account;  // recorded on every event; required
  // The handler's department; std::nullopt for the legal office / hotline centre, which
  // supervises and may act on any complaint (and alone may assign unaddressed ones).
  std::optional<std::int64_t> department_id;
};

// One entry of a complaint's timeline.
struct ComplaintEvent {
  std::int64_t id = 0;
  EventKind kind = EventKind::Note;
  std::optional<ComplaintState> from_state;
  std::optional<ComplaintState> to_state;
  bool is_public = false;
  std::string actor;  // staff account, "complainant" or "system"; never shown to the public
  std::optional<std::int64_t> department_id;
  std::string department_name;  // "" when none
  std::string reason_code;
  std::string text;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS", Beijing time
};

// A complaint as stored, with the names of what it refers to. The complainant's phone is in
// full here: services hand it only to code that masks it or audits its reading.
struct Complaint {
  std::int64_t id = 0;
  std::string registration_no;
  Source source = Source::Complaint;
  Channel channel = Channel::Web;
  std::optional<std::int64_t> department_id;  // std::nullopt: not yet assigned
  std::string department_name;
  std::string category;
  std::string category_name;
  std::string description;
  std::string location;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::string> complainant_name;   // std::nullopt: anonymous
  std::optional<std::string> complainant_phone;  // normalised, see phone_number.h
  std::optional<std::string> operator_account;   // phone entries
  ComplaintState state = ComplaintState::Received;
  int version = 1;
  std::string received_at;  // "YYYY-MM-DD HH:MM:SS", Beijing time
  CivilDate received_date;
  int ack_working_days = 5;
  CivilDate ack_due;
  bool ack_due_provisional = false;
  std::optional<CivilDate> acknowledged_on;  // the day it was accepted or rejected
  int handling_working_days = 0;
  CivilDate handling_due;
  bool handling_due_provisional = false;
  std::optional<std::int64_t> transferred_from_department_id;
  std::string transferred_from_department_name;
  std::optional<std::string> transferred_at;
  std::optional<std::string> transfer_reason;
  std::optional<std::string> reject_reason_code;
  std::string reject_reason_name;
  std::optional<std::string> reject_reason_text;
  std::optional<std::string> result_text;
  std::optional<CivilDate> concluded_on;
  std::optional<Rating> evaluation;
  std::optional<std::string> evaluation_comment;
  std::optional<std::string> evaluated_at;
  int reopened_count = 0;
  // Set when 不满意 reopened it (复核中): the review clock, see HotlineOptions.
  std::optional<CivilDate> reopened_on;
  int review_working_days = 0;
  std::optional<CivilDate> review_due;
  bool review_due_provisional = false;
  std::string updated_at;
};

// A staff queue: one department's complaints, or (for the legal office) every complaint.
struct QueueFilter {
  std::optional<std::int64_t> department_id;  // std::nullopt: all departments
  bool unassigned_only = false;               // complaints without a department yet
  std::optional<ComplaintState> state;
  bool overdue_only = false;   // the running deadline (below) is before today
  bool due_this_week = false;  // the running deadline falls in this Monday-Sunday week
  // A registration number or part of one, as typed (normalizeRegistrationNo() is applied;
  // "" for all): "ts-2026-000123", "000123".
  std::string registration_no;
  int page = 1;                // 1-based
  int page_size = 50;          // 1-200
};

// Which clock is running: acknowledgment while received/transferred, handling while
// accepted/in_progress; review from the 不满意 that reopened it (复核中) until it is concluded
// again; none otherwise.
enum class RunningClock { None, Acknowledgment, Handling, Review };
// `has_review_due`: the complaint was reopened by 不满意 (Complaint::review_due is set).
RunningClock runningClock(ComplaintState state, bool has_review_due);

struct QueueRow {
  std::int64_t id = 0;
  std::string registration_no;
  ComplaintState state = ComplaintState::Received;
  std::string category_name;
  std::optional<std::int64_t> department_id;
  std::string department_name;  // "" while unassigned
  std::string received_at;
  std::string masked_phone;  // "138****5678"; "" when none given
  bool anonymous = true;
  RunningClock clock = RunningClock::None;
  std::optional<CivilDate> due;  // of the running clock
  bool due_provisional = false;
  bool overdue = false;
  bool due_today = false;  // the running deadline is today: the last day to act
  int version = 1;
};

struct QueuePage {
  std::vector<QueueRow> rows;
  std::int64_t total = 0;  // matching rows over all pages
  int page = 1;
  int page_size = 50;
};

// Complaints received in a period, counted per department, month and state.
struct StateCount {
  std::optional<std::int64_t> department_id;
  std::string department_name;  // "" for unassigned
  std::string month;            // "2026-03"
  ComplaintState state = ComplaintState::Received;
  std::int64_t count = 0;
};

// Per department (and a total row with department_id std::nullopt and name "合计").
struct DepartmentStatistics {
  std::optional<std::int64_t> department_id;
  std::string department_name;
  std::int64_t received = 0;
  std::int64_t acknowledged = 0;           // accepted or rejected
  std::int64_t acknowledged_on_time = 0;   // on or before the acknowledgment deadline
  std::int64_t ack_overdue_open = 0;       // not acknowledged and already past the deadline
  std::int64_t handling_overdue_open = 0;  // accepted/in progress and past the handling deadline
  std::int64_t concluded = 0;              // concluded, evaluated or reopened
  std::int64_t unsatisfied = 0;
  // acknowledged_on_time / (acknowledged + ack_overdue_open); 1.0 when nothing was due.
  double on_time_share = 1.0;
};

// One row of the month x department table: the count per state, in allStates() order.
struct MonthRow {
  std::string month;            // "2026-03"
  std::string department_name;  // "待分派" for unassigned
  std::vector<std::int64_t> counts;
  std::int64_t total = 0;
};

struct Statistics {
  CivilDate from;
  CivilDate to;
  std::vector<StateCount> by_department_month_state;
  std::vector<DepartmentStatistics> by_department;  // the total row last
  std::vector<MonthRow> by_month;  // by_department_month_state as rows, in its order
};

// A complaint as anyone may see it without the tracking code (Open311 GET requests): the
// category, handling department, state and dates only. Never the complainant's identity, nor
// the description or location (people write names and addresses into them), nor notes.
struct PublicRequest {
  std::string registration_no;
  ComplaintState state = ComplaintState::Received;
  std::string category;  // complaint_categories code
  std::string category_name;
  std::string department_name;  // "" while unassigned
  std::string received_at;      // "YYYY-MM-DD HH:MM:SS", Beijing time
  std::string updated_at;       // the last public event (an internal note does not count)
  CivilDate handling_due;
  bool handling_due_provisional = false;
  // When the request is expected to be fulfilled (Open311's expected_datetime): the handling
  // deadline until it is concluded (before acceptance too), the review deadline while a
  // review runs; std::nullopt once closed. Set by ComplaintService::publicRequests.
  std::optional<CivilDate> expected_due;
  bool expected_due_provisional = false;
  // What expected_due is computed from, besides handling_due.
  std::optional<CivilDate> review_due;
  bool review_due_provisional = false;
};

// Rejected, concluded and evaluated complaints are closed; every other state is open.
bool isClosed(ComplaintState state);

struct PublicRequestFilter {
  std::vector<std::string> registration_nos;  // empty: any
  std::vector<std::string> categories;        // empty: any
  std::optional<bool> closed;                 // std::nullopt: both
  std::string received_from;  // "YYYY-MM-DD HH:MM:SS" Beijing time, inclusive; "": no bound
  std::string received_to;    // inclusive; "": no bound
  int limit = 1000;           // newest first; clamped to 1-1000
};

}  // namespace hotline
