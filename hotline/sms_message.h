#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/civil_date.h"

namespace hotline {

// queued -> sending -> sent -> delivered | failed; sending -> queued on a retryable error;
// sending -> failed on a permanent one or the last attempt; failed -> queued on a staff resend.
enum class SmsState { Queued, Sending, Sent, Delivered, Failed };
std::string_view smsStateCode(SmsState state);  // "queued", ...
std::optional<SmsState> parseSmsState(std::string_view code);
std::string_view smsStateName(SmsState state);  // "待发送", ... for staff pages

// What the outbox stores for one message when its event commits.
struct NewSmsMessage {
  std::int64_t complaint_id = 0;
  std::int64_t event_id = 0;
  std::string event_kind;  // eventKindCode()
  std::string recipient;   // "+8613812345678"
  std::string text;
  int segments = 1;
  std::string dlr_token;
  std::string created_at;  // Beijing time
  CivilDate created_on;
  // Set: recorded as failed with this reason and never sent (the daily limit).
  std::optional<std::string> refused;
  // Retried until this many seconds after it is written (SmsOptions::retry_window_s).
  int retry_window_s = 86400;
};

// One outbox row as staff and the dispatcher see it. Times are as stored: created_at Beijing
// time, the others database time (UTC), "" when unset.
struct SmsMessage {
  std::int64_t id = 0;
  std::int64_t complaint_id = 0;
  std::int64_t event_id = 0;
  std::string event_kind;
  std::string recipient;
  std::string text;
  int segments = 1;
  SmsState state = SmsState::Queued;
  int attempts = 0;
  int attempt_base = 0;
  std::string next_attempt_at;
  std::string lease_until;
  std::string last_error;
  std::string gateway;
  std::string gateway_message_id;
  std::string dlr_token;
  std::string dlr_status;
  std::string dlr_at;
  std::string created_at;
  std::string sent_at;
  // Milliseconds left (database time) until retries stop; <= 0 when the window has passed.
  std::int64_t retry_left_ms = 0;
};

// How many messages are in one state and were sent by one gateway ("" for none yet).
struct SmsCount {
  SmsState state = SmsState::Queued;
  std::string gateway;
  std::int64_t count = 0;
};

}  // namespace hotline
